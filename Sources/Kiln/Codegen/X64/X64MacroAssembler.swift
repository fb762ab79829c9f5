import CKilnShims
/// The x86-64 (System V) macro assembler.
///
/// Registers: rbp is the frame pointer, r15 holds the VMContext and r14 linear memory 0's
/// base (both callee-saved, so they survive calls into C and Swift); r11 and xmm15 are
/// scratch registers the macro assembler may clobber at any time. Everything else the code
/// generator may allocate is caller-saved, so calls need no callee-save bookkeeping.
///
/// Frame (offsets from rbp):
/// ```text
///   +16...  stack-passed arguments
///   +8      return address
///    0      caller's rbp
///   -8      saved r15 (unused in a lean frame)
///   -16     saved r14 (unused in a lean frame)
///   -24...  the code generator's slots (locals, operand spills), then outgoing arguments at rsp
/// ```
struct X64MacroAssembler: MacroAssembler {
    typealias Label = Kiln.Label

    var asm = X64Assembler()
    var fixedLengthAddresses = true
    private(set) var embeddedAddresses: [(offset: Int, address: UInt)] = []

    static let vmctx = GPR.r15
    static let memoryBase = GPR.r14
    static let scratch = GPR.r11
    static let scratchXMM = XMM.xmm15

    static let allocatableGPRs: [Reg] = [GPR.rax, .rcx, .rdx, .rsi, .rdi, .r8, .r9, .r10].map { .gpr($0.rawValue) }
    static let allocatableFPRs: [Reg] = (0..<15).map { .fpr(UInt8($0)) }
    static let integerArgumentRegisters: [Reg] = [GPR.rdi, .rsi, .rdx, .rcx, .r8, .r9].map { .gpr($0.rawValue) }
    static let floatArgumentRegisters: [Reg] = (0..<8).map { .fpr(UInt8($0)) }
    static let integerResult = Reg.gpr(GPR.rax.rawValue)
    static let floatResult = Reg.fpr(0)
    static let secondIntegerResult = Reg.gpr(GPR.rdx.rawValue)
    static let scratchGPR = Reg.gpr(GPR.r11.rawValue)
    static let scratchFPR = Reg.fpr(XMM.xmm15.rawValue)
    static let shiftCountRegister: Reg? = .gpr(GPR.rcx.rawValue)
    static let divisionRegisters: (Reg, Reg)? = (.gpr(GPR.rax.rawValue), .gpr(GPR.rdx.rawValue))
    static let incomingArgumentsOffset: Int32 = 16

    /// Where the current function's `resetStackPointer`s are: `patchFrameSize` fills in
    /// their displacement with the prologue's.
    private var stackPointerResets: [Int] = []
    /// Whether the current function's frame is lean (see `prologue(lean:)`).
    private var leanFrame = false
    /// The out-of-line ends of the current function's `resetStackPointer`s.
    private var stackPointerFixups: [(fixup: Label, back: Label)] = []
    private(set) var functionReferences: [FunctionReference] = []
    /// The constants the code loads from memory (v128, and f32/f64 in the low bytes;
    /// `emitLiteralPool` places them after the code), each once, and the instructions that
    /// refer to them: the code offset just past each (where its rip-relative displacement
    /// ends) and the constant's index. `literalIndices` indexes them once there are more
    /// than 32 (`withLiteral` searches fewer in order).
    var literals: [V128] = []
    var literalIndices: [V128: Int] = [:]
    var literalUses: [(end: Int, literal: Int)] = []

    /// The extensions the code may use: VEX forms with AVX, broadcasts with AVX2. Without a
    /// set, the baseline (SSE4.1 and its companions).
    var features: CPUFeatures = .x86Baseline
    /// Whether SIMD code uses the VEX-encoded three-operand forms.
    var avx: Bool { features.contains(.avx) }
    var avx2: Bool { features.contains(.avx2) }

    init() {}

    init(cpuFeatures: CPUFeatures) {
        features = cpuFeatures
    }

    static let isaName = "x86-64"
    var offset: Int { asm.offset }
    mutating func newLabel() -> Label { asm.newLabel() }
    mutating func bind(_ label: Label) { asm.bind(label) }
    /// x86-64 encodes every operand the code generator gives it (rel32 reaches ±2 GiB).
    var encodingFailure: String? { nil }
    func finish() -> [UInt8] { asm.finish() }
    mutating func alignFunctionEntry() { asm.align(16, with: .int3) }
    /// Conditional branches reach ±2 GiB (rel32): nothing to do.
    mutating func instructionBoundary() {}

    @inline(__always) func g(_ reg: Reg) -> GPR {
        precondition(!reg.isFloat, "expected an integer register")
        return GPR(number: reg.number)
    }

    @inline(__always) func x(_ reg: Reg) -> XMM {
        precondition(reg.isFloat, "expected a float register")
        return XMM(number: reg.number)
    }

    @inline(__always) private func frame(_ slot: Int32) -> MemoryOperand { .base(.rbp, slot) }

    private func size(_ type: ValType) -> OperandSize {
        switch type {
        case .i32, .f32: .s32
        default: .s64
        }
    }

    // MARK: Frame

    mutating func prologue(lean: Bool) -> Int {
        leanFrame = lean
        asm.push(.rbp)
        asm.mov(.s64, .rbp, .rsp)
        if !lean {
            asm.push(.r15)
            asm.push(.r14)
        }
        // sub rsp, imm32 — the size is patched once the frame is known.
        asm.emit(0x48, 0x81, 0xEC, 0, 0, 0, 0)
        stackPointerResets.removeAll(keepingCapacity: true)
        return asm.offset - 4
    }

    mutating func patchFrameSize(at position: Int, _ size: Int32) {
        // A lean frame's sub covers the two words the pushes take in the others.
        asm.patch32(at: position, leanFrame ? size + 16 : size)
        // The body's rsp is rbp - 16 (the two pushes) - size.
        for reset in stackPointerResets { asm.patch32(at: reset, -16 - size) }
    }

    /// The length of the sequence `resetStackPointer` emits.
    private static let stackPointerResetLength = 16

    mutating func resetStackPointer() {
        // The stack pointer is written only when a tail call moved it: writing rsp with an
        // ALU instruction after every call costs about 4 cycles per call on AMD Zen 4
        // (measured: 3.7 against 2.1 ns per call of a leaf), comparing it nearly nothing.
        // lea r11, [rbp + disp32] — the displacement is patched once the frame is known;
        // cmp rsp, r11; jne to `mov rsp, r11` out of line (`emitStackPointerFixups`).
        let start = asm.offset
        asm.emit(0x4C, 0x8D, 0x9D, 0, 0, 0, 0)
        stackPointerResets.append(asm.offset - 4)
        asm.cmp(.s64, .rsp, X64MacroAssembler.scratch)
        let fixup = asm.newLabel(), back = asm.newLabel()
        asm.jcc(.ne, fixup)
        asm.bind(back)
        stackPointerFixups.append((fixup, back))
        precondition(asm.offset - start == X64MacroAssembler.stackPointerResetLength, "the reset's length changed")
    }

