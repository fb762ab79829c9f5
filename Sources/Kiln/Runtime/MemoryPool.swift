import CKilnShims
import Synchronization

/// The pooling allocator's linear-memory slots (`InstanceAllocationStrategy.pooling`).
///
/// A slot is a reservation of `slotSize` bytes made the first time it is needed and kept
/// for the pool's lifetime; a memory taken from it commits its pages in place, and giving
/// it back decommits them (`kiln_vm_decommit`: contents dropped, pages inaccessible again),
/// so the next memory in that slot starts as zeros, as a fresh mapping would.
///
/// Copy-on-write images (`MemoryImage`): a free slot may keep the image its last memory
/// had mapped, reset to the image's pristine contents (dropping the pages of a private file
/// mapping brings back the file's). The next memory of the same module takes it as is, with
/// no mapping to make; any other memory gets anonymous memory mapped over the image first,
/// so it reads zeros there.
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
        /// Per slot: the image mapped in it, when the slot is free (its pages inaccessible,
        /// their contents the image's). `resident` never reaches into it.
        var images: [MemoryImage?] = []
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
    /// exactly its first `bytes` (a multiple of host pages) readable and writable: zeros,
    /// except for `image` when given (it must lie inside `bytes`). Returns whether the image
    /// is mapped (false when the system refused: the bytes are then all zeros, and the
    /// caller copies the data instead).
    ///
    /// An image that lies inside `keepResident` is not mapped (the caller copies the data):
    /// resetting those bytes with a memory fill and copying the data again costs less than
    /// the system calls and page faults of a mapping, which is what `keepResident` asks for.
    func acquire(bytes: Int, image wanted: MemoryImage? = nil) throws -> (slot: Slot, imageMapped: Bool) {
        let image = wanted.flatMap { $0.offset + $0.length > keepResident ? $0 : nil }
        let (slot, resident, mapped) = try state.withLock { state throws -> (Slot, Int, MemoryImage?) in
            // Prefer a recently freed slot that already holds this image.
            let recent = state.free.indices.suffix(16).reversed()
            if let image, let position = recent.first(where: { state.images[state.free[$0]] === image }) {
                let index = state.free.remove(at: position)
                return (Slot(index: index, base: state.reservations[index]), state.resident[index], image)
            }
            if let index = state.free.popLast() {
                let mapped = state.images[index]
                state.images[index] = nil
                return (Slot(index: index, base: state.reservations[index]), state.resident[index], mapped)
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
            state.images.append(nil)
            return (Slot(index: state.reservations.count - 1, base: reservation), 0, nil)
        }
        // Another image (or one where none is wanted): anonymous memory over it first.
        if let mapped, mapped !== image,
           kiln_vm_remap_anonymous(slot.base + mapped.offset, mapped.length) != 0 {
            throw KilnError("cannot map \(bytes) bytes of linear memory")
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
        guard let image else { return (slot, false) }
        if mapped === image { return (slot, true) }
        if image.map(at: slot.base) { return (slot, true) }
        // The range may be unmapped now: make it anonymous zeros again, or give the slot up.
        guard kiln_vm_remap_anonymous(slot.base + image.offset, image.length) == 0,
              kiln_vm_commit(slot.base + image.offset, image.length) == 0 else {
            throw KilnError("cannot map \(bytes) bytes of linear memory")
        }
        return (slot, false)
    }

    /// Gives a slot back whose first `committed` bytes were accessible: the first
    /// `keepResident` of them are zeroed and stay accessible (cheaper than a system call
    /// and a page fault for small memories), the rest are decommitted. A slot that cannot
    /// be reset (the system refused) is never handed out again rather than risk showing
    /// one memory's bytes to the next. `image`: the image mapped in the slot, reset to its
    /// pristine contents by the decommit and kept for the next memory (see above).
    func release(_ slot: Slot, committed: Int, image: MemoryImage? = nil) {
        let kept = min(committed, keepResident, image?.offset ?? .max)
        slot.base.initializeMemory(as: UInt8.self, repeating: 0, count: kept)
        guard kiln_vm_decommit(slot.base + kept, committed - kept) == 0 else { return }
        state.withLock { state in
            state.resident[slot.index] = kept
            state.images[slot.index] = image
            state.free.append(slot.index)
        }
    }

    /// How many slots are reserved, and how many of them are free (for tests).
    var occupancy: (reserved: Int, free: Int) { state.withLock { ($0.reservations.count, $0.free.count) } }
}
