// Loads and stores: LDR/STR of bytes, halfwords, words, doublewords and S/D registers,
// the sign-extending loads, the unscaled LDUR/STUR forms, and LDP/STP.
//
// Register 31 in memory instructions: the base register is SP-capable (`[sp, #8]`), the
// transferred register and the index register are ZR-capable (`str xzr, [x0]`).

extension AArch64 {
    /// The address of a load or store.
    enum Address: Hashable, Sendable {
        /// `[base, #offset]`. `ldr`/`str` use the scaled unsigned-offset form when `offset`
        /// is a multiple of the access size in 0 ... 4095 × size, and the unscaled form
        /// (LDUR/STUR, -256...255) otherwise; `ldur`/`stur` always use the unscaled form.
        case offset(Register, Int64)
        /// `[base, #offset]!`: base += offset, then access at the new base (-256...255).
        case preIndex(Register, Int64)
        /// `[base], #offset`: access at base, then base += offset (-256...255).
        case postIndex(Register, Int64)
        /// `[base, index{, extend {#amount}}]`: base plus the index extended by `extend`,
        /// shifted left by log2(access size) when `scaled` (the only shift available;
        /// written `lsl #0` for byte accesses). W index for `uxtw`/`sxtw`, X for `lsl`/`sxtx`.
        case indexed(Register, index: Register, IndexExtend = .lsl, scaled: Bool = false)

        /// `[base]`.
        static func base(_ base: Register) -> Address { .offset(base, 0) }
    }

    /// The address of LDP/STP. Offsets are multiples of the register size in -64...63 ×
    /// size.
    enum PairAddress: Hashable, Sendable {
        /// `[base, #offset]`.
        case offset(Register, Int64)
        /// `[base, #offset]!`.
        case preIndex(Register, Int64)
        /// `[base], #offset`.
        case postIndex(Register, Int64)
    }
}

extension AArch64Assembler {
    typealias Address = AArch64.Address
    typealias PairAddress = AArch64.PairAddress

    /// One load/store instruction class: bits 31:30 (`size`), 26 (`V`) and 23:22 (`opc`) of
    /// the single-register encodings.
    struct MemoryOperation: Sendable {
        /// log2 of the access size in bytes.
        var sizeLog2: UInt32
        var vector: Bool
        var opc: UInt32
        var mnemonic: String
        /// Whether it loads (writeback into the transferred register is then unpredictable).
        var isLoad: Bool { opc != 0 }

        var bits: UInt32 { sizeLog2 << 30 | (vector ? 1 << 26 : 0) | opc << 22 }
        var accessSize: Int { 1 << Int(sizeLog2) }

        static let strb = MemoryOperation(sizeLog2: 0, vector: false, opc: 0, mnemonic: "strb")
        static let ldrb = MemoryOperation(sizeLog2: 0, vector: false, opc: 1, mnemonic: "ldrb")
        static let ldrsbX = MemoryOperation(sizeLog2: 0, vector: false, opc: 2, mnemonic: "ldrsb")
        static let ldrsbW = MemoryOperation(sizeLog2: 0, vector: false, opc: 3, mnemonic: "ldrsb")
        static let strh = MemoryOperation(sizeLog2: 1, vector: false, opc: 0, mnemonic: "strh")
        static let ldrh = MemoryOperation(sizeLog2: 1, vector: false, opc: 1, mnemonic: "ldrh")
        static let ldrshX = MemoryOperation(sizeLog2: 1, vector: false, opc: 2, mnemonic: "ldrsh")
        static let ldrshW = MemoryOperation(sizeLog2: 1, vector: false, opc: 3, mnemonic: "ldrsh")
        static let strW = MemoryOperation(sizeLog2: 2, vector: false, opc: 0, mnemonic: "str")
        static let ldrW = MemoryOperation(sizeLog2: 2, vector: false, opc: 1, mnemonic: "ldr")
        static let ldrsw = MemoryOperation(sizeLog2: 2, vector: false, opc: 2, mnemonic: "ldrsw")
        static let strX = MemoryOperation(sizeLog2: 3, vector: false, opc: 0, mnemonic: "str")
        static let ldrX = MemoryOperation(sizeLog2: 3, vector: false, opc: 1, mnemonic: "ldr")
        static let strS = MemoryOperation(sizeLog2: 2, vector: true, opc: 0, mnemonic: "str")
        static let ldrS = MemoryOperation(sizeLog2: 2, vector: true, opc: 1, mnemonic: "ldr")
        static let strD = MemoryOperation(sizeLog2: 3, vector: true, opc: 0, mnemonic: "str")
        static let ldrD = MemoryOperation(sizeLog2: 3, vector: true, opc: 1, mnemonic: "ldr")
    }

