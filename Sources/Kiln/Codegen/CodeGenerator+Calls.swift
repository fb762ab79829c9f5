import CKilnShims

/// Calls: to defined functions (direct), through function references (imports,
/// call_indirect), and to runtime builtins.
extension CodeGenerator {
    /// Loads a popped operand into a given register (any operand not in a register).
    mutating func load(_ popped: (value: Value, index: Int), into reg: Reg) {
        let (value, index) = popped
        switch value.location {
        case .const(let bits): masm.loadConstant(value.type, reg, bits)
        case .local(let local): masm.load(value.type, reg, slot: localSlot(local))
        case .spilled: masm.load(value.type, reg, slot: stackSlot(index))
        case .reg(let source):
            if source != reg {
                masm.move(value.type, reg, source)
                release(source)
            }
        case .flags(let condition): masm.setCondition(condition, reg)
        }
    }

    /// Pops the arguments of a call of `type` into the C convention's places (after the two
    /// VMContext arguments). Returns the outgoing word where a results area starts.
    mutating func placeArguments(_ type: FuncType) -> Int {
        spillRegisters()
        var arguments: [(value: Value, index: Int)] = []
        for _ in type.params { arguments.append(pop()) }
        arguments.reverse()
        var integers = 2, floats = 0, stackWords = 0
        let integerTemporary = M.allocatableGPRs[M.allocatableGPRs.count - 1]
        let floatTemporary = M.allocatableFPRs[M.allocatableFPRs.count - 1]
        for argument in arguments {
            if isFloat(argument.value.type) {
                if floats < M.floatArgumentRegisters.count {
                    load(argument, into: M.floatArgumentRegisters[floats])
                    floats += 1
                    continue
                }
                load(argument, into: floatTemporary)
                masm.storeOutgoingArgument(argument.value.type, index: stackWords, floatTemporary)
            } else {
                if integers < M.integerArgumentRegisters.count {
                    load(argument, into: M.integerArgumentRegisters[integers])
                    integers += 1
                    continue
                }
                load(argument, into: integerTemporary)
                masm.storeOutgoingArgument(argument.value.type, index: stackWords, integerTemporary)
            }
            stackWords += 1
        }
        // The results area of a multi-value call follows the stack arguments (including a
        // stack-passed pointer to it).
        if type.results.count > 1 {
            if integers < M.integerArgumentRegisters.count {
                masm.loadOutgoingAddress(M.integerArgumentRegisters[integers], index: stackWords)
            } else {
                masm.loadOutgoingAddress(integerTemporary, index: stackWords + 1)
                masm.storeOutgoingArgument(.i64, index: stackWords, integerTemporary)
                stackWords += 1
            }
        }
        maxOutgoingWords = max(maxOutgoingWords, stackWords + (type.results.count > 1 ? type.results.count : 0))
        return stackWords
    }

    /// Pushes the results of a call that just returned.
    mutating func collectResults(_ type: FuncType, resultsWord: Int) {
        if type.results.count == 1 {
            let reg = isFloat(type.results[0]) ? M.floatResult : M.integerResult
            freeRegisters.remove(reg)
            push(type.results[0], .reg(reg))
        } else if type.results.count > 1 {
            let temporary = M.allocatableGPRs[M.allocatableGPRs.count - 1]
            for (i, result) in type.results.enumerated() {
                masm.loadOutgoing(.i64, temporary, index: resultsWord + i)
                push(result, .spilled)
                masm.store(.i64, slot: stackSlot(stack.count - 1), temporary)
            }
        }
        reloadMemoryBase()
    }

    mutating func emitCall(function: Int) {
        let type = module.functionType(of: function)
        let resultsWord = placeArguments(type)
        memoryAccesses.append((masm.offset, wasmOffset))  // the call site, for backtraces
        if function < module.importedFunctionCount {
            let reference = M.integerResult
            masm.loadVMContextWord(reference, offset: Int32(layout.function(function)))
            masm.callFuncRef(reference)
        } else {
            masm.moveVMContext(to: M.integerArgumentRegisters[0])
            masm.moveVMContext(to: M.integerArgumentRegisters[1])
            masm.call(functionLabels[function - module.importedFunctionCount])
        }
        collectResults(type, resultsWord: resultsWord)
    }

    mutating func emitCallIndirect(typeIndex: Int, tableIndex: Int) {
        let type = module.types[typeIndex]
        var index = pop()
        // The index must survive the argument moves: keep it in its spill slot.
        if case .reg(let reg) = index.value.location {
            masm.store(.i32, slot: stackSlot(index.index), reg)
            release(reg)
            index.value.location = .spilled
        } else if case .flags = index.value.location {
            let reg = register(index)
            masm.store(.i32, slot: stackSlot(index.index), reg)
            release(reg)
            index.value.location = .spilled
        }
        let resultsWord = placeArguments(type)
        let indexReg = M.allocatableGPRs[M.allocatableGPRs.count - 1]
        load(index, into: indexReg)
        let reference = M.integerResult
        masm.loadCheckedFuncRef(
            reference, tableDefinitionOffset: Int32(layout.table(tableIndex)), index: indexReg,
            typeIdOffset: Int32(layout.typeId(typeIndex)),
            outOfBounds: trapLabel(.undefinedElement),
            null: trapLabel(.uninitializedElement, detail: indexReg), signature: trapLabel(.badSignature))
        memoryAccesses.append((masm.offset, wasmOffset))
        masm.callFuncRef(reference)
        collectResults(type, resultsWord: resultsWord)
    }

    /// Calls a runtime builtin `(vmctx, arguments...) -> KilnBuiltinResult` with the top
    /// `arguments` operands (all integers), trapping when it reports a trap.
    mutating func callBuiltin(_ address: UInt, arguments: Int, result: ValType?) {
        spillRegisters()
        var popped: [(value: Value, index: Int)] = []
        for _ in 0..<arguments { popped.append(pop()) }
        for (i, argument) in popped.reversed().enumerated() {
            load(argument, into: M.integerArgumentRegisters[i + 1])
        }
        masm.moveVMContext(to: M.integerArgumentRegisters[0])
        masm.callAddress(address)
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
