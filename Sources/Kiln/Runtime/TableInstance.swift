import CKilnShims

/// A table of references (raw pointers: `KilnFuncRef*` or extern references).
/// `definition` holds the current elements and length and never moves.
///
/// A table of externrefs holds one count of every non-null element: every write below
/// takes a count of the new value and drops one of the old, and the table drops its
/// counts when it dies. (Function references belong to their instances: not counted.)
final class TableInstance {
    /// Implementation limit on a table's length, so that `table.grow` of a huge delta
    /// fails with -1 instead of exhausting memory.
    static let maxElements: UInt64 = 10_000_000

    let definition: UnsafeMutablePointer<KilnTableDefinition>
    private(set) var type: TableType
    private var capacity: Int
    private let elementLimit: UInt64
    /// The pool and slot the elements belong to, when pooled: never reallocated nor freed
    /// here, and the capacity is the slot's (`elementLimit` is at most that).
    private let pooled: (pool: TablePool, slot: Int)?

    var length: UInt64 { definition.pointee.length }
    var maxLength: UInt64 {
        min(type.limits.max ?? (type.is64 ? .max : UInt64(UInt32.max)), TableInstance.maxElements, elementLimit)
    }

    /// A table of `type` with every element `initial`. With `pool`, its elements come from
    /// one of the pool's slots (and the pool's element limit applies).
    init(type: TableType, initial: UnsafeMutableRawPointer?, elementLimit: UInt64 = .max, pool: TablePool? = nil) throws {
        self.type = type
        let count = type.limits.min
        let elements: UnsafeMutablePointer<UnsafeMutableRawPointer?>
        if let pool {
            guard count <= UInt64(pool.maxTableElements) else {
                throw KilnError("table of \(count) elements exceeds the pooling allocator's maxTableElements of "
                                + "\(pool.maxTableElements) (PoolingAllocationConfig.maxTableElements)")
            }
            guard count <= elementLimit else { throw KilnError("table of \(count) elements exceeds the limit") }
            self.elementLimit = min(elementLimit, UInt64(pool.maxTableElements))
            let slot = try pool.acquire()
            pooled = (pool, slot.index)
            elements = slot.elements
            capacity = max(pool.maxTableElements, 1)
            elements.update(repeating: initial, count: Int(count))
        } else {
            self.elementLimit = elementLimit
            guard count <= min(TableInstance.maxElements, elementLimit) else {
                throw KilnError("table of \(count) elements exceeds the limit")
            }
            pooled = nil
            capacity = max(Int(count), 1)
            elements = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: capacity)
            elements.initialize(repeating: initial, count: capacity)
        }
        definition = .allocate(capacity: 1)
        definition.initialize(to: KilnTableDefinition(
            elements: UnsafeMutableRawPointer(elements).assumingMemoryBound(to: UnsafeMutableRawPointer?.self),
            length: count))
        if isExtern, let initial { ExternCounts.retain(initial, times: Int(count)) }
    }

    deinit {
        if isExtern {
            for i in 0..<Int(length) { ExternCounts.release(elements[i]) }
        }
        if let pooled {
            pooled.pool.release(pooled.slot, used: Int(length))
        } else {
            definition.pointee.elements.deallocate()
        }
        definition.deallocate()
    }

    /// Whether elements are extern references (counted).
    var isExtern: Bool { type.elementType.isCountedReference }

    var elements: UnsafeMutablePointer<UnsafeMutableRawPointer?> { definition.pointee.elements }

    func get(_ index: UInt64) -> UnsafeMutableRawPointer?? {
        index < length ? .some(elements[Int(index)]) : .none
    }

    func set(_ index: UInt64, _ value: UnsafeMutableRawPointer?) -> Bool {
        guard index < length else { return false }
        if isExtern {
            ExternCounts.retain(value)
            ExternCounts.release(elements[Int(index)])
        }
        elements[Int(index)] = value
        return true
    }

    /// `table.fill`: false when the range is out of bounds.
    func fill(_ start: UInt64, _ value: UnsafeMutableRawPointer?, count: UInt64) -> Bool {
        guard MemoryAccess.fits(start, count, in: length) else { return false }
        let range = Int(start)..<Int(start + count)
        if isExtern {
            ExternCounts.retain(value, times: range.count)
            for i in range { ExternCounts.release(elements[i]) }
        }
        (elements + range.lowerBound).update(repeating: value, count: range.count)
        return true
    }

    /// Writes `values` at `destination` (the caller checked the bounds): `table.copy`,
    /// `table.init` and element segments. `values` may overlap this table's elements.
    func write(_ destination: Int, _ values: UnsafePointer<UnsafeMutableRawPointer?>, count: Int) {
        guard isExtern else {
            (elements + destination).update(from: values, count: count)
            return
        }
        for i in 0..<count { ExternCounts.retain(values[i]) }
        let old = Array(UnsafeBufferPointer(start: elements + destination, count: count))
        (elements + destination).update(from: values, count: count)
        for value in old { ExternCounts.release(value) }
    }

    /// `table.copy` from `source` (possibly this table): false when out of bounds.
    func copy(to destination: UInt64, from source: TableInstance, at start: UInt64, count: UInt64) -> Bool {
        guard MemoryAccess.fits(start, count, in: source.length), MemoryAccess.fits(destination, count, in: length) else {
            return false
        }
        if source === self || !isExtern {
            let values = Array(UnsafeBufferPointer(start: source.elements + Int(start), count: Int(count)))
            values.withUnsafeBufferPointer { write(Int(destination), $0.baseAddress!, count: Int(count)) }
        } else {
            write(Int(destination), source.elements + Int(start), count: Int(count))
        }
        return true
    }

    /// Grows by `delta` elements set to `initial`; returns the old length, or nil.
    func grow(by delta: UInt64, initial: UnsafeMutableRawPointer?) -> UInt64? {
        let old = length
        guard delta <= maxLength, old + delta <= maxLength else { return nil }
        if delta == 0 { return old }
        let newLength = Int(old + delta)
        if newLength > capacity {
            precondition(pooled == nil, "a pooled table grows in place (maxLength is at most its slot)")
            let newCapacity = max(newLength, min(capacity * 2, Int(maxLength)))
            let fresh = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: newCapacity)
            fresh.moveInitialize(from: elements, count: Int(old))
            elements.deallocate()
            definition.pointee.elements = fresh
            capacity = newCapacity
        }
        (elements + Int(old)).initialize(repeating: initial, count: Int(delta))
        if isExtern { ExternCounts.retain(initial, times: Int(delta)) }
        definition.pointee.length = UInt64(newLength)
        type.limits.min = UInt64(newLength)
        return old
    }
}

/// Reference counting of extern references held outside wasm frames (tables, globals,
/// element segments, the store's roots). Null is allowed and ignored.
enum ExternCounts {
    @inline(__always)
    static func retain(_ raw: UnsafeMutableRawPointer?, times: Int = 1) {
        guard let raw else { return }
        let data = raw.assumingMemoryBound(to: KilnExternData.self)
        for _ in 0..<times { kiln_externref_retain(data) }
    }

    @inline(__always)
    static func release(_ raw: UnsafeMutableRawPointer?) {
        guard let raw else { return }
        kiln_externref_release(raw.assumingMemoryBound(to: KilnExternData.self))
    }
}
