/// SIMD instructions without immediates. The raw value is the sub-opcode after `0xFD`
/// (a LEB128 `u32` in the binary format; every SIMD sub-opcode fits in 16 bits, the relaxed
/// SIMD ones of WebAssembly 3.0 being `0x100...0x113`).
public enum SIMDOp: UInt16, Sendable, CaseIterable {
    case i8x16Swizzle = 14
    case i8x16Splat = 15, i16x8Splat, i32x4Splat, i64x2Splat, f32x4Splat, f64x2Splat
    case i8x16Eq = 35, i8x16Ne, i8x16LtS, i8x16LtU, i8x16GtS, i8x16GtU, i8x16LeS, i8x16LeU, i8x16GeS, i8x16GeU
    case i16x8Eq = 45, i16x8Ne, i16x8LtS, i16x8LtU, i16x8GtS, i16x8GtU, i16x8LeS, i16x8LeU, i16x8GeS, i16x8GeU
    case i32x4Eq = 55, i32x4Ne, i32x4LtS, i32x4LtU, i32x4GtS, i32x4GtU, i32x4LeS, i32x4LeU, i32x4GeS, i32x4GeU
    case f32x4Eq = 65, f32x4Ne, f32x4Lt, f32x4Gt, f32x4Le, f32x4Ge
    case f64x2Eq = 71, f64x2Ne, f64x2Lt, f64x2Gt, f64x2Le, f64x2Ge
    case v128Not = 77, v128And, v128AndNot, v128Or, v128Xor, v128Bitselect, v128AnyTrue
    case f32x4DemoteF64x2Zero = 94, f64x2PromoteLowF32x4
    case i8x16Abs = 96, i8x16Neg, i8x16Popcnt, i8x16AllTrue, i8x16Bitmask, i8x16NarrowI16x8S, i8x16NarrowI16x8U
    case f32x4Ceil = 103, f32x4Floor, f32x4Trunc, f32x4Nearest
    case i8x16Shl = 107, i8x16ShrS, i8x16ShrU, i8x16Add, i8x16AddSatS, i8x16AddSatU, i8x16Sub, i8x16SubSatS, i8x16SubSatU
    case f64x2Ceil = 116, f64x2Floor
    case i8x16MinS = 118, i8x16MinU, i8x16MaxS, i8x16MaxU
    case f64x2Trunc = 122
    case i8x16AvgrU = 123
    case i16x8ExtaddPairwiseI8x16S = 124, i16x8ExtaddPairwiseI8x16U, i32x4ExtaddPairwiseI16x8S, i32x4ExtaddPairwiseI16x8U
    case i16x8Abs = 128, i16x8Neg, i16x8Q15mulrSatS, i16x8AllTrue, i16x8Bitmask, i16x8NarrowI32x4S, i16x8NarrowI32x4U
    case i16x8ExtendLowI8x16S = 135, i16x8ExtendHighI8x16S, i16x8ExtendLowI8x16U, i16x8ExtendHighI8x16U
    case i16x8Shl = 139, i16x8ShrS, i16x8ShrU, i16x8Add, i16x8AddSatS, i16x8AddSatU, i16x8Sub, i16x8SubSatS, i16x8SubSatU
    case f64x2Nearest = 148
    case i16x8Mul = 149, i16x8MinS, i16x8MinU, i16x8MaxS, i16x8MaxU
    case i16x8AvgrU = 155
    case i16x8ExtmulLowI8x16S = 156, i16x8ExtmulHighI8x16S, i16x8ExtmulLowI8x16U, i16x8ExtmulHighI8x16U
    case i32x4Abs = 160, i32x4Neg
    case i32x4AllTrue = 163, i32x4Bitmask
    case i32x4ExtendLowI16x8S = 167, i32x4ExtendHighI16x8S, i32x4ExtendLowI16x8U, i32x4ExtendHighI16x8U
    case i32x4Shl = 171, i32x4ShrS, i32x4ShrU, i32x4Add
    case i32x4Sub = 177
    case i32x4Mul = 181, i32x4MinS, i32x4MinU, i32x4MaxS, i32x4MaxU, i32x4DotI16x8S
    case i32x4ExtmulLowI16x8S = 188, i32x4ExtmulHighI16x8S, i32x4ExtmulLowI16x8U, i32x4ExtmulHighI16x8U
    case i64x2Abs = 192, i64x2Neg
    case i64x2AllTrue = 195, i64x2Bitmask
    case i64x2ExtendLowI32x4S = 199, i64x2ExtendHighI32x4S, i64x2ExtendLowI32x4U, i64x2ExtendHighI32x4U
    case i64x2Shl = 203, i64x2ShrS, i64x2ShrU, i64x2Add
    case i64x2Sub = 209
    case i64x2Mul = 213, i64x2Eq, i64x2Ne, i64x2LtS, i64x2GtS, i64x2LeS, i64x2GeS
    case i64x2ExtmulLowI32x4S = 220, i64x2ExtmulHighI32x4S, i64x2ExtmulLowI32x4U, i64x2ExtmulHighI32x4U
    case f32x4Abs = 224, f32x4Neg
    case f32x4Sqrt = 227, f32x4Add, f32x4Sub, f32x4Mul, f32x4Div, f32x4Min, f32x4Max, f32x4Pmin, f32x4Pmax
    case f64x2Abs = 236, f64x2Neg
    case f64x2Sqrt = 239, f64x2Add, f64x2Sub, f64x2Mul, f64x2Div, f64x2Min, f64x2Max, f64x2Pmin, f64x2Pmax
    case i32x4TruncSatF32x4S = 248, i32x4TruncSatF32x4U, f32x4ConvertI32x4S, f32x4ConvertI32x4U
    case i32x4TruncSatF64x2SZero = 252, i32x4TruncSatF64x2UZero, f64x2ConvertLowI32x4S, f64x2ConvertLowI32x4U

