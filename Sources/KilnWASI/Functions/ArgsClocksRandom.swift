import Foundation

/// Arguments, environment, clocks, randomness, scheduling.
extension WASIContext {
    /// Writes `strings` NUL-terminated into `buffer` and their addresses into `pointers`.
    func writeStrings(_ strings: [[UInt8]], _ memory: GuestMemory, pointers: UInt32, buffer: UInt32) throws(Errno) {
        var at = buffer
        for (i, string) in strings.enumerated() {
            try memory.store(at, at: pointers &+ 4 &* UInt32(i))
            try memory.write(string + [0], at: at)
            at &+= UInt32(string.count + 1)
        }
    }

    func writeSizes(_ strings: [[UInt8]], _ memory: GuestMemory, count: UInt32, size: UInt32) throws(Errno) {
        try memory.store(UInt32(strings.count), at: count)
        try memory.store(UInt32(strings.reduce(0) { $0 + $1.count + 1 }), at: size)
    }

    static func hostClock(_ id: UInt32) throws(Errno) -> clockid_t {
        switch id {
        case 0: return CLOCK_REALTIME
        case 1: return CLOCK_MONOTONIC
        case 2: return CLOCK_PROCESS_CPUTIME_ID
        case 3: return CLOCK_THREAD_CPUTIME_ID
        default: throw .inval
        }
    }

    static func nanoseconds(_ time: timespec) -> UInt64 {
        UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    func clockResolution(_ id: UInt32, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        var time = timespec()
        guard clock_getres(try Self.hostClock(id), &time) == 0 else { throw Errno.last }
        try memory.store(Self.nanoseconds(time), at: result)
    }

    func clockTime(_ id: UInt32, _ memory: GuestMemory, result: UInt32) throws(Errno) {
        try memory.store(try Self.now(id), at: result)
    }

    static func now(_ id: UInt32) throws(Errno) -> UInt64 {
        var time = timespec()
        guard clock_gettime(try hostClock(id), &time) == 0 else { throw Errno.last }
        return nanoseconds(time)
    }

    func randomBytes(_ memory: GuestMemory, buffer: UInt32, length: UInt32) throws(Errno) {
        let range = try memory.range(buffer, length)
        var generator = SystemRandomNumberGenerator()
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            memory.bytes.storeBytes(of: generator.next(), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < range.upperBound {
            memory.bytes[i] = UInt8.random(in: 0...255, using: &generator)
            i += 1
        }
    }
}
