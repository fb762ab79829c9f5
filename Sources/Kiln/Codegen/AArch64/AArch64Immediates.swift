// Immediate-operand encoders for AArch64, written from the Arm ARM's pseudocode
// (DecodeBitMasks, VFPExpandImm, AdvSIMDExpandImm, the load/store offset rules).
//
// Every encoder answers nil when the value has no encoding, so a caller (the macro
// assembler) can pick another instruction sequence before asking the assembler for an
// instruction; the assembler itself records a failure if it is handed a value that does
// not fit (see `AArch64Assembler`).

extension AArch64 {
    /// The N:immr:imms fields of a logical (bitmask) immediate, as used by AND/ORR/EOR/ANDS
    /// (immediate). A bitmask immediate is a 2-, 4-, 8-, 16-, 32- or 64-bit element holding
    /// a rotated run of ones (neither all zeros nor all ones), replicated to the operation's
    /// width.
    struct LogicalImmediate: Hashable, Sendable {
        /// Bit 22: set only for 64-bit elements.
        let n: UInt32
        /// Bits 21:16: the rotation (right) of the run within its element.
        let immr: UInt32
        /// Bits 15:10: the element size (in the high bits) and the run length minus one.
        let imms: UInt32

        /// The three fields in place (bits 22:10).
        var fields: UInt32 { n << 22 | immr << 16 | imms << 10 }

        /// The encoding of `value` for a `size`-bit operation, or nil if it has none.
        /// For `.w` the value must fit in 32 bits, zero- or sign-extended (so `-16` as a
        /// 64-bit pattern is accepted and means 0xFFFF_FFF0).
        init?(_ value: UInt64, size: Size) {
            var v = value
            if size == .w {
                let high = value >> 32
                guard high == 0 || (high == 0xFFFF_FFFF && value & 0x8000_0000 != 0) else { return nil }
                v = value & 0xFFFF_FFFF
                v |= v << 32
            }
            guard v != 0 && v != ~0 else { return nil }
            // The smallest element size the value repeats with.
            var e = 64
            while e > 2 {
                let half = e / 2
                if rotateRight(v, by: half, width: 64) == v { e = half } else { break }
            }
            let mask: UInt64 = e == 64 ? ~0 : (1 << UInt64(e)) - 1
            let element = v & mask
            let ones = element.nonzeroBitCount
            let run: UInt64 = (1 << UInt64(ones)) - 1  // ones < e <= 64
            // Find the rotation that brings the run down to bit 0.
            var r = 0
            while r < e && rotateRight(element, by: r, width: e) != run { r += 1 }
            guard r < e else { return nil }  // not a single (rotated) run
            // element == ROR(run, immr), so immr undoes the rotation by r.
            n = e == 64 ? 1 : 0
            immr = UInt32((e - r) % e)
            imms = (UInt32(truncatingIfNeeded: ~(e - 1) << 1) & 0x3F) | UInt32(ones - 1)
        }

        /// The fields as given (no check); see `decode(size:)`.
        init(n: UInt32, immr: UInt32, imms: UInt32) {
            self.n = n
            self.immr = immr
            self.imms = imms
        }

        /// The value these fields stand for in a `size`-bit operation (DecodeBitMasks), or
        /// nil for a reserved combination.
        func decode(size: Size) -> UInt64? {
            guard n <= 1, immr < 64, imms < 64 else { return nil }
            if size == .w && n == 1 { return nil }
            let combined = n << 6 | (~imms & 0x3F)
            guard combined != 0 else { return nil }
            let len = 31 - combined.leadingZeroBitCount  // index of the highest set bit
            guard len >= 1 else { return nil }
            let levels = UInt32((1 << len) - 1)
            let s = imms & levels, r = immr & levels
            guard s != levels else { return nil }
            let e = 1 << len
            let run: UInt64 = (1 << UInt64(s + 1)) - 1
            let element = rotateRight(run, by: Int(r), width: e)
            var value = element
            var width = e
            while width < 64 {
                value |= value << UInt64(width)
                width *= 2
            }
            return size == .w ? value & 0xFFFF_FFFF : value
        }
    }

    /// The imm12 and shift (LSL #0 or #12) of an ADD/SUB (immediate).
    struct AddSubImmediate: Hashable, Sendable {
        /// The 12-bit field.
        let imm12: UInt32
        /// Whether the field is shifted left by 12.
        let shifted: Bool

        /// Bits 22 (sh) and 21:10 (imm12) in place.
        var fields: UInt32 { (shifted ? 1 << 22 : 0) | imm12 << 10 }

