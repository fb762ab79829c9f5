import Kiln

/// The calling instance's linear memory during one WASI call, with every access checked
/// against its size: an address or length outside it is `Errno.fault`, never a host fault.
///
/// Valid only inside the `withGuestMemory` closure that made it (a memory may move when it
/// grows, and no WASI function grows one).
struct GuestMemory {
    let bytes: UnsafeMutableRawBufferPointer

    /// The byte range `[address, address + count)`, checked.
    func range(_ address: UInt32, _ count: UInt32) throws(Errno) -> Range<Int> {
        let start = Int(address), end = Int(address) + Int(count)
        guard end <= bytes.count else { throw .fault }
        return start..<end
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at address: UInt32) throws(Errno) -> T {
        let r = try range(address, UInt32(MemoryLayout<T>.size))
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: r.lowerBound, as: T.self))
    }

    func store<T: FixedWidthInteger>(_ value: T, at address: UInt32) throws(Errno) {
        let r = try range(address, UInt32(MemoryLayout<T>.size))
        bytes.storeBytes(of: value.littleEndian, toByteOffset: r.lowerBound, as: T.self)
    }

    func read(_ address: UInt32, _ count: UInt32) throws(Errno) -> [UInt8] {
        Array(bytes[try range(address, count)])
    }

    func write(_ data: some Collection<UInt8>, at address: UInt32) throws(Errno) {
        let r = try range(address, UInt32(clamping: data.count))
        guard r.count == data.count else { throw .fault }
        UnsafeMutableRawBufferPointer(rebasing: bytes[r]).copyBytes(from: data)
    }

    /// A string argument (ptr, len): UTF-8, or `ilseq`.
    func string(_ address: UInt32, _ count: UInt32) throws(Errno) -> String {
        let raw = try read(address, count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw .ilseq }
        return text
    }

    /// The buffers of an iovec or ciovec array: (address, length) pairs, each checked.
    func buffers(_ array: UInt32, _ count: UInt32) throws(Errno) -> [UnsafeMutableRawBufferPointer] {
        var result: [UnsafeMutableRawBufferPointer] = []
        result.reserveCapacity(Int(count))
        for i in 0..<count {
            let entry = array &+ 8 &* i
            guard UInt64(array) + 8 * UInt64(i) + 8 <= UInt64(bytes.count) else { throw .fault }
            let address = try load(UInt32.self, at: entry), length = try load(UInt32.self, at: entry + 4)
            result.append(UnsafeMutableRawBufferPointer(rebasing: bytes[try range(address, length)]))
        }
        return result
    }
}

extension Caller {
    /// Runs `body` over the calling instance's exported memory "memory".
    func withGuestMemory<R>(_ body: (GuestMemory) throws -> R) throws -> R {
        guard case .memory(let memory)? = getExport("memory") else {
            throw Trap("WASI needs the module to export its memory as \"memory\"")
        }
        return try memory.withUnsafeMutableBytes(self) { try body(GuestMemory(bytes: $0)) }
    }
}
