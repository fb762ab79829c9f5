/// Packed SSE instructions of the form `op xmm, xmm/m128` (SSE2, SSSE3, SSE4.1, SSE4.2),
/// named by mnemonic. The raw value is the mandatory prefix (0 when none) in the top byte
/// and the opcode bytes below it (`0x66_0F3800` is `66 0F 38 00`).
enum PackedOp: UInt32, Sendable, CaseIterable {
    // Integer arithmetic
    case paddb = 0x66_000FFC, paddw = 0x66_000FFD, paddd = 0x66_000FFE, paddq = 0x66_000FD4
    case psubb = 0x66_000FF8, psubw = 0x66_000FF9, psubd = 0x66_000FFA, psubq = 0x66_000FFB
    case paddsb = 0x66_000FEC, paddsw = 0x66_000FED, paddusb = 0x66_000FDC, paddusw = 0x66_000FDD
    case psubsb = 0x66_000FE8, psubsw = 0x66_000FE9, psubusb = 0x66_000FD8, psubusw = 0x66_000FD9
    case pmullw = 0x66_000FD5, pmulld = 0x66_0F3840, pmuludq = 0x66_000FF4, pmuldq = 0x66_0F3828
    case pmulhw = 0x66_000FE5, pmulhuw = 0x66_000FE4
    case pmaddwd = 0x66_000FF5, pmaddubsw = 0x66_0F3804, pmulhrsw = 0x66_0F380B
    case pavgb = 0x66_000FE0, pavgw = 0x66_000FE3
    case pabsb = 0x66_0F381C, pabsw = 0x66_0F381D, pabsd = 0x66_0F381E
    case psignb = 0x66_0F3808, psignw = 0x66_0F3809, psignd = 0x66_0F380A
    case pminsb = 0x66_0F3838, pminsw = 0x66_000FEA, pminsd = 0x66_0F3839
    case pminub = 0x66_000FDA, pminuw = 0x66_0F383A, pminud = 0x66_0F383B
    case pmaxsb = 0x66_0F383C, pmaxsw = 0x66_000FEE, pmaxsd = 0x66_0F383D
    case pmaxub = 0x66_000FDE, pmaxuw = 0x66_0F383E, pmaxud = 0x66_0F383F
    // Comparisons
    case pcmpeqb = 0x66_000F74, pcmpeqw = 0x66_000F75, pcmpeqd = 0x66_000F76, pcmpeqq = 0x66_0F3829
    case pcmpgtb = 0x66_000F64, pcmpgtw = 0x66_000F65, pcmpgtd = 0x66_000F66, pcmpgtq = 0x66_0F3837
    // Logic
    case pand = 0x66_000FDB, pandn = 0x66_000FDF, por = 0x66_000FEB, pxor = 0x66_000FEF
    case ptest = 0x66_0F3817
    // Packing, unpacking, extension, shuffles
    case packsswb = 0x66_000F63, packuswb = 0x66_000F67, packssdw = 0x66_000F6B, packusdw = 0x66_0F382B
    case punpcklbw = 0x66_000F60, punpcklwd = 0x66_000F61, punpckldq = 0x66_000F62, punpcklqdq = 0x66_000F6C
    case punpckhbw = 0x66_000F68, punpckhwd = 0x66_000F69, punpckhdq = 0x66_000F6A, punpckhqdq = 0x66_000F6D
    case pmovsxbw = 0x66_0F3820, pmovsxwd = 0x66_0F3823, pmovsxdq = 0x66_0F3825
    case pmovzxbw = 0x66_0F3830, pmovzxwd = 0x66_0F3833, pmovzxdq = 0x66_0F3835
    case pshufb = 0x66_0F3800
    case movhlps = 0x00_000F12, movlhps = 0x00_000F16
    case unpcklps = 0x00_000F14, unpckhps = 0x00_000F15
    // Shifts by the count in the low 64 bits of an XMM register
    case psllw = 0x66_000FF1, pslld = 0x66_000FF2, psllq = 0x66_000FF3
    case psrlw = 0x66_000FD1, psrld = 0x66_000FD2, psrlq = 0x66_000FD3
    case psraw = 0x66_000FE1, psrad = 0x66_000FE2
    // Floating point
    case addps = 0x00_000F58, addpd = 0x66_000F58, subps = 0x00_000F5C, subpd = 0x66_000F5C
    case mulps = 0x00_000F59, mulpd = 0x66_000F59, divps = 0x00_000F5E, divpd = 0x66_000F5E
    case minps = 0x00_000F5D, minpd = 0x66_000F5D, maxps = 0x00_000F5F, maxpd = 0x66_000F5F
    case sqrtps = 0x00_000F51, sqrtpd = 0x66_000F51
    case andps = 0x00_000F54, andpd = 0x66_000F54, andnps = 0x00_000F55, andnpd = 0x66_000F55
    case orps = 0x00_000F56, orpd = 0x66_000F56, xorps = 0x00_000F57, xorpd = 0x66_000F57
    case cvtdq2ps = 0x00_000F5B, cvttps2dq = 0xF3_000F5B, cvtps2pd = 0x00_000F5A, cvtpd2ps = 0x66_000F5A
    case cvtdq2pd = 0xF3_000FE6, cvttpd2dq = 0x66_000FE6
    case movaps = 0x00_000F28, movdqa = 0x66_000F6F

