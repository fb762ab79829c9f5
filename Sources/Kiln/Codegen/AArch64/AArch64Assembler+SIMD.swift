// Advanced SIMD (NEON) for WebAssembly's v128: Q-register loads and stores, lane moves
// (DUP, INS, UMOV, SMOV), table lookups, permutes, and the vector arithmetic families
// (three same, two-register miscellaneous, across lanes, three different, shifts by
// immediate). The bitwise operations, MOVI/MVNI, CNT and SHL/USHR are in
// `AArch64Assembler+Float.swift`.
//
// Each family is an enum of its instructions with their fixed fields; one method per
// family encodes them, checking the arrangements the instruction accepts.

extension AArch64 {
    /// Three registers of the same arrangement: `0 Q U 01110 size 1 Rm opcode 1 Rn Rd`.
    enum VectorThreeSame: Sendable, CaseIterable {
        case add, sub, sqadd, uqadd, sqsub, uqsub, cmgt, cmhi, cmge, cmhs, cmeq, sshl, ushl
        case smax, umax, smin, umin, urhadd, mul, sqrdmulh, addp, umaxp
        case fadd, fsub, fmul, fdiv, fmax, fmin, fcmeq, fcmge, fcmgt, fmla, fmls

        /// (U, opcode, float `a` bit or nil for integer instructions).
        var fields: (u: UInt32, opcode: UInt32, a: UInt32?) {
            switch self {
            case .add: (0, 0b10000, nil)
            case .sub: (1, 0b10000, nil)
            case .sqadd: (0, 0b00001, nil)
            case .uqadd: (1, 0b00001, nil)
            case .sqsub: (0, 0b00101, nil)
            case .uqsub: (1, 0b00101, nil)
            case .cmgt: (0, 0b00110, nil)
            case .cmhi: (1, 0b00110, nil)
            case .cmge: (0, 0b00111, nil)
            case .cmhs: (1, 0b00111, nil)
            case .cmeq: (1, 0b10001, nil)
            case .sshl: (0, 0b01000, nil)
            case .ushl: (1, 0b01000, nil)
            case .smax: (0, 0b01100, nil)
            case .umax: (1, 0b01100, nil)
            case .smin: (0, 0b01101, nil)
            case .umin: (1, 0b01101, nil)
            case .urhadd: (1, 0b00010, nil)
            case .mul: (0, 0b10011, nil)
            case .sqrdmulh: (1, 0b10110, nil)
            case .addp: (0, 0b10111, nil)
            case .umaxp: (1, 0b10100, nil)
            case .fadd: (0, 0b11010, 0)
            case .fsub: (0, 0b11010, 1)
            case .fmul: (1, 0b11011, 0)
            case .fdiv: (1, 0b11111, 0)
            case .fmax: (0, 0b11110, 0)
            case .fmin: (0, 0b11110, 1)
            case .fcmeq: (0, 0b11100, 0)
            case .fcmge: (1, 0b11100, 0)
            case .fcmgt: (1, 0b11100, 1)
            case .fmla: (0, 0b11001, 0)
            case .fmls: (0, 0b11001, 1)
            }
        }

        /// Whether the instruction has no 2D form (and, for `mul`/`sqrdmulh`, the byte
        /// form is missing too).
        var noDoubleword: Bool {
            switch self {
            case .smax, .umax, .smin, .umin, .urhadd, .mul, .sqrdmulh, .umaxp: true
            default: false
            }
        }
    }

    /// Two-register miscellaneous: `0 Q U 01110 size 10000 opcode 10 Rn Rd`.
    enum VectorTwoMisc: Sendable, CaseIterable {
        case cnt, not, abs, neg, cmeqZero, saddlp, uaddlp
        case fabs, fneg, fsqrt, frintn, frintm, frintp, frintz, fcvtzs, fcvtzu, scvtf, ucvtf