    mutating func emitStackPointerFixups() {
        for (fixup, back) in stackPointerFixups {
            asm.bind(fixup)
            asm.mov(.s64, .rsp, X64MacroAssembler.scratch)
            asm.jmp(back)
        }
        stackPointerFixups.removeAll(keepingCapacity: true)
    }

    mutating func removeStackPointerReset(at position: Int) {
        asm.overwriteWithNops(at: position, length: X64MacroAssembler.stackPointerResetLength)
    }

    /// The tail-call sequence: r11 carries the return address and r10 the new argument
    /// area (neither is an argument register), xmm15 the words moved there.
    mutating func tailCall(_ target: TailCallTarget<Label>, stackWords: Int, incomingStackWords: Int) {
        let vmctx = X64MacroAssembler.vmctx, s = X64MacroAssembler.scratch, area = GPR.r10
        if case .funcRef(let reference) = target {
            // rax keeps the reference for adapters, as in `callFuncRef`.
            let r = g(reference)
            precondition(r != area && r != s, "the reference register is taken by the tail-call sequence")
            if r != .rax { asm.mov(.s64, .rax, r) }
            // A host callee records the exit itself, on entry, as after `callFuncRef`: it
            // sees the frame this function returns to (this frame is gone by then).
            asm.mov(.s64, .rdi, .base(.rax, 8))
            asm.mov(.s64, .rsi, vmctx)
        }
        // The area's top stays where the caller put it (rbp + 16 + its even word count);
        // the new arguments end there, and the return address goes just below them.
        let bottom = 16 + 8 * Int32(ArgumentArea.words(incomingStackWords) - ArgumentArea.words(stackWords))
        asm.mov(.s64, vmctx, .base(.rbp, -8))
        asm.mov(.s64, X64MacroAssembler.memoryBase, .base(.rbp, -16))
        asm.mov(.s64, s, .base(.rbp, 8))
        asm.lea(.s64, area, .base(.rbp, bottom))
        asm.mov(.s64, .rbp, .base(.rbp, 0))
        // The staged words are below the area (rsp < area): copying from the last word down
        // never overwrites a word still to be copied.
        for word in (0..<Int32(stackWords)).reversed() {
            asm.movsd(X64MacroAssembler.scratchXMM, .base(.rsp, 8 * word))
            asm.movsd(.base(area, 8 * word), X64MacroAssembler.scratchXMM)
        }
        asm.lea(.s64, .rsp, .base(area, -8))
        asm.mov(.s64, .base(.rsp, 0), s)
        switch target {
        case .function(let index):
            functionReferences.append(FunctionReference(position: asm.offset, function: index))
            asm.emit(0xE9, 0, 0, 0, 0)
        case .funcRef: asm.jmp(.base(.rax, 0))
        }
    }

    mutating func checkStackLimit(runtimeOffset: Int32, trap: Label) {
        // r15 still holds the caller's value here: the VMContext is in rdi.
        asm.mov(.s64, X64MacroAssembler.scratch, .base(.rdi, runtimeOffset))
        asm.cmp(.s64, .rsp, .base(X64MacroAssembler.scratch, 0))
        asm.jcc(.b, trap)
    }

    mutating func loadVMContext(from argument: Reg) {
        asm.mov(.s64, X64MacroAssembler.vmctx, g(argument))
    }

    mutating func loadMemoryBase(memoryOffset: Int32) {
        asm.mov(.s64, X64MacroAssembler.scratch, .base(X64MacroAssembler.vmctx, memoryOffset))
        asm.mov(.s64, X64MacroAssembler.memoryBase, .base(X64MacroAssembler.scratch, 0))
    }

    mutating func epilogue() {
        if leanFrame {
            asm.mov(.s64, .rsp, .rbp)
        } else {
            asm.lea(.s64, .rsp, .base(.rbp, -16))
            asm.pop(.r14)
            asm.pop(.r15)
        }
        asm.pop(.rbp)
        asm.ret()
    }

    // MARK: Moves

    mutating func move(_ type: ValType, _ dst: Reg, _ src: Reg) {
        guard dst != src else { return }
        switch (dst.isFloat, src.isFloat) {
        case (false, false): asm.mov(size(type), g(dst), g(src))
        case (true, true): asm.movaps(x(dst), x(src))
        case (true, false): type == .f32 ? asm.movd(x(dst), g(src)) : asm.movq(x(dst), g(src))
        case (false, true): type == .f32 ? asm.movd(g(dst), x(src)) : asm.movq(g(dst), x(src))
        }
    }

    mutating func loadConstant(_ type: ValType, _ dst: Reg, _ bits: UInt64) {
        if dst.isFloat {
            if bits == 0 {
                asm.xorps(x(dst), x(dst))
            } else {
                // One load from the function's literal pool, where `movabs` and `movq` took
                // two instructions and a trip through an integer register.
                let d = x(dst)
                withLiteral(V128(lo: bits, hi: 0)) { asm, constant in
                    type == .f32 ? asm.movss(d, constant) : asm.movsd(d, constant)
                }
            }
        } else if bits == 0 {
            asm.xor(.s32, g(dst), g(dst))
        } else if type == .i32 || type == .f32 {
            asm.mov(.s32, g(dst), imm: Int64(UInt32(truncatingIfNeeded: bits)))
        } else {
            asm.mov(.s64, g(dst), imm: Int64(bitPattern: bits))
        }
    }

    mutating func load(_ type: ValType, _ dst: Reg, slot: Int32) {
        if type == .v128 {
            asm.movdqu(x(dst), frame(slot))
        } else if dst.isFloat {
            type == .f32 ? asm.movss(x(dst), frame(slot)) : asm.movsd(x(dst), frame(slot))
        } else {
            asm.mov(size(type), g(dst), frame(slot))
        }
    }

    mutating func store(_ type: ValType, slot: Int32, _ src: Reg) {
        if type == .v128 {
            asm.movdqu(frame(slot), x(src))
        } else if src.isFloat {
            type == .f32 ? asm.movss(frame(slot), x(src)) : asm.movsd(frame(slot), x(src))
        } else {
            // Slots are 8 bytes; a 32-bit value is stored zero-extended so reloads agree.
            asm.mov(.s64, frame(slot), g(src))
        }
    }

    mutating func storeConstant(_ type: ValType, slot: Int32, _ bits: UInt64) {
        if type == .v128 {
            // Only zero (a local's default) is ever a v128 constant here.
            precondition(bits == 0, "v128 constants are materialized in registers")
            asm.mov(.s64, frame(slot), imm: 0)
            asm.mov(.s64, frame(slot + 8), imm: 0)
        } else if bits <= UInt64(Int32.max) {
            asm.mov(.s64, frame(slot), imm: Int32(bits))
        } else {
            asm.mov(.s64, X64MacroAssembler.scratch, imm: Int64(bitPattern: bits))
            asm.mov(.s64, frame(slot), X64MacroAssembler.scratch)
        }
    }

    /// Sixteen bytes per store from a zeroed xmm15 (a word with an immediate store at an odd
    /// end), where a store of an immediate zero per slot took twice the stores.
    mutating func zeroFrame(from low: Int32, to high: Int32) {
        var at = low
        if high - low >= 16 {
            let zero = X64MacroAssembler.scratchXMM
            asm.xorps(zero, zero)
            while high - at >= 16 {
                asm.movdqu(frame(at), zero)
                at += 16
            }
        }
        if at < high { asm.mov(.s64, frame(at), imm: 0) }
    }