    var prefix: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 24) }
    var opcode: UInt32 { rawValue & 0xFF_FFFF }
}

/// Packed instructions with an 8-bit immediate, `op xmm, xmm/m128, imm8`.
enum PackedImmediateOp: UInt32, Sendable, CaseIterable {
    case pshufd = 0x66_000F70, pshuflw = 0xF2_000F70, pshufhw = 0xF3_000F70
    case shufps = 0x00_000FC6, shufpd = 0x66_000FC6
    case cmpps = 0x00_000FC2, cmppd = 0x66_000FC2
    case roundps = 0x66_0F3A08, roundpd = 0x66_0F3A09
    case pblendw = 0x66_0F3A0E, palignr = 0x66_0F3A0F, blendps = 0x66_0F3A0C, blendpd = 0x66_0F3A0D
    case insertps = 0x66_0F3A21

    var prefix: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 24) }
    var opcode: UInt32 { rawValue & 0xFF_FFFF }
}

/// Shifts of each lane by an immediate: `66 0F 71/72/73 /ext ib`.
enum PackedShiftImmediateOp: UInt16, Sendable, CaseIterable {
    case psrlw = 0x7102, psraw = 0x7104, psllw = 0x7106
    case psrld = 0x7202, psrad = 0x7204, pslld = 0x7206
    case psrlq = 0x7302, psllq = 0x7306
    /// Byte shifts of the whole register.
    case psrldq = 0x7303, pslldq = 0x7307

    var opcode: UInt32 { 0x0F00 | UInt32(rawValue >> 8) }
    var ext: UInt8 { UInt8(truncatingIfNeeded: rawValue) }
}

extension X64Assembler {
    // MARK: - Packed SSE

