/// A small deterministic generator (SplitMix64): the same seed gives the same modules and
/// arguments on every machine.
///
/// Made from bytes (`init(bytes:)`), it takes its choices from those bytes first, one byte
/// per small choice, and only then goes on pseudo-randomly from their hash. That is what a
/// coverage-guided fuzzer needs: a mutation of a few input bytes changes a few decisions of
/// the generator, not the whole module, so inputs that reached new code stay worth mutating.
public struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64
    /// The choices still to take from the input (empty when made from a seed).
    private var input: ArraySlice<UInt8> = []

    public init(seed: UInt64) {
        state = seed
    }

    public init(bytes: [UInt8]) {
        state = Self.hash(bytes)
        input = bytes[...]
    }

    /// FNV-1a: stable across processes and machines.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    public mutating func next() -> UInt64 {
        if !input.isEmpty {
            var value: UInt64 = 0
            for byte in input.prefix(8) { value = value << 8 | UInt64(byte) }
            let taken = min(8, input.count)
            input = input.dropFirst(taken)
            // A short tail still fills every bit, so no choice is biased towards zero.
            return taken == 8 ? value : value ^ splitMix() << (8 * taken)
        }
        return splitMix()
    }

    private mutating func splitMix() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool {
        int(0..<100) < percent
    }

    public mutating func pick<C: RandomAccessCollection>(_ collection: C) -> C.Element where C.Index == Int {
        collection[int(collection.startIndex..<collection.endIndex)]
    }

    /// An element, or nil for an empty collection.
    public mutating func pickIfAny<C: RandomAccessCollection>(_ collection: C) -> C.Element? where C.Index == Int {
        collection.isEmpty ? nil : pick(collection)
    }

    public mutating func byte() -> UInt8 {
        UInt8(int(0...255))
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        if let byte = smallChoice(range.count) { return range.lowerBound + byte }
        return Int.random(in: range, using: &self)
    }

    public mutating func int(_ range: Range<Int>) -> Int {
        if let byte = smallChoice(range.count) { return range.lowerBound + byte }
        return Int.random(in: range, using: &self)
    }

    /// One input byte for a choice among at most 256 (so each decision is one byte a fuzzer
    /// can flip), or nil when there is no input left or the choice is wider.
    private mutating func smallChoice(_ count: Int) -> Int? {
        guard count > 0, count <= 256, let byte = input.first else { return nil }
        input = input.dropFirst()
        return Int(byte) % count
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