    mutating func copySlot(_ type: ValType, to destination: Int32, from source: Int32) {
        guard destination != source else { return }
        if type == .v128 {
            asm.movdqu(X64MacroAssembler.scratchXMM, frame(source))
            asm.movdqu(frame(destination), X64MacroAssembler.scratchXMM)
            return
        }
        asm.mov(.s64, X64MacroAssembler.scratch, frame(source))
        asm.mov(.s64, frame(destination), X64MacroAssembler.scratch)
    }

    mutating func loadIncomingArgument(_ type: ValType, _ dst: Reg, index: Int) {
        load(type, dst, slot: X64MacroAssembler.incomingArgumentsOffset + Int32(8 * index))
    }

    mutating func storeOutgoingArgument(_ type: ValType, index: Int, _ src: Reg) {
        let target = MemoryOperand.base(.rsp, Int32(8 * index))
        if type == .v128 {
            asm.movdqu(target, x(src))
        } else if src.isFloat {
            type == .f32 ? asm.movss(target, x(src)) : asm.movsd(target, x(src))
        } else {
            asm.mov(.s64, target, g(src))
        }
    }

    mutating func loadGlobal(_ type: ValType, _ dst: Reg, pointerOffset: Int32) {
        asm.mov(.s64, X64MacroAssembler.scratch, .base(X64MacroAssembler.vmctx, pointerOffset))
        let value = MemoryOperand.base(X64MacroAssembler.scratch, 0)
        if type == .v128 {
            asm.movdqu(x(dst), value)
        } else if dst.isFloat {
            type == .f32 ? asm.movss(x(dst), value) : asm.movsd(x(dst), value)
        } else {
            asm.mov(size(type), g(dst), value)
        }
    }

    mutating func storeGlobal(_ type: ValType, pointerOffset: Int32, _ src: Reg) {
        asm.mov(.s64, X64MacroAssembler.scratch, .base(X64MacroAssembler.vmctx, pointerOffset))
        let value = MemoryOperand.base(X64MacroAssembler.scratch, 0)
        if type == .v128 {
            asm.movdqu(value, x(src))
        } else if src.isFloat {
            // Keep the slot's upper bytes zero, as the runtime reads the low 8 bytes as a whole.
            if type == .f32 {
                asm.mov(.s64, value, imm: 0)
                asm.movss(value, x(src))
            } else {
                asm.movsd(value, x(src))
            }
        } else {
            asm.mov(.s64, value, g(src))
        }
    }

    mutating func loadVMContextWord(_ dst: Reg, offset: Int32) {
        asm.mov(.s64, g(dst), .base(X64MacroAssembler.vmctx, offset))
    }

    mutating func moveVMContext(to dst: Reg) {
        asm.mov(.s64, g(dst), X64MacroAssembler.vmctx)
    }

    mutating func moveFramePointer(to dst: Reg) {
        asm.mov(.s64, g(dst), .rbp)
    }

    mutating func loadFrameSlotAddress(_ dst: Reg, slot: Int32) {
        asm.lea(.s64, g(dst), frame(slot))
    }

    mutating func loadOutgoing(_ type: ValType, _ dst: Reg, index: Int) {
        let source = MemoryOperand.base(.rsp, Int32(8 * index))
        if type == .v128 {
            asm.movdqu(x(dst), source)
        } else if dst.isFloat {
            type == .f32 ? asm.movss(x(dst), source) : asm.movsd(x(dst), source)
        } else {
            asm.mov(.s64, g(dst), source)
        }
    }

    mutating func loadOutgoingAddress(_ dst: Reg, index: Int) {
        asm.lea(.s64, g(dst), .base(.rsp, Int32(8 * index)))
    }

    mutating func loadWordAt(_ dst: Reg, base: Reg, offset: Int32) {
        asm.mov(.s64, g(dst), .base(g(base), offset))
    }

    mutating func copyToResultsArea(_ type: ValType, pointer: Reg, index: Int, from slot: Int32) {
        if type == .v128 {
            asm.movdqu(X64MacroAssembler.scratchXMM, frame(slot))
            asm.movdqu(.base(g(pointer), Int32(8 * index)), X64MacroAssembler.scratchXMM)
            return
        }
        asm.mov(.s64, X64MacroAssembler.scratch, frame(slot))
        asm.mov(.s64, .base(g(pointer), Int32(8 * index)), X64MacroAssembler.scratch)
    }

    mutating func loadCheckedFuncRef(_ dst: Reg, tableDefinitionOffset: Int32, index: Reg, indexIs64: Bool, typeIdOffset: Int32,
                                     outOfBounds: Label, null: Label, signature: Label) {
        let d = g(dst), i = g(index), t = X64MacroAssembler.scratch
        // An i32 index is zero-extended already: callers load it from its spill slot.
        asm.mov(.s64, t, .base(X64MacroAssembler.vmctx, tableDefinitionOffset))
        asm.cmp(.s64, i, .base(t, 8))
        asm.jcc(.ae, outOfBounds)
        asm.mov(.s64, t, .base(t, 0))
        asm.mov(.s64, d, .base(t, index: i, scale: 8, 0))
        asm.test(.s64, d, d)
        asm.jcc(.e, null)
        asm.mov(.s32, t, .base(X64MacroAssembler.vmctx, typeIdOffset))
        asm.cmp(.s32, t, .base(d, 16))
        asm.jcc(.ne, signature)
    }

    // MARK: Integers

    static var foldsLoadsIntoOperands: Bool { true }

    /// Only `lea`'s scaled index: an add of a register shifted left by 1, 2 or 3.
    static func foldsShift(_ kind: ShiftKind, amount: UInt8, into op: IntBinaryOp?) -> Bool {
        kind == .shl && (1...3).contains(amount) && op == .add
    }

    /// The address of a `.memory` operand: memory 0's base plus the index register
    /// (zero-extended, as every i32 in a register is) plus the displacement.
    private func foldedAddress(_ index: Reg, _ displacement: Int32) -> MemoryOperand {
        .base(X64MacroAssembler.memoryBase, index: g(index), scale: 1, displacement)
    }

    private static func shiftOp(_ kind: ShiftKind) -> ShiftOp {
        switch kind {
        case .shl: .shl
        case .shrS: .sar
        case .shrU: .shr
        case .rotl: .rol
        case .rotr: .ror
        }
    }

    /// A `.shifted` operand x86 cannot fold, computed into the scratch register.
    private mutating func shiftedIntoScratch(_ reg: Reg, _ kind: ShiftKind, _ amount: UInt8, is64: Bool) -> GPR {
        let t = X64MacroAssembler.scratch
        asm.mov(is64 ? .s64 : .s32, t, g(reg))
        asm.shift(Self.shiftOp(kind), is64 ? .s64 : .s32, t, imm: amount)
        return t
    }

