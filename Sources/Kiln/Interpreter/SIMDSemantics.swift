/// The semantics of the WebAssembly 2.0 fixed-width SIMD (`v128`) instructions,
/// as pure functions on `V128` values.
///
/// Lanes are read by reinterpreting the two 64-bit halves as a Swift SIMD vector,
/// which matches the WebAssembly lane order (lane 0 = lowest-addressed bytes) only
/// on little-endian hosts; every platform Kiln targets is little-endian.
///
/// **Relaxed SIMD** (WebAssembly 3.0, `0xFD 0x100...0x113`). The specification lets each
/// relaxed operation pick among a few results; the choice is a global parameter, fixed for
/// the implementation. Kiln has three such choices, its *flavors* (`RelaxedSIMDFlavor`), each
/// deterministic: the same operands always give the same bits. `Config.relaxedSIMDDeterministic`
/// picks `.deterministic` on every host; otherwise (the default) the flavor of the ISA the
/// JIT compiles for (`RelaxedSIMDFlavor.host`), and the interpreter computes that flavor too,
/// so both engines of one host agree.
///
/// `.deterministic` is the specification's *deterministic profile* (every parameter 0):
///
/// - `i8x16.relaxed_swizzle` is `i8x16.swizzle`: indices 16 and up select 0.
/// - `i32x4.relaxed_trunc_*` are the `trunc_sat` conversions: NaN gives 0, out-of-range
///   values saturate.
/// - `relaxed_madd` is *unfused*, `a * b + c` with two roundings (not `fma`); `relaxed_nmadd`
///   is `-a * b + c`, likewise unfused.
/// - `relaxed_laneselect` (any lane width) is `v128.bitselect` on the mask's bits, not on the
///   top bit of each lane.
/// - `relaxed_min`/`relaxed_max` are `min`/`max`: NaN in, NaN out, and -0 < +0.
/// - `i16x8.relaxed_q15mulr_s` is `i16x8.q15mulr_sat_s`: `-32768 * -32768` gives 32767.
/// - The relaxed dot products read the second operand's bytes as *signed*; the i16 sum of
///   each pair of products saturates (`i16x8.relaxed_dot_i8x16_i7x16_s`), and the `_add`
///   form adds adjacent i16 sums into i32 lanes, then adds the third operand (wrapping).
///
/// `.x86_64` is what single SSE instructions give, where that is cheaper; the rest as above:
///
/// - `i8x16.relaxed_swizzle` is `pshufb`: an index byte with its top bit set selects 0, any
///   other selects byte `index & 15` (so 16 selects byte 0, not 0).
/// - `f32x4/f64x2.relaxed_min a b` is `minps/minpd a, b`: `a < b ? a : b`, so the *second*
///   operand, bit for bit, whenever either is NaN or both are zero; `relaxed_max` is
///   `maxps/maxpd`: `a > b ? a : b`, likewise the second operand then.
/// - `i32x4.relaxed_trunc_f32x4_s` is `cvttps2dq` and `relaxed_trunc_f64x2_s_zero` is
///   `cvttpd2dq`: NaN and values out of the i32 range give `0x80000000` (-2^31). The
///   unsigned truncations stay `trunc_sat` (SSE has no unsigned conversion to save on).
/// - `i16x8.relaxed_q15mulr_s` is `pmulhrsw`: `(a * b + 2^14) >> 15` wrapped to 16 bits, so
///   `-32768 * -32768` gives -32768.
/// - `i16x8.relaxed_dot_i8x16_i7x16_s` is `pmaddubsw` with the second operand as its
///   unsigned one: lane i is `a[2i] * b[2i] + a[2i+1] * b[2i+1]` with the bytes of `a` signed
///   and those of `b` *unsigned* (0...255), the sum saturated to i16; it differs from the
///   deterministic flavor only where `b` has bytes >= 0x80. The `_add` form adds those
///   saturated i16 sums in adjacent pairs into i32 lanes (`pmaddwd` with ones), then the
///   third operand (wrapping).
/// - `relaxed_laneselect` stays `bitselect` (SSE's `pblendvb` wants the mask in xmm0 and
///   would cost moves), and `relaxed_madd`/`relaxed_nmadd` stay unfused (no FMA in SSE4.1).
///
/// `.aarch64`: NEON's own forms of swizzle (`tbl`), trunc (`fcvtzs`/`fcvtzu`, saturating),
/// min/max (`fmin`/`fmax`), q15mulr (`sqrdmulh`, saturating) and laneselect (`bsl`) are the
/// deterministic results already, and the dot products have no cheaper baseline form
/// (`sdot` is optional), so only the multiply-adds differ:
///
/// - `relaxed_madd` is *fused* (`fmla`): `fma(a, b, c)`, one rounding; `relaxed_nmadd` is
///   `fmls`: `fma(-a, b, c)`, one rounding.
///
/// Each is a result the specification allows, so the spec tests' `either` alternatives accept it.
/// The results Kiln gives the relaxed SIMD operations (see `SIMDSemantics`). The raw value
/// goes into the interpreter's code beside the operation.
enum RelaxedSIMDFlavor: UInt8, Sendable, Hashable {
    /// The specification's deterministic profile, the same on every host.
    case deterministic = 0
    /// The single SSE instructions' results.
    case x86_64 = 1
    /// NEON's results (fused multiply-adds).
    case aarch64 = 2

    /// The flavor of the ISA the JIT compiles for on this host.
    static var host: RelaxedSIMDFlavor {
        #if arch(x86_64)
        return .x86_64
        #elseif arch(arm64)
        return .aarch64
        #else
        return .deterministic
        #endif
    }

    /// `.deterministic` when `deterministic` (`Config.relaxedSIMDDeterministic`), else `host`.
    init(deterministic: Bool) {
        self = deterministic ? .deterministic : RelaxedSIMDFlavor.host
    }
}

enum SIMDSemantics {

    // MARK: Unary (v128 -> v128)

