import CKilnShims

/// The AArch64 (AAPCS64) macro assembler.
///
/// Registers:
/// - x19 holds the VMContext, x20 linear memory 0's base, x21 the fuel in metered code
///   (all callee-saved in AAPCS64, so they survive calls into C and Swift; x19 and x20 are
///   saved by every wasm frame, x21 by the array-call trampoline).
/// - x16 is the code generator's scratch register (`scratchGPR`), x17 the macro
///   assembler's own (far frame slots, large immediates); v31 and v30 likewise for floats.
///   The macro assembler may clobber x16, x17, v30 and v31 in any operation except `move`.
/// - x0...x15 and v0...v7, v16...v29 are allocatable: all caller-saved, so calls need no
///   callee-save bookkeeping (v8...v15 are callee-saved in their low halves: never used).
/// - x18 (the platform register on Apple systems) is never touched.
///
/// Frame (offsets from x29), a frame record as AAPCS64 wants it:
/// ```text
///   +16...  stack-passed arguments
///   +8      return address (x30)
///    0      caller's x29
///   -8      saved x20 (unused in a lean frame)
///   -16     saved x19 (unused in a lean frame)
///   -24...  the code generator's slots (locals, operand spills), then outgoing arguments at sp
/// ```
/// sp stays 16-byte aligned throughout a function body (the frame size is a multiple of 16).
struct AArch64MacroAssembler: MacroAssembler {
    typealias Label = AArch64Assembler.Label
    typealias R = AArch64.Register
    typealias V = AArch64.VRegister
    typealias Address = AArch64.Address

    var asm = AArch64Assembler()
    var fixedLengthAddresses = true
    private(set) var embeddedAddresses: [(offset: Int, address: UInt)] = []

    static let vmctx = R.x19
    static let memoryBase = R.x20
    /// Holds the fuel in metered functions (never allocated; see `loadFuel`).
    static let fuel = R.x21
    /// The code generator's scratch register.
    static let scratch = R.x16
    /// The macro assembler's own temporary: addresses of far slots, large immediates.
    static let temp = R.x17
    static let scratchV = V.v31
    static let tempV = V.v30
    /// Where `callFuncRef` passes the function reference (adapters read it from there).
    static let referenceRegister = R.x9

    static let isaName = "AArch64"
    static let allocatableGPRs: [Reg] = (0...15).map { .gpr(UInt8($0)) }
    static let allocatableFPRs: [Reg] = (Array(0...7) + Array(16...29)).map { .fpr(UInt8($0)) }
    static let integerArgumentRegisters: [Reg] = (0...7).map { .gpr(UInt8($0)) }
    static let floatArgumentRegisters: [Reg] = (0...7).map { .fpr(UInt8($0)) }
    static let integerResult = Reg.gpr(0)
    static let floatResult = Reg.fpr(0)
    static let secondIntegerResult = Reg.gpr(1)
    static let scratchGPR = Reg.gpr(16)
    static let scratchFPR = Reg.fpr(31)
    static let shiftCountRegister: Reg? = nil
    static let divisionRegisters: (Reg, Reg)? = nil
    static let incomingArgumentsOffset: Int32 = 16

    /// Where the current function's `resetStackPointer`s are: `patchFrameSize` fills them
    /// in with the prologue's size.
    private var stackPointerResets: [Int] = []
    /// Whether the current function's frame is lean (see `prologue(lean:)`).
    private var leanFrame = false
    private(set) var functionReferences: [FunctionReference] = []

    init() {}

    var offset: Int { asm.offset }
    mutating func newLabel() -> Label { asm.newLabel() }
    mutating func bind(_ label: Label) { asm.bind(label) }
    var encodingFailure: String? { asm.failure.map { $0.description } }
    func finish() throws -> [UInt8] { try asm.finish() }
    mutating func alignFunctionEntry() { asm.align(16, with: .udf) }

    /// How close to going out of reach (±1 MiB) a pending forward conditional branch may
    /// get before an island of veneers is emitted: more than any single wasm instruction or
    /// stub emits.
    static let islandMargin = 512 * 1024

    mutating func instructionBoundary() { asm.emitVeneerIsland(margin: AArch64MacroAssembler.islandMargin) }

    /// Whether a conditional branch from here reaches `label` (bound, or forward: islands
    /// keep forward branches in reach).
    private func conditionalBranchReaches(_ label: Label) -> Bool {
        guard let target = asm.position(of: label) else { return true }
        return AArch64Assembler.FixupKind.imm19.range.contains(target - asm.offset)
    }

    @inline(__always) func g(_ reg: Reg) -> R {
        precondition(!reg.isFloat, "expected an integer register")
        return R.x(Int(reg.number))
    }

    @inline(__always) func v(_ reg: Reg) -> V {
        precondition(reg.isFloat, "expected a float register")
        return V(rawValue: reg.number)!
    }

    private func size(_ type: ValType) -> AArch64.Size {
        type == .i32 ? .w : .x
    }

    private func floatSize(_ type: ValType) -> AArch64.FloatSize {
        type == .f32 ? .s : .d
    }

    // MARK: Addresses

