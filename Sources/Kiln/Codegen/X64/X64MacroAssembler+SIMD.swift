/// SIMD on x86-64: SSE4.1 is the baseline (every x86-64 CPU Kiln runs on since 2008 has
/// it). v128 values are whole XMM registers; xmm15 (`scratchXMM`) and r11 are free to
/// clobber, and the code generator hands over the temporaries `simdTemporaries` asks for.
extension X64MacroAssembler {
    private typealias S = X64MacroAssembler

    /// The operations `simd` compiles with a single packed instruction, `a = a op b`.
    private static let directBinary: SIMDOpMap<PackedOp> = [
        .i8x16Add: .paddb, .i16x8Add: .paddw, .i32x4Add: .paddd, .i64x2Add: .paddq,
        .i8x16Sub: .psubb, .i16x8Sub: .psubw, .i32x4Sub: .psubd, .i64x2Sub: .psubq,
        .i8x16AddSatS: .paddsb, .i16x8AddSatS: .paddsw, .i8x16AddSatU: .paddusb, .i16x8AddSatU: .paddusw,
        .i8x16SubSatS: .psubsb, .i16x8SubSatS: .psubsw, .i8x16SubSatU: .psubusb, .i16x8SubSatU: .psubusw,
        .i16x8Mul: .pmullw, .i32x4Mul: .pmulld,
        .i8x16MinS: .pminsb, .i16x8MinS: .pminsw, .i32x4MinS: .pminsd,
        .i8x16MinU: .pminub, .i16x8MinU: .pminuw, .i32x4MinU: .pminud,
        .i8x16MaxS: .pmaxsb, .i16x8MaxS: .pmaxsw, .i32x4MaxS: .pmaxsd,
        .i8x16MaxU: .pmaxub, .i16x8MaxU: .pmaxuw, .i32x4MaxU: .pmaxud,
        .i8x16AvgrU: .pavgb, .i16x8AvgrU: .pavgw,
        .i8x16Eq: .pcmpeqb, .i16x8Eq: .pcmpeqw, .i32x4Eq: .pcmpeqd, .i64x2Eq: .pcmpeqq,
        .i8x16GtS: .pcmpgtb, .i16x8GtS: .pcmpgtw, .i32x4GtS: .pcmpgtd, .i64x2GtS: .pcmpgtq,
        .v128And: .pand, .v128Or: .por, .v128Xor: .pxor,
        .i8x16NarrowI16x8S: .packsswb, .i8x16NarrowI16x8U: .packuswb,
        .i16x8NarrowI32x4S: .packssdw, .i16x8NarrowI32x4U: .packusdw,
        .f32x4Add: .addps, .f64x2Add: .addpd, .f32x4Sub: .subps, .f64x2Sub: .subpd,
        .f32x4Mul: .mulps, .f64x2Mul: .mulpd, .f32x4Div: .divps, .f64x2Div: .divpd,
        .i32x4DotI16x8S: .pmaddwd,
    ]

    /// The operations `simd` compiles with a single packed instruction, `a = op a`.
    private static let directUnary: SIMDOpMap<PackedOp> = [
        .i8x16Abs: .pabsb, .i16x8Abs: .pabsw, .i32x4Abs: .pabsd,
        .f32x4Sqrt: .sqrtps, .f64x2Sqrt: .sqrtpd,
        .i16x8ExtendLowI8x16S: .pmovsxbw, .i32x4ExtendLowI16x8S: .pmovsxwd, .i64x2ExtendLowI32x4S: .pmovsxdq,
        .i16x8ExtendLowI8x16U: .pmovzxbw, .i32x4ExtendLowI16x8U: .pmovzxwd, .i64x2ExtendLowI32x4U: .pmovzxdq,
        .f32x4ConvertI32x4S: .cvtdq2ps, .f64x2ConvertLowI32x4S: .cvtdq2pd, .f64x2PromoteLowF32x4: .cvtps2pd,
    ]


