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
        /// Per slot: how many bytes at its start are readable, writable and zero (kept
        /// resident by `release`, up to `keepResident`); the rest of the slot is
        /// inaccessible.
        var resident: [Int] = []
    }

    /// `linearMemoryKeepResident`, rounded down to host pages.
    let keepResident: Int

    private let state = Mutex(State())

    init(limits: PoolingAllocationConfig, boundsChecks: Config.BoundsChecks) throws {
        guard limits.maxMemorySize <= 1 << 32 else {
            throw KilnError("PoolingAllocationConfig.maxMemorySize is at most 4 GiB (got \(limits.maxMemorySize))")
        }
        guard limits.totalMemories >= 0 else {
            throw KilnError("PoolingAllocationConfig.totalMemories cannot be negative (got \(limits.totalMemories))")
        }
        guard limits.linearMemoryKeepResident >= 0 else {
            throw KilnError("PoolingAllocationConfig.linearMemoryKeepResident cannot be negative (got \(limits.linearMemoryKeepResident))")
        }
        self.limits = limits
        let page = Int(kiln_page_size())
        keepResident = limits.linearMemoryKeepResident / page * page
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

    /// Takes a free slot, reserving a new one while fewer than `totalMemories` exist, with
    /// exactly its first `bytes` (a multiple of host pages) readable, writable and zero.
    func acquire(bytes: Int) throws -> Slot {
        let (slot, resident) = try state.withLock { state throws -> (Slot, Int) in
            if let index = state.free.popLast() {
                return (Slot(index: index, base: state.reservations[index]), state.resident[index])
            }
            guard state.reservations.count < limits.totalMemories else {
                throw KilnError("the pooling allocator's \(limits.totalMemories) memory slots are all in use "
                                + "(PoolingAllocationConfig.totalMemories)")
            }
            guard let reservation = kiln_vm_reserve(slotSize) else {
                throw KilnError("cannot reserve \(slotSize) bytes for a pooled linear memory")
            }
            state.reservations.append(reservation)
            state.resident.append(0)
            return (Slot(index: state.reservations.count - 1, base: reservation), 0)
        }
        // Accessible must be exactly `bytes`: with guard pages, bytes past the memory's
        // length that stayed accessible would let an out-of-bounds access through.
        let adjusted = bytes > resident
            ? kiln_vm_commit(slot.base, bytes)
            : kiln_vm_decommit(slot.base + bytes, resident - bytes)
        guard adjusted == 0 else {
            // The slot's state is unknown now: it is not handed out again.
            throw KilnError("cannot map \(bytes) bytes of linear memory")
        }
        return slot
    }

    /// Gives a slot back whose first `committed` bytes were accessible: the first
    /// `keepResident` of them are zeroed and stay accessible (cheaper than a system call
    /// and a page fault for small memories), the rest are decommitted. A slot that cannot
    /// be reset (the system refused) is never handed out again rather than risk showing
    /// one memory's bytes to the next.
    func release(_ slot: Slot, committed: Int) {
        let kept = min(committed, keepResident)
        slot.base.initializeMemory(as: UInt8.self, repeating: 0, count: kept)
        guard kiln_vm_decommit(slot.base + kept, committed - kept) == 0 else { return }
        state.withLock { state in
            state.resident[slot.index] = kept
            state.free.append(slot.index)
        }
    }

    /// How many slots are reserved, and how many of them are free (for tests).
    var occupancy: (reserved: Int, free: Int) { state.withLock { ($0.reservations.count, $0.free.count) } }
}