    static func unary(_ op: SIMDOp, _ a: V128, flavor: RelaxedSIMDFlavor = .deterministic) -> V128 {
        if flavor != .deterministic, let native = relaxed(op, flavor, a, a, a) { return native }
        switch op {
        case .v128Not:
            return V128(lo: ~a.lo, hi: ~a.hi)

        case .f32x4DemoteF64x2Zero:
            let d = a.lanesF64
            return V128(lanes: SIMD4<Float>(Float(d[0]), Float(d[1]), 0, 0))
        case .f64x2PromoteLowF32x4:
            let f = a.lanesF32
            return V128(lanes: SIMD2<Double>(Double(f[0]), Double(f[1])))

        case .i8x16Abs: return V128(lanes: wrappingAbs(a.lanesI8))
        case .i8x16Neg: return V128(lanes: 0 &- a.lanesI8)
        case .i8x16Popcnt: return V128(lo: bytePopcount(a.lo), hi: bytePopcount(a.hi))
        case .i16x8Abs: return V128(lanes: wrappingAbs(a.lanesI16))
        case .i16x8Neg: return V128(lanes: 0 &- a.lanesI16)
        case .i32x4Abs: return V128(lanes: wrappingAbs(a.lanesI32))
        case .i32x4Neg: return V128(lanes: 0 &- a.lanesI32)
        case .i64x2Abs: return V128(lanes: wrappingAbs(a.lanesI64))
        case .i64x2Neg: return V128(lanes: 0 &- a.lanesI64)

        case .f32x4Ceil: return V128(lanes: a.lanesF32.rounded(.up))
        case .f32x4Floor: return V128(lanes: a.lanesF32.rounded(.down))
        case .f32x4Trunc: return V128(lanes: a.lanesF32.rounded(.towardZero))
        case .f32x4Nearest: return V128(lanes: a.lanesF32.rounded(.toNearestOrEven))
        case .f64x2Ceil: return V128(lanes: a.lanesF64.rounded(.up))
        case .f64x2Floor: return V128(lanes: a.lanesF64.rounded(.down))
        case .f64x2Trunc: return V128(lanes: a.lanesF64.rounded(.towardZero))
        case .f64x2Nearest: return V128(lanes: a.lanesF64.rounded(.toNearestOrEven))

        case .i16x8ExtaddPairwiseI8x16S:
            let v = a.lanesI8
            return V128(lanes: SIMD8<Int16>(truncatingIfNeeded: v.evenHalf) &+ SIMD8<Int16>(truncatingIfNeeded: v.oddHalf))
        case .i16x8ExtaddPairwiseI8x16U:
            let v = a.lanesU8
            return V128(lanes: SIMD8<UInt16>(truncatingIfNeeded: v.evenHalf) &+ SIMD8<UInt16>(truncatingIfNeeded: v.oddHalf))
        case .i32x4ExtaddPairwiseI16x8S:
            let v = a.lanesI16
            return V128(lanes: SIMD4<Int32>(truncatingIfNeeded: v.evenHalf) &+ SIMD4<Int32>(truncatingIfNeeded: v.oddHalf))
        case .i32x4ExtaddPairwiseI16x8U:
            let v = a.lanesU16
            return V128(lanes: SIMD4<UInt32>(truncatingIfNeeded: v.evenHalf) &+ SIMD4<UInt32>(truncatingIfNeeded: v.oddHalf))

        // Extension from a signed SIMD type sign-extends, from an unsigned one zero-extends.
        case .i16x8ExtendLowI8x16S: return V128(lanes: SIMD8<Int16>(truncatingIfNeeded: a.lanesI8.lowHalf))
        case .i16x8ExtendHighI8x16S: return V128(lanes: SIMD8<Int16>(truncatingIfNeeded: a.lanesI8.highHalf))
        case .i16x8ExtendLowI8x16U: return V128(lanes: SIMD8<UInt16>(truncatingIfNeeded: a.lanesU8.lowHalf))
        case .i16x8ExtendHighI8x16U: return V128(lanes: SIMD8<UInt16>(truncatingIfNeeded: a.lanesU8.highHalf))
        case .i32x4ExtendLowI16x8S: return V128(lanes: SIMD4<Int32>(truncatingIfNeeded: a.lanesI16.lowHalf))
        case .i32x4ExtendHighI16x8S: return V128(lanes: SIMD4<Int32>(truncatingIfNeeded: a.lanesI16.highHalf))
        case .i32x4ExtendLowI16x8U: return V128(lanes: SIMD4<UInt32>(truncatingIfNeeded: a.lanesU16.lowHalf))
        case .i32x4ExtendHighI16x8U: return V128(lanes: SIMD4<UInt32>(truncatingIfNeeded: a.lanesU16.highHalf))
        case .i64x2ExtendLowI32x4S: return V128(lanes: SIMD2<Int64>(truncatingIfNeeded: a.lanesI32.lowHalf))
        case .i64x2ExtendHighI32x4S: return V128(lanes: SIMD2<Int64>(truncatingIfNeeded: a.lanesI32.highHalf))
        case .i64x2ExtendLowI32x4U: return V128(lanes: SIMD2<UInt64>(truncatingIfNeeded: a.lanesU32.lowHalf))
        case .i64x2ExtendHighI32x4U: return V128(lanes: SIMD2<UInt64>(truncatingIfNeeded: a.lanesU32.highHalf))

        // why: abs and neg only touch the sign bit, NaNs included (no canonicalization).
        case .f32x4Abs: return V128(lo: a.lo & 0x7FFF_FFFF_7FFF_FFFF, hi: a.hi & 0x7FFF_FFFF_7FFF_FFFF)
        case .f32x4Neg: return V128(lo: a.lo ^ 0x8000_0000_8000_0000, hi: a.hi ^ 0x8000_0000_8000_0000)
        case .f64x2Abs: return V128(lo: a.lo & 0x7FFF_FFFF_FFFF_FFFF, hi: a.hi & 0x7FFF_FFFF_FFFF_FFFF)
        case .f64x2Neg: return V128(lo: a.lo ^ 0x8000_0000_0000_0000, hi: a.hi ^ 0x8000_0000_0000_0000)
        case .f32x4Sqrt: return V128(lanes: a.lanesF32.squareRoot())
        case .f64x2Sqrt: return V128(lanes: a.lanesF64.squareRoot())

        case .i32x4TruncSatF32x4S:
            let f = a.lanesF32
            return V128(lanes: SIMD4<Int32>(
                truncSatI32(f[0]), truncSatI32(f[1]), truncSatI32(f[2]), truncSatI32(f[3])))
        case .i32x4TruncSatF32x4U:
            let f = a.lanesF32
            return V128(lanes: SIMD4<UInt32>(
                truncSatU32(f[0]), truncSatU32(f[1]), truncSatU32(f[2]), truncSatU32(f[3])))
        case .i32x4TruncSatF64x2SZero:
            let d = a.lanesF64
            return V128(lanes: SIMD4<Int32>(truncSatI32(d[0]), truncSatI32(d[1]), 0, 0))
        case .i32x4TruncSatF64x2UZero:
            let d = a.lanesF64
            return V128(lanes: SIMD4<UInt32>(truncSatU32(d[0]), truncSatU32(d[1]), 0, 0))
        case .i32x4RelaxedTruncF32x4S: return unary(.i32x4TruncSatF32x4S, a)
        case .i32x4RelaxedTruncF32x4U: return unary(.i32x4TruncSatF32x4U, a)
        case .i32x4RelaxedTruncF64x2SZero: return unary(.i32x4TruncSatF64x2SZero, a)
        case .i32x4RelaxedTruncF64x2UZero: return unary(.i32x4TruncSatF64x2UZero, a)

        // Integer -> float conversions round to nearest, ties to even (Swift's default).
        case .f32x4ConvertI32x4S:
            let v = a.lanesI32
            return V128(lanes: SIMD4<Float>(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3])))
        case .f32x4ConvertI32x4U:
            let v = a.lanesU32
            return V128(lanes: SIMD4<Float>(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3])))
        case .f64x2ConvertLowI32x4S:
            let v = a.lanesI32
            return V128(lanes: SIMD2<Double>(Double(v[0]), Double(v[1])))
        case .f64x2ConvertLowI32x4U:
            let v = a.lanesU32
            return V128(lanes: SIMD2<Double>(Double(v[0]), Double(v[1])))

        default:
            preconditionFailure("SIMDSemantics.unary: \(op) is not a unary SIMD operation")
        }
    }

    // MARK: Binary (v128 v128 -> v128)

    static func binary(_ op: SIMDOp, _ a: V128, _ b: V128, flavor: RelaxedSIMDFlavor = .deterministic) -> V128 {
        if flavor != .deterministic, let native = relaxed(op, flavor, a, b, b) { return native }
        switch op {
        case .i8x16Swizzle, .i8x16RelaxedSwizzle:
            return selectBytes(a, a, indices: b, outOfRangeIsZero: true)

        // Integer comparisons
        case .i8x16Eq: return mask(a.lanesI8 .== b.lanesI8)
        case .i8x16Ne: return mask(a.lanesI8 .!= b.lanesI8)
        case .i8x16LtS: return mask(a.lanesI8 .< b.lanesI8)
        case .i8x16LtU: return mask(a.lanesU8 .< b.lanesU8)
        case .i8x16GtS: return mask(a.lanesI8 .> b.lanesI8)
        case .i8x16GtU: return mask(a.lanesU8 .> b.lanesU8)
        case .i8x16LeS: return mask(a.lanesI8 .<= b.lanesI8)
        case .i8x16LeU: return mask(a.lanesU8 .<= b.lanesU8)
        case .i8x16GeS: return mask(a.lanesI8 .>= b.lanesI8)
        case .i8x16GeU: return mask(a.lanesU8 .>= b.lanesU8)
        case .i16x8Eq: return mask(a.lanesI16 .== b.lanesI16)
        case .i16x8Ne: return mask(a.lanesI16 .!= b.lanesI16)
        case .i16x8LtS: return mask(a.lanesI16 .< b.lanesI16)
        case .i16x8LtU: return mask(a.lanesU16 .< b.lanesU16)
        case .i16x8GtS: return mask(a.lanesI16 .> b.lanesI16)
        case .i16x8GtU: return mask(a.lanesU16 .> b.lanesU16)
        case .i16x8LeS: return mask(a.lanesI16 .<= b.lanesI16)
        case .i16x8LeU: return mask(a.lanesU16 .<= b.lanesU16)
        case .i16x8GeS: return mask(a.lanesI16 .>= b.lanesI16)
        case .i16x8GeU: return mask(a.lanesU16 .>= b.lanesU16)
        case .i32x4Eq: return mask(a.lanesI32 .== b.lanesI32)
        case .i32x4Ne: return mask(a.lanesI32 .!= b.lanesI32)
        case .i32x4LtS: return mask(a.lanesI32 .< b.lanesI32)
        case .i32x4LtU: return mask(a.lanesU32 .< b.lanesU32)
        case .i32x4GtS: return mask(a.lanesI32 .> b.lanesI32)
        case .i32x4GtU: return mask(a.lanesU32 .> b.lanesU32)
        case .i32x4LeS: return mask(a.lanesI32 .<= b.lanesI32)
        case .i32x4LeU: return mask(a.lanesU32 .<= b.lanesU32)
        case .i32x4GeS: return mask(a.lanesI32 .>= b.lanesI32)
        case .i32x4GeU: return mask(a.lanesU32 .>= b.lanesU32)
        case .i64x2Eq: return mask(a.lanesI64 .== b.lanesI64)
        case .i64x2Ne: return mask(a.lanesI64 .!= b.lanesI64)
        case .i64x2LtS: return mask(a.lanesI64 .< b.lanesI64)
        case .i64x2GtS: return mask(a.lanesI64 .> b.lanesI64)
        case .i64x2LeS: return mask(a.lanesI64 .<= b.lanesI64)
        case .i64x2GeS: return mask(a.lanesI64 .>= b.lanesI64)

        // Float comparisons: IEEE, so every comparison with a NaN is false except `ne`.
        case .f32x4Eq: return mask(a.lanesF32 .== b.lanesF32)
        case .f32x4Ne: return mask(a.lanesF32 .!= b.lanesF32)
        case .f32x4Lt: return mask(a.lanesF32 .< b.lanesF32)
        case .f32x4Gt: return mask(a.lanesF32 .> b.lanesF32)
        case .f32x4Le: return mask(a.lanesF32 .<= b.lanesF32)
        case .f32x4Ge: return mask(a.lanesF32 .>= b.lanesF32)
        case .f64x2Eq: return mask(a.lanesF64 .== b.lanesF64)
        case .f64x2Ne: return mask(a.lanesF64 .!= b.lanesF64)
        case .f64x2Lt: return mask(a.lanesF64 .< b.lanesF64)
        case .f64x2Gt: return mask(a.lanesF64 .> b.lanesF64)
        case .f64x2Le: return mask(a.lanesF64 .<= b.lanesF64)
        case .f64x2Ge: return mask(a.lanesF64 .>= b.lanesF64)

        // Bitwise
        case .v128And: return V128(lo: a.lo & b.lo, hi: a.hi & b.hi)
        case .v128AndNot: return V128(lo: a.lo & ~b.lo, hi: a.hi & ~b.hi)
        case .v128Or: return V128(lo: a.lo | b.lo, hi: a.hi | b.hi)
        case .v128Xor: return V128(lo: a.lo ^ b.lo, hi: a.hi ^ b.hi)

        // why: both narrows read their inputs as *signed*; `_u` clamps that signed value to 0...max.
        case .i8x16NarrowI16x8S:
            return V128(lanes: SIMD16<Int8>(clamping: SIMD16<Int16>(lowHalf: a.lanesI16, highHalf: b.lanesI16)))
        case .i8x16NarrowI16x8U:
            return V128(lanes: SIMD16<UInt8>(clamping: SIMD16<Int16>(lowHalf: a.lanesI16, highHalf: b.lanesI16)))
        case .i16x8NarrowI32x4S:
            return V128(lanes: SIMD8<Int16>(clamping: SIMD8<Int32>(lowHalf: a.lanesI32, highHalf: b.lanesI32)))
        case .i16x8NarrowI32x4U:
            return V128(lanes: SIMD8<UInt16>(clamping: SIMD8<Int32>(lowHalf: a.lanesI32, highHalf: b.lanesI32)))

        // i8x16 arithmetic
        case .i8x16Add: return V128(lanes: a.lanesI8 &+ b.lanesI8)
        case .i8x16Sub: return V128(lanes: a.lanesI8 &- b.lanesI8)
        case .i8x16AddSatS: return V128(lanes: SIMD16<Int8>(clamping: widen16(a.lanesI8) &+ widen16(b.lanesI8)))
        case .i8x16AddSatU: return V128(lanes: SIMD16<UInt8>(clamping: widen16(a.lanesU8) &+ widen16(b.lanesU8)))
        case .i8x16SubSatS: return V128(lanes: SIMD16<Int8>(clamping: widen16(a.lanesI8) &- widen16(b.lanesI8)))
        case .i8x16SubSatU: return V128(lanes: SIMD16<UInt8>(clamping: widen16(a.lanesU8) &- widen16(b.lanesU8)))
        case .i8x16MinS: return V128(lanes: pointwiseMin(a.lanesI8, b.lanesI8))
        case .i8x16MinU: return V128(lanes: pointwiseMin(a.lanesU8, b.lanesU8))
        case .i8x16MaxS: return V128(lanes: pointwiseMax(a.lanesI8, b.lanesI8))
        case .i8x16MaxU: return V128(lanes: pointwiseMax(a.lanesU8, b.lanesU8))
        case .i8x16AvgrU:
            let sum = SIMD16<UInt16>(truncatingIfNeeded: a.lanesU8) &+ SIMD16<UInt16>(truncatingIfNeeded: b.lanesU8) &+ 1
            return V128(lanes: SIMD16<UInt8>(truncatingIfNeeded: sum &>> 1))

        // i16x8 arithmetic
        case .i16x8Add: return V128(lanes: a.lanesI16 &+ b.lanesI16)
        case .i16x8Sub: return V128(lanes: a.lanesI16 &- b.lanesI16)
        case .i16x8Mul: return V128(lanes: a.lanesI16 &* b.lanesI16)
        case .i16x8AddSatS: return V128(lanes: SIMD8<Int16>(clamping: widen32(a.lanesI16) &+ widen32(b.lanesI16)))
        case .i16x8AddSatU: return V128(lanes: SIMD8<UInt16>(clamping: widen32(a.lanesU16) &+ widen32(b.lanesU16)))
        case .i16x8SubSatS: return V128(lanes: SIMD8<Int16>(clamping: widen32(a.lanesI16) &- widen32(b.lanesI16)))
        case .i16x8SubSatU: return V128(lanes: SIMD8<UInt16>(clamping: widen32(a.lanesU16) &- widen32(b.lanesU16)))
        case .i16x8MinS: return V128(lanes: pointwiseMin(a.lanesI16, b.lanesI16))
        case .i16x8MinU: return V128(lanes: pointwiseMin(a.lanesU16, b.lanesU16))
        case .i16x8MaxS: return V128(lanes: pointwiseMax(a.lanesI16, b.lanesI16))
        case .i16x8MaxU: return V128(lanes: pointwiseMax(a.lanesU16, b.lanesU16))
        case .i16x8AvgrU:
            let sum = SIMD8<UInt32>(truncatingIfNeeded: a.lanesU16) &+ SIMD8<UInt32>(truncatingIfNeeded: b.lanesU16) &+ 1
            return V128(lanes: SIMD8<UInt16>(truncatingIfNeeded: sum &>> 1))
        case .i16x8Q15mulrSatS, .i16x8RelaxedQ15mulrS:
            // why: (a*b + 2^14) >> 15 with an arithmetic shift; only -32768 * -32768 overflows.
            let product = SIMD8<Int32>(truncatingIfNeeded: a.lanesI16) &* SIMD8<Int32>(truncatingIfNeeded: b.lanesI16)
            return V128(lanes: SIMD8<Int16>(clamping: (product &+ 0x4000) &>> 15))
        case .i16x8ExtmulLowI8x16S:
            return V128(lanes: SIMD8<Int16>(truncatingIfNeeded: a.lanesI8.lowHalf) &* SIMD8<Int16>(truncatingIfNeeded: b.lanesI8.lowHalf))
        case .i16x8ExtmulHighI8x16S:
            return V128(lanes: SIMD8<Int16>(truncatingIfNeeded: a.lanesI8.highHalf) &* SIMD8<Int16>(truncatingIfNeeded: b.lanesI8.highHalf))
        case .i16x8ExtmulLowI8x16U:
            return V128(lanes: SIMD8<UInt16>(truncatingIfNeeded: a.lanesU8.lowHalf) &* SIMD8<UInt16>(truncatingIfNeeded: b.lanesU8.lowHalf))
        case .i16x8ExtmulHighI8x16U:
            return V128(lanes: SIMD8<UInt16>(truncatingIfNeeded: a.lanesU8.highHalf) &* SIMD8<UInt16>(truncatingIfNeeded: b.lanesU8.highHalf))

        // i32x4 arithmetic
        case .i32x4Add: return V128(lanes: a.lanesI32 &+ b.lanesI32)
        case .i32x4Sub: return V128(lanes: a.lanesI32 &- b.lanesI32)
        case .i32x4Mul: return V128(lanes: a.lanesI32 &* b.lanesI32)
        case .i32x4MinS: return V128(lanes: pointwiseMin(a.lanesI32, b.lanesI32))
        case .i32x4MinU: return V128(lanes: pointwiseMin(a.lanesU32, b.lanesU32))
        case .i32x4MaxS: return V128(lanes: pointwiseMax(a.lanesI32, b.lanesI32))
        case .i32x4MaxU: return V128(lanes: pointwiseMax(a.lanesU32, b.lanesU32))
        case .i32x4DotI16x8S:
            // why: the pairwise sum wraps; only (-32768)^2 + (-32768)^2 = 2^31 overflows.
            let product = SIMD8<Int32>(truncatingIfNeeded: a.lanesI16) &* SIMD8<Int32>(truncatingIfNeeded: b.lanesI16)
            return V128(lanes: product.evenHalf &+ product.oddHalf)
        case .i32x4ExtmulLowI16x8S:
            return V128(lanes: SIMD4<Int32>(truncatingIfNeeded: a.lanesI16.lowHalf) &* SIMD4<Int32>(truncatingIfNeeded: b.lanesI16.lowHalf))
        case .i32x4ExtmulHighI16x8S:
            return V128(lanes: SIMD4<Int32>(truncatingIfNeeded: a.lanesI16.highHalf) &* SIMD4<Int32>(truncatingIfNeeded: b.lanesI16.highHalf))
        case .i32x4ExtmulLowI16x8U:
            return V128(lanes: SIMD4<UInt32>(truncatingIfNeeded: a.lanesU16.lowHalf) &* SIMD4<UInt32>(truncatingIfNeeded: b.lanesU16.lowHalf))
        case .i32x4ExtmulHighI16x8U:
            return V128(lanes: SIMD4<UInt32>(truncatingIfNeeded: a.lanesU16.highHalf) &* SIMD4<UInt32>(truncatingIfNeeded: b.lanesU16.highHalf))

        // i64x2 arithmetic
        case .i64x2Add: return V128(lanes: a.lanesI64 &+ b.lanesI64)
        case .i64x2Sub: return V128(lanes: a.lanesI64 &- b.lanesI64)
        case .i64x2Mul: return V128(lanes: a.lanesI64 &* b.lanesI64)
        case .i64x2ExtmulLowI32x4S:
            return V128(lanes: SIMD2<Int64>(truncatingIfNeeded: a.lanesI32.lowHalf) &* SIMD2<Int64>(truncatingIfNeeded: b.lanesI32.lowHalf))
        case .i64x2ExtmulHighI32x4S:
            return V128(lanes: SIMD2<Int64>(truncatingIfNeeded: a.lanesI32.highHalf) &* SIMD2<Int64>(truncatingIfNeeded: b.lanesI32.highHalf))
        case .i64x2ExtmulLowI32x4U:
            return V128(lanes: SIMD2<UInt64>(truncatingIfNeeded: a.lanesU32.lowHalf) &* SIMD2<UInt64>(truncatingIfNeeded: b.lanesU32.lowHalf))
        case .i64x2ExtmulHighI32x4U:
            return V128(lanes: SIMD2<UInt64>(truncatingIfNeeded: a.lanesU32.highHalf) &* SIMD2<UInt64>(truncatingIfNeeded: b.lanesU32.highHalf))

        // f32x4 arithmetic
        case .f32x4Add: return V128(lanes: a.lanesF32 + b.lanesF32)
        case .f32x4Sub: return V128(lanes: a.lanesF32 - b.lanesF32)
        case .f32x4Mul: return V128(lanes: a.lanesF32 * b.lanesF32)
        case .f32x4Div: return V128(lanes: a.lanesF32 / b.lanesF32)
        case .f32x4Min, .f32x4RelaxedMin: return V128(lanes: lanewise(a.lanesF32, b.lanesF32, wasmMin))
        case .f32x4Max, .f32x4RelaxedMax: return V128(lanes: lanewise(a.lanesF32, b.lanesF32, wasmMax))
        case .f32x4Pmin:
            let x = a.lanesF32, y = b.lanesF32
            return V128(lanes: x.replacing(with: y, where: y .< x))
        case .f32x4Pmax:
            let x = a.lanesF32, y = b.lanesF32
            return V128(lanes: x.replacing(with: y, where: x .< y))

        // f64x2 arithmetic
        case .f64x2Add: return V128(lanes: a.lanesF64 + b.lanesF64)
        case .f64x2Sub: return V128(lanes: a.lanesF64 - b.lanesF64)
        case .f64x2Mul: return V128(lanes: a.lanesF64 * b.lanesF64)
        case .f64x2Div: return V128(lanes: a.lanesF64 / b.lanesF64)
        case .f64x2Min, .f64x2RelaxedMin: return V128(lanes: lanewise(a.lanesF64, b.lanesF64, wasmMin))
        case .f64x2Max, .f64x2RelaxedMax: return V128(lanes: lanewise(a.lanesF64, b.lanesF64, wasmMax))
        case .f64x2Pmin:
            let x = a.lanesF64, y = b.lanesF64
            return V128(lanes: x.replacing(with: y, where: y .< x))
        case .f64x2Pmax:
            let x = a.lanesF64, y = b.lanesF64
            return V128(lanes: x.replacing(with: y, where: x .< y))

        case .i16x8RelaxedDotI8x16I7x16S:
            return V128(lanes: relaxedDot(a, b))

        default:
            preconditionFailure("SIMDSemantics.binary: \(op) is not a binary SIMD operation")
        }
    }

    // MARK: Ternary

    /// `v128.bitselect` (and `relaxed_laneselect`): bits of `a` where `c` is 1, bits of `b` where
    /// it is 0. The relaxed multiply-adds compute `±a * b + c` lane-wise.
    static func ternary(_ op: SIMDOp, _ a: V128, _ b: V128, _ c: V128, flavor: RelaxedSIMDFlavor = .deterministic) -> V128 {
        if flavor != .deterministic, let native = relaxed(op, flavor, a, b, c) { return native }
        switch op {
        case .v128Bitselect, .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect,
            .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect:
            return V128(lo: (a.lo & c.lo) | (b.lo & ~c.lo), hi: (a.hi & c.hi) | (b.hi & ~c.hi))
        // why: unfused (the deterministic profile): the product is rounded before the add.
        // Swift does not contract `x * y + z` into a fused multiply-add.
        case .f32x4RelaxedMadd: return V128(lanes: a.lanesF32 * b.lanesF32 + c.lanesF32)
        // why: `c - a * b`, not `-a * b + c`: the SIMD types' prefix minus is `0 - x`, which
        // turns +0 into +0 (not -0); subtracting the product rounds the same as adding its negation.
        case .f32x4RelaxedNmadd: return V128(lanes: c.lanesF32 - a.lanesF32 * b.lanesF32)
        case .f64x2RelaxedMadd: return V128(lanes: a.lanesF64 * b.lanesF64 + c.lanesF64)
        case .f64x2RelaxedNmadd: return V128(lanes: c.lanesF64 - a.lanesF64 * b.lanesF64)
        case .i32x4RelaxedDotI8x16I7x16AddS:
            let pairs = relaxedDot(a, b)
            let sums = SIMD4<Int32>(truncatingIfNeeded: pairs.evenHalf) &+ SIMD4<Int32>(truncatingIfNeeded: pairs.oddHalf)
            return V128(lanes: sums &+ c.lanesI32)
        default:
            preconditionFailure("SIMDSemantics.ternary: \(op) is not a ternary SIMD operation")
        }
    }

    // MARK: Relaxed operations, ISA flavors

    /// The result of a relaxed operation under `flavor` where it differs from the
    /// deterministic one (see the top of this file); nil for every other operation. Unused
    /// operands are passed as anything.
    static func relaxed(_ op: SIMDOp, _ flavor: RelaxedSIMDFlavor, _ a: V128, _ b: V128, _ c: V128) -> V128? {
        switch flavor {
        case .deterministic:
            return nil
        case .x86_64:
            return relaxedX64(op, a, b, c)
        case .aarch64:
            return relaxedAArch64(op, a, b, c)
        }
    }

    private static func relaxedX64(_ op: SIMDOp, _ a: V128, _ b: V128, _ c: V128) -> V128? {
        switch op {
        case .i8x16RelaxedSwizzle:
            // pshufb: top bit set -> 0, else byte index & 15.
            let table = a.lanesU8, indices = b.lanesU8
            var result = SIMD16<UInt8>()
            for i in 0..<16 {
                let index = indices[i]
                result[i] = index & 0x80 != 0 ? 0 : table[Int(index & 15)]
            }
            return V128(lanes: result)
        case .i32x4RelaxedTruncF32x4S:
            let f = a.lanesF32
            return V128(lanes: SIMD4<Int32>(cvttI32(f[0]), cvttI32(f[1]), cvttI32(f[2]), cvttI32(f[3])))
        case .i32x4RelaxedTruncF64x2SZero:
            let d = a.lanesF64
            return V128(lanes: SIMD4<Int32>(cvttI32(d[0]), cvttI32(d[1]), 0, 0))
        case .f32x4RelaxedMin:
            return V128(lanes: sseSelect(a.lanesF32, b.lanesF32, bitsA: a.lanesU32, bitsB: b.lanesU32, firstBelow: true))
        case .f32x4RelaxedMax:
            return V128(lanes: sseSelect(a.lanesF32, b.lanesF32, bitsA: a.lanesU32, bitsB: b.lanesU32, firstBelow: false))
        case .f64x2RelaxedMin:
            return V128(lanes: sseSelect(a.lanesF64, b.lanesF64, bitsA: a.lanesU64, bitsB: b.lanesU64, firstBelow: true))
        case .f64x2RelaxedMax:
            return V128(lanes: sseSelect(a.lanesF64, b.lanesF64, bitsA: a.lanesU64, bitsB: b.lanesU64, firstBelow: false))
        case .i16x8RelaxedQ15mulrS:
            // pmulhrsw: bits 15...30 of a * b + 2^14, so -32768 * -32768 wraps to -32768.
            let product = SIMD8<Int32>(truncatingIfNeeded: a.lanesI16) &* SIMD8<Int32>(truncatingIfNeeded: b.lanesI16)
            return V128(lanes: SIMD8<Int16>(truncatingIfNeeded: (product &+ 0x4000) &>> 15))
        case .i16x8RelaxedDotI8x16I7x16S:
            return V128(lanes: pmaddubsw(unsigned: b, signed: a))
        case .i32x4RelaxedDotI8x16I7x16AddS:
            let pairs = pmaddubsw(unsigned: b, signed: a)
            let sums = SIMD4<Int32>(truncatingIfNeeded: pairs.evenHalf) &+ SIMD4<Int32>(truncatingIfNeeded: pairs.oddHalf)
            return V128(lanes: sums &+ c.lanesI32)
        default:
            return nil
        }
    }

    private static func relaxedAArch64(_ op: SIMDOp, _ a: V128, _ b: V128, _ c: V128) -> V128? {
        switch op {
        // why: fused, one rounding; nmadd negates `a` exactly (fmls does), not `0 - a`.
        case .f32x4RelaxedMadd:
            return V128(lanes: fused(a.lanesF32, b.lanesF32, c.lanesF32, negate: false))
        case .f32x4RelaxedNmadd:
            return V128(lanes: fused(a.lanesF32, b.lanesF32, c.lanesF32, negate: true))
        case .f64x2RelaxedMadd:
            return V128(lanes: fused(a.lanesF64, b.lanesF64, c.lanesF64, negate: false))
        case .f64x2RelaxedNmadd:
            return V128(lanes: fused(a.lanesF64, b.lanesF64, c.lanesF64, negate: true))
        default:
            return nil
        }
    }

    /// `cvttps2dq`/`cvttpd2dq` on one lane: NaN and values outside the i32 range give
    /// `0x80000000`, the others truncate toward zero.
    @inline(__always)
    fileprivate static func cvttI32<F: BinaryFloatingPoint>(_ x: F) -> Int32 {
        // why: both bounds are exact in f32 and f64; NaN fails both comparisons.
        guard x > -2_147_483_649, x < 2_147_483_648 else { return .min }
        return Int32(x)
    }

    /// `minps a, b` (`firstBelow`) or `maxps a, b` per lane: `a` where `a < b` (`a > b`),
    /// else `b`, bit for bit (so NaN payloads pass through unchanged).
    @inline(__always)
    fileprivate static func sseSelect<V: SIMD, B: SIMD>(_ a: V, _ b: V, bitsA: B, bitsB: B, firstBelow: Bool) -> B
        where V.Scalar: BinaryFloatingPoint, B.Scalar: FixedWidthInteger
    {
        var result = bitsB
        for i in a.indices {
            let takeA = firstBelow ? a[i] < b[i] : a[i] > b[i]
            if takeA { result[i] = bitsA[i] }
        }
        return result
    }

    /// `pmaddubsw unsigned, signed`: the bytes of `unsigned` read as 0...255 times those of
    /// `signed` read as -128...127, adjacent products summed with signed i16 saturation.
    @inline(__always)
    fileprivate static func pmaddubsw(unsigned: V128, signed: V128) -> SIMD8<Int16> {
        let products = SIMD16<Int32>(truncatingIfNeeded: unsigned.lanesU8) &* SIMD16<Int32>(truncatingIfNeeded: signed.lanesI8)
        return SIMD8<Int16>(clamping: products.evenHalf &+ products.oddHalf)
    }

    /// `c + a * b` (`c - a * b` when `negate`) per lane with one rounding.
    @inline(__always)
    fileprivate static func fused<V: SIMD>(_ a: V, _ b: V, _ c: V, negate: Bool) -> V where V.Scalar: BinaryFloatingPoint {
        var result = c
        for i in result.indices {
            let x = negate ? -a[i] : a[i]
            result[i] = c[i].addingProduct(x, b[i])
        }
        return result
    }

    // MARK: Tests (v128 -> i32)

    static func test(_ op: SIMDOp, _ a: V128) -> Int32 {
        switch op {
        case .v128AnyTrue: return (a.lo | a.hi) != 0 ? 1 : 0
        case .i8x16AllTrue: return hasZeroLane(a, laneBits: 8) ? 0 : 1
        case .i16x8AllTrue: return hasZeroLane(a, laneBits: 16) ? 0 : 1
        case .i32x4AllTrue: return hasZeroLane(a, laneBits: 32) ? 0 : 1
        case .i64x2AllTrue: return (a.lo != 0 && a.hi != 0) ? 1 : 0
        case .i8x16Bitmask: return signBits(a.lanesI8)
        case .i16x8Bitmask: return signBits(a.lanesI16)
        case .i32x4Bitmask: return signBits(a.lanesI32)
        case .i64x2Bitmask: return signBits(a.lanesI64)
        default:
            preconditionFailure("SIMDSemantics.test: \(op) is not a SIMD test operation")
        }
    }

    // MARK: Shifts (v128 i32 -> v128)

    /// The shift count is taken modulo the lane width in bits (as an unsigned i32).
    static func shift(_ op: SIMDOp, _ a: V128, _ count: Int32) -> V128 {
        let n = Int(count)  // `& (width - 1)` below equals an unsigned modulo, even for negative counts
        switch op {
        case .i8x16Shl: return V128(lanes: a.lanesI8 &<< Int8(n & 7))
        case .i8x16ShrS: return V128(lanes: a.lanesI8 &>> Int8(n & 7))
        case .i8x16ShrU: return V128(lanes: a.lanesU8 &>> UInt8(n & 7))
        case .i16x8Shl: return V128(lanes: a.lanesI16 &<< Int16(n & 15))
        case .i16x8ShrS: return V128(lanes: a.lanesI16 &>> Int16(n & 15))
        case .i16x8ShrU: return V128(lanes: a.lanesU16 &>> UInt16(n & 15))
        case .i32x4Shl: return V128(lanes: a.lanesI32 &<< Int32(n & 31))
        case .i32x4ShrS: return V128(lanes: a.lanesI32 &>> Int32(n & 31))
        case .i32x4ShrU: return V128(lanes: a.lanesU32 &>> UInt32(n & 31))
        case .i64x2Shl: return V128(lo: a.lo << UInt64(n & 63), hi: a.hi << UInt64(n & 63))
        case .i64x2ShrS:
            return V128(lo: UInt64(bitPattern: Int64(bitPattern: a.lo) >> Int64(n & 63)),
                        hi: UInt64(bitPattern: Int64(bitPattern: a.hi) >> Int64(n & 63)))
        case .i64x2ShrU: return V128(lo: a.lo >> UInt64(n & 63), hi: a.hi >> UInt64(n & 63))
        default:
            preconditionFailure("SIMDSemantics.shift: \(op) is not a SIMD shift")
        }
    }

    // MARK: Splat

    /// `bits` is the raw scalar: an i32 or f32 bit pattern in the low 32 bits, or an i64/f64.
    static func splat(_ op: SIMDOp, _ bits: UInt64) -> V128 {
        let word: UInt64
        switch op {
        case .i8x16Splat: word = (bits & 0xFF) &* 0x0101_0101_0101_0101
        case .i16x8Splat: word = (bits & 0xFFFF) &* 0x0001_0001_0001_0001
        case .i32x4Splat, .f32x4Splat: word = (bits & 0xFFFF_FFFF) &* 0x0000_0001_0000_0001
        case .i64x2Splat, .f64x2Splat: word = bits
        default:
            preconditionFailure("SIMDSemantics.splat: \(op) is not a SIMD splat")
        }
        return V128(lo: word, hi: word)
    }

    // MARK: Lanes

    /// The raw bits of lane `lane`: i8/i16 lanes sign- (`S`) or zero- (`U`) extended to
    /// a 32-bit pattern, i32/f32 lanes as their 32 bits, i64/f64 lanes as their 64 bits.
    static func extractLane(_ op: SIMDLaneOp, _ a: V128, lane: Int) -> UInt64 {
        assert(lane >= 0 && lane < Int(op.laneCount), "lane index out of range")
        let raw = a.lane(lane, byteWidth: op.byteWidth)
        switch op {
        case .i8x16S: return UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: raw))))
        case .i16x8S: return UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: raw))))
        default: return raw
        }
    }

    /// Lane `lane` of `a` replaced by the low `lane width` bits of `bits`.
    /// (`S`/`U` shapes never occur in `replace_lane`; they are treated by width.)
    static func replaceLane(_ op: SIMDLaneOp, _ a: V128, lane: Int, _ bits: UInt64) -> V128 {
        assert(lane >= 0 && lane < Int(op.laneCount), "lane index out of range")
        var r = a
        r.setLane(lane, byteWidth: op.byteWidth, bits)
        return r
    }

    /// `i8x16.shuffle`: result byte i is byte `lanes[i]` of the 32-byte concatenation a ++ b.
    static func shuffle(_ a: V128, _ b: V128, lanes: V128) -> V128 {
        selectBytes(a, b, indices: lanes, outOfRangeIsZero: false)
    }

    // MARK: Memory

    /// The vector produced by a SIMD load from `pointer` (not necessarily aligned),
    /// which must have `op.accessSize` readable bytes.
    static func load(_ op: SIMDLoadOp, _ pointer: UnsafeRawPointer) -> V128 {
        switch op {
        case .v128Load:
            return V128(lo: read64(pointer), hi: read64(pointer + 8))
        case .load8x8S:
            return V128(lanes: SIMD8<Int16>(truncatingIfNeeded: unsafeBitCast(read64(pointer), to: SIMD8<Int8>.self)))
        case .load8x8U:
            return V128(lanes: SIMD8<UInt16>(truncatingIfNeeded: unsafeBitCast(read64(pointer), to: SIMD8<UInt8>.self)))
        case .load16x4S:
            return V128(lanes: SIMD4<Int32>(truncatingIfNeeded: unsafeBitCast(read64(pointer), to: SIMD4<Int16>.self)))
        case .load16x4U:
            return V128(lanes: SIMD4<UInt32>(truncatingIfNeeded: unsafeBitCast(read64(pointer), to: SIMD4<UInt16>.self)))
        case .load32x2S:
            return V128(lanes: SIMD2<Int64>(truncatingIfNeeded: unsafeBitCast(read64(pointer), to: SIMD2<Int32>.self)))
        case .load32x2U:
            return V128(lanes: SIMD2<UInt64>(truncatingIfNeeded: unsafeBitCast(read64(pointer), to: SIMD2<UInt32>.self)))
        case .load8Splat:
            return splat(.i8x16Splat, UInt64(pointer.load(as: UInt8.self)))
        case .load16Splat:
            return splat(.i16x8Splat, UInt64(UInt16(littleEndian: pointer.loadUnaligned(as: UInt16.self))))
        case .load32Splat:
            return splat(.i32x4Splat, UInt64(read32(pointer)))
        case .load64Splat:
            return splat(.i64x2Splat, read64(pointer))
        case .load32Zero:
            return V128(lo: UInt64(read32(pointer)), hi: 0)
        case .load64Zero:
            return V128(lo: read64(pointer), hi: 0)
        }
    }

    /// `v128.loadN_lane`: `a` with lane `lane` replaced by the N bits at `pointer` (unaligned).
    static func loadLane(_ op: SIMDLaneMemoryOp, _ a: V128, lane: Int, _ pointer: UnsafeRawPointer) -> V128 {
        assert(lane >= 0 && lane < Int(op.laneCount), "lane index out of range")
        let bits: UInt64
        switch op {
        case .lane8: bits = UInt64(pointer.load(as: UInt8.self))
        case .lane16: bits = UInt64(UInt16(littleEndian: pointer.loadUnaligned(as: UInt16.self)))
        case .lane32: bits = UInt64(read32(pointer))
        case .lane64: bits = read64(pointer)
        }
        var r = a
        r.setLane(lane, byteWidth: op.accessSize, bits)
        return r
    }

    /// `v128.storeN_lane`: writes lane `lane` of `a` (N bits) to `pointer` (unaligned).
    static func storeLane(_ op: SIMDLaneMemoryOp, _ a: V128, lane: Int, _ pointer: UnsafeMutableRawPointer) {
        assert(lane >= 0 && lane < Int(op.laneCount), "lane index out of range")
        let bits = a.lane(lane, byteWidth: op.accessSize)
        switch op {
        case .lane8: pointer.storeBytes(of: UInt8(truncatingIfNeeded: bits), as: UInt8.self)
        case .lane16: pointer.storeBytes(of: UInt16(truncatingIfNeeded: bits).littleEndian, as: UInt16.self)
        case .lane32: pointer.storeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, as: UInt32.self)
        case .lane64: pointer.storeBytes(of: bits.littleEndian, as: UInt64.self)
        }
    }
}