    static func supportsSIMD(_ op: SIMDOp) -> Bool {
        if directBinary[op] != nil || directUnary[op] != nil || compositeOps.contains(op) { return true }
        switch op {
        case .i8x16Splat, .i16x8Splat, .i32x4Splat, .i64x2Splat, .f32x4Splat, .f64x2Splat,
            .v128Not, .v128AndNot, .v128Bitselect, .v128AnyTrue,
            .i8x16Bitmask, .i16x8Bitmask, .i32x4Bitmask, .i64x2Bitmask,
            .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue,
            .i8x16Ne, .i16x8Ne, .i32x4Ne, .i64x2Ne,
            .i8x16Neg, .i16x8Neg, .i32x4Neg, .i64x2Neg,
            .i16x8Shl, .i16x8ShrS, .i16x8ShrU, .i32x4Shl, .i32x4ShrS, .i32x4ShrU, .i64x2Shl, .i64x2ShrU:
            return true
        default:
            return false
        }
    }

    /// With AVX, the single-instruction operations write any register: `vop r, a, b`.
    func simdResultMayDiffer(_ op: SIMDOp) -> Bool {
        avx && (S.directBinary[op] != nil || S.directUnary[op] != nil)
    }

    static func simdTemporaries(_ op: SIMDOp) -> (gprs: Int, fprs: Int) {
        (0, compositeFPRs(op))
    }

    static var laneTemporaries: (gprs: Int, fprs: Int) { (0, 0) }

    mutating func loadV128Constant(_ dst: Reg, _ value: V128) {
        let d = x(dst)
        if value == .zero {
            asm.packed(.pxor, d, d)
        } else if value.lo == UInt64.max && value.hi == UInt64.max {
            asm.packed(.pcmpeqd, d, d)
        } else {
            withLiteral(value) { asm, constant in asm.packed(.movdqa, d, constant) }
        }
    }

    /// Emits, with `emit`, one instruction whose memory operand is the pool's copy of
    /// `value` (16-byte aligned, so any SSE instruction may read it). The displacement must
    /// be the instruction's last four bytes: no immediate may follow it.
    mutating func withLiteral(_ value: V128, _ emit: (inout X64Assembler, MemoryOperand) -> Void) {
        let index: Int
        // A function has few constants: a linear search beats hashing them (Swift's hasher
        // was 5% of compiling float-heavy code); past a few dozen the dictionary takes over.
        if literals.count <= 32 {
            if let known = literals.firstIndex(of: value) {
                index = known
            } else {
                index = literals.count
                literals.append(value)
                if literals.count > 32 { for (i, literal) in literals.enumerated() { literalIndices[literal] = i } }
            }
        } else if let known = literalIndices[value] {
            index = known
        } else {
            index = literals.count
            literals.append(value)
            literalIndices[value] = index
        }
        emit(&asm, .ripRelative(0))
        literalUses.append((asm.offset, index))
    }

    mutating func emitLiteralPool() {
        guard !literals.isEmpty else { return }
        asm.align(16, with: .int3)
        let start = asm.offset
        for value in literals {
            asm.word64(value.lo)
            asm.word64(value.hi)
        }
        for (end, literal) in literalUses {
            asm.patch32(at: end - 4, Int32(start + 16 * literal - end))
        }
        // The next module's code reuses the storage.
        literals.removeAll(keepingCapacity: true)
        if !literalIndices.isEmpty { literalIndices.removeAll(keepingCapacity: true) }
        literalUses.removeAll(keepingCapacity: true)
    }

    // MARK: Operations

