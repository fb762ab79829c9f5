// Integer data processing: ADD/SUB (immediate, shifted and extended register), logic
// (register and bitmask immediate), wide moves and constant materialization, multiply and
// divide, variable and immediate shifts, bitfield moves and their extension aliases, bit
// reversal and counting, conditional select and conditional compare.
//
// `size` selects W (32-bit) or X (64-bit) for every register operand of an instruction
// unless a doc comment says otherwise. Register 31: see each comment; `.sp` and `.zr` are
// checked against what the field means (see `AArch64Assembler`).

extension AArch64Assembler {
    // MARK: - ADD/SUB

    /// ADD, ADDS, SUB, SUBS as the `op:S` bits (30:29).
    enum AddSubOp: UInt32, Sendable {
        case add = 0, adds = 1, sub = 2, subs = 3

        var setsFlags: Bool { rawValue & 1 != 0 }
        var negated: AddSubOp { AddSubOp(rawValue: rawValue ^ 2)! }
        var mnemonic: String { "\(self)" }
    }

    /// `op rd, rn, #imm` (ADD/SUB immediate). A negative `imm` emits the opposite operation
    /// with `-imm` (as assemblers do: `add x0, x1, #-8` is `sub x0, x1, #8`). The magnitude
    /// must be 0...4095 or a multiple of 4096 up to 4095 << 12 (`lsl #12`). Rd is SP-capable
    /// for ADD/SUB and ZR for ADDS/SUBS; Rn is SP-capable.
    mutating func addSub(_ op: AddSubOp, _ size: Size, _ rd: Register, _ rn: Register, imm: Int64) {
        var op = op
        var magnitude = UInt64(bitPattern: imm)
        if imm < 0 {
            op = op.negated
            magnitude = 0 &- magnitude
        }
        let d = op.setsFlags ? zr(rd, op.mnemonic) : sp(rd, op.mnemonic)
        let n = sp(rn, op.mnemonic)
        var fields: UInt32 = 0
        if let encoded = AArch64.AddSubImmediate(magnitude) {
            fields = encoded.fields
        } else {
            fail("\(op.mnemonic): immediate \(imm) is not 12 bits, optionally shifted left by 12")
        }
        put(size.sf | op.rawValue << 29 | 0x1100_0000 | fields | n << 5 | d)
    }

    /// `op rd, rn, rm{, shift #amount}` (ADD/SUB shifted register; LSL, LSR or ASR, amount
    /// below the operand width). All three registers are ZR-capable, except that SP as `rd`
    /// (ADD/SUB only) or `rn` selects the extended-register form with UXTX/UXTW (LSL
    /// #0...4 only), where register 31 is SP, as `add sp, sp, x1` assembles.
    mutating func addSub(_ op: AddSubOp, _ size: Size, _ rd: Register, _ rn: Register, _ rm: Register,
                         _ shift: Shift = .lsl, _ amount: Int = 0) {
        if rd.isStackPointer || rn.isStackPointer {
            if shift != .lsl {
                fail("\(op.mnemonic): with sp, the register can only be shifted left (extended-register form)")
                put(0)
                return
            }
            addSub(op, size, rd, rn, rm, extend: size == .x ? .uxtx : .uxtw, amount)
            return
        }
        let d = zr(rd, op.mnemonic), n = zr(rn, op.mnemonic), m = zr(rm, op.mnemonic)
        if shift == .ror { fail("\(op.mnemonic): ror is not a valid shift for add/sub") }
        let a = shiftAmount(amount, size, op.mnemonic)
        put(size.sf | op.rawValue << 29 | 0x0B00_0000 | shift.rawValue << 22 | m << 16 | a << 10 | n << 5 | d)
    }

    /// `op rd, rn, rm, extend{ #amount}` (ADD/SUB extended register): rm is W for the
    /// byte/halfword/word extends and X for UXTX/SXTX; `amount` 0...4 shifts the extended
    /// value left. Rd is SP-capable for ADD/SUB and ZR for ADDS/SUBS; Rn is SP-capable;
    /// Rm is ZR-capable.
    mutating func addSub(_ op: AddSubOp, _ size: Size, _ rd: Register, _ rn: Register, _ rm: Register,
                         extend: Extend, _ amount: Int = 0) {
        let d = op.setsFlags ? zr(rd, op.mnemonic) : sp(rd, op.mnemonic)
        let n = sp(rn, op.mnemonic), m = zr(rm, op.mnemonic)
        var a: UInt32 = 0
        if amount >= 0 && amount <= 4 { a = UInt32(amount) } else { fail("\(op.mnemonic): extend shift \(amount) is not 0...4") }
        put(size.sf | op.rawValue << 29 | 0x0B20_0000 | m << 16 | extend.rawValue << 13 | a << 10 | n << 5 | d)
    }

    /// Checks a shifted-register amount (0 ... width-1).
    private mutating func shiftAmount(_ amount: Int, _ size: Size, _ mnemonic: String) -> UInt32 {
        guard amount >= 0 && amount < size.bits else { return fail("\(mnemonic): shift amount \(amount) is not 0...\(size.bits - 1)") }
        return UInt32(amount)
    }

