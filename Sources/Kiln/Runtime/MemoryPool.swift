import CKilnShims
import Synchronization

/// The pooling allocator's linear-memory slots (`InstanceAllocationStrategy.pooling`).
///
/// A slot is a reservation of `slotSize` bytes made the first time it is needed and kept
/// for the pool's lifetime; a memory taken from it commits its pages in place, and giving
/// it back decommits them (`kiln_vm_decommit`: contents dropped, pages inaccessible again),
/// so the next memory in that slot starts as zeros, as a fresh mapping would.
///
/// Invariants: a slot index is either in `free`, or below `reservedCount` and held by
/// exactly one live `MemoryInstance`; every slot below `reservedCount` is reserved.
/// Thread-safe: stores on several threads share one engine.
final class MemoryPool: Sendable {
    let limits: PoolingAllocationConfig
    /// Bytes reserved per slot: the guard region of a 32-bit memory with guard pages, or
    /// `maxMemorySize` rounded to host pages with explicit bounds checks.
    let slotSize: Int

    private struct State {
        var reservations: [UnsafeMutableRawPointer] = []
        var free: [Int] = []
    }

    private let state = Mutex(State())

    init(limits: PoolingAllocationConfig, boundsChecks: Config.BoundsChecks) throws {
        guard limits.maxMemorySize <= 1 << 32 else {
            throw KilnError("PoolingAllocationConfig.maxMemorySize is at most 4 GiB (got \(limits.maxMemorySize))")
        }
        guard limits.totalMemories >= 0 else {
            throw KilnError("PoolingAllocationConfig.totalMemories cannot be negative (got \(limits.totalMemories))")
        }
        self.limits = limits
        let page = Int(kiln_page_size())
        slotSize = boundsChecks == .guardPages
            ? MemoryInstance.guardedReservation
            : max(page, (Int(limits.maxMemorySize) + page - 1) / page * page)
    }

    deinit {
        state.withLock { state in
            for reservation in state.reservations { kiln_vm_release(reservation, slotSize) }
        }
    }

    /// A slot's index and its base address.
    struct Slot {
        let index: Int
        let base: UnsafeMutableRawPointer
    }

    /// Takes a free slot, reserving a new one while fewer than `totalMemories` exist.
    func acquire() throws -> Slot {
        try state.withLock { state throws -> Slot in
            if let index = state.free.popLast() { return Slot(index: index, base: state.reservations[index]) }
            guard state.reservations.count < limits.totalMemories else {
                throw KilnError("the pooling allocator's \(limits.totalMemories) memory slots are all in use "
                                + "(PoolingAllocationConfig.totalMemories)")
            }
            guard let reservation = kiln_vm_reserve(slotSize) else {
                throw KilnError("cannot reserve \(slotSize) bytes for a pooled linear memory")
            }
            state.reservations.append(reservation)
            return Slot(index: state.reservations.count - 1, base: reservation)
        }
    }

    /// Gives a slot back, its first `committed` bytes decommitted. A slot that cannot be
    /// reset (the system refused) is never handed out again rather than risk showing one
    /// memory's bytes to the next.
    func release(_ slot: Slot, committed: Int) {
        guard kiln_vm_decommit(slot.base, committed) == 0 else { return }
        state.withLock { $0.free.append(slot.index) }
    }

    /// How many slots are reserved, and how many of them are free (for tests).
    var occupancy: (reserved: Int, free: Int) { state.withLock { ($0.reservations.count, $0.free.count) } }
}