    mutating func simd(_ op: SIMDOp, _ o: SIMDOperands) {
        // The vector result (unused by the tests, whose result is an integer register).
        let r = o.result.isFloat ? x(o.result) : S.scratchXMM
        if let packed = S.directBinary[op] {
            if avx {
                asm.vex(packed, r, x(o.a), x(o.b!))
            } else {
                asm.packed(packed, r, x(o.b!))
            }
            return
        }
        if let packed = S.directUnary[op] {
            if avx {
                asm.vex(packed, r, x(o.a))
            } else {
                asm.packed(packed, r, x(o.a))
            }
            return
        }
        let t = S.scratchXMM
        if avx2, let bytes = S.splatLaneBytes[op] {
            // Broadcasts: the scalar to lane 0 first when it is an integer.
            if !o.a.isFloat {
                if bytes == 8 {
                    asm.vmovq(r, g(o.a))
                } else {
                    asm.vmovd(r, g(o.a))
                }
            }
            asm.vpbroadcast(bytes, r, r)
            return
        }
        if avx && avxSIMD(op, o) { return }
        switch op {
        case .i8x16Splat:
            asm.movd(r, g(o.a))
            asm.packed(.pxor, t, t)
            asm.packed(.pshufb, r, t)
        case .i16x8Splat:
            asm.movd(r, g(o.a))
            asm.packed(.pshuflw, r, r, imm: 0)
            asm.packed(.pshufd, r, r, imm: 0)
        case .i32x4Splat:
            asm.movd(r, g(o.a))
            asm.packed(.pshufd, r, r, imm: 0)
        case .i64x2Splat:
            asm.movq(r, g(o.a))
            asm.packed(.pshufd, r, r, imm: 0x44)
        case .f32x4Splat:
            asm.packed(.pshufd, r, r, imm: 0)
        case .f64x2Splat:
            asm.packed(.pshufd, r, r, imm: 0x44)
        case .v128Not:
            asm.packed(.pcmpeqd, t, t)
            asm.packed(.pxor, r, t)
        case .v128AndNot:
            // a & ~b: pandn computes ~dst & src.
            asm.packed(.pandn, x(o.b!), r)
            asm.packed(.movdqa, r, x(o.b!))
        case .v128Bitselect:
            // (a & c) | (b & ~c)
            let b = x(o.b!), c = x(o.c!)
            asm.packed(.pand, r, c)
            asm.packed(.pandn, c, b)
            asm.packed(.por, r, c)
        case .v128AnyTrue:
            let d = g(o.result)
            asm.packed(.ptest, x(o.a), x(o.a))
            asm.setcc(.ne, d)
            asm.movzx(d, byte: d)
        case .i8x16AllTrue, .i16x8AllTrue, .i32x4AllTrue, .i64x2AllTrue:
            // No lane equal to zero: compare with zero, then test that no lane matched.
            let d = g(o.result)
            let eq = S.laneEquality(op)
            asm.packed(.pxor, t, t)
            asm.packed(eq, t, x(o.a))
            asm.packed(.ptest, t, t)
            asm.setcc(.e, d)
            asm.movzx(d, byte: d)
        case .i8x16Bitmask:
            asm.pmovmskb(g(o.result), x(o.a))
        case .i16x8Bitmask:
            // Narrow the words to bytes with their signs kept, then take the byte signs.
            asm.packed(.packsswb, x(o.a), x(o.a))
            asm.pmovmskb(g(o.result), x(o.a))
            asm.and(.s32, g(o.result), imm: 0xFF)
        case .i32x4Bitmask:
            asm.movmskps(g(o.result), x(o.a))
        case .i64x2Bitmask:
            asm.movmskpd(g(o.result), x(o.a))
        case .i8x16Ne, .i16x8Ne, .i32x4Ne, .i64x2Ne:
            let eq = S.laneEquality(op)
            asm.packed(eq, r, x(o.b!))
            asm.packed(.pcmpeqd, t, t)
            asm.packed(.pxor, r, t)
        case .i8x16Neg, .i16x8Neg, .i32x4Neg, .i64x2Neg:
            let sub = S.laneSubtraction(op)
            asm.packed(.movdqa, t, r)
            asm.packed(.pxor, r, r)
            asm.packed(sub, r, t)
        case .i16x8Shl, .i16x8ShrS, .i16x8ShrU, .i32x4Shl, .i32x4ShrS, .i32x4ShrU, .i64x2Shl, .i64x2ShrU:
            let (laneBits, register, immediate) = S.shiftForms[op]!
            if let count = o.immediate {
                asm.packed(immediate, r, imm: UInt8(Int(count) & (laneBits - 1)))
            } else {
                asm.mov(.s32, S.scratch, g(o.b!))
                asm.and(.s32, S.scratch, imm: Int32(laneBits - 1))
                asm.movd(t, S.scratch)
                asm.packed(register, r, t)
            }
        default:
            compositeSIMD(op, o)
        }
    }

