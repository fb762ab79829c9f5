/// SIMD on AArch64 (NEON, part of the base ARMv8-A). v128 values are whole V registers;
/// v30 (`tempV`), v31 (`scratchV`), x16 and x17 are free to clobber, so no operation asks
/// the code generator for temporaries. Semantics follow `SIMDSemantics`, relaxed SIMD
/// included (its deterministic choices: swizzle, trunc_sat, unfused madd, bitselect,
/// min/max, q15mulr_sat, signed dot products; the fused multiply-adds of the AArch64
/// flavor are in `AArch64MacroAssembler+Relaxed.swift`).
extension AArch64MacroAssembler {
    private typealias S = AArch64MacroAssembler
    private typealias A = AArch64.VectorArrangement

    /// `r = a op b` with one three-same instruction.
    private static let directBinary: SIMDOpMap<(AArch64.VectorThreeSame, A)> = [
        .i8x16Add: (.add, .b16), .i16x8Add: (.add, .h8), .i32x4Add: (.add, .s4), .i64x2Add: (.add, .d2),
        .i8x16Sub: (.sub, .b16), .i16x8Sub: (.sub, .h8), .i32x4Sub: (.sub, .s4), .i64x2Sub: (.sub, .d2),
        .i8x16AddSatS: (.sqadd, .b16), .i16x8AddSatS: (.sqadd, .h8), .i8x16AddSatU: (.uqadd, .b16), .i16x8AddSatU: (.uqadd, .h8),
        .i8x16SubSatS: (.sqsub, .b16), .i16x8SubSatS: (.sqsub, .h8), .i8x16SubSatU: (.uqsub, .b16), .i16x8SubSatU: (.uqsub, .h8),
        .i16x8Mul: (.mul, .h8), .i32x4Mul: (.mul, .s4),
        .i8x16MinS: (.smin, .b16), .i16x8MinS: (.smin, .h8), .i32x4MinS: (.smin, .s4),
        .i8x16MinU: (.umin, .b16), .i16x8MinU: (.umin, .h8), .i32x4MinU: (.umin, .s4),
        .i8x16MaxS: (.smax, .b16), .i16x8MaxS: (.smax, .h8), .i32x4MaxS: (.smax, .s4),
        .i8x16MaxU: (.umax, .b16), .i16x8MaxU: (.umax, .h8), .i32x4MaxU: (.umax, .s4),
        .i8x16AvgrU: (.urhadd, .b16), .i16x8AvgrU: (.urhadd, .h8),
        .i8x16Eq: (.cmeq, .b16), .i16x8Eq: (.cmeq, .h8), .i32x4Eq: (.cmeq, .s4), .i64x2Eq: (.cmeq, .d2),
        .i8x16GtS: (.cmgt, .b16), .i16x8GtS: (.cmgt, .h8), .i32x4GtS: (.cmgt, .s4), .i64x2GtS: (.cmgt, .d2),
        .i8x16GtU: (.cmhi, .b16), .i16x8GtU: (.cmhi, .h8), .i32x4GtU: (.cmhi, .s4),
        .i8x16GeS: (.cmge, .b16), .i16x8GeS: (.cmge, .h8), .i32x4GeS: (.cmge, .s4), .i64x2GeS: (.cmge, .d2),
        .i8x16GeU: (.cmhs, .b16), .i16x8GeU: (.cmhs, .h8), .i32x4GeU: (.cmhs, .s4),
        .f32x4Add: (.fadd, .s4), .f64x2Add: (.fadd, .d2), .f32x4Sub: (.fsub, .s4), .f64x2Sub: (.fsub, .d2),
        .f32x4Mul: (.fmul, .s4), .f64x2Mul: (.fmul, .d2), .f32x4Div: (.fdiv, .s4), .f64x2Div: (.fdiv, .d2),
        // NEON fmin/fmax propagate NaN and order -0 < +0, as wasm's min/max.
        .f32x4Min: (.fmin, .s4), .f64x2Min: (.fmin, .d2), .f32x4Max: (.fmax, .s4), .f64x2Max: (.fmax, .d2),
        .f32x4RelaxedMin: (.fmin, .s4), .f64x2RelaxedMin: (.fmin, .d2),
        .f32x4RelaxedMax: (.fmax, .s4), .f64x2RelaxedMax: (.fmax, .d2),
        .f32x4Eq: (.fcmeq, .s4), .f64x2Eq: (.fcmeq, .d2), .f32x4Gt: (.fcmgt, .s4), .f64x2Gt: (.fcmgt, .d2),
        .f32x4Ge: (.fcmge, .s4), .f64x2Ge: (.fcmge, .d2),
        // (a*b + 2^14) >> 15 saturated is sqrdmulh's (2*a*b + 2^15) >> 16.
        .i16x8Q15mulrSatS: (.sqrdmulh, .h8), .i16x8RelaxedQ15mulrS: (.sqrdmulh, .h8),
    ]

