/// SIMD operations that SSE4.1 has no single instruction for: each is a short sequence of
/// packed instructions with the exact WebAssembly semantics (those of `SIMDSemantics`,
/// including Kiln's deterministic choices for the relaxed operations). `r` is the result and
/// first operand, `b` and `c` the others (owned: they may be clobbered), `t` is xmm15 and
/// `f0`/`f1` the temporaries `simdTemporaries` asked for.
extension X64MacroAssembler {
    private typealias S = X64MacroAssembler

    /// The operations `compositeSIMD` compiles.
    static let compositeOps: SIMDOpSet = [
        .i8x16Shl, .i8x16ShrS, .i8x16ShrU, .i64x2ShrS,
        .i8x16Swizzle, .i8x16RelaxedSwizzle, .i8x16Popcnt,
        .i8x16LtS, .i8x16LtU, .i8x16GtU, .i8x16LeS, .i8x16LeU, .i8x16GeS, .i8x16GeU,
        .i16x8LtS, .i16x8LtU, .i16x8GtU, .i16x8LeS, .i16x8LeU, .i16x8GeS, .i16x8GeU,
        .i32x4LtS, .i32x4LtU, .i32x4GtU, .i32x4LeS, .i32x4LeU, .i32x4GeS, .i32x4GeU,
        .i64x2LtS, .i64x2LeS, .i64x2GeS,
        .i64x2Abs, .i64x2Mul,
        .f32x4Eq, .f32x4Ne, .f32x4Lt, .f32x4Gt, .f32x4Le, .f32x4Ge,
        .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Gt, .f64x2Le, .f64x2Ge,
        .f32x4Abs, .f32x4Neg, .f64x2Abs, .f64x2Neg,
        .f32x4Ceil, .f32x4Floor, .f32x4Trunc, .f32x4Nearest,
        .f64x2Ceil, .f64x2Floor, .f64x2Trunc, .f64x2Nearest,
        .f32x4Min, .f32x4Max, .f64x2Min, .f64x2Max,
        .f32x4RelaxedMin, .f32x4RelaxedMax, .f64x2RelaxedMin, .f64x2RelaxedMax,
        .f32x4Pmin, .f32x4Pmax, .f64x2Pmin, .f64x2Pmax,
        .i32x4TruncSatF32x4S, .i32x4TruncSatF32x4U, .i32x4TruncSatF64x2SZero, .i32x4TruncSatF64x2UZero,
        .i32x4RelaxedTruncF32x4S, .i32x4RelaxedTruncF32x4U, .i32x4RelaxedTruncF64x2SZero, .i32x4RelaxedTruncF64x2UZero,
        .f32x4ConvertI32x4U, .f64x2ConvertLowI32x4U, .f32x4DemoteF64x2Zero,
        .i16x8ExtendHighI8x16S, .i16x8ExtendHighI8x16U, .i32x4ExtendHighI16x8S, .i32x4ExtendHighI16x8U,
        .i64x2ExtendHighI32x4S, .i64x2ExtendHighI32x4U,
        .i16x8ExtaddPairwiseI8x16S, .i16x8ExtaddPairwiseI8x16U, .i32x4ExtaddPairwiseI16x8S, .i32x4ExtaddPairwiseI16x8U,
        .i16x8ExtmulLowI8x16S, .i16x8ExtmulHighI8x16S, .i16x8ExtmulLowI8x16U, .i16x8ExtmulHighI8x16U,
        .i32x4ExtmulLowI16x8S, .i32x4ExtmulHighI16x8S, .i32x4ExtmulLowI16x8U, .i32x4ExtmulHighI16x8U,
        .i64x2ExtmulLowI32x4S, .i64x2ExtmulHighI32x4S, .i64x2ExtmulLowI32x4U, .i64x2ExtmulHighI32x4U,
        .i16x8Q15mulrSatS, .i16x8RelaxedQ15mulrS,
        .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect,
        .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd,
        .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS,
    ]

