import CKilnShims

/// Compiles validated function bodies to machine code in one forward pass, in lock step
/// with the validator (as a `FunctionCompiler`).
///
/// The abstract value stack (as in V8's Liftoff and wasmtime's Winch) keeps each operand
/// where it happens to be: a constant, a local not yet read, a register, the condition
/// flags of a just-emitted comparison, or its spill slot. Registers are allocated on demand
/// and spilled when they run out. Control-flow merges use a canonical state: at block and
/// loop entries, branches and block ends every operand is in its spill slot (locals always
/// live in their frame slots), so merges need no reconciliation. Calls spill the
/// registers, so every live value is in the frame across a call.
///
/// Frame slots, as offsets from the frame pointer (`FrameSlots`):
/// ```text
///   -24                     the caller's results-area pointer (functions with 2+ results)
///   -32 - 8*i               local i (parameters first)
///   -32 - 8*L - 8*j         operand-stack spill slot j
///   rsp + 8*k               outgoing stack arguments, then a callee's results area
/// ```
/// A function that may touch v128 values has 16-byte slots instead, 16-byte aligned:
/// local i at `-48 - 16*i`, operand j at `-48 - 16*L - 16*j`.
struct CodeGenerator<M: MacroAssembler>: FunctionCompiler {
    static var translates: Bool { true }

    // MARK: State shared by all functions of the module

    let module: ModuleInfo
    let layout: VMContextLayout
    let explicitBounds: Bool
    var masm: M
    /// The defined function (imports not counted) this generator compiles first: a generator
    /// compiles a contiguous run of the module's functions (see `ModuleCompiler`), and every
    /// code offset it records is an offset into its own code.
    let firstFunction: Int
    /// Per defined function of the module: whether its body may hold a tail call (a superset,
    /// see `ModuleCompiler.mayTailCall`). Direct calls of the others need no stack-pointer
    /// reset.
    let mayTailCall: [Bool]
    /// Per defined function: whether it may access memory 0 through the pinned base
    /// register (`BodyScan`).
    let mayUseMemory: [Bool]
    /// Per defined function: whether it may use the VMContext or call anything
    /// (`BodyScan`); the others may get a lean frame (`leanFrame`).
    let mayUseVMContext: [Bool]
    /// Code offsets where each function compiled here starts and ends.
    var functionRanges: [Range<Int>] = []
    /// Code offsets of memory accesses (which may fault on the guard region) and calls (for
    /// backtraces), with the wasm offsets of their instructions, in code order.
    var memoryAccesses: [(code: Int, wasm: Int)] = []
    /// Per function compiled here: its safepoints (calls, and builtins that may collect).
    var stackMaps: [StackMaps] = []
    /// The defined functions compiled here that contain a tail call: only their calls may
    /// return with the stack pointer moved (see `CodeGenerator+TailCalls.swift`).
    var tailCallers = Set<Int>()
    /// Stack-pointer resets after direct calls of functions that may have a tail call,
    /// removed when the module is linked if the callee has none.
    var pendingResets: [(callee: Int, position: Int)] = []
    /// The current function's externref locals (in every stack map).
    var externRefLocals: [Int] = []
    /// Per function compiled here: its exception handlers.
    var handlerTables: [CompiledHandlers] = []
    /// The current function's exception handlers (see `CodeGenerator+Exceptions.swift`).
    var handlers = CompiledHandlers()
    /// The innermost handler around the current instruction, or -1.
    var currentHandler = -1
    /// The current function's `try_table` landing pads, emitted after its body.
    var landingPads: [LandingPad] = []

    // MARK: Per function

    enum Location: Equatable {
        case const(UInt64)
        case local(Int)
        case reg(Reg)
        case flags(IntCondition)
        case spilled
        /// An instruction folded into the next one, which consumes it (only on top of the
        /// stack; see `CodeGenerator+Folding.swift`).
        case folded
    }

    struct Value {
        var type: ValType
        var location: Location
    }

    /// A control frame. Plain data (its types and register states are kept elsewhere), so the
    /// copies that reading `blocks` makes cost no reference counting.
    struct Block: BitwiseCopyable {
        var kind: FunctionValidator.FrameKind
        /// Its type (see `parameters(of:)` and `results(of:)`).
        var type: BlockType
        var parameterCount: Int
        var resultCount: Int
        /// Stack index where the block's parameters start.
        var height: Int
        /// Branch target: the end (block, if) or the head (loop).
        var label: M.Label
        var elseLabel: M.Label?
        var endReachable = false
        var isDead = false
        /// For loops: the locals cached in registers at the head, which every back edge
        /// must put back in the same registers (their frame slots may be stale).
        var loopLocals = LocalsInRegisters.empty
        /// A `block`'s end keeps locals in registers: those cached on the first edge that
        /// reaches it (a branch, or the fallthrough), in the registers they were in; nil until
        /// then. Later edges conform to them, as back edges do to a loop head. An `if` is a
        /// block (of kind `.block`, with `elseLabel`) whose first edge is the branch around
        /// its then arm. (The ends of exception blocks keep none.)
        var mergeLocals: LocalsInRegisters?
        /// The registers of the merge locals dirty on some edge (dirty after the end).
        var mergeDirty = RegisterSet()
        /// A `try_table`'s or legacy `try`'s handler (an index into `handlers.handlers`).
        var handler: Int?
        /// The handler in effect inside the block (for a `delegate` naming it), or -1.
        var innerHandler = -1
        /// A legacy catch arm: its exception is the operand at `height`, below its values.
        var holdsException = false

        /// How many values a branch to the block carries.
        var labelArity: Int { kind == .loop ? parameterCount : resultCount }
    }

    // The helpers that read the generator without changing it are inlined: a call to a
    // non-mutating method from a mutating one copies the whole generator (840 bytes) first.

    /// Whether the `select` about to be translated chooses between f32 or f64 operands.
    @inline(__always)
    var selectsFloat: Bool {
        stack.count >= 3 && (stack[stack.count - 2].type == .f32 || stack[stack.count - 2].type == .f64)
    }

    /// A block's parameter types.
    @inline(__always)
    func parameters(of block: Block) -> [ValType] {
        switch block.type {
        case .empty, .value: return []
        case .typeIndex(let i): return module.types[Int(i)].params
        }
    }

    /// A block's result types (the function's for its body).
    @inline(__always)
    func results(of block: Block) -> [ValType] {
        if block.kind == .function { return functionType.results }
        switch block.type {
        case .empty: return []
        case .value(let type): return [type]
        case .typeIndex(let i): return module.types[Int(i)].results
        }
    }

    /// The types of the values a branch to the block carries.
    @inline(__always)
    func labelTypes(of block: Block) -> [ValType] {
        block.kind == .loop ? parameters(of: block) : results(of: block)
    }

    /// The out-of-line path of a fuel or epoch check (see `emitInterruptionChecks`).
    struct InterruptStub {
        var label: M.Label
        var resume: M.Label
        var builtin: UInt
        var loopLocals: LocalsInRegisters
        var slots: [Int]
        var wasmOffset: Int
    }
    var interruptStubs: [InterruptStub] = []

    /// Where the current function's stack-limit check is, and whether the function calls
    /// anything (wasm, host or runtime code): a leaf with a small frame skips the check
    /// (see `leafFrameLimit`).
    var stackCheck = 0..<0
    var makesCalls = false
    /// Whether the current function has a lean frame (see `LeanFrames.swift`).
    var leanFrame = false

    /// The largest frame a leaf may have without checking the stack limit.
    ///
    /// Why this is safe: the limit is at least 64 KiB above the lowest address of the
    /// thread's (or fiber's) stack (`kiln_jit_enter`), and every wasm function that calls
    /// checked it on entry, with its outgoing argument area inside its frame. A leaf's
    /// frame (return address, saved registers and this many bytes) is therefore at most
    /// `leafFrameLimit + 32` bytes below the limit, and the only code that runs below it is
    /// a trap stub's call into `kiln_trap`, a few hundred bytes of C: together far inside
    /// the 64 KiB. Signal handlers run on their own stack. `RegisterStateTests` checks that
    /// a recursion calling leaves with frames of this size near the limit traps cleanly.
    static var leafFrameLimit: Int32 { 4096 }

    /// A conditional branch out of a block taken through code of its own at the function's
    /// end, which stores the dirty cached locals and jumps on: the path that stays pays
    /// nothing for them.
    struct BranchStub {
        var label: M.Label
        var target: M.Label
        var stores: [(type: ValType, slot: Int32, reg: Reg)]
    }
    var branchStubs: [BranchStub] = []

    /// The locals each loop of the current function uses, by the offset of its body (see
    /// `loopLocalUses`).
    var loopUses: [Int: [LoopLocalUse]] = [:]
    /// Scratch counts of the loop pre-scan, by local: all zero between scans.
    var loopScanUses: [UInt32] = []

    struct TrapStub {
        var label: M.Label
        /// The trap, or nil when a builtin's second result register holds it.
        var code: JITTrap?
        var wasmOffset: Int
        /// A register whose value the trap message includes.
        var detail: Reg? = nil
    }

