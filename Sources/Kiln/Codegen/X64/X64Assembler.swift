// An x86-64 machine-code encoder for the single-pass JIT.
//
// Written from the Intel SDM (volume 2) encoding rules. Every instruction the
// JIT needs has a named method whose doc comment gives the Intel-syntax form it
// emits. Instruction operands follow Intel order: destination first.
//
// Encoding choices, checked byte for byte against clang's assembler by
// `X64AssemblerTests`:
// - register-to-register forms of mov/ALU/test use the "r/m, reg" opcode (89, 01, 85...), as
//   assemblers do;
// - immediates use the shortest form that produces the same result: imm8 when the value fits
//   sign-extended, the accumulator short forms (`add eax, imm32` = 05 id) otherwise;
// - `mov r64, imm` becomes `mov r32, imm32` for zero-extended 32-bit values, the
//   sign-extended `mov r64, simm32` when that fits, `movabs` otherwise;
// - branches and calls to labels always use rel32, so code size never depends on label
//   positions and nothing needs relaxing.

/// A 64-bit general-purpose register. The raw value is the hardware register number; the
/// low three bits go into ModRM/SIB/opcode fields, bit 3 into REX.R/X/B.
///
/// With 8-bit operands, numbers 4...7 mean spl/bpl/sil/dil when a REX prefix is present
/// (ah/ch/dh/bh otherwise); the assembler always emits a REX prefix for them, so ah...bh are
/// never produced.
enum GPR: UInt8, CaseIterable, Sendable {
    case rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi
    case r8, r9, r10, r11, r12, r13, r14, r15

    /// Register number bits that go into ModRM/SIB/opcode fields.
    @inline(__always) var low3: UInt8 { rawValue & 7 }
    /// Whether the register needs the REX extension bit (r8...r15).
    @inline(__always) var isExtended: Bool { rawValue >= 8 }
    /// Whether the byte form of this register (spl, bpl, sil, dil) needs a REX prefix to be
    /// distinguishable from ah, ch, dh, bh.
    @inline(__always) var byteFormNeedsREX: Bool { rawValue >= 4 && rawValue < 8 }
}

/// An SSE register. The raw value is the hardware register number.
enum XMM: UInt8, CaseIterable, Sendable {
    case xmm0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7
    case xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15
}

// The code generator names a register by number millions of times per module;
// `init(rawValue:)` is an out-of-line call there. Both enums declare their 16 cases in
// number order without payloads, so a case's one-byte tag is its number: after the range
// check, the number is the value (`X64AssemblerTests` checks every case).
extension GPR {
    @inline(__always) init(number: UInt8) {
        precondition(number < 16, "no such register")
        self = unsafeBitCast(number, to: GPR.self)
    }
}

extension XMM {
    @inline(__always) init(number: UInt8) {
        precondition(number < 16, "no such register")
        self = unsafeBitCast(number, to: XMM.self)
    }
}

/// Operand width. Most instructions take `.s32` or `.s64`; `.s8` and `.s16` are accepted only
/// where documented (stores, extending loads).
enum OperandSize: Sendable {
    case s8, s16, s32, s64

    /// Width in bytes.
    var byteCount: Int {
        switch self {
        case .s8: 1
        case .s16: 2
        case .s32: 4
        case .s64: 8
        }
    }
}

/// The sixteen x86 condition codes (the `cc` of jcc, setcc, cmovcc), numbered as in the
/// opcode encodings.
enum Condition: UInt8, CaseIterable, Sendable {
    /// Overflow (OF=1).
    case o = 0
    /// No overflow (OF=0).
    case no = 1
    /// Below, unsigned < (CF=1). Also "carry".
    case b = 2
    /// Above or equal, unsigned >= (CF=0). Also "no carry".
    case ae = 3
    /// Equal / zero (ZF=1).
    case e = 4
    /// Not equal / not zero (ZF=0).
    case ne = 5
    /// Below or equal, unsigned <= (CF=1 or ZF=1).
    case be = 6
    /// Above, unsigned > (CF=0 and ZF=0).
    case a = 7
    /// Sign (SF=1).
    case s = 8
    /// No sign (SF=0).
    case ns = 9
    /// Parity even (PF=1); after ucomiss/ucomisd: unordered.
    case p = 10
    /// Parity odd (PF=0); after ucomiss/ucomisd: ordered.
    case np = 11
    /// Less, signed < (SF!=OF).
    case l = 12
    /// Greater or equal, signed >= (SF=OF).
    case ge = 13
    /// Less or equal, signed <= (ZF=1 or SF!=OF).
    case le = 14
    /// Greater, signed > (ZF=0 and SF=OF).
    case g = 15

    /// Zero (same as `.e`).
    static let z = Condition.e
    /// Not zero (same as `.ne`).
    static let nz = Condition.ne
    /// Carry (same as `.b`).
    static let c = Condition.b
    /// No carry (same as `.ae`).
    static let nc = Condition.ae

    /// The condition that holds exactly when this one does not (the codes come in pairs that
    /// differ in the lowest bit).
    var inverted: Condition { Condition(rawValue: rawValue ^ 1)! }
}

/// A memory operand `[base + index*scale + displacement]`.
///
/// Any combination is encodable except `rsp` as index (the SIB encoding of "no index").
/// With neither base nor index the operand is the absolute address `[displacement]`
/// (sign-extended to 64 bits). `ripRelative` is `[rip + displacement]` (neither base nor
/// index), its displacement counted from the end of the instruction.
struct MemoryOperand: Hashable, Sendable {
    var base: GPR?
    var index: GPR?
    var isRIPRelative = false
    /// 1, 2, 4 or 8. Ignored when there is no index.
    var scale: UInt8
    var displacement: Int32

    init(base: GPR? = nil, index: GPR? = nil, scale: UInt8 = 1, displacement: Int32 = 0) {
        precondition(index != .rsp, "rsp cannot be an index register")
        precondition(scale == 1 || scale == 2 || scale == 4 || scale == 8, "scale must be 1, 2, 4 or 8")
        self.base = base
        self.index = index
        self.scale = scale
        self.displacement = displacement
    }

    /// `[base + displacement]`
    static func base(_ base: GPR, _ displacement: Int32 = 0) -> MemoryOperand {
        MemoryOperand(base: base, displacement: displacement)
    }

    /// `[base + index*scale + displacement]`
    static func base(_ base: GPR, index: GPR, scale: UInt8 = 1, _ displacement: Int32 = 0) -> MemoryOperand {
        MemoryOperand(base: base, index: index, scale: scale, displacement: displacement)
    }

    /// `[index*scale + displacement]` (no base register; always carries a disp32).
    static func index(_ index: GPR, scale: UInt8, _ displacement: Int32 = 0) -> MemoryOperand {
        MemoryOperand(index: index, scale: scale, displacement: displacement)
    }

    /// `[rip + displacement]`, for constants placed after the code.
    static func ripRelative(_ displacement: Int32) -> MemoryOperand {
        var operand = MemoryOperand(displacement: displacement)
        operand.isRIPRelative = true
        return operand
    }

    /// `[displacement]`: an absolute address in the low or high 2 GiB.
    static func absolute(_ address: Int32) -> MemoryOperand {
        MemoryOperand(displacement: address)
    }

    /// The SIB scale field (log2 of the scale).
    fileprivate var scaleBits: UInt8 {
        switch scale {
        case 1: 0
        case 2: 1
        case 4: 2
        default: 3
        }
    }
}