        /// (U, opcode, float `a` bit or nil for integer instructions).
        var fields: (u: UInt32, opcode: UInt32, a: UInt32?) {
            switch self {
            case .cnt: (0, 0b00101, nil)
            case .not: (1, 0b00101, nil)
            case .abs: (0, 0b01011, nil)
            case .neg: (1, 0b01011, nil)
            case .cmeqZero: (0, 0b01001, nil)
            case .saddlp: (0, 0b00010, nil)
            case .uaddlp: (1, 0b00010, nil)
            case .fabs: (0, 0b01111, 1)
            case .fneg: (1, 0b01111, 1)
            case .fsqrt: (1, 0b11111, 1)
            case .frintn: (0, 0b11000, 0)
            case .frintm: (0, 0b11001, 0)
            case .frintp: (0, 0b11000, 1)
            case .frintz: (0, 0b11001, 1)
            case .fcvtzs: (0, 0b11011, 1)
            case .fcvtzu: (1, 0b11011, 1)
            case .scvtf: (0, 0b11101, 0)
            case .ucvtf: (1, 0b11101, 0)
            }
        }
    }

    /// Narrowing two-register miscellaneous: the destination has lanes half as wide; the
    /// `2` forms (`upper: true`) write the upper half and keep the lower.
    enum VectorNarrow: Sendable, CaseIterable {
        case xtn, sqxtn, uqxtn, sqxtun, fcvtn

        var fields: (u: UInt32, opcode: UInt32) {
            switch self {
            case .xtn: (0, 0b10010)
            case .sqxtn: (0, 0b10100)
            case .uqxtn: (1, 0b10100)
            case .sqxtun: (1, 0b10010)
            case .fcvtn: (0, 0b10110)
            }
        }
    }

    /// Across lanes: `0 Q U 01110 size 11000 opcode 10 Rn Rd`.
    enum VectorAcross: Sendable, CaseIterable {
        case umaxv, uminv

        var fields: (u: UInt32, opcode: UInt32) {
            switch self {
            case .umaxv: (1, 0b01010)
            case .uminv: (1, 0b11010)
            }
        }
    }

    /// Permutes: `0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd`.
    enum VectorPermute: UInt32, Sendable, CaseIterable {
        case uzp1 = 0b001, trn1 = 0b010, zip1 = 0b011, uzp2 = 0b101, trn2 = 0b110, zip2 = 0b111
    }
}

extension AArch64Assembler {
    typealias VectorThreeSame = AArch64.VectorThreeSame
    typealias VectorTwoMisc = AArch64.VectorTwoMisc
    typealias VectorNarrow = AArch64.VectorNarrow
    typealias VectorAcross = AArch64.VectorAcross
    typealias VectorPermute = AArch64.VectorPermute

    private static func registers(_ vd: VRegister, _ vn: VRegister, _ vm: VRegister? = nil) -> UInt32 {
        UInt32(vm?.number ?? 0) << 16 | UInt32(vn.number) << 5 | UInt32(vd.number)
    }

    /// The `size` field of a float vector instruction (`a:sz`), or a failure unless the
    /// arrangement is 2s, 4s or 2d.
    private mutating func floatSizeField(_ a: UInt32, _ arrangement: VectorArrangement, _ what: String) -> UInt32 {
        switch arrangement {
        case .s2, .s4: return a << 1
        case .d2: return a << 1 | 1
        default: return fail("\(what): the arrangement must be 2s, 4s or 2d, not \(arrangement.name)")
        }
    }

    // MARK: - Loads and stores of Q registers

    /// `ldr qt, address` (all of `Address`'s forms; scaled offsets are multiples of 16).
    mutating func ldrQ(_ vt: VRegister, _ address: Address) {
        loadStore(MemoryOperation(sizeLog2: 4, vector: true, opc: 3, mnemonic: "ldr"), rt: UInt32(vt.number), rtGeneral: nil, address)
    }