    /// `add rd, rn, #imm` (`sub` for a negative imm). See `addSub(_:_:_:_:imm:)`.
    mutating func add(_ size: Size, _ rd: Register, _ rn: Register, imm: Int64) { addSub(.add, size, rd, rn, imm: imm) }
    /// `adds rd, rn, #imm` (`subs` for a negative imm).
    mutating func adds(_ size: Size, _ rd: Register, _ rn: Register, imm: Int64) { addSub(.adds, size, rd, rn, imm: imm) }
    /// `sub rd, rn, #imm` (`add` for a negative imm).
    mutating func sub(_ size: Size, _ rd: Register, _ rn: Register, imm: Int64) { addSub(.sub, size, rd, rn, imm: imm) }
    /// `subs rd, rn, #imm` (`adds` for a negative imm).
    mutating func subs(_ size: Size, _ rd: Register, _ rn: Register, imm: Int64) { addSub(.subs, size, rd, rn, imm: imm) }

    /// `add rd, rn, rm{, shift #amount}`.
    mutating func add(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        addSub(.add, size, rd, rn, rm, shift, amount)
    }
    /// `adds rd, rn, rm{, shift #amount}`.
    mutating func adds(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        addSub(.adds, size, rd, rn, rm, shift, amount)
    }
    /// `sub rd, rn, rm{, shift #amount}`.
    mutating func sub(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        addSub(.sub, size, rd, rn, rm, shift, amount)
    }
    /// `subs rd, rn, rm{, shift #amount}`.
    mutating func subs(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        addSub(.subs, size, rd, rn, rm, shift, amount)
    }

    /// `add rd, rn, rm, extend{ #amount}`, e.g. `add x0, x1, w2, uxtw #2`.
    mutating func add(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, extend: Extend, _ amount: Int = 0) {
        addSub(.add, size, rd, rn, rm, extend: extend, amount)
    }
    /// `adds rd, rn, rm, extend{ #amount}`.
    mutating func adds(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, extend: Extend, _ amount: Int = 0) {
        addSub(.adds, size, rd, rn, rm, extend: extend, amount)
    }
    /// `sub rd, rn, rm, extend{ #amount}`.
    mutating func sub(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, extend: Extend, _ amount: Int = 0) {
        addSub(.sub, size, rd, rn, rm, extend: extend, amount)
    }
    /// `subs rd, rn, rm, extend{ #amount}`.
    mutating func subs(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, extend: Extend, _ amount: Int = 0) {
        addSub(.subs, size, rd, rn, rm, extend: extend, amount)
    }

    /// `cmp rn, #imm` (SUBS with ZR as destination; `cmn rn, #-imm` for a negative imm).
    /// Rn is SP-capable.
    mutating func cmp(_ size: Size, _ rn: Register, imm: Int64) { addSub(.subs, size, .zr, rn, imm: imm) }
    /// `cmn rn, #imm` (ADDS with ZR as destination; `cmp rn, #-imm` for a negative imm).
    mutating func cmn(_ size: Size, _ rn: Register, imm: Int64) { addSub(.adds, size, .zr, rn, imm: imm) }
    /// `cmp rn, rm{, shift #amount}` (SP as rn: the extended form, `cmp sp, x1`).
    mutating func cmp(_ size: Size, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        addSub(.subs, size, .zr, rn, rm, shift, amount)
    }
    /// `cmn rn, rm{, shift #amount}`.
    mutating func cmn(_ size: Size, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        addSub(.adds, size, .zr, rn, rm, shift, amount)
    }
    /// `cmp rn, rm, extend{ #amount}`.
    mutating func cmp(_ size: Size, _ rn: Register, _ rm: Register, extend: Extend, _ amount: Int = 0) {
        addSub(.subs, size, .zr, rn, rm, extend: extend, amount)
    }
    /// `cmn rn, rm, extend{ #amount}`.
    mutating func cmn(_ size: Size, _ rn: Register, _ rm: Register, extend: Extend, _ amount: Int = 0) {
        addSub(.adds, size, .zr, rn, rm, extend: extend, amount)
    }

    /// `neg rd, rm{, shift #amount}` (SUB from ZR).
    mutating func neg(_ size: Size, _ rd: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        if rd.isStackPointer { fail("neg: sp is not allowed here (register 31 is the zero register in this field)") }
        addSub(.sub, size, rd, .zr, rm, shift, amount)
    }
    /// `negs rd, rm{, shift #amount}` (SUBS from ZR).
    mutating func negs(_ size: Size, _ rd: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        if rd.isStackPointer { fail("negs: sp is not allowed here (register 31 is the zero register in this field)") }
        addSub(.subs, size, rd, .zr, rm, shift, amount)
    }

    // MARK: - Logic

    /// AND, ORR, EOR, ANDS as the `opc` field (30:29).
    enum LogicalOp: UInt32, Sendable {
        case and = 0, orr = 1, eor = 2, ands = 3
    }