    /// The loads with a one-instruction AVX form: an extension (from 64 bits of memory), or
    /// (AVX2) a broadcast of so many bytes.
    private static let avxLoads: [SIMDLoadOp: (PackedOp?, Int)] = [
        .load8x8S: (.pmovsxbw, 0), .load8x8U: (.pmovzxbw, 0), .load16x4S: (.pmovsxwd, 0), .load16x4U: (.pmovzxwd, 0),
        .load32x2S: (.pmovsxdq, 0), .load32x2U: (.pmovzxdq, 0),
        .load8Splat: (nil, 1), .load16Splat: (nil, 2), .load32Splat: (nil, 4), .load64Splat: (nil, 8),
    ]

    /// The lane width in bytes of each splat (AVX2 broadcasts it).
    private static let splatLaneBytes: [SIMDOp: Int] = [
        .i8x16Splat: 1, .i16x8Splat: 2, .i32x4Splat: 4, .i64x2Splat: 8, .f32x4Splat: 4, .f64x2Splat: 8,
    ]

    /// The operations whose AVX form saves the copies of the SSE sequence (three-operand
    /// forms); returns false for the others, which take the SSE sequence.
    private mutating func avxSIMD(_ op: SIMDOp, _ o: SIMDOperands) -> Bool {
        guard o.result.isFloat else { return false }
        let r = x(o.result), t = S.scratchXMM
        switch op {
        case .v128AndNot:
            // a & ~b: vpandn computes ~src1 & src2.
            asm.vex(.pandn, r, x(o.b!), r)
        case .i8x16Neg, .i16x8Neg, .i32x4Neg, .i64x2Neg:
            asm.vex(.pxor, t, t, t)
            asm.vex(S.laneSubtraction(op), r, t, r)
        case .i8x16LtS, .i16x8LtS, .i32x4LtS, .i64x2LtS:
            // a < b is b > a.
            asm.vex(S.greaterSigned(op), r, x(o.b!), r)
        case .f32x4Gt, .f32x4Ge, .f64x2Gt, .f64x2Ge:
            let compare: PackedImmediateOp = S.isF64(op) ? .cmppd : .cmpps
            asm.vex(compare, r, x(o.b!), r, imm: S.comparePredicate(op))
        case .f32x4Pmin, .f64x2Pmin:
            // b < a ? b : a is vminps r, b, a.
            let min: PackedOp = S.isF64(op) ? .minpd : .minps
            asm.vex(min, r, x(o.b!), r)
        case .f32x4Pmax, .f64x2Pmax:
            let max: PackedOp = S.isF64(op) ? .maxpd : .maxps
            asm.vex(max, r, x(o.b!), r)
        case .i8x16ShrS, .i8x16ShrU:
            // Each byte doubled into a word, shifted right by n + 8, packed back.
            guard let count = o.immediate else { return false }
            let signed = op == .i8x16ShrS
            let shift: PackedShiftImmediateOp = signed ? .psraw : .psrlw
            let n = UInt8(Int(count) & 7) + 8
            asm.vex(.punpckhbw, t, r, r)
            asm.vex(.punpcklbw, r, r, r)
            asm.vex(shift, r, r, imm: n)
            asm.vex(shift, t, t, imm: n)
            asm.vex(signed ? PackedOp.packsswb : .packuswb, r, r, t)
        case .i64x2Abs:
            // The sign of each lane spread over it, then (x ^ s) - s.
            asm.vex(PackedShiftImmediateOp.psrad, t, r, imm: 31)
            asm.vex(PackedImmediateOp.pshufd, t, t, imm: 0xF5)
            asm.vex(.pxor, r, r, t)
            asm.vex(.psubq, r, r, t)
        case .i64x2Mul:
            // lo(a) * lo(b) + ((hi(a) * lo(b) + lo(a) * hi(b)) << 32).
            let b = x(o.b!), f0 = x(o.fprs[0])
            asm.vex(PackedShiftImmediateOp.psrlq, t, r, imm: 32)
            asm.vex(.pmuludq, t, t, b)
            asm.vex(PackedShiftImmediateOp.psrlq, f0, b, imm: 32)
            asm.vex(.pmuludq, f0, f0, r)
            asm.vex(.paddq, t, t, f0)
            asm.vex(PackedShiftImmediateOp.psllq, t, t, imm: 32)
            asm.vex(.pmuludq, r, r, b)
            asm.vex(.paddq, r, r, t)
        case .i16x8ExtaddPairwiseI8x16S:
            // vpmaddubsw reads its first source unsigned, its second signed.
            constant(t, S.bytes(1))
            asm.vex(.pmaddubsw, r, t, r)
        case .i32x4ExtaddPairwiseI16x8U:
            asm.vex(PackedShiftImmediateOp.psrld, t, r, imm: 16)
            asm.vex(PackedShiftImmediateOp.pslld, r, r, imm: 16)
            asm.vex(PackedShiftImmediateOp.psrld, r, r, imm: 16)
            asm.vex(.paddd, r, r, t)
        case .i32x4ExtmulLowI16x8S, .i32x4ExtmulHighI16x8S, .i32x4ExtmulLowI16x8U, .i32x4ExtmulHighI16x8U:
            // The low and high halves of the 32-bit products, interleaved.
            let signed = op == .i32x4ExtmulLowI16x8S || op == .i32x4ExtmulHighI16x8S
            let high = op == .i32x4ExtmulHighI16x8S || op == .i32x4ExtmulHighI16x8U
            let b = x(o.b!)
            asm.vex(signed ? PackedOp.pmulhw : .pmulhuw, t, r, b)
            asm.vex(.pmullw, r, r, b)
            asm.vex(high ? PackedOp.punpckhwd : .punpcklwd, r, r, t)
        default:
            return false
        }
        return true
    }

