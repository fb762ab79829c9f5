/// Translates a function body into the interpreter's register code (`Op`), in one pass,
/// driven by the validator: `translate(_:at:)` sees each instruction after it validated.
///
/// An abstract operand stack, as in V8's Liftoff, keeps `local.get` and constants lazy:
/// an operation reads a local's slot directly, and `i32.const` becomes an immediate where
/// an immediate form exists. Every operand-stack position has a fixed frame slot (its
/// "natural" slot: the locals, then one slot per value, two for v128), so computed values
/// need no moves. Lazy entries are materialized into their natural slots where control
/// flow merges (block, loop and if entries, branches, block ends) and before the local
/// they read is written. A `local.set` right after the instruction that computed its value
/// rewrites that instruction's destination instead of copying.
struct InterpreterTranslator: FunctionCompiler {
    static var translates: Bool { true }

    private enum Kind: Equatable {
        /// In its natural slot.
        case temp
        /// Still in local slot `n`.
        case local(UInt32)
        /// A constant not yet written anywhere.
        case const(UInt64, UInt64)
    }

    private struct Entry {
        var kind: Kind
        var type: ValType
        /// The natural slot.
        var slot: UInt32
    }

    private struct Block {
        var kind: FunctionValidator.FrameKind
        var type: BlockType
        /// Stack entries below the block's parameters.
        var height: Int
        var loopStart: Int = 0
        /// Code words to patch with the address after the block's end.
        var pendingBranches: [Int] = []
        /// The `if`'s conditional branch to the else arm (or the end, without else).
        var elsePatch: Int?
        /// Whether anything reaches the end: a fallthrough or a branch.
        var endReachable = false
        /// Opened in unreachable code: no code is generated for it.
        var isDead = false
        /// A `try_table`'s or legacy `try`'s handler (an index into `handlers`).
        var handler: Int?
        /// The handler in effect inside the block (for a `delegate` naming it).
        var innerHandler = -1
        /// A legacy catch arm keeps its exception (for `rethrow`) in a stack entry below its
        /// values, at `height`: the arm's results sit one slot up until the arm ends.
        var holdsException = false
    }

    private let module: ModuleInfo
    private var code: [UInt32] = []
    private var offsets: [(pc: UInt32, offset: UInt32)] = []
    private var localSlots: [UInt32] = []
    private var localTypes: [ValType] = []
    private var localSlotCount = 0
    private var parameterSlotCount = 0
    private var resultTypes: [ValType] = []
    private var stack: [Entry] = []
    private var blocks: [Block] = []
    private var maxSlot = 0
    /// The current function's exception handlers, and the innermost open one (-1: none).
    private(set) var handlers: [ExceptionHandler] = []
    private var currentHandler = -1
    /// Constants read as operands live in frame slots of their own, after the deepest
    /// operand (so their slot numbers are known only at the end of the function), filled
    /// from `constants` on function entry. Code words naming them hold the constant's index
    /// until `finishFunction` rewrites the words listed in `constantUses`.
    /// The safepoints of the current function (see `StackMaps`).
    private var stackMaps = StackMaps()
    /// The slots of the current function's externref locals (in every stack map).
    private var externRefLocalSlots: [Int] = []
    private var constants: [UInt64] = []
    private var constantIndex: [ConstantKey: UInt32] = [:]
    private var constantUses: [Int] = []

    private struct ConstantKey: Hashable {
        var lo: UInt64
        var hi: UInt64
        var wide: Bool
    }

    /// An operand's slot, or the index of a constant slot.
    private struct SlotRef {
        var value: UInt32
        var isConstant = false
    }
    private var reachable = true
    /// The last instruction wrote the top entry: where its destination word is, and
    /// how long the code was right after it.
    private var lastResult: (entry: Int, patch: Int, codeCount: Int, start: Int)?
    /// Where the last instruction emitted starts.
    private var lastInstruction = 0
    private var offset = 0

    private static let single: [ValType: [ValType]] = [
        .i32: [.i32], .i64: [.i64], .f32: [.f32], .f64: [.f64], .v128: [.v128], .funcRef: [.funcRef], .externRef: [.externRef],
    ]

    /// Fuel metering and epoch checks (see `Fuel`).
    private let instrumentation: Instrumentation
    /// Fuel cost of the current straight-line run so far, and the code word its charge's
    /// amount goes in.
    private var pendingFuel: Int64 = 0
    private var fuelRun: Int?

    init(module: ModuleInfo, instrumentation: Instrumentation = Instrumentation()) {
        self.module = module
        self.instrumentation = instrumentation
    }

    /// Starts a straight-line run, charged where it starts by an amount patched in where
    /// it ends (as the JIT does, so that both charge the same at every point).
    private mutating func startFuelRun() {
        emit(.consumeFuel)
        fuelRun = code.count
        word(0)
        pendingFuel = 0
    }

    private mutating func endFuelRun() {
        guard let run = fuelRun else { return }
        code[run] = UInt32(clamping: pendingFuel)
        fuelRun = nil
        pendingFuel = 0
    }

    /// At function entries and loop headers.
    private mutating func emitInterruptionChecks() {
        // Safepoints: inside callAsync a check may yield while a collection runs.
        if instrumentation.fuel {
            emit(.checkFuel)
            recordSafepoint()
        }
        if instrumentation.epochs {
            emit(.checkEpoch)
            recordSafepoint()
        }
    }

    // MARK: Function boundaries