    /// `op rd, rn, rm{, shift #amount}` (logical shifted register; any shift including ROR,
    /// amount below the width). `invert` selects BIC/ORN/EON/BICS (rm inverted). All three
    /// registers are ZR-capable.
    mutating func logical(_ op: LogicalOp, invert: Bool = false, _ size: Size, _ rd: Register, _ rn: Register, _ rm: Register,
                          _ shift: Shift = .lsl, _ amount: Int = 0) {
        let mnemonic = invert ? ["bic", "orn", "eon", "bics"][Int(op.rawValue)] : "\(op)"
        let d = zr(rd, mnemonic), n = zr(rn, mnemonic), m = zr(rm, mnemonic)
        let a = shiftAmount(amount, size, mnemonic)
        put(size.sf | op.rawValue << 29 | 0x0A00_0000 | shift.rawValue << 22 | (invert ? 1 << 21 : 0) | m << 16 | a << 10 | n << 5 | d)
    }

    /// `op rd, rn, #bitmask` (logical immediate). The value must be a bitmask immediate for
    /// the width (see `AArch64.LogicalImmediate`; for W, zero- or sign-extended 32 bits).
    /// Rd is SP-capable for AND/ORR/EOR and ZR for ANDS; Rn is ZR-capable.
    mutating func logical(_ op: LogicalOp, _ size: Size, _ rd: Register, _ rn: Register, imm: UInt64) {
        let mnemonic = "\(op)"
        let d = op == .ands ? zr(rd, mnemonic) : sp(rd, mnemonic)
        let n = zr(rn, mnemonic)
        var fields: UInt32 = 0
        if let bitmask = AArch64.LogicalImmediate(imm, size: size) {
            fields = bitmask.fields
        } else {
            fail("\(mnemonic): 0x\(String(imm, radix: 16)) is not a \(size.bits)-bit bitmask immediate")
        }
        put(size.sf | op.rawValue << 29 | 0x1200_0000 | fields | n << 5 | d)
    }