    /// `str qt, address`.
    mutating func strQ(_ vt: VRegister, _ address: Address) {
        loadStore(MemoryOperation(sizeLog2: 4, vector: true, opc: 2, mnemonic: "str"), rt: UInt32(vt.number), rtGeneral: nil, address)
    }

    // MARK: - Arithmetic families

    /// A three-same instruction, `op vd.T, vn.T, vm.T`.
    mutating func vector(_ op: VectorThreeSame, _ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister,
                         _ vm: VRegister) {
        let (u, opcode, a) = op.fields
        var size: UInt32 = 0
        if let a {
            size = floatSizeField(a, arrangement, "\(op)")
        } else if arrangement == .d1 || (arrangement == .d2 && op.noDoubleword)
                    || ((op == .sqrdmulh) && (arrangement == .b8 || arrangement == .b16)) {
            fail("\(op): no \(arrangement.name) form")
        } else {
            size = arrangement.laneSizeLog2
        }
        put(0x0E20_0400 | arrangement.q | u << 29 | size << 22 | opcode << 11 | Self.registers(vd, vn, vm))
    }

    /// A two-register miscellaneous instruction, `op vd.T, vn.T` (`cmeqZero` is
    /// `cmeq vd.T, vn.T, #0`; `saddlp`/`uaddlp` name the source arrangement, the result has
    /// lanes twice as wide; `cnt`/`not` take 8b or 16b).
    mutating func vector(_ op: VectorTwoMisc, _ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister) {
        let (u, opcode, a) = op.fields
        var size: UInt32 = 0
        if let a {
            size = floatSizeField(a, arrangement, "\(op)")
        } else {
            switch op {
            case .cnt, .not:
                if arrangement != .b8 && arrangement != .b16 { fail("\(op): the arrangement must be 8b or 16b") }
            case .saddlp, .uaddlp:
                if arrangement == .d1 || arrangement == .d2 { fail("\(op): no \(arrangement.name) form") }
                size = arrangement.laneSizeLog2
            default:
                if arrangement == .d1 { fail("\(op): no 1d form") }
                size = arrangement.laneSizeLog2
            }
        }
        put(0x0E20_0800 | arrangement.q | u << 29 | size << 22 | opcode << 12 | Self.registers(vd, vn))
    }

    /// A narrowing instruction: `op vd.<half of T>, vn.T` (T = 8h, 4s, 2d; `fcvtn`: 4s, 2d),
    /// or `op2` into the upper half with `upper`.
    mutating func vector(_ op: VectorNarrow, _ source: VectorArrangement, _ vd: VRegister, _ vn: VRegister, upper: Bool = false) {
        let (u, opcode) = op.fields
        var size: UInt32 = 0
        switch (op, source) {
        case (.fcvtn, .s4): size = 0
        case (.fcvtn, .d2): size = 1
        case (.fcvtn, _): fail("fcvtn: the source must be 4s or 2d")
        case (_, .h8), (_, .s4), (_, .d2): size = source.laneSizeLog2 - 1
        default: fail("\(op): the source must be 8h, 4s or 2d, not \(source.name)")
        }
        put(0x0E20_0800 | (upper ? 1 << 30 : 0) | u << 29 | size << 22 | opcode << 12 | Self.registers(vd, vn))
    }

    /// `fcvtl vd.2d, vn.2s` (the low two singles widened), or `fcvtl2 vd.2d, vn.4s`.
    mutating func fcvtl(_ vd: VRegister, _ vn: VRegister, upper: Bool = false) {
        put(0x0E20_0800 | (upper ? 1 << 30 : 0) | 1 << 22 | 0b10111 << 12 | Self.registers(vd, vn))
    }