    /// The lane equality of an operation's lane width.
    private static func laneEquality(_ op: SIMDOp) -> PackedOp {
        switch op {
        case .i8x16AllTrue, .i8x16Ne: return .pcmpeqb
        case .i16x8AllTrue, .i16x8Ne: return .pcmpeqw
        case .i32x4AllTrue, .i32x4Ne: return .pcmpeqd
        default: return .pcmpeqq
        }
    }

    /// The lane subtraction of an operation's lane width.
    private static func laneSubtraction(_ op: SIMDOp) -> PackedOp {
        switch op {
        case .i8x16Neg: return .psubb
        case .i16x8Neg: return .psubw
        case .i32x4Neg: return .psubd
        default: return .psubq
        }
    }

    /// Lane shifts with a direct SSE form: lane bits, the form by register, by immediate.
    private static let shiftForms: SIMDOpMap<(Int, PackedOp, PackedShiftImmediateOp)> = [
        .i16x8Shl: (16, .psllw, .psllw), .i16x8ShrS: (16, .psraw, .psraw), .i16x8ShrU: (16, .psrlw, .psrlw),
        .i32x4Shl: (32, .pslld, .pslld), .i32x4ShrS: (32, .psrad, .psrad), .i32x4ShrU: (32, .psrld, .psrld),
        .i64x2Shl: (64, .psllq, .psllq), .i64x2ShrU: (64, .psrlq, .psrlq),
    ]

    // MARK: Lanes

