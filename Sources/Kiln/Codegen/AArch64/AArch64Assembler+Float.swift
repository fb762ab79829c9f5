// Scalar floating point (S and D): arithmetic, rounding, compares, conditional select,
// moves (register, immediate, to and from general registers), precision and integer
// conversions. And the few SIMD instructions the JIT needs: bitwise operations and
// bitwise selects (BIT/BIF/BSL, for copysign), MOVI/MVNI (masks), CNT with ADDV/UADDLV
// (population count), and shifts by immediate.
//
// Vector operands are written `vN.<arrangement>` in the doc comments; bitwise operations
// take `.b8` or `.b16` (other arrangements record a failure).

extension AArch64Assembler {
    // MARK: - Arithmetic

    /// Floating-point data-processing (2 source): `0 0 0 11110 ftype 1 Rm opcode 10 Rn Rd`.
    private mutating func floatTwoSource(_ size: FloatSize, _ opcode: UInt32, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        put(0x1E20_0800 | size.ftype | UInt32(vm.number) << 16 | opcode << 12 | UInt32(vn.number) << 5 | UInt32(vd.number))
    }

    /// `fmul sd/dd, sn/dn, sm/dm`.
    mutating func fmul(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0000, vd, vn, vm) }
    /// `fdiv sd/dd, sn/dn, sm/dm`.
    mutating func fdiv(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0001, vd, vn, vm) }
    /// `fadd sd/dd, sn/dn, sm/dm`.
    mutating func fadd(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0010, vd, vn, vm) }
    /// `fsub sd/dd, sn/dn, sm/dm`.
    mutating func fsub(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0011, vd, vn, vm) }
    /// `fmax sd/dd, sn/dn, sm/dm`: NaN if either is NaN; max(-0, +0) = +0 (wasm's `max`).
    mutating func fmax(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0100, vd, vn, vm) }
    /// `fmin sd/dd, sn/dn, sm/dm`: NaN if either is NaN; min(-0, +0) = -0 (wasm's `min`).
    mutating func fmin(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0101, vd, vn, vm) }
    /// `fmaxnm sd/dd, sn/dn, sm/dm`: IEEE maxNum (a quiet NaN operand loses to a number).
    mutating func fmaxnm(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0110, vd, vn, vm) }
    /// `fminnm sd/dd, sn/dn, sm/dm`: IEEE minNum.
    mutating func fminnm(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b0111, vd, vn, vm) }
    /// `fnmul sd/dd, sn/dn, sm/dm`: -(n * m).
    mutating func fnmul(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) { floatTwoSource(size, 0b1000, vd, vn, vm) }

    /// Floating-point data-processing (1 source): `0 0 0 11110 ftype 1 opcode 10000 Rn Rd`.
    private mutating func floatOneSource(_ size: FloatSize, _ opcode: UInt32, _ vd: VRegister, _ vn: VRegister) {
        put(0x1E20_4000 | size.ftype | opcode << 15 | UInt32(vn.number) << 5 | UInt32(vd.number))
    }

    /// `fmov sd/dd, sn/dn`: register copy (the rest of vd is zeroed).
    mutating func fmov(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b000000, vd, vn) }
    /// `fabs sd/dd, sn/dn`: clears the sign bit.
    mutating func fabs(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b000001, vd, vn) }
    /// `fneg sd/dd, sn/dn`: flips the sign bit.
    mutating func fneg(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b000010, vd, vn) }
    /// `fsqrt sd/dd, sn/dn`.
    mutating func fsqrt(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b000011, vd, vn) }
    /// `frintn sd/dd, sn/dn`: round to nearest, ties to even (wasm `nearest`).
    mutating func frintn(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b001000, vd, vn) }
    /// `frintp sd/dd, sn/dn`: round toward +∞ (wasm `ceil`).
    mutating func frintp(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b001001, vd, vn) }
    /// `frintm sd/dd, sn/dn`: round toward -∞ (wasm `floor`).
    mutating func frintm(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b001010, vd, vn) }
    /// `frintz sd/dd, sn/dn`: round toward zero (wasm `trunc`).
    mutating func frintz(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b001011, vd, vn) }
    /// `frinta sd/dd, sn/dn`: round to nearest, ties away from zero.
    mutating func frinta(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b001100, vd, vn) }
    /// `frintx sd/dd, sn/dn`: round in the current mode, signalling inexact.
    mutating func frintx(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b001110, vd, vn) }
    /// `frinti sd/dd, sn/dn`: round in the current mode.
    mutating func frinti(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister) { floatOneSource(size, 0b001111, vd, vn) }

    /// `fcvt dd, sn` or `fcvt sd, dn`: precision conversion from `from` to `to` (which
    /// must differ).
    mutating func fcvt(_ to: FloatSize, _ vd: VRegister, _ from: FloatSize, _ vn: VRegister) {
        if to == from { fail("fcvt: source and destination have the same precision") }
        floatOneSource(from, to == .d ? 0b000101 : 0b000100, vd, vn)
    }

    // MARK: - Compare and select

    private mutating func floatCompare(_ size: FloatSize, _ vn: VRegister, _ vm: UInt32, _ opcode2: UInt32) {
        put(0x1E20_2000 | size.ftype | vm << 16 | UInt32(vn.number) << 5 | opcode2)
    }

    /// `fcmp sn/dn, sm/dm`: sets NZCV (unordered: C and V). Quiet NaNs do not signal.
    mutating func fcmp(_ size: FloatSize, _ vn: VRegister, _ vm: VRegister) { floatCompare(size, vn, UInt32(vm.number), 0b00000) }
    /// `fcmp sn/dn, #0.0`.
    mutating func fcmpZero(_ size: FloatSize, _ vn: VRegister) { floatCompare(size, vn, 0, 0b01000) }
    /// `fcmpe sn/dn, sm/dm`: as FCMP, but any NaN signals invalid.
    mutating func fcmpe(_ size: FloatSize, _ vn: VRegister, _ vm: VRegister) { floatCompare(size, vn, UInt32(vm.number), 0b10000) }
    /// `fcmpe sn/dn, #0.0`.
    mutating func fcmpeZero(_ size: FloatSize, _ vn: VRegister) { floatCompare(size, vn, 0, 0b11000) }

    /// `fcsel sd/dd, sn/dn, sm/dm, cond`: vd = cond ? vn : vm.
    mutating func fcsel(_ size: FloatSize, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister, _ cond: Condition) {
        put(0x1E20_0C00 | size.ftype | UInt32(vm.number) << 16 | cond.rawValue << 12 | UInt32(vn.number) << 5 | UInt32(vd.number))
    }

    // MARK: - Moves

    /// `fmov sd/dd, #imm`: one of the 256 values ±n/16 × 2^e, n 16...31, e -3...4 (see
    /// `AArch64.floatImmediate8`). 0.0 is not one of them: use `movi dd, #0` or
    /// `fmov sd/dd, wzr/xzr`.
    mutating func fmov(_ size: FloatSize, _ vd: VRegister, imm: Double) {
        var imm8: UInt32 = 0
        let encoded: UInt8?
        if size == .s {
            let single = Float(imm)
            encoded = Double(single) == imm ? AArch64.floatImmediate8(single) : nil
        } else {
            encoded = AArch64.floatImmediate8(imm)
        }
        if let encoded { imm8 = UInt32(encoded) } else { fail("fmov: \(imm) is not an 8-bit floating-point immediate") }
        put(0x1E20_1000 | size.ftype | imm8 << 13 | UInt32(vd.number))
    }

    /// Conversion between floating-point and integer:
    /// `sf 0 0 11110 ftype 1 rmode opcode 000000 Rn Rd`.
    private mutating func convert(_ sf: Size, _ ftype: FloatSize, rmode: UInt32, opcode: UInt32, _ rd: UInt32, _ rn: UInt32) {
        put(sf.sf | 0x1E20_0000 | ftype.ftype | rmode << 19 | opcode << 16 | rn << 5 | rd)
    }

    /// `fmov sd, wn` (`.s`) or `fmov dd, xn` (`.d`): copies the bits of a general register
    /// (ZR-capable, so `fmov d0, xzr` zeroes d0).
    mutating func fmov(_ size: FloatSize, _ vd: VRegister, _ rn: Register) {
        let n = zr(rn, "fmov")
        convert(size == .d ? .x : .w, size, rmode: 0, opcode: 0b111, UInt32(vd.number), n)
    }
    /// `fmov wd, sn` (`.s`) or `fmov xd, dn` (`.d`): copies the bits to a general register.
    mutating func fmov(_ size: FloatSize, _ rd: Register, _ vn: VRegister) {
        let d = zr(rd, "fmov")
        convert(size == .d ? .x : .w, size, rmode: 0, opcode: 0b110, d, UInt32(vn.number))
    }

    /// `scvtf sd/dd, wn/xn`: signed integer (`from` bits) to float, rounding per FPCR.
    mutating func scvtf(_ size: FloatSize, _ vd: VRegister, _ from: Size, _ rn: Register) {
        let n = zr(rn, "scvtf")
        convert(from, size, rmode: 0, opcode: 0b010, UInt32(vd.number), n)
    }
    /// `ucvtf sd/dd, wn/xn`: unsigned integer to float.
    mutating func ucvtf(_ size: FloatSize, _ vd: VRegister, _ from: Size, _ rn: Register) {
        let n = zr(rn, "ucvtf")
        convert(from, size, rmode: 0, opcode: 0b011, UInt32(vd.number), n)
    }
    /// `fcvtzs wd/xd, sn/dn`: float to signed integer, rounding toward zero. Saturates
    /// (out of range gives INT_MIN/INT_MAX, NaN gives 0) and sets FPSR.IOC; it never traps.
    mutating func fcvtzs(_ to: Size, _ rd: Register, _ size: FloatSize, _ vn: VRegister) {
        let d = zr(rd, "fcvtzs")
        convert(to, size, rmode: 0b11, opcode: 0b000, d, UInt32(vn.number))
    }
    /// `fcvtzu wd/xd, sn/dn`: float to unsigned integer, rounding toward zero; saturates
    /// (negative gives 0, NaN gives 0).
    mutating func fcvtzu(_ to: Size, _ rd: Register, _ size: FloatSize, _ vn: VRegister) {
        let d = zr(rd, "fcvtzu")
        convert(to, size, rmode: 0b11, opcode: 0b001, d, UInt32(vn.number))
    }

    // MARK: - SIMD

    /// Whether `arrangement` is 8B or 16B; otherwise records a failure.
    private mutating func byteArrangement(_ arrangement: VectorArrangement, _ mnemonic: String) -> UInt32 {
        if arrangement == .b8 || arrangement == .b16 { return arrangement.q }
        return fail("\(mnemonic): the arrangement must be 8b or 16b, not \(arrangement.name)")
    }

    /// Three registers same (bitwise): `0 Q U 01110 opc2 1 Rm 000111 Rn Rd`.
    private mutating func vectorBitwise(_ base: UInt32, _ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister,
                                        _ vm: VRegister, _ mnemonic: String) {
        let q = byteArrangement(arrangement, mnemonic)
        put(base | q | UInt32(vm.number) << 16 | UInt32(vn.number) << 5 | UInt32(vd.number))
    }

    /// `and vd.T, vn.T, vm.T` (T = 8b or 16b).
    mutating func and(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x0E20_1C00, arrangement, vd, vn, vm, "and")
    }
    /// `bic vd.T, vn.T, vm.T`: vn & ~vm.
    mutating func bic(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x0E60_1C00, arrangement, vd, vn, vm, "bic")
    }
    /// `orr vd.T, vn.T, vm.T`.
    mutating func orr(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x0EA0_1C00, arrangement, vd, vn, vm, "orr")
    }
    /// `orn vd.T, vn.T, vm.T`: vn | ~vm.
    mutating func orn(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x0EE0_1C00, arrangement, vd, vn, vm, "orn")
    }
    /// `eor vd.T, vn.T, vm.T`.
    mutating func eor(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x2E20_1C00, arrangement, vd, vn, vm, "eor")
    }
    /// `bsl vd.T, vn.T, vm.T`: vd = (vd & vn) | (~vd & vm) (vd is the mask).
    mutating func bsl(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x2E60_1C00, arrangement, vd, vn, vm, "bsl")
    }
    /// `bit vd.T, vn.T, vm.T`: inserts the bits of vn where vm is one: vd = (vd & ~vm) |
    /// (vn & vm). With vm = the sign mask, `bit vd, vsign, vmask` is copysign(vd, vsign).
    mutating func bit(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x2EA0_1C00, arrangement, vd, vn, vm, "bit")
    }
    /// `bif vd.T, vn.T, vm.T`: inserts the bits of vn where vm is zero.
    mutating func bif(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ vm: VRegister) {
        vectorBitwise(0x2EE0_1C00, arrangement, vd, vn, vm, "bif")
    }
    /// `mov vd.T, vn.T` (`orr vd.T, vn.T, vn.T`): whole-register copy with 16b.
    mutating func mov(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister) {
        vectorBitwise(0x0EA0_1C00, arrangement, vd, vn, vn, "mov")
    }

    /// `cnt vd.T, vn.T` (T = 8b or 16b): the number of set bits in each byte.
    mutating func cnt(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister) {
        let q = byteArrangement(arrangement, "cnt")
        put(0x0E20_5800 | q | UInt32(vn.number) << 5 | UInt32(vd.number))
    }

    /// The `size` field of an across-lanes reduction (8b, 16b, 4h, 8h, 4s), or a failure.
    private mutating func acrossLanes(_ arrangement: VectorArrangement, _ mnemonic: String) -> UInt32 {
        switch arrangement {
        case .b8, .b16, .h4, .h8, .s4: return arrangement.q | arrangement.laneSizeLog2 << 22
        default: return fail("\(mnemonic): the arrangement must be 8b, 16b, 4h, 8h or 4s, not \(arrangement.name)")
        }
    }

    /// `addv bd/hd/sd, vn.T`: the sum of all lanes (T = 8b, 16b, 4h, 8h, 4s), in the lane size.
    mutating func addv(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister) {
        let fields = acrossLanes(arrangement, "addv")
        put(0x0E31_B800 | fields | UInt32(vn.number) << 5 | UInt32(vd.number))
    }
    /// `uaddlv hd/sd/dd, vn.T`: the unsigned sum of all lanes, widened to twice the lane size.
    mutating func uaddlv(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister) {
        let fields = acrossLanes(arrangement, "uaddlv")
        put(0x2E30_3800 | fields | UInt32(vn.number) << 5 | UInt32(vd.number))
    }

    /// Modified immediate: `0 Q op 0111100000 abc cmode 0 1 defgh Rd`.
    private mutating func modifiedImmediate(q: UInt32, op: UInt32, cmode: UInt32, _ imm8: UInt32, _ vd: VRegister) {
        put(0x0F00_0400 | q | op << 29 | (imm8 >> 5) << 16 | cmode << 12 | (imm8 & 0x1F) << 5 | UInt32(vd.number))
    }

    /// `movi vd.T, #imm{, lsl #shift}` / `movi dd, #imm`:
    /// - `.b8`/`.b16`: every byte = imm (0...255), no shift;
    /// - `.h4`/`.h8`: every halfword = imm8 << shift (shift 0 or 8);
    /// - `.s2`/`.s4`: every word = imm8 << shift (shift 0, 8, 16 or 24);
    /// - `.d1` (the scalar `movi dd, #imm`) / `.d2`: every doubleword = imm, whose bytes must
    ///   each be 0x00 or 0xFF. `movi vd.2d, #0` zeroes the whole register.
    mutating func movi(_ arrangement: VectorArrangement, _ vd: VRegister, imm: UInt64, lsl shift: Int = 0) {
        shiftedModifiedImmediate(arrangement, vd, imm, shift, inverted: false)
    }

    /// `mvni vd.T, #imm8{, lsl #shift}`: every lane = ~(imm8 << shift), T = 4h, 8h (shift 0
    /// or 8), 2s, 4s (shift 0, 8, 16, 24). E.g. `mvni v0.2s, #0x80, lsl #24` gives 0x7FFFFFFF.
    mutating func mvni(_ arrangement: VectorArrangement, _ vd: VRegister, imm: UInt64, lsl shift: Int = 0) {
        shiftedModifiedImmediate(arrangement, vd, imm, shift, inverted: true)
    }

    private mutating func shiftedModifiedImmediate(_ arrangement: VectorArrangement, _ vd: VRegister, _ imm: UInt64, _ shift: Int,
                                                   inverted: Bool) {
        let mnemonic = inverted ? "mvni" : "movi"
        let op: UInt32 = inverted ? 1 : 0
        switch arrangement {
        case .b8, .b16:
            if inverted { fail("mvni: there is no byte form") }
            if shift != 0 { fail("movi: byte lanes take no shift") }
            if imm > 0xFF { fail("movi: \(imm) does not fit in a byte") }
            modifiedImmediate(q: arrangement.q, op: 0, cmode: 0b1110, UInt32(imm & 0xFF), vd)
        case .h4, .h8:
            if imm > 0xFF { fail("\(mnemonic): \(imm) is not an 8-bit immediate") }
            if shift != 0 && shift != 8 { fail("\(mnemonic): halfword shift \(shift) is not 0 or 8") }
            modifiedImmediate(q: arrangement.q, op: op, cmode: 0b1000 | UInt32((shift / 8) & 1) << 1, UInt32(imm & 0xFF), vd)
        case .s2, .s4:
            if imm > 0xFF { fail("\(mnemonic): \(imm) is not an 8-bit immediate") }
            if shift < 0 || shift > 24 || shift % 8 != 0 { fail("\(mnemonic): word shift \(shift) is not 0, 8, 16 or 24") }
            modifiedImmediate(q: arrangement.q, op: op, cmode: UInt32((shift / 8) & 3) << 1, UInt32(imm & 0xFF), vd)
        case .d1, .d2:
            if inverted { fail("mvni: there is no doubleword form") }
            if shift != 0 { fail("movi: doubleword lanes take no shift") }
            var mask: UInt32 = 0
            if let m = AArch64.byteMask8(imm) {
                mask = UInt32(m)
            } else {
                fail("movi: 0x\(String(imm, radix: 16)) has bytes other than 0x00 and 0xff")
            }
            modifiedImmediate(q: arrangement.q, op: 1, cmode: 0b1110, mask, vd)
        }
    }

    /// Shift by immediate: `0 Q U 011110 immh:immb opcode 1 Rn Rd` (vector) or
    /// `01 U 111110 ...` (scalar, `.d1`).
    private mutating func shiftImmediate(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, _ shift: Int,
                                         left: Bool) {
        let mnemonic = left ? "shl" : "ushr"
        let esize = arrangement.laneBits
        var immhb: UInt32 = 0
        if left && shift >= 0 && shift < esize {
            immhb = UInt32(esize + shift)
        } else if !left && shift >= 1 && shift <= esize {
            immhb = UInt32(2 * esize - shift)
        } else {
            fail("\(mnemonic): shift \(shift) is out of range for \(esize)-bit lanes")
        }
        let base: UInt32
        if arrangement == .d1 {
            base = left ? 0x5F00_5400 : 0x7F00_0400
        } else {
            base = (left ? 0x0F00_5400 : 0x2F00_0400) | arrangement.q
        }
        put(base | immhb << 16 | UInt32(vn.number) << 5 | UInt32(vd.number))
    }

    /// `shl vd.T, vn.T, #shift` (shift 0 ... lane bits - 1), or `shl dd, dn, #shift` for `.d1`.
    mutating func shl(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, imm shift: Int) {
        shiftImmediate(arrangement, vd, vn, shift, left: true)
    }
    /// `ushr vd.T, vn.T, #shift` (shift 1 ... lane bits), or `ushr dd, dn, #shift` for `.d1`.
    mutating func ushr(_ arrangement: VectorArrangement, _ vd: VRegister, _ vn: VRegister, imm shift: Int) {
        shiftImmediate(arrangement, vd, vn, shift, left: false)
    }
}