    /// `r = b op a`: the "less" comparisons as "greater" with the operands swapped.
    private static let swappedBinary: SIMDOpMap<(AArch64.VectorThreeSame, A)> = [
        .i8x16LtS: (.cmgt, .b16), .i16x8LtS: (.cmgt, .h8), .i32x4LtS: (.cmgt, .s4), .i64x2LtS: (.cmgt, .d2),
        .i8x16LtU: (.cmhi, .b16), .i16x8LtU: (.cmhi, .h8), .i32x4LtU: (.cmhi, .s4),
        .i8x16LeS: (.cmge, .b16), .i16x8LeS: (.cmge, .h8), .i32x4LeS: (.cmge, .s4), .i64x2LeS: (.cmge, .d2),
        .i8x16LeU: (.cmhs, .b16), .i16x8LeU: (.cmhs, .h8), .i32x4LeU: (.cmhs, .s4),
        .f32x4Lt: (.fcmgt, .s4), .f64x2Lt: (.fcmgt, .d2), .f32x4Le: (.fcmge, .s4), .f64x2Le: (.fcmge, .d2),
    ]

    /// `r = op a` with one two-register instruction.
    private static let directUnary: SIMDOpMap<(AArch64.VectorTwoMisc, A)> = [
        .v128Not: (.not, .b16), .i8x16Popcnt: (.cnt, .b16),
        .i8x16Abs: (.abs, .b16), .i16x8Abs: (.abs, .h8), .i32x4Abs: (.abs, .s4), .i64x2Abs: (.abs, .d2),
        .i8x16Neg: (.neg, .b16), .i16x8Neg: (.neg, .h8), .i32x4Neg: (.neg, .s4), .i64x2Neg: (.neg, .d2),
        .f32x4Abs: (.fabs, .s4), .f64x2Abs: (.fabs, .d2), .f32x4Neg: (.fneg, .s4), .f64x2Neg: (.fneg, .d2),
        .f32x4Sqrt: (.fsqrt, .s4), .f64x2Sqrt: (.fsqrt, .d2),
        .f32x4Ceil: (.frintp, .s4), .f64x2Ceil: (.frintp, .d2), .f32x4Floor: (.frintm, .s4), .f64x2Floor: (.frintm, .d2),
        .f32x4Trunc: (.frintz, .s4), .f64x2Trunc: (.frintz, .d2), .f32x4Nearest: (.frintn, .s4), .f64x2Nearest: (.frintn, .d2),
        // fcvtzs/fcvtzu saturate and give 0 for NaN: trunc_sat exactly.
        .i32x4TruncSatF32x4S: (.fcvtzs, .s4), .i32x4TruncSatF32x4U: (.fcvtzu, .s4),
        .i32x4RelaxedTruncF32x4S: (.fcvtzs, .s4), .i32x4RelaxedTruncF32x4U: (.fcvtzu, .s4),
        .f32x4ConvertI32x4S: (.scvtf, .s4), .f32x4ConvertI32x4U: (.ucvtf, .s4),
        .i16x8ExtaddPairwiseI8x16S: (.saddlp, .b16), .i16x8ExtaddPairwiseI8x16U: (.uaddlp, .b16),
        .i32x4ExtaddPairwiseI16x8S: (.saddlp, .h8), .i32x4ExtaddPairwiseI16x8U: (.uaddlp, .h8),
    ]

