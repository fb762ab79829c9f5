/// Exception handling in machine code: nothing runs on entry to a `try_table` or `try`.
///
/// Every call site inside one (calls, and the builtins that throw) is listed in the
/// function's `CompiledHandlers` with its innermost handler, keyed by return address as the
/// stack maps are. A throw finds a handler there (`ExceptionUnwinder`), writes the
/// exception's values into the frame, and `kiln_trap` jumps to the clause's landing pad with
/// the frame's stack pointer and VMContext register.
///
/// The frame is canonical at every call site (operands in their spill slots, locals in
/// their frame slots, see `spillRegisters`), so a pad only reloads the pinned registers
/// (memory base, fuel), then continues as a branch to its label would:
/// - a `try_table` clause's pad, emitted after the function's body, finds the values in the
///   target label's slots and jumps there (after loading a loop head's cached locals);
/// - a legacy `catch` or `catch_all` arm is itself the pad. It keeps its exception in a
///   hidden operand below the tag's values, for `rethrow`, and moves its results down over
///   it when it ends.
extension CodeGenerator {
    /// A `try_table` clause's landing pad, emitted when the function ends.
    struct LandingPad {
        var handler: Int
        var clause: Int
        /// The clause's label, as it was when the `try_table` began.
        var target: Block
        var wasmOffset: Int
    }

    /// The values a clause of `kind` with `tag` hands to its label.
    func clauseValueTypes(_ kind: CatchClause.Kind, tag: UInt32) -> [ValType] {
        switch kind {
        case .catch, .catchRef: module.types[Int(module.tags[Int(tag)])].params
        case .catchAll, .catchAllRef: []
        }
    }

    static var exceptionType: ValType { .ref(RefType(nullable: false, .exn)) }

    /// The innermost handler of the call whose return address is the current offset.
    mutating func recordHandlerCallSite() {
        if currentHandler >= 0 { handlers.callSites.append((masm.offset, currentHandler)) }
    }

    mutating func translateTryTable(_ type: BlockType, _ catches: [CatchClause]) {
        spillOperands()
        let handler = handlers.handlers.count
        var clauses: [CompiledHandlers.Clause] = []
        for (i, clause) in catches.enumerated() {
            let index = blocks.count - 1 - Int(clause.label)
            let target = blocks[index]
            let values = clauseValueTypes(clause.kind, tag: clause.tag)
            let hasReference = clause.kind == .catchRef || clause.kind == .catchAllRef
            // The pad's values go where a branch to the label puts them.
            let valueOffsets = values.indices.map { stackSlot(target.height + $0) }
            let exceptionOffset = hasReference ? stackSlot(target.height + values.count) : nil
            maxStackDepth = max(maxStackDepth, target.height + values.count + (hasReference ? 1 : 0))
            if target.kind != .loop && target.kind != .function { blocks[index].endReachable = true }
            // A pad reaches the label with nothing cached: a block whose merge is not decided
            // yet merges with none (the pad keeps the copy made here, so it must not change).
            if target.kind == .block && target.mergeLocals == nil { blocks[index].mergeLocals = .empty }
            landingPads.append(LandingPad(handler: handler, clause: i, target: blocks[index], wasmOffset: wasmOffset))
            clauses.append(CompiledHandlers.Clause(kind: clause.kind, tag: clause.tag, landing: 0,
                                                   valueOffsets: valueOffsets, exceptionOffset: exceptionOffset))
        }
        handlers.handlers.append(CompiledHandlers.Handler(clauses: clauses, next: currentHandler))
        openBlock(.tryTable, type)
        blocks[blocks.count - 1].handler = handler
        blocks[blocks.count - 1].innerHandler = handler
        currentHandler = handler
    }

    /// Legacy `try`: a block whose body the handler covers; the arms add its clauses.
    mutating func translateTry(_ type: BlockType) {
        spillOperands()
        let handler = handlers.handlers.count
        handlers.handlers.append(CompiledHandlers.Handler(clauses: [], next: currentHandler))
        openBlock(.try, type)
        blocks[blocks.count - 1].handler = handler
        blocks[blocks.count - 1].innerHandler = handler
        currentHandler = handler
    }

