// Operand types of the AArch64 encoder: registers, operand sizes, conditions, shifts and
// extends, vector arrangements, barrier options.
//
// Everything lives in the `AArch64` namespace so that the names (`Register`, `Condition`,
// `Size`...) do not collide with the x86-64 encoder's types.

/// Namespace for the AArch64 encoder's operand types (see `AArch64Assembler`).
enum AArch64 {}

extension AArch64 {
    /// A general-purpose register operand: x0...x30, or one of the two meanings of register
    /// number 31, the stack pointer (`sp`/`wsp`) or the zero register (`xzr`/`wzr`).
    ///
    /// Which meaning number 31 has depends on the instruction field (ADD immediate reads SP,
    /// ADD shifted register reads ZR...). The two meanings are distinct values here, and
    /// every field of every instruction checks which ones it accepts: passing `.sp` where the
    /// field means ZR (or the reverse) records a failure (see `AArch64Assembler`), never
    /// silently encodes the other register.
    ///
    /// The same value names the 32-bit (W) or 64-bit (X) view; the instruction's `Size`
    /// selects which.
    struct Register: Hashable, Sendable, CustomStringConvertible {
        enum Kind: Hashable, Sendable {
            /// x0...x30.
            case general
            /// The stack pointer (number 31 in fields that read or write SP).
            case stackPointer
            /// The zero register (number 31 in the other fields).
            case zero
        }

        /// The 5-bit number encoded in instruction fields (31 for both SP and ZR).
        let number: UInt8
        let kind: Kind

        private init(number: UInt8, kind: Kind) {
            self.number = number
            self.kind = kind
        }

        /// General register `number` (0...30), or nil for any other number.
        init?(number: UInt8) {
            guard number < 31 else { return nil }
            self.init(number: number, kind: .general)
        }

        /// General register `n` (0...30).
        static func x(_ n: Int) -> Register {
            precondition(n >= 0 && n < 31, "general registers are x0...x30")
            return Register(number: UInt8(n), kind: .general)
        }

        static let x0 = x(0), x1 = x(1), x2 = x(2), x3 = x(3), x4 = x(4), x5 = x(5), x6 = x(6), x7 = x(7)
        static let x8 = x(8), x9 = x(9), x10 = x(10), x11 = x(11), x12 = x(12), x13 = x(13), x14 = x(14), x15 = x(15)
        static let x16 = x(16), x17 = x(17), x18 = x(18), x19 = x(19), x20 = x(20), x21 = x(21), x22 = x(22), x23 = x(23)
        static let x24 = x(24), x25 = x(25), x26 = x(26), x27 = x(27), x28 = x(28), x29 = x(29), x30 = x(30)

        /// The stack pointer, `sp` (64-bit) / `wsp` (32-bit).
        static let sp = Register(number: 31, kind: .stackPointer)
        /// The zero register, `xzr` / `wzr`: reads as zero, writes are discarded.
        static let zr = Register(number: 31, kind: .zero)

        /// The frame pointer (x29) of the AAPCS64.
        static let fp = x29
        /// The link register (x30), written by BL and BLR, read by RET.
        static let lr = x30
        /// The intra-procedure-call scratch registers (x16, x17) of the AAPCS64.
        static let ip0 = x16, ip1 = x17

        var isStackPointer: Bool { kind == .stackPointer }
        var isZero: Bool { kind == .zero }

        /// The assembly name of the register at `size`: `w3`/`x3`, `wsp`/`sp`, `wzr`/`xzr`.
        func name(_ size: Size) -> String {
            switch kind {
            case .general: return (size == .w ? "w" : "x") + "\(number)"
            case .stackPointer: return size == .w ? "wsp" : "sp"
            case .zero: return size == .w ? "wzr" : "xzr"
            }
        }

        var description: String { name(.x) }
    }

    /// A SIMD and floating-point register v0...v31; scalar instructions name its low bits
    /// `s0` (32-bit) or `d0` (64-bit). Number 31 has no special meaning here.
    enum VRegister: UInt8, CaseIterable, Sendable, CustomStringConvertible {
        case v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15
        case v16, v17, v18, v19, v20, v21, v22, v23, v24, v25, v26, v27, v28, v29, v30, v31

        var number: UInt8 { rawValue }
        var description: String { "v\(rawValue)" }
    }

    /// The width of a general-purpose operation: W (32-bit) or X (64-bit). The raw value is
    /// the `sf` bit. 32-bit operations write zeros to the upper half of the destination.
    enum Size: UInt32, Sendable, CaseIterable {
        case w = 0
        case x = 1

        /// Operand width in bits.
        var bits: Int { self == .w ? 32 : 64 }
        /// The `sf` bit (bit 31 of most data-processing encodings).
        var sf: UInt32 { rawValue << 31 }
    }

