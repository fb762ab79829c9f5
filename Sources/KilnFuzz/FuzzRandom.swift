/// A small deterministic generator (SplitMix64): the same seed gives the same modules and
/// arguments on every machine.
public struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &self) < percent
    }

    public mutating func pick<C: RandomAccessCollection>(_ collection: C) -> C.Element where C.Index == Int {
        collection[Int.random(in: collection.startIndex..<collection.endIndex, using: &self)]
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    public mutating func int(_ range: Range<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// Integers that find bugs: edges of the ranges more often than the middle.
    public mutating func interesting32() -> Int32 {
        switch int(0...9) {
        case 0: return pick([0, 1, -1, Int32.min, Int32.max, 31, 32, 63, 64, 0x7F, 0x80, 0xFFFF, 0x10000])
        case 1...3: return Int32(int(-16...16))
        default: return Int32(truncatingIfNeeded: next())
        }
    }

    public mutating func interesting64() -> Int64 {
        switch int(0...9) {
        case 0: return pick([0, 1, -1, Int64.min, Int64.max, Int64(Int32.min), Int64(Int32.max), 63, 64, 0xFFFF_FFFF])
        case 1...3: return Int64(int(-16...16))
        default: return Int64(bitPattern: next())
        }
    }

    public mutating func interestingF32() -> Float {
        switch int(0...9) {
        case 0: return pick([0, -0.0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
                             2_147_483_648, -2_147_483_904, 4_294_967_296])
        case 1...4: return Float(int(-100...100)) / 4
        default: return Float(bitPattern: UInt32(truncatingIfNeeded: next()))
        }
    }

    public mutating func interestingF64() -> Double {
        switch int(0...9) {
        case 0: return pick([0, -0.0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
                             9_223_372_036_854_775_808, -2_147_483_649, 4_294_967_296])
        case 1...4: return Double(int(-100...100)) / 4
        default: return Double(bitPattern: next())
        }
    }
}
