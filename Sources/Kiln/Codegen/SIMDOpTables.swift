/// A table from SIMD operations to what an ISA emits for them, written as a dictionary
/// literal but stored as an array indexed by the operation's sub-opcode: the code
/// generator looks one up for every SIMD instruction it compiles, and hashing an enum there
/// cost more than the rest of the lookup (a fifth of the compile time of SIMD-heavy code).
///
/// Invariant: `slots.count` is one more than the largest sub-opcode (`0x113`), so every
/// `SIMDOp` indexes it.
struct SIMDOpMap<Value>: ExpressibleByDictionaryLiteral {
    private var slots: [Value?]

    init(dictionaryLiteral elements: (SIMDOp, Value)...) {
        slots = Array(repeating: nil, count: Int(SIMDOp.largestRawValue) + 1)
        for (op, value) in elements {
            precondition(slots[Int(op.rawValue)] == nil, "\(op) is in the table twice")
            slots[Int(op.rawValue)] = value
        }
    }

    subscript(op: SIMDOp) -> Value? { slots[Int(op.rawValue)] }
}

/// A set of SIMD operations, written as an array literal, stored as a bit per sub-opcode.
struct SIMDOpSet: ExpressibleByArrayLiteral, Sendable {
    private var bits: [UInt64]

    init(arrayLiteral elements: SIMDOp...) {
        bits = Array(repeating: 0, count: Int(SIMDOp.largestRawValue) / 64 + 1)
        for op in elements { bits[Int(op.rawValue) / 64] |= 1 << (op.rawValue % 64) }
    }

    func contains(_ op: SIMDOp) -> Bool { bits[Int(op.rawValue) / 64] & (1 << (op.rawValue % 64)) != 0 }
}

extension SIMDOp {
    /// The largest sub-opcode of any SIMD operation.
    static let largestRawValue: UInt16 = allCases.map(\.rawValue).max()!
}

extension SIMDOpMap: Sendable where Value: Sendable {}
