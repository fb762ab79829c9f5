import CKilnShims

/// A linear memory: a reservation of address space whose first `pages * 64 KiB` are
/// readable and writable.
///
/// With `BoundsChecks.guardPages` the reservation covers every address a 32-bit access can
/// form (a 32-bit index plus a 32-bit offset, plus the access size), so machine code may
/// skip bounds checks and let the hardware fault. With `.explicit` only the accessible bytes
/// are mapped, and growing moves the memory. Either way `definition` always holds the current
/// base and length, and never moves itself.
final class MemoryInstance {
    static let pageSize: UInt64 = 65_536
    /// 8 GiB + 64 KiB: the furthest byte `index + offset + 16` can reach.
    static let guardedReservation = (1 << 33) + 65_536

    let definition: UnsafeMutablePointer<KilnMemoryDefinition>
    private(set) var type: MemoryType
    private var reservation: UnsafeMutableRawPointer?
    private var reservationSize: Int
    private let usesGuardPages: Bool
    /// The store's limit on this memory's size, in bytes (with a pool, the slot's too).
    private let byteLimit: UInt64
    /// The pool and slot the reservation belongs to, when pooled: the reservation is then
    /// the slot's, never moved nor released here.
    private let pooled: (pool: MemoryPool, slot: MemoryPool.Slot)?
    /// The copy-on-write image mapped over the start of the memory, if any (see
    /// `MemoryImage`); nil once the memory moved (its bytes were copied to anonymous pages).
    private(set) var image: MemoryImage?

    var pages: UInt64 { definition.pointee.length / MemoryInstance.pageSize }
    /// The type's maximum, or the largest its address width allows. A 64-bit memory grows
    /// until its maximum, the store's byte limit or the host's address space stops it.
    var maxPages: UInt64 { min(type.limits.max ?? type.pageLimit, type.pageLimit) }

    /// A memory of `type`. With `pool`, a 32-bit memory takes one of its slots (and the
    /// pool's size limit applies); other memories reserve their own address space.
    /// `image`: initial contents to map copy-on-write (it must lie inside the initial size);
    /// `self.image` tells whether that succeeded (if not, the memory is zeros).
    init(type: MemoryType, boundsChecks: Config.BoundsChecks, byteLimit: UInt64 = .max, pool: MemoryPool? = nil,
         image: MemoryImage? = nil) throws {
        self.type = type
        // No guard region can cover a 64-bit address space: 64-bit memories are always
        // checked explicitly.
        self.usesGuardPages = boundsChecks == .guardPages && !type.is64
        let bytes = type.limits.min * MemoryInstance.pageSize
        if let pool, !type.is64 {
            self.byteLimit = min(byteLimit, pool.limits.maxMemorySize)
            guard bytes <= self.byteLimit else {
                throw KilnError(bytes <= byteLimit
                    ? "memory of \(type.limits.min) pages exceeds the pooling allocator's maxMemorySize of \(pool.limits.maxMemorySize) bytes"
                    : "memory of \(type.limits.min) pages exceeds the store's limit")
            }
            let (slot, mapped) = try pool.acquire(bytes: Int(bytes), image: image)
            pooled = (pool, slot)
            self.image = mapped ? image : nil
            reservation = slot.base
            reservationSize = pool.slotSize
        } else {
            self.byteLimit = byteLimit
            guard bytes <= byteLimit else {
                throw KilnError("memory of \(type.limits.min) pages exceeds the store's limit")
            }
            pooled = nil
            reservationSize = usesGuardPages ? MemoryInstance.guardedReservation : MemoryInstance.roundToHostPage(Int(bytes))
            reservation = reservationSize > 0 ? kiln_vm_reserve(reservationSize) : nil
            if reservationSize > 0 && reservation == nil {
                throw KilnError("cannot reserve \(reservationSize) bytes for a linear memory")
            }
            guard kiln_vm_commit(reservation, Int(bytes)) == 0 else {
                kiln_vm_release(reservation, reservationSize)
                throw KilnError("cannot map \(bytes) bytes of linear memory")
            }
            if let image, let reservation {
                if image.map(at: reservation) {
                    self.image = image
                } else if kiln_vm_remap_anonymous(reservation + image.offset, image.length) != 0
                            || kiln_vm_commit(reservation + image.offset, image.length) != 0 {
                    // The range may be unmapped now, and cannot be made zeros again.
                    kiln_vm_release(reservation, reservationSize)
                    throw KilnError("cannot map \(bytes) bytes of linear memory")
                }
                // Otherwise the memory is zeros, and `self.image` nil: the caller copies.
            }
        }
        definition = .allocate(capacity: 1)
        definition.initialize(to: KilnMemoryDefinition(
            base: reservation?.assumingMemoryBound(to: UInt8.self) ?? UnsafeMutablePointer(bitPattern: 16),
            length: bytes))
    }

    deinit {
        if let pooled {
            pooled.pool.release(pooled.slot, committed: MemoryInstance.roundToHostPage(Int(definition.pointee.length)), image: image)
        } else {
            kiln_vm_release(reservation, reservationSize)
        }
        definition.deallocate()
    }

    private static func roundToHostPage(_ bytes: Int) -> Int {
        let page = Int(kiln_page_size())
        return (bytes + page - 1) / page * page
    }

    /// Grows by `delta` pages; returns the old size in pages, or nil when it cannot grow.
    func grow(by delta: UInt64) -> UInt64? {
        let old = pages
        guard delta <= maxPages, old + delta <= maxPages else { return nil }
        if delta == 0 { return old }
        // At most 2^48 pages: the byte count fits in 64 bits only below that.
        let (newBytes, overflow) = (old + delta).multipliedReportingOverflow(by: MemoryInstance.pageSize)
        guard !overflow, newBytes <= byteLimit, newBytes <= UInt64(Int.max) else { return nil }
        let oldBytes = Int(definition.pointee.length)
        if usesGuardPages || pooled != nil {
            // In place: the reservation covers every size up to the limit checked above.
            guard let reservation, kiln_vm_commit(reservation, Int(newBytes)) == 0 else { return nil }
        } else {
            // Move into a larger mapping: accesses are checked against `length`, so no
            // slack is needed beyond the accessible bytes.
            let size = MemoryInstance.roundToHostPage(Int(newBytes))
            guard let fresh = kiln_vm_reserve(size), kiln_vm_commit(fresh, Int(newBytes)) == 0 else { return nil }
            if let reservation, oldBytes > 0 {
                fresh.copyMemory(from: reservation, byteCount: oldBytes)
            }
            kiln_vm_release(reservation, reservationSize)
            reservation = fresh
            reservationSize = size
            image = nil
            definition.pointee.base = fresh.assumingMemoryBound(to: UInt8.self)
        }
        definition.pointee.length = newBytes
        type.limits.min = old + delta
        return old
    }

    /// The accessible bytes. Valid until the memory grows.
    var bytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: definition.pointee.base, count: Int(definition.pointee.length))
    }
}