    mutating func shuffle(_ o: SIMDOperands, lanes: V128) {
        // Bytes from a with a mask that zeroes the lanes taken from b, bytes from b the
        // other way round, then or.
        let r = x(o.result), b = x(o.b!)
        let bytes = lanes.bytes
        let fromA = bytes.allSatisfy { $0 < 16 }, fromB = bytes.allSatisfy { $0 >= 16 }
        // Consecutive bytes of a then b (a byte rotation of the pair): one palignr.
        if let first = bytes.first, first > 0 && first < 16, bytes.indices.allSatisfy({ bytes[$0] == first + UInt8($0) }) {
            if avx {
                asm.vex(.palignr, r, b, r, imm: first)
            } else {
                asm.packed(.palignr, b, r, imm: first)
                asm.packed(.movdqa, r, b)
            }
            return
        }
        // Whole 32-bit lanes of one operand: pshufd.
        if fromA || fromB, let order = S.dwordOrder(bytes.map { $0 & 15 }) {
            asm.packed(.pshufd, r, fromA ? r : b, imm: order)
            return
        }
        if fromA {
            withLiteral(V128(bytes: bytes)) { asm, mask in asm.packed(.pshufb, r, mask) }
            return
        }
        if fromB && avx {
            withLiteral(V128(bytes: bytes.map { $0 - 16 })) { asm, mask in asm.vex(.pshufb, r, b, mask) }
            return
        }
        if fromB {
            withLiteral(V128(bytes: bytes.map { $0 - 16 })) { asm, mask in asm.packed(.pshufb, b, mask) }
            asm.packed(.movdqa, r, b)
            return
        }
        // Bytes from a with a mask that zeroes the lanes taken from b, bytes from b the
        // other way round, then or.
        withLiteral(V128(bytes: bytes.map { $0 < 16 ? $0 : 0x80 })) { asm, mask in asm.packed(.pshufb, r, mask) }
        withLiteral(V128(bytes: bytes.map { $0 >= 16 ? $0 - 16 : 0x80 })) { asm, mask in asm.packed(.pshufb, b, mask) }
        asm.packed(.por, r, b)
    }

    /// The pshufd immediate that makes `bytes` (indices into one vector), when they take
    /// whole 32-bit lanes.
    private static func dwordOrder(_ bytes: [UInt8]) -> UInt8? {
        var order: UInt8 = 0
        for lane in 0..<4 {
            let first = bytes[4 * lane]
            guard first % 4 == 0, (1..<4).allSatisfy({ bytes[4 * lane + $0] == first + UInt8($0) }) else { return nil }
            order |= (first / 4) << (2 * lane)
        }
        return order
    }

    mutating func extractLane(_ op: SIMDLaneOp, lane: UInt8, _ o: SIMDOperands) {
        let a = x(o.a)
        switch op {
        case .i8x16S:
            asm.pextrb(g(o.result), a, lane: lane)
            asm.movsx(.s32, g(o.result), byte: g(o.result))
        case .i8x16U:
            asm.pextrb(g(o.result), a, lane: lane)
        case .i16x8S:
            asm.pextrw(g(o.result), a, lane: lane)
            asm.movsx(.s32, g(o.result), word: g(o.result))
        case .i16x8U:
            asm.pextrw(g(o.result), a, lane: lane)
        case .i32x4:
            asm.pextr(.s32, g(o.result), a, lane: lane)
        case .i64x2:
            asm.pextr(.s64, g(o.result), a, lane: lane)
        case .f32x4:
            let r = x(o.result)
            asm.packed(.pshufd, r, a, imm: lane)
        case .f64x2:
            let r = x(o.result)
            asm.packed(.pshufd, r, a, imm: lane == 0 ? 0x44 : 0xEE)
        case .i8x16, .i16x8:
            preconditionFailure("extract_lane has no unsigned-agnostic 8/16-bit form")
        }
    }