    /// A legacy `catch` (`tag`) or `catch_all` (nil) arm: ends the body or the previous arm
    /// (which jumps to the end) and starts the arm, which is the clause's landing pad.
    mutating func translateCatchArm(tag: UInt32?) {
        var block = blocks.removeLast()
        if reachable {
            spillAll()
            if block.holdsException { emitBranchMoves(block) }
            masm.jump(block.label)
            block.endReachable = true
        }
        let handler = block.handler!
        if block.kind == .try {
            // Exceptions in the arms go to the handlers around the try.
            currentHandler = handlers.handlers[handler].next
            block.innerHandler = currentHandler
        }
        block.kind = tag == nil ? .catchAll : .catch
        block.holdsException = true
        resetStack(to: block.height, [])
        push(CodeGenerator.exceptionType, .spilled)
        let values = tag.map { clauseValueTypes(.catch, tag: $0) } ?? []
        for type in values { push(type, .spilled) }
        masm.instructionBoundary()
        handlers.handlers[handler].clauses.append(CompiledHandlers.Clause(
            kind: tag == nil ? .catchAll : .catch, tag: tag ?? 0, landing: masm.offset,
            valueOffsets: values.indices.map { stackSlot(block.height + 1 + $0) }, exceptionOffset: stackSlot(block.height)))
        reloadLandingState()
        blocks.append(block)
    }

    /// Legacy `delegate`: ends the try, handing its body's exceptions to the handler in
    /// effect inside the label (counted from outside the try).
    mutating func translateDelegate(_ depth: UInt32) {
        let handler = blocks[blocks.count - 1].handler!
        let target = blocks[blocks.count - 2 - Int(depth)]
        endBlock()
        handlers.handlers[handler].next = target.kind == .function ? -1 : target.innerHandler
    }

    /// `throw`: the tag's values go to the builtin in their spill slots (still operands
    /// during the call, so that the stack map names the references among them).
    mutating func emitThrow(tag: UInt32) {
        let count = clauseValueTypes(.catch, tag: tag).count
        spillRegisters()
        let first = stack.count - count
        for i in first..<stack.count { spill(i) }
        masm.loadConstant(.i64, M.integerArgumentRegisters[1], UInt64(tag))
        if count > 0 {
            masm.loadFrameSlotAddress(M.integerArgumentRegisters[2], slot: stackSlot(first))
        } else {
            masm.loadConstant(.i64, M.integerArgumentRegisters[2], 0)
        }
        emitRaise(frameSlots.slotBytes == 16 ? Builtins.throwExceptionWideSlots : Builtins.throwException)
        stack.removeLast(count)
    }

    /// `throw_ref` of the operand on top, or `rethrow` of the exception held at `slot`.
    mutating func emitThrowReference(heldAt slot: Int32? = nil) {
        spillRegisters()
        if let slot {
            masm.load(.i64, M.integerArgumentRegisters[1], slot: slot)
        } else {
            load(pop(), into: M.integerArgumentRegisters[1])
        }
        emitRaise(Builtins.throwReference)
    }

    /// Calls a raising builtin (arguments placed after the VMContext): a call site of the
    /// current handler. It only comes back with a trap code: the resume of a catching frame
    /// or the host error that carries the exception out.
    private mutating func emitRaise(_ builtin: UInt) {
        makesCalls = true
        masm.moveVMContext(to: M.integerArgumentRegisters[0])
        saveFuel()
        memoryAccesses.append((masm.offset, wasmOffset))  // the call site, for backtraces
        masm.callAddressRecordingExit(runtimeAddress(builtin))
        recordSafepoint()
        let trap = masm.newLabel()
        trapStubs.append(TrapStub(label: trap, code: nil, wasmOffset: wasmOffset))
        masm.jump(trap)
        reachable = false
    }

    /// What a landing pad does first: `kiln_trap` restored the frame and VMContext
    /// registers; the memory base and the fuel come from there.
    mutating func reloadLandingState() {
        reloadMemoryBase()
        reloadFuel()
    }

    /// The `try_table` clauses' pads (after the body, with the trap stubs).
    mutating func emitLandingPads() {
        for pad in landingPads {
            masm.instructionBoundary()
            handlers.handlers[pad.handler].clauses[pad.clause].landing = masm.offset
            wasmOffset = pad.wasmOffset
            reloadLandingState()
            let target = pad.target
            switch target.kind {
            case .function:
                // The results are in the first operand slots: return them from there.
                stack = labelTypes(of: target).map { Value(type: $0, location: .spilled) }
                dropLocals()
                freeRegisters = allocatableRegisters
                emitReturn()
            case .loop:
                loadLocals(of: target.loopLocals)
                masm.jump(target.label)
            case .block:
                // Every local is in its slot here (calls, throws included, store them first).
                loadLocals(of: target.mergeLocals ?? .empty)
                masm.jump(target.label)
            default:
                masm.jump(target.label)
            }
        }
        landingPads.removeAll(keepingCapacity: true)
    }
}