extension SIMDLoadOp {
    /// Number of bytes a load reads from memory.
    var accessSize: Int {
        switch self {
        case .v128Load: 16
        case .load8x8S, .load8x8U, .load16x4S, .load16x4U, .load32x2S, .load32x2U: 8
        case .load8Splat: 1
        case .load16Splat: 2
        case .load32Splat, .load32Zero: 4
        case .load64Splat, .load64Zero: 8
        }
    }
}

extension SIMDLaneMemoryOp {
    /// Number of bytes a lane load or store touches (the lane width).
    var accessSize: Int { 1 << Int(rawValue) }
}

// MARK: - Helpers

extension SIMDLaneOp {
    /// Lane width in bytes.
    fileprivate var byteWidth: Int {
        switch self {
        case .i8x16S, .i8x16U, .i8x16: 1
        case .i16x8S, .i16x8U, .i16x8: 2
        case .i32x4, .f32x4: 4
        case .i64x2, .f64x2: 8
        }
    }
}

extension V128 {
    // Lane views. Both the V128 and the SIMD types are 16 plain bytes; the halves are
    // stored lo-then-hi, so on a little-endian host lane i is at byte i * width.
    fileprivate var lanesI8: SIMD16<Int8> { unsafeBitCast(self, to: SIMD16<Int8>.self) }
    fileprivate var lanesU8: SIMD16<UInt8> { unsafeBitCast(self, to: SIMD16<UInt8>.self) }
    fileprivate var lanesI16: SIMD8<Int16> { unsafeBitCast(self, to: SIMD8<Int16>.self) }
    fileprivate var lanesU16: SIMD8<UInt16> { unsafeBitCast(self, to: SIMD8<UInt16>.self) }
    fileprivate var lanesI32: SIMD4<Int32> { unsafeBitCast(self, to: SIMD4<Int32>.self) }
    fileprivate var lanesU32: SIMD4<UInt32> { unsafeBitCast(self, to: SIMD4<UInt32>.self) }
    fileprivate var lanesI64: SIMD2<Int64> { unsafeBitCast(self, to: SIMD2<Int64>.self) }
    fileprivate var lanesU64: SIMD2<UInt64> { unsafeBitCast(self, to: SIMD2<UInt64>.self) }
    fileprivate var lanesF32: SIMD4<Float> { unsafeBitCast(self, to: SIMD4<Float>.self) }
    fileprivate var lanesF64: SIMD2<Double> { unsafeBitCast(self, to: SIMD2<Double>.self) }

