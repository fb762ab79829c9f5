/// VEX encodings (AVX, AVX2) of the packed instructions: the same operations as the SSE
/// forms of `X64Assembler+SIMD.swift`, 128 bits wide (VEX.L = 0, which also zeroes bits
/// 128 and up of the destination), with a separate first source, so `vop dst, a, b`
/// leaves `a` intact. The SSE mandatory prefix becomes VEX.pp and the 0F/0F38/0F3A escape
/// VEX.mmmmm; the two-byte prefix (C5) is used whenever the instruction allows it.
extension PackedOp {
    /// Whether the VEX form has a single source (VEX.vvvv unused): moves, conversions,
    /// square roots, absolute values, extensions and `ptest`.
    var isUnary: Bool {
        switch self {
        case .pabsb, .pabsw, .pabsd, .ptest,
            .pmovsxbw, .pmovsxwd, .pmovsxdq, .pmovzxbw, .pmovzxwd, .pmovzxdq,
            .sqrtps, .sqrtpd, .cvtdq2ps, .cvttps2dq, .cvtps2pd, .cvtpd2ps, .cvtdq2pd, .cvttpd2dq,
            .movaps, .movdqa:
            return true
        default:
            return false
        }
    }
}

extension PackedImmediateOp {
    /// Whether the VEX form has a single source besides the immediate.
    var isUnary: Bool {
        switch self {
        case .pshufd, .pshuflw, .pshufhw, .roundps, .roundpd: return true
        default: return false
        }
    }
}

extension X64Assembler {
    // MARK: - VEX prefix

    /// The VEX prefix and the opcode byte for an SSE-style `prefix`/`op` pair (`op` as in
    /// `PackedOp`: 0x0F38_xx and so on). `reg`, `index`, `base` are 4-bit register numbers
    /// (only bit 3 goes in the prefix); `source` is the register in VEX.vvvv (0 when unused,
    /// which encodes as the required 1111).
    mutating func vex(prefix: UInt8, w: Bool, _ op: UInt32, reg: UInt8, source: UInt8, index: UInt8, base: UInt8) {
        let map: UInt8
        switch op >> 8 {
        case 0x0F: map = 1
        case 0x0F38: map = 2
        case 0x0F3A: map = 3
        default: preconditionFailure("opcode \(String(op, radix: 16)) has no VEX map")
        }
        let pp: UInt8
        switch prefix {
        case 0: pp = 0
        case 0x66: pp = 1
        case 0xF3: pp = 2
        case 0xF2: pp = 3
        default: preconditionFailure("prefix \(String(prefix, radix: 16)) has no VEX form")
        }
        let notR: UInt8 = reg & 8 == 0 ? 0x80 : 0
        let notX: UInt8 = index & 8 == 0 ? 0x40 : 0
        let notB: UInt8 = base & 8 == 0 ? 0x20 : 0
        let vvvv: UInt8 = (~source & 0xF) << 3
        if map == 1 && !w && index & 8 == 0 && base & 8 == 0 {
            byte(0xC5)
            byte(notR | vvvv | pp)
        } else {
            byte(0xC4)
            byte(notR | notX | notB | map)
            byte((w ? 0x80 : 0) | vvvv | pp)
        }
        byte(UInt8(truncatingIfNeeded: op))
    }

    /// VEX, opcode and a register-direct ModRM.
    mutating func vexRR(prefix: UInt8, w: Bool = false, _ op: UInt32, reg: UInt8, source: UInt8, rm: UInt8) {
        vex(prefix: prefix, w: w, op, reg: reg, source: source, index: 0, base: rm)
        byte(0xC0 | (reg & 7) << 3 | (rm & 7))
    }

    /// VEX, opcode and the ModRM (SIB, displacement) addressing `m`.
    mutating func vexRM(prefix: UInt8, w: Bool = false, _ op: UInt32, reg: UInt8, source: UInt8, _ m: MemoryOperand) {
        vex(prefix: prefix, w: w, op, reg: reg, source: source, index: m.index?.rawValue ?? 0, base: m.base?.rawValue ?? 0)
        modRM(reg: reg, m)
    }

    // MARK: - Packed AVX

    /// `vop dst, a, b` for a two-source `PackedOp` (`a` is left intact).
    mutating func vex(_ op: PackedOp, _ dst: XMM, _ a: XMM, _ b: XMM) {
        precondition(!op.isUnary, "\(op) has one source")
        vexRR(prefix: op.prefix, op.opcode, reg: dst.rawValue, source: a.rawValue, rm: b.rawValue)
    }