    // Relaxed SIMD (WebAssembly 3.0). Their results may depend on the implementation; Kiln's
    // choice (the spec's deterministic profile) is documented on `SIMDSemantics`.
    case i8x16RelaxedSwizzle = 0x100
    case i32x4RelaxedTruncF32x4S = 0x101, i32x4RelaxedTruncF32x4U, i32x4RelaxedTruncF64x2SZero, i32x4RelaxedTruncF64x2UZero
    case f32x4RelaxedMadd = 0x105, f32x4RelaxedNmadd, f64x2RelaxedMadd, f64x2RelaxedNmadd
    case i8x16RelaxedLaneselect = 0x109, i16x8RelaxedLaneselect, i32x4RelaxedLaneselect, i64x2RelaxedLaneselect
    case f32x4RelaxedMin = 0x10D, f32x4RelaxedMax, f64x2RelaxedMin, f64x2RelaxedMax
    case i16x8RelaxedQ15mulrS = 0x111
    case i16x8RelaxedDotI8x16I7x16S = 0x112, i32x4RelaxedDotI8x16I7x16AddS

    /// How the operands and result of a SIMD operation are typed.
    public enum Shape: Sendable, Equatable {
        /// `v128 -> v128`
        case unary
        /// `v128 v128 -> v128`
        case binary
        /// `v128 v128 v128 -> v128`
        case ternary
        /// `v128 -> i32`
        case test
        /// `v128 i32 -> v128`
        case shift
        /// `t -> v128`
        case splat(ValType)
    }

    @inlinable
    public var shape: Shape {
        switch self {
        case .i8x16Splat, .i16x8Splat, .i32x4Splat: return .splat(.i32)
        case .i64x2Splat: return .splat(.i64)
        case .f32x4Splat: return .splat(.f32)
        case .f64x2Splat: return .splat(.f64)
        case .v128Bitselect, .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd,
            .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect,
            .i32x4RelaxedDotI8x16I7x16AddS:
            return .ternary
        case .v128AnyTrue, .i8x16AllTrue, .i8x16Bitmask, .i16x8AllTrue, .i16x8Bitmask,
            .i32x4AllTrue, .i32x4Bitmask, .i64x2AllTrue, .i64x2Bitmask:
            return .test
        case .i8x16Shl, .i8x16ShrS, .i8x16ShrU, .i16x8Shl, .i16x8ShrS, .i16x8ShrU,
            .i32x4Shl, .i32x4ShrS, .i32x4ShrU, .i64x2Shl, .i64x2ShrS, .i64x2ShrU:
            return .shift
        case .v128Not, .f32x4DemoteF64x2Zero, .f64x2PromoteLowF32x4,
            .i8x16Abs, .i8x16Neg, .i8x16Popcnt,
            .f32x4Ceil, .f32x4Floor, .f32x4Trunc, .f32x4Nearest,
            .f64x2Ceil, .f64x2Floor, .f64x2Trunc, .f64x2Nearest,
            .i16x8ExtaddPairwiseI8x16S, .i16x8ExtaddPairwiseI8x16U,
            .i32x4ExtaddPairwiseI16x8S, .i32x4ExtaddPairwiseI16x8U,
            .i16x8Abs, .i16x8Neg,
            .i16x8ExtendLowI8x16S, .i16x8ExtendHighI8x16S, .i16x8ExtendLowI8x16U, .i16x8ExtendHighI8x16U,
            .i32x4Abs, .i32x4Neg,
            .i32x4ExtendLowI16x8S, .i32x4ExtendHighI16x8S, .i32x4ExtendLowI16x8U, .i32x4ExtendHighI16x8U,
            .i64x2Abs, .i64x2Neg,
            .i64x2ExtendLowI32x4S, .i64x2ExtendHighI32x4S, .i64x2ExtendLowI32x4U, .i64x2ExtendHighI32x4U,
            .f32x4Abs, .f32x4Neg, .f32x4Sqrt, .f64x2Abs, .f64x2Neg, .f64x2Sqrt,
            .i32x4TruncSatF32x4S, .i32x4TruncSatF32x4U, .f32x4ConvertI32x4S, .f32x4ConvertI32x4U,
            .i32x4TruncSatF64x2SZero, .i32x4TruncSatF64x2UZero, .f64x2ConvertLowI32x4S, .f64x2ConvertLowI32x4U,
            .i32x4RelaxedTruncF32x4S, .i32x4RelaxedTruncF32x4U, .i32x4RelaxedTruncF64x2SZero, .i32x4RelaxedTruncF64x2UZero:
            return .unary
        default:
            return .binary
        }
    }
}