    /// An across-lanes reduction into a scalar: `op bd/hd/sd, vn.T` (T = 8b, 16b, 4h, 8h, 4s).
    mutating func vector(_ op: VectorAcross, _ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister) {
        let (u, opcode) = op.fields
        switch arrangement {
        case .s2, .d1, .d2: fail("\(op): no \(arrangement.name) form")
        default: break
        }
        put(0x0E30_0800 | arrangement.q | u << 29 | arrangement.laneSizeLog2 << 22 | opcode << 12 | Self.registers(vd, vn))
    }

    /// `smull vd.<2T>, vn.T, vm.T` (T = 8b, 4h, 2s: the low halves), or `smull2` with the
    /// upper halves (T = 16b, 8h, 4s); `unsigned` gives `umull`/`umull2`.
    mutating func mull(unsigned: Bool, _ source: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        if source == .d1 || source == .d2 { fail("\(unsigned ? "umull" : "smull"): no \(source.name) source") }
        put(0x0E20_C000 | source.q | (unsigned ? 1 << 29 : 0) | source.laneSizeLog2 << 22 | Self.registers(vd, vn, vm))
    }

    // MARK: - Shifts by immediate

    /// `sshr vd.T, vn.T, #shift` (shift 1 ... lane bits).
    mutating func sshr(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, imm shift: Int) {
        let esize = arrangement.laneBits
        var immhb: UInt32 = 0
        if arrangement == .d1 { fail("sshr: no 1d vector form") }
        if shift >= 1 && shift <= esize { immhb = UInt32(2 * esize - shift) } else { fail("sshr: shift \(shift) is out of range") }
        put(0x0F00_0400 | arrangement.q | immhb << 16 | Self.registers(vd, vn))
    }

    /// `sshll vd.<2T>, vn.T, #0` (`sxtl`, T = 8b, 4h, 2s) or `sshll2` from the upper half
    /// (T = 16b, 8h, 4s); `unsigned` gives `ushll`/`uxtl`.
    mutating func xtl(unsigned: Bool, _ source: VectorArrangement, _ vd: VRegister, _ vn: VRegister) {
        if source == .d1 || source == .d2 { fail("\(unsigned ? "uxtl" : "sxtl"): no \(source.name) source") }
        let immh = UInt32(source.laneBits)  // shift 0: immh:immb = esize
        put(0x0F00_A400 | source.q | (unsigned ? 1 << 29 : 0) | immh << 16 | Self.registers(vd, vn))
    }

    // MARK: - Lanes

    /// `imm5` for lane `index` of lanes of 2^log2 bytes.
    private mutating func laneField(_ log2: UInt32, _ index: Int, _ what: String) -> UInt32 {
        if log2 > 3 || index < 0 || index >= 16 >> Int(log2) { return fail("\(what): lane \(index) is out of range") }
        return (UInt32(index) << 1 | 1) << log2
    }

    /// `dup vd.T, vn.<Ts>[index]`: every lane of vd = that lane of vn (not 1d).
    mutating func dup(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, lane index: Int) {
        if arrangement == .d1 { fail("dup: no 1d form") }
        let imm5 = laneField(arrangement.laneSizeLog2, index, "dup")
        put(0x0E00_0400 | arrangement.q | imm5 << 16 | Self.registers(vd, vn))
    }

    /// `dup vd.T, wn/xn` (xn for 2d): every lane = the low bits of the general register.
    mutating func dup(_ arrangement: VectorArrangement, _ vd: VRegister, _ rn: Register) {
        let n = zr(rn, "dup")
        if arrangement == .d1 { fail("dup: no 1d form") }
        let imm5 = laneField(arrangement.laneSizeLog2, 0, "dup")
        put(0x0E00_0C00 | arrangement.q | imm5 << 16 | n << 5 | UInt32(vd.number))
    }

    /// `mov bd/hd/sd/dd, vn.T[index]` (scalar `dup`): the lane alone, the rest of vd zeroed.
    /// `log2` is the lane size's log2 (0 ... 3).
    mutating func dupScalar(_ log2: UInt32, _ vd: VRegister, _ vn: VRegister, lane index: Int) {
        let imm5 = laneField(log2, index, "dup")
        put(0x5E00_0400 | imm5 << 16 | Self.registers(vd, vn))
    }

