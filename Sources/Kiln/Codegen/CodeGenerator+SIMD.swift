/// SIMD: v128 values live in float registers (whole: XMM on x86-64, V on AArch64), in
/// 16-byte frame slots (see `FrameSlots`), and move, spill, merge and cross calls as the
/// scalar types do. Each instruction takes its operands in registers it owns and hands them
/// to the macro assembler, which picks the ISA's sequence; constant shift counts go as
/// immediates.
extension CodeGenerator {
    mutating func translateSIMD(_ instruction: Instruction) {
        switch instruction {
        case .v128Const(let value):
            let reg = allocate(float: true)
            masm.loadV128Constant(reg, value)
            push(.v128, .reg(reg))
        case .v128Load(let op, let memArg):
            let index = register(pop())
            let reg = allocate(float: true)
            emitSIMDMemory(.load(op), reg, index: index, memArg)
            release(index)
            push(.v128, .reg(reg))
        case .v128Store(let memArg):
            let value = register(pop())
            let index = register(pop())
            emitSIMDMemory(.store, value, index: index, memArg)
            release(value)
            release(index)
        case .v128LoadLane(let op, let memArg, let lane):
            let vector = register(pop())
            let index = register(pop())
            emitSIMDMemory(.loadLane(op, lane: lane), vector, index: index, memArg)
            release(index)
            push(.v128, .reg(vector))
        case .v128StoreLane(let op, let memArg, let lane):
            let vector = register(pop())
            let index = register(pop())
            emitSIMDMemory(.storeLane(op, lane: lane), vector, index: index, memArg)
            release(vector)
            release(index)
        case .i8x16Shuffle(let lanes):
            let b = register(pop())
            let a = register(pop())
            var operands = SIMDOperands(result: a, a: a, b: b)
            allocateTemporaries(M.laneTemporaries, into: &operands)
            masm.shuffle(operands, lanes: lanes)
            releaseTemporaries(operands)
            release(b)
            push(.v128, .reg(a))
        case .extractLane(let op, let lane):
            let a = register(pop())
            let type = op.scalarType
            let result = allocate(float: isFloat(type))
            var operands = SIMDOperands(result: result, a: a)
            allocateTemporaries(M.laneTemporaries, into: &operands)
            masm.extractLane(op, lane: lane, operands)
            releaseTemporaries(operands)
            release(a)
            push(type, .reg(result))
        case .replaceLane(let op, let lane):
            let scalar = register(pop())
            let a = register(pop())
            var operands = SIMDOperands(result: a, a: a, b: scalar)
            allocateTemporaries(M.laneTemporaries, into: &operands)
            masm.replaceLane(op, lane: lane, operands)
            releaseTemporaries(operands)
            release(scalar)
            push(.v128, .reg(a))
        case .simd(let op):
            translateSIMDOperation(op)
        default:
            invariantFailed("\(instruction) is not a SIMD instruction")
        }
    }