    /// Temporary float registers the sequences need besides xmm15.
    static func compositeFPRs(_ op: SIMDOp) -> Int {
        switch op {
        case .i8x16Shl: 2
        case .i8x16ShrS, .i8x16ShrU, .i64x2ShrS, .i8x16Popcnt, .i64x2Mul,
            .i32x4TruncSatF32x4U, .i32x4RelaxedTruncF32x4U, .i32x4TruncSatF64x2SZero, .i32x4RelaxedTruncF64x2SZero,
            .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS:
            1
        default: 0
        }
    }

    // MARK: Constants

    static func bytes(_ v: UInt8) -> V128 { words64(UInt64(v) &* 0x0101_0101_0101_0101) }
    static func words16(_ v: UInt16) -> V128 { words64(UInt64(v) &* 0x0001_0001_0001_0001) }
    static func words32(_ v: UInt32) -> V128 { words64(UInt64(v) &* 0x0000_0001_0000_0001) }
    static func words64(_ v: UInt64) -> V128 { V128(lo: v, hi: v) }

    /// `dst = value` for an XMM register (xmm15 included).
    mutating func constant(_ dst: XMM, _ value: V128) {
        loadV128Constant(.fpr(dst.rawValue), value)
    }

    /// `dst = ~dst` (xmm15 is clobbered; `dst` must not be xmm15).
    private mutating func not(_ dst: XMM) {
        asm.packed(.pcmpeqd, S.scratchXMM, S.scratchXMM)
        asm.packed(.pxor, dst, S.scratchXMM)
    }

    /// `xmm = count & mask (+ add)` from the shift count in `count` (left intact), via r11.
    private mutating func shiftCount(_ xmm: XMM, _ count: GPR, mask: Int32, add: Int32 = 0) {
        asm.mov(.s32, S.scratch, count)
        asm.and(.s32, S.scratch, imm: mask)
        if add != 0 { asm.add(.s32, S.scratch, imm: add) }
        asm.movd(xmm, S.scratch)
    }

    // MARK: Sequences