    @inline(__always)
    fileprivate init<Lanes: SIMD>(lanes: Lanes) {
        self = unsafeBitCast(lanes, to: V128.self)
    }

    /// The `byteWidth`-byte lane `index`, zero-extended.
    @inline(__always)
    fileprivate func lane(_ index: Int, byteWidth: Int) -> UInt64 {
        let bitOffset = index &* byteWidth &* 8
        let word = (bitOffset < 64 ? lo : hi) >> UInt64(bitOffset & 63)
        return byteWidth == 8 ? word : word & ((1 << UInt64(byteWidth &* 8)) &- 1)
    }

    /// Replaces the `byteWidth`-byte lane `index` with the low bits of `bits`.
    @inline(__always)
    fileprivate mutating func setLane(_ index: Int, byteWidth: Int, _ bits: UInt64) {
        let bitOffset = index &* byteWidth &* 8
        let shift = UInt64(bitOffset & 63)
        let laneMask: UInt64 = byteWidth == 8 ? ~0 : (1 << UInt64(byteWidth &* 8)) &- 1
        let clear = ~(laneMask << shift)
        let value = (bits & laneMask) << shift
        if bitOffset < 64 {
            lo = (lo & clear) | value
        } else {
            hi = (hi & clear) | value
        }
    }
}

