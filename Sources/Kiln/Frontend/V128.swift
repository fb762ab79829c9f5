/// A 128-bit SIMD value, stored as two little-endian 64-bit halves.
public struct V128: Sendable, Hashable, CustomStringConvertible {
    public var lo: UInt64
    public var hi: UInt64

    @inlinable
    public init(lo: UInt64, hi: UInt64) {
        self.lo = lo
        self.hi = hi
    }

    public static let zero = V128(lo: 0, hi: 0)

    /// The 16 bytes in memory order.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "V128 needs 16 bytes")
        var lo: UInt64 = 0
        var hi: UInt64 = 0
        for i in 0..<8 {
            lo |= UInt64(bytes[i]) << UInt64(8 * i)
            hi |= UInt64(bytes[i + 8]) << UInt64(8 * i)
        }
        self.init(lo: lo, hi: hi)
    }

    public var bytes: [UInt8] {
        (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? lo : hi) >> UInt64(8 * (i % 8))) }
    }

    public var description: String {
        "0x" + bytes.reversed().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