    /// `op dst, src` for a `PackedOp`.
    mutating func packed(_ op: PackedOp, _ dst: XMM, _ src: XMM) {
        encodeRR(prefix: op.prefix, w: false, op.opcode, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `op dst, xmmword ptr [m]` for a `PackedOp` (the memory operand need not be aligned
    /// only for the VEX forms: callers use this for aligned or `movdqu`-safe operands).
    mutating func packed(_ op: PackedOp, _ dst: XMM, _ src: MemoryOperand) {
        encodeRM(prefix: op.prefix, w: false, op.opcode, reg: dst.rawValue, src)
    }

    /// `op dst, src, imm8` for a `PackedImmediateOp`.
    mutating func packed(_ op: PackedImmediateOp, _ dst: XMM, _ src: XMM, imm: UInt8) {
        encodeRR(prefix: op.prefix, w: false, op.opcode, reg: dst.rawValue, rm: src.rawValue)
        byte(imm)
    }

    /// `op dst, imm8` for a `PackedShiftImmediateOp`.
    mutating func packed(_ op: PackedShiftImmediateOp, _ dst: XMM, imm: UInt8) {
        encodeRR(prefix: 0x66, w: false, op.opcode, reg: op.ext, rm: dst.rawValue)
        byte(imm)
    }

    /// `pblendvb dst, src` (66 0F 38 10 /r; SSE4.1): bytes of `src` where xmm0's top bit is set.
    mutating func pblendvb(_ dst: XMM, _ src: XMM) {
        encodeRR(prefix: 0x66, w: false, 0x0F3810, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `pmovmskb r32, xmm` (66 0F D7 /r): the top bit of each byte.
    mutating func pmovmskb(_ dst: GPR, _ src: XMM) {
        encodeRR(prefix: 0x66, w: false, 0x0FD7, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `movmskps r32, xmm` (0F 50 /r): the sign bit of each f32 lane.
    mutating func movmskps(_ dst: GPR, _ src: XMM) {
        encodeRR(prefix: 0, w: false, 0x0F50, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `movmskpd r32, xmm` (66 0F 50 /r): the sign bit of each f64 lane.
    mutating func movmskpd(_ dst: GPR, _ src: XMM) {
        encodeRR(prefix: 0x66, w: false, 0x0F50, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `pinsrb xmm, r32, imm8` (66 0F 3A 20 /r ib; SSE4.1).
    mutating func pinsrb(_ dst: XMM, _ src: GPR, lane: UInt8) {
        encodeRR(prefix: 0x66, w: false, 0x0F3A20, reg: dst.rawValue, rm: src.rawValue)
        byte(lane)
    }

    /// `pinsrw xmm, r32, imm8` (66 0F C4 /r ib).
    mutating func pinsrw(_ dst: XMM, _ src: GPR, lane: UInt8) {
        encodeRR(prefix: 0x66, w: false, 0x0FC4, reg: dst.rawValue, rm: src.rawValue)
        byte(lane)
    }

    /// `pinsrd xmm, r32, imm8` (66 0F 3A 22 /r ib; SSE4.1), or `pinsrq` with REX.W.
    mutating func pinsr(_ size: OperandSize, _ dst: XMM, _ src: GPR, lane: UInt8) {
        encodeRR(prefix: 0x66, w: size == .s64, 0x0F3A22, reg: dst.rawValue, rm: src.rawValue)
        byte(lane)
    }

    /// `pinsrb xmm, byte ptr [m], imm8`.
    mutating func pinsrb(_ dst: XMM, _ src: MemoryOperand, lane: UInt8) {
        encodeRM(prefix: 0x66, w: false, 0x0F3A20, reg: dst.rawValue, src)
        byte(lane)
    }

    /// `pinsrw xmm, word ptr [m], imm8`.
    mutating func pinsrw(_ dst: XMM, _ src: MemoryOperand, lane: UInt8) {
        encodeRM(prefix: 0x66, w: false, 0x0FC4, reg: dst.rawValue, src)
        byte(lane)
    }

    /// `pinsrd`/`pinsrq xmm, [m], imm8`.
    mutating func pinsr(_ size: OperandSize, _ dst: XMM, _ src: MemoryOperand, lane: UInt8) {
        encodeRM(prefix: 0x66, w: size == .s64, 0x0F3A22, reg: dst.rawValue, src)
        byte(lane)
    }

    /// `pextrb r32, xmm, imm8` (66 0F 3A 14 /r ib; SSE4.1): zero-extended.
    mutating func pextrb(_ dst: GPR, _ src: XMM, lane: UInt8) {
        encodeRR(prefix: 0x66, w: false, 0x0F3A14, reg: src.rawValue, rm: dst.rawValue)
        byte(lane)
    }

    /// `pextrw r32, xmm, imm8` (66 0F C5 /r ib): zero-extended.
    mutating func pextrw(_ dst: GPR, _ src: XMM, lane: UInt8) {
        encodeRR(prefix: 0x66, w: false, 0x0FC5, reg: dst.rawValue, rm: src.rawValue)
        byte(lane)
    }

    /// `pextrd r32, xmm, imm8` (66 0F 3A 16 /r ib; SSE4.1), or `pextrq` with REX.W.
    mutating func pextr(_ size: OperandSize, _ dst: GPR, _ src: XMM, lane: UInt8) {
        encodeRR(prefix: 0x66, w: size == .s64, 0x0F3A16, reg: src.rawValue, rm: dst.rawValue)
        byte(lane)
    }

    /// `pextrb byte ptr [m], xmm, imm8`.
    mutating func pextrb(_ dst: MemoryOperand, _ src: XMM, lane: UInt8) {
        encodeRM(prefix: 0x66, w: false, 0x0F3A14, reg: src.rawValue, dst)
        byte(lane)
    }

    /// `pextrw word ptr [m], xmm, imm8` (66 0F 3A 15 /r ib; SSE4.1).
    mutating func pextrw(_ dst: MemoryOperand, _ src: XMM, lane: UInt8) {
        encodeRM(prefix: 0x66, w: false, 0x0F3A15, reg: src.rawValue, dst)
        byte(lane)
    }

    /// `pextrd`/`pextrq [m], xmm, imm8`.
    mutating func pextr(_ size: OperandSize, _ dst: MemoryOperand, _ src: XMM, lane: UInt8) {
        encodeRM(prefix: 0x66, w: size == .s64, 0x0F3A16, reg: src.rawValue, dst)
        byte(lane)
    }

    /// `movq xmm, qword ptr [m]` (F3 0F 7E /r): zeroes the upper lane.
    mutating func movq(_ dst: XMM, _ src: MemoryOperand) {
        encodeRM(prefix: 0xF3, w: false, 0x0F7E, reg: dst.rawValue, src)
    }

    /// `movq qword ptr [m], xmm` (66 0F D6 /r).
    mutating func movq(_ dst: MemoryOperand, _ src: XMM) {
        encodeRM(prefix: 0x66, w: false, 0x0FD6, reg: src.rawValue, dst)
    }

    /// `movd xmm, dword ptr [m]` (66 0F 6E /r): zeroes the upper lanes.
    mutating func movd(_ dst: XMM, _ src: MemoryOperand) {
        encodeRM(prefix: 0x66, w: false, 0x0F6E, reg: dst.rawValue, src)
    }

    /// `movq xmm, xmm` (F3 0F 7E /r): the low lane, the upper one zeroed.
    mutating func movqZeroingUpper(_ dst: XMM, _ src: XMM) {
        encodeRR(prefix: 0xF3, w: false, 0x0F7E, reg: dst.rawValue, rm: src.rawValue)
    }
}