    mutating func beginFunction(type: FuncType, locals: [ValType], mayUseSIMD: Bool) {
        code.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        blocks.removeAll(keepingCapacity: true)
        handlers.removeAll()
        currentHandler = -1
        localSlots.removeAll(keepingCapacity: true)
        localTypes = locals
        resultTypes = type.results
        var slot: UInt32 = 0
        for (i, local) in locals.enumerated() {
            if i == type.params.count { parameterSlotCount = Int(slot) }
            localSlots.append(slot)
            slot += width(local)
        }
        if type.params.count == locals.count { parameterSlotCount = Int(slot) }
        localSlotCount = Int(slot)
        maxSlot = localSlotCount
        // Results are written to slots 0..., which may lie past the locals.
        maxSlot = max(maxSlot, Int(type.results.reduce(0) { $0 + width($1) }))
        reachable = true
        lastResult = nil
        constants.removeAll(keepingCapacity: true)
        constantIndex.removeAll(keepingCapacity: true)
        constantUses.removeAll(keepingCapacity: true)
        stackMaps = StackMaps()
        externRefLocalSlots = locals.indices.filter { locals[$0].isCountedReference }.map { Int(localSlots[$0]) }
        fuelRun = nil
        emitInterruptionChecks()
        if instrumentation.fuel { startFuelRun() }
        blocks.append(Block(kind: .function, type: .empty, height: 0))
    }

    mutating func finishFunction() -> (InterpretedFunction, offsets: [(pc: UInt32, offset: UInt32)], stackMaps: StackMaps) {
        let constantBase = UInt32(maxSlot)
        for use in constantUses { code[use] += constantBase }
        let words = UnsafeMutablePointer<UInt32>.allocate(capacity: max(code.count, 1))
        words.initialize(from: code, count: code.count)
        let values = UnsafeMutablePointer<UInt64>.allocate(capacity: max(constants.count, 1))
        values.initialize(from: constants, count: constants.count)
        let function = InterpretedFunction(code: words, codeCount: code.count, frameSize: maxSlot + constants.count,
                                           parameterSlots: parameterSlotCount, localSlots: localSlotCount,
                                           constants: values, constantBase: maxSlot, constantCount: constants.count)
        return (function, offsets, stackMaps)
    }

    /// Records the safepoint at the current pc (just after a call or a rooting instruction):
    /// the externref locals, and the externref operands in their natural slots.
    private mutating func recordSafepoint() {
        var slots = externRefLocalSlots
        for entry in stack where entry.kind == .temp && entry.type.isCountedReference { slots.append(Int(entry.slot)) }
        stackMaps.append(position: code.count, slots: slots)
    }

    private mutating func constantSlot(_ lo: UInt64, _ hi: UInt64, _ type: ValType) -> SlotRef {
        let key = ConstantKey(lo: lo, hi: hi, wide: type == .v128)
        if let index = constantIndex[key] { return SlotRef(value: index, isConstant: true) }
        let index = UInt32(constants.count)
        constants.append(lo)
        if type == .v128 { constants.append(hi) }
        constantIndex[key] = index
        return SlotRef(value: index, isConstant: true)
    }

    // MARK: Emission

    private func width(_ type: ValType) -> UInt32 { type == .v128 ? 2 : 1 }

    private mutating func emit(_ op: Op) {
        let pc = UInt32(code.count)
        if offsets.last?.offset != UInt32(truncatingIfNeeded: offset) {
            offsets.append((pc, UInt32(truncatingIfNeeded: offset)))
        }
        lastInstruction = code.count
        code.append(UInt32(op.rawValue))
    }

    private mutating func word(_ value: UInt32) { code.append(value) }

    /// Whether an access can use the fast memory-0 forms: memory 0, 32-bit, offset in a word.
    private func isPlain(_ memArg: MemArg) -> Bool {
        memArg.memory == 0 && !module.memories[0].is64
    }

    /// A memory index and whether it is 64-bit, as one word (see `WidthTaggedIndex`).
    private func memoryWord(_ memory: UInt32) -> UInt32 {
        WidthTaggedIndex.encode(memory, is64: module.memories[Int(memory)].is64)
    }

    /// A table index and whether it is 64-bit, as one word.
    private func tableWord(_ table: UInt32) -> UInt32 {
        WidthTaggedIndex.encode(table, is64: module.tables[Int(table)].is64)
    }

    /// The three words of a general memory access: memory word, offset low, offset high.
    private mutating func memoryOperand(_ memArg: MemArg) {
        word(memoryWord(memArg.memory))
        word(UInt32(truncatingIfNeeded: memArg.offset))
        word(UInt32(truncatingIfNeeded: memArg.offset >> 32))
    }

    private mutating func word(_ slot: SlotRef) {
        if slot.isConstant { constantUses.append(code.count) }
        code.append(slot.value)
    }

    private var nextSlot: UInt32 {
        guard let top = stack.last else { return UInt32(localSlotCount) }
        return top.slot + width(top.type)
    }

    @discardableResult
    private mutating func push(_ kind: Kind, _ type: ValType) -> UInt32 {
        let slot = nextSlot
        stack.append(Entry(kind: kind, type: type, slot: slot))
        maxSlot = max(maxSlot, Int(slot + width(type)))
        return slot
    }

    /// Pushes the result of the instruction just emitted, whose destination word is `patch`.
    private mutating func pushResult(_ type: ValType, patch: Int) {
        push(.temp, type)
        lastResult = (stack.count - 1, patch, code.count, lastInstruction)
    }

    private mutating func emitConst(_ slot: UInt32, _ lo: UInt64, _ hi: UInt64, _ type: ValType) {
        switch type {
        case .i32, .f32:
            emit(.const32); word(slot); word(UInt32(truncatingIfNeeded: lo))
        case .v128:
            emit(.const128); word(slot)
            word(UInt32(truncatingIfNeeded: lo)); word(UInt32(truncatingIfNeeded: lo >> 32))
            word(UInt32(truncatingIfNeeded: hi)); word(UInt32(truncatingIfNeeded: hi >> 32))
        default:
            emit(.const64); word(slot); word(UInt32(truncatingIfNeeded: lo)); word(UInt32(truncatingIfNeeded: lo >> 32))
        }
    }

    private mutating func emitCopy(_ destination: UInt32, _ source: UInt32, _ type: ValType) {
        guard destination != source else { return }
        emit(type == .v128 ? .copy128 : .copy); word(destination); word(source)
    }

