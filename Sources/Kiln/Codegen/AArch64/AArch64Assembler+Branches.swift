// Branches, PC-relative addresses and literal loads (to labels, or to byte offsets from
// the instruction), and system instructions (hints, barriers, MRS/MSR).
//
// Every PC-relative form has a label version (resolved now or when the label is bound,
// see `AArch64Assembler.bind(_:)`) and an `offset:` version taking the byte offset from
// the instruction itself. Ranges: B/BL ±128 MiB, B.cond/CBZ/CBNZ/LDR literal/ADR ±1 MiB,
// TBZ/TBNZ ±32 KiB; word offsets must be multiples of 4. A target out of range records a
// failure and leaves `udf #0` in place of the instruction.

extension AArch64Assembler {
    // MARK: - Unconditional branches

    /// `b label` (imm26, ±128 MiB).
    mutating func b(_ label: Label) { putReferencing(0x1400_0000, label, .imm26, "b") }
    /// `b #offset` (bytes from this instruction).
    mutating func b(offset: Int) { putResolved(0x1400_0000, .imm26, delta: offset, "b") }
    /// `bl label`: branch and link (x30 = return address).
    mutating func bl(_ label: Label) { putReferencing(0x9400_0000, label, .imm26, "bl") }
    /// `bl #offset`.
    mutating func bl(offset: Int) { putResolved(0x9400_0000, .imm26, delta: offset, "bl") }

    /// `br xn`: branch to the address in xn (ZR-capable; SP is not).
    mutating func br(_ rn: Register) { put(0xD61F_0000 | zr(rn, "br") << 5) }
    /// `blr xn`: branch with link to the address in xn.
    mutating func blr(_ rn: Register) { put(0xD63F_0000 | zr(rn, "blr") << 5) }
    /// `ret {xn}`: return to the address in xn (x30 by default).
    mutating func ret(_ rn: Register = .lr) { put(0xD65F_0000 | zr(rn, "ret") << 5) }

    // MARK: - Conditional branches

    /// `b.cond label` (imm19, ±1 MiB), e.g. `b.ne label`.
    mutating func b(_ cond: Condition, _ label: Label) { putReferencing(0x5400_0000 | cond.rawValue, label, .imm19, "b.\(cond)", redirectable: true) }
    /// `b.cond #offset`.
    mutating func b(_ cond: Condition, offset: Int) { putResolved(0x5400_0000 | cond.rawValue, .imm19, delta: offset, "b.\(cond)") }

    /// `cbz wt/xt, label`: branch if the register is zero (imm19). Rt is ZR-capable.
    mutating func cbz(_ size: Size, _ rt: Register, _ label: Label) {
        putReferencing(size.sf | 0x3400_0000 | zr(rt, "cbz"), label, .imm19, "cbz", redirectable: true)
    }
    /// `cbz wt/xt, #offset`.
    mutating func cbz(_ size: Size, _ rt: Register, offset: Int) {
        putResolved(size.sf | 0x3400_0000 | zr(rt, "cbz"), .imm19, delta: offset, "cbz")
    }
    /// `cbnz wt/xt, label`: branch if the register is not zero (imm19).
    mutating func cbnz(_ size: Size, _ rt: Register, _ label: Label) {
        putReferencing(size.sf | 0x3500_0000 | zr(rt, "cbnz"), label, .imm19, "cbnz", redirectable: true)
    }
    /// `cbnz wt/xt, #offset`.
    mutating func cbnz(_ size: Size, _ rt: Register, offset: Int) {
        putResolved(size.sf | 0x3500_0000 | zr(rt, "cbnz"), .imm19, delta: offset, "cbnz")
    }

    /// The TBZ/TBNZ word for bit `bit` (0...63; the register is written W below 32, X from
    /// 32) of rt, offset field zero.
    private mutating func testBitWord(_ base: UInt32, _ rt: Register, _ bit: Int, _ mnemonic: String) -> UInt32 {
        let t = zr(rt, mnemonic)
        guard bit >= 0 && bit < 64 else { return fail("\(mnemonic): bit \(bit) is not 0...63") }
        let b = UInt32(bit)
        return (b >> 5) << 31 | base | (b & 0x1F) << 19 | t
    }

    /// `tbz rt, #bit, label`: branch if bit `bit` (0...63) of rt is zero (imm14, ±32 KiB).
    mutating func tbz(_ rt: Register, bit: Int, _ label: Label) {
        putReferencing(testBitWord(0x3600_0000, rt, bit, "tbz"), label, .imm14, "tbz", redirectable: true)
    }
    /// `tbz rt, #bit, #offset`.
    mutating func tbz(_ rt: Register, bit: Int, offset: Int) {
        putResolved(testBitWord(0x3600_0000, rt, bit, "tbz"), .imm14, delta: offset, "tbz")
    }
    /// `tbnz rt, #bit, label`: branch if bit `bit` of rt is one.
    mutating func tbnz(_ rt: Register, bit: Int, _ label: Label) {
        putReferencing(testBitWord(0x3700_0000, rt, bit, "tbnz"), label, .imm14, "tbnz", redirectable: true)
    }
    /// `tbnz rt, #bit, #offset`.
    mutating func tbnz(_ rt: Register, bit: Int, offset: Int) {
        putResolved(testBitWord(0x3700_0000, rt, bit, "tbnz"), .imm14, delta: offset, "tbnz")
    }

    // MARK: - PC-relative addresses and literal loads