    /// `ins vd.T[index], wn/xn` (`mov`): one lane of 2^log2 bytes from a general register.
    mutating func ins(_ log2: UInt32, _ vd: VRegister, lane index: Int, _ rn: Register) {
        let n = zr(rn, "ins")
        let imm5 = laneField(log2, index, "ins")
        put(0x4E00_1C00 | imm5 << 16 | n << 5 | UInt32(vd.number))
    }

    /// `ins vd.T[index], vn.T[source]` (`mov`): one lane from another vector's lane.
    mutating func ins(_ log2: UInt32, _ vd: VRegister, lane index: Int, _ vn: VRegister, lane source: Int) {
        let imm5 = laneField(log2, index, "ins")
        var imm4: UInt32 = 0
        if source < 0 || source >= 16 >> Int(log2) { fail("ins: source lane \(source) is out of range") } else { imm4 = UInt32(source) << log2 }
        put(0x6E00_0400 | imm5 << 16 | imm4 << 11 | Self.registers(vd, vn))
    }

    /// `umov wd, vn.T[index]` (b, h, s) or `umov xd, vn.d[index]`: a lane, zero-extended.
    mutating func umov(_ log2: UInt32, _ rd: Register, _ vn: VRegister, lane index: Int) {
        let d = zr(rd, "umov")
        let imm5 = laneField(log2, index, "umov")
        put(0x0E00_3C00 | (log2 == 3 ? 1 << 30 : 0) | imm5 << 16 | UInt32(vn.number) << 5 | d)
    }

    /// `smov wd/xd, vn.T[index]` (b or h lanes): a lane, sign-extended to 32 or 64 bits.
    mutating func smov(_ size: Size, _ log2: UInt32, _ rd: Register, _ vn: VRegister, lane index: Int) {
        let d = zr(rd, "smov")
        if log2 > 1 && !(log2 == 2 && size == .x) { fail("smov: lanes must be b or h (or s into x)") }
        let imm5 = laneField(log2, index, "smov")
        put(0x0E00_2C00 | (size == .x ? 1 << 30 : 0) | imm5 << 16 | UInt32(vn.number) << 5 | d)
    }

    // MARK: - Permutes and tables

    /// `zip1/zip2/uzp1/uzp2/trn1/trn2 vd.T, vn.T, vm.T` (not 1d).
    mutating func permute(_ op: VectorPermute, _ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister,
                          _ vm: VRegister) {
        if arrangement == .d1 { fail("\(op): no 1d form") }
        put(0x0E00_0800 | arrangement.q | arrangement.laneSizeLog2 << 22 | op.rawValue << 12 | Self.registers(vd, vn, vm))
    }

    /// `tbl vd.16b, {vn.16b ... v(n+count-1).16b}, vm.16b`: byte lookup in `count` (1 ... 4)
    /// consecutive registers; indices past the table give 0.
    mutating func tbl(_ vd: VRegister, _ vn: VRegister, count: Int, _ vm: VRegister) {
        var len: UInt32 = 0
        if count < 1 || count > 4 { fail("tbl: \(count) table registers") } else { len = UInt32(count - 1) }
        put(0x4E00_0000 | len << 13 | Self.registers(vd, vn, vm))
    }

    /// `ext vd.16b, vn.16b, vm.16b, #index`: bytes index... of the pair vm:vn.
    mutating func ext(_ vd: VRegister, _ vn: VRegister, _ vm: VRegister, _ index: Int) {
        var imm4: UInt32 = 0
        if index < 0 || index > 15 { fail("ext: index \(index) is not 0...15") } else { imm4 = UInt32(index) }
        put(0x6E00_0000 | imm4 << 11 | Self.registers(vd, vn, vm))
    }
}