    /// Writes `entry`'s value to `destination`.
    private mutating func emitMove(_ entry: Entry, to destination: UInt32) {
        switch entry.kind {
        case .temp: emitCopy(destination, entry.slot, entry.type)
        case .local(let slot): emitCopy(destination, slot, entry.type)
        case .const(let lo, let hi): emitConst(destination, lo, hi, entry.type)
        }
    }

    /// The slot an operation reads `entry` from (a popped entry may use its natural slot).
    private mutating func slot(of entry: Entry) -> SlotRef {
        switch entry.kind {
        case .temp: return SlotRef(value: entry.slot)
        case .local(let slot): return SlotRef(value: slot)
        case .const(let lo, let hi): return constantSlot(lo, hi, entry.type)
        }
    }

    private mutating func popSlot() -> SlotRef {
        slot(of: stack.removeLast())
    }

    private mutating func materialize(_ index: Int) {
        let entry = stack[index]
        guard entry.kind != .temp else { return }
        emitMove(entry, to: entry.slot)
        stack[index].kind = .temp
    }

    private mutating func materializeAll() {
        for i in stack.indices { materialize(i) }
    }

    // MARK: Blocks and branches

    private func parameters(_ type: BlockType) -> [ValType] {
        if case .typeIndex(let index) = type { return module.types[Int(index)].params }
        return []
    }

    private func results(_ type: BlockType) -> [ValType] {
        switch type {
        case .empty: return []
        case .value(let t): return InterpreterTranslator.single[t] ?? [t]
        case .typeIndex(let index): return module.types[Int(index)].results
        }
    }

    private func labelTypes(_ block: Block) -> [ValType] {
        if block.kind == .function { return resultTypes }
        return block.kind == .loop ? parameters(block.type) : results(block.type)
    }

    /// Moves the top label values to where the block at `depth` expects them.
    private mutating func emitBranchMoves(_ target: Block) {
        let arity = labelTypes(target).count
        let first = stack.count - arity
        for i in 0..<arity {
            emitMove(stack[first + i], to: stack[target.height + i].slot)
        }
    }

    private func needsBranchMoves(_ target: Block) -> Bool {
        let arity = labelTypes(target).count
        let first = stack.count - arity
        if first != target.height { return true }
        return stack[first...].contains { $0.kind != .temp }
    }

    /// Emits a jump to the block at `depth` (values already moved).
    private mutating func emitJump(toDepth depth: Int) {
        let index = blocks.count - 1 - depth
        if blocks[index].kind == .function {
            emitReturn()
            return
        }
        emit(.br)
        if blocks[index].kind == .loop {
            word(UInt32(blocks[index].loopStart))
        } else {
            blocks[index].pendingBranches.append(code.count)
            blocks[index].endReachable = true
            word(0)
        }
    }

    /// Records that word `position` must hold the address of the block at `depth`.
    private mutating func addTarget(_ position: Int, depth: Int) {
        let index = blocks.count - 1 - depth
        if blocks[index].kind == .loop {
            code[position] = UInt32(blocks[index].loopStart)
        } else {
            blocks[index].pendingBranches.append(position)
            blocks[index].endReachable = true
        }
    }

    /// Moves the results to slots 0... and returns. Leaves the abstract stack as it is: a
    /// conditional branch may return on one path only.
    private mutating func emitReturn() {
        let count = resultTypes.count
        let first = stack.count - count
        // Locals first go to their natural slots: the result slots may be theirs.
        var sources: [UInt32?] = []
        for entry in stack[first...] {
            switch entry.kind {
            case .temp:
                sources.append(entry.slot)
            case .local(let slot):
                emitCopy(entry.slot, slot, entry.type)
                sources.append(entry.slot)
            case .const:
                sources.append(nil)
            }
        }
        // Each result slot lies at or below its value's natural slot, so copying in order
        // never overwrites a value not yet copied.
        var destination: UInt32 = 0
        for (i, entry) in stack[first...].enumerated() {
            if let source = sources[i] {
                emitCopy(destination, source, entry.type)
            } else {
                emitMove(entry, to: destination)
            }
            destination += width(entry.type)
        }
        emit(.return)
    }

    private mutating func openBlock(_ kind: FunctionValidator.FrameKind, _ type: BlockType) {
        let height = stack.count - parameters(type).count
        var block = Block(kind: kind, type: type, height: height)
        block.loopStart = code.count
        block.innerHandler = currentHandler
        blocks.append(block)
        lastResult = nil
    }

    // MARK: Instructions