    /// Lane shifts: the arrangement, and whether right (arithmetic: `signed`).
    private static let shifts: SIMDOpMap<(A, right: Bool, signed: Bool)> = [
        .i8x16Shl: (.b16, false, false), .i8x16ShrS: (.b16, true, true), .i8x16ShrU: (.b16, true, false),
        .i16x8Shl: (.h8, false, false), .i16x8ShrS: (.h8, true, true), .i16x8ShrU: (.h8, true, false),
        .i32x4Shl: (.s4, false, false), .i32x4ShrS: (.s4, true, true), .i32x4ShrU: (.s4, true, false),
        .i64x2Shl: (.d2, false, false), .i64x2ShrS: (.d2, true, true), .i64x2ShrU: (.d2, true, false),
    ]

    /// Widening: the source arrangement (low half: 8b/4h/2s, high half: 16b/8h/4s) and
    /// whether unsigned.
    private static let extends: SIMDOpMap<(A, unsigned: Bool)> = [
        .i16x8ExtendLowI8x16S: (.b8, false), .i16x8ExtendHighI8x16S: (.b16, false),
        .i16x8ExtendLowI8x16U: (.b8, true), .i16x8ExtendHighI8x16U: (.b16, true),
        .i32x4ExtendLowI16x8S: (.h4, false), .i32x4ExtendHighI16x8S: (.h8, false),
        .i32x4ExtendLowI16x8U: (.h4, true), .i32x4ExtendHighI16x8U: (.h8, true),
        .i64x2ExtendLowI32x4S: (.s2, false), .i64x2ExtendHighI32x4S: (.s4, false),
        .i64x2ExtendLowI32x4U: (.s2, true), .i64x2ExtendHighI32x4U: (.s4, true),
    ]

    private static let extmuls: SIMDOpMap<(A, unsigned: Bool)> = [
        .i16x8ExtmulLowI8x16S: (.b8, false), .i16x8ExtmulHighI8x16S: (.b16, false),
        .i16x8ExtmulLowI8x16U: (.b8, true), .i16x8ExtmulHighI8x16U: (.b16, true),
        .i32x4ExtmulLowI16x8S: (.h4, false), .i32x4ExtmulHighI16x8S: (.h8, false),
        .i32x4ExtmulLowI16x8U: (.h4, true), .i32x4ExtmulHighI16x8U: (.h8, true),
        .i64x2ExtmulLowI32x4S: (.s2, false), .i64x2ExtmulHighI32x4S: (.s4, false),
        .i64x2ExtmulLowI32x4U: (.s2, true), .i64x2ExtmulHighI32x4U: (.s4, true),
    ]

    /// The operations `simd` handles outside the tables.
    private static let sequences: SIMDOpSet = [
        .i8x16Splat, .i16x8Splat, .i32x4Splat, .i64x2Splat, .f32x4Splat, .f64x2Splat,
        .i8x16Ne, .i16x8Ne, .i32x4Ne, .i64x2Ne, .f32x4Ne, .f64x2Ne,
        .v128And, .v128Or, .v128Xor, .v128AndNot, .v128Bitselect,
        .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect,
        .v128AnyTrue, .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue,
        .i8x16Bitmask, .i16x8Bitmask, .i32x4Bitmask, .i64x2Bitmask,
        .i8x16NarrowI16x8S, .i8x16NarrowI16x8U, .i16x8NarrowI32x4S, .i16x8NarrowI32x4U,
        .i32x4DotI16x8S, .i64x2Mul,
        .f32x4Pmin, .f32x4Pmax, .f64x2Pmin, .f64x2Pmax,
        .f32x4DemoteF64x2Zero, .f64x2PromoteLowF32x4,
        .i32x4TruncSatF64x2SZero, .i32x4TruncSatF64x2UZero, .i32x4RelaxedTruncF64x2SZero, .i32x4RelaxedTruncF64x2UZero,
        .f64x2ConvertLowI32x4S, .f64x2ConvertLowI32x4U,
        .i8x16Swizzle, .i8x16RelaxedSwizzle,
        .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd,
        .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS,
    ]

    static func supportsSIMD(_ op: SIMDOp) -> Bool {
        directBinary[op] != nil || swappedBinary[op] != nil || directUnary[op] != nil || shifts[op] != nil
            || extends[op] != nil || extmuls[op] != nil || sequences.contains(op)
    }

    static func simdTemporaries(_ op: SIMDOp) -> (gprs: Int, fprs: Int) { (0, 0) }

    static var laneTemporaries: (gprs: Int, fprs: Int) { (0, 0) }

    mutating func loadV128Constant(_ dst: Reg, _ value: V128) {
        loadV128Constant(v(dst), value)
    }