    /// Locals whose current value is in a register (written by local.set/tee and not yet
    /// stored back when `dirty`). Flushed at every control-flow boundary and call, so the
    /// canonical state of merges still has every local in its frame slot.
    struct CachedLocal {
        var reg: Reg
        var dirty: Bool
    }
    /// Per local: its register, if cached.
    var localCache: [CachedLocal?] = []
    /// Per register (as `RegisterSet` bit index): the local it caches, or -1.
    var cacheOwners = [Int](repeating: -1, count: 64)
    /// The registers that cache a local (those with an owner): scans of the cache iterate
    /// this (a copy), not an array of locals.
    var cachedRegisters = RegisterSet()
    /// The locals of the current function's register states (see `LocalsInRegisters`).
    var statePool: [Int32] = []

    @inline(__always)
    func cacheOwner(_ reg: Reg) -> Int? {
        let owner = cacheOwners[RegisterSet.index(reg)]
        return owner >= 0 ? owner : nil
    }

    @inline(__always)
    mutating func setCacheOwner(_ reg: Reg, _ local: Int?) {
        cacheOwners[RegisterSet.index(reg)] = local ?? -1
        if local == nil { cachedRegisters.remove(reg) } else { cachedRegisters.insert(reg) }
    }

    /// The local cached in `reg`, which must be one of `cachedRegisters`.
    @inline(__always)
    func owner(_ reg: Reg) -> Int { cacheOwners[RegisterSet.index(reg)] }

    /// How many locals are cached: most instructions find none and skip the scans.
    @inline(__always)
    var cachedCount: Int { cachedRegisters.count }

    /// The index in `blocks` of the innermost loop, if any (read in place: a copy of a block
    /// would retain and release its arrays).
    var innermostLoop: Int? {
        var i = blocks.count - 1
        while i >= 0 {
            if blocks[i].kind == .loop { return i }
            i -= 1
        }
        return nil
    }

    var functionType = FuncType()
    var localTypes: [ValType] = []
    var stack: [Value] = []
    var blocks: [Block] = []
    var reachable = true
    var freeRegisters = RegisterSet()
    /// Every allocatable register, `registerLimit` or not: what is free after a call.
    let everyAllocatableRegister = RegisterSet(M.allocatableGPRs + M.allocatableFPRs)
    var argumentScratch = ArgumentScratch<M>()
    /// The parallel move of `emitConformance`, its storage kept from merge to merge.
    var conformanceMoves: [(destination: Reg, source: Reg, type: ValType)] = []
    /// Cache registers the current instruction reads as operands: never evicted under it.
    var borrowed = RegisterSet()
    /// The instruction a `.folded` operand stands for, if one is on the stack.
    var folded: FoldedOperand?
    var maxStackDepth = 0
    /// Words needed below rsp for outgoing arguments and results areas.
    var maxOutgoingWords = 0
    var framePatch = 0
    var trapStubs: [TrapStub] = []
    var stackOverflowLabel: M.Label?
    var wasmOffset = 0
    /// The defined function being compiled (imports not counted).
    var currentFunction = 0
    /// Its index among the functions this generator compiles (`functionRanges`, `stackMaps`).
    var compiledIndex = 0
    /// The current function's frame slots (8 or 16 bytes each).
    var frameSlots = FrameSlots(slotBytes: 8)
    /// The first compiler invariant found broken: translation stops and the module's code
    /// is thrown away (see `CompileError`).
    var failure: CompileError?
    /// Whether instructions are translated (not once the function's code is abandoned).
    @inline(__always)
    var translating: Bool { failure == nil }
    /// How many of the ISA's allocatable registers of each class the allocator may use
    /// (all by default; tests lower it to force an allocator invariant failure).
    let registerLimit: Int
    /// The registers the allocator hands out (see `registerLimit`), made once: every
    /// function entry and merge starts from it.
    let allocatableRegisters: RegisterSet

    /// Fuel metering and epoch checks (see `Fuel`).
    let instrumentation: Instrumentation
    /// Fuel cost of the current straight-line run so far, and where its charge is.
    var pendingFuel: Int64 = 0
    var fuelRun: Range<Int>?

    /// Golden code tests: builtins are called at stable placeholder addresses instead of
    /// their real ones (which move from run to run), so the code is the same every time.
    /// Code made so must never run.
    let placeholderAddresses: Bool
    /// The placeholders handed out so far, in order of first use.
    var placeholders: [UInt: UInt] = [:]

    /// The address code calls for the runtime function at `address`.
    mutating func runtimeAddress(_ address: UInt) -> UInt {
        guard placeholderAddresses else { return address }
        if let placeholder = placeholders[address] { return placeholder }
        let placeholder = UInt(0x1000 * (placeholders.count + 1))
        placeholders[address] = placeholder
        return placeholder
    }

    init(module: ModuleInfo, explicitBounds: Bool, instrumentation: Instrumentation = Instrumentation(),
         registerLimit: Int? = nil, placeholderAddresses: Bool = false, cpuFeatures: CPUFeatures = .x86Baseline,
         firstFunction: Int = 0, mayTailCall: [Bool]? = nil, mayUseMemory: [Bool]? = nil, mayUseVMContext: [Bool]? = nil) {
        self.masm = M(cpuFeatures: cpuFeatures)
        self.masm.fixedLengthAddresses = !placeholderAddresses
        self.firstFunction = firstFunction
        self.mayTailCall = mayTailCall ?? Array(repeating: true, count: module.functionBodies.count)
        self.mayUseMemory = mayUseMemory ?? Array(repeating: true, count: module.functionBodies.count)
        self.mayUseVMContext = mayUseVMContext ?? Array(repeating: true, count: module.functionBodies.count)
        self.placeholderAddresses = placeholderAddresses
        self.module = module
        self.layout = VMContextLayout(module)
        self.explicitBounds = explicitBounds
        self.instrumentation = instrumentation
        self.registerLimit = max(1, registerLimit ?? Int.max)
        self.allocatableRegisters = RegisterSet(Array(M.allocatableGPRs.prefix(self.registerLimit))
                                                + Array(M.allocatableFPRs.prefix(self.registerLimit)))
    }

    // MARK: Frame layout

    @inline(__always)
    var localCount: Int { localTypes.count }
    static var resultsPointerSlot: Int32 { -24 }
    @inline(__always)
    func localSlot(_ index: Int) -> Int32 { frameSlots.offset(ofSlot: index) }
    @inline(__always)
    func stackSlot(_ index: Int) -> Int32 { frameSlots.offset(ofSlot: localCount + index) }

    // MARK: Registers

    /// Whether values of `type` live in float registers (v128 too, whole).
    @inline(__always)
    func isFloat(_ type: ValType) -> Bool { type == .f32 || type == .f64 || type == .v128 }


    mutating func allocate(float: Bool) -> Reg {
        if let reg = freeRegisters.first(float: float) {
            freeRegisters.remove(reg)
            return reg
        }
        // Evict a cached local before spilling an operand: one the innermost loop does not
        // keep at its head if there is one (a loop local evicted is reloaded on every back
        // edge), a clean one before a dirty one.
        // The first best in register order: not kept by the loop and clean, then not kept by
        // the loop, then clean, then any.
        let loopState = innermostLoop.map { blocks[$0].loopLocals } ?? .empty
        var ranked: Int?
        var bestRank = Int.max
        for reg in cachedRegisters where reg.isFloat == float && !borrowed.contains(reg) {
            let local = owner(reg)
            let rank = (!loopState.isEmpty && register(of: local, in: loopState) != nil ? 2 : 0)
                + (localCache[local]!.dirty ? 1 : 0)
            if rank < bestRank {
                bestRank = rank
                ranked = local
                if rank == 0 { break }
            }
        }
        if let local = ranked {
            let reg = localCache[local]!.reg
            writeBack(local)
            uncache(local)
            freeRegisters.remove(reg)
            return reg
        }
        // Spill the deepest operand held in a register of this class.
        for i in stack.indices {
            if case .reg(let reg) = stack[i].location, reg.isFloat == float {
                spill(i)
                freeRegisters.remove(reg)
                return reg
            }
        }
        invariantFailed("no \(float ? "float" : "integer") register to allocate")
        return float ? M.scratchFPR : M.scratchGPR
    }

    /// Records a broken compiler invariant (the first one) and stops translation. The
    /// current instruction finishes with whatever state it has; its code is discarded.
    mutating func invariantFailed(_ message: String) {
        guard failure == nil else { return }
        let index = module.importedFunctionCount + currentFunction
        failure = CompileError(functionIndex: index, functionName: module.names.functionNames[UInt32(index)],
                               wasmOffset: wasmOffset, message: message)
    }

    /// Takes `reg` for the caller, spilling the operand that holds it, if any.
    mutating func claim(_ reg: Reg) {
        if freeRegisters.remove(reg) != nil { return }
        if let local = cacheOwner(reg) {
            writeBack(local)
            uncache(local)
            freeRegisters.remove(reg)
            return
        }
        for i in stack.indices where stack[i].location == .reg(reg) {
            spill(i)
            freeRegisters.remove(reg)
            return
        }
        // Already claimed by the current instruction: nothing to do.
    }