    /// Emits one load or store of `rt` (a register number already checked by the caller;
    /// `rtGeneral` is the general register when it is one, for the writeback check).
    /// `unscaledOnly` forces LDUR/STUR for `.offset`.
    mutating func loadStore(_ op: MemoryOperation, rt: UInt32, rtGeneral: Register?, _ address: Address,
                            unscaledOnly: Bool = false) {
        var mnemonic = op.mnemonic
        switch address {
        case .offset(let base, let offset):
            let n = sp(base, mnemonic)
            if !unscaledOnly, let imm12 = AArch64.scaledOffset(offset, accessSize: op.accessSize) {
                // Unsigned offset: size 111 V 01 opc imm12 Rn Rt.
                put(op.bits | 0x3900_0000 | imm12 << 10 | n << 5 | rt)
                return
            }
            if unscaledOnly { mnemonic = String(mnemonic.prefix(2)) + "u" + mnemonic.dropFirst(2) }  // ldr -> ldur
            var imm9: UInt32 = 0
            if let encoded = AArch64.unscaledOffset(offset) {
                imm9 = encoded
            } else if unscaledOnly {
                fail("\(mnemonic): offset \(offset) is not -256...255")
            } else {
                fail("\(mnemonic): offset \(offset) is neither a multiple of \(op.accessSize) in 0...\(4095 * op.accessSize) nor in -256...255")
            }
            // Unscaled: size 111 V 00 opc 0 imm9 00 Rn Rt.
            put(op.bits | 0x3800_0000 | imm9 << 12 | n << 5 | rt)
        case .preIndex(let base, let offset), .postIndex(let base, let offset):
            let pre: Bool
            if case .preIndex = address { pre = true } else { pre = false }
            let n = sp(base, mnemonic)
            if let rtGeneral, rtGeneral.kind == .general, rtGeneral == base {
                fail("\(mnemonic): writeback to \(base), which is also the transferred register, is unpredictable")
            }
            var imm9: UInt32 = 0
            if let encoded = AArch64.unscaledOffset(offset) { imm9 = encoded } else { fail("\(mnemonic): writeback offset \(offset) is not -256...255") }
            // size 111 V 00 opc 0 imm9 x1 Rn Rt (01 post-index, 11 pre-index).
            put(op.bits | 0x3800_0000 | imm9 << 12 | (pre ? 0b11 : 0b01) << 10 | n << 5 | rt)
        case .indexed(let base, let index, let extend, let scaled):
            let n = sp(base, mnemonic), m = zr(index, mnemonic)
            // Register offset: size 111 V 00 opc 1 Rm option S 10 Rn Rt.
            put(op.bits | 0x3820_0800 | m << 16 | extend.rawValue << 13 | (scaled ? 1 << 12 : 0) | n << 5 | rt)
        }
    }

    // MARK: - General registers

