import CKilnShims
import Synchronization

/// The pooling allocator's table slots (`PoolingAllocationConfig.totalTables` and
/// `maxTableElements`).
///
/// A slot is room for `maxTableElements` references, mapped (anonymous zero pages) the first
/// time it is needed and kept for the pool's lifetime: only the pages of the elements tables
/// use become resident, so a slot costs address space, not memory, beyond them. A table taken from a slot
/// initializes its elements and grows in place up to the slot's size; giving the slot back
/// clears the elements it used, so no reference of one instance stays in the pool (and the
/// next table initializes its own elements anyway).
///
/// Invariants: a slot index is either in `free`, or held by exactly one live
/// `TableInstance`; free slots are all null. Thread-safe.
final class TablePool: Sendable {
    let totalTables: Int
    let maxTableElements: Int

    private struct State {
        var slots: [UnsafeMutablePointer<UnsafeMutableRawPointer?>] = []
        /// Bytes mapped per slot.
        var slotBytes = 0
        var free: [Int] = []
    }

    private let state = Mutex(State())

    init(limits: PoolingAllocationConfig) throws {
        guard limits.totalTables >= 0 else {
            throw KilnError("PoolingAllocationConfig.totalTables cannot be negative (got \(limits.totalTables))")
        }
        guard limits.maxTableElements >= 0, UInt64(limits.maxTableElements) <= TableInstance.maxElements else {
            throw KilnError("PoolingAllocationConfig.maxTableElements must be between 0 and \(TableInstance.maxElements) "
                            + "(got \(limits.maxTableElements))")
        }
        totalTables = limits.totalTables
        maxTableElements = limits.maxTableElements
    }

    deinit {
        state.withLock { state in
            for slot in state.slots { kiln_vm_release(slot, state.slotBytes) }
        }
    }

    /// A free slot, allocating a new one while fewer than `totalTables` exist.
    func acquire() throws -> (index: Int, elements: UnsafeMutablePointer<UnsafeMutableRawPointer?>) {
        try state.withLock { state in
            if let index = state.free.popLast() { return (index, state.slots[index]) }
            guard state.slots.count < totalTables else {
                throw KilnError("the pooling allocator's \(totalTables) table slots are all in use "
                                + "(PoolingAllocationConfig.totalTables)")
            }
            // Not malloc and a fill: that would make every page of every slot resident.
            let page = Int(kiln_page_size())
            let bytes = (max(maxTableElements, 1) * MemoryLayout<UnsafeMutableRawPointer?>.stride + page - 1) / page * page
            guard let mapping = kiln_vm_reserve(bytes) else { throw KilnError("cannot map \(bytes) bytes for a pooled table") }
            guard kiln_vm_commit(mapping, bytes) == 0 else {
                kiln_vm_release(mapping, bytes)
                throw KilnError("cannot map \(bytes) bytes for a pooled table")
            }
            state.slotBytes = bytes
            let elements = mapping.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: bytes / MemoryLayout<UnsafeMutableRawPointer?>.stride)
            state.slots.append(elements)
            return (state.slots.count - 1, elements)
        }
    }

    /// Gives a slot back whose first `used` elements were written.
    func release(_ index: Int, used: Int) {
        state.withLock { state in
            state.slots[index].update(repeating: nil, count: used)
            state.free.append(index)
        }
    }

    /// How many slots are allocated, and how many of them are free (for tests).
    var occupancy: (allocated: Int, free: Int) { state.withLock { ($0.slots.count, $0.free.count) } }
}

/// The pooling allocator's limit on live instances over all stores of an engine
/// (`PoolingAllocationConfig.totalCoreInstances`). Thread-safe.
final class CoreInstanceLimit: Sendable {
    let limit: Int
    private let live = Atomic<Int>(0)

    init(limit: Int) throws {
        guard limit >= 0 else {
            throw KilnError("PoolingAllocationConfig.totalCoreInstances cannot be negative (got \(limit))")
        }
        self.limit = limit
    }

    /// Counts one more live instance, or throws when `limit` are alive.
    func acquire() throws {
        let claimed = live.add(1, ordering: .relaxed).newValue
        if claimed > limit {
            live.subtract(1, ordering: .relaxed)
            throw KilnError("the pooling allocator's \(limit) core instances are all in use "
                            + "(PoolingAllocationConfig.totalCoreInstances)")
        }
    }

    func release() { live.subtract(1, ordering: .relaxed) }

    var count: Int { live.load(ordering: .relaxed) }
}
