import CKilnShims
import Synchronization

/// The initial contents of one defined linear memory, laid out once per module in an
/// in-memory file and mapped copy-on-write into each instance's memory
/// (`Config.memoryInitCOW`, as wasmtime's `memory_init_cow`).
///
/// The image covers `offset..<offset + length` of the memory: the host pages the module's
/// active data segments touch, from the first to the last (pages in between that no segment
/// touches are holes of the file, zeros that cost nothing). Bytes outside it are zeros.
///
/// Invariants:
/// - `offset` and `length` are multiples of the host page size, `length > 0`, and
///   `offset + length` is at most the memory's initial size (every segment was in bounds of
///   it), so the image always lies inside the accessible bytes of a fresh memory.
/// - The file is sealed after it is written: nothing changes it afterwards, and instances
///   map it `MAP_PRIVATE`, so their writes stay their own and the file stays pristine.
/// - A mapping of the image is file-backed: dropping its pages (`MADV_DONTNEED`) brings the
///   image's contents back, not zeros. Whoever wants zeros there must map anonymous memory
///   over it (`kiln_vm_remap_anonymous`); `MemoryPool` relies on the former to reset a slot
///   for the next instance of the same module, and on the latter for any other memory.
final class MemoryImage: Sendable {
    let fd: Int32
    /// Where the image starts in the memory, in bytes.
    let offset: Int
    /// The image's size in bytes.
    let length: Int

    private init(fd: Int32, offset: Int, length: Int) {
        self.fd = fd
        self.offset = offset
        self.length = length
    }

    deinit { kiln_close_fd(fd) }

    /// Maps the image over `base + offset` (readable, writable, private). Returns whether it
    /// succeeded; on failure the range is as it was, or unmapped if the system failed midway,
    /// so the caller must treat the memory as unusable or copy the data instead.
    func map(at base: UnsafeMutableRawPointer) -> Bool {
        kiln_image_map(base + offset, length, fd) == 0
    }

    /// The constant an active data segment's offset expression evaluates to, or nil when it
    /// reads a global (its value is known only at instantiation).
    private static func constant(_ expression: ConstExpr) -> UInt64? {
        switch expression {
        case .i32(let v): return UInt64(UInt32(bitPattern: v))
        case .i64(let v): return UInt64(bitPattern: v)
        case .binary(let op, let lhs, let rhs):
            guard let a = constant(lhs), let b = constant(rhs) else { return nil }
            switch op {
            case .i32Add: return UInt64(UInt32(truncatingIfNeeded: a &+ b))
            case .i32Sub: return UInt64(UInt32(truncatingIfNeeded: a &- b))
            case .i32Mul: return UInt64(UInt32(truncatingIfNeeded: a) &* UInt32(truncatingIfNeeded: b))
            case .i64Add: return a &+ b
            case .i64Sub: return a &- b
            case .i64Mul: return a &* b
            default: return nil
            }
        default: return nil
        }
    }

    /// The images of `module`'s defined memories (nil for a memory no segment writes), or
    /// nil when the module must be initialized by copying its segments:
    /// - an active segment writes to an imported memory (its writes are visible outside
    ///   and must happen in the spec's order, trapping midway), or
    /// - an active segment's offset reads a global, or
    /// - an active segment does not fit in its memory's initial size (instantiation must
    ///   trap, after the segments before it were written), or
    /// - the module has no non-empty active segment (nothing to map), or
    /// - the host has no `memfd_create` (not Linux) or refused.
    /// Passive segments do not matter: `memory.init` copies them whichever way.
    static func build(for module: Module) -> [MemoryImage?]? {
        #if os(Linux)
        let info = module.info
        let definedCount = info.memories.count - info.importedMemoryCount
        guard definedCount > 0 else { return nil }
        var segments = Array(repeating: [(start: Int, bytes: Range<Int>)](), count: definedCount)
        for segment in info.data {
            guard case .active(let memory, let offsetExpression) = segment.mode else { continue }
            guard Int(memory) >= info.importedMemoryCount, let value = constant(offsetExpression) else { return nil }
            let type = info.memories[Int(memory)]
            let start = type.is64 ? value : UInt64(UInt32(truncatingIfNeeded: value))
            let (initialBytes, overflow) = type.limits.min.multipliedReportingOverflow(by: MemoryInstance.pageSize)
            guard !overflow, MemoryAccess.fits(start, UInt64(segment.bytes.count), in: initialBytes),
                  initialBytes <= UInt64(Int.max) else { return nil }
            if !segment.bytes.isEmpty {
                segments[Int(memory) - info.importedMemoryCount].append((Int(start), segment.bytes))
            }
        }
        guard segments.contains(where: { !$0.isEmpty }) else { return nil }
        let page = Int(kiln_page_size())
        var images: [MemoryImage?] = []
        for writes in segments {
            guard let first = writes.map(\.start).min(), let last = writes.map({ $0.start + $0.bytes.count }).max() else {
                images.append(nil)
                continue
            }
            let offset = first / page * page
            let length = (last + page - 1) / page * page - offset
            var contents: UnsafeMutableRawPointer?
            let fd = kiln_image_create(length, &contents)
            guard fd >= 0, let contents else { return nil }
            // Later segments overwrite earlier ones where they overlap, as copying does.
            module.bytes.withUnsafeBytes { binary in
                for write in writes {
                    (contents + (write.start - offset)).copyMemory(
                        from: binary.baseAddress! + write.bytes.lowerBound, byteCount: write.bytes.count)
                }
            }
            kiln_vm_release(contents, length)
            _ = kiln_image_seal(fd)
            images.append(MemoryImage(fd: fd, offset: offset, length: length))
        }
        return images
        #else
        return nil
        #endif
    }
}

/// A module's memory images, built on its first instantiation with `memoryInitCOW` and kept
/// for the module's lifetime. Thread-safe: the first of concurrent instantiations builds
/// them, the others wait for it.
final class ModuleMemoryImages: Sendable {
    private enum State {
        case unbuilt
        case built([MemoryImage?]?)
    }

    private let state = Mutex(State.unbuilt)

    init() {}

    /// See `MemoryImage.build(for:)`.
    func images(for module: Module) -> [MemoryImage?]? {
        state.withLock { state in
            if case .built(let images) = state { return images }
            let images = MemoryImage.build(for: module)
            state = .built(images)
            return images
        }
    }
}
