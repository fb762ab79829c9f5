import CKilnShims

/// Where a call argument goes.
enum ArgumentTarget {
    case reg(Reg)
    case stack(Int)
}

/// Storage that `placeArguments` reuses from call to call.
struct ArgumentScratch<M: MacroAssembler> {
    var arguments: [(value: CodeGenerator<M>.Value, index: Int)] = []
    var targets: [ArgumentTarget] = []
    var moves: [(destination: Reg, source: Reg, type: ValType)] = []
}

/// Calls: to defined functions (direct), through function references (imports,
/// call_indirect), and to runtime builtins.
extension CodeGenerator {
    /// Loads a popped operand into a given register (any operand not in a register).
    mutating func load(_ popped: (value: Value, index: Int), into reg: Reg) {
        let (value, index) = popped
        switch value.location {
        case .const(let bits): masm.loadConstant(value.type, reg, bits)
        case .local(let local):
            if let cached = localCache[local] {
                masm.move(value.type, reg, cached.reg)
            } else {
                masm.load(value.type, reg, slot: localSlot(local))
            }
        case .spilled: masm.load(value.type, reg, slot: stackSlot(index))
        case .reg(let source):
            if source != reg {
                masm.move(value.type, reg, source)
                release(source)
            }
        case .flags(let condition): masm.setCondition(condition, reg)
        case .folded:
            let source = materializedFolded()
            masm.move(value.type, reg, source)
            release(source)
        }
    }

    /// Pops the arguments of a call of `type` into the C convention's places (after the two
    /// VMContext arguments). Returns the outgoing word where a results area starts: past
    /// the whole argument area the callee may tail-call with (see `ArgumentArea`).
    ///
    /// Operands below the arguments are spilled (registers are caller-saved). Arguments
    /// already in registers move straight to their argument registers (a parallel move);
    /// the others are loaded afterwards. For a `tail` call the callee gets this function's
    /// own results pointer instead of a results area (the types' results are the same).
    mutating func placeArguments(_ type: FuncType, tail: Bool = false) -> Int {
        makesCalls = true
        let count = type.params.count
        let integerTemporary = M.allocatableGPRs[M.allocatableGPRs.count - 1]
        let floatTemporary = M.allocatableFPRs[M.allocatableFPRs.count - 1]
        for i in 0..<(stack.count - count) {
            switch stack[i].location {
            case .reg, .flags: spill(i)
            default: break
            }
        }
        for i in (stack.count - count)..<stack.count {
            switch stack[i].location {
            case .flags:
                spill(i)
            case .reg(let reg) where reg == integerTemporary || reg == floatTemporary:
                spill(i)  // the temporaries carry stack arguments
            case .local(let local):
                // A cached local is moved from its register (still holding it after the
                // write-back below), not reloaded from the slot just written.
                if let reg = localCache[local]?.reg, reg != integerTemporary, reg != floatTemporary {
                    stack[i].location = .reg(reg)
                }
            default:
                break
            }
        }
        flushLocals()
        // The three arrays come from scratch storage kept across calls (taken out of `self`
        // while in use, so they stay uniquely referenced): no allocation per call.
        var arguments = argumentScratch.arguments
        var targets = argumentScratch.targets
        var moves = argumentScratch.moves
        argumentScratch = ArgumentScratch()
        arguments.removeAll(keepingCapacity: true)
        targets.removeAll(keepingCapacity: true)
        moves.removeAll(keepingCapacity: true)
        for _ in type.params { arguments.append(pop()) }
        arguments.reverse()

        var integers = 2, floats = 0, stackWords = 0
        for argument in arguments {
            if isFloat(argument.value.type), floats < M.floatArgumentRegisters.count {
                targets.append(.reg(M.floatArgumentRegisters[floats]))
                floats += 1
            } else if !isFloat(argument.value.type), integers < M.integerArgumentRegisters.count {
                targets.append(.reg(M.integerArgumentRegisters[integers]))
                integers += 1
            } else {
                targets.append(.stack(stackWords))
                stackWords += ValueWords.count(argument.value.type)
            }
        }
        // 1. Stack arguments, while every source is still intact.
        for (argument, target) in zip(arguments, targets) {
            guard case .stack(let word) = target else { continue }
            if case .reg(let reg) = argument.value.location {
                masm.storeOutgoingArgument(argument.value.type, index: word, reg)
            } else {
                let temporary = isFloat(argument.value.type) ? floatTemporary : integerTemporary
                load(argument, into: temporary)
                masm.storeOutgoingArgument(argument.value.type, index: word, temporary)
            }
        }
        // 2. Register-to-register moves, resolving cycles through the scratch registers.
        for (argument, target) in zip(arguments, targets) {
            if case .reg(let destination) = target, case .reg(let source) = argument.value.location {
                moves.append((destination, source, argument.value.type))
            }
        }
        while !moves.isEmpty {
            if let ready = moves.firstIndex(where: { move in !moves.contains { $0.source == move.destination && $0.destination != move.destination } }) {
                let move = moves.remove(at: ready)
                masm.move(move.type, move.destination, move.source)
            } else {
                // A cycle: park one source in a temporary (its register is about to be written).
                let parked = moves[0]
                let temporary = parked.source.isFloat ? floatTemporary : integerTemporary
                masm.move(parked.type, temporary, parked.source)
                moves[0].source = temporary
            }
        }
        // 3. Everything else: constants, locals, spilled operands.
        for (argument, target) in zip(arguments, targets) {
            guard case .reg(let destination) = target else { continue }
            if case .reg = argument.value.location { continue }
            load(argument, into: destination)
        }
        // Argument registers are now the callee's; the allocator starts over after the call.
        argumentScratch = ArgumentScratch(arguments: arguments, targets: targets, moves: moves)
        freeRegisters = everyAllocatableRegister
        for i in stack.indices {
            if case .reg(let reg) = stack[i].location { freeRegisters.remove(reg) }
        }

        // The results area of a multi-value call follows the argument area (which includes a
        // stack-passed pointer to it).
        let pointerInRegister = integers < M.integerArgumentRegisters.count
        let resultsWord = ArgumentArea.words(stackWords + (type.results.count > 1 && !pointerInRegister ? 1 : 0))
        if type.results.count > 1 {
            let pointer = pointerInRegister ? M.integerArgumentRegisters[integers] : integerTemporary
            if tail {
                masm.load(.i64, pointer, slot: CodeGenerator.resultsPointerSlot)
            } else {
                masm.loadOutgoingAddress(pointer, index: resultsWord)
            }
            if !pointerInRegister {
                masm.storeOutgoingArgument(.i64, index: stackWords, integerTemporary)
                stackWords += 1
            }
        }
        // A call reserves the callee's whole argument area (I1 in `CodeGenerator+TailCalls`);
        // a tail call needs its staged words only.
        let words = tail ? stackWords : type.results.count > 1 ? resultsWord + ValueWords.total(type.results) : resultsWord
        maxOutgoingWords = max(maxOutgoingWords, words)
        return resultsWord
    }