        /// 0...4095, or a multiple of 4096 up to 4095 << 12; nil otherwise.
        init?(_ value: UInt64) {
            if value < 4096 {
                imm12 = UInt32(value)
                shifted = false
            } else if value & 0xFFF == 0 && value >> 12 < 4096 {
                imm12 = UInt32(value >> 12)
                shifted = true
            } else {
                return nil
            }
        }
    }

    /// One instruction of a constant-materializing sequence (see `wideMoves(_:size:)`).
    enum WideMove: Hashable, Sendable {
        /// `movz rd, #imm16, lsl #shift`: rd = imm16 << shift.
        case movz(UInt16, shift: Int)
        /// `movn rd, #imm16, lsl #shift`: rd = ~(imm16 << shift).
        case movn(UInt16, shift: Int)
        /// `movk rd, #imm16, lsl #shift`: replaces one halfword of rd.
        case movk(UInt16, shift: Int)
        /// `orr rd, zr, #bitmask`.
        case orr(LogicalImmediate)
    }

    /// The shortest sequence found that puts `value` in a register, and the width its
    /// instructions operate at. `size` is the width of the destination: for `.x`, a value
    /// that fits in 32 bits may be built by 32-bit instructions (which zero the upper half)
    /// when that is shorter. For `.w` only the low 32 bits of `value` are used.
    ///
    /// Candidates: MOVZ then MOVKs (one instruction per non-zero halfword), MOVN then MOVKs
    /// (one per halfword that is not 0xFFFF), a single ORR with a bitmask immediate, and an
    /// ORR of a bitmask that replicates one of the value's halfwords or words followed by
    /// MOVKs for the halfwords it gets wrong. Ties go to MOVZ, then MOVN, then ORR.
    static func wideMoves(_ value: UInt64, size: Size) -> (size: Size, moves: [WideMove]) {
        if size == .w {
            return (.w, wideMoves(width: 32, value & 0xFFFF_FFFF))
        }
        let wide = wideMoves(width: 64, value)
        if value >> 32 == 0 && wide.count > 1 {
            let narrow = wideMoves(width: 32, value)
            if narrow.count < wide.count { return (.w, narrow) }
        }
        return (.x, wide)
    }

    private static func wideMoves(width: Int, _ value: UInt64) -> [WideMove] {
        let count = width / 16
        let halves = (0..<count).map { UInt16(truncatingIfNeeded: value >> UInt64(16 * $0)) }
        // MOVZ-based: start from zero.
        var movz: [WideMove] = []
        for (i, h) in halves.enumerated() where h != 0 {
            movz.append(movz.isEmpty ? .movz(h, shift: 16 * i) : .movk(h, shift: 16 * i))
        }
        if movz.isEmpty { movz = [.movz(0, shift: 0)] }
        // MOVN-based: start from all ones.
        var movn: [WideMove] = []
        for (i, h) in halves.enumerated() where h != 0xFFFF {
            movn.append(movn.isEmpty ? .movn(~h, shift: 16 * i) : .movk(h, shift: 16 * i))
        }
        if movn.isEmpty { movn = [.movn(0, shift: 0)] }
        var best = movn.count < movz.count ? movn : movz
        if best.count == 1 { return best }
        let size: Size = width == 32 ? .w : .x
        if let bitmask = LogicalImmediate(value, size: size) { return [.orr(bitmask)] }
        guard width == 64 else { return best }
        // ORR of a replicated halfword or word, then MOVKs for the halfwords that differ.
        var patterns: [UInt64] = halves.map { h in UInt64(h) &* 0x0001_0001_0001_0001 }
        patterns.append((value & 0xFFFF_FFFF) &* 0x1_0000_0001)
        patterns.append((value >> 32) &* 0x1_0000_0001)
        for pattern in patterns {
            guard let bitmask = LogicalImmediate(pattern, size: .x) else { continue }
            var moves: [WideMove] = [.orr(bitmask)]
            for i in 0..<4 {
                let want = halves[i]
                if UInt16(truncatingIfNeeded: pattern >> UInt64(16 * i)) != want { moves.append(.movk(want, shift: 16 * i)) }
            }
            if moves.count < best.count { best = moves }
        }
        return best
    }

    /// The value a sequence from `wideMoves(_:size:)` leaves in its register (as 64 bits;
    /// 32-bit instructions zero the upper half).
    static func evaluate(_ moves: [WideMove], size: Size) -> UInt64 {
        var r: UInt64 = 0
        for move in moves {
            switch move {
            case .movz(let imm, let shift): r = UInt64(imm) << UInt64(shift)
            case .movn(let imm, let shift): r = ~(UInt64(imm) << UInt64(shift))
            case .movk(let imm, let shift): r = (r & ~(0xFFFF << UInt64(shift))) | UInt64(imm) << UInt64(shift)
            case .orr(let bitmask): r = bitmask.decode(size: size) ?? 0
            }
            if size == .w { r &= 0xFFFF_FFFF }
        }
        return r
    }