    /// Translates `instruction` (already validated), found at byte `offset` of the module.
    mutating func translate(_ instruction: Instruction, at offset: Int, immediates: Immediates) {
        self.offset = offset
        defer {
            // Code after a run's end (reachable again) starts the next run.
            if instrumentation.fuel && reachable && fuelRun == nil && !blocks.isEmpty { startFuelRun() }
        }
        if !reachable {
            translateUnreachable(instruction)
            return
        }
        if instrumentation.fuel {
            pendingFuel += Fuel.cost(instruction)
            if Fuel.endsRun(instruction) { endFuelRun() }
        }
        switch instruction {
        case .unreachable:
            emit(.unreachable)
            reachable = false
        case .nop:
            break
        case .block(let type):
            materializeAll()
            openBlock(.block, type)
        case .loop(let type):
            materializeAll()
            openBlock(.loop, type)
            emitInterruptionChecks()
        case .if(let type):
            let condition = popCondition()
            materializeAll()
            emitConditionalBranch(condition, whenTrue: false)
            openBlock(.if, type)
            blocks[blocks.count - 1].elsePatch = code.count
            word(0)
        case .else:
            var block = blocks.removeLast()
            materializeResults(block)
            emit(.br)
            block.pendingBranches.append(code.count)
            block.endReachable = true
            word(0)
            enterElseArm(&block)
        case .end:
            endBlock(fallsThrough: true)
        case .br(let depth):
            let target = blocks[blocks.count - 1 - Int(depth)]
            if target.kind == .function {
                emitReturn()
            } else {
                emitBranchMoves(target)
                emitJump(toDepth: Int(depth))
            }
            reachable = false
        case .brIf(let depth):
            emitBranch(if: popCondition(), depth: depth)
        case .brOnNull(let depth):
            // The reference leaves the stack for the branch (which drops it) and comes back,
            // non-null, on the fall-through path.
            var reference = stack.removeLast()
            let condition = Condition.isNull(slot(of: reference))
            emitBranch(if: condition, depth: depth)
            if case .ref(var type) = reference.type { type.nullable = false; reference.type = .ref(type) }
            stack.append(reference)
            lastResult = nil
        case .brOnNonNull(let depth):
            // The reference goes with the branch; the fall-through path drops it.
            let condition = Condition.isNotNull(slot(of: stack[stack.count - 1]))
            emitBranch(if: condition, depth: depth)
            stack.removeLast()
            lastResult = nil
        case .brTable(let table):
            let index = popSlot()
            let depths = immediates.brTableTargets(table) + [table.defaultDepth]
            emit(.brTable); word(index); word(UInt32(table.count))
            let firstTarget = code.count
            for _ in depths { word(0) }
            var stubs: [(position: Int, depth: Int)] = []
            for (i, depth) in depths.enumerated() {
                let target = blocks[blocks.count - 1 - Int(depth)]
                if target.kind != .function && !needsBranchMoves(target) {
                    addTarget(firstTarget + i, depth: Int(depth))
                } else {
                    stubs.append((firstTarget + i, Int(depth)))
                }
            }
            for stub in stubs {
                code[stub.position] = UInt32(code.count)
                let target = blocks[blocks.count - 1 - stub.depth]
                if target.kind == .function {
                    emitReturn()
                } else {
                    emitBranchMoves(target)
                    emitJump(toDepth: stub.depth)
                }
            }
            reachable = false
        case .return:
            emitReturn()
            reachable = false
        case .call(let function):
            let type = module.functionType(of: Int(function))
            let argumentBase = prepareCall(parameterCount: type.params.count)
            emit(Int(function) < module.importedFunctionCount ? .callImport : .call)
            word(function); word(argumentBase)
            recordSafepoint()
            for result in type.results { push(.temp, result) }
            lastResult = nil
        case .callIndirect(let typeIndex, let tableIndex):
            let type = module.types[Int(typeIndex)]
            let index = popSlot()
            let argumentBase = prepareCall(parameterCount: type.params.count)
            emit(.callIndirect); word(typeIndex); word(tableWord(tableIndex)); word(index); word(argumentBase)
            recordSafepoint()
            for result in type.results { push(.temp, result) }
            lastResult = nil

        case .returnCall(let function):
            let type = module.functionType(of: Int(function))
            let argumentBase = prepareCall(parameterCount: type.params.count)
            emit(Int(function) < module.importedFunctionCount ? .returnCallImport : .returnCall)
            word(function); word(argumentBase); word(slotCount(type.params))
            emitTailCallReturn(type)
        case .callRef(let typeIndex):
            let type = module.types[Int(typeIndex)]
            let reference = popSlot()
            let argumentBase = prepareCall(parameterCount: type.params.count)
            emit(.callRef); word(reference); word(argumentBase)
            recordSafepoint()
            for result in type.results { push(.temp, result) }
            lastResult = nil
        case .returnCallRef(let typeIndex):
            let type = module.types[Int(typeIndex)]
            let reference = popSlot()
            let argumentBase = prepareCall(parameterCount: type.params.count)
            emit(.returnCallRef); word(reference); word(argumentBase); word(slotCount(type.params))
            emitTailCallReturn(type)
        case .returnCallIndirect(let typeIndex, let tableIndex):
            let type = module.types[Int(typeIndex)]
            let index = popSlot()
            let argumentBase = prepareCall(parameterCount: type.params.count)
            emit(.returnCallIndirect); word(typeIndex); word(tableWord(tableIndex)); word(index); word(argumentBase)
            word(slotCount(type.params))
            emitTailCallReturn(type)

        case .throw(let tag):
            let type = module.types[Int(module.tags[Int(tag)])]
            let base = prepareCall(parameterCount: type.params.count)
            emit(.throw); word(tag); word(base)
            reachable = false
        case .throwRef:
            let exception = popSlot()
            emit(.throwRef); word(exception)
            reachable = false
        case .tryTable(let type, let catches):
            translateTryTable(type, immediates.catchClauses(catches))
        case .try(let type):
            translateTry(type)
        case .catch(let tag):
            translateCatchArm(tag: tag)
        case .catchAll:
            translateCatchArm(tag: nil)
        case .delegate(let depth):
            translateDelegate(depth)
        case .rethrow(let depth):
            let target = blocks[blocks.count - 1 - Int(depth)]
            emit(.throwRef); word(stack[target.height].slot)
            reachable = false

        case .drop:
            stack.removeLast()
        case .select, .typedSelect:
            let condition = popSlot()
            let b = popSlot()
            let a = stack.removeLast()
            let aSlot = slot(of: a)
            emit(a.type == .v128 ? .select128 : .select)
            let patch = code.count
            word(a.slot); word(aSlot); word(b); word(condition)
            pushResult(a.type, patch: patch)

        case .localGet(let index):
            push(.local(localSlots[Int(index)]), localTypes[Int(index)])
        case .localSet(let index):
            setLocal(Int(index))
        case .localTee(let index):
            let type = stack[stack.count - 1].type
            setLocal(Int(index))
            push(.local(localSlots[Int(index)]), type)
        case .globalGet(let index):
            let type = module.globals[Int(index)].valueType
            emit(type == .v128 ? .globalGet128 : type.isCountedReference ? .globalGetExtern : .globalGet)
            let patch = code.count
            word(nextSlot); word(index)
            if type.isCountedReference { recordSafepoint() }
            pushResult(type, patch: patch)
        case .globalSet(let index):
            let entry = stack.removeLast()
            let source = slot(of: entry)
            let op: Op = entry.type == .v128 ? .globalSet128 : entry.type.isCountedReference ? .globalSetExtern : .globalSet
            emit(op); word(index); word(source)

        case .tableGet(let table):
            let index = popSlot()
            let type = module.tables[Int(table)].elementType
            emit(type.isCountedReference ? .tableGetExtern : .tableGet)
            let patch = code.count
            word(nextSlot); word(tableWord(table)); word(index)
            if type.isCountedReference { recordSafepoint() }
            pushResult(type, patch: patch)
        case .tableSet(let table):
            let value = popSlot()
            let index = popSlot()
            emit(module.tables[Int(table)].elementType.isCountedReference ? .tableSetExtern : .tableSet)
            word(tableWord(table)); word(index); word(value)
        case .tableInit(let segment, let table):
            let n = popSlot(), s = popSlot(), d = popSlot()
            emit(.tableInit); word(tableWord(table)); word(segment); word(d); word(s); word(n)
        case .elemDrop(let segment):
            emit(.elemDrop); word(segment)
        case .tableCopy(let destination, let source):
            let n = popSlot(), s = popSlot(), d = popSlot()
            emit(.tableCopy); word(tableWord(destination)); word(tableWord(source)); word(d); word(s); word(n)
        case .tableGrow(let table):
            let delta = popSlot()
            let initial = popSlot()
            emit(.tableGrow)
            let patch = code.count
            word(nextSlot); word(tableWord(table)); word(initial); word(delta)
            pushResult(module.tables[Int(table)].indexType, patch: patch)
        case .tableSize(let table):
            emit(.tableSize)
            let patch = code.count
            word(nextSlot); word(tableWord(table))
            pushResult(module.tables[Int(table)].indexType, patch: patch)
        case .tableFill(let table):
            let n = popSlot(), value = popSlot(), d = popSlot()
            emit(.tableFill); word(tableWord(table)); word(d); word(value); word(n)

        case .load(let op, let memArg) where isPlain(memArg):
            let address = popSlot()
            emit(Op(load: op))
            let patch = code.count
            word(nextSlot); word(address); word(UInt32(memArg.offset))
            pushResult(op.resultType, patch: patch)
        case .load(let op, let memArg):
            let address = popSlot()
            emit(.memoryLoad); word(UInt32(op.rawValue))
            let patch = code.count
            word(nextSlot); word(address); memoryOperand(memArg)
            pushResult(op.resultType, patch: patch)
        case .store(let op, let memArg) where isPlain(memArg):
            let value = popSlot()
            let address = popSlot()
            emit(Op(store: op)); word(address); word(value); word(UInt32(memArg.offset))
        case .store(let op, let memArg):
            let value = popSlot()
            let address = popSlot()
            emit(.memoryStore); word(UInt32(op.rawValue)); word(address); word(value); memoryOperand(memArg)
        case .memorySize(let memory):
            emit(.memorySize)
            let patch = code.count
            word(nextSlot); word(memoryWord(memory))
            pushResult(module.memories[Int(memory)].addressType, patch: patch)
        case .memoryGrow(let memory):
            let delta = popSlot()
            emit(.memoryGrow)
            let patch = code.count
            word(nextSlot); word(delta); word(memoryWord(memory))
            pushResult(module.memories[Int(memory)].addressType, patch: patch)
        case .memoryInit(let segment, let memory):
            let n = popSlot(), s = popSlot(), d = popSlot()
            emit(.memoryInit); word(segment); word(d); word(s); word(n); word(memoryWord(memory))
        case .dataDrop(let segment):
            emit(.dataDrop); word(segment)
        case .memoryCopy(let destination, let source):
            let n = popSlot(), s = popSlot(), d = popSlot()
            emit(.memoryCopy); word(d); word(s); word(n); word(memoryWord(destination)); word(memoryWord(source))
        case .memoryFill(let memory):
            let n = popSlot(), value = popSlot(), d = popSlot()
            emit(.memoryFill); word(d); word(value); word(n); word(memoryWord(memory))

        case .i32Const(let v):
            push(.const(UInt64(UInt32(bitPattern: v)), 0), .i32)
        case .i64Const(let v):
            push(.const(UInt64(bitPattern: v), 0), .i64)
        case .f32Const(let bits):
            push(.const(UInt64(bits), 0), .f32)
        case .f64Const(let bits):
            push(.const(bits, 0), .f64)
        case .numeric(let op):
            translateNumeric(op)

        case .refNull(let heapType):
            push(.const(0, 0), .ref(RefType(nullable: true, heapType)))
        case .refAsNonNull:
            let entry = stack[stack.count - 1]
            emit(.refAsNonNull); word(slot(of: entry))
            if case .ref(var type) = entry.type {
                type.nullable = false
                stack[stack.count - 1].type = .ref(type)
            }
        case .refIsNull:
            let value = popSlot()
            emit(.refIsNull)
            let patch = code.count
            word(nextSlot); word(value)
            pushResult(.i32, patch: patch)
        case .refFunc(let function):
            emit(.refFunc)
            let patch = code.count
            word(nextSlot); word(function)
            pushResult(module.features.contains(.functionReferences)
                       ? .ref(RefType(nullable: false, .concrete(module.functionTypes[Int(function)]))) : .funcRef, patch: patch)

        case .v128Const(let value):
            push(.const(value.lo, value.hi), .v128)
        case .v128Load(let op, let memArg):
            let address = popSlot()
            emit(.v128Load); word(UInt32(op.rawValue))
            let patch = code.count
            word(nextSlot); word(address); memoryOperand(memArg)
            pushResult(.v128, patch: patch)
        case .v128Store(let memArg):
            let value = popSlot()
            let address = popSlot()
            emit(.v128Store); word(address); word(value); memoryOperand(memArg)
        case .v128LoadLane(let op, let memArg, let lane):
            let vector = popSlot()
            let address = popSlot()
            emit(.v128LoadLane); word(UInt32(op.rawValue))
            let patch = code.count
            word(nextSlot); word(address); word(vector); memoryOperand(memArg); word(UInt32(lane))
            pushResult(.v128, patch: patch)
        case .v128StoreLane(let op, let memArg, let lane):
            let vector = popSlot()
            let address = popSlot()
            emit(.v128StoreLane); word(UInt32(op.rawValue)); word(address); word(vector)
            memoryOperand(memArg); word(UInt32(lane))
        case .i8x16Shuffle(let lanes):
            let b = popSlot()
            let a = popSlot()
            emit(.shuffle)
            let patch = code.count
            word(nextSlot); word(a); word(b)
            word(UInt32(truncatingIfNeeded: lanes.lo)); word(UInt32(truncatingIfNeeded: lanes.lo >> 32))
            word(UInt32(truncatingIfNeeded: lanes.hi)); word(UInt32(truncatingIfNeeded: lanes.hi >> 32))
            pushResult(.v128, patch: patch)
        case .extractLane(let op, let lane):
            let vector = popSlot()
            emit(.extractLane); word(UInt32(op.rawValue))
            let patch = code.count
            word(nextSlot); word(vector); word(UInt32(lane))
            pushResult(op.scalarType, patch: patch)
        case .replaceLane(let op, let lane):
            let scalar = popSlot()
            let vector = popSlot()
            emit(.replaceLane); word(UInt32(op.rawValue))
            let patch = code.count
            word(nextSlot); word(vector); word(scalar); word(UInt32(lane))
            pushResult(.v128, patch: patch)
        case .simd(let op):
            translateSIMD(op)
        }
    }