    /// Materializes a constant through x17.
    private mutating func loadV128Constant(_ d: V, _ value: V128) {
        if value.lo == 0 && value.hi == 0 {
            asm.movi(.d2, d, imm: 0)
        } else if value.lo == UInt64.max && value.hi == UInt64.max {
            asm.movi(.d2, d, imm: UInt64.max)
        } else {
            asm.mov(.x, S.temp, imm: value.lo)
            asm.fmov(.d, d, S.temp)
            if value.hi != 0 {
                asm.mov(.x, S.temp, imm: value.hi)
                asm.ins(3, d, lane: 1, S.temp)
            }
        }
    }

    // MARK: Operations

    mutating func simd(_ op: SIMDOp, _ o: SIMDOperands) {
        let t = S.scratchV, u = S.tempV
        if let form = S.directBinary[op] {
            asm.vector(form.0, form.1, v(o.result), v(o.a), v(o.b!))
            return
        }
        if let form = S.swappedBinary[op] {
            asm.vector(form.0, form.1, v(o.result), v(o.b!), v(o.a))
            return
        }
        if let form = S.directUnary[op] {
            asm.vector(form.0, form.1, v(o.result), v(o.a))
            return
        }
        if let form = S.shifts[op] {
            shift(form.0, right: form.right, signed: form.signed, o)
            return
        }
        if let form = S.extends[op] {
            asm.xtl(unsigned: form.unsigned, form.0, v(o.result), v(o.a))
            return
        }
        if let form = S.extmuls[op] {
            asm.mull(unsigned: form.unsigned, form.0, v(o.result), v(o.a), v(o.b!))
            return
        }
        switch op {
        case .i8x16Splat: asm.dup(.b16, v(o.result), g(o.a))
        case .i16x8Splat: asm.dup(.h8, v(o.result), g(o.a))
        case .i32x4Splat: asm.dup(.s4, v(o.result), g(o.a))
        case .i64x2Splat: asm.dup(.d2, v(o.result), g(o.a))
        case .f32x4Splat: asm.dup(.s4, v(o.result), v(o.a), lane: 0)
        case .f64x2Splat: asm.dup(.d2, v(o.result), v(o.a), lane: 0)
        case .i8x16Ne, .i16x8Ne, .i32x4Ne, .i64x2Ne, .f32x4Ne, .f64x2Ne:
            let r = v(o.result)
            switch op {
            case .i8x16Ne: asm.vector(.cmeq, .b16, r, v(o.a), v(o.b!))
            case .i16x8Ne: asm.vector(.cmeq, .h8, r, v(o.a), v(o.b!))
            case .i32x4Ne: asm.vector(.cmeq, .s4, r, v(o.a), v(o.b!))
            case .i64x2Ne: asm.vector(.cmeq, .d2, r, v(o.a), v(o.b!))
            case .f32x4Ne: asm.vector(.fcmeq, .s4, r, v(o.a), v(o.b!))
            default: asm.vector(.fcmeq, .d2, r, v(o.a), v(o.b!))
            }
            asm.vector(.not, .b16, r, r)
        case .v128And: asm.and(.b16, v(o.result), v(o.a), v(o.b!))
        case .v128Or: asm.orr(.b16, v(o.result), v(o.a), v(o.b!))
        case .v128Xor: asm.eor(.b16, v(o.result), v(o.a), v(o.b!))
        case .v128AndNot: asm.bic(.b16, v(o.result), v(o.a), v(o.b!))
        case .v128Bitselect, .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect:
            // (a & c) | (b & ~c): bif inserts b's bits where c is zero (result is a).
            asm.bif(.b16, v(o.result), v(o.b!), v(o.c!))
        case .v128AnyTrue:
            let d = g(o.result)
            asm.vector(.umaxv, .s4, t, v(o.a))
            asm.fmov(.s, d, t)
            asm.cmp(.w, d, imm: 0)
            asm.cset(.w, d, .ne)
        case .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue:
            // No lane equal to zero.
            let d = g(o.result)
            let arrangement: A
            switch op {
            case .i8x16AllTrue: arrangement = .b16
            case .i16x8AllTrue: arrangement = .h8
            case .i32x4AllTrue: arrangement = .s4
            default: arrangement = .d2
            }
            asm.vector(.cmeqZero, arrangement, t, v(o.a))
            asm.vector(.umaxv, .s4, t, t)
            asm.fmov(.s, d, t)
            asm.cmp(.w, d, imm: 0)
            asm.cset(.w, d, .eq)
        case .i8x16Bitmask:
            // Sign masks, each byte's bit weight, then bytes i and i+8 interleaved summed as
            // halfwords: the low byte collects lanes 0...7, the high byte lanes 8...15.
            let d = g(o.result)
            asm.sshr(.b16, t, v(o.a), imm: 7)
            loadV128Constant(u, V128(lo: 0x8040_2010_0804_0201, hi: 0x8040_2010_0804_0201))
            asm.and(.b16, t, t, u)
            asm.ext(u, t, t, 8)
            asm.permute(.zip1, .b16, t, t, u)
            asm.addv(.h8, t, t)
            asm.umov(1, d, t, lane: 0)
        case .i16x8Bitmask:
            let d = g(o.result)
            asm.sshr(.h8, t, v(o.a), imm: 15)
            loadV128Constant(u, V128(lo: 0x0008_0004_0002_0001, hi: 0x0080_0040_0020_0010))
            asm.and(.b16, t, t, u)
            asm.addv(.h8, t, t)
            asm.umov(1, d, t, lane: 0)
        case .i32x4Bitmask:
            let d = g(o.result)
            asm.sshr(.s4, t, v(o.a), imm: 31)
            loadV128Constant(u, V128(lo: 0x0000_0002_0000_0001, hi: 0x0000_0008_0000_0004))
            asm.and(.b16, t, t, u)
            asm.addv(.s4, t, t)
            asm.umov(2, d, t, lane: 0)
        case .i64x2Bitmask:
            let d = g(o.result)
            asm.ushr(.d2, t, v(o.a), imm: 63)
            asm.umov(3, S.scratch, t, lane: 0)
            asm.umov(3, S.temp, t, lane: 1)
            asm.add(.w, d, S.scratch, S.temp, .lsl, 1)
        case .i8x16NarrowI16x8S, .i8x16NarrowI16x8U, .i16x8NarrowI32x4S, .i16x8NarrowI32x4U:
            let source: A = op == .i8x16NarrowI16x8S || op == .i8x16NarrowI16x8U ? .h8 : .s4
            let narrow: AArch64.VectorNarrow = op == .i8x16NarrowI16x8S || op == .i16x8NarrowI32x4S ? .sqxtn : .sqxtun
            let r = v(o.result)
            asm.vector(narrow, source, r, v(o.a))
            asm.vector(narrow, source, r, v(o.b!), upper: true)
        case .i32x4DotI16x8S:
            asm.mull(unsigned: false, .h4, u, v(o.a), v(o.b!))
            asm.mull(unsigned: false, .h8, t, v(o.a), v(o.b!))
            asm.vector(.addp, .s4, v(o.result), u, t)
        case .i64x2Mul:
            let r = v(o.result), a = v(o.a), b = v(o.b!)
            for lane in 0..<2 {
                asm.umov(3, S.scratch, a, lane: lane)
                asm.umov(3, S.temp, b, lane: lane)
                asm.mul(.x, S.scratch, S.scratch, S.temp)
                asm.ins(3, r, lane: lane, S.scratch)
            }
        case .f32x4Pmin, .f64x2Pmin, .f32x4Pmax, .f64x2Pmax:
            // pmin: b < a ? b : a; pmax: a < b ? b : a.
            let arrangement: A = op == .f32x4Pmin || op == .f32x4Pmax ? .s4 : .d2
            let a = v(o.a), b = v(o.b!)
            if op == .f32x4Pmin || op == .f64x2Pmin {
                asm.vector(.fcmgt, arrangement, t, a, b)
            } else {
                asm.vector(.fcmgt, arrangement, t, b, a)
            }
            asm.bsl(.b16, t, b, a)
            asm.mov(.b16, v(o.result), t)
        case .f32x4DemoteF64x2Zero:
            asm.vector(.fcvtn, .d2, v(o.result), v(o.a))
        case .f64x2PromoteLowF32x4:
            asm.fcvtl(v(o.result), v(o.a))
        case .i32x4TruncSatF64x2SZero, .i32x4RelaxedTruncF64x2SZero:
            asm.vector(.fcvtzs, .d2, v(o.result), v(o.a))
            asm.vector(.sqxtn, .d2, v(o.result), v(o.result))
        case .i32x4TruncSatF64x2UZero, .i32x4RelaxedTruncF64x2UZero:
            asm.vector(.fcvtzu, .d2, v(o.result), v(o.a))
            asm.vector(.uqxtn, .d2, v(o.result), v(o.result))
        case .f64x2ConvertLowI32x4S:
            asm.xtl(unsigned: false, .s2, v(o.result), v(o.a))
            asm.vector(.scvtf, .d2, v(o.result), v(o.result))
        case .f64x2ConvertLowI32x4U:
            asm.xtl(unsigned: true, .s2, v(o.result), v(o.a))
            asm.vector(.ucvtf, .d2, v(o.result), v(o.result))
        case .i8x16Swizzle, .i8x16RelaxedSwizzle:
            // Indices 16 and up select 0, as tbl does.
            asm.tbl(v(o.result), v(o.a), count: 1, v(o.b!))
        case .f32x4RelaxedMadd, .f64x2RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedNmadd:
            // Unfused: the product is rounded, then added to (or subtracted from) c.
            let arrangement: A = op == .f32x4RelaxedMadd || op == .f32x4RelaxedNmadd ? .s4 : .d2
            let r = v(o.result)
            asm.vector(.fmul, arrangement, r, v(o.a), v(o.b!))
            if op == .f32x4RelaxedMadd || op == .f64x2RelaxedMadd {
                asm.vector(.fadd, arrangement, r, r, v(o.c!))
            } else {
                asm.vector(.fsub, arrangement, r, v(o.c!), r)
            }
        case .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS:
            // Signed byte products, even and odd ones separated, summed with saturation.
            let r = v(o.result)
            asm.mull(unsigned: false, .b8, u, v(o.a), v(o.b!))
            asm.mull(unsigned: false, .b16, t, v(o.a), v(o.b!))
            asm.permute(.uzp1, .h8, r, u, t)
            asm.permute(.uzp2, .h8, t, u, t)
            asm.vector(.sqadd, .h8, r, r, t)
            if op == .i32x4RelaxedDotI8x16I7x16AddS {
                asm.vector(.saddlp, .h8, r, r)
                asm.vector(.add, .s4, r, r, v(o.c!))
            }
        default:
            preconditionFailure("\(op) is not supported on AArch64 (supportsSIMD said so)")
        }
    }