    mutating func translateSIMDOperation(_ op: SIMDOp) {
        // Every operation has a lowering on both ISAs (a test checks it); should one lack
        // it, compiling fails with an error rather than reaching the assembler's trap.
        guard M.supportsSIMD(op) else {
            invariantFailed("\(op) has no \(M.isaName) lowering")
            return
        }
        var operands: SIMDOperands
        // The operand registers the operation consumes (released after it): at most two.
        var owned: (Reg?, Reg?) = (nil, nil)
        var pushed: ValType = .v128
        let threeOperand = masm.simdResultMayDiffer(op)
        switch op.shape {
        case .unary where threeOperand:
            // Read a cached local in place; the result gets a register of its own.
            let a = simdSource(pop())
            let result = ownsRegister(a) ? a : allocate(float: true)
            operands = SIMDOperands(result: result, a: a)
            if result != a { owned = (a, nil) }
        case .binary where threeOperand:
            let b = simdSource(pop())
            let a = simdSource(pop())
            let result: Reg
            if ownsRegister(a) {
                result = a
            } else if ownsRegister(b) {
                result = b
            } else {
                result = allocate(float: true)
            }
            operands = SIMDOperands(result: result, a: a, b: b)
            owned = (a != result ? a : nil, b != result ? b : nil)
        case .unary:
            let a = register(pop())
            operands = SIMDOperands(result: a, a: a)
        case .binary:
            let b = register(pop())
            let a = register(pop())
            operands = SIMDOperands(result: a, a: a, b: b)
            owned = (b, nil)
        case .ternary:
            let c = register(pop())
            let b = register(pop())
            let a = register(pop())
            operands = SIMDOperands(result: a, a: a, b: b, c: c)
            owned = (b, c)
        case .test:
            let a = register(pop())
            operands = SIMDOperands(result: allocate(float: false), a: a)
            owned = (a, nil)
            pushed = .i32
        case .shift:
            let count = pop()
            if case .const(let bits) = count.value.location {
                let a = register(pop())
                operands = SIMDOperands(result: a, a: a)
                operands.immediate = Int32(truncatingIfNeeded: bits)
            } else {
                let b = register(count)
                let a = register(pop())
                operands = SIMDOperands(result: a, a: a, b: b)
                owned = (b, nil)
            }
        case .splat(let type):
            let a = register(pop())
            if isFloat(type) {
                operands = SIMDOperands(result: a, a: a)
            } else {
                operands = SIMDOperands(result: allocate(float: true), a: a)
                owned = (a, nil)
            }
        }
        // why: the ISA's own form only in its own flavor (the interpreter computes the same).
        let native = instrumentation.relaxedSIMD == M.relaxedFlavor ? M.nativeRelaxedTemporaries(op) : nil
        allocateTemporaries(native ?? M.simdTemporaries(op), into: &operands)
        if native != nil {
            masm.nativeRelaxed(op, operands)
        } else {
            masm.simd(op, operands)
        }
        releaseTemporaries(operands)
        if let reg = owned.0 { release(reg) }
        if let reg = owned.1 { release(reg) }
        push(pushed, .reg(operands.result))
    }

    /// A v128 operand to read only: the register caching a local (borrowed, so nothing
    /// evicts it during this instruction), or a register of its own.
    mutating func simdSource(_ popped: (value: Value, index: Int)) -> Reg {
        if case .local(let local) = popped.value.location, let cached = localCache[local] {
            borrowed.insert(cached.reg)
            return cached.reg
        }
        return register(popped)
    }

    /// Whether `reg` belongs to the current instruction (it caches no local).
    @inline(__always)
    func ownsRegister(_ reg: Reg) -> Bool { cacheOwner(reg) == nil }

    mutating func allocateTemporaries(_ counts: (gprs: Int, fprs: Int), into operands: inout SIMDOperands) {
        for _ in 0..<counts.gprs { operands.gprs.append(allocate(float: false)) }
        for _ in 0..<counts.fprs { operands.fprs.append(allocate(float: true)) }
    }

    mutating func releaseTemporaries(_ operands: SIMDOperands) {
        for reg in operands.gprs + operands.fprs { release(reg) }
    }

    /// A SIMD load or store at `index` (popped) plus the access's offset.
    mutating func emitSIMDMemory(_ access: SIMDMemoryAccess, _ value: Reg, index: Reg, _ memArg: MemArg) {
        if isPinned(memArg) {
            let trap = explicitBounds ? trapLabel(.memoryOutOfBounds) : nil
            memoryAccesses.append((masm.offset, wasmOffset))
            masm.simdMemory(access, value, index: index, offset: memArg.offset, definitionOffset: Int32(layout.memory(0)),
                            boundsTrap: trap)
        } else {
            let (definition, is64, trap) = prepareMemoryAccess(memArg.memory)
            memoryAccesses.append((masm.offset, wasmOffset))
            masm.simdMemory(access, value, index: index, is64: is64, offset: memArg.offset, definition: definition,
                            pinnedBase: memArg.memory == 0, boundsTrap: trap)
            release(definition)
        }
    }
}