    private mutating func translateNumeric(_ op: NumericOp) {
        let signature = op.signature
        if signature.operands.1 != nil {
            let bEntry = stack[stack.count - 1]
            if case .const(let value, _) = bEntry.kind, let immediate = Op.immediate(op) {
                stack.removeLast()
                let a = popSlot()
                emit(immediate.op)
                let patch = code.count
                word(nextSlot); word(a); word(UInt32(truncatingIfNeeded: value))
                if immediate.words == 2 { word(UInt32(truncatingIfNeeded: value >> 32)) }
                pushResult(signature.result, patch: patch)
                return
            }
            if let fused = takeBackLoad(for: op) {
                let a = popSlot()
                // The fused instruction starts where the load did and keeps its entry in
                // `offsets`: only its load can trap.
                lastInstruction = code.count
                code.append(UInt32(fused.op.rawValue))
                let patch = code.count
                word(nextSlot); word(a); word(fused.address); word(fused.offset)
                pushResult(signature.result, patch: patch)
                return
            }
            let b = popSlot()
            let a = popSlot()
            emit(Op(op))
            let patch = code.count
            word(nextSlot); word(a); word(b)
            pushResult(signature.result, patch: patch)
        } else {
            let a = popSlot()
            emit(Op(op))
            let patch = code.count
            word(nextSlot); word(a)
            pushResult(signature.result, patch: patch)
        }
    }