    /// `adr xd, label`: xd = the label's address (±1 MiB, byte granularity). Rd is
    /// ZR-capable (SP is not).
    mutating func adr(_ rd: Register, _ label: Label) { putReferencing(0x1000_0000 | zr(rd, "adr"), label, .adr, "adr") }
    /// `adr xd, #offset`: xd = address of this instruction + offset.
    mutating func adr(_ rd: Register, offset: Int) { putResolved(0x1000_0000 | zr(rd, "adr"), .adr, delta: offset, "adr") }

    /// `adrp xd, #offset`: xd = (address of this instruction with the low 12 bits cleared) +
    /// offset, where offset is a multiple of 4096 within ±4 GiB.
    mutating func adrp(_ rd: Register, offset: Int64) {
        let d = zr(rd, "adrp")
        var fields: UInt32 = 0
        if offset % 4096 == 0 && offset >= -(1 << 32) && offset < (1 << 32) {
            let pages = UInt32(truncatingIfNeeded: offset >> 12) & 0x1F_FFFF
            fields = (pages & 3) << 29 | (pages >> 2) << 5
        } else {
            fail("adrp: offset \(offset) is not a multiple of 4096 within ±4 GiB")
        }
        put(0x9000_0000 | fields | d)
    }

    /// `ldr wt/xt, label`: loads a word or doubleword at the label (imm19, ±1 MiB).
    mutating func ldr(_ size: Size, _ rt: Register, literal label: Label) {
        putReferencing((size == .x ? 0x5800_0000 : 0x1800_0000) | zr(rt, "ldr"), label, .imm19, "ldr")
    }
    /// `ldr wt/xt, #offset`.
    mutating func ldr(_ size: Size, _ rt: Register, literalOffset offset: Int) {
        putResolved((size == .x ? 0x5800_0000 : 0x1800_0000) | zr(rt, "ldr"), .imm19, delta: offset, "ldr")
    }
    /// `ldrsw xt, label`: loads a word at the label, sign-extended.
    mutating func ldrsw(_ rt: Register, literal label: Label) {
        putReferencing(0x9800_0000 | zr(rt, "ldrsw"), label, .imm19, "ldrsw")
    }
    /// `ldr st/dt, label`.
    mutating func ldr(_ size: FloatSize, _ vt: VRegister, literal label: Label) {
        putReferencing((size == .d ? 0x5C00_0000 : 0x1C00_0000) | UInt32(vt.number), label, .imm19, "ldr")
    }
    /// `ldr st/dt, #offset`.
    mutating func ldr(_ size: FloatSize, _ vt: VRegister, literalOffset offset: Int) {
        putResolved((size == .d ? 0x5C00_0000 : 0x1C00_0000) | UInt32(vt.number), .imm19, delta: offset, "ldr")
    }

    // MARK: - System

    /// `brk #imm16`: breakpoint (SIGTRAP).
    mutating func brk(_ imm16: UInt16 = 0) { put(0xD420_0000 | UInt32(imm16) << 5) }
    /// `udf #imm16`: permanently undefined (SIGILL). `udf #0` is the all-zero word.
    mutating func udf(_ imm16: UInt16 = 0) { put(UInt32(imm16)) }
    /// `nop`.
    mutating func nop() { put(0xD503_201F) }
    /// `dmb option`, e.g. `dmb ish`: data memory barrier.
    mutating func dmb(_ option: AArch64.BarrierOption) { put(0xD503_30BF | option.rawValue << 8) }
    /// `dsb option`, e.g. `dsb ish`: data synchronization barrier.
    mutating func dsb(_ option: AArch64.BarrierOption) { put(0xD503_309F | option.rawValue << 8) }
    /// `isb`: instruction synchronization barrier (after writing code, with cache
    /// maintenance done elsewhere).
    mutating func isb() { put(0xD503_3FDF) }

    /// `mrs xt, sysreg`: reads a system register (e.g. FPSR, whose IOC bit records an
    /// invalid conversion). Rt is ZR-capable.
    mutating func mrs(_ rt: Register, _ register: AArch64.SystemRegister) {
        put(0xD530_0000 | register.fields | zr(rt, "mrs"))
    }
    /// `msr sysreg, xt`: writes a system register (e.g. `msr fpsr, xzr` clears the
    /// cumulative exception bits).
    mutating func msr(_ register: AArch64.SystemRegister, _ rt: Register) {
        put(0xD510_0000 | register.fields | zr(rt, "msr"))
    }
}

extension AArch64 {
    /// The system registers user code reads and writes with MRS/MSR.
    enum SystemRegister: Sendable, CaseIterable {
        /// The condition flags.
        case nzcv
        /// Floating-point control (rounding mode, flush-to-zero, default NaN).
        case fpcr
        /// Floating-point status (cumulative exception bits: IOC, DZC, OFC, UFC, IXC, IDC).
        case fpsr
        /// The user read/write thread pointer.
        case tpidrEL0

        /// o0 (bit 19; op0 is 2 + o0), op1 (18:16), CRn (15:12), CRm (11:8), op2 (7:5).
        var fields: UInt32 {
            let (op0, op1, crn, crm, op2): (UInt32, UInt32, UInt32, UInt32, UInt32)
            switch self {
            case .nzcv: (op0, op1, crn, crm, op2) = (3, 3, 4, 2, 0)
            case .fpcr: (op0, op1, crn, crm, op2) = (3, 3, 4, 4, 0)
            case .fpsr: (op0, op1, crn, crm, op2) = (3, 3, 4, 4, 1)
            case .tpidrEL0: (op0, op1, crn, crm, op2) = (3, 3, 13, 0, 2)
            }
            return (op0 - 2) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5
        }
    }
}