    /// `and rd, rn, rm{, shift #amount}`.
    mutating func and(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.and, size, rd, rn, rm, shift, amount)
    }
    /// `ands rd, rn, rm{, shift #amount}`.
    mutating func ands(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.ands, size, rd, rn, rm, shift, amount)
    }
    /// `orr rd, rn, rm{, shift #amount}`.
    mutating func orr(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.orr, size, rd, rn, rm, shift, amount)
    }
    /// `eor rd, rn, rm{, shift #amount}`.
    mutating func eor(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.eor, size, rd, rn, rm, shift, amount)
    }
    /// `bic rd, rn, rm{, shift #amount}`: rd = rn & ~rm.
    mutating func bic(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.and, invert: true, size, rd, rn, rm, shift, amount)
    }
    /// `bics rd, rn, rm{, shift #amount}`.
    mutating func bics(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.ands, invert: true, size, rd, rn, rm, shift, amount)
    }
    /// `orn rd, rn, rm{, shift #amount}`: rd = rn | ~rm.
    mutating func orn(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.orr, invert: true, size, rd, rn, rm, shift, amount)
    }
    /// `eon rd, rn, rm{, shift #amount}`: rd = rn ^ ~rm.
    mutating func eon(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.eor, invert: true, size, rd, rn, rm, shift, amount)
    }
    /// `mvn rd, rm{, shift #amount}` (ORN from ZR).
    mutating func mvn(_ size: Size, _ rd: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.orr, invert: true, size, rd, .zr, rm, shift, amount)
    }
    /// `tst rn, rm{, shift #amount}` (ANDS to ZR).
    mutating func tst(_ size: Size, _ rn: Register, _ rm: Register, _ shift: Shift = .lsl, _ amount: Int = 0) {
        logical(.ands, size, .zr, rn, rm, shift, amount)
    }

    /// `and rd, rn, #bitmask` (rd SP-capable).
    mutating func and(_ size: Size, _ rd: Register, _ rn: Register, imm: UInt64) { logical(.and, size, rd, rn, imm: imm) }
    /// `ands rd, rn, #bitmask`.
    mutating func ands(_ size: Size, _ rd: Register, _ rn: Register, imm: UInt64) { logical(.ands, size, rd, rn, imm: imm) }
    /// `orr rd, rn, #bitmask` (rd SP-capable).
    mutating func orr(_ size: Size, _ rd: Register, _ rn: Register, imm: UInt64) { logical(.orr, size, rd, rn, imm: imm) }
    /// `eor rd, rn, #bitmask` (rd SP-capable).
    mutating func eor(_ size: Size, _ rd: Register, _ rn: Register, imm: UInt64) { logical(.eor, size, rd, rn, imm: imm) }
    /// `tst rn, #bitmask` (ANDS to ZR).
    mutating func tst(_ size: Size, _ rn: Register, imm: UInt64) { logical(.ands, size, .zr, rn, imm: imm) }

    // MARK: - Moves

    /// `mov rd, rm`: `orr rd, zr, rm`, or `add rd, rm, #0` when either is SP (`mov sp, x0`,
    /// `mov x29, sp`).
    mutating func mov(_ size: Size, _ rd: Register, _ rm: Register) {
        if rd.isStackPointer || rm.isStackPointer {
            addSub(.add, size, rd, rm, imm: 0)
        } else {
            logical(.orr, size, rd, .zr, rm)
        }
    }

    /// MOVN, MOVZ, MOVK as the `opc` field (30:29).
    private enum WideOp: UInt32 {
        case movn = 0, movz = 2, movk = 3
    }

    private mutating func moveWide(_ op: WideOp, _ size: Size, _ rd: Register, _ imm16: UInt16, _ shift: Int) {
        let mnemonic = "\(op)"
        let d = zr(rd, mnemonic)
        var hw: UInt32 = 0
        if shift >= 0 && shift < size.bits && shift % 16 == 0 {
            hw = UInt32(shift / 16)
        } else {
            fail("\(mnemonic): shift \(shift) is not \(size == .w ? "0 or 16" : "0, 16, 32 or 48")")
        }
        put(size.sf | op.rawValue << 29 | 0x1280_0000 | hw << 21 | UInt32(imm16) << 5 | d)
    }

    /// `movz rd, #imm16{, lsl #shift}`: rd = imm16 << shift (shift 0/16, or 0/16/32/48 for X).
    mutating func movz(_ size: Size, _ rd: Register, imm16: UInt16, shift: Int = 0) { moveWide(.movz, size, rd, imm16, shift) }
    /// `movn rd, #imm16{, lsl #shift}`: rd = ~(imm16 << shift).
    mutating func movn(_ size: Size, _ rd: Register, imm16: UInt16, shift: Int = 0) { moveWide(.movn, size, rd, imm16, shift) }
    /// `movk rd, #imm16{, lsl #shift}`: replaces bits shift+15...shift of rd.
    mutating func movk(_ size: Size, _ rd: Register, imm16: UInt16, shift: Int = 0) { moveWide(.movk, size, rd, imm16, shift) }

    /// Loads any constant into rd (x0...x30) with the shortest sequence
    /// `AArch64.wideMoves(_:size:)` finds: one to four of MOVZ/MOVN/MOVK, a single
    /// `orr rd, zr, #bitmask`, or such an ORR followed by MOVKs. For X, a value that fits in
    /// 32 bits may be built with W instructions (which zero the upper half). For W the value
    /// must fit in 32 bits, zero- or sign-extended. Emits 1...4 instructions; the flags are
    /// not touched.
    mutating func mov(_ size: Size, _ rd: Register, imm: UInt64) {
        guard rd.kind == .general else {
            fail("mov: \(rd) cannot be loaded with a constant")
            put(0)
            return
        }
        if size == .w {
            let high = imm >> 32
            guard high == 0 || (high == 0xFFFF_FFFF && imm & 0x8000_0000 != 0) else {
                fail("mov: 0x\(String(imm, radix: 16)) does not fit in 32 bits")
                put(0)
                return
            }
        }
        let plan = AArch64.wideMoves(imm, size: size)
        for move in plan.moves {
            switch move {
            case .movz(let v, let shift): movz(plan.size, rd, imm16: v, shift: shift)
            case .movn(let v, let shift): movn(plan.size, rd, imm16: v, shift: shift)
            case .movk(let v, let shift): movk(plan.size, rd, imm16: v, shift: shift)
            case .orr(let bitmask): put(plan.size.sf | 0x3200_0000 | bitmask.fields | 31 << 5 | UInt32(rd.number))
            }
        }
    }

    // MARK: - Multiply and divide

    /// `madd rd, rn, rm, ra`: rd = ra + rn * rm. All ZR-capable.
    mutating func madd(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ ra: Register) {
        multiply(size, 0x1B00_0000, rd, rn, rm, ra, "madd")
    }
    /// `msub rd, rn, rm, ra`: rd = ra - rn * rm (with SDIV/UDIV, the remainder).
    mutating func msub(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ ra: Register) {
        multiply(size, 0x1B00_8000, rd, rn, rm, ra, "msub")
    }
    /// `mul rd, rn, rm` (MADD with ZR): the low half of the product.
    mutating func mul(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) {
        multiply(size, 0x1B00_0000, rd, rn, rm, .zr, "mul")
    }
    /// `mneg rd, rn, rm` (MSUB with ZR): -(rn * rm).
    mutating func mneg(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) {
        multiply(size, 0x1B00_8000, rd, rn, rm, .zr, "mneg")
    }
    /// `smulh xd, xn, xm`: the high 64 bits of the signed 128-bit product.
    mutating func smulh(_ rd: Register, _ rn: Register, _ rm: Register) {
        multiply(.x, 0x1B40_0000, rd, rn, rm, .zr, "smulh")
    }
    /// `umulh xd, xn, xm`: the high 64 bits of the unsigned 128-bit product.
    mutating func umulh(_ rd: Register, _ rn: Register, _ rm: Register) {
        multiply(.x, 0x1BC0_0000, rd, rn, rm, .zr, "umulh")
    }
    /// `smull xd, wn, wm`: the signed 64-bit product of two W registers.
    mutating func smull(_ rd: Register, _ rn: Register, _ rm: Register) {
        multiply(.x, 0x1B20_0000, rd, rn, rm, .zr, "smull")
    }
    /// `umull xd, wn, wm`: the unsigned 64-bit product of two W registers.
    mutating func umull(_ rd: Register, _ rn: Register, _ rm: Register) {
        multiply(.x, 0x1BA0_0000, rd, rn, rm, .zr, "umull")
    }

    private mutating func multiply(_ size: Size, _ base: UInt32, _ rd: Register, _ rn: Register, _ rm: Register,
                                   _ ra: Register, _ mnemonic: String) {
        let d = zr(rd, mnemonic), n = zr(rn, mnemonic), m = zr(rm, mnemonic), a = zr(ra, mnemonic)
        put(size.sf | base | m << 16 | a << 10 | n << 5 | d)
    }

    /// Data-processing (2 source): `sf 0 0 11010110 Rm opcode Rn Rd`.
    private mutating func twoSource(_ size: Size, _ opcode: UInt32, _ rd: Register, _ rn: Register, _ rm: Register, _ mnemonic: String) {
        let d = zr(rd, mnemonic), n = zr(rn, mnemonic), m = zr(rm, mnemonic)
        put(size.sf | 0x1AC0_0000 | m << 16 | opcode << 10 | n << 5 | d)
    }

    /// `sdiv rd, rn, rm`: signed quotient rounded toward zero; x/0 = 0 and
    /// INT_MIN/-1 = INT_MIN (no trap).
    mutating func sdiv(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { twoSource(size, 0b000011, rd, rn, rm, "sdiv") }
    /// `udiv rd, rn, rm`: unsigned quotient; x/0 = 0.
    mutating func udiv(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { twoSource(size, 0b000010, rd, rn, rm, "udiv") }

    // MARK: - Shifts

    /// `lslv rd, rn, rm` (also written `lsl rd, rn, rm`): the count is rm modulo the width.
    mutating func lslv(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { twoSource(size, 0b001000, rd, rn, rm, "lslv") }
    /// `lsrv rd, rn, rm` (`lsr`).
    mutating func lsrv(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { twoSource(size, 0b001001, rd, rn, rm, "lsrv") }
    /// `asrv rd, rn, rm` (`asr`).
    mutating func asrv(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { twoSource(size, 0b001010, rd, rn, rm, "asrv") }
    /// `rorv rd, rn, rm` (`ror`).
    mutating func rorv(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { twoSource(size, 0b001011, rd, rn, rm, "rorv") }

    /// `lsl rd, rn, rm` (LSLV).
    mutating func lsl(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { lslv(size, rd, rn, rm) }
    /// `lsr rd, rn, rm` (LSRV).
    mutating func lsr(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { lsrv(size, rd, rn, rm) }
    /// `asr rd, rn, rm` (ASRV).
    mutating func asr(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { asrv(size, rd, rn, rm) }
    /// `ror rd, rn, rm` (RORV).
    mutating func ror(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register) { rorv(size, rd, rn, rm) }

    /// `lsl rd, rn, #shift` (`ubfm rd, rn, #(-shift mod width), #(width-1-shift)`), shift
    /// 0 ... width-1.
    mutating func lsl(_ size: Size, _ rd: Register, _ rn: Register, imm shift: Int) {
        guard checkShift(shift, size, "lsl") else { return }
        bitfield(.ubfm, size, rd, rn, immr: (size.bits - shift) % size.bits, imms: size.bits - 1 - shift, "lsl")
    }
    /// `lsr rd, rn, #shift` (`ubfm rd, rn, #shift, #(width-1)`).
    mutating func lsr(_ size: Size, _ rd: Register, _ rn: Register, imm shift: Int) {
        guard checkShift(shift, size, "lsr") else { return }
        bitfield(.ubfm, size, rd, rn, immr: shift, imms: size.bits - 1, "lsr")
    }
    /// `asr rd, rn, #shift` (`sbfm rd, rn, #shift, #(width-1)`).
    mutating func asr(_ size: Size, _ rd: Register, _ rn: Register, imm shift: Int) {
        guard checkShift(shift, size, "asr") else { return }
        bitfield(.sbfm, size, rd, rn, immr: shift, imms: size.bits - 1, "asr")
    }
    /// `ror rd, rn, #shift` (`extr rd, rn, rn, #shift`).
    mutating func ror(_ size: Size, _ rd: Register, _ rn: Register, imm shift: Int) {
        extr(size, rd, rn, rn, lsb: shift)
    }

    /// Records a failure and emits `udf #0` unless 0 <= shift < width.
    private mutating func checkShift(_ shift: Int, _ size: Size, _ mnemonic: String) -> Bool {
        if shift >= 0 && shift < size.bits { return true }
        fail("\(mnemonic): shift \(shift) is not 0...\(size.bits - 1)")
        put(0)
        return false
    }

    // MARK: - Bitfield moves

    /// SBFM, BFM, UBFM as the `opc` field (30:29).
    enum BitfieldOp: UInt32, Sendable {
        case sbfm = 0, bfm = 1, ubfm = 2
    }

    /// `op rd, rn, #immr, #imms` (immr and imms 0 ... width-1). All ZR-capable.
    mutating func bitfield(_ op: BitfieldOp, _ size: Size, _ rd: Register, _ rn: Register, immr: Int, imms: Int,
                           _ mnemonic: String? = nil) {
        let mnemonic = mnemonic ?? "\(op)"
        let d = zr(rd, mnemonic), n = zr(rn, mnemonic)
        var fields: UInt32 = 0
        if immr >= 0 && immr < size.bits && imms >= 0 && imms < size.bits {
            fields = UInt32(immr) << 16 | UInt32(imms) << 10
        } else {
            fail("\(mnemonic): bitfield immr \(immr), imms \(imms) out of range for \(size.bits) bits")
        }
        let n22: UInt32 = size == .x ? 1 << 22 : 0
        put(size.sf | op.rawValue << 29 | 0x1300_0000 | n22 | fields | n << 5 | d)
    }

    /// `sbfm rd, rn, #immr, #imms`.
    mutating func sbfm(_ size: Size, _ rd: Register, _ rn: Register, immr: Int, imms: Int) { bitfield(.sbfm, size, rd, rn, immr: immr, imms: imms) }
    /// `bfm rd, rn, #immr, #imms`.
    mutating func bfm(_ size: Size, _ rd: Register, _ rn: Register, immr: Int, imms: Int) { bitfield(.bfm, size, rd, rn, immr: immr, imms: imms) }
    /// `ubfm rd, rn, #immr, #imms`.
    mutating func ubfm(_ size: Size, _ rd: Register, _ rn: Register, immr: Int, imms: Int) { bitfield(.ubfm, size, rd, rn, immr: immr, imms: imms) }

    /// Checks a field of `width` bits at `lsb` (width >= 1, lsb + width <= operand width).
    private mutating func checkField(_ lsb: Int, _ width: Int, _ size: Size, _ mnemonic: String) -> Bool {
        if lsb >= 0 && width >= 1 && lsb + width <= size.bits { return true }
        fail("\(mnemonic): field of \(width) bits at bit \(lsb) does not fit in \(size.bits) bits")
        put(0)
        return false
    }

    /// `ubfx rd, rn, #lsb, #width`: extracts `width` bits at `lsb`, zero-extended.
    mutating func ubfx(_ size: Size, _ rd: Register, _ rn: Register, lsb: Int, width: Int) {
        guard checkField(lsb, width, size, "ubfx") else { return }
        bitfield(.ubfm, size, rd, rn, immr: lsb, imms: lsb + width - 1, "ubfx")
    }
    /// `sbfx rd, rn, #lsb, #width`: extracts `width` bits at `lsb`, sign-extended.
    mutating func sbfx(_ size: Size, _ rd: Register, _ rn: Register, lsb: Int, width: Int) {
        guard checkField(lsb, width, size, "sbfx") else { return }
        bitfield(.sbfm, size, rd, rn, immr: lsb, imms: lsb + width - 1, "sbfx")
    }
    /// `ubfiz rd, rn, #lsb, #width`: the low `width` bits of rn moved to `lsb`, zeros elsewhere.
    mutating func ubfiz(_ size: Size, _ rd: Register, _ rn: Register, lsb: Int, width: Int) {
        guard checkField(lsb, width, size, "ubfiz") else { return }
        bitfield(.ubfm, size, rd, rn, immr: (size.bits - lsb) % size.bits, imms: width - 1, "ubfiz")
    }
    /// `sbfiz rd, rn, #lsb, #width`: as UBFIZ, sign-extended from the top of the field.
    mutating func sbfiz(_ size: Size, _ rd: Register, _ rn: Register, lsb: Int, width: Int) {
        guard checkField(lsb, width, size, "sbfiz") else { return }
        bitfield(.sbfm, size, rd, rn, immr: (size.bits - lsb) % size.bits, imms: width - 1, "sbfiz")
    }
    /// `bfi rd, rn, #lsb, #width`: inserts the low `width` bits of rn at `lsb` of rd.
    mutating func bfi(_ size: Size, _ rd: Register, _ rn: Register, lsb: Int, width: Int) {
        guard checkField(lsb, width, size, "bfi") else { return }
        bitfield(.bfm, size, rd, rn, immr: (size.bits - lsb) % size.bits, imms: width - 1, "bfi")
    }
    /// `bfxil rd, rn, #lsb, #width`: copies `width` bits at `lsb` of rn to the bottom of rd.
    mutating func bfxil(_ size: Size, _ rd: Register, _ rn: Register, lsb: Int, width: Int) {
        guard checkField(lsb, width, size, "bfxil") else { return }
        bitfield(.bfm, size, rd, rn, immr: lsb, imms: lsb + width - 1, "bfxil")
    }

    /// `sxtb rd, wn` (`sbfm rd, rn, #0, #7`): sign-extends the low byte to W or X.
    mutating func sxtb(_ size: Size, _ rd: Register, _ rn: Register) { bitfield(.sbfm, size, rd, rn, immr: 0, imms: 7, "sxtb") }
    /// `sxth rd, wn` (`sbfm rd, rn, #0, #15`).
    mutating func sxth(_ size: Size, _ rd: Register, _ rn: Register) { bitfield(.sbfm, size, rd, rn, immr: 0, imms: 15, "sxth") }
    /// `sxtw xd, wn` (`sbfm xd, xn, #0, #31`).
    mutating func sxtw(_ rd: Register, _ rn: Register) { bitfield(.sbfm, .x, rd, rn, immr: 0, imms: 31, "sxtw") }
    /// `uxtb wd, wn` (`ubfm wd, wn, #0, #7`); the upper 32 bits of xd are zeroed too.
    mutating func uxtb(_ rd: Register, _ rn: Register) { bitfield(.ubfm, .w, rd, rn, immr: 0, imms: 7, "uxtb") }
    /// `uxth wd, wn` (`ubfm wd, wn, #0, #15`).
    mutating func uxth(_ rd: Register, _ rn: Register) { bitfield(.ubfm, .w, rd, rn, immr: 0, imms: 15, "uxth") }

    /// `extr rd, rn, rm, #lsb`: bits lsb+width-1...lsb of the concatenation rn:rm (lsb 0 ...
    /// width-1).
    mutating func extr(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, lsb: Int) {
        let d = zr(rd, "extr"), n = zr(rn, "extr"), m = zr(rm, "extr")
        var imms: UInt32 = 0
        if lsb >= 0 && lsb < size.bits { imms = UInt32(lsb) } else { fail("extr: lsb \(lsb) is not 0...\(size.bits - 1)") }
        let n22: UInt32 = size == .x ? 1 << 22 : 0
        put(size.sf | 0x1380_0000 | n22 | m << 16 | imms << 10 | n << 5 | d)
    }

    // MARK: - Bit manipulation

    /// Data-processing (1 source): `sf 1 0 11010110 00000 opcode Rn Rd`.
    private mutating func oneSource(_ size: Size, _ opcode: UInt32, _ rd: Register, _ rn: Register, _ mnemonic: String) {
        let d = zr(rd, mnemonic), n = zr(rn, mnemonic)
        put(size.sf | 0x5AC0_0000 | opcode << 10 | n << 5 | d)
    }

    /// `clz rd, rn`: count leading zeros (the width for zero).
    mutating func clz(_ size: Size, _ rd: Register, _ rn: Register) { oneSource(size, 0b000100, rd, rn, "clz") }
    /// `cls rd, rn`: count leading sign bits (excluding the sign bit itself).
    mutating func cls(_ size: Size, _ rd: Register, _ rn: Register) { oneSource(size, 0b000101, rd, rn, "cls") }
    /// `rbit rd, rn`: reverses the bit order (with CLZ: count trailing zeros).
    mutating func rbit(_ size: Size, _ rd: Register, _ rn: Register) { oneSource(size, 0b000000, rd, rn, "rbit") }
    /// `rev rd, rn`: reverses the byte order of the whole register.
    mutating func rev(_ size: Size, _ rd: Register, _ rn: Register) { oneSource(size, size == .x ? 0b000011 : 0b000010, rd, rn, "rev") }
    /// `rev16 rd, rn`: reverses the bytes in each halfword.
    mutating func rev16(_ size: Size, _ rd: Register, _ rn: Register) { oneSource(size, 0b000001, rd, rn, "rev16") }
    /// `rev32 xd, xn`: reverses the bytes in each word.
    mutating func rev32(_ rd: Register, _ rn: Register) { oneSource(.x, 0b000010, rd, rn, "rev32") }

    // MARK: - Conditional select and compare

    private mutating func conditionalSelect(_ size: Size, _ base: UInt32, _ rd: Register, _ rn: Register, _ rm: Register,
                                            _ cond: Condition, _ mnemonic: String) {
        let d = zr(rd, mnemonic), n = zr(rn, mnemonic), m = zr(rm, mnemonic)
        put(size.sf | base | m << 16 | cond.rawValue << 12 | n << 5 | d)
    }

    /// `csel rd, rn, rm, cond`: rd = cond ? rn : rm.
    mutating func csel(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ cond: Condition) {
        conditionalSelect(size, 0x1A80_0000, rd, rn, rm, cond, "csel")
    }
    /// `csinc rd, rn, rm, cond`: rd = cond ? rn : rm + 1.
    mutating func csinc(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ cond: Condition) {
        conditionalSelect(size, 0x1A80_0400, rd, rn, rm, cond, "csinc")
    }
    /// `csinv rd, rn, rm, cond`: rd = cond ? rn : ~rm.
    mutating func csinv(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ cond: Condition) {
        conditionalSelect(size, 0x5A80_0000, rd, rn, rm, cond, "csinv")
    }
    /// `csneg rd, rn, rm, cond`: rd = cond ? rn : -rm.
    mutating func csneg(_ size: Size, _ rd: Register, _ rn: Register, _ rm: Register, _ cond: Condition) {
        conditionalSelect(size, 0x5A80_0400, rd, rn, rm, cond, "csneg")
    }

    /// Fails (and emits `udf #0`) for AL/NV, which the inverted-condition aliases cannot use.
    private mutating func checkInvertible(_ cond: Condition, _ mnemonic: String) -> Bool {
        if cond != .al && cond != .nv { return true }
        fail("\(mnemonic): condition \(cond) cannot be used (it has no inverse)")
        put(0)
        return false
    }

    /// `cset rd, cond` (`csinc rd, zr, zr, !cond`): rd = cond ? 1 : 0. Not AL/NV.
    mutating func cset(_ size: Size, _ rd: Register, _ cond: Condition) {
        guard checkInvertible(cond, "cset") else { return }
        csinc(size, rd, .zr, .zr, cond.inverted)
    }
    /// `csetm rd, cond` (`csinv rd, zr, zr, !cond`): rd = cond ? -1 : 0. Not AL/NV.
    mutating func csetm(_ size: Size, _ rd: Register, _ cond: Condition) {
        guard checkInvertible(cond, "csetm") else { return }
        csinv(size, rd, .zr, .zr, cond.inverted)
    }
    /// `cinc rd, rn, cond` (`csinc rd, rn, rn, !cond`): rd = cond ? rn + 1 : rn. Not AL/NV.
    mutating func cinc(_ size: Size, _ rd: Register, _ rn: Register, _ cond: Condition) {
        guard checkInvertible(cond, "cinc") else { return }
        csinc(size, rd, rn, rn, cond.inverted)
    }
    /// `cinv rd, rn, cond` (`csinv rd, rn, rn, !cond`): rd = cond ? ~rn : rn. Not AL/NV.
    mutating func cinv(_ size: Size, _ rd: Register, _ rn: Register, _ cond: Condition) {
        guard checkInvertible(cond, "cinv") else { return }
        csinv(size, rd, rn, rn, cond.inverted)
    }
    /// `cneg rd, rn, cond` (`csneg rd, rn, rn, !cond`): rd = cond ? -rn : rn. Not AL/NV.
    mutating func cneg(_ size: Size, _ rd: Register, _ rn: Register, _ cond: Condition) {
        guard checkInvertible(cond, "cneg") else { return }
        csneg(size, rd, rn, rn, cond.inverted)
    }

    private mutating func conditionalCompare(_ size: Size, negative: Bool, _ rn: Register, operand: UInt32, immediate: Bool,
                                             nzcv: Int, _ cond: Condition) {
        let mnemonic = negative ? "ccmn" : "ccmp"
        let n = zr(rn, mnemonic)
        var flags: UInt32 = 0
        if nzcv >= 0 && nzcv <= 15 { flags = UInt32(nzcv) } else { fail("\(mnemonic): nzcv \(nzcv) is not 0...15") }
        let base: UInt32 = negative ? 0x3A40_0000 : 0x7A40_0000
        put(size.sf | base | operand << 16 | cond.rawValue << 12 | (immediate ? 1 << 11 : 0) | n << 5 | flags)
    }

    /// `ccmp rn, rm, #nzcv, cond`: if cond, the flags of `cmp rn, rm`, else nzcv (0...15).
    mutating func ccmp(_ size: Size, _ rn: Register, _ rm: Register, nzcv: Int, _ cond: Condition) {
        let m = zr(rm, "ccmp")
        conditionalCompare(size, negative: false, rn, operand: m, immediate: false, nzcv: nzcv, cond)
    }
    /// `ccmp rn, #imm, #nzcv, cond` (imm 0...31).
    mutating func ccmp(_ size: Size, _ rn: Register, imm: Int, nzcv: Int, _ cond: Condition) {
        var i: UInt32 = 0
        if imm >= 0 && imm <= 31 { i = UInt32(imm) } else { fail("ccmp: immediate \(imm) is not 0...31") }
        conditionalCompare(size, negative: false, rn, operand: i, immediate: true, nzcv: nzcv, cond)
    }
    /// `ccmn rn, rm, #nzcv, cond`: if cond, the flags of `cmn rn, rm`, else nzcv.
    mutating func ccmn(_ size: Size, _ rn: Register, _ rm: Register, nzcv: Int, _ cond: Condition) {
        let m = zr(rm, "ccmn")
        conditionalCompare(size, negative: true, rn, operand: m, immediate: false, nzcv: nzcv, cond)
    }
    /// `ccmn rn, #imm, #nzcv, cond` (imm 0...31).
    mutating func ccmn(_ size: Size, _ rn: Register, imm: Int, nzcv: Int, _ cond: Condition) {
        var i: UInt32 = 0
        if imm >= 0 && imm <= 31 { i = UInt32(imm) } else { fail("ccmn: immediate \(imm) is not 0...31") }
        conditionalCompare(size, negative: true, rn, operand: i, immediate: true, nzcv: nzcv, cond)
    }
}