    /// A lane shift; the count is masked to the lane width. Counts in a register shift by
    /// a vector of counts (sshl/ushl shift right for negative counts).
    private mutating func shift(_ arrangement: A, right: Bool, signed: Bool, _ o: SIMDOperands) {
        let r = v(o.result), a = v(o.a), bits = arrangement.laneBits
        if let immediate = o.immediate {
            let count = Int(immediate) & (bits - 1)
            if !right {
                asm.shl(arrangement, r, a, imm: count)
            } else if count == 0 {
                if r != a { asm.mov(.b16, r, a) }
            } else if signed {
                asm.sshr(arrangement, r, a, imm: count)
            } else {
                asm.ushr(arrangement, r, a, imm: count)
            }
            return
        }
        let t = S.scratchV, c = S.temp
        asm.and(.w, c, g(o.b!), imm: UInt64(bits - 1))
        if right { asm.neg(.w, c, c) }
        asm.dup(arrangement, t, c)
        asm.vector(signed ? .sshl : .ushl, arrangement, r, a, t)
    }

    // MARK: Lanes

    mutating func shuffle(_ o: SIMDOperands, lanes: V128) {
        // tbl with two registers needs them consecutive: a and b go to v30, v31.
        asm.mov(.b16, S.tempV, v(o.a))
        asm.mov(.b16, S.scratchV, v(o.b!))
        let r = v(o.result)
        loadV128Constant(r, lanes)
        asm.tbl(r, S.tempV, count: 2, r)
    }