    /// `ldr wt/xt, address`. Rt is ZR-capable.
    mutating func ldr(_ size: Size, _ rt: Register, _ address: Address) {
        loadStore(size == .x ? .ldrX : .ldrW, rt: zr(rt, "ldr"), rtGeneral: rt, address)
    }
    /// `str wt/xt, address` (`str xzr, [...]` stores zero).
    mutating func str(_ size: Size, _ rt: Register, _ address: Address) {
        loadStore(size == .x ? .strX : .strW, rt: zr(rt, "str"), rtGeneral: rt, address)
    }
    /// `ldrb wt, address`: loads a byte, zero-extended.
    mutating func ldrb(_ rt: Register, _ address: Address) {
        loadStore(.ldrb, rt: zr(rt, "ldrb"), rtGeneral: rt, address)
    }
    /// `ldrh wt, address`: loads a halfword, zero-extended.
    mutating func ldrh(_ rt: Register, _ address: Address) {
        loadStore(.ldrh, rt: zr(rt, "ldrh"), rtGeneral: rt, address)
    }
    /// `strb wt, address`: stores the low byte.
    mutating func strb(_ rt: Register, _ address: Address) {
        loadStore(.strb, rt: zr(rt, "strb"), rtGeneral: rt, address)
    }
    /// `strh wt, address`: stores the low halfword.
    mutating func strh(_ rt: Register, _ address: Address) {
        loadStore(.strh, rt: zr(rt, "strh"), rtGeneral: rt, address)
    }
    /// `ldrsb wt/xt, address`: loads a byte, sign-extended to 32 or 64 bits.
    mutating func ldrsb(_ size: Size, _ rt: Register, _ address: Address) {
        loadStore(size == .x ? .ldrsbX : .ldrsbW, rt: zr(rt, "ldrsb"), rtGeneral: rt, address)
    }
    /// `ldrsh wt/xt, address`: loads a halfword, sign-extended to 32 or 64 bits.
    mutating func ldrsh(_ size: Size, _ rt: Register, _ address: Address) {
        loadStore(size == .x ? .ldrshX : .ldrshW, rt: zr(rt, "ldrsh"), rtGeneral: rt, address)
    }
    /// `ldrsw xt, address`: loads a word, sign-extended to 64 bits.
    mutating func ldrsw(_ rt: Register, _ address: Address) {
        loadStore(.ldrsw, rt: zr(rt, "ldrsw"), rtGeneral: rt, address)
    }

    /// Checks that an address is `.offset` for the explicitly unscaled forms; returns false
    /// (after emitting `udf #0`) otherwise.
    private mutating func unscaledAddress(_ address: Address, _ mnemonic: String) -> Bool {
        if case .offset = address { return true }
        fail("\(mnemonic): only [base, #offset] addresses have an unscaled form")
        put(0)
        return false
    }