// Helpers are static members so that they shadow, rather than clash with, any
// same-named free functions elsewhere in the module.
extension SIMDSemantics {
    @inline(__always)
    fileprivate static func read64(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    fileprivate static func read32(_ p: UnsafeRawPointer) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
    }

    /// A comparison result as all-ones / all-zeros lanes.
    @inline(__always)
    fileprivate static func mask<Storage>(_ m: SIMDMask<Storage>) -> V128
    where Storage: SIMD, Storage.Scalar: FixedWidthInteger & SignedInteger, Storage.MaskStorage == Storage {
        V128(lanes: Storage(repeating: 0).replacing(with: -1, where: m))
    }

    /// Lane-wise absolute value that wraps: abs(min) == min.
    @inline(__always)
    fileprivate static func wrappingAbs<V>(_ v: V) -> V where V: SIMD, V.Scalar: FixedWidthInteger & SignedInteger {
        let sign = v &>> V.Scalar(V.Scalar.bitWidth - 1)  // all ones in negative lanes
        return (v ^ sign) &- sign
    }

    /// Whether any `laneBits`-wide lane of `v` is zero (8, 16 or 32).
    /// SWAR: `(x - lsb) & ~x & msb` is nonzero iff some lane is zero (a borrow out of a
    /// zero lane can only add false positives above it, never create one on its own).
    @inline(__always)
    fileprivate static func hasZeroLane(_ v: V128, laneBits: UInt64) -> Bool {
        let lsb: UInt64 = 0xFFFF_FFFF_FFFF_FFFF / ((1 << laneBits) &- 1)  // 0x0101..., 0x0001_0001..., ...
        let msb = lsb << (laneBits - 1)
        let lo = (v.lo &- lsb) & ~v.lo & msb
        let hi = (v.hi &- lsb) & ~v.hi & msb
        return (lo | hi) != 0
    }