    mutating func compositeSIMD(_ op: SIMDOp, _ o: SIMDOperands) {
        let r = x(o.result), t = S.scratchXMM
        let b = o.b.flatMap { $0.isFloat ? x($0) : nil } ?? t
        let f0 = o.fprs.first.map { x($0) } ?? t
        let f1 = o.fprs.count > 1 ? x(o.fprs[1]) : t
        switch op {
        // Shifts without an SSE form.
        case .i8x16Shl:
            // Word shifts carry bits into the next byte; clear them with (0xFF << n) per byte.
            if let count = o.immediate {
                let n = Int(count) & 7
                guard n != 0 else { return }
                asm.packed(.psllw, r, imm: UInt8(n))
                constant(t, S.bytes(UInt8(truncatingIfNeeded: 0xFF << n)))
                asm.packed(.pand, r, t)
            } else {
                shiftCount(f0, g(o.b!), mask: 7)
                asm.packed(.psllw, r, f0)
                asm.packed(.pcmpeqd, t, t)
                asm.packed(.psllw, t, f0)  // the low byte of each word is 0xFF << n
                asm.packed(.pxor, f1, f1)
                asm.packed(.pshufb, t, f1)  // ... in every byte
                asm.packed(.pand, r, t)
            }
        case .i8x16ShrS, .i8x16ShrU:
            // Each byte doubled into a word (b << 8 | b), shifted right by n + 8, packed back.
            let signed = op == .i8x16ShrS
            asm.packed(.movdqa, t, r)
            asm.packed(.punpckhbw, t, t)
            asm.packed(.punpcklbw, r, r)
            if let count = o.immediate {
                let n = UInt8(Int(count) & 7) + 8
                asm.packed(signed ? PackedShiftImmediateOp.psraw : .psrlw, r, imm: n)
                asm.packed(signed ? PackedShiftImmediateOp.psraw : .psrlw, t, imm: n)
            } else {
                shiftCount(f0, g(o.b!), mask: 7, add: 8)
                asm.packed(signed ? PackedOp.psraw : .psrlw, r, f0)
                asm.packed(signed ? PackedOp.psraw : .psrlw, t, f0)
            }
            asm.packed(signed ? PackedOp.packsswb : .packuswb, r, t)
        case .i64x2ShrS:
            // Logical shift, then sign-extend from bit 63 - n: (x ^ m) - m with m = 1 << (63 - n).
            if let count = o.immediate {
                let n = Int(count) & 63
                guard n != 0 else { return }
                asm.packed(.psrlq, r, imm: UInt8(n))
                constant(t, S.words64(UInt64(1) << UInt64(63 - n)))
            } else {
                shiftCount(f0, g(o.b!), mask: 63)
                asm.packed(.psrlq, r, f0)
                constant(t, S.words64(UInt64(1) << 63))
                asm.packed(.psrlq, t, f0)
            }
            asm.packed(.pxor, r, t)
            asm.packed(.psubq, r, t)

        // Byte selection and counting.
        case .i8x16Swizzle, .i8x16RelaxedSwizzle:
            // Indices 16 and up get their top bit set (saturating), which pshufb reads as zero.
            constant(t, S.bytes(0x70))
            asm.packed(.paddusb, b, t)
            asm.packed(.pshufb, r, b)
        case .i8x16Popcnt:
            // The bit count of each nibble from a 16-entry table, low plus high.
            asm.packed(.movdqa, f0, r)
            asm.packed(.psrlw, f0, imm: 4)
            constant(t, S.bytes(0x0F))
            asm.packed(.pand, r, t)
            asm.packed(.pand, f0, t)
            let table = V128(bytes: (0..<16).map { UInt8(($0 as Int).nonzeroBitCount) })
            constant(t, table)
            asm.packed(.pshufb, t, r)
            constant(r, table)
            asm.packed(.pshufb, r, f0)
            asm.packed(.paddb, r, t)

        // Integer comparisons: greater-than swapped, or equality with a min/max.
        case .i8x16LtS, .i16x8LtS, .i32x4LtS, .i64x2LtS:
            asm.packed(S.greaterSigned(op), b, r)
            asm.packed(.movdqa, r, b)
        case .i8x16GeS, .i16x8GeS, .i32x4GeS, .i8x16GeU, .i16x8GeU, .i32x4GeU:
            // a >= b exactly when max(a, b) == a.
            asm.packed(S.laneMax(op), b, r)
            asm.packed(S.laneEqual(op), r, b)
        case .i8x16LeS, .i16x8LeS, .i32x4LeS, .i8x16LeU, .i16x8LeU, .i32x4LeU:
            asm.packed(S.laneMin(op), b, r)
            asm.packed(S.laneEqual(op), r, b)
        case .i8x16GtU, .i16x8GtU, .i32x4GtU:
            // a > b exactly when min(a, b) != a.
            asm.packed(S.laneMin(op), b, r)
            asm.packed(S.laneEqual(op), r, b)
            not(r)
        case .i8x16LtU, .i16x8LtU, .i32x4LtU:
            asm.packed(S.laneMax(op), b, r)
            asm.packed(S.laneEqual(op), r, b)
            not(r)
        case .i64x2LeS:
            asm.packed(.pcmpgtq, r, b)
            not(r)
        case .i64x2GeS:
            asm.packed(.pcmpgtq, b, r)
            not(b)
            asm.packed(.movdqa, r, b)

        // Float comparisons: cmpps/cmppd predicates (0 eq, 1 lt, 2 le, 4 neq, unordered true).
        case .f32x4Eq, .f32x4Ne, .f32x4Lt, .f32x4Le, .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Le:
            asm.packed(S.isF64(op) ? PackedImmediateOp.cmppd : .cmpps, r, b, imm: S.comparePredicate(op))
        case .f32x4Gt, .f32x4Ge, .f64x2Gt, .f64x2Ge:
            asm.packed(S.isF64(op) ? PackedImmediateOp.cmppd : .cmpps, b, r, imm: S.comparePredicate(op))
            asm.packed(.movaps, r, b)

        // Sign bits.
        case .f32x4Abs:
            asm.packed(.pcmpeqd, t, t)
            asm.packed(.psrld, t, imm: 1)
            asm.packed(.andps, r, t)
        case .f64x2Abs:
            asm.packed(.pcmpeqd, t, t)
            asm.packed(.psrlq, t, imm: 1)
            asm.packed(.andpd, r, t)
        case .f32x4Neg:
            asm.packed(.pcmpeqd, t, t)
            asm.packed(.pslld, t, imm: 31)
            asm.packed(.xorps, r, t)
        case .f64x2Neg:
            asm.packed(.pcmpeqd, t, t)
            asm.packed(.psllq, t, imm: 63)
            asm.packed(.xorpd, r, t)
        case .i64x2Abs:
            // The sign of each lane spread over it, then (x ^ s) - s.
            asm.packed(.movdqa, t, r)
            asm.packed(.psrad, t, imm: 31)
            asm.packed(.pshufd, t, t, imm: 0xF5)
            asm.packed(.pxor, r, t)
            asm.packed(.psubq, r, t)
        case .i64x2Mul:
            // lo(a) * lo(b) + ((hi(a) * lo(b) + lo(a) * hi(b)) << 32), with 32x32->64 products.
            asm.packed(.movdqa, t, r)
            asm.packed(.psrlq, t, imm: 32)
            asm.packed(.pmuludq, t, b)
            asm.packed(.movdqa, f0, b)
            asm.packed(.psrlq, f0, imm: 32)
            asm.packed(.pmuludq, f0, r)
            asm.packed(.paddq, t, f0)
            asm.packed(.psllq, t, imm: 32)
            asm.packed(.pmuludq, r, b)
            asm.packed(.paddq, r, t)

        // Rounding (roundps/roundpd modes: 0 nearest even, 1 down, 2 up, 3 toward zero).
        case .f32x4Nearest: asm.packed(.roundps, r, r, imm: 0)
        case .f32x4Floor: asm.packed(.roundps, r, r, imm: 1)
        case .f32x4Ceil: asm.packed(.roundps, r, r, imm: 2)
        case .f32x4Trunc: asm.packed(.roundps, r, r, imm: 3)
        case .f64x2Nearest: asm.packed(.roundpd, r, r, imm: 0)
        case .f64x2Floor: asm.packed(.roundpd, r, r, imm: 1)
        case .f64x2Ceil: asm.packed(.roundpd, r, r, imm: 2)
        case .f64x2Trunc: asm.packed(.roundpd, r, r, imm: 3)

        // min/max: NaN in gives a quiet NaN out, and -0 < +0.
        case .f32x4Min, .f32x4RelaxedMin, .f64x2Min, .f64x2RelaxedMin:
            let f64 = S.isF64(op)
            // minps returns its second operand on NaN or equal zeros: both orders, or'ed, keep
            // -0 and any NaN.
            asm.packed(.movaps, t, r)
            asm.packed(f64 ? PackedOp.minpd : .minps, t, b)
            asm.packed(f64 ? PackedOp.minpd : .minps, b, r)
            asm.packed(.orps, t, b)
            quietNaNs(t, mask: b, spare: r, f64: f64)
            asm.packed(.movaps, r, t)
        case .f32x4Max, .f32x4RelaxedMax, .f64x2Max, .f64x2RelaxedMax:
            let f64 = S.isF64(op)
            // Both orders; where they differ (±0, NaN) the xor marks it: or it in, then
            // subtract it, which turns -0 into +0 and keeps NaN.
            asm.packed(.movaps, t, r)
            asm.packed(f64 ? PackedOp.maxpd : .maxps, t, b)
            asm.packed(f64 ? PackedOp.maxpd : .maxps, b, r)
            asm.packed(.xorps, b, t)
            asm.packed(.orps, t, b)
            asm.packed(f64 ? PackedOp.subpd : .subps, t, b)
            quietNaNs(t, mask: b, spare: r, f64: f64)
            asm.packed(.movaps, r, t)
        case .f32x4Pmin, .f64x2Pmin:
            // b < a ? b : a is minps b, a.
            asm.packed(S.isF64(op) ? PackedOp.minpd : .minps, b, r)
            asm.packed(.movaps, r, b)
        case .f32x4Pmax, .f64x2Pmax:
            // a < b ? b : a is maxps b, a.
            asm.packed(S.isF64(op) ? PackedOp.maxpd : .maxps, b, r)
            asm.packed(.movaps, r, b)

        // Conversions.
        case .i32x4TruncSatF32x4S, .i32x4RelaxedTruncF32x4S:
            asm.packed(.movaps, t, r)
            asm.packed(.cmpps, t, t, imm: 0)  // ones where not NaN
            asm.packed(.andps, r, t)  // NaN -> 0
            asm.packed(.pxor, t, r)  // ~x where not NaN: the sign bit is set for x >= 0
            asm.packed(.cvttps2dq, r, r)  // out of range -> 0x80000000
            asm.packed(.pand, t, r)
            asm.packed(.psrad, t, imm: 31)  // ones where x >= 2^31
            asm.packed(.pxor, r, t)  // 0x80000000 -> 0x7FFFFFFF there
        case .i32x4TruncSatF32x4U, .i32x4RelaxedTruncF32x4U:
            asm.packed(.xorps, t, t)
            asm.packed(.maxps, r, t)  // NaN and negatives -> 0
            asm.packed(.pcmpeqd, t, t)
            asm.packed(.psrld, t, imm: 1)
            asm.packed(.cvtdq2ps, t, t)  // 2^31
            asm.packed(.movaps, f0, r)
            asm.packed(.subps, f0, t)  // x - 2^31 (exact for x >= 2^31)
            asm.packed(.cmpps, t, f0, imm: 2)  // ones where 2^31 <= x - 2^31: x >= 2^32
            asm.packed(.cvttps2dq, f0, f0)
            asm.packed(.pxor, f0, t)  // 0x7FFFFFFF where x >= 2^32
            asm.packed(.pxor, t, t)
            asm.packed(.pmaxsd, f0, t)  // 0 where x < 2^31
            asm.packed(.cvttps2dq, r, r)  // 0x80000000 where x >= 2^31
            asm.packed(.paddd, r, f0)
        case .i32x4TruncSatF64x2SZero, .i32x4RelaxedTruncF64x2SZero:
            asm.packed(.movaps, t, r)
            asm.packed(.cmppd, t, t, imm: 0)  // ones where not NaN
            constant(f0, S.words64(Double(Int32.max).bitPattern))
            asm.packed(.andpd, f0, t)
            asm.packed(.minpd, r, f0)  // NaN -> 0 (the second operand), large -> 2^31 - 1
            asm.packed(.cvttpd2dq, r, r)  // small -> 0x80000000; the upper lanes zeroed
        case .i32x4TruncSatF64x2UZero, .i32x4RelaxedTruncF64x2UZero:
            asm.packed(.xorpd, t, t)
            asm.packed(.maxpd, r, t)  // NaN and negatives -> 0
            constant(t, S.words64(Double(UInt32.max).bitPattern))
            asm.packed(.minpd, r, t)
            asm.packed(.roundpd, r, r, imm: 3)
            constant(t, S.words64(0x4330_0000_0000_0000))  // 2^52: the integer in the low mantissa bits
            asm.packed(.addpd, r, t)
            asm.packed(.xorps, t, t)
            asm.packed(.shufps, r, t, imm: 0x88)  // the low words of both lanes, then zeros
        case .f32x4ConvertI32x4U:
            // The low 16 bits and the high 16 bits converted exactly, added with one rounding.
            asm.packed(.pxor, t, t)
            asm.packed(.pblendw, t, r, imm: 0x55)
            asm.packed(.psubd, r, t)
            asm.packed(.cvtdq2ps, t, t)
            asm.packed(.psrld, r, imm: 1)
            asm.packed(.cvtdq2ps, r, r)
            asm.packed(.addps, r, r)
            asm.packed(.addps, r, t)
        case .f64x2ConvertLowI32x4U:
            // 2^52 + u as the double with u in the low mantissa bits, minus 2^52.
            constant(t, S.words32(0x4330_0000))
            asm.packed(.unpcklps, r, t)
            constant(t, S.words64(0x4330_0000_0000_0000))
            asm.packed(.subpd, r, t)
        case .f32x4DemoteF64x2Zero:
            asm.packed(.cvtpd2ps, r, r)

        // Widening.
        case .i16x8ExtendHighI8x16S:
            asm.packed(.punpckhqdq, r, r)
            asm.packed(.pmovsxbw, r, r)
        case .i32x4ExtendHighI16x8S:
            asm.packed(.punpckhqdq, r, r)
            asm.packed(.pmovsxwd, r, r)
        case .i64x2ExtendHighI32x4S:
            asm.packed(.punpckhqdq, r, r)
            asm.packed(.pmovsxdq, r, r)
        case .i16x8ExtendHighI8x16U:
            asm.packed(.pxor, t, t)
            asm.packed(.punpckhbw, r, t)
        case .i32x4ExtendHighI16x8U:
            asm.packed(.pxor, t, t)
            asm.packed(.punpckhwd, r, t)
        case .i64x2ExtendHighI32x4U:
            asm.packed(.pxor, t, t)
            asm.packed(.punpckhdq, r, t)
        case .i16x8ExtaddPairwiseI8x16S:
            // pmaddubsw reads its destination unsigned, its source signed.
            constant(t, S.bytes(1))
            asm.packed(.pmaddubsw, t, r)
            asm.packed(.movdqa, r, t)
        case .i16x8ExtaddPairwiseI8x16U:
            constant(t, S.bytes(1))
            asm.packed(.pmaddubsw, r, t)
        case .i32x4ExtaddPairwiseI16x8S:
            constant(t, S.words16(1))
            asm.packed(.pmaddwd, r, t)
        case .i32x4ExtaddPairwiseI16x8U:
            asm.packed(.movdqa, t, r)
            asm.packed(.psrld, t, imm: 16)
            asm.packed(.pslld, r, imm: 16)
            asm.packed(.psrld, r, imm: 16)
            asm.packed(.paddd, r, t)
        case .i16x8ExtmulLowI8x16S:
            asm.packed(.pmovsxbw, r, r)
            asm.packed(.pmovsxbw, b, b)
            asm.packed(.pmullw, r, b)
        case .i16x8ExtmulHighI8x16S:
            asm.packed(.punpckhqdq, r, r)
            asm.packed(.punpckhqdq, b, b)
            asm.packed(.pmovsxbw, r, r)
            asm.packed(.pmovsxbw, b, b)
            asm.packed(.pmullw, r, b)
        case .i16x8ExtmulLowI8x16U:
            asm.packed(.pmovzxbw, r, r)
            asm.packed(.pmovzxbw, b, b)
            asm.packed(.pmullw, r, b)
        case .i16x8ExtmulHighI8x16U:
            asm.packed(.pxor, t, t)
            asm.packed(.punpckhbw, r, t)
            asm.packed(.punpckhbw, b, t)
            asm.packed(.pmullw, r, b)
        case .i32x4ExtmulLowI16x8S, .i32x4ExtmulHighI16x8S, .i32x4ExtmulLowI16x8U, .i32x4ExtmulHighI16x8U:
            // The low and high halves of the 32-bit products, interleaved.
            let signed = op == .i32x4ExtmulLowI16x8S || op == .i32x4ExtmulHighI16x8S
            let high = op == .i32x4ExtmulHighI16x8S || op == .i32x4ExtmulHighI16x8U
            asm.packed(.movdqa, t, r)
            asm.packed(.pmullw, r, b)
            asm.packed(signed ? PackedOp.pmulhw : .pmulhuw, t, b)
            asm.packed(high ? PackedOp.punpckhwd : .punpcklwd, r, t)
        case .i64x2ExtmulLowI32x4S, .i64x2ExtmulHighI32x4S, .i64x2ExtmulLowI32x4U, .i64x2ExtmulHighI32x4U:
            // Lanes 0 and 1 (or 2 and 3) moved to 0 and 2, then the 32x32->64 multiply.
            let signed = op == .i64x2ExtmulLowI32x4S || op == .i64x2ExtmulHighI32x4S
            let high = op == .i64x2ExtmulHighI32x4S || op == .i64x2ExtmulHighI32x4U
            let order: UInt8 = high ? 0xFA : 0x50
            asm.packed(.pshufd, r, r, imm: order)
            asm.packed(.pshufd, b, b, imm: order)
            asm.packed(signed ? PackedOp.pmuldq : .pmuludq, r, b)
        case .i16x8Q15mulrSatS, .i16x8RelaxedQ15mulrS:
            // pmulhrsw is exact but for -32768 * -32768, which gives 0x8000 instead of 0x7FFF.
            asm.packed(.pmulhrsw, r, b)
            constant(t, S.words16(0x8000))
            asm.packed(.pcmpeqw, t, r)
            asm.packed(.pxor, r, t)

        // Relaxed operations (Kiln's deterministic choices).
        case .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect:
            let c = x(o.c!)
            asm.packed(.pand, r, c)
            asm.packed(.pandn, c, b)
            asm.packed(.por, r, c)
        case .f32x4RelaxedMadd, .f64x2RelaxedMadd:
            let f64 = op == .f64x2RelaxedMadd
            asm.packed(f64 ? PackedOp.mulpd : .mulps, r, b)
            asm.packed(f64 ? PackedOp.addpd : .addps, r, x(o.c!))
        case .f32x4RelaxedNmadd, .f64x2RelaxedNmadd:
            // c - a * b, which rounds as -(a * b) + c does.
            let f64 = op == .f64x2RelaxedNmadd
            let c = x(o.c!)
            asm.packed(f64 ? PackedOp.mulpd : .mulps, r, b)
            asm.packed(f64 ? PackedOp.subpd : .subps, c, r)
            asm.packed(.movaps, r, c)
        case .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS:
            // Both operands signed: even and odd bytes sign-extended to words, multiplied,
            // the pairs added with saturation.
            asm.packed(.movdqa, t, r)
            asm.packed(.psllw, t, imm: 8)
            asm.packed(.psraw, t, imm: 8)
            asm.packed(.psraw, r, imm: 8)
            asm.packed(.movdqa, f0, b)
            asm.packed(.psllw, f0, imm: 8)
            asm.packed(.psraw, f0, imm: 8)
            asm.packed(.psraw, b, imm: 8)
            asm.packed(.pmullw, r, b)
            asm.packed(.pmullw, t, f0)
            asm.packed(.paddsw, r, t)
            if op == .i32x4RelaxedDotI8x16I7x16AddS {
                constant(t, S.words16(1))
                asm.packed(.pmaddwd, r, t)
                asm.packed(.paddd, r, x(o.c!))
            }
        default:
            preconditionFailure("\(op) is not supported on x86-64 yet (supportsSIMD said so)")
        }
    }