    /// The width of a scalar floating-point operation: S (single) or D (double). The raw
    /// value is the `ftype` field.
    enum FloatSize: UInt32, Sendable, CaseIterable {
        case s = 0
        case d = 1

        var bits: Int { self == .s ? 32 : 64 }
        /// The `ftype` field at bits 23:22.
        var ftype: UInt32 { rawValue << 22 }
    }

    /// Condition codes, numbered as in the `cond` fields of B.cond, CSEL, CCMP and FCSEL.
    enum Condition: UInt32, CaseIterable, Sendable {
        /// Equal (Z=1).
        case eq = 0
        /// Not equal (Z=0).
        case ne = 1
        /// Unsigned higher or same, carry set (C=1). Also `cs`.
        case hs = 2
        /// Unsigned lower, carry clear (C=0). Also `cc`.
        case lo = 3
        /// Minus, negative (N=1); after FCMP: less than.
        case mi = 4
        /// Plus, positive or zero (N=0).
        case pl = 5
        /// Overflow (V=1); after FCMP: unordered.
        case vs = 6
        /// No overflow (V=0); after FCMP: ordered.
        case vc = 7
        /// Unsigned higher (C=1 and Z=0).
        case hi = 8
        /// Unsigned lower or same (C=0 or Z=1); after FCMP: less than or equal.
        case ls = 9
        /// Signed greater than or equal (N=V).
        case ge = 10
        /// Signed less than (N!=V); after FCMP: less than or unordered.
        case lt = 11
        /// Signed greater than (Z=0 and N=V).
        case gt = 12
        /// Signed less than or equal (Z=1 or N!=V).
        case le = 13
        /// Always.
        case al = 14
        /// Always (the encoding of "never" behaves as always).
        case nv = 15

        /// Carry set (same as `.hs`).
        static let cs = Condition.hs
        /// Carry clear (same as `.lo`).
        static let cc = Condition.lo

        /// The condition that holds exactly when this one does not (pairs differ in the
        /// lowest bit; `al` and `nv` invert into each other, both meaning "always").
        var inverted: Condition { Condition(rawValue: rawValue ^ 1)! }

        /// The assembly name (`eq`, `hs`, ...).
        var name: String { "\(self)" }
    }

    /// The shift of a shifted-register operand. ROR is only valid for logical instructions.
    enum Shift: UInt32, Sendable, CaseIterable {
        case lsl = 0, lsr = 1, asr = 2, ror = 3
    }

    /// The extension of an extended-register operand (ADD/SUB extended register), numbered as
    /// the `option` field. The register operand is W for the byte, halfword and word forms
    /// and X for `uxtx`/`sxtx`.
    enum Extend: UInt32, Sendable, CaseIterable {
        case uxtb = 0, uxth = 1, uxtw = 2, uxtx = 3, sxtb = 4, sxth = 5, sxtw = 6, sxtx = 7
    }

    /// How the index register of a register-offset address is extended, numbered as the
    /// `option` field: `lsl` takes an X index as is, `uxtw`/`sxtw` zero- or sign-extend a W
    /// index, `sxtx` takes an X index (sign extension of 64 bits is the identity).
    enum IndexExtend: UInt32, Sendable, CaseIterable {
        case uxtw = 2, lsl = 3, sxtw = 6, sxtx = 7
    }

    /// A SIMD vector arrangement (lane count and size). `.d1` stands for the scalar D form
    /// where an instruction has one (`movi d0, #imm`, `shl d0, d1, #n`).
    enum VectorArrangement: Sendable, CaseIterable {
        case b8, b16, h4, h8, s2, s4, d1, d2

        /// The `Q` bit (bit 30): whether all 128 bits are used.
        var q: UInt32 {
            switch self {
            case .b16, .h8, .s4, .d2: 1 << 30
            default: 0
            }
        }

        /// log2 of the lane size in bytes (the `size` field of many encodings).
        var laneSizeLog2: UInt32 {
            switch self {
            case .b8, .b16: 0
            case .h4, .h8: 1
            case .s2, .s4: 2
            case .d1, .d2: 3
            }
        }

        /// Lane width in bits.
        var laneBits: Int { 8 << Int(laneSizeLog2) }

        /// The assembly suffix, e.g. `8b` in `v0.8b`.
        var name: String {
            switch self {
            case .b8: "8b"
            case .b16: "16b"
            case .h4: "4h"
            case .h8: "8h"
            case .s2: "2s"
            case .s4: "4s"
            case .d1: "1d"
            case .d2: "2d"
            }
        }
    }

    /// The domain/type option of DMB and DSB, numbered as the `CRm` field.
    enum BarrierOption: UInt32, Sendable, CaseIterable {
        case oshld = 1, oshst = 2, osh = 3
        case nshld = 5, nshst = 6, nsh = 7
        case ishld = 9, ishst = 10, ish = 11
        case ld = 13, st = 14, sy = 15
    }
}