    /// Byte i of the result is byte `indices[i]` of the 32 bytes `a ++ b`. Indices past
    /// 31 (or past 15 when `outOfRangeIsZero`) give 0.
    @inline(__always)
    fileprivate static func selectBytes(_ a: V128, _ b: V128, indices: V128, outOfRangeIsZero: Bool) -> V128 {
        let table = (a, b)
        var result = V128.zero
        withUnsafeBytes(of: table) { source in
            withUnsafeBytes(of: indices) { index in
                withUnsafeMutableBytes(of: &result) { destination in
                    let limit = outOfRangeIsZero ? 16 : 32
                    for i in 0..<16 {
                        let k = Int(index[i])
                        destination[i] = k < limit ? source[k] : 0
                    }
                }
            }
        }
        return result
    }

    /// Lanes widened to 16 bits, sign- or zero-extended by the source signedness, so
    /// saturating 8-bit add/sub can compute exactly and clamp.
    @inline(__always)
    fileprivate static func widen16<S: FixedWidthInteger & SIMDScalar>(_ v: SIMD16<S>) -> SIMD16<Int16> {
        SIMD16<Int16>(truncatingIfNeeded: v)
    }

    /// Lanes widened to 32 bits (see `widen16`).
    @inline(__always)
    fileprivate static func widen32<S: FixedWidthInteger & SIMDScalar>(_ v: SIMD8<S>) -> SIMD8<Int32> {
        SIMD8<Int32>(truncatingIfNeeded: v)
    }