    /// NaN lanes of `value` (detected with `mask`, which is clobbered, as is `spare`) become
    /// the canonical quiet NaN (positive, no payload); other lanes are kept.
    private mutating func quietNaNs(_ value: XMM, mask: XMM, spare: XMM, f64: Bool) {
        asm.packed(f64 ? PackedImmediateOp.cmppd : .cmpps, mask, value, imm: 3)  // unordered
        asm.packed(f64 ? PackedOp.orpd : .orps, value, mask)  // all ones in NaN lanes
        // Clear the sign and the payload below the quiet bit there.
        asm.packed(.movdqa, spare, mask)
        if f64 {
            asm.packed(.psrlq, spare, imm: 13)
            asm.packed(.psllq, mask, imm: 63)
        } else {
            asm.packed(.psrld, spare, imm: 10)
            asm.packed(.pslld, mask, imm: 31)
        }
        asm.packed(.por, mask, spare)
        asm.packed(f64 ? PackedOp.andnpd : .andnps, mask, value)
        asm.packed(.movaps, value, mask)
    }

    static func isF64(_ op: SIMDOp) -> Bool {
        switch op {
        case .f64x2Eq, .f64x2Ne, .f64x2Lt, .f64x2Gt, .f64x2Le, .f64x2Ge, .f64x2Min, .f64x2Max,
            .f64x2RelaxedMin, .f64x2RelaxedMax, .f64x2Pmin, .f64x2Pmax:
            return true
        default:
            return false
        }
    }