    mutating func replaceLane(_ op: SIMDLaneOp, lane: UInt8, _ o: SIMDOperands) {
        let r = x(o.result)
        switch op {
        case .i8x16: asm.pinsrb(r, g(o.b!), lane: lane)
        case .i16x8: asm.pinsrw(r, g(o.b!), lane: lane)
        case .i32x4: asm.pinsr(.s32, r, g(o.b!), lane: lane)
        case .i64x2: asm.pinsr(.s64, r, g(o.b!), lane: lane)
        case .f32x4: asm.packed(.insertps, r, x(o.b!), imm: lane << 4)
        case .f64x2:
            if lane == 0 {
                asm.movsd(r, x(o.b!))
            } else {
                asm.packed(.movlhps, r, x(o.b!))
            }
        default:
            preconditionFailure("replace_lane has no signed form")
        }
    }

    // MARK: Memory

    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, offset: UInt64, definitionOffset: Int32,
                             boundsTrap: Label?) {
        let m = address(index: index, offset: offset, size: access.size, definitionOffset: definitionOffset, boundsTrap: boundsTrap)
        emitSIMDAccess(access, x(value), m)
    }

    mutating func simdMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, is64: Bool, offset: UInt64,
                             definition: Reg, pinnedBase: Bool, boundsTrap: Label?) {
        let m = address(index: index, is64: is64, offset: offset, size: access.size, definition: definition,
                        pinnedBase: pinnedBase, boundsTrap: boundsTrap)
        emitSIMDAccess(access, x(value), m)
    }

    private mutating func emitSIMDAccess(_ access: SIMDMemoryAccess, _ v: XMM, _ m: MemoryOperand) {
        if avx, case .load(let op) = access, let forms = S.avxLoads[op] {
            // AVX: extensions straight from memory; AVX2: broadcasts from memory.
            if let extend = forms.0 {
                asm.vex(extend, v, m)
                return
            }
            if avx2 {
                asm.vpbroadcast(forms.1, v, m)
                return
            }
        }
        switch access {
        case .store: asm.movdqu(m, v)
        case .load(let op):
            switch op {
            case .v128Load: asm.movdqu(v, m)
            case .load8x8S: asm.movq(v, m); asm.packed(.pmovsxbw, v, v)
            case .load8x8U: asm.movq(v, m); asm.packed(.pmovzxbw, v, v)
            case .load16x4S: asm.movq(v, m); asm.packed(.pmovsxwd, v, v)
            case .load16x4U: asm.movq(v, m); asm.packed(.pmovzxwd, v, v)
            case .load32x2S: asm.movq(v, m); asm.packed(.pmovsxdq, v, v)
            case .load32x2U: asm.movq(v, m); asm.packed(.pmovzxdq, v, v)
            case .load8Splat:
                asm.pinsrb(v, m, lane: 0)
                asm.packed(.pxor, S.scratchXMM, S.scratchXMM)
                asm.packed(.pshufb, v, S.scratchXMM)
            case .load16Splat:
                asm.pinsrw(v, m, lane: 0)
                asm.packed(.pshuflw, v, v, imm: 0)
                asm.packed(.pshufd, v, v, imm: 0)
            case .load32Splat:
                asm.movd(v, m)
                asm.packed(.pshufd, v, v, imm: 0)
            case .load64Splat:
                asm.movq(v, m)
                asm.packed(.pshufd, v, v, imm: 0x44)
            case .load32Zero: asm.movd(v, m)
            case .load64Zero: asm.movq(v, m)
            }
        case .loadLane(let op, let lane):
            switch op {
            case .lane8: asm.pinsrb(v, m, lane: lane)
            case .lane16: asm.pinsrw(v, m, lane: lane)
            case .lane32: asm.pinsr(.s32, v, m, lane: lane)
            case .lane64: asm.pinsr(.s64, v, m, lane: lane)
            }
        case .storeLane(let op, let lane):
            switch op {
            case .lane8: asm.pextrb(m, v, lane: lane)
            case .lane16: asm.pextrw(m, v, lane: lane)
            case .lane32: asm.pextr(.s32, m, v, lane: lane)
            case .lane64: asm.pextr(.s64, m, v, lane: lane)
            }
        }
    }
}
