/// Relaxed SIMD in AArch64's own forms (`RelaxedSIMDFlavor.aarch64`, used unless
/// `Config.relaxedSIMDDeterministic`). NEON's swizzle (`tbl`), truncations (`fcvtzs`,
/// `fcvtzu`), min/max (`fmin`, `fmax`), q15mulr (`sqrdmulh`) and laneselect (`bsl`) give the
/// deterministic results already, and the dot products have no cheaper baseline form, so
/// only the multiply-adds differ: fused (`fmla`, `fmls`), one rounding. The interpreter
/// computes the same results (`SIMDSemantics.relaxed`).
extension AArch64MacroAssembler {
    private typealias S = AArch64MacroAssembler

    static var relaxedFlavor: RelaxedSIMDFlavor { .aarch64 }

    static func nativeRelaxedTemporaries(_ op: SIMDOp) -> (gprs: Int, fprs: Int)? {
        switch op {
        case .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd:
            return (0, 0)
        default:
            return nil
        }
    }

    mutating func nativeRelaxed(_ op: SIMDOp, _ o: SIMDOperands) {
        switch op {
        case .f32x4RelaxedMadd, .f32x4RelaxedNmadd, .f64x2RelaxedMadd, .f64x2RelaxedNmadd:
            // c ± a * b accumulated in c (owned, so it may be clobbered), then moved to the result.
            let arrangement: AArch64.VectorArrangement = op == .f32x4RelaxedMadd || op == .f32x4RelaxedNmadd ? .s4 : .d2
            let negated = op == .f32x4RelaxedNmadd || op == .f64x2RelaxedNmadd
            let c = v(o.c!)
            asm.vector(negated ? AArch64.VectorThreeSame.fmls : .fmla, arrangement, c, v(o.a), v(o.b!))
            asm.mov(.b16, v(o.result), c)
        default:
            preconditionFailure("\(op) has no AArch64 form of its own (nativeRelaxedTemporaries said so)")
        }
    }
}