    /// The cmpps predicate: lt and le also serve gt and ge with the operands swapped.
    static func comparePredicate(_ op: SIMDOp) -> UInt8 {
        switch op {
        case .f32x4Eq, .f64x2Eq: return 0
        case .f32x4Lt, .f64x2Lt, .f32x4Gt, .f64x2Gt: return 1
        case .f32x4Le, .f64x2Le, .f32x4Ge, .f64x2Ge: return 2
        default: return 4
        }
    }

    private static func laneWidth(_ op: SIMDOp) -> Int {
        switch op {
        case .i8x16LtS, .i8x16LtU, .i8x16GtU, .i8x16LeS, .i8x16LeU, .i8x16GeS, .i8x16GeU: return 8
        case .i16x8LtS, .i16x8LtU, .i16x8GtU, .i16x8LeS, .i16x8LeU, .i16x8GeS, .i16x8GeU: return 16
        case .i32x4LtS, .i32x4LtU, .i32x4GtU, .i32x4LeS, .i32x4LeU, .i32x4GeS, .i32x4GeU: return 32
        default: return 64
        }
    }

    private static func isSignedComparison(_ op: SIMDOp) -> Bool {
        switch op {
        case .i8x16LtS, .i8x16LeS, .i8x16GeS, .i16x8LtS, .i16x8LeS, .i16x8GeS,
            .i32x4LtS, .i32x4LeS, .i32x4GeS, .i64x2LtS, .i64x2LeS, .i64x2GeS:
            return true
        default:
            return false
        }
    }

    static func greaterSigned(_ op: SIMDOp) -> PackedOp {
        switch laneWidth(op) {
        case 8: return .pcmpgtb
        case 16: return .pcmpgtw
        case 32: return .pcmpgtd
        default: return .pcmpgtq
        }
    }

    private static func laneEqual(_ op: SIMDOp) -> PackedOp {
        switch laneWidth(op) {
        case 8: return .pcmpeqb
        case 16: return .pcmpeqw
        case 32: return .pcmpeqd
        default: return .pcmpeqq
        }
    }

    private static func laneMin(_ op: SIMDOp) -> PackedOp {
        let signed = isSignedComparison(op)
        switch laneWidth(op) {
        case 8: return signed ? .pminsb : .pminub
        case 16: return signed ? .pminsw : .pminuw
        default: return signed ? .pminsd : .pminud
        }
    }

    private static func laneMax(_ op: SIMDOp) -> PackedOp {
        let signed = isSignedComparison(op)
        switch laneWidth(op) {
        case 8: return signed ? .pmaxsb : .pmaxub
        case 16: return signed ? .pmaxsw : .pmaxuw
        default: return signed ? .pmaxsd : .pmaxud
        }
    }
}