    /// The operation word of a SIMD instruction: the operation in the low 16 bits, the
    /// relaxed SIMD flavor (for the relaxed operations) in the next 8.
    private func simdOpWord(_ op: SIMDOp) -> UInt32 {
        guard op.rawValue >= 0x100 else { return UInt32(op.rawValue) }
        return UInt32(op.rawValue) | UInt32(instrumentation.relaxedSIMD.rawValue) << 16
    }

    private mutating func translateSIMD(_ op: SIMDOp) {
        switch op.shape {
        case .unary, .test, .splat:
            let a = popSlot()
            let result: ValType
            switch op.shape {
            case .test:
                emit(.simdTest)
                result = .i32
            case .splat:
                emit(.simdSplat)
                result = .v128
            default:
                emit(.simdUnary)
                result = .v128
            }
            word(simdOpWord(op))
            let patch = code.count
            word(nextSlot); word(a)
            pushResult(result, patch: patch)
        case .binary, .shift:
            let b = popSlot()
            let a = popSlot()
            emit(op.shape == .shift ? .simdShift : .simdBinary); word(simdOpWord(op))
            let patch = code.count
            word(nextSlot); word(a); word(b)
            pushResult(.v128, patch: patch)
        case .ternary:
            let c = popSlot()
            let b = popSlot()
            let a = popSlot()
            emit(.simdTernary); word(simdOpWord(op))
            let patch = code.count
            word(nextSlot); word(a); word(b); word(c)
            pushResult(.v128, patch: patch)
        }
    }

    /// If the top operand is the result of a plain load emitted just before, and `op` has a
    /// form that loads its second operand itself, takes the load back (popping its result)
    /// and returns the fused opcode with the load's address slot and offset.
    private mutating func takeBackLoad(for op: NumericOp) -> (op: Op, address: SlotRef, offset: UInt32)? {
        guard let last = lastResult, last.entry == stack.count - 1, last.codeCount == code.count,
            stack[stack.count - 1].kind == .temp, last.start == last.patch - 1,
            let load = Op(rawValue: UInt16(truncatingIfNeeded: code[last.start])),
            let fused = Op.memoryOperand(op, load: load)
        else { return nil }
        let start = last.start
        let address = SlotRef(value: code[start + 2], isConstant: constantUses.contains(start + 2))
        let memoryOffset = code[start + 3]
        while let use = constantUses.last, use >= start { constantUses.removeLast() }
        code.removeLast(code.count - start)
        stack.removeLast()
        lastResult = nil
        return (fused, address, memoryOffset)
    }

    /// A branch condition: a slot, or an i32 comparison whose instruction was just emitted
    /// and is taken back, to be fused with the branch.
    private enum Condition {
        case slot(SlotRef)
        case compare(Op, SlotRef, SlotRef)
        /// A reference slot, null or not (all 64 bits tested).
        case isNull(SlotRef)
        case isNotNull(SlotRef)
    }