    /// Per-byte population count of a 64-bit word (SWAR).
    @inline(__always)
    fileprivate static func bytePopcount(_ x: UInt64) -> UInt64 {
        let pairs = x &- ((x >> 1) & 0x5555_5555_5555_5555)
        let nibbles = (pairs & 0x3333_3333_3333_3333) &+ ((pairs >> 2) & 0x3333_3333_3333_3333)
        return (nibbles &+ (nibbles >> 4)) & 0x0F0F_0F0F_0F0F_0F0F
    }

    /// Bit i of the result is the top (sign) bit of lane i.
    @inline(__always)
    fileprivate static func signBits<V>(_ v: V) -> Int32 where V: SIMD, V.Scalar: FixedWidthInteger & SignedInteger {
        var bits: Int32 = 0
        for i in v.indices where v[i] < 0 {
            bits |= 1 << Int32(i)
        }
        return bits
    }

    @inline(__always)
    fileprivate static func lanewise<V>(_ a: V, _ b: V, _ f: (V.Scalar, V.Scalar) -> V.Scalar) -> V where V: SIMD {
        var r = V()
        for i in r.indices {
            r[i] = f(a[i], b[i])
        }
        return r
    }

    /// WebAssembly `fmin`: NaN if either operand is NaN, and -0 is below +0.
    @inline(__always)
    fileprivate static func wasmMin<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? a : b }  // why: only differs for ±0, where -0 wins
        return a < b ? a : b
    }

    /// WebAssembly `fmax`: NaN if either operand is NaN, and +0 is above -0.
    @inline(__always)
    fileprivate static func wasmMax<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? b : a }  // why: only differs for ±0, where +0 wins
        return a < b ? b : a
    }

    /// The i16 lanes of `i16x8.relaxed_dot_i8x16_i7x16_s`: byte products of `a` and `b`, both
    /// read as signed, summed in adjacent pairs with signed saturation (only
    /// `-128 * -128 + -128 * -128` saturates).
    @inline(__always)
    fileprivate static func relaxedDot(_ a: V128, _ b: V128) -> SIMD8<Int16> {
        let products = SIMD16<Int16>(truncatingIfNeeded: a.lanesI8) &* SIMD16<Int16>(truncatingIfNeeded: b.lanesI8)
        let sums = SIMD8<Int32>(truncatingIfNeeded: products.evenHalf) &+ SIMD8<Int32>(truncatingIfNeeded: products.oddHalf)
        return SIMD8<Int16>(clamping: sums)
    }

    /// Saturating truncation to i32: NaN -> 0, out-of-range values clamp.
    @inline(__always)
    fileprivate static func truncSatI32<F: BinaryFloatingPoint>(_ x: F) -> Int32 {
        if x.isNaN { return 0 }
        if x >= 2_147_483_648 { return .max }
        if x <= -2_147_483_648 { return .min }
        return Int32(x)
    }

    /// Saturating truncation to u32: NaN and everything at or below 0 -> 0, large values clamp.
    @inline(__always)
    fileprivate static func truncSatU32<F: BinaryFloatingPoint>(_ x: F) -> UInt32 {
        if !(x > 0) { return 0 }
        if x >= 4_294_967_296 { return .max }
        return UInt32(x)
    }
}