/// A position in the code that jumps and calls can target, created by
/// `X64Assembler.newLabel()` and placed by `X64Assembler.bind(_:)`.
struct Label: Hashable, Sendable, BitwiseCopyable {
    /// Index into the assembler's label table.
    let index: Int
}

/// The group-1 arithmetic/logic operations; the raw value is the `/digit` of opcodes 80–83
/// and bits 3–5 of their register forms.
enum ALUOp: UInt8, Sendable {
    case add = 0, or = 1, adc = 2, sbb = 3, and = 4, sub = 5, xor = 6, cmp = 7
}

/// The group-2 shift/rotate operations; the raw value is the `/digit` of opcodes C1, D1, D3.
enum ShiftOp: UInt8, Sendable {
    case rol = 0, ror = 1, shl = 4, shr = 5, sar = 7
}

/// How `X64Assembler.align(_:with:)` fills the gap.
enum AlignmentPadding: Sendable {
    /// Multi-byte NOPs (for padding that may be executed, e.g. before a loop head).
    case nop
    /// `int3` bytes (for padding that must never be executed).
    case int3
}

/// Appends x86-64 machine code to a byte buffer.
///
/// Jumps and calls to labels use rel32 displacements. A displacement to a label that is
/// not yet bound is patched by `bind(_:)`; until then, the field links to the previous
/// unresolved use of the same label (a chain threaded through the code itself, so
/// forward references need no extra storage).
struct X64Assembler {
    /// The code emitted so far.
    public private(set) var bytes: [UInt8] = []

    /// Bound position of each label, or -1 while unbound.
    private var labelTargets: [Int] = []
    /// For each unbound label, the offset of its most recent unresolved rel32 field, or -1.
    private var labelChains: [Int] = []

    init() {}

    /// Creates an assembler whose buffer has room for `capacity` bytes.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Number of bytes emitted so far: the offset of the next instruction.
    var offset: Int { bytes.count }

    // MARK: - Raw bytes

    /// Appends raw bytes (escape hatch for anything without a named method).
    mutating func emit(_ raw: UInt8...) {
        bytes.append(contentsOf: raw)
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    /// Appends a 64-bit word, little-endian (data, such as a literal pool's).
    mutating func word64(_ value: UInt64) {
        for shift in stride(from: UInt64(0), to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    @inline(__always) private mutating func imm8(_ v: Int8) {
        bytes.append(UInt8(bitPattern: v))
    }

    @inline(__always) private mutating func imm16(_ v: Int16) {
        let u = UInt16(bitPattern: v)
        bytes.append(UInt8(truncatingIfNeeded: u))
        bytes.append(UInt8(truncatingIfNeeded: u >> 8))
    }

    @inline(__always) private mutating func imm32(_ v: Int32) {
        let u = UInt32(bitPattern: v)
        bytes.append(UInt8(truncatingIfNeeded: u))
        bytes.append(UInt8(truncatingIfNeeded: u >> 8))
        bytes.append(UInt8(truncatingIfNeeded: u >> 16))
        bytes.append(UInt8(truncatingIfNeeded: u >> 24))
    }

    @inline(__always) private mutating func imm64(_ v: Int64) {
        var u = UInt64(bitPattern: v)
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: u))
            u >>= 8
        }
    }