    /// The 8-bit immediate of FMOV (immediate) for the `size`-bit float with bit pattern
    /// `bits`, or nil: the encodable values are ±n/16 × 2^e with n in 16...31 and e in
    /// -3...4 (so 0.0 is not one of them).
    static func floatImmediate8(bits: UInt64, size: FloatSize) -> UInt8? {
        let sign: UInt64, exponent: UInt64, fraction: UInt64, fractionBits: UInt64, bias: UInt64
        if size == .d {
            sign = bits >> 63
            exponent = (bits >> 52) & 0x7FF
            fraction = bits & ((1 << 52) - 1)
            fractionBits = 52
            bias = 1023
        } else {
            guard bits >> 32 == 0 else { return nil }
            sign = (bits >> 31) & 1
            exponent = (bits >> 23) & 0xFF
            fraction = bits & ((1 << 23) - 1)
            fractionBits = 23
            bias = 127
        }
        // Only the top four fraction bits may be set.
        guard fraction & ((1 << (fractionBits - 4)) - 1) == 0 else { return nil }
        // Unbiased exponent -3...4.
        guard exponent >= bias - 3 && exponent <= bias + 4 else { return nil }
        let b: UInt64 = exponent < bias + 1 ? 1 : 0  // exponent = NOT(b):Replicate(b):cd
        let cd = exponent & 3
        // In steps: swiftc 6.2 (the AArch64 cross compiler) cannot type-check it as one expression.
        let high: UInt64 = sign << 7 | b << 6
        let low: UInt64 = cd << 4 | fraction >> (fractionBits - 4)
        return UInt8(high | low)
    }

    /// `floatImmediate8(bits:size:)` for a double value.
    static func floatImmediate8(_ value: Double) -> UInt8? {
        floatImmediate8(bits: value.bitPattern, size: .d)
    }

    /// `floatImmediate8(bits:size:)` for a single value.
    static func floatImmediate8(_ value: Float) -> UInt8? {
        floatImmediate8(bits: UInt64(value.bitPattern), size: .s)
    }

    /// The `abcdefgh` immediate of MOVI (64-bit forms) for a value whose every byte is 0x00
    /// or 0xFF (bit i set when byte i is 0xFF), or nil.
    static func byteMask8(_ value: UInt64) -> UInt8? {
        var result: UInt8 = 0
        for i in 0..<8 {
            switch (value >> UInt64(8 * i)) & 0xFF {
            case 0: break
            case 0xFF: result |= 1 << UInt8(i)
            default: return nil
            }
        }
        return result
    }

    /// The imm12 field of a load/store (unsigned offset) for an access of `accessSize`
    /// bytes: the offset divided by the size, when it is a non-negative multiple of the
    /// size below 4096 × size. Nil otherwise.
    static func scaledOffset(_ offset: Int64, accessSize: Int) -> UInt32? {
        let size = Int64(accessSize)
        guard offset >= 0, offset % size == 0, offset / size < 4096 else { return nil }
        return UInt32(offset / size)
    }

    /// The imm9 field of an unscaled (LDUR/STUR) or pre/post-indexed access: -256...255 as
    /// 9-bit two's complement. Nil otherwise.
    static func unscaledOffset(_ offset: Int64) -> UInt32? {
        guard offset >= -256 && offset <= 255 else { return nil }
        return UInt32(truncatingIfNeeded: offset) & 0x1FF
    }

    /// The imm7 field of LDP/STP for registers of `accessSize` bytes: a multiple of the size
    /// in -64...63 times the size, as 7-bit two's complement. Nil otherwise.
    static func pairOffset(_ offset: Int64, accessSize: Int) -> UInt32? {
        let size = Int64(accessSize)
        guard offset % size == 0 else { return nil }
        let scaled = offset / size
        guard scaled >= -64 && scaled <= 63 else { return nil }
        return UInt32(truncatingIfNeeded: scaled) & 0x7F
    }
}

/// `value` rotated right by `amount` within its low `width` bits (width 1...64).
@inline(__always)
private func rotateRight(_ value: UInt64, by amount: Int, width: Int) -> UInt64 {
    let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
    let v = value & mask
    let a = amount % width
    guard a != 0 else { return v }
    return ((v >> UInt64(a)) | (v << UInt64(width - a))) & mask
}