    mutating func extractLane(_ op: SIMDLaneOp, lane: UInt8, _ o: SIMDOperands) {
        let a = v(o.a), i = Int(lane)
        switch op {
        case .i8x16S: asm.smov(.w, 0, g(o.result), a, lane: i)
        case .i8x16U: asm.umov(0, g(o.result), a, lane: i)
        case .i16x8S: asm.smov(.w, 1, g(o.result), a, lane: i)
        case .i16x8U: asm.umov(1, g(o.result), a, lane: i)
        case .i32x4: asm.umov(2, g(o.result), a, lane: i)
        case .i64x2: asm.umov(3, g(o.result), a, lane: i)
        case .f32x4: asm.dupScalar(2, v(o.result), a, lane: i)
        case .f64x2: asm.dupScalar(3, v(o.result), a, lane: i)
        case .i8x16, .i16x8:
            preconditionFailure("extract_lane has no unsigned-agnostic 8/16-bit form")
        }
    }

    mutating func replaceLane(_ op: SIMDLaneOp, lane: UInt8, _ o: SIMDOperands) {
        let r = v(o.result), i = Int(lane)
        switch op {
        case .i8x16: asm.ins(0, r, lane: i, g(o.b!))
        case .i16x8: asm.ins(1, r, lane: i, g(o.b!))
        case .i32x4: asm.ins(2, r, lane: i, g(o.b!))
        case .i64x2: asm.ins(3, r, lane: i, g(o.b!))
        case .f32x4: asm.ins(2, r, lane: i, v(o.b!), lane: 0)
        case .f64x2: asm.ins(3, r, lane: i, v(o.b!), lane: 0)
        default:
            preconditionFailure("replace_lane has no signed form")
        }
    }