    /// `ldur wt/xt, [base, #offset]` (offset -256...255, any alignment).
    mutating func ldur(_ size: Size, _ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "ldur") else { return }
        loadStore(size == .x ? .ldrX : .ldrW, rt: zr(rt, "ldur"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `stur wt/xt, [base, #offset]`.
    mutating func stur(_ size: Size, _ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "stur") else { return }
        loadStore(size == .x ? .strX : .strW, rt: zr(rt, "stur"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `ldurb wt, [base, #offset]`.
    mutating func ldurb(_ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "ldurb") else { return }
        loadStore(.ldrb, rt: zr(rt, "ldurb"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `ldurh wt, [base, #offset]`.
    mutating func ldurh(_ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "ldurh") else { return }
        loadStore(.ldrh, rt: zr(rt, "ldurh"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `sturb wt, [base, #offset]`.
    mutating func sturb(_ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "sturb") else { return }
        loadStore(.strb, rt: zr(rt, "sturb"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `sturh wt, [base, #offset]`.
    mutating func sturh(_ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "sturh") else { return }
        loadStore(.strh, rt: zr(rt, "sturh"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `ldursb wt/xt, [base, #offset]`.
    mutating func ldursb(_ size: Size, _ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "ldursb") else { return }
        loadStore(size == .x ? .ldrsbX : .ldrsbW, rt: zr(rt, "ldursb"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `ldursh wt/xt, [base, #offset]`.
    mutating func ldursh(_ size: Size, _ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "ldursh") else { return }
        loadStore(size == .x ? .ldrshX : .ldrshW, rt: zr(rt, "ldursh"), rtGeneral: rt, address, unscaledOnly: true)
    }
    /// `ldursw xt, [base, #offset]`.
    mutating func ldursw(_ rt: Register, _ address: Address) {
        guard unscaledAddress(address, "ldursw") else { return }
        loadStore(.ldrsw, rt: zr(rt, "ldursw"), rtGeneral: rt, address, unscaledOnly: true)
    }

    // MARK: - Floating-point registers

    /// `ldr st/dt, address`.
    mutating func ldr(_ size: FloatSize, _ vt: VRegister, _ address: Address) {
        loadStore(size == .d ? .ldrD : .ldrS, rt: UInt32(vt.number), rtGeneral: nil, address)
    }
    /// `str st/dt, address`.
    mutating func str(_ size: FloatSize, _ vt: VRegister, _ address: Address) {
        loadStore(size == .d ? .strD : .strS, rt: UInt32(vt.number), rtGeneral: nil, address)
    }
    /// `ldur st/dt, [base, #offset]`.
    mutating func ldur(_ size: FloatSize, _ vt: VRegister, _ address: Address) {
        guard unscaledAddress(address, "ldur") else { return }
        loadStore(size == .d ? .ldrD : .ldrS, rt: UInt32(vt.number), rtGeneral: nil, address, unscaledOnly: true)
    }
    /// `stur st/dt, [base, #offset]`.
    mutating func stur(_ size: FloatSize, _ vt: VRegister, _ address: Address) {
        guard unscaledAddress(address, "stur") else { return }
        loadStore(size == .d ? .strD : .strS, rt: UInt32(vt.number), rtGeneral: nil, address, unscaledOnly: true)
    }

    // MARK: - Pairs

    /// LDP/STP: `opc 101 V mode L imm7 Rt2 Rn Rt`.
    private mutating func pair(opc: UInt32, vector: Bool, load: Bool, accessSize: Int, rt: UInt32, rt2: UInt32,
                               general: (Register, Register)?, _ address: PairAddress) {
        let mnemonic = load ? "ldp" : "stp"
        let base: Register, offset: Int64, mode: UInt32
        switch address {
        case .offset(let b, let o): (base, offset, mode) = (b, o, 0b010)
        case .preIndex(let b, let o): (base, offset, mode) = (b, o, 0b011)
        case .postIndex(let b, let o): (base, offset, mode) = (b, o, 0b001)
        }
        let n = sp(base, mnemonic)
        if load && rt == rt2 {
            fail("\(mnemonic): loading the same register twice is unpredictable")
        }
        if mode != 0b010, let (r1, r2) = general, (r1.kind == .general && r1 == base) || (r2.kind == .general && r2 == base) {
            fail("\(mnemonic): writeback to \(base), which is also a transferred register, is unpredictable")
        }
        var imm7: UInt32 = 0
        if let encoded = AArch64.pairOffset(offset, accessSize: accessSize) {
            imm7 = encoded
        } else {
            fail("\(mnemonic): offset \(offset) is not a multiple of \(accessSize) in \(-64 * accessSize)...\(63 * accessSize)")
        }
        put(opc << 30 | 0x2800_0000 | (vector ? 1 << 26 : 0) | mode << 23 | (load ? 1 << 22 : 0) | imm7 << 15 | rt2 << 10 | n << 5 | rt)
    }

    /// `ldp wt1/xt1, wt2/xt2, address`. ZR-capable registers (a load into both the same
    /// register is rejected as unpredictable, as is writeback into a loaded register).
    mutating func ldp(_ size: Size, _ rt1: Register, _ rt2: Register, _ address: PairAddress) {
        let t1 = zr(rt1, "ldp"), t2 = zr(rt2, "ldp")
        pair(opc: size == .x ? 2 : 0, vector: false, load: true, accessSize: size == .x ? 8 : 4, rt: t1, rt2: t2,
             general: (rt1, rt2), address)
    }
    /// `stp wt1/xt1, wt2/xt2, address` (`stp x29, x30, [sp, #-16]!`).
    mutating func stp(_ size: Size, _ rt1: Register, _ rt2: Register, _ address: PairAddress) {
        let t1 = zr(rt1, "stp"), t2 = zr(rt2, "stp")
        pair(opc: size == .x ? 2 : 0, vector: false, load: false, accessSize: size == .x ? 8 : 4, rt: t1, rt2: t2,
             general: (rt1, rt2), address)
    }
    /// `ldp st1/dt1, st2/dt2, address`.
    mutating func ldp(_ size: FloatSize, _ vt1: VRegister, _ vt2: VRegister, _ address: PairAddress) {
        pair(opc: size == .d ? 1 : 0, vector: true, load: true, accessSize: size == .d ? 8 : 4,
             rt: UInt32(vt1.number), rt2: UInt32(vt2.number), general: nil, address)
    }
    /// `stp st1/dt1, st2/dt2, address`.
    mutating func stp(_ size: FloatSize, _ vt1: VRegister, _ vt2: VRegister, _ address: PairAddress) {
        pair(opc: size == .d ? 1 : 0, vector: true, load: false, accessSize: size == .d ? 8 : 4,
             rt: UInt32(vt1.number), rt2: UInt32(vt2.number), general: nil, address)
    }
}