    mutating func integerBinary(_ op: IntBinaryOp, is64: Bool, _ dst: Reg, _ src: Operand) {
        let s: OperandSize = is64 ? .s64 : .s32
        if case .shifted(let r, .shl, let amount) = src, op == .add, (1...3).contains(amount) {
            asm.lea(s, g(dst), .base(g(dst), index: g(r), scale: 1 << amount, 0))
            return
        }
        if op == .mul {
            switch src {
            case .reg(let r): asm.imul(s, g(dst), g(r))
            case .imm(let v): asm.imul(s, g(dst), g(dst), imm: v)
            case .slot(let slot): asm.imul(s, g(dst), frame(slot))
            case .memory(let index, let displacement): asm.imul(s, g(dst), foldedAddress(index, displacement))
            case .shifted(let r, let kind, let amount): asm.imul(s, g(dst), shiftedIntoScratch(r, kind, amount, is64: is64))
            }
            return
        }
        let alu: ALUOp
        switch op {
        case .add: alu = .add
        case .sub: alu = .sub
        case .and: alu = .and
        case .or: alu = .or
        case .xor: alu = .xor
        case .mul: preconditionFailure()
        }
        switch src {
        case .reg(let r): asm.alu(alu, s, g(dst), g(r))
        case .imm(let v): asm.alu(alu, s, g(dst), imm: v)
        case .slot(let slot): asm.alu(alu, s, g(dst), frame(slot))
        case .memory(let index, let displacement): asm.alu(alu, s, g(dst), foldedAddress(index, displacement))
        case .shifted(let r, let kind, let amount): asm.alu(alu, s, g(dst), shiftedIntoScratch(r, kind, amount, is64: is64))
        }
    }

    mutating func integerBinary(_ op: IntBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Operand) {
        let s: OperandSize = is64 ? .s64 : .s32
        switch (op, rhs) {
        case (.add, .imm(let v)):
            // lea's 32-bit form wraps and zero-extends as add does (flags are not needed).
            asm.lea(s, g(dst), .base(g(lhs), v))
        case (.add, .reg(let r)):
            asm.lea(s, g(dst), .base(g(lhs), index: g(r), scale: 1, 0))
        case (.add, .shifted(let r, .shl, let amount)) where (1...3).contains(amount):
            asm.lea(s, g(dst), .base(g(lhs), index: g(r), scale: 1 << amount, 0))
        case (.mul, .imm(let v)):
            asm.imul(s, g(dst), g(lhs), imm: v)
        default:
            asm.mov(s, g(dst), g(lhs))
            integerBinary(op, is64: is64, dst, rhs)
        }
    }

    mutating func integerUnary(_ op: IntUnaryOp, is64: Bool, _ dst: Reg, _ src: Reg) {
        let s: OperandSize = is64 ? .s64 : .s32
        switch op {
        case .clz: asm.lzcnt(s, g(dst), g(src))
        case .ctz: asm.tzcnt(s, g(dst), g(src))
        case .popcnt: asm.popcnt(s, g(dst), g(src))
        }
    }

    mutating func compare(is64: Bool, _ lhs: Reg, _ rhs: Operand) {
        let s: OperandSize = is64 ? .s64 : .s32
        switch rhs {
        case .reg(let r): asm.cmp(s, g(lhs), g(r))
        case .imm(let v): asm.cmp(s, g(lhs), imm: v)
        case .slot(let slot): asm.cmp(s, g(lhs), frame(slot))
        case .memory(let index, let displacement): asm.cmp(s, g(lhs), foldedAddress(index, displacement))
        case .shifted(let r, let kind, let amount): asm.cmp(s, g(lhs), shiftedIntoScratch(r, kind, amount, is64: is64))
        }
    }

    private func condition(_ c: IntCondition) -> Condition {
        switch c {
        case .eq: .e
        case .ne: .ne
        case .ltS: .l
        case .ltU: .b
        case .gtS: .g
        case .gtU: .a
        case .leS: .le
        case .leU: .be
        case .geS: .ge
        case .geU: .ae
        }
    }

    mutating func setCondition(_ c: IntCondition, _ dst: Reg) {
        asm.setcc(condition(c), g(dst))
        asm.movzx(g(dst), byte: g(dst))
    }

    mutating func testZero(is64: Bool, _ reg: Reg) {
        asm.test(is64 ? .s64 : .s32, g(reg), g(reg))
    }

    mutating func setZero(_ dst: Reg) {
        asm.setcc(.e, g(dst))
        asm.movzx(g(dst), byte: g(dst))
    }

    mutating func shift(_ kind: ShiftKind, is64: Bool, _ dst: Reg, count: Operand) {
        let s: OperandSize = is64 ? .s64 : .s32
        let op = Self.shiftOp(kind)
        switch count {
        case .imm(let v): asm.shift(op, s, g(dst), imm: UInt8(truncatingIfNeeded: v) & (is64 ? 63 : 31))
        case .reg(let r):
            precondition(g(r) == .rcx, "variable shifts count in cl")
            asm.shift(op, s, g(dst), .rcx)
        case .slot, .memory, .shifted: preconditionFailure("shift counts come in a register or as an immediate")
        }
    }

    mutating func divide(_ kind: DivisionKind, is64: Bool, dividend: Reg, divisor: Reg, divideByZero: Label, overflow: Label) {
        // The dividend is in rax; the quotient lands in rax, the remainder in rdx.
        precondition(g(dividend) == .rax, "x86-64 divides rdx:rax")
        let s: OperandSize = is64 ? .s64 : .s32
        let d = g(divisor)
        asm.test(s, d, d)
        asm.jcc(.e, divideByZero)
        switch kind {
        case .divU, .remU:
            asm.xor(.s32, .rdx, .rdx)
            asm.div(s, d)
        case .divS:
            // INT_MIN / -1 overflows (and would fault in hardware).
            let ok = asm.newLabel()
            asm.cmp(s, d, imm: -1)
            asm.jcc(.ne, ok)
            if is64 {
                asm.mov(.s64, X64MacroAssembler.scratch, imm: Int64.min)
                asm.cmp(.s64, .rax, X64MacroAssembler.scratch)
            } else {
                asm.cmp(.s32, .rax, imm: Int32.min)
            }
            asm.jcc(.e, overflow)
            asm.bind(ok)
            is64 ? asm.cqo() : asm.cdq()
            asm.idiv(s, d)
        case .remS:
            // x % -1 is 0, and INT_MIN % -1 would fault in hardware.
            let divide = asm.newLabel(), done = asm.newLabel()
            asm.cmp(s, d, imm: -1)
            asm.jcc(.ne, divide)
            asm.xor(.s32, .rdx, .rdx)
            asm.jmp(done)
            asm.bind(divide)
            is64 ? asm.cqo() : asm.cdq()
            asm.idiv(s, d)
            asm.bind(done)
        }
    }

    mutating func extend(_ op: NumericOp, _ dst: Reg, _ src: Reg) {
        switch op {
        case .i64ExtendI32U where dst == src:
            break  // an i32 in a register is zero-extended already
        case .i32WrapI64, .i64ExtendI32U: asm.mov(.s32, g(dst), g(src))
        case .i64ExtendI32S, .i64Extend32S: asm.movsxd(g(dst), g(src))
        case .i32Extend8S: asm.movsx(.s32, g(dst), byte: g(src))
        case .i32Extend16S: asm.movsx(.s32, g(dst), word: g(src))
        case .i64Extend8S: asm.movsx(.s64, g(dst), byte: g(src))
        case .i64Extend16S: asm.movsx(.s64, g(dst), word: g(src))
        default: preconditionFailure("not an integer extension: \(op)")
        }
    }

