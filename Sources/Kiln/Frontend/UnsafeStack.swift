/// A growable stack of plain values with no copy-on-write checks: the validator's and
/// compilers' operand and control stacks, pushed and popped for every instruction.
///
/// A reference type on purpose: copying its owner shares the stack. Capacity is kept
/// across `removeAll`, so a stack reused for every function allocates only while growing.
final class UnsafeStack<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) var isEmpty: Bool { count == 0 }
    @inline(__always) var last: Element? { count > 0 ? base[count - 1] : nil }

    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "stack index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "stack index out of range")
            base[index] = newValue
        }
    }

    @inline(__always)
    func append(_ element: Element) {
        if count == capacity { grow() }
        base[count] = element
        count += 1
    }

    @inline(__always)
    @discardableResult
    func removeLast() -> Element {
        precondition(count > 0, "pop from an empty stack")
        count -= 1
        return base[count]
    }

    /// Drops everything above the first `newCount` elements.
    @inline(__always)
    func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= count)
        count = newCount
    }

    func removeAll() { count = 0 }

    private func grow() {
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        fresh.initialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity *= 2
    }
}