    // MARK: Memory

    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, offset: UInt64, definitionOffset: Int32,
                             boundsTrap: Label?) {
        let m = wasmAddress(index: index, offset: offset, size: access.size, definitionOffset: definitionOffset, boundsTrap: boundsTrap)
        emitSIMDAccess(access, v(value), m)
    }

    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, is64: Bool, offset: UInt64,
                             definition: Reg, pinnedBase: Bool, boundsTrap: Label?) {
        let m = wasmAddress(index: index, is64: is64, offset: offset, size: access.size, definition: definition,
                            pinnedBase: pinnedBase, boundsTrap: boundsTrap)
        emitSIMDAccess(access, v(value), m)
    }

    /// The access at `m` (which never uses x17: partial loads and lane accesses go through it).
    private mutating func emitSIMDAccess(_ access: SIMDMemoryAccess, _ d: V, _ m: Address) {
        let t = S.temp
        switch access {
        case .store: asm.strQ(d, m)
        case .load(let op):
            switch op {
            case .v128Load: asm.ldrQ(d, m)
            case .load8x8S: asm.ldr(.d, d, m); asm.xtl(unsigned: false, .b8, d, d)
            case .load8x8U: asm.ldr(.d, d, m); asm.xtl(unsigned: true, .b8, d, d)
            case .load16x4S: asm.ldr(.d, d, m); asm.xtl(unsigned: false, .h4, d, d)
            case .load16x4U: asm.ldr(.d, d, m); asm.xtl(unsigned: true, .h4, d, d)
            case .load32x2S: asm.ldr(.d, d, m); asm.xtl(unsigned: false, .s2, d, d)
            case .load32x2U: asm.ldr(.d, d, m); asm.xtl(unsigned: true, .s2, d, d)
            case .load8Splat: asm.ldrb(t, m); asm.dup(.b16, d, t)
            case .load16Splat: asm.ldrh(t, m); asm.dup(.h8, d, t)
            case .load32Splat: asm.ldr(.w, t, m); asm.dup(.s4, d, t)
            case .load64Splat: asm.ldr(.x, t, m); asm.dup(.d2, d, t)
            case .load32Zero: asm.ldr(.s, d, m)
            case .load64Zero: asm.ldr(.d, d, m)
            }
        case .loadLane(let op, let lane):
            switch op {
            case .lane8: asm.ldrb(t, m)
            case .lane16: asm.ldrh(t, m)
            case .lane32: asm.ldr(.w, t, m)
            case .lane64: asm.ldr(.x, t, m)
            }
            asm.ins(UInt32(op.rawValue), d, lane: Int(lane), t)
        case .storeLane(let op, let lane):
            asm.umov(UInt32(op.rawValue), t, d, lane: Int(lane))
            switch op {
            case .lane8: asm.strb(t, m)
            case .lane16: asm.strh(t, m)
            case .lane32: asm.str(.w, t, m)
            case .lane64: asm.str(.x, t, m)
            }
        }
    }
}