    mutating func select(_ type: ValType, _ dst: Reg, otherwise: Reg, condition: Reg) {
        asm.test(.s32, g(condition), g(condition))
        if dst.isFloat {
            let keep = asm.newLabel()
            asm.jcc(.ne, keep)
            asm.movaps(x(dst), x(otherwise))
            asm.bind(keep)
        } else {
            asm.cmovcc(type == .i32 ? .s32 : .s64, .e, g(dst), g(otherwise))
        }
    }

    mutating func selectFloat(_ type: ValType, _ dst: Reg, otherwise: Reg, flags c: IntCondition) {
        let keep = asm.newLabel()
        asm.jcc(condition(c), keep)
        asm.movaps(x(dst), x(otherwise))
        asm.bind(keep)
    }

    // MARK: Floats

    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ src: Reg) {
        let d = x(dst), s = x(src)
        switch op {
        case .add: is64 ? asm.addsd(d, s) : asm.addss(d, s)
        case .sub: is64 ? asm.subsd(d, s) : asm.subss(d, s)
        case .mul: is64 ? asm.mulsd(d, s) : asm.mulss(d, s)
        case .div: is64 ? asm.divsd(d, s) : asm.divss(d, s)
        case .min, .max:
            // minss/maxss return the second operand for NaN and for ±0 ties; wasm wants NaN
            // propagated, min(-0, +0) = -0 and max(-0, +0) = +0.
            let done = asm.newLabel(), ordinary = asm.newLabel(), nan = asm.newLabel()
            is64 ? asm.ucomisd(d, s) : asm.ucomiss(d, s)
            asm.jcc(.p, nan)
            asm.jcc(.ne, ordinary)
            // Equal: combine the sign bits (or for min, and for max).
            if op == .min {
                is64 ? asm.orpd(d, s) : asm.orps(d, s)
            } else {
                is64 ? asm.andpd(d, s) : asm.andps(d, s)
            }
            asm.jmp(done)
            asm.bind(nan)
            is64 ? asm.addsd(d, s) : asm.addss(d, s)
            asm.jmp(done)
            asm.bind(ordinary)
            if op == .min {
                is64 ? asm.minsd(d, s) : asm.minss(d, s)
            } else {
                is64 ? asm.maxsd(d, s) : asm.maxss(d, s)
            }
            asm.bind(done)
        case .copysign:
            // Through integer registers: dst = (dst without its sign) | (sign of src).
            let t = X64MacroAssembler.scratch
            asm.push(.rax)
            if is64 {
                asm.movq(t, s)
                asm.shr(.s64, t, imm: 63)
                asm.shl(.s64, t, imm: 63)
                asm.movq(.rax, d)
                asm.shl(.s64, .rax, imm: 1)
                asm.shr(.s64, .rax, imm: 1)
                asm.or(.s64, .rax, t)
                asm.movq(d, .rax)
            } else {
                asm.movd(t, s)
                asm.and(.s32, t, imm: Int32(bitPattern: 0x8000_0000))
                asm.movd(.rax, d)
                asm.and(.s32, .rax, imm: 0x7FFF_FFFF)
                asm.or(.s32, .rax, t)
                asm.movd(d, .rax)
            }
            asm.pop(.rax)
        }
    }

    mutating func floatUnary(_ op: FloatUnaryOp, is64: Bool, _ dst: Reg, _ src: Reg) {
        let d = x(dst), s = x(src)
        switch op {
        case .abs, .neg:
            let t = X64MacroAssembler.scratch
            if is64 {
                asm.movq(t, s)
                if op == .abs {
                    asm.shl(.s64, t, imm: 1)
                    asm.shr(.s64, t, imm: 1)
                } else {
                    asm.btc63(t)
                }
                asm.movq(d, t)
            } else {
                asm.movd(t, s)
                asm.alu(op == .abs ? .and : .xor, .s32, t, imm: op == .abs ? 0x7FFF_FFFF : Int32(bitPattern: 0x8000_0000))
                asm.movd(d, t)
            }
        case .sqrt: is64 ? asm.sqrtsd(d, s) : asm.sqrtss(d, s)
        case .ceil, .floor, .trunc, .nearest:
            let mode: UInt8
            switch op {
            case .nearest: mode = 0
            case .floor: mode = 1
            case .ceil: mode = 2
            default: mode = 3
            }
            // Bit 3 suppresses the inexact exception.
            is64 ? asm.roundsd(d, s, imm: mode | 8) : asm.roundss(d, s, imm: mode | 8)
        }
    }

    /// The SSE opcode (after the F2/F3 prefix) of an operator with one: add, mul, sub, div.
    private static func scalarArithmeticOpcode(_ op: FloatBinaryOp) -> UInt32? {
        switch op {
        case .add: 0x0F58
        case .mul: 0x0F59
        case .sub: 0x0F5C
        case .div: 0x0F5E
        case .min, .max, .copysign: nil
        }
    }

    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Reg) {
        if avx, let opcode = Self.scalarArithmeticOpcode(op) {
            // VEX three-operand scalar form (vaddsd and so on): no copy of the first source.
            asm.vexRR(prefix: is64 ? 0xF2 : 0xF3, opcode, reg: x(dst).rawValue, source: x(lhs).rawValue, rm: x(rhs).rawValue)
            return
        }
        asm.movaps(x(dst), x(lhs))
        floatBinary(op, is64: is64, dst, rhs)
    }

    mutating func floatBinary(_ op: FloatBinaryOp, is64: Bool, _ dst: Reg, _ lhs: Reg, memoryIndex index: Reg, displacement: Int32) {
        guard let opcode = Self.scalarArithmeticOpcode(op) else {
            // Sequences that read their second operand more than once: from a register.
            let t = X64MacroAssembler.scratchXMM, m = foldedAddress(index, displacement)
            if is64 { asm.movsd(t, m) } else { asm.movss(t, m) }
            if dst != lhs { asm.movaps(x(dst), x(lhs)) }
            floatBinary(op, is64: is64, dst, X64MacroAssembler.scratchFPR)
            return
        }
        let prefix: UInt8 = is64 ? 0xF2 : 0xF3, m = foldedAddress(index, displacement)
        if dst != lhs {
            if avx {
                asm.vexRM(prefix: prefix, opcode, reg: x(dst).rawValue, source: x(lhs).rawValue, m)
                return
            }
            asm.movaps(x(dst), x(lhs))
        }
        asm.sse(prefix, opcode, x(dst), m)
    }

    mutating func floatCompareFlags(_ c: FloatCondition, is64: Bool, _ lhs: Reg, _ rhs: Reg) -> IntCondition? {
        // ucomis sets ZF, PF and CF for an unordered pair: "above" and "above or equal"
        // (CF clear) are false then, as gt and ge must be; lt and le swap the operands.
        // eq and ne also need PF: two conditions, so they are materialized.
        func ucomis(_ p: Reg, _ q: Reg) { is64 ? asm.ucomisd(x(p), x(q)) : asm.ucomiss(x(p), x(q)) }
        switch c {
        case .eq, .ne: return nil
        case .gt: ucomis(lhs, rhs); return .gtU
        case .ge: ucomis(lhs, rhs); return .geU
        case .lt: ucomis(rhs, lhs); return .gtU
        case .le: ucomis(rhs, lhs); return .geU
        }
    }

    mutating func elideStackCheck(_ range: Range<Int>) {
        asm.overwriteWithNops(at: range.lowerBound, length: range.count)
    }

    mutating func normalizeCallResultI32(_ reg: Reg) {
        // libffi returns a host function's sint32 sign-extended to 64 bits.
        asm.mov(.s32, g(reg), g(reg))
    }

    mutating func floatCompare(_ c: FloatCondition, is64: Bool, _ dst: Reg, _ lhs: Reg, _ rhs: Reg) {
        let d = g(dst), a = x(lhs), b = x(rhs)
        func ucomis(_ p: XMM, _ q: XMM) { is64 ? asm.ucomisd(p, q) : asm.ucomiss(p, q) }
        switch c {
        case .eq, .ne:
            // Unordered sets ZF and PF: eq needs ZF and not PF; ne is its negation.
            ucomis(a, b)
            asm.setcc(c == .eq ? .e : .ne, d)
            asm.setcc(c == .eq ? .np : .p, X64MacroAssembler.scratch)
            asm.alu(c == .eq ? .and : .or, .s32, d, X64MacroAssembler.scratch)
            asm.movzx(d, byte: d)
        case .gt, .ge:
            ucomis(a, b)
            asm.setcc(c == .gt ? .a : .ae, d)
            asm.movzx(d, byte: d)
        case .lt, .le:
            ucomis(b, a)
            asm.setcc(c == .lt ? .a : .ae, d)
            asm.movzx(d, byte: d)
        }
    }

    mutating func convertIntToFloat(signed: Bool, from64: Bool, to64: Bool, _ dst: Reg, _ src: Reg) {
        let d = x(dst), s = g(src)
        asm.xorps(d, d)
        if signed {
            to64 ? asm.cvtsi2sd(from64 ? .s64 : .s32, d, s) : asm.cvtsi2ss(from64 ? .s64 : .s32, d, s)
        } else if !from64 {
            // A u32 is a non-negative i64.
            asm.mov(.s32, X64MacroAssembler.scratch, s)
            to64 ? asm.cvtsi2sd(.s64, d, X64MacroAssembler.scratch) : asm.cvtsi2ss(.s64, d, X64MacroAssembler.scratch)
        } else {
            // u64: below 2^63 convert directly; otherwise halve (keeping the low bit so
            // rounding is right), convert, and double.
            let large = asm.newLabel(), done = asm.newLabel()
            asm.test(.s64, s, s)
            asm.jcc(.s, large)
            to64 ? asm.cvtsi2sd(.s64, d, s) : asm.cvtsi2ss(.s64, d, s)
            asm.jmp(done)
            asm.bind(large)
            asm.mov(.s64, X64MacroAssembler.scratch, s)
            asm.shr(.s64, X64MacroAssembler.scratch, imm: 1)
            asm.push(.rax)
            asm.mov(.s64, .rax, s)
            asm.and(.s32, .rax, imm: 1)
            asm.or(.s64, X64MacroAssembler.scratch, .rax)
            asm.pop(.rax)
            to64 ? asm.cvtsi2sd(.s64, d, X64MacroAssembler.scratch) : asm.cvtsi2ss(.s64, d, X64MacroAssembler.scratch)
            to64 ? asm.addsd(d, d) : asm.addss(d, d)
            asm.bind(done)
        }
    }

    mutating func convertFloat(to64: Bool, _ dst: Reg, _ src: Reg) {
        to64 ? asm.cvtss2sd(x(dst), x(src)) : asm.cvtsd2ss(x(dst), x(src))
    }

    mutating func truncateFloat(signed: Bool, from64: Bool, to64: Bool, _ dst: Reg, _ src: Reg, outOfRange: Label) {
        precondition(signed, "unsigned truncation goes through the runtime")
        let s: OperandSize = to64 ? .s64 : .s32
        from64 ? asm.cvttsd2si(s, g(dst), x(src)) : asm.cvttss2si(s, g(dst), x(src))
        // The hardware answers INT_MIN for NaN and out-of-range inputs.
        if to64 {
            asm.mov(.s64, X64MacroAssembler.scratch, imm: Int64.min)
            asm.cmp(.s64, g(dst), X64MacroAssembler.scratch)
        } else {
            asm.cmp(.s32, g(dst), imm: Int32.min)
        }
        asm.jcc(.e, outOfRange)
    }

    mutating func reinterpret(_ dst: Reg, _ src: Reg, is64: Bool) {
        move(is64 ? .f64 : .f32, dst, src)
    }

    // MARK: Memory

    /// The address of a wasm access: memory base + zero-extended index + offset.
    mutating func address(index: Reg, offset: UInt64, size: Int, definitionOffset: Int32,
                                  boundsTrap: Label?) -> MemoryOperand {
        let i = g(index)
        if let boundsTrap {
            // index + offset + size <= length, computed in 64 bits (no overflow possible).
            asm.mov(.s32, X64MacroAssembler.scratch, i)
            if offset + UInt64(size) <= UInt64(Int32.max) {
                asm.add(.s64, X64MacroAssembler.scratch, imm: Int32(offset) + Int32(size))
            } else {
                asm.push(.rax)
                asm.mov(.s64, .rax, imm: Int64(offset) + Int64(size))
                asm.add(.s64, X64MacroAssembler.scratch, .rax)
                asm.pop(.rax)
            }
            asm.push(.rax)
            asm.mov(.s64, .rax, .base(X64MacroAssembler.vmctx, definitionOffset))
            asm.cmp(.s64, X64MacroAssembler.scratch, .base(.rax, 8))
            asm.pop(.rax)
            asm.jcc(.a, boundsTrap)
        }
        if offset <= UInt64(Int32.max) {
            // i32 values in registers are always zero-extended (32-bit operations clear the
            // upper half, and call results are normalized by `normalizeCallResultI32`), so
            // the index register addresses memory directly.
            return .base(X64MacroAssembler.memoryBase, index: i, scale: 1, Int32(offset))
        }
        asm.mov(.s64, X64MacroAssembler.scratch, imm: Int64(offset))
        asm.push(.rax)
        asm.mov(.s32, .rax, i)
        asm.add(.s64, X64MacroAssembler.scratch, .rax)
        asm.pop(.rax)
        return .base(X64MacroAssembler.memoryBase, index: X64MacroAssembler.scratch, scale: 1, 0)
    }

    /// The address of an access to the memory whose definition pointer is in `definition`
    /// (left holding its base): base + index + offset, the index 32- or 64-bit.
    mutating func address(index: Reg, is64: Bool, offset: UInt64, size: Int, definition: Reg,
                                  pinnedBase: Bool, boundsTrap: Label?) -> MemoryOperand {
        let i = g(index), d = g(definition), t = X64MacroAssembler.scratch
        // The base: memory 0's pinned register, or loaded from the definition.
        let base = pinnedBase ? X64MacroAssembler.memoryBase : d
        asm.mov(is64 ? .s64 : .s32, t, i)
        if let boundsTrap {
            // t = index + offset + size, trapping on a carry (only a 64-bit index can carry),
            // then t <= length; the access is at base + t - size.
            let (end, overflow) = offset.addingReportingOverflow(UInt64(size))
            if overflow {
                asm.jmp(boundsTrap)
            } else {
                addUnsigned(t, end)
                if is64 { asm.jcc(.b, boundsTrap) }
                asm.cmp(.s64, t, .base(d, 8))
                asm.jcc(.a, boundsTrap)
            }
            if !pinnedBase { asm.mov(.s64, d, .base(d, 0)) }
            return .base(base, index: t, scale: 1, -Int32(size))
        }
        if !pinnedBase { asm.mov(.s64, d, .base(d, 0)) }
        if offset <= UInt64(Int32.max) { return .base(base, index: t, scale: 1, Int32(offset)) }
        addUnsigned(t, offset)
        return .base(base, index: t, scale: 1, 0)
    }

    /// `dst += value` in 64 bits, setting the carry flag on unsigned overflow.
    private mutating func addUnsigned(_ dst: GPR, _ value: UInt64) {
        if value <= UInt64(Int32.max) {
            asm.add(.s64, dst, imm: Int32(value))
        } else {
            // push and pop leave the flags alone.
            asm.push(.rax)
            asm.mov(.s64, .rax, imm: Int64(bitPattern: value))
            asm.add(.s64, dst, .rax)
            asm.pop(.rax)
        }
    }

    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, index: Reg, offset: UInt64, definitionOffset: Int32, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitLoad(op, dst, address(index: index, offset: offset, size: size, definitionOffset: definitionOffset, boundsTrap: boundsTrap))
    }

    mutating func wasmStore(_ op: StoreOp, index: Reg, value: Reg, offset: UInt64, definitionOffset: Int32, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitStore(op, value, address(index: index, offset: offset, size: size, definitionOffset: definitionOffset, boundsTrap: boundsTrap))
    }

    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, index: Reg, is64: Bool, offset: UInt64, definition: Reg,
                           pinnedBase: Bool, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitLoad(op, dst, address(index: index, is64: is64, offset: offset, size: size, definition: definition,
                                  pinnedBase: pinnedBase, boundsTrap: boundsTrap))
    }

    mutating func wasmStore(_ op: StoreOp, index: Reg, is64: Bool, value: Reg, offset: UInt64, definition: Reg,
                            pinnedBase: Bool, boundsTrap: Label?) {
        let size = 1 << Int(op.naturalAlignment)
        emitStore(op, value, address(index: index, is64: is64, offset: offset, size: size, definition: definition,
                                     pinnedBase: pinnedBase, boundsTrap: boundsTrap))
    }

    /// `mov [m], imm` stores the low bytes of a sign-extended 32-bit immediate.
    private static func storeImmediate(_ op: StoreOp, _ bits: UInt64) -> (size: OperandSize, immediate: Int32)? {
        switch op {
        case .i32Store8, .i64Store8: (.s8, Int32(Int8(truncatingIfNeeded: bits)))
        case .i32Store16, .i64Store16: (.s16, Int32(Int16(truncatingIfNeeded: bits)))
        case .i32Store, .i64Store32: (.s32, Int32(truncatingIfNeeded: bits))
        case .i64Store: Int32(exactly: Int64(bitPattern: bits)).map { (.s64, $0) }
        case .f32Store, .f64Store: nil
        }
    }

    func canStoreConstant(_ op: StoreOp, _ bits: UInt64) -> Bool {
        X64MacroAssembler.storeImmediate(op, bits) != nil
    }

    mutating func wasmStore(_ op: StoreOp, index: Reg, constant bits: UInt64, offset: UInt64, definitionOffset: Int32,
                            boundsTrap: Label?) {
        let (size, immediate) = X64MacroAssembler.storeImmediate(op, bits)!
        let bytes = 1 << Int(op.naturalAlignment)
        asm.mov(size, address(index: index, offset: offset, size: bytes, definitionOffset: definitionOffset, boundsTrap: boundsTrap),
                imm: immediate)
    }

    mutating func wasmLoad(_ op: LoadOp, _ dst: Reg, constantAddress: Int32) {
        emitLoad(op, dst, .base(X64MacroAssembler.memoryBase, constantAddress))
    }

    mutating func wasmStore(_ op: StoreOp, value: Reg, constantAddress: Int32) {
        emitStore(op, value, .base(X64MacroAssembler.memoryBase, constantAddress))
    }

    private mutating func emitLoad(_ op: LoadOp, _ dst: Reg, _ m: MemoryOperand) {
        switch op {
        case .i32Load: asm.mov(.s32, g(dst), m)
        case .i64Load: asm.mov(.s64, g(dst), m)
        case .f32Load: asm.movss(x(dst), m)
        case .f64Load: asm.movsd(x(dst), m)
        case .i32Load8S: asm.movsx(.s32, g(dst), byte: m)
        case .i32Load8U, .i64Load8U: asm.movzx(g(dst), byte: m)
        case .i32Load16S: asm.movsx(.s32, g(dst), word: m)
        case .i32Load16U, .i64Load16U: asm.movzx(g(dst), word: m)
        case .i64Load8S: asm.movsx(.s64, g(dst), byte: m)
        case .i64Load16S: asm.movsx(.s64, g(dst), word: m)
        case .i64Load32S: asm.movsxd(g(dst), m)
        case .i64Load32U: asm.mov(.s32, g(dst), m)
        }
    }

    private mutating func emitStore(_ op: StoreOp, _ value: Reg, _ m: MemoryOperand) {
        switch op {
        case .i32Store, .i64Store32: asm.mov(.s32, m, g(value))
        case .i64Store: asm.mov(.s64, m, g(value))
        case .f32Store: asm.movss(m, x(value))
        case .f64Store: asm.movsd(m, x(value))
        case .i32Store8, .i64Store8: asm.mov(.s8, m, g(value))
        case .i32Store16, .i64Store16: asm.mov(.s16, m, g(value))
        }
    }

    // MARK: Control

    mutating func jump(_ label: Label) { asm.jmp(label) }
    mutating func branch(_ c: IntCondition, _ label: Label) { asm.jcc(condition(c), label) }

    mutating func branchIfZero(is64: Bool, _ reg: Reg, _ label: Label) {
        asm.test(is64 ? .s64 : .s32, g(reg), g(reg))
        asm.jcc(.e, label)
    }

    mutating func branchIfNonZero(is64: Bool, _ reg: Reg, _ label: Label) {
        asm.test(is64 ? .s64 : .s32, g(reg), g(reg))
        asm.jcc(.ne, label)
    }

    mutating func jumpTable(index: Reg, targets: [Label], scratch: Reg) {
        // A compare chain would be linear; instead bound the index and jump through a table
        // of rel32 jumps: each entry is a 5-byte `jmp rel32`, so entry i is at table + 5*i.
        let i = g(index)
        let table = asm.newLabel()
        asm.cmp(.s32, i, imm: Int32(targets.count - 1))
        asm.mov(.s32, X64MacroAssembler.scratch, imm: Int64(targets.count - 1))
        asm.cmovcc(.s32, .a, i, X64MacroAssembler.scratch)
        asm.lea(.s64, X64MacroAssembler.scratch, .base(i, index: i, scale: 4, 0))  // 5 * i
        asm.leaLabel(g(scratch), table)
        asm.add(.s64, X64MacroAssembler.scratch, g(scratch))
        asm.jmp(X64MacroAssembler.scratch)
        asm.bind(table)
        for target in targets {
            asm.jmp(target)
        }
    }

    mutating func call(function index: Int) {
        functionReferences.append(FunctionReference(position: asm.offset, function: index))
        asm.emit(0xE8, 0, 0, 0, 0)
    }

    /// `call rel32` (E8) or `jmp rel32` (E9): the displacement counts from the next instruction.
    static func linkFunctionReference(in code: UnsafeMutableRawBufferPointer, at position: Int, to target: Int) -> Bool {
        let displacement = target - (position + 5)
        guard position >= 0, position + 5 <= code.count, let rel = Int32(exactly: displacement) else { return false }
        code.storeBytes(of: rel.littleEndian, toByteOffset: position + 1, as: Int32.self)
        return true
    }

    mutating func callFuncRef(_ reference: Reg) {
        // rdi = callee vmctx, rsi = caller vmctx; rax keeps the reference for adapters. A
        // callee that is no wasm function (a host function's entry, an adapter) records the
        // exit in the caller's VMContext itself (`recordCallerExit`): calls between wasm
        // functions store nothing.
        let r = g(reference)
        if r != .rax { asm.mov(.s64, .rax, r) }
        asm.mov(.s64, .rdi, .base(.rax, 8))
        asm.mov(.s64, .rsi, X64MacroAssembler.vmctx)
        asm.call(.base(.rax, 0))
    }

    mutating func callAddress(_ address: UInt) {
        loadAddress(X64MacroAssembler.scratch, address)
        asm.call(X64MacroAssembler.scratch)
    }

    /// `movabs reg, address`, recorded for relocation (or, with `fixedLengthAddresses`
    /// off, the shortest `mov`).
    private mutating func loadAddress(_ reg: GPR, _ address: UInt) {
        if fixedLengthAddresses {
            asm.movabs(reg, imm: Int64(bitPattern: UInt64(address)))
            embeddedAddresses.append((asm.offset - 8, address))
        } else {
            asm.mov(.s64, reg, imm: Int64(bitPattern: UInt64(address)))
        }
    }

    /// Patches the 8-byte immediate of a `movabs r11, imm64` (49 BB imm64) at `offset`.
    static func patchAddress(in code: UnsafeMutableRawPointer, length: Int, at offset: Int, address: UInt) -> Bool {
        guard offset >= 2, offset <= length - 8,
              code.load(fromByteOffset: offset - 2, as: UInt8.self) == 0x49,
              code.load(fromByteOffset: offset - 1, as: UInt8.self) == 0xB8 | scratch.low3
        else { return false }
        code.storeBytes(of: UInt64(address).littleEndian, toByteOffset: offset, as: UInt64.self)
        return true
    }

    /// Holds the fuel in metered functions (callee-saved in the C convention, so host
    /// functions and builtins preserve it; the allocator never uses it).
    static let fuel = GPR.r12

    private static var fuelOffset: Int32 { Int32(MemoryLayout<KilnStoreRuntime>.offset(of: \.fuel)!) }

    mutating func loadFuel(runtimeOffset: Int32) {
        asm.mov(.s64, X64MacroAssembler.scratch, .base(X64MacroAssembler.vmctx, runtimeOffset))
        asm.mov(.s64, X64MacroAssembler.fuel, .base(X64MacroAssembler.scratch, X64MacroAssembler.fuelOffset))
    }

    mutating func storeFuel(runtimeOffset: Int32) {
        asm.mov(.s64, X64MacroAssembler.scratch, .base(X64MacroAssembler.vmctx, runtimeOffset))
        asm.mov(.s64, .base(X64MacroAssembler.scratch, X64MacroAssembler.fuelOffset), X64MacroAssembler.fuel)
    }

    mutating func beginFuelCharge() -> Range<Int> {
        let start = asm.bytes.count
        // An immediate that needs 32 bits, so the encoding leaves room for any amount.
        asm.sub(.s64, X64MacroAssembler.fuel, imm: Int32.max)
        return start..<asm.bytes.count
    }

    mutating func finishFuelCharge(_ charge: Range<Int>, amount: Int32) {
        if amount == 0 {
            asm.overwriteWithNops(at: charge.lowerBound, length: charge.count)
        } else {
            asm.patch32(at: charge.upperBound - 4, amount)
        }
    }

    mutating func checkFuel(outOfFuel: Label) {
        asm.test(.s64, X64MacroAssembler.fuel, X64MacroAssembler.fuel)
        asm.jcc(.le, outOfFuel)
    }

    mutating func checkEpoch(counterOffset: Int32, deadlineOffset: Int32, interrupt: Label) {
        let epoch = X64MacroAssembler.scratch
        asm.mov(.s64, epoch, .base(X64MacroAssembler.vmctx, counterOffset))
        asm.mov(.s64, epoch, .base(epoch, 0))
        asm.cmp(.s64, epoch, .base(X64MacroAssembler.vmctx, deadlineOffset))
        asm.jcc(.ae, interrupt)
    }

    mutating func callAddressRecordingExit(_ address: UInt) {
        let returnAddress = asm.newLabel()
        asm.mov(.s64, .base(X64MacroAssembler.vmctx, Int32(KILN_VMCTX_EXIT_FP_OFFSET)), .rbp)
        asm.leaLabel(X64MacroAssembler.scratch, returnAddress)
        asm.mov(.s64, .base(X64MacroAssembler.vmctx, Int32(KILN_VMCTX_EXIT_PC_OFFSET)), X64MacroAssembler.scratch)
        loadAddress(X64MacroAssembler.scratch, address)
        asm.call(X64MacroAssembler.scratch)
        asm.bind(returnAddress)
    }

    mutating func trap(code: Int32?, wasmOffset: Int32, detail: Reg?, raise: UInt) {
        // kiln_trap(code, wasmOffset, rbp, pc, detail) never returns.
        if let detail { asm.mov(.s64, .r8, g(detail)) } else { asm.xor(.s32, .r8, .r8) }
        if let code {
            asm.mov(.s32, .rdi, imm: Int64(UInt32(bitPattern: code)))
        } else {
            asm.mov(.s32, .rdi, .rdx)
        }
        asm.mov(.s32, .rsi, imm: Int64(UInt32(bitPattern: wasmOffset)))
        asm.mov(.s64, .rdx, .rbp)
        asm.leaLabel(.rcx, asm.here())
        asm.and(.s64, .rsp, imm: -16)
        loadAddress(X64MacroAssembler.scratch, raise)
        asm.call(X64MacroAssembler.scratch)
        asm.ud2()
    }
}