    /// Pushes the results of a call that just returned.
    /// `mayReachHost`: the callee may be a host function, directly or by a tail call.
    mutating func collectResults(_ type: FuncType, resultsWord: Int, mayReachHost: Bool = true) {
        if type.results.count == 1 {
            let reg = isFloat(type.results[0]) ? M.floatResult : M.integerResult
            freeRegisters.remove(reg)
            if type.results[0] == .i32 && mayReachHost { masm.normalizeCallResultI32(reg) }
            push(type.results[0], .reg(reg))
        } else if type.results.count > 1 {
            let temporary = M.allocatableGPRs[M.allocatableGPRs.count - 1]
            let vectorTemporary = M.allocatableFPRs[M.allocatableFPRs.count - 1]
            for (result, word) in zip(type.results, ValueWords.offsets(type.results)) {
                let (type, reg) = result == .v128 ? (ValType.v128, vectorTemporary) : (.i64, temporary)
                masm.loadOutgoing(type, reg, index: resultsWord + word)
                push(result, .spilled)
                masm.store(type, slot: stackSlot(stack.count - 1), reg)
            }
        }
        // The callee left the register as it found it, but a memory that moves when it grows
        // may have moved.
        if explicitBounds || module.memories.first?.is64 == true { reloadMemoryBase() }
    }

    mutating func emitCall(function: Int) {
        let type = module.functionType(of: function)
        let resultsWord = placeArguments(type)
        memoryAccesses.append((masm.offset, wasmOffset))  // the call site, for backtraces
        saveFuel()
        if function < module.importedFunctionCount {
            let reference = M.integerResult
            masm.loadVMContextWord(reference, offset: Int32(layout.function(function)))
            masm.callFuncRef(reference)
            recordSafepoint()
            masm.resetStackPointer()
        } else {
            masm.moveVMContext(to: M.integerArgumentRegisters[0])
            masm.moveVMContext(to: M.integerArgumentRegisters[1])
            let callee = function - module.importedFunctionCount
            masm.call(function: callee)
            recordSafepoint()
            // A callee without a tail call returns with the stack pointer as it found it.
            // Whether it has one is known for sure only once every function is compiled
            // (functions compile apart): the reset goes if it turns out not to.
            if mayTailCall[callee] {
                pendingResets.append((callee, masm.offset))
                masm.resetStackPointer()
            }
        }
        reloadFuel()
        // A defined callee without a tail call returns what wasm code computed.
        let mayReachHost = function < module.importedFunctionCount || mayTailCall[function - module.importedFunctionCount]
        collectResults(type, resultsWord: resultsWord, mayReachHost: mayReachHost)
    }

