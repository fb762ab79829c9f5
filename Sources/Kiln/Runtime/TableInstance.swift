import CKilnShims

/// A table of references (raw pointers: `KilnFuncRef*` or extern references).
/// `definition` holds the current elements and length and never moves.
final class TableInstance {
    /// Implementation limit on a table's length, so that `table.grow` of a huge delta
    /// fails with -1 instead of exhausting memory.
    static let maxElements: UInt64 = 10_000_000

    let definition: UnsafeMutablePointer<KilnTableDefinition>
    private(set) var type: TableType
    private var capacity: Int
    private let elementLimit: UInt64

    var length: UInt64 { definition.pointee.length }
    var maxLength: UInt64 { min(type.limits.max ?? UInt64(UInt32.max), TableInstance.maxElements, elementLimit) }

    init(type: TableType, initial: UnsafeMutableRawPointer?, elementLimit: UInt64 = .max) throws {
        self.type = type
        self.elementLimit = elementLimit
        let count = type.limits.min
        guard count <= min(TableInstance.maxElements, elementLimit) else {
            throw KilnError("table of \(count) elements exceeds the limit")
        }
        capacity = max(Int(count), 1)
        let elements = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: capacity)
        elements.initialize(repeating: initial, count: capacity)
        definition = .allocate(capacity: 1)
        definition.initialize(to: KilnTableDefinition(
            elements: UnsafeMutableRawPointer(elements).assumingMemoryBound(to: UnsafeMutableRawPointer?.self),
            length: count))
    }

    deinit {
        definition.pointee.elements.deallocate()
        definition.deallocate()
    }

    var elements: UnsafeMutablePointer<UnsafeMutableRawPointer?> { definition.pointee.elements }

    func get(_ index: UInt64) -> UnsafeMutableRawPointer?? {
        index < length ? .some(elements[Int(index)]) : .none
    }

    func set(_ index: UInt64, _ value: UnsafeMutableRawPointer?) -> Bool {
        guard index < length else { return false }
        elements[Int(index)] = value
        return true
    }

    /// Grows by `delta` elements set to `initial`; returns the old length, or nil.
    func grow(by delta: UInt64, initial: UnsafeMutableRawPointer?) -> UInt64? {
        let old = length
        guard delta <= maxLength, old + delta <= maxLength else { return nil }
        let newLength = Int(old + delta)
        if newLength > capacity {
            let newCapacity = max(newLength, min(capacity * 2, Int(maxLength)))
            let fresh = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: newCapacity)
            fresh.moveInitialize(from: elements, count: Int(old))
            elements.deallocate()
            definition.pointee.elements = fresh
            capacity = newCapacity
        }
        (elements + Int(old)).initialize(repeating: initial, count: Int(delta))
        definition.pointee.length = UInt64(newLength)
        type.limits.min = UInt64(newLength)
        return old
    }
}