    /// `[base, #offset]` for an access of `accessSize` bytes when an immediate form reaches
    /// it; otherwise the offset goes to x17 and the address is `[base, x17]`.
    mutating func address(_ base: R, _ offset: Int64, accessSize: Int) -> Address {
        if AArch64.scaledOffset(offset, accessSize: accessSize) != nil || AArch64.unscaledOffset(offset) != nil {
            return .offset(base, offset)
        }
        precondition(base != AArch64MacroAssembler.temp, "x17 cannot address through itself")
        asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(bitPattern: offset))
        return .indexed(base, index: AArch64MacroAssembler.temp)
    }

    private mutating func frame(_ slot: Int32, accessSize: Int = 8) -> Address {
        address(.fp, Int64(slot), accessSize: accessSize)
    }

    /// Loads a value of `type` into a register of either class.
    private mutating func loadValue(_ type: ValType, _ dst: Reg, base: R, offset: Int64) {
        if type == .v128 {
            asm.ldrQ(v(dst), address(base, offset, accessSize: 16))
        } else if dst.isFloat {
            let s = floatSize(type)
            asm.ldr(s, v(dst), address(base, offset, accessSize: s == .s ? 4 : 8))
        } else {
            let s = size(type)
            asm.ldr(s, g(dst), address(base, offset, accessSize: s == .w ? 4 : 8))
        }
    }

    /// Stores a register: integers as a whole 8-byte word (an i32 is zero-extended in its
    /// register, so reloads of either width agree), floats at their width.
    private mutating func storeValue(_ type: ValType, _ src: Reg, base: R, offset: Int64) {
        if type == .v128 {
            asm.strQ(v(src), address(base, offset, accessSize: 16))
        } else if src.isFloat {
            let s = floatSize(type)
            asm.str(s, v(src), address(base, offset, accessSize: s == .s ? 4 : 8))
        } else {
            asm.str(.x, g(src), address(base, offset, accessSize: 8))
        }
    }

    /// An immediate for a `size`-bit operation: wasm's i32 immediates are sign-extended for
    /// 64-bit operations, as x86-64 does.
    private func immediate(_ value: Int32, _ size: AArch64.Size) -> UInt64 {
        size == .w ? UInt64(UInt32(bitPattern: value)) : UInt64(bitPattern: Int64(value))
    }

    private static func addSubEncodable(_ value: Int64) -> Bool {
        value != Int64.min && AArch64.AddSubImmediate(value.magnitude) != nil
    }

    // MARK: Frame

    mutating func prologue(lean: Bool) -> Int {
        leanFrame = lean
        asm.stp(.x, .fp, .lr, .preIndex(.sp, -16))
        asm.mov(.x, .fp, .sp)
        if !lean {
            asm.stp(.x, AArch64MacroAssembler.vmctx, AArch64MacroAssembler.memoryBase, .preIndex(.sp, -16))
        }
        // sub sp, sp, #hi, lsl #12; sub sp, sp, #lo — patched once the frame is known.
        let position = asm.offset
        asm.sub(.x, .sp, .sp, imm: 0)
        asm.sub(.x, .sp, .sp, imm: 0)
        stackPointerResets.removeAll(keepingCapacity: true)
        return position
    }

    mutating func patchFrameSize(at position: Int, _ size: Int32) {
        // Two 12-bit halves reach 16 MiB of frame; beyond that the patch records a failure.
        // A lean frame's subs cover the two words the pinned registers take in the others.
        let below = Int64(size) + (leanFrame ? 16 : 0)
        let high = (below >> 12) << 12, low = below & 0xFFF
        asm.patch(at: position, length: 8) { a in
            a.sub(.x, .sp, .sp, imm: high)
            a.sub(.x, .sp, .sp, imm: low)
        }
        // The body's sp is fp - 16 (x19, x20) - size. The low half goes first, through x16:
        // sp itself moves once, never above the live part of the frame (a signal delivered
        // in between would write below it).
        let total = Int64(size) + 16
        let totalHigh = (total >> 12) << 12, totalLow = total & 0xFFF
        for reset in stackPointerResets {
            asm.patch(at: reset, length: 8) { a in
                a.sub(.x, AArch64MacroAssembler.scratch, .fp, imm: totalLow)
                a.sub(.x, .sp, AArch64MacroAssembler.scratch, imm: totalHigh)
            }
        }
    }

    mutating func resetStackPointer() {
        // sub x16, fp, #lo; sub sp, x16, #hi, lsl #12 — patched once the frame is known.
        stackPointerResets.append(asm.offset)
        asm.sub(.x, AArch64MacroAssembler.scratch, .fp, imm: 0)
        asm.sub(.x, .sp, AArch64MacroAssembler.scratch, imm: 0)
    }

    /// The reset is inline (two instructions): nothing out of line.
    mutating func emitStackPointerFixups() {}

    mutating func removeStackPointerReset(at position: Int) {
        asm.patch(at: position, length: 8) { a in
            a.nop()
            a.nop()
        }
    }

    /// The tail-call sequence: x15 carries the new argument area (an allocatable register
    /// that is no argument register), x16 and x17 the words moved there. The return
    /// address goes back into x30 from the frame record, and the callee finds its stack
    /// arguments at sp, as after a `bl`.
    mutating func tailCall(_ target: TailCallTarget<Label>, stackWords: Int, incomingStackWords: Int) {
        let c = AArch64MacroAssembler.vmctx, s = AArch64MacroAssembler.scratch, area = R.x15
        let reference = AArch64MacroAssembler.referenceRegister
        if case .funcRef(let register) = target {
            // x9 keeps the reference for adapters, as in `callFuncRef`.
            let r = g(register)
            precondition(r != area && r != s && r != AArch64MacroAssembler.temp, "the reference register is taken by the tail-call sequence")
            if r != reference { asm.mov(.x, reference, r) }
            // A host callee records the exit itself, on entry, as after `callFuncRef`: it
            // sees the frame this function returns to (this frame is gone by then).
            asm.ldr(.x, .x0, .offset(reference, 8))
            asm.mov(.x, .x1, c)
        }
        // The area's top stays where the caller put it (fp + 16 + its even word count); the
        // new arguments end there, and sp points at them on entry.
        let bottom = 16 + 8 * Int64(ArgumentArea.words(incomingStackWords) - ArgumentArea.words(stackWords))
        asm.ldp(.x, c, AArch64MacroAssembler.memoryBase, .offset(.fp, -16))
        if AArch64MacroAssembler.addSubEncodable(bottom) {
            asm.add(.x, area, .fp, imm: bottom)
        } else {
            asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(bitPattern: bottom))
            asm.add(.x, area, .fp, AArch64MacroAssembler.temp)
        }
        asm.ldp(.x, .fp, .lr, .offset(.fp, 0))
        // The staged words are below the area (sp < area): copying from the last word down
        // never overwrites a word still to be copied.
        for word in (0..<Int64(stackWords)).reversed() {
            asm.ldr(.x, s, address(.sp, 8 * word, accessSize: 8))
            asm.str(.x, s, address(area, 8 * word, accessSize: 8))
        }
        asm.mov(.x, .sp, area)
        switch target {
        case .function(let index):
            functionReferences.append(FunctionReference(position: asm.offset, function: index))
            asm.b(offset: 0)
        case .funcRef:
            asm.ldr(.x, s, .base(reference))
            asm.br(s)
        }
    }

    mutating func elideStackCheck(_ range: Range<Int>) {
        // A branch over the rest of the check (B: imm26 counts instructions).
        let words = UInt32(range.count / 4)
        asm.patch(at: range.lowerBound, length: 4) { a in a.emit(0x1400_0000 | words) }
    }

    mutating func checkStackLimit(runtimeOffset: Int32, trap: Label) {
        // x19 still holds the caller's value here: the VMContext is in x0.
        let s = AArch64MacroAssembler.scratch
        asm.ldr(.x, s, address(.x0, Int64(runtimeOffset), accessSize: 8))
        asm.ldr(.x, s, .base(s))
        asm.cmp(.x, .sp, s)
        asm.b(.lo, trap)
    }

    mutating func loadVMContext(from argument: Reg) {
        asm.mov(.x, AArch64MacroAssembler.vmctx, g(argument))
    }

    mutating func loadMemoryBase(memoryOffset: Int32) {
        let s = AArch64MacroAssembler.scratch
        asm.ldr(.x, s, address(AArch64MacroAssembler.vmctx, Int64(memoryOffset), accessSize: 8))
        asm.ldr(.x, AArch64MacroAssembler.memoryBase, .base(s))
    }

    mutating func epilogue() {
        if leanFrame {
            asm.mov(.x, .sp, .fp)
        } else {
            asm.sub(.x, .sp, .fp, imm: 16)
            asm.ldp(.x, AArch64MacroAssembler.vmctx, AArch64MacroAssembler.memoryBase, .postIndex(.sp, 16))
        }
        asm.ldp(.x, .fp, .lr, .postIndex(.sp, 16))
        asm.ret()
    }

    // MARK: Moves

    mutating func move(_ type: ValType, _ dst: Reg, _ src: Reg) {
        guard dst != src else { return }
        switch (dst.isFloat, src.isFloat) {
        case (false, false): asm.mov(size(type), g(dst), g(src))
        case (true, true) where type == .v128: asm.mov(.b16, v(dst), v(src))
        case (true, true): asm.fmov(.d, v(dst), v(src))
        case (true, false): asm.fmov(floatSize(type), v(dst), g(src))
        case (false, true): asm.fmov(floatSize(type), g(dst), v(src))
        }
    }

    mutating func loadConstant(_ type: ValType, _ dst: Reg, _ bits: UInt64) {
        if dst.isFloat {
            let s = floatSize(type)
            let value = s == .s ? UInt64(UInt32(truncatingIfNeeded: bits)) : bits
            if value == 0 {
                asm.fmov(s, v(dst), .zr)
            } else if AArch64.floatImmediate8(bits: value, size: s) != nil {
                let double = s == .s ? Double(Float(bitPattern: UInt32(value))) : Double(bitPattern: value)
                asm.fmov(s, v(dst), imm: double)
            } else {
                asm.mov(s == .s ? .w : .x, AArch64MacroAssembler.temp, imm: value)
                asm.fmov(s, v(dst), AArch64MacroAssembler.temp)
            }
        } else if type == .i32 || type == .f32 {
            asm.mov(.w, g(dst), imm: UInt64(UInt32(truncatingIfNeeded: bits)))
        } else {
            asm.mov(.x, g(dst), imm: bits)
        }
    }

    mutating func load(_ type: ValType, _ dst: Reg, slot: Int32) {
        loadValue(type, dst, base: .fp, offset: Int64(slot))
    }

    mutating func store(_ type: ValType, slot: Int32, _ src: Reg) {
        storeValue(type, src, base: .fp, offset: Int64(slot))
    }

    /// Two words per `stp xzr, xzr` while the offset is in the pair's reach (-512...504),
    /// one `str xzr` per word past it.
    mutating func zeroFrame(from low: Int32, to high: Int32) {
        var at = low
        while high - at >= 16 && at >= -512 && at <= 504 {
            asm.stp(.x, .zr, .zr, .offset(.fp, Int64(at)))
            at += 16
        }
        while at < high {
            asm.str(.x, .zr, frame(at))
            at += 8
        }
    }

    mutating func storeConstant(_ type: ValType, slot: Int32, _ bits: UInt64) {
        if type == .v128 {
            // Only zero (a local's default) is ever a v128 constant here.
            precondition(bits == 0, "v128 constants are materialized in registers")
            asm.str(.x, .zr, frame(slot))
            asm.str(.x, .zr, frame(slot + 8))
        } else if bits == 0 {
            asm.str(.x, .zr, frame(slot))
        } else {
            let t = AArch64MacroAssembler.scratch
            asm.mov(.x, t, imm: bits)
            asm.str(.x, t, frame(slot))
        }
    }

    mutating func copySlot(_ type: ValType, to destination: Int32, from source: Int32) {
        guard destination != source else { return }
        if type == .v128 {
            asm.ldrQ(AArch64MacroAssembler.scratchV, frame(source, accessSize: 16))
            asm.strQ(AArch64MacroAssembler.scratchV, frame(destination, accessSize: 16))
            return
        }
        let t = AArch64MacroAssembler.scratch
        asm.ldr(.x, t, frame(source))
        asm.str(.x, t, frame(destination))
    }

    mutating func loadIncomingArgument(_ type: ValType, _ dst: Reg, index: Int) {
        load(type, dst, slot: AArch64MacroAssembler.incomingArgumentsOffset + Int32(8 * index))
    }

    mutating func storeOutgoingArgument(_ type: ValType, index: Int, _ src: Reg) {
        storeValue(type, src, base: .sp, offset: Int64(8 * index))
    }

    mutating func loadGlobal(_ type: ValType, _ dst: Reg, pointerOffset: Int32) {
        let p = AArch64MacroAssembler.scratch
        asm.ldr(.x, p, address(AArch64MacroAssembler.vmctx, Int64(pointerOffset), accessSize: 8))
        loadValue(type, dst, base: p, offset: 0)
    }

    mutating func storeGlobal(_ type: ValType, pointerOffset: Int32, _ src: Reg) {
        let p = AArch64MacroAssembler.scratch
        asm.ldr(.x, p, address(AArch64MacroAssembler.vmctx, Int64(pointerOffset), accessSize: 8))
        if src.isFloat, type == .f32 {
            // Keep the slot's upper bytes zero, as the runtime reads the low 8 bytes as a whole.
            asm.fmov(.s, AArch64MacroAssembler.temp, v(src))
            asm.str(.x, AArch64MacroAssembler.temp, .base(p))
        } else {
            storeValue(type, src, base: p, offset: 0)
        }
    }

    mutating func loadVMContextWord(_ dst: Reg, offset: Int32) {
        asm.ldr(.x, g(dst), address(AArch64MacroAssembler.vmctx, Int64(offset), accessSize: 8))
    }

    mutating func moveVMContext(to dst: Reg) {
        asm.mov(.x, g(dst), AArch64MacroAssembler.vmctx)
    }

    mutating func moveFramePointer(to dst: Reg) {
        asm.mov(.x, g(dst), .fp)
    }

    mutating func loadFrameSlotAddress(_ dst: Reg, slot: Int32) {
        if AArch64MacroAssembler.addSubEncodable(Int64(slot)) {
            asm.add(.x, g(dst), .fp, imm: Int64(slot))
        } else {
            asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(bitPattern: Int64(slot)))
            asm.add(.x, g(dst), .fp, AArch64MacroAssembler.temp)
        }
    }

    mutating func loadOutgoing(_ type: ValType, _ dst: Reg, index: Int) {
        loadValue(dst.isFloat ? type : .i64, dst, base: .sp, offset: Int64(8 * index))
    }

    mutating func loadOutgoingAddress(_ dst: Reg, index: Int) {
        let offset = Int64(8 * index)
        if AArch64MacroAssembler.addSubEncodable(offset) {
            asm.add(.x, g(dst), .sp, imm: offset)
        } else {
            asm.mov(.x, AArch64MacroAssembler.temp, imm: UInt64(offset))
            asm.add(.x, g(dst), .sp, AArch64MacroAssembler.temp)
        }
    }

    mutating func loadWordAt(_ dst: Reg, base: Reg, offset: Int32) {
        asm.ldr(.x, g(dst), address(g(base), Int64(offset), accessSize: 8))
    }

    mutating func copyToResultsArea(_ type: ValType, pointer: Reg, index: Int, from slot: Int32) {
        if type == .v128 {
            asm.ldrQ(AArch64MacroAssembler.scratchV, frame(slot, accessSize: 16))
            asm.strQ(AArch64MacroAssembler.scratchV, address(g(pointer), Int64(8 * index), accessSize: 16))
            return
        }
        let t = AArch64MacroAssembler.scratch
        asm.ldr(.x, t, frame(slot))
        asm.str(.x, t, address(g(pointer), Int64(8 * index), accessSize: 8))
    }

    mutating func loadCheckedFuncRef(_ dst: Reg, tableDefinitionOffset: Int32, index: Reg, indexIs64: Bool, typeIdOffset: Int32,
                                     outOfBounds: Label, null: Label, signature: Label) {
        let d = g(dst), i = g(index), t = AArch64MacroAssembler.scratch, u = AArch64MacroAssembler.temp
        // An i32 index is zero-extended already: callers load it from its spill slot (ldr w).
        asm.ldr(.x, t, address(AArch64MacroAssembler.vmctx, Int64(tableDefinitionOffset), accessSize: 8))
        asm.ldr(.x, u, .offset(t, 8))
        asm.cmp(.x, i, u)
        asm.b(.hs, outOfBounds)
        asm.ldr(.x, t, .base(t))
        asm.ldr(.x, d, .indexed(t, index: i, .lsl, scaled: true))
        asm.cbz(.x, d, null)
        asm.ldr(.w, t, address(AArch64MacroAssembler.vmctx, Int64(typeIdOffset), accessSize: 4))
        asm.ldr(.w, u, .offset(d, 16))
        asm.cmp(.w, t, u)
        asm.b(.ne, signature)
    }

    // MARK: Integers

    /// A64 has no arithmetic on memory operands: loads are never folded.
    static var foldsLoadsIntoOperands: Bool { false }

    /// The shifted-register forms of add, sub, and, orr, eor and cmp (subs) take lsl, lsr
    /// and asr by any amount below the width.
    static func foldsShift(_ kind: ShiftKind, amount: UInt8, into op: IntBinaryOp?) -> Bool {
        kind != .rotl && kind != .rotr && op != .mul
    }

    private static func shiftType(_ kind: ShiftKind) -> AArch64.Shift? {
        switch kind {
        case .shl: .lsl
        case .shrU: .lsr
        case .shrS: .asr
        case .rotl, .rotr: nil
        }
    }

    /// A `.shifted` operand A64 cannot fold (a rotate, or into mul), computed into the
    /// scratch register; a `.memory` operand is a compiler error (never folded here).
    private mutating func unfoldedIntoScratch(_ src: Operand, _ s: AArch64.Size) -> R {
        let t = AArch64MacroAssembler.scratch
        switch src {
        case .shifted(let r, let kind, let amount):
            let width = s == .x ? 64 : 32, a = Int(amount)
            switch kind {
            case .shl: asm.lsl(s, t, g(r), imm: a)
            case .shrS: asm.asr(s, t, g(r), imm: a)
            case .shrU: asm.lsr(s, t, g(r), imm: a)
            case .rotr: asm.ror(s, t, g(r), imm: a)
            case .rotl: asm.ror(s, t, g(r), imm: (width - a) & (width - 1))
            }
        default:
            asm.fail("a memory operand folded into arithmetic (A64 folds none)")
        }
        return t
    }

    mutating func integerBinary(_ op: IntBinaryOp, is64: Bool, _ dst: Reg, _ src: Operand) {
        integerBinary(op, is64: is64, dst, dst, src)
    }

    /// Three-operand as all of A64's data processing: `dst = lhs op src`.
    mutating func integerBinary(_ op: IntBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ src: Operand) {
        let s: AArch64.Size = is64 ? .x : .w
        let d = g(dst), n = g(lhs)
        let t = AArch64MacroAssembler.scratch
        let rhs: R
        switch src {
        case .reg(let r):
            rhs = g(r)
        case .slot(let slot):
            asm.ldr(s, t, frame(slot, accessSize: s == .w ? 4 : 8))
            rhs = t
        case .shifted(let r, let kind, let amount) where op != .mul:
            if let shift = AArch64MacroAssembler.shiftType(kind) {
                switch op {
                case .add: asm.add(s, d, n, g(r), shift, Int(amount))
                case .sub: asm.sub(s, d, n, g(r), shift, Int(amount))
                case .and: asm.and(s, d, n, g(r), shift, Int(amount))
                case .or: asm.orr(s, d, n, g(r), shift, Int(amount))
                case .xor: asm.eor(s, d, n, g(r), shift, Int(amount))
                case .mul: preconditionFailure()
                }
                return
            }
            rhs = unfoldedIntoScratch(src, s)
        case .memory, .shifted:
            rhs = unfoldedIntoScratch(src, s)
        case .imm(let value):
            let bits = immediate(value, s)
            switch op {
            case .add, .sub:
                let signed = Int64(value)
                if AArch64MacroAssembler.addSubEncodable(signed) {
                    op == .add ? asm.add(s, d, n, imm: signed) : asm.sub(s, d, n, imm: signed)
                    return
                }
            case .and, .or, .xor:
                if AArch64.LogicalImmediate(bits, size: s) != nil {
                    switch op {
                    case .and: asm.and(s, d, n, imm: bits)
                    case .or: asm.orr(s, d, n, imm: bits)
                    default: asm.eor(s, d, n, imm: bits)
                    }
                    return
                }
            case .mul:
                break
            }
            asm.mov(s, t, imm: bits)
            rhs = t
        }
        switch op {
        case .add: asm.add(s, d, n, rhs)
        case .sub: asm.sub(s, d, n, rhs)
        case .mul: asm.mul(s, d, n, rhs)
        case .and: asm.and(s, d, n, rhs)
        case .or: asm.orr(s, d, n, rhs)
        case .xor: asm.eor(s, d, n, rhs)
        }
    }

    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, memoryIndex index: Reg, displacement: Int32) {
        asm.fail("a memory operand folded into arithmetic (A64 folds none)")
    }

    mutating func integerUnary(_ op: IntUnaryOp, is64: Bool, _ dst: Reg, _ src: Reg) {
        let s: AArch64.Size = is64 ? .x : .w
        switch op {
        case .clz: asm.clz(s, g(dst), g(src))
        case .ctz:
            asm.rbit(s, g(dst), g(src))
            asm.clz(s, g(dst), g(dst))
        case .popcnt:
            // Count the bits of each byte in a vector register and add the eight counts.
            let t = AArch64MacroAssembler.tempV
            asm.fmov(is64 ? .d : .s, t, g(src))
            asm.cnt(.b8, t, t)
            asm.addv(.b8, t, t)
            asm.fmov(.s, g(dst), t)
        }
    }

    mutating func compare(is64: Bool, _ lhs: Reg, _ rhs: Operand) {
        let s: AArch64.Size = is64 ? .x : .w
        switch rhs {
        case .reg(let r): asm.cmp(s, g(lhs), g(r))
        case .imm(let value):
            // cmp with a negative immediate is cmn with its magnitude: the same flags for
            // every nonzero immediate.
            if AArch64MacroAssembler.addSubEncodable(Int64(value)) {
                asm.cmp(s, g(lhs), imm: Int64(value))
            } else {
                asm.mov(s, AArch64MacroAssembler.scratch, imm: immediate(value, s))
                asm.cmp(s, g(lhs), AArch64MacroAssembler.scratch)
            }
        case .slot(let slot):
            asm.ldr(s, AArch64MacroAssembler.scratch, frame(slot, accessSize: s == .w ? 4 : 8))
            asm.cmp(s, g(lhs), AArch64MacroAssembler.scratch)
        case .shifted(let r, let kind, let amount):
            if let shift = AArch64MacroAssembler.shiftType(kind) {
                asm.cmp(s, g(lhs), g(r), shift, Int(amount))
            } else {
                asm.cmp(s, g(lhs), unfoldedIntoScratch(rhs, s))
            }
        case .memory:
            asm.cmp(s, g(lhs), unfoldedIntoScratch(rhs, s))
        }
    }

    private func condition(_ c: IntCondition) -> AArch64.Condition {
        switch c {
        case .eq: .eq
        case .ne: .ne
        case .ltS: .lt
        case .ltU: .lo
        case .gtS: .gt
        case .gtU: .hi
        case .leS: .le
        case .leU: .ls
        case .geS: .ge
        case .geU: .hs
        }
    }

    mutating func setCondition(_ c: IntCondition, _ dst: Reg) {
        asm.cset(.w, g(dst), condition(c))
    }

    mutating func testZero(is64: Bool, _ reg: Reg) {
        asm.cmp(is64 ? .x : .w, g(reg), imm: 0)
    }

    mutating func setZero(_ dst: Reg) {
        asm.cset(.w, g(dst), .eq)
    }

    mutating func shift(_ kind: ShiftKind, is64: Bool, _ dst: Reg, count: Operand) {
        let s: AArch64.Size = is64 ? .x : .w
        let width = is64 ? 64 : 32
        let d = g(dst)
        switch count {
        case .imm(let value):
            let amount = Int(value) & (width - 1)
            switch kind {
            case .shl: asm.lsl(s, d, d, imm: amount)
            case .shrS: asm.asr(s, d, d, imm: amount)
            case .shrU: asm.lsr(s, d, d, imm: amount)
            case .rotr: asm.ror(s, d, d, imm: amount)
            case .rotl: asm.ror(s, d, d, imm: (width - amount) & (width - 1))
            }
        case .reg(let r):
            // Variable shifts take the count modulo the width, as wasm does.
            switch kind {
            case .shl: asm.lslv(s, d, d, g(r))
            case .shrS: asm.asrv(s, d, d, g(r))
            case .shrU: asm.lsrv(s, d, d, g(r))
            case .rotr: asm.rorv(s, d, d, g(r))
            case .rotl:
                asm.neg(s, AArch64MacroAssembler.scratch, g(r))
                asm.rorv(s, d, d, AArch64MacroAssembler.scratch)
            }
        case .slot, .memory, .shifted: preconditionFailure("shift counts come in a register or as an immediate")
        }
    }

    mutating func divide(_ kind: DivisionKind, is64: Bool, dividend: Reg, divisor: Reg, divideByZero: Label, overflow: Label) {
        // SDIV and UDIV never trap (x / 0 is 0, INT_MIN / -1 is INT_MIN): wasm's traps are
        // explicit. The remainder is dividend - quotient * divisor (MSUB), which for
        // INT_MIN % -1 wraps to the 0 wasm wants.
        let s: AArch64.Size = is64 ? .x : .w
        let a = g(dividend), b = g(divisor), q = AArch64MacroAssembler.scratch
        asm.cbz(s, b, divideByZero)
        switch kind {
        case .divS:
            let ok = asm.newLabel()
            asm.cmn(s, b, imm: 1)
            asm.b(.ne, ok)
            asm.mov(s, AArch64MacroAssembler.temp, imm: is64 ? UInt64(1) << 63 : 0x8000_0000)
            asm.cmp(s, a, AArch64MacroAssembler.temp)
            asm.b(.eq, overflow)
            asm.bind(ok)
            asm.sdiv(s, a, a, b)
        case .divU:
            asm.udiv(s, a, a, b)
        case .remS:
            asm.sdiv(s, q, a, b)
            asm.msub(s, a, q, b, a)
        case .remU:
            asm.udiv(s, q, a, b)
            asm.msub(s, a, q, b, a)
        }
    }

    mutating func extend(_ op: NumericOp, _ dst: Reg, _ src: Reg) {
        let d = g(dst), s = g(src)
        switch op {
        case .i32WrapI64, .i64ExtendI32U: asm.mov(.w, d, s)
        case .i64ExtendI32S, .i64Extend32S: asm.sxtw(d, s)
        case .i32Extend8S: asm.sxtb(.w, d, s)
        case .i32Extend16S: asm.sxth(.w, d, s)
        case .i64Extend8S: asm.sxtb(.x, d, s)
        case .i64Extend16S: asm.sxth(.x, d, s)
        default: preconditionFailure("not an integer extension: \(op)")
        }
    }

    mutating func select(_ type: ValType, _ dst: Reg, otherwise: Reg, condition: Reg) {
        asm.cmp(.w, g(condition), imm: 0)
        if type == .v128 {
            // fcsel has no 128-bit form: keep dst when the condition is nonzero.
            let keep = asm.newLabel()
            asm.b(.ne, keep)
            asm.mov(.b16, v(dst), v(otherwise))
            asm.bind(keep)
        } else if dst.isFloat {
            asm.fcsel(floatSize(type), v(dst), v(dst), v(otherwise), .ne)
        } else {
            asm.csel(size(type), g(dst), g(dst), g(otherwise), .ne)
        }
    }

    mutating func selectFloat(_ type: ValType, _ dst: Reg, otherwise: Reg, flags c: IntCondition) {
        asm.fcsel(floatSize(type), v(dst), v(dst), v(otherwise), condition(c))
    }

    // MARK: Floats

    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ src: Reg) {
        let s: AArch64.FloatSize = is64 ? .d : .s
        let d = v(dst), n = v(src)
        switch op {
        case .add: asm.fadd(s, d, d, n)
        case .sub: asm.fsub(s, d, d, n)
        case .mul: asm.fmul(s, d, d, n)
        case .div: asm.fdiv(s, d, d, n)
        // FMIN and FMAX are wasm's min and max: NaN propagates, -0 < +0.
        case .min: asm.fmin(s, d, d, n)
        case .max: asm.fmax(s, d, d, n)
        case .copysign:
            // A sign-bit mask (-0.0), then BIT inserts src's bits where the mask is set.
            let mask = AArch64MacroAssembler.tempV
            asm.fmov(s, mask, .zr)
            asm.fneg(s, mask, mask)
            asm.bit(.b8, d, n, mask)
        }
    }

    mutating func floatUnary(_ op: FloatUnaryOp, is64: Bool, _ dst: Reg, _ src: Reg) {
        let s: AArch64.FloatSize = is64 ? .d : .s
        let d = v(dst), n = v(src)
        switch op {
        // FABS and FNEG only touch the sign bit, NaNs included.
        case .abs: asm.fabs(s, d, n)
        case .neg: asm.fneg(s, d, n)
        case .sqrt: asm.fsqrt(s, d, n)
        case .ceil: asm.frintp(s, d, n)
        case .floor: asm.frintm(s, d, n)
        case .trunc: asm.frintz(s, d, n)
        case .nearest: asm.frintn(s, d, n)
        }
    }

    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Reg) {
        let s: AArch64.FloatSize = is64 ? .d : .s
        let d = v(dst), n = v(lhs), m = v(rhs)
        switch op {
        case .add: asm.fadd(s, d, n, m)
        case .sub: asm.fsub(s, d, n, m)
        case .mul: asm.fmul(s, d, n, m)
        case .div: asm.fdiv(s, d, n, m)
        case .min: asm.fmin(s, d, n, m)
        case .max: asm.fmax(s, d, n, m)
        case .copysign:
            asm.fmov(s, d, n)
            floatBinary(op, is64: is64, dst, rhs)
        }
    }

    mutating func floatCompareFlags(_ c: FloatCondition, is64: Bool, _ lhs: Reg, _ rhs: Reg) -> IntCondition? {
        // An unordered FCMP sets C and V (N and Z clear): EQ, GT and GE are false for it and
        // NE true, as wasm wants; lt and le swap the operands to use GT and GE (LT would be
        // true for NaN).
        let s: AArch64.FloatSize = is64 ? .d : .s
        switch c {
        case .eq: asm.fcmp(s, v(lhs), v(rhs)); return .eq
        case .ne: asm.fcmp(s, v(lhs), v(rhs)); return .ne
        case .gt: asm.fcmp(s, v(lhs), v(rhs)); return .gtS
        case .ge: asm.fcmp(s, v(lhs), v(rhs)); return .geS
        case .lt: asm.fcmp(s, v(rhs), v(lhs)); return .gtS
        case .le: asm.fcmp(s, v(rhs), v(lhs)); return .geS
        }
    }

    mutating func floatCompare(_ c: FloatCondition, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Reg) {
        asm.fcmp(is64 ? .d : .s, v(lhs), v(rhs))
        // After FCMP an unordered result sets C and V: mi, ls and gt/ge are false for it, ne true.
        let cond: AArch64.Condition
        switch c {
        case .eq: cond = .eq
        case .ne: cond = .ne
        case .lt: cond = .mi
        case .gt: cond = .gt
        case .le: cond = .ls
        case .ge: cond = .ge
        }
        asm.cset(.w, g(dst), cond)
    }

    mutating func convertIntToFloat(signed: Bool, from64: Bool, to64: Bool, _ dst: Reg, _ src: Reg) {
        let to: AArch64.FloatSize = to64 ? .d : .s
        let from: AArch64.Size = from64 ? .x : .w
        signed ? asm.scvtf(to, v(dst), from, g(src)) : asm.ucvtf(to, v(dst), from, g(src))
    }

    mutating func convertFloat(to64: Bool, _ dst: Reg, _ src: Reg) {
        asm.fcvt(to64 ? .d : .s, v(dst), to64 ? .s : .d, v(src))
    }

    mutating func truncateFloat(signed: Bool, from64: Bool, to64: Bool, _ dst: Reg, _ src: Reg, outOfRange: Label) {
        // FCVTZS saturates (NaN gives 0): report NaN and both saturated values as possibly
        // out of range, for the caller's slow path to decide.
        precondition(signed, "unsigned truncation goes through the runtime")
        let to: AArch64.Size = to64 ? .x : .w
        let f: AArch64.FloatSize = from64 ? .d : .s
        asm.fcmp(f, v(src), v(src))
        asm.b(.vs, outOfRange)
        asm.fcvtzs(to, g(dst), f, v(src))
        asm.mov(to, AArch64MacroAssembler.temp, imm: to64 ? UInt64(1) << 63 : 0x8000_0000)
        asm.cmp(to, g(dst), AArch64MacroAssembler.temp)
        asm.b(.eq, outOfRange)
        asm.mvn(to, AArch64MacroAssembler.temp, AArch64MacroAssembler.temp)
        asm.cmp(to, g(dst), AArch64MacroAssembler.temp)
        asm.b(.eq, outOfRange)
    }

    mutating func reinterpret(_ dst: Reg, _ src: Reg, is64: Bool) {
        move(is64 ? .f64 : .f32, dst, src)
    }

    // MARK: Memory

    /// The address of a wasm access: memory base + zero-extended index + offset, after the
    /// explicit bounds check when there is one.
    mutating func wasmAddress(index: Reg, offset: UInt64, size: Int, definitionOffset: Int32,
                                      boundsTrap: Label?) -> Address {
        let i = g(index), t = AArch64MacroAssembler.scratch, u = AArch64MacroAssembler.temp
        if let boundsTrap {
            // index + offset + size <= length, in 64 bits (no overflow possible).
            let end = offset + UInt64(size)
            if AArch64.AddSubImmediate(end) != nil {
                asm.mov(.w, t, i)
                asm.add(.x, t, t, imm: Int64(end))
            } else {
                asm.mov(.x, u, imm: end)
                asm.add(.x, t, u, i, extend: .uxtw)
            }
            asm.ldr(.x, u, address(AArch64MacroAssembler.vmctx, Int64(definitionOffset), accessSize: 8))
            asm.ldr(.x, u, .offset(u, 8))
            asm.cmp(.x, t, u)
            asm.b(.hi, boundsTrap)
        }
        if offset == 0 {
            return .indexed(AArch64MacroAssembler.memoryBase, index: i, .uxtw)
        }
        if AArch64.AddSubImmediate(offset) != nil {
            asm.add(.x, t, AArch64MacroAssembler.memoryBase, imm: Int64(offset))
        } else {
            asm.mov(.x, t, imm: offset)
            asm.add(.x, t, t, AArch64MacroAssembler.memoryBase)
        }
        return .indexed(t, index: i, .uxtw)
    }

    /// The address of an access to the memory whose definition pointer is in `definition`
    /// (left holding its base): base + index + offset, the index 32- or 64-bit.
    mutating func wasmAddress(index: Reg, is64: Bool, offset: UInt64, size: Int, definition: Reg,
                                      pinnedBase: Bool, boundsTrap: Label?) -> Address {
        let i = g(index), d = g(definition), t = AArch64MacroAssembler.scratch, u = AArch64MacroAssembler.temp
        // The base: memory 0's pinned register, or loaded from the definition.
        let base = pinnedBase ? AArch64MacroAssembler.memoryBase : d
        asm.mov(is64 ? .x : .w, t, i)
        if let boundsTrap {
            // t = index + offset + size, trapping on a carry (only a 64-bit index can carry),
            // then t <= length; the access is at base + t - size.
            let (end, overflow) = offset.addingReportingOverflow(UInt64(size))
            if overflow {
                asm.b(boundsTrap)
            } else {
                if AArch64.AddSubImmediate(end) != nil {
                    asm.adds(.x, t, t, imm: Int64(end))
                } else {
                    asm.mov(.x, u, imm: end)
                    asm.adds(.x, t, t, u)
                }
                if is64 { asm.b(.hs, boundsTrap) }
                asm.ldr(.x, u, .offset(d, 8))
                asm.cmp(.x, t, u)
                asm.b(.hi, boundsTrap)
            }
            if !pinnedBase { asm.ldr(.x, d, .base(d)) }
            asm.sub(.x, t, t, imm: Int64(size))
            return .indexed(base, index: t)
        }
        if !pinnedBase { asm.ldr(.x, d, .base(d)) }
        if offset != 0 {
            if AArch64.AddSubImmediate(offset) != nil {
                asm.add(.x, t, t, imm: Int64(offset))
            } else {
                asm.mov(.x, u, imm: offset)
                asm.add(.x, t, t, u)
            }
        }
        return .indexed(base, index: t)
    }

    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, index: Reg, offset: UInt64, definitionOffset: Int32, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitLoad(op, dst, wasmAddress(index: index, offset: offset, size: size, definitionOffset: definitionOffset, boundsTrap: boundsTrap))
    }

    mutating func wasmStore(_ op: StoreOp, index: Reg, value: Reg, offset: UInt64, definitionOffset: Int32, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitStore(op, value, wasmAddress(index: index, offset: offset, size: size, definitionOffset: definitionOffset, boundsTrap: boundsTrap))
    }

    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, index: Reg, is64: Bool, offset: UInt64, definition: Reg,
                           pinnedBase: Bool, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitLoad(op, dst, wasmAddress(index: index, is64: is64, offset: offset, size: size, definition: definition,
                                      pinnedBase: pinnedBase, boundsTrap: boundsTrap))
    }

    mutating func wasmStore(_ op: StoreOp, index: Reg, is64: Bool, value: Reg, offset: UInt64, definition: Reg,
                            pinnedBase: Bool, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitStore(op, value, wasmAddress(index: index, is64: is64, offset: offset, size: size, definition: definition,
                                         pinnedBase: pinnedBase, boundsTrap: boundsTrap))
    }

    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, constantAddress: Int32) {
        let size = 1 << Int(op.naturalAlignment)
        emitLoad(op, dst, address(AArch64MacroAssembler.memoryBase, Int64(constantAddress), accessSize: size))
    }

    mutating func wasmStore(_ op: StoreOp, value: Reg, constantAddress: Int32) {
        let size = 1 << Int(op.naturalAlignment)
        emitStore(op, value, address(AArch64MacroAssembler.memoryBase, Int64(constantAddress), accessSize: size))
    }

    private mutating func emitLoad(_ op: LoadOp, _ dst: Reg, _ m: Address) {
        switch op {
        case .i32Load: asm.ldr(.w, g(dst), m)
        case .i64Load: asm.ldr(.x, g(dst), m)
        case .f32Load: asm.ldr(.s, v(dst), m)
        case .f64Load: asm.ldr(.d, v(dst), m)
        case .i32Load8S: asm.ldrsb(.w, g(dst), m)
        case .i32Load8U, .i64Load8U: asm.ldrb(g(dst), m)
        case .i32Load16S: asm.ldrsh(.w, g(dst), m)
        case .i32Load16U, .i64Load16U: asm.ldrh(g(dst), m)
        case .i64Load8S: asm.ldrsb(.x, g(dst), m)
        case .i64Load16S: asm.ldrsh(.x, g(dst), m)
        case .i64Load32S: asm.ldrsw(g(dst), m)
        case .i64Load32U: asm.ldr(.w, g(dst), m)
        }
    }

    private mutating func emitStore(_ op: StoreOp, _ value: Reg, _ m: Address) {
        switch op {
        case .i32Store, .i64Store32: asm.str(.w, g(value), m)
        case .i64Store: asm.str(.x, g(value), m)
        case .f32Store: asm.str(.s, v(value), m)
        case .f64Store: asm.str(.d, v(value), m)
        case .i32Store8, .i64Store8: asm.strb(g(value), m)
        case .i32Store16, .i64Store16: asm.strh(g(value), m)
        }
    }

    // MARK: Control

    // Branches back to a loop head more than 1 MiB away jump over a `b` with the opposite
    // condition.

    mutating func jump(_ label: Label) { asm.b(label) }

    mutating func branch(_ c: IntCondition, _ label: Label) {
        if conditionalBranchReaches(label) {
            asm.b(condition(c), label)
        } else {
            let skip = asm.newLabel()
            asm.b(condition(c).inverted, skip)
            asm.b(label)
            asm.bind(skip)
        }
    }

    mutating func branchIfZero(is64: Bool, _ reg: Reg, _ label: Label) {
        if conditionalBranchReaches(label) {
            asm.cbz(is64 ? .x : .w, g(reg), label)
        } else {
            let skip = asm.newLabel()
            asm.cbnz(is64 ? .x : .w, g(reg), skip)
            asm.b(label)
            asm.bind(skip)
        }
    }

    mutating func branchIfNonZero(is64: Bool, _ reg: Reg, _ label: Label) {
        if conditionalBranchReaches(label) {
            asm.cbnz(is64 ? .x : .w, g(reg), label)
        } else {
            let skip = asm.newLabel()
            asm.cbz(is64 ? .x : .w, g(reg), skip)
            asm.b(label)
            asm.bind(skip)
        }
    }

    mutating func jumpTable(index: Reg, targets: [Label], scratch: Reg) {
        // Clamp the index to the default (the last entry), then jump into a table of B
        // instructions: entry i is at table + 4*i.
        let i = g(index), t = AArch64MacroAssembler.temp
        let last = UInt64(targets.count - 1)
        asm.mov(.w, t, imm: last)
        asm.cmp(.w, i, t)
        asm.csel(.w, i, i, t, .ls)
        let table = asm.newLabel()
        asm.adr(g(scratch), table)
        asm.add(.x, g(scratch), g(scratch), i, .lsl, 2)
        asm.br(g(scratch))
        asm.bind(table)
        for target in targets {
            asm.b(target)
        }
    }

    mutating func call(function index: Int) {
        functionReferences.append(FunctionReference(position: asm.offset, function: index))
        asm.bl(offset: 0)
    }

    /// `bl` or `b`: imm26 is the word distance from the instruction, ±128 MiB.
    static func linkFunctionReference(in code: UnsafeMutableRawBufferPointer, at position: Int, to target: Int) -> Bool {
        let words = (target - position) >> 2
        guard position >= 0, position + 4 <= code.count, (target - position) & 3 == 0,
              words >= -(1 << 25), words < 1 << 25 else { return false }
        let instruction = UInt32(littleEndian: code.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        let linked = instruction & 0xFC00_0000 | UInt32(truncatingIfNeeded: words) & 0x03FF_FFFF
        code.storeBytes(of: linked.littleEndian, toByteOffset: position, as: UInt32.self)
        return true
    }

    /// Records the frame pointer and the return address `returnAddress` in the VMContext's
    /// exit fields (see KILN_VMCTX_EXIT_FP_OFFSET).
    private mutating func recordExit(returnAddress: Label) {
        let c = AArch64MacroAssembler.vmctx
        asm.str(.x, .fp, address(c, Int64(KILN_VMCTX_EXIT_FP_OFFSET), accessSize: 8))
        asm.adr(AArch64MacroAssembler.scratch, returnAddress)
        asm.str(.x, AArch64MacroAssembler.scratch, address(c, Int64(KILN_VMCTX_EXIT_PC_OFFSET), accessSize: 8))
    }

    mutating func callFuncRef(_ reference: Reg) {
        // x0 = callee vmctx, x1 = caller vmctx; x9 keeps the reference for adapters. A
        // callee that is no wasm function (a host function's entry, an adapter) records the
        // exit in the caller's VMContext itself (`recordCallerExit`): calls between wasm
        // functions store nothing.
        let r = g(reference), ref = AArch64MacroAssembler.referenceRegister
        if r != ref { asm.mov(.x, ref, r) }
        asm.ldr(.x, .x0, .offset(ref, 8))
        asm.mov(.x, .x1, AArch64MacroAssembler.vmctx)
        asm.ldr(.x, AArch64MacroAssembler.scratch, .base(ref))
        asm.blr(AArch64MacroAssembler.scratch)
    }

    mutating func callAddress(_ address: UInt) {
        loadAddress(AArch64MacroAssembler.scratch, address)
        asm.blr(AArch64MacroAssembler.scratch)
    }

    /// `movz reg, #a0; movk reg, #a1, lsl #16; movk reg, #a2, lsl #32; movk reg, #a3, lsl #48`
    /// (always four instructions, so it can be patched), recorded for relocation; with
    /// `fixedLengthAddresses` off, the shortest sequence.
    private mutating func loadAddress(_ reg: R, _ address: UInt) {
        guard fixedLengthAddresses else {
            asm.mov(.x, reg, imm: UInt64(address))
            return
        }
        embeddedAddresses.append((asm.offset, address))
        let value = UInt64(address)
        asm.movz(.x, reg, imm16: UInt16(truncatingIfNeeded: value), shift: 0)
        for shift in [16, 32, 48] {
            asm.movk(.x, reg, imm16: UInt16(truncatingIfNeeded: value >> UInt64(shift)), shift: shift)
        }
    }

    /// Patches the `movz`/`movk`×3 sequence of `loadAddress` at `offset` (checking that it
    /// is one: the opcode, register and shift of each instruction).
    static func patchAddress(in code: UnsafeMutableRawPointer, length: Int, at offset: Int, address: UInt) -> Bool {
        guard offset >= 0, offset % 4 == 0, offset <= length - 16 else { return false }
        let register = UInt32(scratch.number)
        var words: [UInt32] = []
        for i in 0..<4 {
            let word = UInt32(littleEndian: code.load(fromByteOffset: offset + 4 * i, as: UInt32.self))
            // sf=1, opc (movz 10 / movk 11), 100101, hw = i, imm16, rd.
            let opcode: UInt32 = i == 0 ? 0xD280_0000 : 0xF280_0000
            guard word & 0xFFE0_001F == opcode | UInt32(i) << 21 | register else { return false }
            let imm16 = UInt32(truncatingIfNeeded: (UInt64(address) >> UInt64(16 * i)) & 0xFFFF)
            words.append(word & ~(0xFFFF << 5) | imm16 << 5)
        }
        for (i, word) in words.enumerated() {
            code.storeBytes(of: word.littleEndian, toByteOffset: offset + 4 * i, as: UInt32.self)
        }
        return true
    }

    private static var fuelOffset: Int64 { Int64(MemoryLayout<KilnStoreRuntime>.offset(of: \.fuel)!) }

    mutating func loadFuel(runtimeOffset: Int32) {
        let t = AArch64MacroAssembler.scratch
        asm.ldr(.x, t, address(AArch64MacroAssembler.vmctx, Int64(runtimeOffset), accessSize: 8))
        asm.ldr(.x, AArch64MacroAssembler.fuel, address(t, AArch64MacroAssembler.fuelOffset, accessSize: 8))
    }

    mutating func storeFuel(runtimeOffset: Int32) {
        let t = AArch64MacroAssembler.scratch
        asm.ldr(.x, t, address(AArch64MacroAssembler.vmctx, Int64(runtimeOffset), accessSize: 8))
        asm.str(.x, AArch64MacroAssembler.fuel, address(t, AArch64MacroAssembler.fuelOffset, accessSize: 8))
    }

    mutating func beginFuelCharge() -> Range<Int> {
        // sub x21, x21, #hi, lsl #12; sub x21, x21, #lo — SUB (not SUBS) leaves the flags.
        let start = asm.offset
        asm.sub(.x, AArch64MacroAssembler.fuel, AArch64MacroAssembler.fuel, imm: 0)
        asm.sub(.x, AArch64MacroAssembler.fuel, AArch64MacroAssembler.fuel, imm: 0)
        return start..<asm.offset
    }

    mutating func finishFuelCharge(_ charge: Range<Int>, amount: Int32) {
        // Up to 2^24 - 1 per straight-line run (longer than any function body may be);
        // beyond, the patch records a failure.
        let high = (Int64(amount) >> 12) << 12, low = Int64(amount) & 0xFFF
        asm.patch(at: charge.lowerBound, length: charge.count) { a in
            if amount == 0 {
                a.nop()
                a.nop()
            } else {
                a.sub(.x, AArch64MacroAssembler.fuel, AArch64MacroAssembler.fuel, imm: high)
                a.sub(.x, AArch64MacroAssembler.fuel, AArch64MacroAssembler.fuel, imm: low)
            }
        }
    }

    mutating func checkFuel(outOfFuel: Label) {
        asm.cmp(.x, AArch64MacroAssembler.fuel, imm: 0)
        asm.b(.le, outOfFuel)
    }

    mutating func checkEpoch(counterOffset: Int32, deadlineOffset: Int32, interrupt: Label) {
        let epoch = AArch64MacroAssembler.scratch, deadline = AArch64MacroAssembler.temp
        asm.ldr(.x, epoch, address(AArch64MacroAssembler.vmctx, Int64(counterOffset), accessSize: 8))
        asm.ldr(.x, epoch, .base(epoch))
        asm.ldr(.x, deadline, address(AArch64MacroAssembler.vmctx, Int64(deadlineOffset), accessSize: 8))
        asm.cmp(.x, epoch, deadline)
        asm.b(.hs, interrupt)
    }

    mutating func callAddressRecordingExit(_ address: UInt) {
        let returnAddress = asm.newLabel()
        recordExit(returnAddress: returnAddress)
        loadAddress(AArch64MacroAssembler.scratch, address)
        asm.blr(AArch64MacroAssembler.scratch)
        asm.bind(returnAddress)
    }

    mutating func trap(code: Int32?, wasmOffset: Int32, detail: Reg?, raise: UInt) {
        // kiln_trap(code, wasmOffset, fp, pc, detail) never returns. The detail moves first
        // (it may be in x0...x3), the trap code second (x1 may hold it).
        if let detail { asm.mov(.x, .x4, g(detail)) } else { asm.mov(.x, .x4, .zr) }
        if let code {
            asm.mov(.w, .x0, imm: UInt64(UInt32(bitPattern: code)))
        } else {
            asm.mov(.w, .x0, .x1)
        }
        asm.mov(.w, .x1, imm: UInt64(UInt32(bitPattern: wasmOffset)))
        asm.mov(.x, .x2, .fp)
        asm.adr(.x3, asm.here())
        loadAddress(AArch64MacroAssembler.scratch, raise)
        asm.blr(AArch64MacroAssembler.scratch)
        asm.udf()
    }
}