    /// The register a call's callee operand (a `call_indirect` index, a `call_ref`
    /// reference) waits in while `placeArguments` moves the arguments: allocatable, yet no
    /// argument register and neither of its temporaries, so no argument move writes it.
    /// (x86-64: rax; AArch64: x8.)
    static var calleeOperandRegister: Reg {
        let integerTemporary = M.allocatableGPRs[M.allocatableGPRs.count - 1]
        return M.allocatableGPRs.first { !M.integerArgumentRegisters.contains($0) && $0 != integerTemporary }!
    }

    /// Pops the callee operand of a call into `calleeOperandRegister`, before the arguments
    /// are placed.
    mutating func popCalleeOperand() -> Reg {
        let holder = CodeGenerator.calleeOperandRegister
        let operand = pop()
        if operand.value.location != .reg(holder) {
            var holding = -1
            if freeRegisters.remove(holder) == nil {
                for i in stack.indices where stack[i].location == .reg(holder) { holding = i }
            }
            if holding >= 0 {
                // An operand holds it (often the last call's result, an argument of this
                // one): move it to another register rather than spill it.
                let other = allocate(float: false)
                masm.move(stack[holding].type, other, holder)
                stack[holding].location = .reg(other)
            } else {
                claim(holder)
            }
            load(operand, into: holder)
        }
        return holder
    }

    /// `call_ref`: a call through the function reference on top of the stack (trapping on null).
    mutating func emitCallRef(typeIndex: Int) {
        let type = module.types[typeIndex]
        let target = popCalleeOperand()
        let resultsWord = placeArguments(type)
        masm.branchIfZero(is64: true, target, trapLabel(.nullFunctionReference))
        saveFuel()
        memoryAccesses.append((masm.offset, wasmOffset))
        masm.callFuncRef(target)
        recordSafepoint()
        reloadFuel()
        collectResults(type, resultsWord: resultsWord)
    }

    mutating func emitCallIndirect(typeIndex: Int, tableIndex: Int) {
        let type = module.types[typeIndex]
        let indexIs64 = module.tables[tableIndex].is64
        let indexType: ValType = indexIs64 ? .i64 : .i32
        var indexReg = popCalleeOperand()
        let resultsWord = placeArguments(type)
        let reference = M.integerResult
        if indexReg == reference {
            // The trap for a null entry reports the index: it must outlive the reference.
            let other = M.allocatableGPRs[M.allocatableGPRs.count - 1]
            masm.move(indexType, other, indexReg)
            indexReg = other
        }
        masm.loadCheckedFuncRef(
            reference, tableDefinitionOffset: Int32(layout.table(tableIndex)), index: indexReg, indexIs64: indexIs64,
            typeIdOffset: Int32(layout.typeId(typeIndex)),
            outOfBounds: trapLabel(.undefinedElement),
            null: trapLabel(.uninitializedElement, detail: indexReg), signature: trapLabel(.badSignature))
        saveFuel()
        memoryAccesses.append((masm.offset, wasmOffset))
        masm.callFuncRef(reference)
        recordSafepoint()
        masm.resetStackPointer()
        reloadFuel()
        collectResults(type, resultsWord: resultsWord)
    }

    /// Calls a runtime builtin `(vmctx, arguments...) -> KilnBuiltinResult` with the top
    /// `arguments` operands (all integers), trapping when it reports a trap.
    ///
    /// A `safepoint` builtin may collect: it gets the exit recorded (see `KilnExit`) and a
    /// stack map.
    mutating func callBuiltin(_ address: UInt, arguments: Int, result: ValType?, safepoint: Bool = false) {
        makesCalls = true
        spillRegisters()
        var popped: [(value: Value, index: Int)] = []
        for _ in 0..<arguments { popped.append(pop()) }
        for (i, argument) in popped.reversed().enumerated() {
            load(argument, into: M.integerArgumentRegisters[i + 1])
        }
        masm.moveVMContext(to: M.integerArgumentRegisters[0])
        if safepoint {
            masm.callAddressRecordingExit(runtimeAddress(address))
            recordSafepoint()
        } else {
            masm.callAddress(runtimeAddress(address))
        }
        let trap = masm.newLabel()
        trapStubs.append(TrapStub(label: trap, code: nil, wasmOffset: wasmOffset))
        masm.branchIfNonZero(is64: true, M.secondIntegerResult, trap)
        if let result {
            let reg = isFloat(result) ? M.floatResult : M.integerResult
            freeRegisters.remove(reg)
            push(result, .reg(reg))
        }
    }
}