    /// Gives a register back. A register caching a local is borrowed, not owned: releasing
    /// it does nothing.
    mutating func release(_ reg: Reg) {
        if cacheOwner(reg) != nil { return }
        freeRegisters.insert(reg)
    }

    // MARK: Local cache

    mutating func cacheLocal(_ local: Int, in reg: Reg) {
        uncache(local)
        localCache[local] = CachedLocal(reg: reg, dirty: true)
        setCacheOwner(reg, local)
    }

    /// Forgets a cached local without storing it.
    mutating func uncache(_ local: Int) {
        guard let cached = localCache[local] else { return }
        localCache[local] = nil
        setCacheOwner(cached.reg, nil)
        freeRegisters.insert(cached.reg)
    }

    mutating func writeBack(_ local: Int) {
        guard let cached = localCache[local], cached.dirty else { return }
        masm.store(localTypes[local], slot: localSlot(local), cached.reg)
        localCache[local]!.dirty = false
    }

    /// Stores every dirty cached local and empties the cache.
    mutating func flushLocals() {
        for reg in cachedRegisters {
            let local = owner(reg)
            writeBack(local)
            uncache(local)
        }
    }

    /// Empties the cache without storing (at labels, where the frame slots are current).
    mutating func dropLocals() {
        for reg in cachedRegisters { localCache[owner(reg)] = nil }
        for reg in cachedRegisters { cacheOwners[RegisterSet.index(reg)] = -1 }
        freeRegisters.formUnion(cachedRegisters)
        cachedRegisters = RegisterSet()
    }

    /// Writes operand `index` to its spill slot.
    mutating func spill(_ index: Int) {
        let value = stack[index]
        let slot = stackSlot(index)
        switch value.location {
        case .spilled:
            return
        case .reg(let reg):
            masm.store(value.type, slot: slot, reg)
            release(reg)
        case .const(let bits):
            masm.storeConstant(value.type, slot: slot, bits)
        case .local(let local):
            if let cached = localCache[local] {
                masm.store(value.type, slot: slot, cached.reg)
            } else {
                masm.copySlot(value.type, to: slot, from: localSlot(local))
            }
        case .flags(let condition):
            let reg = allocate(float: false)
            masm.setCondition(condition, reg)
            masm.store(.i32, slot: slot, reg)
            release(reg)
        case .folded:
            let reg = materializedFolded()
            masm.store(value.type, slot: slot, reg)
            release(reg)
        }
        stack[index].location = .spilled
    }

    /// The canonical state of control-flow merges: every operand in its spill slot.
    mutating func spillAll() {
        spillOperands()
        flushLocals()
    }

    /// Every operand in its spill slot; cached locals stay.
    mutating func spillOperands() {
        for i in stack.indices { spill(i) }
    }

    /// Stores every dirty cached local, keeping it cached (now clean).
    mutating func writeBackAll() {
        for reg in cachedRegisters { writeBack(owner(reg)) }
    }

    /// Starts a straight-line run: its fuel is charged where it starts (no flags are live
    /// there), by an amount known, and patched in, where it ends.
    mutating func startFuelRun() {
        fuelRun = masm.beginFuelCharge()
        pendingFuel = 0
    }

    /// Before anything that may read or change the store's fuel, or leave the function:
    /// the fuel register goes back to the store.
    mutating func saveFuel() {
        if instrumentation.fuel { masm.storeFuel(runtimeOffset: Int32(VMContextLayout.storeRuntimeOffset)) }
    }

    /// After a call: the callee (or host) may have consumed or added fuel.
    mutating func reloadFuel() {
        if instrumentation.fuel { masm.loadFuel(runtimeOffset: Int32(VMContextLayout.storeRuntimeOffset)) }
    }

    /// Ends the current run: its charge becomes what its instructions cost.
    mutating func endFuelRun() {
        guard let run = fuelRun else { return }
        masm.finishFuelCharge(run, amount: Int32(clamping: pendingFuel))
        fuelRun = nil
        pendingFuel = 0
    }

    /// At function entries (after the parameters are in their slots) and loop headers:
    /// when fuel ran out or the epoch reached the deadline, an out-of-line path calls the
    /// runtime, which traps — or, inside `callAsync`, yields and lets the code go on.
    mutating func emitInterruptionChecks() {
        guard instrumentation.fuel || instrumentation.epochs else { return }
        makesCalls = true
        let loopLocals = recordCachedLocals()
        if instrumentation.fuel {
            let check = masm.newLabel()
            masm.bind(check)
            let slow = masm.newLabel()
            masm.checkFuel(outOfFuel: slow)
            interruptStubs.append(InterruptStub(label: slow, resume: check, builtin: Builtins.outOfFuel,
                                                loopLocals: loopLocals, slots: safepointSlots(), wasmOffset: wasmOffset))
        }
        if instrumentation.epochs {
            let check = masm.newLabel()
            masm.bind(check)
            let slow = masm.newLabel()
            masm.checkEpoch(counterOffset: Int32(VMContextLayout.epochCounterOffset),
                            deadlineOffset: Int32(VMContextLayout.epochDeadlineOffset), interrupt: slow)
            interruptStubs.append(InterruptStub(label: slow, resume: check, builtin: Builtins.epochDeadlineReached,
                                                loopLocals: loopLocals, slots: safepointSlots(), wasmOffset: wasmOffset))
        }
    }

    /// The out-of-line paths of `emitInterruptionChecks`. The values live in registers at
    /// a check are the locals a loop head keeps cached: they go to their slots (where the
    /// stack map finds them) and come back after the call.
    mutating func emitInterruptStubs() {
        for stub in interruptStubs {
            masm.instructionBoundary()
            masm.bind(stub.label)
            wasmOffset = stub.wasmOffset
            for (local, reg) in assignments(stub.loopLocals) { masm.store(localTypes[local], slot: localSlot(local), reg) }
            saveFuel()
            masm.moveVMContext(to: M.integerArgumentRegisters[0])
            masm.callAddressRecordingExit(runtimeAddress(stub.builtin))
            stackMaps[compiledIndex].append(position: masm.offset, slots: stub.slots)
            let trap = masm.newLabel()
            trapStubs.append(TrapStub(label: trap, code: nil, wasmOffset: wasmOffset))
            masm.branchIfNonZero(is64: true, M.secondIntegerResult, trap)
            reloadFuel()
            loadLocals(of: stub.loopLocals)
            masm.jump(stub.resume)
        }
        interruptStubs.removeAll(keepingCapacity: true)
    }

    /// Records the safepoint whose return address is the current offset: the externref
    /// locals (every local is in its frame slot at a call) and the spilled externref
    /// operands below the call's arguments.
    mutating func recordSafepoint() {
        stackMaps[compiledIndex].append(position: masm.offset, slots: safepointSlots())
        recordHandlerCallSite()
    }

    /// The frame slots holding extern references now (see `recordSafepoint`).
    @inline(__always)
    func safepointSlots() -> [Int] {
        var slots = externRefLocals
        for (i, value) in stack.enumerated() where value.type.isCountedReference {
            if case .spilled = value.location { slots.append(localCount + i) }
        }
        return slots
    }

    /// Before a call: no operand may stay in a (caller-saved) register.
    mutating func spillRegisters() {
        for i in stack.indices {
            switch stack[i].location {
            case .reg, .flags: spill(i)
            default: break
            }
        }
        flushLocals()
    }

    mutating func push(_ type: ValType, _ location: Location) {
        stack.append(Value(type: type, location: location))
        maxStackDepth = max(maxStackDepth, stack.count)
    }

    /// Pops the top operand; `index` is where it was (its spill slot stays readable until
    /// the next push).
    mutating func pop() -> (value: Value, index: Int) {
        let value = stack.removeLast()
        return (value, stack.count)
    }

    /// A register holding the value, owned by the caller.
    mutating func register(_ popped: (value: Value, index: Int)) -> Reg {
        let (value, index) = popped
        switch value.location {
        case .reg(let reg):
            return reg
        case .const(let bits):
            let reg = allocate(float: isFloat(value.type))
            masm.loadConstant(value.type, reg, bits)
            return reg
        case .local(let local):
            let reg = allocate(float: isFloat(value.type))
            if let cached = localCache[local] {
                masm.move(value.type, reg, cached.reg)
            } else {
                masm.load(value.type, reg, slot: localSlot(local))
            }
            return reg
        case .spilled:
            let reg = allocate(float: isFloat(value.type))
            masm.load(value.type, reg, slot: stackSlot(index))
            return reg
        case .flags(let condition):
            let reg = allocate(float: false)
            masm.setCondition(condition, reg)
            return reg
        case .folded:
            return materializedFolded()
        }
    }