    /// A conditional branch to the label at `depth`, with the label's values on the stack.
    private mutating func emitBranch(if condition: Condition, depth: UInt32) {
        let target = blocks[blocks.count - 1 - Int(depth)]
        if target.kind != .function && !needsBranchMoves(target) {
            emitConditionalBranch(condition, whenTrue: true)
            word(0)
            addTarget(code.count - 1, depth: Int(depth))
        } else {
            emitConditionalBranch(condition, whenTrue: false)
            let skip = code.count
            word(0)
            if target.kind == .function {
                emitReturn()
            } else {
                emitBranchMoves(target)
                emitJump(toDepth: Int(depth))
            }
            code[skip] = UInt32(code.count)
        }
    }

    private mutating func popCondition() -> Condition {
        if let last = lastResult, last.entry == stack.count - 1, last.codeCount == code.count,
            stack[stack.count - 1].kind == .temp, last.start == last.patch - 1,
            let compare = Op(rawValue: UInt16(truncatingIfNeeded: code[last.start])),
            Op.branch(on: compare, inverted: false) != nil
        {
            let start = last.start
            let a = SlotRef(value: code[start + 2], isConstant: constantUses.contains(start + 2))
            // An immediate form's constant is never listed in `constantUses`.
            let b = SlotRef(value: code[start + 3], isConstant: constantUses.contains(start + 3))
            while let use = constantUses.last, use >= start { constantUses.removeLast() }
            code.removeLast(code.count - start)
            stack.removeLast()
            lastResult = nil
            return .compare(compare, a, b)
        }
        return .slot(popSlot())
    }

    /// Emits a conditional branch (jumping when the condition is `whenTrue`) up to its target
    /// word, which the caller writes next.
    private mutating func emitConditionalBranch(_ condition: Condition, whenTrue: Bool) {
        switch condition {
        case .slot(let slot):
            emit(whenTrue ? .brIf : .brIfNot); word(slot)
        case .compare(let compare, let a, let b):
            emit(Op.branch(on: compare, inverted: !whenTrue)!); word(a); word(b)
        case .isNull(let slot):
            emit(whenTrue ? .brIfNull : .brIfNotNull); word(slot)
        case .isNotNull(let slot):
            emit(whenTrue ? .brIfNotNull : .brIfNull); word(slot)
        }
    }

    /// Materializes the arguments of a call and returns the slot of the first.
    private func slotCount(_ types: [ValType]) -> UInt32 {
        types.reduce(0) { $0 + width($1) }
    }

    /// After a tail call: the `return` a callee run outside the interpreter loop comes back
    /// to, its results already in slot 0. The safepoint there sees only the arguments, which
    /// have replaced the caller's locals.
    private mutating func emitTailCallReturn(_ type: FuncType) {
        var slots: [Int] = []
        var slot = 0
        for param in type.params {
            if param.isCountedReference { slots.append(slot) }
            slot += Int(width(param))
        }
        stackMaps.append(position: code.count, slots: slots)
        emit(.return)
        reachable = false
    }

    private mutating func prepareCall(parameterCount: Int) -> UInt32 {
        let first = stack.count - parameterCount
        for i in first..<stack.count { materialize(i) }
        let base = parameterCount > 0 ? stack[first].slot : nextSlot
        stack.removeLast(parameterCount)
        return base
    }

    private mutating func setLocal(_ index: Int) {
        let target = localSlots[index]
        let top = stack.count - 1
        var readers = false
        for i in 0..<top where stack[i].kind == .local(target) { readers = true }
        if readers {
            for i in 0..<top where stack[i].kind == .local(target) { materialize(i) }
        }
        let entry = stack.removeLast()
        if !readers, let last = lastResult, last.entry == top, last.codeCount == code.count, entry.kind == .temp {
            code[last.patch] = target
        } else if entry.kind != .local(target) {
            emitMove(entry, to: target)
        }
        lastResult = nil
    }

    /// Starts an `if`'s else arm: the condition's branch lands here, with the parameters in
    /// their natural slots.
    private mutating func enterElseArm(_ block: inout Block) {
        if let patch = block.elsePatch { code[patch] = UInt32(code.count) }
        block.elsePatch = nil
        block.kind = .else
        resetStack(to: block.height, parameters(block.type))
        blocks.append(block)
        lastResult = nil
    }

    private mutating func materializeResults(_ block: Block) {
        guard reachable else { return }
        let count = results(block.type).count
        for i in (stack.count - count)..<stack.count { materialize(i) }
    }

    private mutating func resetStack(to height: Int, _ types: [ValType]) {
        stack.removeLast(stack.count - height)
        for type in types { push(.temp, type) }
        reachable = true
    }

    private mutating func endBlock(fallsThrough: Bool) {
        var block = blocks.removeLast()
        lastResult = nil
        if let handler = block.handler {
            if block.kind == .try || block.kind == .tryTable {
                handlers[handler].end = UInt32(code.count)
                currentHandler = handlers[handler].next
            }
            if reachable { finishArmResults(block) }
        }
        if block.kind == .function {
            if reachable { emitReturn() }
            reachable = false
            return
        }
        if reachable {
            materializeResults(block)
            block.endReachable = true
        }
        if let patch = block.elsePatch {
            code[patch] = UInt32(code.count)
            block.endReachable = true
        }
        for position in block.pendingBranches { code[position] = UInt32(code.count) }
        stack.removeLast(stack.count - block.height)
        for type in results(block.type) { push(.temp, type) }
        reachable = block.endReachable
    }