    /// `vop dst, a, xmmword ptr [m]` (VEX forms need no alignment).
    mutating func vex(_ op: PackedOp, _ dst: XMM, _ a: XMM, _ b: MemoryOperand) {
        precondition(!op.isUnary, "\(op) has one source")
        vexRM(prefix: op.prefix, op.opcode, reg: dst.rawValue, source: a.rawValue, b)
    }

    /// `vop dst, src` for a one-source `PackedOp`. A move from xmm8–15 to xmm0–7 takes the
    /// store form (`vmovaps`: 0F 29, `vmovdqa`: 66 0F 7F), whose two-byte prefix suffices,
    /// as LLVM's assembler does.
    mutating func vex(_ op: PackedOp, _ dst: XMM, _ src: XMM) {
        precondition(op.isUnary, "\(op) has two sources")
        if (op == .movaps || op == .movdqa) && src.rawValue >= 8 && dst.rawValue < 8 {
            vexRR(prefix: op.prefix, op == .movaps ? 0x0F29 : 0x0F7F, reg: src.rawValue, source: 0, rm: dst.rawValue)
            return
        }
        vexRR(prefix: op.prefix, op.opcode, reg: dst.rawValue, source: 0, rm: src.rawValue)
    }

    /// `vop dst, [m]` for a one-source `PackedOp`.
    mutating func vex(_ op: PackedOp, _ dst: XMM, _ src: MemoryOperand) {
        precondition(op.isUnary, "\(op) has two sources")
        vexRM(prefix: op.prefix, op.opcode, reg: dst.rawValue, source: 0, src)
    }

    /// `vop dst, a, b, imm8` for a two-source `PackedImmediateOp`.
    mutating func vex(_ op: PackedImmediateOp, _ dst: XMM, _ a: XMM, _ b: XMM, imm: UInt8) {
        precondition(!op.isUnary, "\(op) has one source")
        vexRR(prefix: op.prefix, op.opcode, reg: dst.rawValue, source: a.rawValue, rm: b.rawValue)
        byte(imm)
    }

    /// `vop dst, src, imm8` for a one-source `PackedImmediateOp`.
    mutating func vex(_ op: PackedImmediateOp, _ dst: XMM, _ src: XMM, imm: UInt8) {
        precondition(op.isUnary, "\(op) has two sources")
        vexRR(prefix: op.prefix, op.opcode, reg: dst.rawValue, source: 0, rm: src.rawValue)
        byte(imm)
    }

    /// `vop dst, src, imm8` for a `PackedShiftImmediateOp` (the destination in VEX.vvvv,
    /// the opcode extension in ModRM.reg).
    mutating func vex(_ op: PackedShiftImmediateOp, _ dst: XMM, _ src: XMM, imm: UInt8) {
        vexRR(prefix: 0x66, op.opcode, reg: op.ext, source: dst.rawValue, rm: src.rawValue)
        byte(imm)
    }

    /// `vpbroadcastb/w/d/q dst, src` (AVX2; VEX.128.66.0F38.W0 78/79/58/59): lane 0 of
    /// `src`, `bytes` wide, in every lane.
    mutating func vpbroadcast(_ bytes: Int, _ dst: XMM, _ src: XMM) {
        vexRR(prefix: 0x66, S.broadcastOpcode(bytes), reg: dst.rawValue, source: 0, rm: src.rawValue)
    }

    /// `vpbroadcastb/w/d/q dst, [m]`: the `bytes` at `m` in every lane.
    mutating func vpbroadcast(_ bytes: Int, _ dst: XMM, _ src: MemoryOperand) {
        vexRM(prefix: 0x66, S.broadcastOpcode(bytes), reg: dst.rawValue, source: 0, src)
    }

    private typealias S = X64Assembler

    private static func broadcastOpcode(_ bytes: Int) -> UInt32 {
        switch bytes {
        case 1: 0x0F3878
        case 2: 0x0F3879
        case 4: 0x0F3858
        case 8: 0x0F3859
        default: preconditionFailure("no broadcast of \(bytes) bytes")
        }
    }

    /// `vmovd xmm, r32` (VEX.128.66.0F.W0 6E): zeroes the upper lanes.
    mutating func vmovd(_ dst: XMM, _ src: GPR) {
        vexRR(prefix: 0x66, 0x0F6E, reg: dst.rawValue, source: 0, rm: src.rawValue)
    }

    /// `vmovq xmm, r64` (VEX.128.66.0F.W1 6E).
    mutating func vmovq(_ dst: XMM, _ src: GPR) {
        vexRR(prefix: 0x66, w: true, 0x0F6E, reg: dst.rawValue, source: 0, rm: src.rawValue)
    }
}