    /// A register holding the value for an instruction that only reads it. A cached local
    /// gives its own register, borrowed for the instruction (never evicted by it, never
    /// written by the caller); a local not cached yet is loaded into a free register and
    /// cached (clean), so the next read is free too. Release it as any other.
    mutating func readRegister(_ popped: (value: Value, index: Int)) -> Reg {
        guard case .local(let local) = popped.value.location else { return register(popped) }
        if let cached = localCache[local] {
            borrowed.insert(cached.reg)
            return cached.reg
        }
        let type = popped.value.type
        guard type == .i32 || type == .i64 || type == .f32 || type == .f64,
              let reg = freeRegisters.first(float: isFloat(type)) else { return register(popped) }
        freeRegisters.remove(reg)
        masm.load(type, reg, slot: localSlot(local))
        localCache[local] = CachedLocal(reg: reg, dirty: false)
        setCacheOwner(reg, local)
        borrowed.insert(reg)
        return reg
    }

    /// Whether the operand is a cached local (whose register `readRegister` gives).
    @inline(__always)
    func isCachedLocal(_ popped: (value: Value, index: Int)) -> Bool {
        if case .local(let local) = popped.value.location { return localCache[local] != nil }
        return false
    }

    /// The value as a second integer operand: an immediate, a frame slot or a register.
    /// A register returned here must be released by the caller.
    mutating func operand(_ popped: (value: Value, index: Int)) -> Operand {
        let (value, index) = popped
        switch value.location {
        case .const(let bits):
            let signed = value.type == .i32 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: bits))) : Int64(bitPattern: bits)
            if let imm = Int32(exactly: signed) { return .imm(imm) }
        case .local(let local):
            if let cached = localCache[local] {
                borrowed.insert(cached.reg)
                return .reg(cached.reg)
            }
            return .slot(localSlot(local))
        case .spilled: return .slot(stackSlot(index))
        case .folded: return foldedOperand()
        default: break
        }
        return .reg(register(popped))
    }

    mutating func releaseOperand(_ operand: Operand) {
        switch operand {
        case .reg(let reg), .memory(let reg, _), .shifted(let reg, _, _): release(reg)
        case .imm, .slot: break
        }
    }

    /// Materializes a flags operand left on top by the previous instruction.
    mutating func materializeFlags() {
        guard let top = stack.last, case .flags(let condition) = top.location else { return }
        let reg = allocate(float: false)
        masm.setCondition(condition, reg)
        stack[stack.count - 1].location = .reg(reg)
    }

    // MARK: Traps

    mutating func trapLabel(_ code: JITTrap, detail: Reg? = nil) -> M.Label {
        let label = masm.newLabel()
        trapStubs.append(TrapStub(label: label, code: code, wasmOffset: wasmOffset, detail: detail))
        return label
    }

    // MARK: Function boundaries

    mutating func beginFunction(type: FuncType, locals: [ValType], mayUseSIMD: Bool) {
        if !translating { return }
        frameSlots = FrameSlots(slotBytes: mayUseSIMD || locals.contains(.v128) || type.results.contains(.v128) ? 16 : 8)
        compiledIndex = functionRanges.count
        currentFunction = firstFunction + compiledIndex
        functionType = type
        localTypes = locals
        externRefLocals = locals.indices.filter { locals[$0].isCountedReference }
        stack.removeAll(keepingCapacity: true)
        blocks.removeAll(keepingCapacity: true)
        trapStubs.removeAll(keepingCapacity: true)
        branchStubs.removeAll(keepingCapacity: true)
        loopUses.removeAll(keepingCapacity: true)
        freeRegisters = allocatableRegisters
        localCache = Array(repeating: nil, count: locals.count)
        cacheOwners = Array(repeating: -1, count: 64)
        cachedRegisters = RegisterSet()
        statePool.removeAll(keepingCapacity: true)
        maxStackDepth = 0
        maxOutgoingWords = 0
        reachable = true
        wasmOffset = 0
        handlers = CompiledHandlers()
        currentHandler = -1
        landingPads.removeAll(keepingCapacity: true)

        // Every function starts aligned, so its code is the same wherever the run it is
        // compiled in starts (runs start aligned too).
        masm.alignFunctionEntry()
        let start = masm.offset
        let body = module.functionBodies[currentFunction]
        leanFrame = !mayUseVMContext[currentFunction] && !instrumentation.fuel && !instrumentation.epochs
            && CodeGenerator.leanFrameFits(locals: locals.count, bodyBytes: body.end - body.start)
        framePatch = masm.prologue(lean: leanFrame)
        makesCalls = false
        fuelRun = nil
        if leanFrame {
            stackOverflowLabel = nil
            stackCheck = masm.offset..<masm.offset
        } else {
            let overflow = masm.newLabel()
            stackOverflowLabel = overflow
            let checkStart = masm.offset
            masm.checkStackLimit(runtimeOffset: Int32(VMContextLayout.storeRuntimeOffset), trap: overflow)
            stackCheck = checkStart..<masm.offset
            masm.loadVMContext(from: M.integerArgumentRegisters[0])
            reloadFuel()
            reloadMemoryBase()
        }
        // Parameters arrive per the C convention after (callee vmctx, caller vmctx).
        var integers = 2, floats = 0, stackIndex = 0
        for (i, param) in type.params.enumerated() {
            let float = isFloat(param)
            let scratch = float ? M.floatArgumentRegisters[0] : M.allocatableGPRs[0]
            if float, floats < M.floatArgumentRegisters.count {
                keepParameter(i, in: M.floatArgumentRegisters[floats])
                floats += 1
            } else if !float, integers < M.integerArgumentRegisters.count {
                keepParameter(i, in: M.integerArgumentRegisters[integers])
                integers += 1
            } else {
                // Stack arguments: copy through a register not holding an argument.
                let temporary = float ? M.allocatableFPRs[M.allocatableFPRs.count - 1] : M.allocatableGPRs[M.allocatableGPRs.count - 1]
                _ = scratch
                masm.loadIncomingArgument(param, temporary, index: stackIndex)
                masm.store(param, slot: localSlot(i), temporary)
                stackIndex += ValueWords.count(param)
            }
        }
        if type.results.count > 1 {
            let pointer = M.allocatableGPRs[M.allocatableGPRs.count - 1]
            if integers < M.integerArgumentRegisters.count {
                masm.store(.i64, slot: CodeGenerator.resultsPointerSlot, M.integerArgumentRegisters[integers])
            } else {
                masm.loadIncomingArgument(.i64, pointer, index: stackIndex)
                masm.store(.i64, slot: CodeGenerator.resultsPointerSlot, pointer)
            }
        }
        // The declared locals start zero: their slots are one run of the frame (local i+1
        // is below local i), zeroed in bulk.
        if locals.count > type.params.count {
            masm.zeroFrame(from: localSlot(locals.count - 1), to: localSlot(type.params.count) + frameSlots.slotBytes)
        }
        emitInterruptionChecks()
        if instrumentation.fuel { startFuelRun() }
        blocks.append(Block(kind: .function, type: .empty, parameterCount: 0, resultCount: type.results.count,
                            height: 0, label: masm.newLabel()))
        functionRanges.append(start..<start)
        stackMaps.append(StackMaps(frameSlots: frameSlots))
    }

    /// A parameter that arrived in `reg` stays there as a cached (dirty) local when it is a
    /// scalar and `reg` is allocatable; otherwise it goes to its slot.
    mutating func keepParameter(_ local: Int, in reg: Reg) {
        let type = localTypes[local]
        if type == .i32 || type == .i64 || type == .f32 || type == .f64, freeRegisters.contains(reg) {
            freeRegisters.remove(reg)
            localCache[local] = CachedLocal(reg: reg, dirty: true)
            setCacheOwner(reg, local)
        } else {
            masm.store(type, slot: localSlot(local), reg)
        }
    }

    /// Finishes the current function: its return path, trap stubs and frame size.
    mutating func finishFunction() {
        if !translating { return }
        emitInterruptStubs()
        emitLandingPads()
        for stub in branchStubs {
            masm.instructionBoundary()
            masm.bind(stub.label)
            for store in stub.stores { masm.store(store.type, slot: store.slot, store.reg) }
            masm.jump(stub.target)
        }
        for stub in trapStubs {
            masm.instructionBoundary()
            masm.bind(stub.label)
            saveFuel()
            masm.trap(code: stub.code?.rawValue, wasmOffset: Int32(stub.wasmOffset), detail: stub.detail, raise: runtimeAddress(Builtins.trapAddress))
        }
        masm.emitStackPointerFixups()
        if let overflow = stackOverflowLabel {
            masm.instructionBoundary()
            masm.bind(overflow)
            // The frame is set up but the VMContext register is not: kiln_trap only needs rbp.
            masm.trap(code: JITTrap.stackOverflow.rawValue, wasmOffset: -1, detail: nil, raise: runtimeAddress(Builtins.trapAddress))
        }
        // Saved registers, results pointer, slots, outgoing words.
        var size = -frameSlots.offset(ofSlot: localCount + maxStackDepth - 1) + 8 * Int32(maxOutgoingWords)
        size = (size + 15) & ~15
        masm.patchFrameSize(at: framePatch, size - 16)
        if leanFrame {
            // `leanFrameFits` promised this; the frame has no stack-limit check.
            if makesCalls || size > CodeGenerator.leafFrameLimit {
                invariantFailed("a lean frame of \(size) bytes\(makesCalls ? " that makes calls" : "")")
                return
            }
        } else if !makesCalls && size <= CodeGenerator.leafFrameLimit {
            masm.elideStackCheck(stackCheck)
        }
        // The body's stack pointer is the frame pointer less the whole frame (both ISAs).
        handlers.frameBytes = Int(size)
        handlerTables.append(handlers)
        if let problem = masm.encodingFailure {
            // An operand the ISA cannot encode (a branch or frame beyond its reach).
            invariantFailed(problem)
            return
        }
        let start = functionRanges[compiledIndex].lowerBound
        functionRanges[compiledIndex] = start..<masm.offset
        // The function's constants follow it (outside its range: they are not code).
        masm.emitLiteralPool()
    }

    /// Moves the results to where the calling convention wants them and returns.
    mutating func emitReturn() {
        let results = functionType.results
        let first = stack.count - results.count
        if results.count == 1 {
            let value = (stack[first], first)
            let target = isFloat(results[0]) ? M.floatResult : M.integerResult
            // Straight into the target: nothing else is live past a return (cached locals
            // need no store, and what the target held is dead).
            load(value, into: target)
        } else if results.count > 1 {
            let pointer = M.allocatableGPRs[M.allocatableGPRs.count - 1]
            spillAll()
            claim(pointer)
            masm.load(.i64, pointer, slot: CodeGenerator.resultsPointerSlot)
            for ((i, type), word) in zip(results.enumerated(), ValueWords.offsets(results)) {
                masm.copyToResultsArea(type, pointer: pointer, index: word, from: stackSlot(first + i))
            }
        }
        saveFuel()
        masm.epilogue()
    }

    // MARK: Branches

    /// Writes the top label values where the target block expects them, without changing
    /// the abstract stack (a conditional branch falls through with it intact).
    mutating func emitBranchMoves(_ target: Block) {
        emitBranchMoves(arity: target.labelArity, height: target.height)
    }

    /// `emitBranchMoves` to the block at `index` of `blocks` (without copying it out).
    mutating func emitBranchMoves(toBlock index: Int) {
        emitBranchMoves(arity: blocks[index].labelArity, height: blocks[index].height)
    }

    /// Writes the top `arity` values to the operand slots from `height` on.
    mutating func emitBranchMoves(arity: Int, height: Int) {
        let first = stack.count - arity
        guard first != height else { return }
        for i in 0..<arity {
            let destination = stackSlot(height + i)
            let value = stack[first + i]
            switch value.location {
            case .spilled: masm.copySlot(value.type, to: destination, from: stackSlot(first + i))
            case .const(let bits): masm.storeConstant(value.type, slot: destination, bits)
            case .local(let local):
                if let cached = localCache[local] {
                    masm.store(value.type, slot: destination, cached.reg)
                } else {
                    masm.copySlot(value.type, to: destination, from: localSlot(local))
                }
            case .reg(let reg): masm.store(value.type, slot: destination, reg)
            case .flags: invariantFailed("a comparison's flags are live at a branch (operands are spilled before branches)")
            case .folded: invariantFailed("a folded operand is live at a branch (operands are spilled before branches)")
            }
        }
    }

    /// A branch on a path of its own (the abstract state is left as it was): moves the label
    /// values, makes the locals what the target expects, and jumps.
    mutating func branch(toDepth depth: Int) {
        let index = blocks.count - 1 - depth
        if blocks[index].kind == .function {
            emitReturn()
            return
        }
        emitBranchMoves(toBlock: index)
        if blocks[index].kind == .loop {
            emitConformance(to: blocks[index].loopLocals)
        } else if blocks[index].kind == .block {
            emitMergeEdge(toBlock: index)
            blocks[index].endReachable = true
        } else {
            for reg in cachedRegisters {
                let local = owner(reg)
                if localCache[local]!.dirty { masm.store(localTypes[local], slot: localSlot(local), reg) }
            }
            blocks[index].endReachable = true
        }
        masm.jump(blocks[index].label)
    }

    /// A forward edge to the end of the `block` at `index` of `blocks`, on the current path:
    /// the first decides the merge locals (what is cached now, where it is); later ones emit
    /// what makes the cache match them (dirty others stored, merge locals moved or loaded).
    /// The abstract state is left as it was.
    mutating func emitMergeEdge(toBlock index: Int) {
        guard let merge = blocks[index].mergeLocals else {
            var dirty = RegisterSet()
            for reg in cachedRegisters where localCache[owner(reg)]!.dirty { dirty.insert(reg) }
            blocks[index].mergeLocals = recordCachedLocals()
            blocks[index].mergeDirty = dirty
            return
        }
        // Most edges find the cache as the merge wants it: no code.
        if !cacheMatches(merge) { emitConformance(to: merge) }
        noteMergeDirty(toBlock: index)
    }

    /// Records which merge locals of the `block` at `index` arrive dirty on this edge.
    mutating func noteMergeDirty(toBlock index: Int) {
        guard cachedCount > 0, let merge = blocks[index].mergeLocals else { return }
        for (local, reg) in assignments(merge) where localCache[local]?.dirty == true {
            blocks[index].mergeDirty.insert(reg)
        }
    }

    /// Whether every merge local of the `block` at `index` is cached in its register.
    @inline(__always)
    func mergeLocalsInPlace(_ index: Int) -> Bool {
        guard let merge = blocks[index].mergeLocals else { return true }
        return localsInPlace(merge)
    }

    // MARK: Instructions

    mutating func translate(_ instruction: Instruction, at offset: Int, immediates: Immediates) {
        if !translating { return }
        wasmOffset = offset
        if leanFrame && !instruction.runsInLeanFrame {
            invariantFailed("an instruction the lean frame's scan should have found (\(instruction))")
            return
        }
        masm.instructionBoundary()
        borrowed = RegisterSet()
        translateInstruction(instruction, immediates: immediates)
        // Code after a run's end (reachable again) starts the next run.
        if instrumentation.fuel && reachable && fuelRun == nil && !blocks.isEmpty { startFuelRun() }
    }

    /// `translate` after the bookkeeping every instruction shares.
    @inline(__always)
    private mutating func translateInstruction(_ instruction: Instruction, immediates: Immediates) {
        // The folded operand the previous instruction left for this one, if this one does
        // not take it after all.
        if folded != nil && !consumesFolded(instruction) { materializeFoldedTop() }
        if !reachable {
            translateUnreachable(instruction)
            return
        }
        switch instruction {
        case .brIf, .if, .select, .typedSelect: break
        case .numeric(let op) where op.rawValue == 0x45:
            // `i32.eqz` of a comparison left in the flags is the opposite condition on the
            // same flags: every condition code has an exact complement on both ISAs, the
            // unordered outcome of a float compare included (C's `!(x > y)` compiles to
            // `f64.gt` and `i32.eqz`, which must be true for NaN, as `leU`/`le` is).
            if case .flags(let condition) = stack.last?.location {
                stack[stack.count - 1].location = .flags(condition.negated)
                if instrumentation.fuel { pendingFuel += Fuel.cost(instruction) }
                return
            }
        default:
            // Most instructions find no flags on top: no call for them.
            if case .flags = stack.last?.location { materializeFlags() }
        }
        if instrumentation.fuel {
            pendingFuel += Fuel.cost(instruction)
            if Fuel.endsRun(instruction) { endFuelRun() }
        }
        switch instruction {
        case .unreachable:
            masm.jump(trapLabel(.unreachable))
            reachable = false
        case .nop:
            break
        case .block(let type):
            // Not a merge point itself: only its end is (where every path stores the locals).
            spillOperands()
            openBlock(.block, type)
        case .loop(let type):
            // The head keeps the cached locals in their registers (as dirty: back edges bring
            // new values without storing them).
            spillOperands()
            prepareLoopHead(loopLocalUses(immediates.reader))
            openBlock(.loop, type)
            blocks[blocks.count - 1].loopLocals = recordCachedLocals()
            masm.bind(blocks[blocks.count - 1].label)
            emitInterruptionChecks()
        case .if(let type):
            // The arms start from the cache as it is at the branch, and the end is a
            // block's end whose first edge is the branch that skips the then arm: it carries
            // that cache to the else arm or to the end. So the end keeps those locals in
            // those registers (dirty as they were), and the arms' edges conform to it.
            let condition = pop()
            spillOperands()
            let elseLabel = masm.newLabel()
            jumpUnless(condition, elseLabel)
            openBlock(.block, type)
            blocks[blocks.count - 1].elseLabel = elseLabel
            emitMergeEdge(toBlock: blocks.count - 1)
        case .else:
            spillOperands()
            emitMergeEdge(toBlock: blocks.count - 1)
            var block = blocks.removeLast()
            masm.jump(block.label)
            block.endReachable = true
            startElseArm(&block)
            blocks.append(block)
        case .end:
            endBlock()
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
        case .throw(let tag):
            emitThrow(tag: tag)
        case .throwRef:
            emitThrowReference()
        case .rethrow(let depth):
            emitThrowReference(heldAt: stackSlot(blocks[blocks.count - 1 - Int(depth)].height))
        case .br(let depth):
            spillOperands()
            branch(toDepth: Int(depth))
            reachable = false
        case .brIf(let depth):
            // The condition gets its register first: allocating later could evict a cached
            // local after the cache was found to match the target.
            var condition = pop()
            if case .flags = condition.value.location {} else {
                condition.value.location = .reg(readRegister(condition))
            }
            emitBranchIf(condition, depth: depth)
        case .brOnNull(let depth):
            // The reference leaves the stack for the branch (which drops it) and comes back,
            // non-null, in the same register on the fall-through path.
            let popped = pop()
            let reg = register(popped)
            masm.testZero(is64: true, reg)
            emitBranchIf((Value(type: .i32, location: .flags(.eq)), stack.count), depth: depth)
            var type = popped.value.type
            if case .ref(var reference) = type { reference.nullable = false; type = .ref(reference) }
            push(type, .reg(reg))
        case .brOnNonNull(let depth):
            // The reference goes with the branch, in a register; the fall-through drops it.
            let top = stack.count - 1
            let reg = register((stack[top], top))
            stack[top].location = .reg(reg)
            masm.testZero(is64: true, reg)
            emitBranchIf((Value(type: .i32, location: .flags(.ne)), stack.count), depth: depth)
            if case .reg(let dropped) = pop().value.location { release(dropped) }
        case .refAsNonNull:
            let top = stack.count - 1
            let reg = register((stack[top], top))
            stack[top].location = .reg(reg)
            masm.branchIfZero(is64: true, reg, trapLabel(.nullReference))
            if case .ref(var reference) = stack[top].type {
                reference.nullable = false
                stack[top].type = .ref(reference)
            }
        case .callRef(let typeIndex):
            emitCallRef(typeIndex: Int(typeIndex))
        case .brTable(let table):
            // Both registers the jump needs are taken before the targets are looked at: taking
            // one later could evict a cached local that a loop head keeps in that register,
            // after the head was found to match (the jump would then bring the loop a
            // clobbered local, as it did in a C interpreter's dispatch loop).
            let index = register(pop())
            let scratch = allocate(float: false)
            spillOperands()
            // Dirty locals stay in their registers: a target whose state differs gets a stub
            // that makes it so (stores included), and the direct jumps store nothing.
            var dirtyRegisters = RegisterSet()
            for reg in cachedRegisters where localCache[owner(reg)]!.dirty { dirtyRegisters.insert(reg) }
            let depths = immediates.brTableTargets(table) + [table.defaultDepth]
            var labels: [M.Label] = []
            // One stub per target that needs moves first, however often the table names it.
            var stubs: [(label: M.Label, depth: Int)] = []
            var directLoops: [Int] = []
            for depth in depths.map(Int.init) {
                let targetIndex = blocks.count - 1 - depth
                if blocks[targetIndex].kind == .block && blocks[targetIndex].mergeLocals == nil {
                    emitMergeEdge(toBlock: targetIndex)  // decides: no code
                }
                let target = blocks[targetIndex]
                let direct: Bool
                switch target.kind {
                case .loop: direct = cacheMatches(target.loopLocals)
                case .function: direct = false
                case .block:
                    // The merge locals in place, so a dirty local the merge keeps is in a
                    // register the merge keeps it in.
                    let merge = target.mergeLocals ?? .empty
                    direct = mergeLocalsInPlace(targetIndex) && dirtyRegisters.subtracting(merge.registers).isEmpty
                default: direct = dirtyRegisters.isEmpty
                }
                if direct && stack.count - target.labelArity == target.height {
                    if target.kind == .block { noteMergeDirty(toBlock: targetIndex) }
                    labels.append(target.label)
                    if target.kind == .loop { directLoops.append(blocks.count - 1 - depth) }
                    if target.kind != .loop { blocks[blocks.count - 1 - depth].endReachable = true }
                } else if let stub = stubs.first(where: { $0.depth == depth }) {
                    labels.append(stub.label)
                } else {
                    let stub = masm.newLabel()
                    labels.append(stub)
                    stubs.append((stub, depth))
                }
            }
            for index in directLoops where !cacheMatches(blocks[index].loopLocals) {
                invariantFailed("br_table jumps straight to a loop head whose cached locals no longer match")
            }
            masm.jumpTable(index: index, targets: labels, scratch: scratch)
            release(scratch)
            release(index)
            // Every stub starts from the state at the jump: a return claims registers and
            // drops cached locals on its own path only.
            let jumpState = (stack, localCache, cacheOwners, cachedRegisters, freeRegisters)
            for (stub, depth) in stubs {
                (stack, localCache, cacheOwners, cachedRegisters, freeRegisters) = jumpState
                masm.bind(stub)
                branch(toDepth: depth)
            }
            reachable = false
        case .return:
            emitReturn()
            reachable = false
        case .call(let function):
            emitCall(function: Int(function))
        case .callIndirect(let typeIndex, let tableIndex):
            emitCallIndirect(typeIndex: Int(typeIndex), tableIndex: Int(tableIndex))

        case .drop:
            let (value, _) = pop()
            if case .reg(let reg) = value.location { release(reg) }
        case .select, .typedSelect:
            // A float select on a comparison reads its flags where they are: putting float
            // operands in registers writes no flags (moves, loads and spills; x86-64 xorps
            // and literal loads, AArch64 fmov and movz/movk for constants), so they survive.
            // Any other select materializes its condition.
            var flags: IntCondition?
            if selectsFloat, case .flags(let condition) = stack.last?.location { flags = condition }
            let conditionReg = flags == nil ? readRegister(pop()) : nil
            if flags != nil { _ = pop() }
            let bPopped = pop()
            let aPopped = pop()
            let type = aPopped.value.type
            // The second operand is only read: a cached local's register serves as it is
            // (and `release` leaves a register the cache owns).
            let b = isCachedLocal(bPopped) ? readRegister(bPopped) : register(bPopped)
            let a = register(aPopped)
            if let flags {
                masm.selectFloat(type, a, otherwise: b, flags: flags)
            } else if let conditionReg {
                masm.select(type, a, otherwise: b, condition: conditionReg)
                release(conditionReg)
            }
            release(b)
            push(type, .reg(a))

        case .localGet(let index):
            push(localTypes[Int(index)], .local(Int(index)))
        case .localSet(let index):
            setLocal(Int(index))
        case .localTee(let index):
            let type = stack[stack.count - 1].type
            setLocal(Int(index))
            push(type, .local(Int(index)))
        case .globalGet(let index) where module.globals[Int(index)].valueType.isCountedReference:
            // The value enters wasm frames: rooted by the runtime (a safepoint).
            push(.i32, .const(UInt64(index)))
            callBuiltin(Builtins.globalGetExtern, arguments: 1, result: .externRef, safepoint: true)
        case .globalSet(let index) where module.globals[Int(index)].valueType.isCountedReference:
            push(.i32, .const(UInt64(index)))
            callBuiltin(Builtins.globalSetExtern, arguments: 2, result: nil)
        case .globalGet(let index):
            let type = module.globals[Int(index)].valueType
            let reg = allocate(float: isFloat(type))
            masm.loadGlobal(type, reg, pointerOffset: Int32(layout.global(Int(index))))
            push(type, .reg(reg))
        case .globalSet(let index):
            let value = pop()
            let reg = readRegister(value)
            masm.storeGlobal(value.value.type, pointerOffset: Int32(layout.global(Int(index))), reg)
            release(reg)

        case .load(let op, let memArg) where isPinned(memArg) && constantAddress(memArg, indexAt: stack.count - 1) != nil:
            let address = constantAddress(memArg, indexAt: stack.count - 1)!
            _ = pop()
            let reg = allocate(float: op == .f32Load || op == .f64Load)
            memoryAccesses.append((masm.offset, wasmOffset))
            masm.wasmLoad(op, reg, constantAddress: address)
            push(op.resultType, .reg(reg))
        case .load(let op, let memArg) where isPinned(memArg):
            translatePinnedLoad(op, memArg, immediates: immediates)
        case .load(let op, let memArg):
            let index = readRegister(pop())
            let reg = allocate(float: op == .f32Load || op == .f64Load)
            let (definition, is64, trap) = prepareMemoryAccess(memArg.memory)
            memoryAccesses.append((masm.offset, wasmOffset))
            masm.wasmLoad(op, reg, index: index, is64: is64, offset: memArg.offset, definition: definition,
                          pinnedBase: memArg.memory == 0, boundsTrap: trap)
            release(definition)
            release(index)
            push(op.resultType, .reg(reg))
        case .store(let op, let memArg) where isPinned(memArg) && constantAddress(memArg, indexAt: stack.count - 2) != nil:
            let address = constantAddress(memArg, indexAt: stack.count - 2)!
            let value = readRegister(pop())
            _ = pop()
            memoryAccesses.append((masm.offset, wasmOffset))
            masm.wasmStore(op, value: value, constantAddress: address)
            release(value)
        case .store(let op, let memArg) where isPinned(memArg):
            if case .const(let bits) = stack[stack.count - 1].location, memArg.offset <= UInt64(Int32.max),
               masm.canStoreConstant(op, bits) {
                // The constant goes straight from an immediate: no register for it.
                _ = pop()
                let index = readRegister(pop())
                let trap = explicitBounds ? trapLabel(.memoryOutOfBounds) : nil
                memoryAccesses.append((masm.offset, wasmOffset))
                masm.wasmStore(op, index: index, constant: bits, offset: memArg.offset,
                               definitionOffset: Int32(layout.memory(0)), boundsTrap: trap)
                release(index)
                break
            }
            let value = readRegister(pop())
            let index = readRegister(pop())
            let trap = explicitBounds ? trapLabel(.memoryOutOfBounds) : nil
            memoryAccesses.append((masm.offset, wasmOffset))
            masm.wasmStore(op, index: index, value: value, offset: memArg.offset, definitionOffset: Int32(layout.memory(0)), boundsTrap: trap)
            release(value)
            release(index)
        case .store(let op, let memArg):
            let value = readRegister(pop())
            let index = readRegister(pop())
            let (definition, is64, trap) = prepareMemoryAccess(memArg.memory)
            memoryAccesses.append((masm.offset, wasmOffset))
            masm.wasmStore(op, index: index, is64: is64, value: value, offset: memArg.offset, definition: definition,
                           pinnedBase: memArg.memory == 0, boundsTrap: trap)
            release(definition)
            release(value)
            release(index)
        case .memorySize(let memory):
            let reg = allocate(float: false)
            masm.loadVMContextWord(reg, offset: Int32(layout.memory(Int(memory))))
            masm.loadWordAt(reg, base: reg, offset: 8)
            masm.shift(.shrU, is64: true, reg, count: .imm(16))
            push(module.memories[Int(memory)].addressType, .reg(reg))
        case .memoryGrow(let memory):
            push(.i32, .const(UInt64(memory)))
            callBuiltin(Builtins.memoryGrow, arguments: 2, result: module.memories[Int(memory)].addressType)
            reloadMemoryBase()

        case .i32Const(let v): push(.i32, .const(UInt64(UInt32(bitPattern: v))))
        case .i64Const(let v): push(.i64, .const(UInt64(bitPattern: v)))
        case .f32Const(let bits): push(.f32, .const(UInt64(bits)))
        case .f64Const(let bits): push(.f64, .const(bits))
        case .numeric(let op):
            translateNumeric(op, immediates: immediates)

        case .refNull(let heapType): push(.ref(RefType(nullable: true, heapType)), .const(0))
        case .refIsNull:
            let reg = register(pop())
            masm.testZero(is64: true, reg)
            masm.setZero(reg)
            push(.i32, .reg(reg))
        case .refFunc(let function):
            let reg = allocate(float: false)
            masm.loadVMContextWord(reg, offset: Int32(layout.function(Int(function))))
            push(.funcRef, .reg(reg))

        // Runtime builtins take the operands, then the immediates, after the VMContext.
        case .tableGet(let table) where module.tables[Int(table)].elementType.isCountedReference:
            push(.i32, .const(UInt64(table)))
            callBuiltin(Builtins.tableGetExtern, arguments: 2, result: .externRef, safepoint: true)
        case .tableGet(let table):
            push(.i32, .const(UInt64(table)))
            callBuiltin(Builtins.tableGet, arguments: 2, result: module.tables[Int(table)].elementType)
        case .tableSet(let table):
            push(.i32, .const(UInt64(table)))
            callBuiltin(Builtins.tableSet, arguments: 3, result: nil)
        case .tableSize(let table):
            push(.i32, .const(UInt64(table)))
            callBuiltin(Builtins.tableSize, arguments: 1, result: module.tables[Int(table)].indexType)
        case .tableGrow(let table):
            push(.i32, .const(UInt64(table)))
            callBuiltin(Builtins.tableGrow, arguments: 3, result: module.tables[Int(table)].indexType)
        case .tableFill(let table):
            push(.i32, .const(UInt64(table)))
            callBuiltin(Builtins.tableFill, arguments: 4, result: nil)
        case .tableCopy(let destination, let source):
            push(.i32, .const(UInt64(destination)))
            push(.i32, .const(UInt64(source)))
            callBuiltin(Builtins.tableCopy, arguments: 5, result: nil)
        case .tableInit(let segment, let table):
            push(.i32, .const(UInt64(segment)))
            push(.i32, .const(UInt64(table)))
            callBuiltin(Builtins.tableInit, arguments: 5, result: nil)
        case .elemDrop(let segment):
            push(.i32, .const(UInt64(segment)))
            callBuiltin(Builtins.elemDrop, arguments: 1, result: nil)
        case .memoryInit(let segment, let memory):
            push(.i32, .const(UInt64(segment)))
            push(.i32, .const(UInt64(memory)))
            callBuiltin(Builtins.memoryInit, arguments: 5, result: nil)
            reloadMemoryBase()
        case .dataDrop(let segment):
            push(.i32, .const(UInt64(segment)))
            callBuiltin(Builtins.dataDrop, arguments: 1, result: nil)
        case .memoryCopy(let destination, let source):
            push(.i32, .const(UInt64(destination)))
            push(.i32, .const(UInt64(source)))
            callBuiltin(Builtins.memoryCopy, arguments: 5, result: nil)
        case .memoryFill(let memory):
            push(.i32, .const(UInt64(memory)))
            callBuiltin(Builtins.memoryFill, arguments: 4, result: nil)

        case .v128Const, .v128Load, .v128Store, .v128LoadLane, .v128StoreLane, .i8x16Shuffle,
            .extractLane, .replaceLane, .simd:
            translateSIMD(instruction)
        case .throw, .throwRef, .tryTable, .try, .catch, .catchAll, .delegate, .rethrow:
            break  // handled above
        case .returnCall(let function):
            emitReturnCall(function: Int(function))
        case .returnCallIndirect(let typeIndex, let tableIndex):
            emitReturnCallIndirect(typeIndex: Int(typeIndex), tableIndex: Int(tableIndex))
        case .returnCallRef(let typeIndex):
            emitReturnCallRef(typeIndex: Int(typeIndex))
        }
    }

    mutating func openBlock(_ kind: FunctionValidator.FrameKind, _ type: BlockType) {
        let parameterCount: Int, resultCount: Int
        switch type {
        case .empty: (parameterCount, resultCount) = (0, 0)
        case .value: (parameterCount, resultCount) = (0, 1)
        case .typeIndex(let i): (parameterCount, resultCount) = (module.types[Int(i)].params.count, module.types[Int(i)].results.count)
        }
        blocks.append(Block(kind: kind, type: type, parameterCount: parameterCount, resultCount: resultCount,
                            height: stack.count - parameterCount, label: masm.newLabel(), innerHandler: currentHandler))
    }

    mutating func resetStack(to height: Int, _ types: [ValType]) {
        dropLocals()
        for value in stack[height...] {
            if case .reg(let reg) = value.location { release(reg) }
        }
        stack.removeLast(stack.count - height)
        for type in types { push(type, .spilled) }
        reachable = true
        reclaimRegisters()
    }

    /// At a merge (the canonical state: operands in their slots, no cached locals), every
    /// register not held by an operand is free again — including those that the `return`
    /// or branch which ended the reachable code before it claimed on its own path.
    mutating func reclaimRegisters() {
        var free = allocatableRegisters
        for value in stack {
            if case .reg(let reg) = value.location { free.remove(reg) }
        }
        freeRegisters = free.subtracting(cachedRegisters)
    }

    mutating func endBlock() {
        // The fallthrough edge of a `block` goes in while the block is still in place.
        if reachable && blocks[blocks.count - 1].kind == .block {
            spillOperands()
            emitMergeEdge(toBlock: blocks.count - 1)
        }
        var block = blocks.removeLast()
        if block.kind == .function {
            if reachable { emitReturn() }
            reachable = false
            return
        }
        // A loop's end has one way in, the fallthrough: the cache carries on past it.
        var kept = LocalsInRegisters.empty
        var keptDirty = RegisterSet()
        if reachable {
            if block.kind == .block {
                // Done above.
            } else if block.kind == .loop {
                spillOperands()
                for reg in cachedRegisters where localCache[owner(reg)]!.dirty { keptDirty.insert(reg) }
                kept = recordCachedLocals()
            } else {
                spillAll()
            }
            // A catch arm's results go down over the exception it held.
            if block.holdsException { emitBranchMoves(block) }
            block.endReachable = true
        }
        if block.kind == .tryTable || block.kind == .try {
            currentHandler = handlers.handlers[block.handler!].next
        }
        if let elseLabel = block.elseLabel {
            masm.bind(elseLabel)
            block.endReachable = true
        }
        if block.kind != .loop { masm.bind(block.label) }
        resetStack(to: block.height, results(of: block))
        reachable = block.endReachable
        if block.kind == .block && reachable {
            for (local, reg) in assignments(block.mergeLocals ?? .empty) {
                installCached(local, CachedLocal(reg: reg, dirty: block.mergeDirty.contains(reg)))
            }
        }
        for (local, reg) in assignments(kept) { installCached(local, CachedLocal(reg: reg, dirty: keptDirty.contains(reg))) }
    }

    /// A load of memory 0 through the pinned base, at an index in a register: folded into
    /// the next instruction when it can be (out of line: in `translate`'s switch, this case
    /// cost every instruction a few more).
    @inline(never)
    mutating func translatePinnedLoad(_ op: LoadOp, _ memArg: MemArg, immediates: Immediates) {
        if foldLoad(op, memArg, immediates: immediates) { return }
        let index = readRegister(pop())
        // Loaded straight into the local the next instruction sets, when it can be (the
        // index may be that register: the load reads it before writing).
        let target = resultLocal(immediates, type: op.resultType)
        let destination = resultRegister(for: target, avoiding: RegisterSet())
        let reg = destination?.reg ?? allocate(float: op == .f32Load || op == .f64Load)
        let trap = explicitBounds ? trapLabel(.memoryOutOfBounds) : nil
        memoryAccesses.append((masm.offset, wasmOffset))
        masm.wasmLoad(op, reg, index: index, offset: memArg.offset, definitionOffset: Int32(layout.memory(0)), boundsTrap: trap)
        release(index)
        if let destination { pushResult(op.resultType, destination, local: target!) } else { push(op.resultType, .reg(reg)) }
    }

    /// Binds an `if`'s else label: the one way in is the branch from the `if`, with its
    /// parameters in their slots and the cache it had, which the block's merge state
    /// recorded (`mergeDirty` may have grown since, on the then arm's edges: a local
    /// marked dirty that is not only costs a store).
    mutating func startElseArm(_ block: inout Block) {
        masm.bind(block.elseLabel!)
        block.elseLabel = nil
        resetStack(to: block.height, parameters(of: block))
        for (local, reg) in assignments(block.mergeLocals ?? .empty) {
            installCached(local, CachedLocal(reg: reg, dirty: block.mergeDirty.contains(reg)))
        }
    }

    /// Caches `local` in a register that is free (after a merge dropped every local).
    mutating func installCached(_ local: Int, _ cached: CachedLocal) {
        freeRegisters.remove(cached.reg)
        localCache[local] = cached
        setCacheOwner(cached.reg, local)
    }

    mutating func translateUnreachable(_ instruction: Instruction) {
        switch instruction {
        case .block(let type), .loop(let type), .if(let type), .tryTable(let type, _), .try(let type):
            openBlock(.block, type)
            blocks[blocks.count - 1].isDead = true
        case .catch(let tag):
            if !blocks[blocks.count - 1].isDead { translateCatchArm(tag: tag) }
        case .catchAll:
            if !blocks[blocks.count - 1].isDead { translateCatchArm(tag: nil) }
        case .delegate(let depth):
            if blocks[blocks.count - 1].isDead {
                blocks.removeLast()
            } else {
                translateDelegate(depth)
            }
        case .else:
            var block = blocks.removeLast()
            if !block.isDead && block.elseLabel != nil { startElseArm(&block) }
            blocks.append(block)
        case .end:
            if blocks[blocks.count - 1].isDead {
                blocks.removeLast()
            } else {
                endBlock()
            }
        default:
            break
        }
    }

    /// A conditional branch to the label at `depth` on `condition` (in a register or the
    /// flags), with the label's values on the stack.
    mutating func emitBranchIf(_ condition: (value: Value, index: Int), depth: UInt32) {
        spillOperands()
        // Read in place: a copy of the block would retain and release its arrays.
        let index = blocks.count - 1 - Int(depth)
        let kind = blocks[index].kind, label = blocks[index].label
        let direct = stack.count - blocks[index].labelArity == blocks[index].height
        if kind == .block && direct && blocks[index].mergeLocals == nil {
            // The first edge to the block's end: its merge keeps what is cached now.
            emitMergeEdge(toBlock: index)
            jumpIf(condition, label)
            blocks[index].endReachable = true
        } else if kind == .block && direct && mergeLocalsInPlace(index) {
            // The merge locals are in place: others that are dirty are stored out of line.
            noteMergeDirty(toBlock: index)
            // In place, a dirty local the merge keeps is in a register the merge keeps it in.
            jumpIf(condition, label, storingDirtyExcept: blocks[index].mergeLocals!.registers)
            blocks[index].endReachable = true
        } else if kind != .function && kind != .loop && kind != .block && direct {
            jumpIf(condition, label, storingDirtyExcept: RegisterSet())
            blocks[index].endReachable = true
        } else if kind == .loop && direct && cacheMatches(blocks[index].loopLocals) {
            jumpIf(condition, label)
        } else {
            let skip = masm.newLabel()
            jumpUnless(condition, skip)
            // The branch path may move registers and drop cached locals (a return claims
            // the result register): the fallthrough continues from the state before it.
            let fallthroughState = (stack, localCache, cacheOwners, cachedRegisters, freeRegisters)
            branch(toDepth: Int(depth))
            (stack, localCache, cacheOwners, cachedRegisters, freeRegisters) = fallthroughState
            masm.bind(skip)
        }
    }

    /// Jumps to `label` when the popped condition is nonzero, through a stub at the function's
    /// end that stores the dirty cached locals outside `kept` first, if there are any: the
    /// path that stays pays nothing for them (and they stay dirty there).
    mutating func jumpIf(_ condition: (value: Value, index: Int), _ label: M.Label, storingDirtyExcept kept: RegisterSet) {
        var stores: [(type: ValType, slot: Int32, reg: Reg)] = []
        for reg in cachedRegisters.subtracting(kept) {
            let local = owner(reg)
            if localCache[local]!.dirty { stores.append((localTypes[local], localSlot(local), reg)) }
        }
        if stores.isEmpty {
            jumpIf(condition, label)
        } else {
            let stub = masm.newLabel()
            jumpIf(condition, stub)
            branchStubs.append(BranchStub(label: stub, target: label, stores: stores))
        }
    }

    /// Jumps to `label` when the popped condition is nonzero.
    mutating func jumpIf(_ condition: (value: Value, index: Int), _ label: M.Label) {
        if case .flags(let c) = condition.value.location {
            masm.branch(c, label)
            return
        }
        let reg = register(condition)
        masm.branchIfNonZero(is64: false, reg, label)
        release(reg)
    }

    mutating func jumpUnless(_ condition: (value: Value, index: Int), _ label: M.Label) {
        if case .flags(let c) = condition.value.location {
            masm.branch(c.negated, label)
            return
        }
        let reg = register(condition)
        masm.branchIfZero(is64: false, reg, label)
        release(reg)
    }

    mutating func setLocal(_ index: Int) {
        // Operands that still read the local lazily must read it before it changes.
        for i in 0..<(stack.count - 1) where stack[i].location == .local(index) {
            spill(i)
        }
        let popped = pop()
        let type = popped.value.type
        switch popped.value.location {
        case .local(let source) where source == index:
            return
        case .const(let bits):
            uncache(index)
            if type == .i32 || type == .i64 || type == .f32 || type == .f64,
               let reg = freeRegisters.first(float: isFloat(type)) {
                // In a register while one is free: a loop counter set before its loop then
                // stays in a register through it.
                freeRegisters.remove(reg)
                masm.loadConstant(type, reg, bits)
                cacheLocal(index, in: reg)
            } else {
                masm.storeConstant(type, slot: localSlot(index), bits)
            }
        case .spilled:
            uncache(index)
            masm.copySlot(type, to: localSlot(index), from: stackSlot(popped.index))
        default:
            // The value's register becomes the local's home until the next flush.
            let reg = register(popped)
            cacheLocal(index, in: reg)
        }
    }

    /// The address of an access whose index (operand `indexAt`) is a constant, when guard
    /// pages check it and it fits a displacement (below 2^31 with room for the access).
    @inline(__always)
    func constantAddress(_ memArg: MemArg, indexAt position: Int) -> Int32? {
        guard !explicitBounds, position >= 0, case .const(let bits) = stack[position].location else { return nil }
        let address = UInt64(UInt32(truncatingIfNeeded: bits)) + memArg.offset
        return address < UInt64(Int32.max) - 16 ? Int32(address) : nil
    }

    /// Whether an access goes through the pinned memory-0 base (a 32-bit memory 0).
    @inline(__always)
    func isPinned(_ memArg: MemArg) -> Bool {
        memArg.memory == 0 && !module.memories[0].is64
    }

    /// For an access to any other memory: a register holding its definition pointer, whether
    /// its index is 64-bit, and the bounds trap when the access must be checked (always for
    /// 64-bit memories, whose range no guard region covers).
    mutating func prepareMemoryAccess(_ memory: UInt32) -> (definition: Reg, is64: Bool, trap: M.Label?) {
        let is64 = module.memories[Int(memory)].is64
        let definition = allocate(float: false)
        masm.loadVMContextWord(definition, offset: Int32(layout.memory(Int(memory))))
        let trap = explicitBounds || is64 ? trapLabel(.memoryOutOfBounds) : nil
        return (definition, is64, trap)
    }

    /// Loads memory 0's base into its pinned register, in functions that may access it
    /// (the register is callee-saved: a function that never reads it leaves it alone).
    mutating func reloadMemoryBase() {
        if !module.memories.isEmpty && mayUseMemory[currentFunction] {
            masm.loadMemoryBase(memoryOffset: Int32(layout.memory(0)))
        }
    }
}
