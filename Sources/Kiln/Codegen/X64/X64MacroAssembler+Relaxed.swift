/// Relaxed SIMD in x86-64's own forms (`RelaxedSIMDFlavor.x86_64`, used unless
/// `Config.relaxedSIMDDeterministic`): single SSE instructions where the deterministic
/// sequences (`compositeSIMD`) need several. The interpreter computes the same results
/// (`SIMDSemantics.relaxed`). Laneselect, the multiply-adds and the unsigned truncations
/// have no cheaper form here and keep the deterministic sequences.
extension X64MacroAssembler {
    private typealias S = X64MacroAssembler

    static var relaxedFlavor: RelaxedSIMDFlavor { .x86_64 }

    static func nativeRelaxedTemporaries(_ op: SIMDOp) -> (gprs: Int, fprs: Int)? {
        switch op {
        case .i8x16RelaxedSwizzle, .f32x4RelaxedMin, .f32x4RelaxedMax, .f64x2RelaxedMin, .f64x2RelaxedMax,
            .i32x4RelaxedTruncF32x4S, .i32x4RelaxedTruncF64x2SZero, .i16x8RelaxedQ15mulrS,
            .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS:
            return (0, 0)
        default:
            return nil
        }
    }

    mutating func nativeRelaxed(_ op: SIMDOp, _ o: SIMDOperands) {
        let r = x(o.result)
        switch op {
        case .i8x16RelaxedSwizzle:
            // Index bytes with the top bit set select 0, the others byte index & 15.
            asm.packed(.pshufb, r, x(o.b!))
        // a < b ? a : b (a > b ? a : b): the second operand on NaN and on equal zeros.
        case .f32x4RelaxedMin: asm.packed(.minps, r, x(o.b!))
        case .f64x2RelaxedMin: asm.packed(.minpd, r, x(o.b!))
        case .f32x4RelaxedMax: asm.packed(.maxps, r, x(o.b!))
        case .f64x2RelaxedMax: asm.packed(.maxpd, r, x(o.b!))
        // NaN and out of range give 0x80000000; cvttpd2dq zeroes the upper lanes.
        case .i32x4RelaxedTruncF32x4S: asm.packed(.cvttps2dq, r, r)
        case .i32x4RelaxedTruncF64x2SZero: asm.packed(.cvttpd2dq, r, r)
        case .i16x8RelaxedQ15mulrS:
            // -32768 * -32768 gives -32768.
            asm.packed(.pmulhrsw, r, x(o.b!))
        case .i16x8RelaxedDotI8x16I7x16S, .i32x4RelaxedDotI8x16I7x16AddS:
            // pmaddubsw's destination is the unsigned operand: b's bytes unsigned, a's signed,
            // pairs summed with saturation. b is owned, so it takes the result first.
            let b = x(o.b!)
            asm.packed(.pmaddubsw, b, r)
            asm.packed(.movdqa, r, b)
            if op == .i32x4RelaxedDotI8x16I7x16AddS {
                let t = S.scratchXMM
                constant(t, S.words16(1))
                asm.packed(.pmaddwd, r, t)
                asm.packed(.paddd, r, x(o.c!))
            }
        default:
            preconditionFailure("\(op) has no x86-64 form of its own (nativeRelaxedTemporaries said so)")
        }
    }
}
