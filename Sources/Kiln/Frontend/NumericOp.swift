/// Instructions without immediates that compute on scalars: tests, comparisons,
/// arithmetic, conversions. The raw value is the opcode (`0xFC00 | n` for the
/// saturating truncations behind the `0xFC` prefix).
public enum NumericOp: UInt16, Sendable, CaseIterable {
    case i32Eqz = 0x45, i32Eq, i32Ne, i32LtS, i32LtU, i32GtS, i32GtU, i32LeS, i32LeU, i32GeS, i32GeU
    case i64Eqz = 0x50, i64Eq, i64Ne, i64LtS, i64LtU, i64GtS, i64GtU, i64LeS, i64LeU, i64GeS, i64GeU
    case f32Eq = 0x5B, f32Ne, f32Lt, f32Gt, f32Le, f32Ge
    case f64Eq = 0x61, f64Ne, f64Lt, f64Gt, f64Le, f64Ge
    case i32Clz = 0x67, i32Ctz, i32Popcnt
    case i32Add = 0x6A, i32Sub, i32Mul, i32DivS, i32DivU, i32RemS, i32RemU
    case i32And, i32Or, i32Xor, i32Shl, i32ShrS, i32ShrU, i32Rotl, i32Rotr
    case i64Clz = 0x79, i64Ctz, i64Popcnt
    case i64Add = 0x7C, i64Sub, i64Mul, i64DivS, i64DivU, i64RemS, i64RemU
    case i64And, i64Or, i64Xor, i64Shl, i64ShrS, i64ShrU, i64Rotl, i64Rotr
    case f32Abs = 0x8B, f32Neg, f32Ceil, f32Floor, f32Trunc, f32Nearest, f32Sqrt
    case f32Add = 0x92, f32Sub, f32Mul, f32Div, f32Min, f32Max, f32Copysign
    case f64Abs = 0x99, f64Neg, f64Ceil, f64Floor, f64Trunc, f64Nearest, f64Sqrt
    case f64Add = 0xA0, f64Sub, f64Mul, f64Div, f64Min, f64Max, f64Copysign
    case i32WrapI64 = 0xA7
    case i32TruncF32S, i32TruncF32U, i32TruncF64S, i32TruncF64U
    case i64ExtendI32S, i64ExtendI32U
    case i64TruncF32S, i64TruncF32U, i64TruncF64S, i64TruncF64U
    case f32ConvertI32S, f32ConvertI32U, f32ConvertI64S, f32ConvertI64U, f32DemoteF64
    case f64ConvertI32S, f64ConvertI32U, f64ConvertI64S, f64ConvertI64U, f64PromoteF32
    case i32ReinterpretF32, i64ReinterpretF64, f32ReinterpretI32, f64ReinterpretI64
    case i32Extend8S = 0xC0, i32Extend16S, i64Extend8S, i64Extend16S, i64Extend32S
    case i32TruncSatF32S = 0xFC00, i32TruncSatF32U, i32TruncSatF64S, i32TruncSatF64U
    case i64TruncSatF32S, i64TruncSatF32U, i64TruncSatF64S, i64TruncSatF64U

    /// The operator of a one-byte opcode in 0x45...0xC4. Those 128 opcodes are the first
    /// 128 cases, declared in opcode order without gaps, so a case's one-byte tag is its
    /// opcode minus 0x45 (`OperatorReaderTests` checks every one): no out-of-line
    /// `init(rawValue:)` for the commonest instructions.
    @inline(__always)
    init(singleByteOpcode opcode: UInt8) {
        precondition(opcode >= 0x45 && opcode <= 0xC4, "not a one-byte numeric opcode")
        self = unsafeBitCast(opcode &- 0x45, to: NumericOp.self)
    }

    /// Operand types (one or two) and the result type.
    public struct Signature: Sendable, Equatable {
        public var operands: (ValType, ValType?)
        public var result: ValType
        public init(operands: (ValType, ValType?), result: ValType) {
            self.operands = operands
            self.result = result
        }
        public static func == (a: Signature, b: Signature) -> Bool {
            a.operands.0 == b.operands.0 && a.operands.1 == b.operands.1 && a.result == b.result
        }
    }

    @inlinable
    public var signature: Signature {
        let op = rawValue
        func unary(_ operand: ValType, _ result: ValType) -> Signature { Signature(operands: (operand, nil), result: result) }
        func binary(_ operand: ValType, _ result: ValType) -> Signature { Signature(operands: (operand, operand), result: result) }
        switch op {
        case 0x45: return unary(.i32, .i32)
        case 0x46...0x4F: return binary(.i32, .i32)
        case 0x50: return unary(.i64, .i32)
        case 0x51...0x5A: return binary(.i64, .i32)
        case 0x5B...0x60: return binary(.f32, .i32)
        case 0x61...0x66: return binary(.f64, .i32)
        case 0x67...0x69: return unary(.i32, .i32)
        case 0x6A...0x78: return binary(.i32, .i32)
        case 0x79...0x7B: return unary(.i64, .i64)
        case 0x7C...0x8A: return binary(.i64, .i64)
        case 0x8B...0x91: return unary(.f32, .f32)
        case 0x92...0x98: return binary(.f32, .f32)
        case 0x99...0x9F: return unary(.f64, .f64)
        case 0xA0...0xA6: return binary(.f64, .f64)
        case 0xA7: return unary(.i64, .i32)
        case 0xA8, 0xA9: return unary(.f32, .i32)
        case 0xAA, 0xAB: return unary(.f64, .i32)
        case 0xAC, 0xAD: return unary(.i32, .i64)
        case 0xAE, 0xAF: return unary(.f32, .i64)
        case 0xB0, 0xB1: return unary(.f64, .i64)
        case 0xB2, 0xB3: return unary(.i32, .f32)
        case 0xB4, 0xB5: return unary(.i64, .f32)
        case 0xB6: return unary(.f64, .f32)
        case 0xB7, 0xB8: return unary(.i32, .f64)
        case 0xB9, 0xBA: return unary(.i64, .f64)
        case 0xBB: return unary(.f32, .f64)
        case 0xBC: return unary(.f32, .i32)
        case 0xBD: return unary(.f64, .i64)
        case 0xBE: return unary(.i32, .f32)
        case 0xBF: return unary(.i64, .f64)
        case 0xC0, 0xC1: return unary(.i32, .i32)
        case 0xC2...0xC4: return unary(.i64, .i64)
        case 0xFC00, 0xFC01: return unary(.f32, .i32)
        case 0xFC02, 0xFC03: return unary(.f64, .i32)
        case 0xFC04, 0xFC05: return unary(.f32, .i64)
        default: return unary(.f64, .i64)  // 0xFC06, 0xFC07
        }
    }
}