    private func read32(at position: Int) -> Int32 {
        var u: UInt32 = 0
        for i in 0..<4 { u |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        return Int32(bitPattern: u)
    }

    private mutating func write32(_ v: Int32, at position: Int) {
        let u = UInt32(bitPattern: v)
        for i in 0..<4 { bytes[position + i] = UInt8(truncatingIfNeeded: u >> (8 * UInt32(i))) }
    }

    // MARK: - Encoding core

    /// Whether `size` selects REX.W; only 32- and 64-bit operands are allowed.
    @inline(__always) private func rexW(_ size: OperandSize) -> Bool {
        switch size {
        case .s32: return false
        case .s64: return true
        case .s8, .s16: preconditionFailure("operand size \(size) is not supported by this instruction")
        }
    }

    /// Emits a REX prefix if any of W/R/X/B is set or `force` is true. `r`, `x`, `b` are
    /// 4-bit register numbers; only their bit 3 is used.
    @inline(__always) mutating func rex(w: Bool, r: UInt8, x: UInt8, b: UInt8, force: Bool) {
        let wBit: UInt8 = w ? 8 : 0
        let rBit: UInt8 = ((r >> 3) & 1) << 2
        let xBit: UInt8 = ((x >> 3) & 1) << 1
        let bBit: UInt8 = (b >> 3) & 1
        let value: UInt8 = 0x40 | wBit | rBit | xBit | bBit
        if value != 0x40 || force { byte(value) }
    }

    /// Emits a 1-, 2- or 3-byte opcode given as a big-endian integer (0x0FAF = 0F AF).
    @inline(__always) mutating func opcode(_ op: UInt32) {
        if op > 0xFFFF { byte(UInt8(truncatingIfNeeded: op >> 16)) }
        if op > 0xFF { byte(UInt8(truncatingIfNeeded: op >> 8)) }
        byte(UInt8(truncatingIfNeeded: op))
    }

    /// Emits the ModRM (and SIB and displacement) bytes addressing `m`, with `reg` (a register
    /// number or opcode extension) in the reg field.
    mutating func modRM(reg: UInt8, _ m: MemoryOperand) {
        precondition(m.index != .rsp, "rsp cannot be an index register")
        let r = (reg & 7) << 3
        let disp = m.displacement
        if m.isRIPRelative {
            byte(0x05 | r)  // mod=00 rm=101: [rip + disp32]
            imm32(disp)
            return
        }
        guard let base = m.base else {
            // mod=00 rm=100 with SIB base=101: [index*scale + disp32] or, with index=100 (none),
            // the absolute [disp32]. (mod=00 rm=101 would be RIP-relative in 64-bit mode.)
            byte(0x04 | r)
            let index = m.index?.low3 ?? 4
            byte((m.index == nil ? 0 : m.scaleBits) << 6 | index << 3 | 5)
            imm32(disp)
            return
        }
        // rbp/r13 as base with mod=00 would mean "no base, disp32" (or RIP), so they always
        // carry a displacement.
        let mod: UInt8 = disp == 0 && base.low3 != 5 ? 0 : (Int8(exactly: disp) != nil ? 1 : 2)
        if let index = m.index {
            byte(mod << 6 | r | 4)
            byte(m.scaleBits << 6 | index.low3 << 3 | base.low3)
        } else if base.low3 == 4 {
            // rsp/r12 in the rm field means "SIB follows"; SIB index=100 is "no index".
            byte(mod << 6 | r | 4)
            byte(0x24)
        } else {
            byte(mod << 6 | r | base.low3)
        }
        if mod == 1 {
            imm8(Int8(truncatingIfNeeded: disp))
        } else if mod == 2 {
            imm32(disp)
        }
    }

    /// `[prefix] [REX] opcode ModRM(mod=11, reg, rm)`. `reg` and `rm` are 4-bit register
    /// numbers (or an opcode extension for `reg`).
    mutating func encodeRR(
        prefix: UInt8 = 0, w: Bool, _ op: UInt32, reg: UInt8, rm: UInt8, forceREX: Bool = false
    ) {
        if prefix != 0 { byte(prefix) }
        rex(w: w, r: reg, x: 0, b: rm, force: forceREX)
        opcode(op)
        byte(0xC0 | (reg & 7) << 3 | (rm & 7))
    }

    /// `[prefix] [REX] opcode ModRM(reg, [m]) [SIB] [disp]`.
    mutating func encodeRM(
        prefix: UInt8 = 0, w: Bool, _ op: UInt32, reg: UInt8, _ m: MemoryOperand, forceREX: Bool = false
    ) {
        if prefix != 0 { byte(prefix) }
        rex(w: w, r: reg, x: m.index?.rawValue ?? 0, b: m.base?.rawValue ?? 0, force: forceREX)
        opcode(op)
        modRM(reg: reg, m)
    }

    // MARK: - Labels

    /// Creates a new, unbound label.
    mutating func newLabel() -> Label {
        labelTargets.append(-1)
        labelChains.append(-1)
        return Label(index: labelTargets.count - 1)
    }

    /// Whether `label` has been bound.
    func isBound(_ label: Label) -> Bool {
        labelTargets[label.index] >= 0
    }

    /// The offset `label` is bound to, or nil if it is not bound yet.
    func position(of label: Label) -> Int? {
        let target = labelTargets[label.index]
        return target >= 0 ? target : nil
    }

    /// Binds `label` to the current offset and patches every earlier jump or call to it.
    mutating func bind(_ label: Label) {
        precondition(labelTargets[label.index] < 0, "label bound twice")
        let target = offset
        labelTargets[label.index] = target
        var field = labelChains[label.index]
        while field >= 0 {
            let next = Int(read32(at: field))
            write32(Int32(target - (field + 4)), at: field)
            field = next
        }
        labelChains[label.index] = -1
    }

    /// Emits the rel32 field of a branch to `label` as the last 4 bytes of the instruction.
    private mutating func rel32(to label: Label) {
        let field = offset
        let target = labelTargets[label.index]
        if target >= 0 {
            let rel = target - (field + 4)
            guard let rel = Int32(exactly: rel) else { preconditionFailure("branch displacement exceeds rel32") }
            imm32(rel)
        } else {
            precondition(field <= Int(Int32.max), "code exceeds 2 GiB")
            imm32(Int32(labelChains[label.index]))
            labelChains[label.index] = field
        }
    }

    /// Checks that every label that was jumped to or called has been bound, and returns the
    /// code.
    @discardableResult
    func finish() -> [UInt8] {
        for (index, chain) in labelChains.enumerated() {
            precondition(chain < 0, "label \(index) is used but never bound")
        }
        return bytes
    }

    /// Pads with `padding` until `offset` is a multiple of `n` (a power of two). The code
    /// buffer must be placed at an address aligned to at least `n` for this to be meaningful.
    mutating func align(_ n: Int, with padding: AlignmentPadding = .nop) {
        precondition(n > 0 && n & (n - 1) == 0, "alignment must be a power of two")
        let count = (n - offset % n) % n
        switch padding {
        case .nop: nop(length: count)
        case .int3: for _ in 0..<count { byte(0xCC) }
        }
    }

    // MARK: - Moves

    /// `mov dst, src` (32- or 64-bit registers). 89 /r.
    mutating func mov(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(w: rexW(size), 0x89, reg: src.rawValue, rm: dst.rawValue)
    }

    /// Loads a constant into a register, picking the shortest encoding:
    /// - `.s32`: `mov r32, imm32` (B8+r id); `imm` must fit in Int32 or UInt32.
    /// - `.s64`, 0 ≤ imm ≤ 0xFFFF_FFFF: `mov r32, imm32` (B8+r id), which zero-extends.
    /// - `.s64`, imm fits in Int32: `mov r64, simm32` (REX.W C7 /0 id).
    /// - `.s64`, otherwise: `movabs r64, imm64` (REX.W B8+r io).
    /// Never uses `xor r, r` for zero, so flags are preserved.
    mutating func mov(_ size: OperandSize, _ dst: GPR, imm: Int64) {
        let w = rexW(size)
        if !w || (imm >= 0 && imm <= 0xFFFF_FFFF) {
            precondition(imm >= Int64(Int32.min) && imm <= Int64(UInt32.max), "immediate does not fit in 32 bits")
            rex(w: false, r: 0, x: 0, b: dst.rawValue, force: false)
            byte(0xB8 | dst.low3)
            imm32(Int32(truncatingIfNeeded: imm))
        } else if let imm = Int32(exactly: imm) {
            encodeRR(w: true, 0xC7, reg: 0, rm: dst.rawValue)
            imm32(imm)
        } else {
            movabs(dst, imm: imm)
        }
    }

    /// `movabs dst, imm64` (REX.W B8+r io): always the 10-byte form, e.g. for constants that
    /// are patched later.
    mutating func movabs(_ dst: GPR, imm: Int64) {
        rex(w: true, r: 0, x: 0, b: dst.rawValue, force: false)
        byte(0xB8 | dst.low3)
        imm64(imm)
    }

    /// `mov r32/r64, dword/qword ptr [m]` (load). 8B /r.
    mutating func mov(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) {
        encodeRM(w: rexW(size), 0x8B, reg: dst.rawValue, src)
    }

    /// `mov byte/word/dword/qword ptr [m], r8/r16/r32/r64` (store).
    /// 88 /r (byte; REX for spl/bpl/sil/dil), 66 89 /r (word), 89 /r, REX.W 89 /r.
    mutating func mov(_ size: OperandSize, _ dst: MemoryOperand, _ src: GPR) {
        switch size {
        case .s8: encodeRM(w: false, 0x88, reg: src.rawValue, dst, forceREX: src.byteFormNeedsREX)
        case .s16: encodeRM(prefix: 0x66, w: false, 0x89, reg: src.rawValue, dst)
        case .s32: encodeRM(w: false, 0x89, reg: src.rawValue, dst)
        case .s64: encodeRM(w: true, 0x89, reg: src.rawValue, dst)
        }
    }

    /// `mov byte/word/dword/qword ptr [m], imm` (store a constant).
    /// C6 /0 ib (byte; imm in -128...255), 66 C7 /0 iw (word; imm in -32768...65535),
    /// C7 /0 id (dword), REX.W C7 /0 id (qword; imm sign-extended to 64 bits).
    mutating func mov(_ size: OperandSize, _ dst: MemoryOperand, imm: Int32) {
        switch size {
        case .s8:
            precondition(imm >= -128 && imm <= 255, "immediate does not fit in 8 bits")
            encodeRM(w: false, 0xC6, reg: 0, dst)
            byte(UInt8(truncatingIfNeeded: imm))
        case .s16:
            precondition(imm >= -32768 && imm <= 65535, "immediate does not fit in 16 bits")
            encodeRM(prefix: 0x66, w: false, 0xC7, reg: 0, dst)
            imm16(Int16(truncatingIfNeeded: imm))
        case .s32, .s64:
            encodeRM(w: rexW(size), 0xC7, reg: 0, dst)
            imm32(imm)
        }
    }

    /// `movzx r32, byte ptr [m]` (0F B6 /r); the result is zero-extended to 64 bits.
    mutating func movzx(_ dst: GPR, byte src: MemoryOperand) {
        encodeRM(w: false, 0x0FB6, reg: dst.rawValue, src)
    }

    /// `movzx r32, word ptr [m]` (0F B7 /r); the result is zero-extended to 64 bits.
    mutating func movzx(_ dst: GPR, word src: MemoryOperand) {
        encodeRM(w: false, 0x0FB7, reg: dst.rawValue, src)
    }

    /// `movzx r32, r8` (0F B6 /r; REX for spl/bpl/sil/dil); zero-extends to 64 bits.
    mutating func movzx(_ dst: GPR, byte src: GPR) {
        encodeRR(w: false, 0x0FB6, reg: dst.rawValue, rm: src.rawValue, forceREX: src.byteFormNeedsREX)
    }

    /// `movzx r32, r16` (0F B7 /r); zero-extends to 64 bits.
    mutating func movzx(_ dst: GPR, word src: GPR) {
        encodeRR(w: false, 0x0FB7, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `movsx r32/r64, byte ptr [m]` ([REX.W] 0F BE /r).
    mutating func movsx(_ size: OperandSize, _ dst: GPR, byte src: MemoryOperand) {
        encodeRM(w: rexW(size), 0x0FBE, reg: dst.rawValue, src)
    }

    /// `movsx r32/r64, word ptr [m]` ([REX.W] 0F BF /r).
    mutating func movsx(_ size: OperandSize, _ dst: GPR, word src: MemoryOperand) {
        encodeRM(w: rexW(size), 0x0FBF, reg: dst.rawValue, src)
    }

    /// `movsx r32/r64, r8` ([REX.W] 0F BE /r; REX for spl/bpl/sil/dil).
    mutating func movsx(_ size: OperandSize, _ dst: GPR, byte src: GPR) {
        encodeRR(w: rexW(size), 0x0FBE, reg: dst.rawValue, rm: src.rawValue, forceREX: src.byteFormNeedsREX)
    }

    /// `movsx r32/r64, r16` ([REX.W] 0F BF /r).
    mutating func movsx(_ size: OperandSize, _ dst: GPR, word src: GPR) {
        encodeRR(w: rexW(size), 0x0FBF, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `movsxd r64, dword ptr [m]` (REX.W 63 /r).
    mutating func movsxd(_ dst: GPR, _ src: MemoryOperand) {
        encodeRM(w: true, 0x63, reg: dst.rawValue, src)
    }

    /// `movsxd r64, r32` (REX.W 63 /r).
    mutating func movsxd(_ dst: GPR, _ src: GPR) {
        encodeRR(w: true, 0x63, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `lea r32/r64, [m]` ([REX.W] 8D /r). The 32-bit form computes the address in 64 bits
    /// and keeps the low 32, zero-extended.
    /// `lea dst, [rip + label]`: the address of a label (64-bit).
    mutating func leaLabel(_ dst: GPR, _ label: Label) {
        rex(w: true, r: dst.rawValue, x: 0, b: 0, force: false)
        byte(0x8D)
        byte(0x05 | ((dst.rawValue & 7) << 3))  // mod=00, rm=101: RIP-relative disp32
        rel32(to: label)
    }

    /// A label bound at the current offset.
    mutating func here() -> Label {
        let label = newLabel()
        bind(label)
        return label
    }

    /// `btc r64, 63`: flips the sign bit of a 64-bit register.
    mutating func btc63(_ dst: GPR) {
        rex(w: true, r: 0, x: 0, b: dst.rawValue, force: false)
        byte(0x0F); byte(0xBA)
        byte(0xC0 | (7 << 3) | (dst.rawValue & 7))
        byte(63)
    }

    /// Overwrites `length` bytes emitted earlier, at `position`, with NOPs.
    mutating func overwriteWithNops(at position: Int, length: Int) {
        var filler = X64Assembler()
        filler.nop(length: length)
        bytes.replaceSubrange(position..<(position + length), with: filler.bytes)
    }

    /// Overwrites the 32-bit little-endian value at `position` (a field emitted earlier).
    mutating func patch32(at position: Int, _ value: Int32) {
        write32(value, at: position)
    }

    mutating func lea(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) {
        encodeRM(w: rexW(size), 0x8D, reg: dst.rawValue, src)
    }

    // MARK: - Integer arithmetic and logic

    /// `op dst, src` for a group-1 operation (add/or/adc/sbb/and/sub/xor/cmp), 32 or 64 bits.
    /// Opcode 01/09/11/19/21/29/31/39 /r (the "r/m, reg" form).
    mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(w: rexW(size), UInt32(op.rawValue << 3 | 1), reg: src.rawValue, rm: dst.rawValue)
    }

    /// `op dst, imm` for a group-1 operation, 32 or 64 bits (64-bit: imm sign-extended).
    /// 83 /n ib if the immediate fits in Int8; otherwise 05/0D/.../3D id for eax/rax;
    /// otherwise 81 /n id.
    mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: GPR, imm: Int32) {
        let w = rexW(size)
        if let imm = Int8(exactly: imm) {
            encodeRR(w: w, 0x83, reg: op.rawValue, rm: dst.rawValue)
            imm8(imm)
        } else if dst == .rax {
            rex(w: w, r: 0, x: 0, b: 0, force: false)
            byte(op.rawValue << 3 | 5)
            imm32(imm)
        } else {
            encodeRR(w: w, 0x81, reg: op.rawValue, rm: dst.rawValue)
            imm32(imm)
        }
    }

    /// `op dst, dword/qword ptr [m]` for a group-1 operation (03/0B/.../3B /r).
    mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) {
        encodeRM(w: rexW(size), UInt32(op.rawValue << 3 | 3), reg: dst.rawValue, src)
    }

    /// `op dword/qword ptr [m], src` for a group-1 operation (01/09/.../39 /r).
    mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: MemoryOperand, _ src: GPR) {
        encodeRM(w: rexW(size), UInt32(op.rawValue << 3 | 1), reg: src.rawValue, dst)
    }

    /// `op dword/qword ptr [m], imm` for a group-1 operation (83 /n ib or 81 /n id).
    mutating func alu(_ op: ALUOp, _ size: OperandSize, _ dst: MemoryOperand, imm: Int32) {
        let w = rexW(size)
        if let imm = Int8(exactly: imm) {
            encodeRM(w: w, 0x83, reg: op.rawValue, dst)
            imm8(imm)
        } else {
            encodeRM(w: w, 0x81, reg: op.rawValue, dst)
            imm32(imm)
        }
    }

    /// `add dst, src` (01 /r).
    mutating func add(_ size: OperandSize, _ dst: GPR, _ src: GPR) { alu(.add, size, dst, src) }
    /// `add dst, imm` (83 /0 ib, 05 id, 81 /0 id).
    mutating func add(_ size: OperandSize, _ dst: GPR, imm: Int32) { alu(.add, size, dst, imm: imm) }
    /// `add dst, dword/qword ptr [m]` (03 /r).
    mutating func add(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) { alu(.add, size, dst, src) }
    /// `add dword/qword ptr [m], src` (01 /r).
    mutating func add(_ size: OperandSize, _ dst: MemoryOperand, _ src: GPR) { alu(.add, size, dst, src) }
    /// `add dword/qword ptr [m], imm` (83 /0 ib, 81 /0 id).
    mutating func add(_ size: OperandSize, _ dst: MemoryOperand, imm: Int32) { alu(.add, size, dst, imm: imm) }

    /// `or dst, src` (09 /r).
    mutating func or(_ size: OperandSize, _ dst: GPR, _ src: GPR) { alu(.or, size, dst, src) }
    /// `or dst, imm` (83 /1 ib, 0D id, 81 /1 id).
    mutating func or(_ size: OperandSize, _ dst: GPR, imm: Int32) { alu(.or, size, dst, imm: imm) }
    /// `or dst, dword/qword ptr [m]` (0B /r).
    mutating func or(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) { alu(.or, size, dst, src) }
    /// `or dword/qword ptr [m], src` (09 /r).
    mutating func or(_ size: OperandSize, _ dst: MemoryOperand, _ src: GPR) { alu(.or, size, dst, src) }
    /// `or dword/qword ptr [m], imm` (83 /1 ib, 81 /1 id).
    mutating func or(_ size: OperandSize, _ dst: MemoryOperand, imm: Int32) { alu(.or, size, dst, imm: imm) }

    /// `adc dst, src` (11 /r).
    mutating func adc(_ size: OperandSize, _ dst: GPR, _ src: GPR) { alu(.adc, size, dst, src) }
    /// `adc dst, imm` (83 /2 ib, 15 id, 81 /2 id).
    mutating func adc(_ size: OperandSize, _ dst: GPR, imm: Int32) { alu(.adc, size, dst, imm: imm) }
    /// `adc dst, dword/qword ptr [m]` (13 /r).
    mutating func adc(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) { alu(.adc, size, dst, src) }

    /// `sbb dst, src` (19 /r).
    mutating func sbb(_ size: OperandSize, _ dst: GPR, _ src: GPR) { alu(.sbb, size, dst, src) }
    /// `sbb dst, imm` (83 /3 ib, 1D id, 81 /3 id).
    mutating func sbb(_ size: OperandSize, _ dst: GPR, imm: Int32) { alu(.sbb, size, dst, imm: imm) }
    /// `sbb dst, dword/qword ptr [m]` (1B /r).
    mutating func sbb(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) { alu(.sbb, size, dst, src) }

    /// `and dst, src` (21 /r).
    mutating func and(_ size: OperandSize, _ dst: GPR, _ src: GPR) { alu(.and, size, dst, src) }
    /// `and dst, imm` (83 /4 ib, 25 id, 81 /4 id).
    mutating func and(_ size: OperandSize, _ dst: GPR, imm: Int32) { alu(.and, size, dst, imm: imm) }
    /// `and dst, dword/qword ptr [m]` (23 /r).
    mutating func and(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) { alu(.and, size, dst, src) }
    /// `and dword/qword ptr [m], src` (21 /r).
    mutating func and(_ size: OperandSize, _ dst: MemoryOperand, _ src: GPR) { alu(.and, size, dst, src) }
    /// `and dword/qword ptr [m], imm` (83 /4 ib, 81 /4 id).
    mutating func and(_ size: OperandSize, _ dst: MemoryOperand, imm: Int32) { alu(.and, size, dst, imm: imm) }

    /// `sub dst, src` (29 /r).
    mutating func sub(_ size: OperandSize, _ dst: GPR, _ src: GPR) { alu(.sub, size, dst, src) }
    /// `sub dst, imm` (83 /5 ib, 2D id, 81 /5 id).
    mutating func sub(_ size: OperandSize, _ dst: GPR, imm: Int32) { alu(.sub, size, dst, imm: imm) }
    /// `sub dst, dword/qword ptr [m]` (2B /r).
    mutating func sub(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) { alu(.sub, size, dst, src) }
    /// `sub dword/qword ptr [m], src` (29 /r).
    mutating func sub(_ size: OperandSize, _ dst: MemoryOperand, _ src: GPR) { alu(.sub, size, dst, src) }
    /// `sub dword/qword ptr [m], imm` (83 /5 ib, 81 /5 id).
    mutating func sub(_ size: OperandSize, _ dst: MemoryOperand, imm: Int32) { alu(.sub, size, dst, imm: imm) }

    /// `xor dst, src` (31 /r).
    mutating func xor(_ size: OperandSize, _ dst: GPR, _ src: GPR) { alu(.xor, size, dst, src) }
    /// `xor dst, imm` (83 /6 ib, 35 id, 81 /6 id).
    mutating func xor(_ size: OperandSize, _ dst: GPR, imm: Int32) { alu(.xor, size, dst, imm: imm) }
    /// `xor dst, dword/qword ptr [m]` (33 /r).
    mutating func xor(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) { alu(.xor, size, dst, src) }
    /// `xor dword/qword ptr [m], src` (31 /r).
    mutating func xor(_ size: OperandSize, _ dst: MemoryOperand, _ src: GPR) { alu(.xor, size, dst, src) }
    /// `xor dword/qword ptr [m], imm` (83 /6 ib, 81 /6 id).
    mutating func xor(_ size: OperandSize, _ dst: MemoryOperand, imm: Int32) { alu(.xor, size, dst, imm: imm) }

    /// `cmp lhs, rhs` (39 /r).
    mutating func cmp(_ size: OperandSize, _ lhs: GPR, _ rhs: GPR) { alu(.cmp, size, lhs, rhs) }
    /// `cmp lhs, imm` (83 /7 ib, 3D id, 81 /7 id).
    mutating func cmp(_ size: OperandSize, _ lhs: GPR, imm: Int32) { alu(.cmp, size, lhs, imm: imm) }
    /// `cmp lhs, dword/qword ptr [m]` (3B /r).
    mutating func cmp(_ size: OperandSize, _ lhs: GPR, _ rhs: MemoryOperand) { alu(.cmp, size, lhs, rhs) }
    /// `cmp dword/qword ptr [m], rhs` (39 /r).
    mutating func cmp(_ size: OperandSize, _ lhs: MemoryOperand, _ rhs: GPR) { alu(.cmp, size, lhs, rhs) }
    /// `cmp dword/qword ptr [m], imm` (83 /7 ib, 81 /7 id).
    mutating func cmp(_ size: OperandSize, _ lhs: MemoryOperand, imm: Int32) { alu(.cmp, size, lhs, imm: imm) }

    /// `test lhs, rhs` (85 /r).
    mutating func test(_ size: OperandSize, _ lhs: GPR, _ rhs: GPR) {
        encodeRR(w: rexW(size), 0x85, reg: rhs.rawValue, rm: lhs.rawValue)
    }

    /// `test lhs, imm32` (A9 id for eax/rax, otherwise F7 /0 id; the 64-bit form sign-extends
    /// the immediate). There is no imm8 form.
    mutating func test(_ size: OperandSize, _ lhs: GPR, imm: Int32) {
        let w = rexW(size)
        if lhs == .rax {
            rex(w: w, r: 0, x: 0, b: 0, force: false)
            byte(0xA9)
        } else {
            encodeRR(w: w, 0xF7, reg: 0, rm: lhs.rawValue)
        }
        imm32(imm)
    }

    /// `imul dst, src` (0F AF /r): dst = low half of dst * src.
    mutating func imul(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(w: rexW(size), 0x0FAF, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `imul dst, dword/qword ptr [m]` (0F AF /r).
    mutating func imul(_ size: OperandSize, _ dst: GPR, _ src: MemoryOperand) {
        encodeRM(w: rexW(size), 0x0FAF, reg: dst.rawValue, src)
    }

    /// `imul dst, src, imm` (6B /r ib if the immediate fits in Int8, else 69 /r id).
    mutating func imul(_ size: OperandSize, _ dst: GPR, _ src: GPR, imm: Int32) {
        if let imm = Int8(exactly: imm) {
            encodeRR(w: rexW(size), 0x6B, reg: dst.rawValue, rm: src.rawValue)
            imm8(imm)
        } else {
            encodeRR(w: rexW(size), 0x69, reg: dst.rawValue, rm: src.rawValue)
            imm32(imm)
        }
    }

    /// `mul src` (F7 /4): unsigned edx:eax (rdx:rax) = eax (rax) * src.
    mutating func mul(_ size: OperandSize, _ src: GPR) {
        encodeRR(w: rexW(size), 0xF7, reg: 4, rm: src.rawValue)
    }

    /// `imul src` (F7 /5), the one-operand form: signed edx:eax (rdx:rax) = eax (rax) * src.
    mutating func imul(_ size: OperandSize, _ src: GPR) {
        encodeRR(w: rexW(size), 0xF7, reg: 5, rm: src.rawValue)
    }

    /// `div src` (F7 /6): unsigned divide edx:eax (rdx:rax) by src; quotient in eax (rax),
    /// remainder in edx (rdx).
    mutating func div(_ size: OperandSize, _ src: GPR) {
        encodeRR(w: rexW(size), 0xF7, reg: 6, rm: src.rawValue)
    }

    /// `idiv src` (F7 /7): signed divide edx:eax (rdx:rax) by src.
    mutating func idiv(_ size: OperandSize, _ src: GPR) {
        encodeRR(w: rexW(size), 0xF7, reg: 7, rm: src.rawValue)
    }

    /// `cdq` (99): sign-extend eax into edx.
    mutating func cdq() { byte(0x99) }

    /// `cqo` (REX.W 99): sign-extend rax into rdx.
    mutating func cqo() {
        byte(0x48)
        byte(0x99)
    }

    /// `neg dst` (F7 /3).
    mutating func neg(_ size: OperandSize, _ dst: GPR) {
        encodeRR(w: rexW(size), 0xF7, reg: 3, rm: dst.rawValue)
    }

    /// `not dst` (F7 /2).
    mutating func not(_ size: OperandSize, _ dst: GPR) {
        encodeRR(w: rexW(size), 0xF7, reg: 2, rm: dst.rawValue)
    }

    // MARK: - Shifts and rotates

    /// `op dst, cl` (D3 /n). `count` must be `.rcx`: x86 takes variable counts only in cl.
    mutating func shift(_ op: ShiftOp, _ size: OperandSize, _ dst: GPR, _ count: GPR) {
        precondition(count == .rcx, "variable shift counts must be in cl")
        encodeRR(w: rexW(size), 0xD3, reg: op.rawValue, rm: dst.rawValue)
    }

    /// `op dst, imm8` (D1 /n for a count of 1, else C1 /n ib). The CPU masks the count to 5
    /// (32-bit) or 6 (64-bit) bits.
    mutating func shift(_ op: ShiftOp, _ size: OperandSize, _ dst: GPR, imm: UInt8) {
        if imm == 1 {
            encodeRR(w: rexW(size), 0xD1, reg: op.rawValue, rm: dst.rawValue)
        } else {
            encodeRR(w: rexW(size), 0xC1, reg: op.rawValue, rm: dst.rawValue)
            byte(imm)
        }
    }

    /// `shl dst, cl` (D3 /4); `count` must be `.rcx`.
    mutating func shl(_ size: OperandSize, _ dst: GPR, _ count: GPR) { shift(.shl, size, dst, count) }
    /// `shl dst, imm8` (D1 /4 or C1 /4 ib).
    mutating func shl(_ size: OperandSize, _ dst: GPR, imm: UInt8) { shift(.shl, size, dst, imm: imm) }
    /// `shr dst, cl` (D3 /5); `count` must be `.rcx`.
    mutating func shr(_ size: OperandSize, _ dst: GPR, _ count: GPR) { shift(.shr, size, dst, count) }
    /// `shr dst, imm8` (D1 /5 or C1 /5 ib).
    mutating func shr(_ size: OperandSize, _ dst: GPR, imm: UInt8) { shift(.shr, size, dst, imm: imm) }
    /// `sar dst, cl` (D3 /7); `count` must be `.rcx`.
    mutating func sar(_ size: OperandSize, _ dst: GPR, _ count: GPR) { shift(.sar, size, dst, count) }
    /// `sar dst, imm8` (D1 /7 or C1 /7 ib).
    mutating func sar(_ size: OperandSize, _ dst: GPR, imm: UInt8) { shift(.sar, size, dst, imm: imm) }
    /// `rol dst, cl` (D3 /0); `count` must be `.rcx`.
    mutating func rol(_ size: OperandSize, _ dst: GPR, _ count: GPR) { shift(.rol, size, dst, count) }
    /// `rol dst, imm8` (D1 /0 or C1 /0 ib).
    mutating func rol(_ size: OperandSize, _ dst: GPR, imm: UInt8) { shift(.rol, size, dst, imm: imm) }
    /// `ror dst, cl` (D3 /1); `count` must be `.rcx`.
    mutating func ror(_ size: OperandSize, _ dst: GPR, _ count: GPR) { shift(.ror, size, dst, count) }
    /// `ror dst, imm8` (D1 /1 or C1 /1 ib).
    mutating func ror(_ size: OperandSize, _ dst: GPR, imm: UInt8) { shift(.ror, size, dst, imm: imm) }

    // MARK: - Bit counting

    /// `lzcnt dst, src` (F3 0F BD /r; needs LZCNT/ABM, else executes as bsr).
    mutating func lzcnt(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(prefix: 0xF3, w: rexW(size), 0x0FBD, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `tzcnt dst, src` (F3 0F BC /r; needs BMI1, else executes as bsf).
    mutating func tzcnt(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(prefix: 0xF3, w: rexW(size), 0x0FBC, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `popcnt dst, src` (F3 0F B8 /r; needs POPCNT).
    mutating func popcnt(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(prefix: 0xF3, w: rexW(size), 0x0FB8, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `bsr dst, src` (0F BD /r): index of the highest set bit; dst undefined and ZF=1 if
    /// src is zero.
    mutating func bsr(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(w: rexW(size), 0x0FBD, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `bsf dst, src` (0F BC /r): index of the lowest set bit; dst undefined and ZF=1 if
    /// src is zero.
    mutating func bsf(_ size: OperandSize, _ dst: GPR, _ src: GPR) {
        encodeRR(w: rexW(size), 0x0FBC, reg: dst.rawValue, rm: src.rawValue)
    }

    // MARK: - Conditional operations

    /// `setcc r8` (0F 90+cc /0), e.g. `sete al`. Emits REX for spl/bpl/sil/dil.
    /// Only the low byte is written; zero-extend with `movzx` if needed.
    mutating func setcc(_ cond: Condition, _ dst: GPR) {
        encodeRR(w: false, 0x0F90 | UInt32(cond.rawValue), reg: 0, rm: dst.rawValue, forceREX: dst.byteFormNeedsREX)
    }

    /// `cmovcc dst, src` (0F 40+cc /r), e.g. `cmovne eax, ecx`. The 32-bit form zero-extends
    /// dst even when the condition is false.
    mutating func cmovcc(_ size: OperandSize, _ cond: Condition, _ dst: GPR, _ src: GPR) {
        encodeRR(w: rexW(size), 0x0F40 | UInt32(cond.rawValue), reg: dst.rawValue, rm: src.rawValue)
    }

    // MARK: - Control flow

    /// `jmp label` (E9 rel32).
    mutating func jmp(_ label: Label) {
        byte(0xE9)
        rel32(to: label)
    }

    /// `jcc label` (0F 80+cc rel32), e.g. `jne label`.
    mutating func jcc(_ cond: Condition, _ label: Label) {
        byte(0x0F)
        byte(0x80 | cond.rawValue)
        rel32(to: label)
    }

    /// `jmp r64` (FF /4).
    mutating func jmp(_ target: GPR) {
        encodeRR(w: false, 0xFF, reg: 4, rm: target.rawValue)
    }

    /// `jmp qword ptr [m]` (FF /4).
    mutating func jmp(_ target: MemoryOperand) {
        encodeRM(w: false, 0xFF, reg: 4, target)
    }

    /// `call label` (E8 rel32).
    mutating func call(_ label: Label) {
        byte(0xE8)
        rel32(to: label)
    }

    /// `call r64` (FF /2).
    mutating func call(_ target: GPR) {
        encodeRR(w: false, 0xFF, reg: 2, rm: target.rawValue)
    }

    /// `call qword ptr [m]` (FF /2).
    mutating func call(_ target: MemoryOperand) {
        encodeRM(w: false, 0xFF, reg: 2, target)
    }

    /// `ret` (C3).
    mutating func ret() { byte(0xC3) }

    /// `push r64` (50+r).
    mutating func push(_ src: GPR) {
        rex(w: false, r: 0, x: 0, b: src.rawValue, force: false)
        byte(0x50 | src.low3)
    }

    /// `pop r64` (58+r).
    mutating func pop(_ dst: GPR) {
        rex(w: false, r: 0, x: 0, b: dst.rawValue, force: false)
        byte(0x58 | dst.low3)
    }

    /// `push imm` (6A ib if the value fits in Int8, else 68 id); pushes the value
    /// sign-extended to 64 bits.
    mutating func push(imm: Int32) {
        if let imm = Int8(exactly: imm) {
            byte(0x6A)
            imm8(imm)
        } else {
            byte(0x68)
            imm32(imm)
        }
    }

    /// `ud2` (0F 0B): raises #UD (SIGILL).
    mutating func ud2() {
        byte(0x0F)
        byte(0x0B)
    }

    /// `int3` (CC): raises #BP (SIGTRAP).
    mutating func int3() { byte(0xCC) }

    /// `nop` (90).
    mutating func nop() { byte(0x90) }

    /// Emits `length` bytes of NOPs using the multi-byte forms recommended by the Intel SDM
    /// (at most 9 bytes per instruction):
    /// 1: `nop` (90), 2: `xchg ax, ax` (66 90), 3: `nop dword ptr [rax]` (0F 1F 00),
    /// 4: `nop dword ptr [rax + 0]` (disp8), 5: `nop dword ptr [rax + rax + 0]` (disp8),
    /// 6: `nop word ptr [rax + rax + 0]` (disp8), 7: `nop dword ptr [rax + 0]` (disp32),
    /// 8: `nop dword ptr [rax + rax + 0]` (disp32), 9: `nop word ptr [rax + rax + 0]` (disp32).
    mutating func nop(length: Int) {
        var remaining = length
        while remaining > 0 {
            let n = min(remaining, 9)
            switch n {
            case 1: byte(0x90)
            case 2: emit(0x66, 0x90)
            case 3: emit(0x0F, 0x1F, 0x00)
            case 4: emit(0x0F, 0x1F, 0x40, 0x00)
            case 5: emit(0x0F, 0x1F, 0x44, 0x00, 0x00)
            case 6: emit(0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00)
            case 7: emit(0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00)
            case 8: emit(0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00)
            default: emit(0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00)
            }
            remaining -= n
        }
    }

    // MARK: - SSE scalar floating point

    /// `op xmm, xmm` with a mandatory prefix (0 for none).
    mutating func sse(_ prefix: UInt8, _ op: UInt32, _ dst: XMM, _ src: XMM) {
        encodeRR(prefix: prefix, w: false, op, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `op xmm, [m]` with a mandatory prefix: a scalar operation reading its second
    /// operand from memory.
    mutating func sse(_ prefix: UInt8, _ op: UInt32, _ dst: XMM, _ src: MemoryOperand) {
        encodeRM(prefix: prefix, w: false, op, reg: dst.rawValue, src)
    }

    /// `movss xmm, dword ptr [m]` (F3 0F 10 /r); zeroes the upper lanes.
    mutating func movss(_ dst: XMM, _ src: MemoryOperand) {
        encodeRM(prefix: 0xF3, w: false, 0x0F10, reg: dst.rawValue, src)
    }

    /// `movss dword ptr [m], xmm` (F3 0F 11 /r).
    mutating func movss(_ dst: MemoryOperand, _ src: XMM) {
        encodeRM(prefix: 0xF3, w: false, 0x0F11, reg: src.rawValue, dst)
    }

    /// `movss xmm, xmm` (F3 0F 10 /r); merges into the low lane only.
    mutating func movss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F10, dst, src) }

    /// `movsd xmm, qword ptr [m]` (F2 0F 10 /r); zeroes the upper lane.
    mutating func movsd(_ dst: XMM, _ src: MemoryOperand) {
        encodeRM(prefix: 0xF2, w: false, 0x0F10, reg: dst.rawValue, src)
    }

    /// `movsd qword ptr [m], xmm` (F2 0F 11 /r).
    mutating func movsd(_ dst: MemoryOperand, _ src: XMM) {
        encodeRM(prefix: 0xF2, w: false, 0x0F11, reg: src.rawValue, dst)
    }

    /// `movsd xmm, xmm` (F2 0F 10 /r); merges into the low lane only.
    mutating func movsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F10, dst, src) }

    /// `movd xmm, r32` (66 0F 6E /r); zeroes the upper lanes.
    mutating func movd(_ dst: XMM, _ src: GPR) {
        encodeRR(prefix: 0x66, w: false, 0x0F6E, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `movd r32, xmm` (66 0F 7E /r).
    mutating func movd(_ dst: GPR, _ src: XMM) {
        encodeRR(prefix: 0x66, w: false, 0x0F7E, reg: src.rawValue, rm: dst.rawValue)
    }

    /// `movq xmm, r64` (66 REX.W 0F 6E /r); zeroes the upper lane.
    mutating func movq(_ dst: XMM, _ src: GPR) {
        encodeRR(prefix: 0x66, w: true, 0x0F6E, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `movq r64, xmm` (66 REX.W 0F 7E /r).
    mutating func movq(_ dst: GPR, _ src: XMM) {
        encodeRR(prefix: 0x66, w: true, 0x0F7E, reg: src.rawValue, rm: dst.rawValue)
    }

    /// `movaps xmm, xmm` (0F 28 /r): full-register copy.
    mutating func movaps(_ dst: XMM, _ src: XMM) { sse(0, 0x0F28, dst, src) }
    /// `movapd xmm, xmm` (66 0F 28 /r): full-register copy.
    mutating func movapd(_ dst: XMM, _ src: XMM) { sse(0x66, 0x0F28, dst, src) }

    /// `addss xmm, xmm` (F3 0F 58 /r).
    mutating func addss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F58, dst, src) }
    /// `subss xmm, xmm` (F3 0F 5C /r).
    mutating func subss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F5C, dst, src) }
    /// `mulss xmm, xmm` (F3 0F 59 /r).
    mutating func mulss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F59, dst, src) }
    /// `divss xmm, xmm` (F3 0F 5E /r).
    mutating func divss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F5E, dst, src) }
    /// `sqrtss xmm, xmm` (F3 0F 51 /r).
    mutating func sqrtss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F51, dst, src) }
    /// `minss xmm, xmm` (F3 0F 5D /r). Not IEEE min: returns src if either is NaN or both are zero.
    mutating func minss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F5D, dst, src) }
    /// `maxss xmm, xmm` (F3 0F 5F /r). Not IEEE max: returns src if either is NaN or both are zero.
    mutating func maxss(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F5F, dst, src) }

    /// `addsd xmm, xmm` (F2 0F 58 /r).
    mutating func addsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F58, dst, src) }
    /// `subsd xmm, xmm` (F2 0F 5C /r).
    mutating func subsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F5C, dst, src) }
    /// `mulsd xmm, xmm` (F2 0F 59 /r).
    mutating func mulsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F59, dst, src) }
    /// `divsd xmm, xmm` (F2 0F 5E /r).
    mutating func divsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F5E, dst, src) }
    /// `sqrtsd xmm, xmm` (F2 0F 51 /r).
    mutating func sqrtsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F51, dst, src) }
    /// `minsd xmm, xmm` (F2 0F 5D /r). Not IEEE min: returns src if either is NaN or both are zero.
    mutating func minsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F5D, dst, src) }
    /// `maxsd xmm, xmm` (F2 0F 5F /r). Not IEEE max: returns src if either is NaN or both are zero.
    mutating func maxsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F5F, dst, src) }

    /// `ucomiss lhs, rhs` (0F 2E /r): unordered compare, sets ZF/PF/CF (PF=1 if unordered).
    mutating func ucomiss(_ lhs: XMM, _ rhs: XMM) { sse(0, 0x0F2E, lhs, rhs) }
    /// `ucomisd lhs, rhs` (66 0F 2E /r).
    mutating func ucomisd(_ lhs: XMM, _ rhs: XMM) { sse(0x66, 0x0F2E, lhs, rhs) }
    /// `comiss lhs, rhs` (0F 2F /r): like ucomiss but signals invalid on quiet NaNs too.
    mutating func comiss(_ lhs: XMM, _ rhs: XMM) { sse(0, 0x0F2F, lhs, rhs) }
    /// `comisd lhs, rhs` (66 0F 2F /r).
    mutating func comisd(_ lhs: XMM, _ rhs: XMM) { sse(0x66, 0x0F2F, lhs, rhs) }

    /// `cvtsi2ss xmm, r32/r64` (F3 [REX.W] 0F 2A /r): signed integer to float. Writes only the
    /// low lane (a false dependency on dst's old value).
    mutating func cvtsi2ss(_ size: OperandSize, _ dst: XMM, _ src: GPR) {
        encodeRR(prefix: 0xF3, w: rexW(size), 0x0F2A, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `cvtsi2sd xmm, r32/r64` (F2 [REX.W] 0F 2A /r): signed integer to double.
    mutating func cvtsi2sd(_ size: OperandSize, _ dst: XMM, _ src: GPR) {
        encodeRR(prefix: 0xF2, w: rexW(size), 0x0F2A, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `cvttss2si r32/r64, xmm` (F3 [REX.W] 0F 2C /r): float to signed integer, truncating;
    /// yields the "integer indefinite" value (0x80000000...) on NaN or overflow.
    mutating func cvttss2si(_ size: OperandSize, _ dst: GPR, _ src: XMM) {
        encodeRR(prefix: 0xF3, w: rexW(size), 0x0F2C, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `cvttsd2si r32/r64, xmm` (F2 [REX.W] 0F 2C /r): double to signed integer, truncating.
    mutating func cvttsd2si(_ size: OperandSize, _ dst: GPR, _ src: XMM) {
        encodeRR(prefix: 0xF2, w: rexW(size), 0x0F2C, reg: dst.rawValue, rm: src.rawValue)
    }

    /// `cvtss2sd xmm, xmm` (F3 0F 5A /r): float to double.
    mutating func cvtss2sd(_ dst: XMM, _ src: XMM) { sse(0xF3, 0x0F5A, dst, src) }
    /// `cvtsd2ss xmm, xmm` (F2 0F 5A /r): double to float.
    mutating func cvtsd2ss(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x0F5A, dst, src) }

    /// `roundss xmm, xmm, imm8` (66 0F 3A 0A /r ib; SSE4.1). imm8 bits 0–1: 0 nearest-even,
    /// 1 down, 2 up, 3 toward zero; bit 2: use MXCSR instead; bit 3: suppress inexact.
    mutating func roundss(_ dst: XMM, _ src: XMM, imm: UInt8) {
        sse(0x66, 0x0F3A0A, dst, src)
        byte(imm)
    }

    /// `roundsd xmm, xmm, imm8` (66 0F 3A 0B /r ib; SSE4.1). Same immediate as `roundss`.
    mutating func roundsd(_ dst: XMM, _ src: XMM, imm: UInt8) {
        sse(0x66, 0x0F3A0B, dst, src)
        byte(imm)
    }

    /// `andps xmm, xmm` (0F 54 /r).
    mutating func andps(_ dst: XMM, _ src: XMM) { sse(0, 0x0F54, dst, src) }
    /// `andnps xmm, xmm` (0F 55 /r): dst = ~dst & src.
    mutating func andnps(_ dst: XMM, _ src: XMM) { sse(0, 0x0F55, dst, src) }
    /// `orps xmm, xmm` (0F 56 /r).
    mutating func orps(_ dst: XMM, _ src: XMM) { sse(0, 0x0F56, dst, src) }
    /// `xorps xmm, xmm` (0F 57 /r).
    mutating func xorps(_ dst: XMM, _ src: XMM) { sse(0, 0x0F57, dst, src) }
    /// `andpd xmm, xmm` (66 0F 54 /r).
    mutating func andpd(_ dst: XMM, _ src: XMM) { sse(0x66, 0x0F54, dst, src) }
    /// `andnpd xmm, xmm` (66 0F 55 /r): dst = ~dst & src.
    mutating func andnpd(_ dst: XMM, _ src: XMM) { sse(0x66, 0x0F55, dst, src) }
    /// `orpd xmm, xmm` (66 0F 56 /r).
    mutating func orpd(_ dst: XMM, _ src: XMM) { sse(0x66, 0x0F56, dst, src) }
    /// `xorpd xmm, xmm` (66 0F 57 /r).
    mutating func xorpd(_ dst: XMM, _ src: XMM) { sse(0x66, 0x0F57, dst, src) }
    /// `pxor xmm, xmm` (66 0F EF /r).
    mutating func pxor(_ dst: XMM, _ src: XMM) { sse(0x66, 0x0FEF, dst, src) }

    /// `movdqu xmm, xmmword ptr [m]` (F3 0F 6F /r): unaligned 128-bit load.
    mutating func movdqu(_ dst: XMM, _ src: MemoryOperand) {
        encodeRM(prefix: 0xF3, w: false, 0x0F6F, reg: dst.rawValue, src)
    }

    /// `movdqu xmmword ptr [m], xmm` (F3 0F 7F /r): unaligned 128-bit store.
    mutating func movdqu(_ dst: MemoryOperand, _ src: XMM) {
        encodeRM(prefix: 0xF3, w: false, 0x0F7F, reg: src.rawValue, dst)
    }
}