    /// A `try_table`: landing pads, jumped over, then the body as a block whose range the
    /// handler covers. Each pad finds the exception's values in slots from where the
    /// try_table's parameters were and branches with them to its clause's label.
    private mutating func translateTryTable(_ type: BlockType, _ catches: [CatchClause]) {
        // The pads see the operands below the try_table as they are now: none may stay a
        // lazy read of a local the body could change.
        materializeAll()
        emit(.br)
        let over = code.count
        word(0)
        let saved = stack
        let base = stack.count - parameters(type).count
        var clauses: [ExceptionHandler.Clause] = []
        for clause in catches {
            stack = Array(saved[..<base])
            reachable = true
            let landing = UInt32(code.count)
            if clause.kind == .catch || clause.kind == .catchRef {
                for param in module.types[Int(module.tags[Int(clause.tag)])].params { push(.temp, param) }
            }
            if clause.kind == .catchRef || clause.kind == .catchAllRef { push(.temp, .ref(RefType(nullable: false, .exn))) }
            let valuesBase = stack.count > base ? stack[base].slot : nextSlot
            let exceptionSlot = clause.kind == .catchRef || clause.kind == .catchAllRef
                ? stack[stack.count - 1].slot : ExceptionHandler.noSlot
            let target = blocks[blocks.count - 1 - Int(clause.label)]
            if target.kind == .function {
                emitReturn()
            } else {
                emitBranchMoves(target)
                emitJump(toDepth: Int(clause.label))
            }
            clauses.append(ExceptionHandler.Clause(kind: clause.kind, tag: clause.tag, landing: landing, base: valuesBase,
                                                   exceptionSlot: exceptionSlot))
        }
        stack = saved
        reachable = true
        lastResult = nil
        code[over] = UInt32(code.count)
        openBlock(.tryTable, type)
        handlers.append(ExceptionHandler(start: UInt32(code.count), end: UInt32(code.count), clauses: clauses, next: currentHandler))
        currentHandler = handlers.count - 1
        blocks[blocks.count - 1].handler = currentHandler
        blocks[blocks.count - 1].innerHandler = currentHandler
    }

    /// Legacy `try`: a block whose body a handler covers; its arms add the clauses.
    private mutating func translateTry(_ type: BlockType) {
        materializeAll()
        openBlock(.try, type)
        handlers.append(ExceptionHandler(start: UInt32(code.count), end: UInt32(code.count), clauses: [], next: currentHandler))
        currentHandler = handlers.count - 1
        blocks[blocks.count - 1].handler = currentHandler
        blocks[blocks.count - 1].innerHandler = currentHandler
    }

    /// A legacy `catch` (with a tag) or `catch_all` arm: ends the try body or the previous
    /// arm (which jumps to the end), and adds the clause whose landing pad is the arm. The
    /// arm's stack holds the exception (hidden, for `rethrow`), then the tag's values.
    private mutating func translateCatchArm(tag: UInt32?) {
        var block = blocks.removeLast()
        if reachable {
            finishArmResults(block)
            emit(.br)
            block.pendingBranches.append(code.count)
            block.endReachable = true
            word(0)
        }
        let handler = block.handler!
        if block.kind == .try {
            // Exceptions in the arms go to the handlers around the try.
            handlers[handler].end = UInt32(code.count)
            currentHandler = handlers[handler].next
            block.innerHandler = currentHandler
        }
        block.kind = tag == nil ? .catchAll : .catch
        stack.removeLast(stack.count - block.height)
        reachable = true
        lastResult = nil
        push(.temp, .ref(RefType(nullable: false, .exn)))
        let exceptionSlot = stack[stack.count - 1].slot
        if let tag {
            for param in module.types[Int(module.tags[Int(tag)])].params { push(.temp, param) }
        }
        block.holdsException = true
        handlers[handler].clauses.append(ExceptionHandler.Clause(
            kind: tag == nil ? .catchAll : .catch, tag: tag ?? 0, landing: UInt32(code.count),
            base: exceptionSlot + 1, exceptionSlot: exceptionSlot))
        blocks.append(block)
    }

    /// Ends a legacy catch arm's results where the block's results go: one slot down, over
    /// the exception the arm held.
    private mutating func finishArmResults(_ block: Block) {
        materializeResults(block)
        guard block.holdsException else { return }
        let count = results(block.type).count
        var destination = stack[block.height].slot
        for entry in stack[(stack.count - count)...] {
            emitCopy(destination, entry.slot, entry.type)
            destination += width(entry.type)
        }
        // The results now sit at the block's height: drop the exception below them.
        let moved = Array(stack[(stack.count - count)...])
        stack.removeLast(stack.count - block.height)
        for entry in moved { push(.temp, entry.type) }
    }

    /// Legacy `delegate`: ends the try, handing its body's exceptions to the handler of
    /// the label (counted from outside the try).
    private mutating func translateDelegate(_ depth: UInt32) {
        let handler = blocks[blocks.count - 1].handler!
        let target = blocks[blocks.count - 2 - Int(depth)]
        endBlock(fallsThrough: true)
        handlers[handler].next = target.kind == .function ? -1 : target.innerHandler
    }

    /// In unreachable code only the block structure matters.
    private mutating func translateUnreachable(_ instruction: Instruction) {
        switch instruction {
        case .block(let type), .loop(let type), .if(let type), .tryTable(let type, _), .try(let type):
            var block = Block(kind: .block, type: type, height: stack.count)
            block.isDead = true
            blocks.append(block)
        case .else:
            var block = blocks.removeLast()
            if block.isDead {
                blocks.append(block)
                return
            }
            // The then-arm ended unreachable; the else-arm is reached by the condition.
            enterElseArm(&block)
        case .end:
            if blocks[blocks.count - 1].isDead {
                blocks.removeLast()
            } else {
                endBlock(fallsThrough: false)
            }
        case .catch(let tag):
            // A live try's arms are reached by exceptions, whatever came before them.
            if !blocks[blocks.count - 1].isDead { translateCatchArm(tag: tag) }
        case .catchAll:
            if !blocks[blocks.count - 1].isDead { translateCatchArm(tag: nil) }
        case .delegate(let depth):
            if blocks[blocks.count - 1].isDead {
                blocks.removeLast()
            } else {
                translateDelegate(depth)
            }
        default:
            break
        }
    }
}

extension Op {
    init(load op: LoadOp) {
        self = Op(rawValue: Op.i32Load.rawValue + UInt16(op.rawValue - LoadOp.i32Load.rawValue))!
    }

    init(store op: StoreOp) {
        self = Op(rawValue: Op.i32Store.rawValue + UInt16(op.rawValue - StoreOp.i32Store.rawValue))!
    }
}
