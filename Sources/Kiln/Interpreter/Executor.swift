import CKilnShims

// Helpers forced inline: the dispatch loop is too large for the optimizer to inline even
// trivial standard-library generics into it on its own.
@inline(__always) func asF32(_ slot: UInt64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: slot)) }
@inline(__always) func asF64(_ slot: UInt64) -> Double { Double(bitPattern: slot) }
@inline(__always) func bits(_ value: Float) -> UInt64 { UInt64(value.bitPattern) }
@inline(__always) func bits(_ value: Double) -> UInt64 { value.bitPattern }
@inline(__always) func load<T: FixedWidthInteger>(_ base: UnsafeMutablePointer<UInt8>, _ at: Int, as: T.Type) -> T {
    UnsafeRawPointer(base + at).loadUnaligned(as: T.self)
}
@inline(__always) func store<T: FixedWidthInteger>(_ base: UnsafeMutablePointer<UInt8>, _ at: Int, _ value: T, as: T.Type) {
    UnsafeMutableRawPointer(base + at).storeBytes(of: value, as: T.self)
}

extension Op {
    /// The opcode in an instruction word. The translator only writes valid opcodes, whose
    /// raw values are their case indices, so no check is needed.
    @inline(__always)
    static func decode(_ word: UInt32) -> Op {
        if MemoryLayout<Op>.size == 1 {
            return unsafeBitCast(UInt8(truncatingIfNeeded: word), to: Op.self)
        }
        return unsafeBitCast(UInt16(truncatingIfNeeded: word), to: Op.self)
    }
}

/// Runs interpreter code. One loop executes calls and returns between wasm functions of
/// any instance without recursing on the native stack; only host calls (and the wasm they
/// may call back into) nest.
///
/// Frame layout: `fp[0..<parameterSlots]` are the parameters (written by the caller as its
/// outgoing arguments), then the other locals, then the operand stack. Results are
/// returned in `fp[0...]`, where the caller finds them in place of its arguments.
enum Interpreter {
    /// Native stack an interpreter entry leaves for the host code of deeper calls.
    static let nativeStackReserve: UInt = 128 * 1024

    /// Calls defined function `function` of `instance` with `values` (params in, results out).
    static func invoke(_ instance: InstanceHandle, function: Int, values: UnsafeMutableBufferPointer<ValRaw>) throws {
        let type = instance.module.info.functionType(of: function)
        let stack = instance.store.interpreterStack
        let fp = stack.top
        let definedIndex = function - instance.importedFunctionCount
        let code = instance.interpretedFunctions![definedIndex]
        guard stack.depth < stack.maxDepth, fp + max(code.frameSize, 2 * values.count) <= stack.end else {
            throw Trap(.stackOverflow)
        }
        // Wasm frames live in `stack`, but host calls nest natively (wasm → host → wasm):
        // stop before the native stack runs out.
        let low = kiln_thread_stack_low()
        if low != 0, kiln_stack_pointer() < low + Interpreter.nativeStackReserve {
            throw Trap(.stackOverflow)
        }
        var slot = 0
        for (i, param) in type.params.enumerated() {
            fp[slot] = values[i].lo
            if param == .v128 {
                fp[slot + 1] = values[i].hi
                slot += 2
            } else {
                slot += 1
            }
        }
        try run(instance, definedIndex: definedIndex, fp: fp, stack: stack)
        slot = 0
        for (i, result) in type.results.enumerated() {
            values[i] = ValRaw(lo: fp[slot], hi: result == .v128 ? fp[slot + 1] : 0)
            slot += result == .v128 ? 2 : 1
        }
    }

    /// The executor's view of the instance it is running code of.
    private struct InstanceState {
        var instance: Unmanaged<InstanceHandle>
        var functions: UnsafeMutablePointer<InterpretedFunction>
        var importedFunctionCount: Int
        var memory: UnsafeMutablePointer<KilnMemoryDefinition>?
        /// The VMContext and its layout: the hot paths (globals, tables, function
        /// references, type ids) read instance state through it, without reference counting.
        var vmctx: UnsafeMutableRawPointer
        var layout: VMContextLayout
        /// The store's runtime block (fuel).
        var runtime: UnsafeMutablePointer<KilnStoreRuntime>

        init(_ instance: Unmanaged<InstanceHandle>) {
            let object = instance.takeUnretainedValue()
            self.instance = instance
            self.functions = object.interpretedFunctions!
            self.importedFunctionCount = object.importedFunctionCount
            self.memory = object.memory0
            self.vmctx = object.vmctx
            self.layout = object.layout
            self.runtime = object.vmctx.load(fromByteOffset: VMContextLayout.storeRuntimeOffset,
                                             as: UnsafeMutablePointer<KilnStoreRuntime>.self)
        }

        var object: InstanceHandle { instance.takeUnretainedValue() }

        @inline(__always) func globalSlot(_ index: UInt32) -> UnsafeMutablePointer<ValRaw> {
            vmctx.load(fromByteOffset: layout.global(Int(index)), as: UnsafeMutablePointer<ValRaw>.self)
        }

        /// The definition of the table a `WidthTaggedIndex` word names.
        @inline(__always) func table(_ word: UInt32) -> UnsafeMutablePointer<KilnTableDefinition> {
            vmctx.load(fromByteOffset: layout.table(WidthTaggedIndex.index(word)), as: UnsafeMutablePointer<KilnTableDefinition>.self)
        }

        @inline(__always) func funcRef(_ index: UInt32) -> UnsafeMutablePointer<KilnFuncRef> {
            vmctx.load(fromByteOffset: layout.function(Int(index)), as: UnsafeMutablePointer<KilnFuncRef>.self)
        }

        @inline(__always) func typeId(_ index: UInt32) -> UInt32 {
            vmctx.load(fromByteOffset: layout.typeId(Int(index)), as: UInt32.self)
        }

        /// The definition of the memory an `WidthTaggedIndex` names.
        @inline(__always) func memoryDefinition(_ word: UInt32) -> UnsafeMutablePointer<KilnMemoryDefinition> {
            vmctx.load(fromByteOffset: layout.memory(WidthTaggedIndex.index(word)),
                       as: UnsafeMutablePointer<KilnMemoryDefinition>.self)
        }

        /// Where an access of `size` bytes lands, for the memory operand at `operand` (memory
        /// word, offset low, offset high) and the address in slot `operand[-1]` unless given;
        /// traps when any byte is out of bounds.
        @inline(__always)
        func memoryAddress(_ fp: UnsafeMutablePointer<UInt64>, _ operand: UnsafePointer<UInt32>, addressSlot: UInt32? = nil,
                           size: UInt64) throws(Trap) -> UnsafeMutableRawPointer {
            let word = operand[0]
            let base = WidthTaggedIndex.address(fp[Int(addressSlot ?? operand[-1])], word)
            let offset = UInt64(operand[1]) | UInt64(operand[2]) << 32
            let definition = memoryDefinition(word).pointee
            let (start, overflow) = base.addingReportingOverflow(offset)
            guard !overflow, MemoryAccess.fits(start, size, in: definition.length) else { throw Trap(.memoryOutOfBounds) }
            return UnsafeMutableRawPointer(definition.base + Int(start))
        }
    }

    /// The instance and defined-function index a function reference names, or nil for a host function.
    @inline(__always)
    private static func target(of reference: UnsafeMutablePointer<KilnFuncRef>) -> (Unmanaged<InstanceHandle>, Int)? {
        let vmctx = reference.pointee.vmctx!
        guard vmctx.load(as: UInt32.self) == UInt32(KILN_VMCTX_MAGIC_INSTANCE) else { return nil }
        let instance = Unmanaged<InstanceHandle>.fromOpaque(
            vmctx.load(fromByteOffset: VMContextLayout.instanceOffset, as: UnsafeMutableRawPointer.self))
        // A compiled instance's functions are called like host functions.
        guard instance.takeUnretainedValue().interpretedFunctions != nil else { return nil }
        return (instance, Int(reference.pointee.functionIndex) - instance.takeUnretainedValue().importedFunctionCount)
    }

    private static func run(_ entryInstance: InstanceHandle, definedIndex entryIndex: Int,
                            fp entryFP: UnsafeMutablePointer<UInt64>, stack: InterpreterStack) throws {
        let entryDepth = stack.depth
        let savedTop = stack.top
        defer {
            stack.depth = entryDepth
            stack.top = savedTop
        }

        var current = InstanceState(Unmanaged.passUnretained(entryInstance))
        var definedIndex = entryIndex
        var frameSize = current.functions[definedIndex].frameSize
        var code = UnsafePointer(current.functions[definedIndex].code)
        var fp = entryFP
        var pc = 0
        var memoryBase = current.memory?.pointee.base ?? UnsafeMutablePointer(bitPattern: 16)!
        var memoryLength = current.memory?.pointee.length ?? 0
        // Set while a tail call runs a host function (or machine code): its frame is gone
        // as far as exceptions go, so their search starts in the caller.
        var tailCallingOut = false
        let stackEnd = stack.end
        let maxDepth = stack.maxDepth

        current.functions[definedIndex].prepareFrame(entryFP)

        // The outer loop resumes the dispatch loop at the handler that caught an exception.
        while true {
        do {
            while true {
                switch Op.decode(code[pc]) {
                case .unreachable:
                    throw Trap(.unreachable)
                case .br:
                    pc = Int(code[pc &+ 1])
                case .brIf:
                    pc = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])]) != 0 ? Int(code[pc &+ 2]) : pc &+ 3
                case .brIfNot:
                    pc = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])]) == 0 ? Int(code[pc &+ 2]) : pc &+ 3
                case .brIfNull:
                    pc = fp[Int(code[pc &+ 1])] == 0 ? Int(code[pc &+ 2]) : pc &+ 3
                case .brIfNotNull:
                    pc = fp[Int(code[pc &+ 1])] != 0 ? Int(code[pc &+ 2]) : pc &+ 3
                case .refAsNonNull:
                    guard fp[Int(code[pc &+ 1])] != 0 else { throw Trap(.nullReference) }
                    pc &+= 2
                case .throw:
                    let tag = current.object.tags[Int(code[pc &+ 1])]
                    var values: [ValRaw] = []
                    var slot = Int(code[pc &+ 2])
                    for type in tag.type.params {
                        values.append(ValRaw(lo: fp[slot], hi: type == .v128 ? fp[slot &+ 1] : 0))
                        slot &+= type == .v128 ? 2 : 1
                    }
                    throw WasmException(Exception(tag: tag, values: values))
                case .throwRef:
                    guard let exception = Exception.fromRaw(UnsafeMutableRawPointer(bitPattern: UInt(fp[Int(code[pc &+ 1])]))) else {
                        throw Trap(.nullExceptionReference)
                    }
                    throw WasmException(exception)
                case .brTable:
                    let index = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                    let count = code[pc &+ 2]
                    pc = Int(code[pc &+ 3 &+ Int(min(index, count))])
                case .return:
                    if stack.depth == entryDepth { return }
                    stack.depth &-= 1
                    let frame = stack.frames[stack.depth]
                    fp = frame.fp
                    pc = frame.returnPC
                    if frame.instance.toOpaque() != current.instance.toOpaque() {
                        current = InstanceState(frame.instance)
                        memoryBase = current.memory?.pointee.base ?? UnsafeMutablePointer(bitPattern: 16)!
                    }
                    definedIndex = frame.definedIndex
                    let function = current.functions[definedIndex]
                    frameSize = function.frameSize
                    code = UnsafePointer(function.code)
                    // The callee's frame began inside this one and covered its constant slots.
                    function.fillConstants(fp)
                    // The callee may have grown (and, with explicit bounds checks, moved) the memory.
                    memoryBase = current.memory?.pointee.base ?? memoryBase
                    memoryLength = current.memory?.pointee.length ?? 0
                case .call:
                    // The common case, a call within the instance, without the generality below.
                    let calleeIndex = Int(code[pc &+ 1]) &- current.importedFunctionCount
                    let callee = current.functions[calleeIndex]
                    let newFP = fp + Int(code[pc &+ 2])
                    guard stack.depth < maxDepth, newFP + callee.frameSize <= stackEnd else { throw Trap(.stackOverflow) }
                    stack.suspend(returnPC: pc &+ 3, fp: fp, instance: current.instance, definedIndex: definedIndex)
                    callee.prepareFrame(newFP)
                    definedIndex = calleeIndex
                    frameSize = callee.frameSize
                    code = UnsafePointer(callee.code)
                    fp = newFP
                    pc = 0
                case .returnCall:
                    // A call within the instance replacing this frame: arguments to slot 0.
                    let calleeIndex = Int(code[pc &+ 1]) &- current.importedFunctionCount
                    let callee = current.functions[calleeIndex]
                    UnsafeMutableRawPointer(fp).copyMemory(from: fp + Int(code[pc &+ 2]), byteCount: Int(code[pc &+ 3]) &* 8)
                    guard fp + callee.frameSize <= stackEnd else { throw Trap(.stackOverflow) }
                    callee.prepareFrame(fp)
                    definedIndex = calleeIndex
                    frameSize = callee.frameSize
                    code = UnsafePointer(callee.code)
                    pc = 0
                case .callImport, .callIndirect, .returnCallImport, .returnCallIndirect, .callRef, .returnCallRef:
                    let op = Op.decode(code[pc])
                    let target: (Unmanaged<InstanceHandle>, Int)?
                    let reference: UnsafeMutablePointer<KilnFuncRef>?
                    var argumentBase: Int
                    let returnPC: Int
                    switch op {
                    case .callImport, .returnCallImport:
                        let funcRef = current.funcRef(code[pc &+ 1])
                        target = Interpreter.target(of: funcRef)
                        reference = funcRef
                        argumentBase = Int(code[pc &+ 2])
                        returnPC = op == .callImport ? pc &+ 3 : pc &+ 4
                    case .callRef, .returnCallRef:
                        guard let raw = UnsafeMutableRawPointer(bitPattern: UInt(fp[Int(code[pc &+ 1])])) else {
                            throw Trap(.nullFunctionReference)
                        }
                        let funcRef = raw.assumingMemoryBound(to: KilnFuncRef.self)
                        target = Interpreter.target(of: funcRef)
                        reference = funcRef
                        argumentBase = Int(code[pc &+ 2])
                        returnPC = op == .callRef ? pc &+ 3 : pc &+ 4
                    default:
                        let table = current.table(code[pc &+ 2]).pointee
                        let index = WidthTaggedIndex.address(fp[Int(code[pc &+ 3])], code[pc &+ 2])
                        guard index < table.length else { throw Trap(.tableOutOfBounds, "undefined element: out of bounds table access") }
                        guard let raw = table.elements[Int(index)] else { throw Trap(.indirectCallToNull, "uninitialized element \(index)") }
                        let funcRef = raw.assumingMemoryBound(to: KilnFuncRef.self)
                        guard funcRef.pointee.typeId == current.typeId(code[pc &+ 1]) else { throw Trap(.badSignature) }
                        target = Interpreter.target(of: funcRef)
                        reference = funcRef
                        argumentBase = Int(code[pc &+ 4])
                        returnPC = op == .callIndirect ? pc &+ 5 : pc &+ 6
                    }
                    // A tail call moves its arguments to slot 0 and, for a callee this loop
                    // runs, replaces the frame; other callees return to the `return` after it.
                    let isTail = op == .returnCallImport || op == .returnCallIndirect || op == .returnCallRef
                    if isTail {
                        UnsafeMutableRawPointer(fp).copyMemory(from: fp + argumentBase, byteCount: Int(code[returnPC &- 1]) &* 8)
                        argumentBase = 0
                    }
                    guard let (calleeInstance, calleeIndex) = target else {
                        // A host function or machine code: it may call back into wasm above this frame.
                        stack.top = fp + frameSize
                        stack.suspend(returnPC: returnPC, fp: fp, instance: current.instance, definedIndex: definedIndex)
                        defer { stack.depth &-= 1 }
                        tailCallingOut = isTail
                        try callOut(reference!, slots: fp + argumentBase, caller: current.object)
                        tailCallingOut = false
                        memoryBase = current.memory?.pointee.base ?? memoryBase
                        memoryLength = current.memory?.pointee.length ?? 0
                        pc = returnPC
                        continue
                    }
                    if calleeInstance.toOpaque() != current.instance.toOpaque() {
                        let next = InstanceState(calleeInstance)
                        let callee = next.functions[calleeIndex]
                        let newFP = fp + argumentBase
                        guard stack.depth < maxDepth, newFP + callee.frameSize <= stackEnd else { throw Trap(.stackOverflow) }
                        if !isTail {
                            stack.suspend(returnPC: returnPC, fp: fp, instance: current.instance, definedIndex: definedIndex)
                        }
                        current = next
                        memoryBase = current.memory?.pointee.base ?? UnsafeMutablePointer(bitPattern: 16)!
                        memoryLength = current.memory?.pointee.length ?? 0
                        callee.prepareFrame(newFP)
                        definedIndex = calleeIndex
                        frameSize = callee.frameSize
                        code = UnsafePointer(callee.code)
                        fp = newFP
                        pc = 0
                        continue
                    }
                    let callee = current.functions[calleeIndex]
                    let newFP = fp + argumentBase
                    guard stack.depth < maxDepth, newFP + callee.frameSize <= stackEnd else { throw Trap(.stackOverflow) }
                    if !isTail {
                        stack.suspend(returnPC: returnPC, fp: fp, instance: current.instance, definedIndex: definedIndex)
                    }
                    callee.prepareFrame(newFP)
                    definedIndex = calleeIndex
                    frameSize = callee.frameSize
                    code = UnsafePointer(callee.code)
                    fp = newFP
                    pc = 0

                case .consumeFuel:
                    current.runtime.pointee.fuel &-= Int64(code[pc &+ 1])
                    pc &+= 2
                case .checkFuel:
                    if current.runtime.pointee.fuel <= 0 {
                        // May yield inside callAsync, while other code (a collection) runs.
                        stack.suspend(returnPC: pc &+ 1, fp: fp, instance: current.instance, definedIndex: definedIndex)
                        defer { stack.depth &-= 1 }
                        try current.object.store.outOfFuel()
                        continue  // check again
                    }
                    pc &+= 1
                case .checkEpoch:
                    let epoch = current.vmctx.load(fromByteOffset: VMContextLayout.epochCounterOffset,
                                                   as: UnsafeMutablePointer<UInt64>.self).pointee
                    if epoch >= current.vmctx.load(fromByteOffset: VMContextLayout.epochDeadlineOffset, as: UInt64.self) {
                        stack.suspend(returnPC: pc &+ 1, fp: fp, instance: current.instance, definedIndex: definedIndex)
                        defer { stack.depth &-= 1 }
                        try current.object.store.epochDeadlineReached()
                        continue
                    }
                    pc &+= 1
                case .copy:
                    fp[Int(code[pc &+ 1])] = fp[Int(code[pc &+ 2])]
                    pc &+= 3
                case .copy128:
                    let lo = fp[Int(code[pc &+ 2])], hi = fp[Int(code[pc &+ 2]) &+ 1]
                    fp[Int(code[pc &+ 1])] = lo
                    fp[Int(code[pc &+ 1]) &+ 1] = hi
                    pc &+= 3
                case .const32:
                    fp[Int(code[pc &+ 1])] = UInt64(code[pc &+ 2])
                    pc &+= 3
                case .const64:
                    fp[Int(code[pc &+ 1])] = UInt64(code[pc &+ 2]) | UInt64(code[pc &+ 3]) << 32
                    pc &+= 4
                case .const128:
                    fp[Int(code[pc &+ 1])] = UInt64(code[pc &+ 2]) | UInt64(code[pc &+ 3]) << 32
                    fp[Int(code[pc &+ 1]) &+ 1] = UInt64(code[pc &+ 4]) | UInt64(code[pc &+ 5]) << 32
                    pc &+= 6
                case .select:
                    let condition = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 4])])
                    fp[Int(code[pc &+ 1])] = condition != 0 ? fp[Int(code[pc &+ 2])] : fp[Int(code[pc &+ 3])]
                    pc &+= 5
                case .select128:
                    let condition = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 4])])
                    let source = Int(condition != 0 ? code[pc &+ 2] : code[pc &+ 3])
                    let lo = fp[source], hi = fp[source &+ 1]
                    fp[Int(code[pc &+ 1])] = lo
                    fp[Int(code[pc &+ 1]) &+ 1] = hi
                    pc &+= 5
                case .globalGet:
                    fp[Int(code[pc &+ 1])] = current.globalSlot(code[pc &+ 2]).pointee.lo
                    pc &+= 3
                case .globalSet:
                    current.globalSlot(code[pc &+ 1]).pointee = ValRaw(lo: fp[Int(code[pc &+ 2])])
                    pc &+= 3
                case .globalGet128:
                    let value = current.globalSlot(code[pc &+ 2]).pointee
                    fp[Int(code[pc &+ 1])] = value.lo
                    fp[Int(code[pc &+ 1]) &+ 1] = value.hi
                    pc &+= 3
                case .globalSet128:
                    let source = Int(code[pc &+ 2])
                    current.globalSlot(code[pc &+ 1]).pointee = ValRaw(lo: fp[source], hi: fp[source &+ 1])
                    pc &+= 3

                case .globalGetExtern:
                    let value = current.globalSlot(code[pc &+ 2]).pointee.lo
                    if value != 0 {
                        // Rooting may collect: the frame must be visible to the collector.
                        stack.suspend(returnPC: pc &+ 3, fp: fp, instance: current.instance, definedIndex: definedIndex)
                        current.object.store.enterWasm(UnsafeMutableRawPointer(bitPattern: UInt(value)))
                        stack.depth &-= 1
                    }
                    fp[Int(code[pc &+ 1])] = value
                    pc &+= 3
                case .globalSetExtern:
                    current.globalSlot(code[pc &+ 1]).storeGlobal(ValRaw(lo: fp[Int(code[pc &+ 2])]), type: .externRef)
                    pc &+= 3
                case .tableGetExtern:
                    let table = current.table(code[pc &+ 2]).pointee
                    let index = WidthTaggedIndex.address(fp[Int(code[pc &+ 3])], code[pc &+ 2])
                    guard index < table.length else { throw Trap(.tableOutOfBounds) }
                    let value = table.elements[Int(index)]
                    if value != nil {
                        stack.suspend(returnPC: pc &+ 4, fp: fp, instance: current.instance, definedIndex: definedIndex)
                        current.object.store.enterWasm(value)
                        stack.depth &-= 1
                    }
                    fp[Int(code[pc &+ 1])] = UInt64(UInt(bitPattern: value))
                    pc &+= 4
                case .tableSetExtern:
                    let index = WidthTaggedIndex.address(fp[Int(code[pc &+ 2])], code[pc &+ 1])
                    let value = UnsafeMutableRawPointer(bitPattern: UInt(fp[Int(code[pc &+ 3])]))
                    guard current.object.table(WidthTaggedIndex.index(code[pc &+ 1])).set(index, value) else { throw Trap(.tableOutOfBounds) }
                    pc &+= 4
                case .tableGet:
                    let table = current.table(code[pc &+ 2]).pointee
                    let index = WidthTaggedIndex.address(fp[Int(code[pc &+ 3])], code[pc &+ 2])
                    guard index < table.length else { throw Trap(.tableOutOfBounds) }
                    fp[Int(code[pc &+ 1])] = UInt64(UInt(bitPattern: table.elements[Int(index)]))
                    pc &+= 4
                case .tableSet:
                    let table = current.table(code[pc &+ 1]).pointee
                    let index = WidthTaggedIndex.address(fp[Int(code[pc &+ 2])], code[pc &+ 1])
                    guard index < table.length else { throw Trap(.tableOutOfBounds) }
                    table.elements[Int(index)] = UnsafeMutableRawPointer(bitPattern: UInt(fp[Int(code[pc &+ 3])]))
                    pc &+= 4
                case .tableSize:
                    fp[Int(code[pc &+ 1])] = current.table(code[pc &+ 2]).pointee.length
                    pc &+= 3
                case .tableGrow:
                    let word = code[pc &+ 2]
                    let table = current.object.table(WidthTaggedIndex.index(word))
                    let initial = UnsafeMutableRawPointer(bitPattern: UInt(fp[Int(code[pc &+ 3])]))
                    let delta = WidthTaggedIndex.address(fp[Int(code[pc &+ 4])], word)
                    let old = table.grow(by: delta, initial: initial)
                    fp[Int(code[pc &+ 1])] = old ?? (WidthTaggedIndex.is64(word) ? UInt64.max : UInt64(UInt32.max))
                    pc &+= 5
                case .tableFill:
                    let word = code[pc &+ 1]
                    let table = current.object.table(WidthTaggedIndex.index(word))
                    let start = WidthTaggedIndex.address(fp[Int(code[pc &+ 2])], word)
                    let value = UnsafeMutableRawPointer(bitPattern: UInt(fp[Int(code[pc &+ 3])]))
                    let count = WidthTaggedIndex.address(fp[Int(code[pc &+ 4])], word)
                    guard table.fill(start, value, count: count) else { throw Trap(.tableOutOfBounds) }
                    pc &+= 5
                case .tableCopy:
                    let object = current.object
                    let destinationWord = code[pc &+ 1], sourceWord = code[pc &+ 2]
                    let destination = object.table(WidthTaggedIndex.index(destinationWord))
                    let source = object.table(WidthTaggedIndex.index(sourceWord))
                    let d = WidthTaggedIndex.address(fp[Int(code[pc &+ 3])], destinationWord)
                    let s = WidthTaggedIndex.address(fp[Int(code[pc &+ 4])], sourceWord)
                    // The length is 64-bit only when both tables are.
                    let n = WidthTaggedIndex.address(fp[Int(code[pc &+ 5])], destinationWord & sourceWord)
                    guard destination.copy(to: d, from: source, at: s, count: n) else { throw Trap(.tableOutOfBounds) }
                    pc &+= 6
                case .tableInit:
                    let d = WidthTaggedIndex.address(fp[Int(code[pc &+ 3])], code[pc &+ 1])
                    let s = UInt64(UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 4])]))
                    let n = UInt64(UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 5])]))
                    try current.object.tableInit(table: WidthTaggedIndex.index(code[pc &+ 1]), segment: Int(code[pc &+ 2]),
                                                                 destination: d, source: s, count: n)
                    pc &+= 6
                case .elemDrop:
                    current.object.dropElementSegment(Int(code[pc &+ 1]))
                    pc &+= 2

                case .i32Load:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 4)
                    fp[Int(code[pc &+ 1])] = UInt64(load(memoryBase, at, as: UInt32.self))
                    pc &+= 4
                case .i64Load:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 8)
                    fp[Int(code[pc &+ 1])] = load(memoryBase, at, as: UInt64.self)
                    pc &+= 4
                case .f32Load:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 4)
                    fp[Int(code[pc &+ 1])] = UInt64(load(memoryBase, at, as: UInt32.self))
                    pc &+= 4
                case .f64Load:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 8)
                    fp[Int(code[pc &+ 1])] = load(memoryBase, at, as: UInt64.self)
                    pc &+= 4
                case .i32Load8S:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 1)
                    fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Int32(Int8(bitPattern: memoryBase[at]))))
                    pc &+= 4
                case .i32Load8U:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 1)
                    fp[Int(code[pc &+ 1])] = UInt64(memoryBase[at])
                    pc &+= 4
                case .i32Load16S:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 2)
                    let value = load(memoryBase, at, as: Int16.self)
                    fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Int32(value)))
                    pc &+= 4
                case .i32Load16U:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 2)
                    fp[Int(code[pc &+ 1])] = UInt64(load(memoryBase, at, as: UInt16.self))
                    pc &+= 4
                case .i64Load8S:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 1)
                    fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(Int8(bitPattern: memoryBase[at])))
                    pc &+= 4
                case .i64Load8U:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 1)
                    fp[Int(code[pc &+ 1])] = UInt64(memoryBase[at])
                    pc &+= 4
                case .i64Load16S:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 2)
                    fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(load(memoryBase, at, as: Int16.self)))
                    pc &+= 4
                case .i64Load16U:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 2)
                    fp[Int(code[pc &+ 1])] = UInt64(load(memoryBase, at, as: UInt16.self))
                    pc &+= 4
                case .i64Load32S:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 4)
                    fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(load(memoryBase, at, as: Int32.self)))
                    pc &+= 4
                case .i64Load32U:
                    let at = try address(fp, memoryLength, code[pc &+ 2], code[pc &+ 3], 4)
                    fp[Int(code[pc &+ 1])] = UInt64(load(memoryBase, at, as: UInt32.self))
                    pc &+= 4
                case .i32Store, .f32Store, .i64Store32:
                    let at = try address(fp, memoryLength, code[pc &+ 1], code[pc &+ 3], 4)
                    store(memoryBase, at, UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])]), as: UInt32.self)
                    pc &+= 4
                case .i64Store, .f64Store:
                    let at = try address(fp, memoryLength, code[pc &+ 1], code[pc &+ 3], 8)
                    store(memoryBase, at, fp[Int(code[pc &+ 2])], as: UInt64.self)
                    pc &+= 4
                case .i32Store8, .i64Store8:
                    let at = try address(fp, memoryLength, code[pc &+ 1], code[pc &+ 3], 1)
                    memoryBase[at] = UInt8(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                    pc &+= 4
                case .i32Store16, .i64Store16:
                    let at = try address(fp, memoryLength, code[pc &+ 1], code[pc &+ 3], 2)
                    store(memoryBase, at, UInt16(truncatingIfNeeded: fp[Int(code[pc &+ 2])]), as: UInt16.self)
                    pc &+= 4
                case .memoryLoad:
                    let op = LoadOp(rawValue: UInt8(truncatingIfNeeded: code[pc &+ 1]))!
                    let at = try current.memoryAddress(fp, code + (pc &+ 4), size: UInt64(1) << op.naturalAlignment)
                    fp[Int(code[pc &+ 2])] = MemoryAccess.load(op, at)
                    pc &+= 7
                case .memoryStore:
                    let op = StoreOp(rawValue: UInt8(truncatingIfNeeded: code[pc &+ 1]))!
                    let at = try current.memoryAddress(fp, code + (pc &+ 4), addressSlot: code[pc &+ 2], size: UInt64(1) << op.naturalAlignment)
                    MemoryAccess.store(op, at, fp[Int(code[pc &+ 3])])
                    pc &+= 7
                case .memorySize:
                    let memory = code[pc &+ 2]
                    fp[Int(code[pc &+ 1])] = current.memoryDefinition(memory).pointee.length / MemoryInstance.pageSize
                    pc &+= 3
                case .memoryGrow:
                    let memory = code[pc &+ 3]
                    let delta = WidthTaggedIndex.address(fp[Int(code[pc &+ 2])], memory)
                    let old = current.object.memory(WidthTaggedIndex.index(memory)).grow(by: delta)
                    fp[Int(code[pc &+ 1])] = old ?? (WidthTaggedIndex.is64(memory) ? UInt64.max : UInt64(UInt32.max))
                    memoryBase = current.memory?.pointee.base ?? memoryBase
                    memoryLength = current.memory?.pointee.length ?? 0
                    pc &+= 4
                case .memoryInit:
                    let memory = code[pc &+ 5]
                    let d = WidthTaggedIndex.address(fp[Int(code[pc &+ 2])], memory)
                    let s = UInt64(UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])]))
                    let n = UInt64(UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 4])]))
                    try current.object.memoryInit(memory: WidthTaggedIndex.index(memory), segment: Int(code[pc &+ 1]),
                                                  destination: d, source: s, count: n)
                    pc &+= 6
                case .dataDrop:
                    current.object.droppedData[Int(code[pc &+ 1])] = true
                    pc &+= 2
                case .memoryCopy:
                    let destinationMemory = code[pc &+ 4], sourceMemory = code[pc &+ 5]
                    let d = WidthTaggedIndex.address(fp[Int(code[pc &+ 1])], destinationMemory)
                    let s = WidthTaggedIndex.address(fp[Int(code[pc &+ 2])], sourceMemory)
                    // The length is 64-bit only when both memories are.
                    let n = WidthTaggedIndex.is64(destinationMemory) && WidthTaggedIndex.is64(sourceMemory)
                        ? fp[Int(code[pc &+ 3])] : UInt64(UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])]))
                    let destination = current.memoryDefinition(destinationMemory).pointee
                    let source = current.memoryDefinition(sourceMemory).pointee
                    guard MemoryAccess.fits(s, n, in: source.length), MemoryAccess.fits(d, n, in: destination.length) else {
                        throw Trap(.memoryOutOfBounds)
                    }
                    UnsafeMutableRawPointer(destination.base + Int(d)).copyMemory(from: source.base + Int(s), byteCount: Int(n))
                    pc &+= 6
                case .memoryFill:
                    let memory = code[pc &+ 4]
                    let d = WidthTaggedIndex.address(fp[Int(code[pc &+ 1])], memory)
                    let value = UInt8(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                    let n = WidthTaggedIndex.address(fp[Int(code[pc &+ 3])], memory)
                    let definition = current.memoryDefinition(memory).pointee
                    guard MemoryAccess.fits(d, n, in: definition.length) else { throw Trap(.memoryOutOfBounds) }
                    (definition.base + Int(d)).update(repeating: value, count: Int(n))
                    pc &+= 5

                case .refNull:
                    fp[Int(code[pc &+ 1])] = 0
                    pc &+= 2
                case .refIsNull:
                    fp[Int(code[pc &+ 1])] = fp[Int(code[pc &+ 2])] == 0 ? 1 : 0
                    pc &+= 3
                case .refFunc:
                    let reference = current.funcRef(code[pc &+ 2])
                    fp[Int(code[pc &+ 1])] = UInt64(UInt(bitPattern: reference))
                    pc &+= 3

                case .v128Load:
                    let op = SIMDLoadOp(rawValue: UInt8(code[pc &+ 1]))!
                    let at = try current.memoryAddress(fp, code + (pc &+ 4), addressSlot: code[pc &+ 3], size: UInt64(op.accessSize))
                    let value = SIMDSemantics.load(op, UnsafeRawPointer(at))
                    fp[Int(code[pc &+ 2])] = value.lo
                    fp[Int(code[pc &+ 2]) &+ 1] = value.hi
                    pc &+= 7
                case .v128Store:
                    let at = try current.memoryAddress(fp, code + (pc &+ 3), addressSlot: code[pc &+ 1], size: 16)
                    let source = Int(code[pc &+ 2])
                    at.storeBytes(of: fp[source], as: UInt64.self)
                    (at + 8).storeBytes(of: fp[source &+ 1], as: UInt64.self)
                    pc &+= 6
                case .v128LoadLane:
                    let op = SIMDLaneMemoryOp(rawValue: UInt8(code[pc &+ 1]))!
                    let at = try current.memoryAddress(fp, code + (pc &+ 5), addressSlot: code[pc &+ 3], size: UInt64(op.accessSize))
                    let vector = v128(fp, code[pc &+ 4])
                    let value = SIMDSemantics.loadLane(op, vector, lane: Int(code[pc &+ 8]), UnsafeRawPointer(at))
                    setV128(fp, code[pc &+ 2], value)
                    pc &+= 9
                case .v128StoreLane:
                    let op = SIMDLaneMemoryOp(rawValue: UInt8(code[pc &+ 1]))!
                    let at = try current.memoryAddress(fp, code + (pc &+ 4), addressSlot: code[pc &+ 2], size: UInt64(op.accessSize))
                    SIMDSemantics.storeLane(op, v128(fp, code[pc &+ 3]), lane: Int(code[pc &+ 7]), at)
                    pc &+= 8
                case .simdUnary:
                    let op = SIMDOp(rawValue: UInt16(truncatingIfNeeded: code[pc &+ 1]))!
                    let flavor = RelaxedSIMDFlavor(rawValue: UInt8(truncatingIfNeeded: code[pc &+ 1] >> 16))!
                    setV128(fp, code[pc &+ 2], SIMDSemantics.unary(op, v128(fp, code[pc &+ 3]), flavor: flavor))
                    pc &+= 4
                case .simdBinary:
                    let op = SIMDOp(rawValue: UInt16(truncatingIfNeeded: code[pc &+ 1]))!
                    let flavor = RelaxedSIMDFlavor(rawValue: UInt8(truncatingIfNeeded: code[pc &+ 1] >> 16))!
                    setV128(fp, code[pc &+ 2], SIMDSemantics.binary(op, v128(fp, code[pc &+ 3]), v128(fp, code[pc &+ 4]), flavor: flavor))
                    pc &+= 5
                case .simdTernary:
                    let op = SIMDOp(rawValue: UInt16(truncatingIfNeeded: code[pc &+ 1]))!
                    let flavor = RelaxedSIMDFlavor(rawValue: UInt8(truncatingIfNeeded: code[pc &+ 1] >> 16))!
                    setV128(fp, code[pc &+ 2], SIMDSemantics.ternary(op, v128(fp, code[pc &+ 3]), v128(fp, code[pc &+ 4]), v128(fp, code[pc &+ 5]), flavor: flavor))
                    pc &+= 6
                case .simdTest:
                    let op = SIMDOp(rawValue: UInt16(code[pc &+ 1]))!
                    fp[Int(code[pc &+ 2])] = UInt64(UInt32(bitPattern: SIMDSemantics.test(op, v128(fp, code[pc &+ 3]))))
                    pc &+= 4
                case .simdShift:
                    let op = SIMDOp(rawValue: UInt16(code[pc &+ 1]))!
                    let count = Int32(truncatingIfNeeded: fp[Int(code[pc &+ 4])])
                    setV128(fp, code[pc &+ 2], SIMDSemantics.shift(op, v128(fp, code[pc &+ 3]), count))
                    pc &+= 5
                case .simdSplat:
                    let op = SIMDOp(rawValue: UInt16(code[pc &+ 1]))!
                    setV128(fp, code[pc &+ 2], SIMDSemantics.splat(op, fp[Int(code[pc &+ 3])]))
                    pc &+= 4
                case .extractLane:
                    let op = SIMDLaneOp(rawValue: UInt8(code[pc &+ 1]))!
                    fp[Int(code[pc &+ 2])] = SIMDSemantics.extractLane(op, v128(fp, code[pc &+ 3]), lane: Int(code[pc &+ 4]))
                    pc &+= 5
                case .replaceLane:
                    let op = SIMDLaneOp(rawValue: UInt8(code[pc &+ 1]))!
                    let value = SIMDSemantics.replaceLane(op, v128(fp, code[pc &+ 3]), lane: Int(code[pc &+ 5]), fp[Int(code[pc &+ 4])])
                    setV128(fp, code[pc &+ 2], value)
                    pc &+= 6
                case .shuffle:
                    let lanes = V128(lo: UInt64(code[pc &+ 4]) | UInt64(code[pc &+ 5]) << 32,
                                     hi: UInt64(code[pc &+ 6]) | UInt64(code[pc &+ 7]) << 32)
                    setV128(fp, code[pc &+ 1], SIMDSemantics.shuffle(v128(fp, code[pc &+ 2]), v128(fp, code[pc &+ 3]), lanes: lanes))
                    pc &+= 8

            // BEGIN GENERATED NUMERIC CASES
            case .i32Eqz:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = ((a == 0) ? 1 : 0)
                pc &+= 3
            case .i32Eq:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a == b) ? 1 : 0)
                pc &+= 4
            case .i32Ne:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a != b) ? 1 : 0)
                pc &+= 4
            case .i32LtS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) < Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32LtU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a < b) ? 1 : 0)
                pc &+= 4
            case .i32GtS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) > Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32GtU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a > b) ? 1 : 0)
                pc &+= 4
            case .i32LeS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) <= Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32LeU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a <= b) ? 1 : 0)
                pc &+= 4
            case .i32GeS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) >= Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32GeU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a >= b) ? 1 : 0)
                pc &+= 4
            case .i64Eqz:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = ((a == 0) ? 1 : 0)
                pc &+= 3
            case .i64Eq:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((a == b) ? 1 : 0)
                pc &+= 4
            case .i64Ne:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((a != b) ? 1 : 0)
                pc &+= 4
            case .i64LtS:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) < Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i64LtU:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((a < b) ? 1 : 0)
                pc &+= 4
            case .i64GtS:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) > Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i64GtU:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((a > b) ? 1 : 0)
                pc &+= 4
            case .i64LeS:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) <= Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i64LeU:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((a <= b) ? 1 : 0)
                pc &+= 4
            case .i64GeS:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) >= Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i64GeU:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = ((a >= b) ? 1 : 0)
                pc &+= 4
            case .f32Eq:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a == b) ? 1 : 0)
                pc &+= 4
            case .f32Ne:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a != b) ? 1 : 0)
                pc &+= 4
            case .f32Lt:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a < b) ? 1 : 0)
                pc &+= 4
            case .f32Gt:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a > b) ? 1 : 0)
                pc &+= 4
            case .f32Le:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a <= b) ? 1 : 0)
                pc &+= 4
            case .f32Ge:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a >= b) ? 1 : 0)
                pc &+= 4
            case .f64Eq:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a == b) ? 1 : 0)
                pc &+= 4
            case .f64Ne:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a != b) ? 1 : 0)
                pc &+= 4
            case .f64Lt:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a < b) ? 1 : 0)
                pc &+= 4
            case .f64Gt:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a > b) ? 1 : 0)
                pc &+= 4
            case .f64Le:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a <= b) ? 1 : 0)
                pc &+= 4
            case .f64Ge:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = ((a >= b) ? 1 : 0)
                pc &+= 4
            case .i32Clz:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(a.leadingZeroBitCount))
                pc &+= 3
            case .i32Ctz:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(a.trailingZeroBitCount))
                pc &+= 3
            case .i32Popcnt:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(a.nonzeroBitCount))
                pc &+= 3
            case .i32Add:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a &+ b)
                pc &+= 4
            case .i32Sub:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a &- b)
                pc &+= 4
            case .i32Mul:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a &* b)
                pc &+= 4
            case .i32DivS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: try Numerics.divS(Int32(bitPattern: a), Int32(bitPattern: b))))
                pc &+= 4
            case .i32DivU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(try Numerics.divU(a, b))
                pc &+= 4
            case .i32RemS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: try Numerics.remS(Int32(bitPattern: a), Int32(bitPattern: b))))
                pc &+= 4
            case .i32RemU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(try Numerics.remU(a, b))
                pc &+= 4
            case .i32And:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a & b)
                pc &+= 4
            case .i32Or:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a | b)
                pc &+= 4
            case .i32Xor:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a ^ b)
                pc &+= 4
            case .i32Shl:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a &<< b)
                pc &+= 4
            case .i32ShrS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(bitPattern: b)))
                pc &+= 4
            case .i32ShrU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64(a &>> b)
                pc &+= 4
            case .i32Rotl:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64((a &<< b) | (a &>> (32 &- (b & 31))))
                pc &+= 4
            case .i32Rotr:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = UInt64((a &>> b) | (a &<< (32 &- (b & 31))))
                pc &+= 4
            case .i64Clz:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = UInt64(a.leadingZeroBitCount)
                pc &+= 3
            case .i64Ctz:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = UInt64(a.trailingZeroBitCount)
                pc &+= 3
            case .i64Popcnt:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = UInt64(a.nonzeroBitCount)
                pc &+= 3
            case .i64Add:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a &+ b
                pc &+= 4
            case .i64Sub:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a &- b
                pc &+= 4
            case .i64Mul:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a &* b
                pc &+= 4
            case .i64DivS:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: try Numerics.divS(Int64(bitPattern: a), Int64(bitPattern: b)))
                pc &+= 4
            case .i64DivU:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = try Numerics.divU(a, b)
                pc &+= 4
            case .i64RemS:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: try Numerics.remS(Int64(bitPattern: a), Int64(bitPattern: b)))
                pc &+= 4
            case .i64RemU:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = try Numerics.remU(a, b)
                pc &+= 4
            case .i64And:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a & b
                pc &+= 4
            case .i64Or:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a | b
                pc &+= 4
            case .i64Xor:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a ^ b
                pc &+= 4
            case .i64Shl:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a &<< b
                pc &+= 4
            case .i64ShrS:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: b))
                pc &+= 4
            case .i64ShrU:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = a &>> b
                pc &+= 4
            case .i64Rotl:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = (a &<< b) | (a &>> (64 &- (b & 63)))
                pc &+= 4
            case .i64Rotr:
                let a = fp[Int(code[pc &+ 2])]
                let b = fp[Int(code[pc &+ 3])]
                fp[Int(code[pc &+ 1])] = (a &>> b) | (a &<< (64 &- (b & 63)))
                pc &+= 4
            case .f32Abs:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.abs(a))
                pc &+= 3
            case .f32Neg:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.neg(a))
                pc &+= 3
            case .f32Ceil:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.up))
                pc &+= 3
            case .f32Floor:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.down))
                pc &+= 3
            case .f32Trunc:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.towardZero))
                pc &+= 3
            case .f32Nearest:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.toNearestOrEven))
                pc &+= 3
            case .f32Sqrt:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.squareRoot())
                pc &+= 3
            case .f32Add:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a + b)
                pc &+= 4
            case .f32Sub:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a - b)
                pc &+= 4
            case .f32Mul:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a * b)
                pc &+= 4
            case .f32Div:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a / b)
                pc &+= 4
            case .f32Min:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.min(a, b))
                pc &+= 4
            case .f32Max:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.max(a, b))
                pc &+= 4
            case .f32Copysign:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = asF32(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.copysign(a, b))
                pc &+= 4
            case .f64Abs:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.abs(a))
                pc &+= 3
            case .f64Neg:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.neg(a))
                pc &+= 3
            case .f64Ceil:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.up))
                pc &+= 3
            case .f64Floor:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.down))
                pc &+= 3
            case .f64Trunc:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.towardZero))
                pc &+= 3
            case .f64Nearest:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.rounded(.toNearestOrEven))
                pc &+= 3
            case .f64Sqrt:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(a.squareRoot())
                pc &+= 3
            case .f64Add:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a + b)
                pc &+= 4
            case .f64Sub:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a - b)
                pc &+= 4
            case .f64Mul:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a * b)
                pc &+= 4
            case .f64Div:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(a / b)
                pc &+= 4
            case .f64Min:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.min(a, b))
                pc &+= 4
            case .f64Max:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.max(a, b))
                pc &+= 4
            case .f64Copysign:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = asF64(fp[Int(code[pc &+ 3])])
                fp[Int(code[pc &+ 1])] = bits(Numerics.copysign(a, b))
                pc &+= 4
            case .i32WrapI64:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(truncatingIfNeeded: a))
                pc &+= 3
            case .i32TruncF32S:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: try Numerics.truncI32S(Double(a))))
                pc &+= 3
            case .i32TruncF32U:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(try Numerics.truncI32U(Double(a)))
                pc &+= 3
            case .i32TruncF64S:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: try Numerics.truncI32S(a)))
                pc &+= 3
            case .i32TruncF64U:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(try Numerics.truncI32U(a))
                pc &+= 3
            case .i64ExtendI32S:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(Int32(bitPattern: a)))
                pc &+= 3
            case .i64ExtendI32U:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(a)
                pc &+= 3
            case .i64TruncF32S:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: try Numerics.truncI64S(Double(a)))
                pc &+= 3
            case .i64TruncF32U:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = try Numerics.truncI64U(Double(a))
                pc &+= 3
            case .i64TruncF64S:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: try Numerics.truncI64S(a))
                pc &+= 3
            case .i64TruncF64U:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = try Numerics.truncI64U(a)
                pc &+= 3
            case .f32ConvertI32S:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Float(Int32(bitPattern: a)))
                pc &+= 3
            case .f32ConvertI32U:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Float(a))
                pc &+= 3
            case .f32ConvertI64S:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = bits(Float(Int64(bitPattern: a)))
                pc &+= 3
            case .f32ConvertI64U:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = bits(Float(a))
                pc &+= 3
            case .f32DemoteF64:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Float(a))
                pc &+= 3
            case .f64ConvertI32S:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Double(Int32(bitPattern: a)))
                pc &+= 3
            case .f64ConvertI32U:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Double(a))
                pc &+= 3
            case .f64ConvertI64S:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = bits(Double(Int64(bitPattern: a)))
                pc &+= 3
            case .f64ConvertI64U:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = bits(Double(a))
                pc &+= 3
            case .f64PromoteF32:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Double(a))
                pc &+= 3
            case .i32ReinterpretF32:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(a.bitPattern)
                pc &+= 3
            case .i64ReinterpretF64:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = a.bitPattern
                pc &+= 3
            case .f32ReinterpretI32:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = bits(Float(bitPattern: a))
                pc &+= 3
            case .f64ReinterpretI64:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = bits(Double(bitPattern: a))
                pc &+= 3
            case .i32Extend8S:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a))))
                pc &+= 3
            case .i32Extend16S:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a))))
                pc &+= 3
            case .i64Extend8S:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: a)))
                pc &+= 3
            case .i64Extend16S:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: a)))
                pc &+= 3
            case .i64Extend32S:
                let a = fp[Int(code[pc &+ 2])]
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a)))
                pc &+= 3
            case .i32TruncSatF32S:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Numerics.truncSatI32S(Double(a))))
                pc &+= 3
            case .i32TruncSatF32U:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(Numerics.truncSatI32U(Double(a)))
                pc &+= 3
            case .i32TruncSatF64S:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Numerics.truncSatI32S(a)))
                pc &+= 3
            case .i32TruncSatF64U:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(Numerics.truncSatI32U(a))
                pc &+= 3
            case .i64TruncSatF32S:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Numerics.truncSatI64S(Double(a)))
                pc &+= 3
            case .i64TruncSatF32U:
                let a = asF32(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = Numerics.truncSatI64U(Double(a))
                pc &+= 3
            case .i64TruncSatF64S:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Numerics.truncSatI64S(a))
                pc &+= 3
            case .i64TruncSatF64U:
                let a = asF64(fp[Int(code[pc &+ 2])])
                fp[Int(code[pc &+ 1])] = Numerics.truncSatI64U(a)
                pc &+= 3
            case .i32AddImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a &+ b)
                pc &+= 4
            case .i32SubImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a &- b)
                pc &+= 4
            case .i32MulImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a &* b)
                pc &+= 4
            case .i32AndImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a & b)
                pc &+= 4
            case .i32OrImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a | b)
                pc &+= 4
            case .i32XorImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a ^ b)
                pc &+= 4
            case .i32ShlImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a &<< b)
                pc &+= 4
            case .i32ShrSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(bitPattern: b)))
                pc &+= 4
            case .i32ShrUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = UInt64(a &>> b)
                pc &+= 4
            case .i32EqImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((a == b) ? 1 : 0)
                pc &+= 4
            case .i32NeImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((a != b) ? 1 : 0)
                pc &+= 4
            case .i32LtSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) < Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32LtUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((a < b) ? 1 : 0)
                pc &+= 4
            case .i32GtSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) > Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32GtUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((a > b) ? 1 : 0)
                pc &+= 4
            case .i32LeSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) <= Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32LeUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((a <= b) ? 1 : 0)
                pc &+= 4
            case .i32GeSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((Int32(bitPattern: a) >= Int32(bitPattern: b)) ? 1 : 0)
                pc &+= 4
            case .i32GeUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let b = code[pc &+ 3]
                fp[Int(code[pc &+ 1])] = ((a >= b) ? 1 : 0)
                pc &+= 4
            case .i64AddImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a &+ b
                pc &+= 5
            case .i64SubImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a &- b
                pc &+= 5
            case .i64MulImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a &* b
                pc &+= 5
            case .i64AndImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a & b
                pc &+= 5
            case .i64OrImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a | b
                pc &+= 5
            case .i64XorImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a ^ b
                pc &+= 5
            case .i64ShlImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a &<< b
                pc &+= 5
            case .i64ShrSImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: b))
                pc &+= 5
            case .i64ShrUImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = a &>> b
                pc &+= 5
            case .i64EqImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((a == b) ? 1 : 0)
                pc &+= 5
            case .i64NeImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((a != b) ? 1 : 0)
                pc &+= 5
            case .i64LtSImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) < Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 5
            case .i64LtUImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((a < b) ? 1 : 0)
                pc &+= 5
            case .i64GtSImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) > Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 5
            case .i64GtUImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((a > b) ? 1 : 0)
                pc &+= 5
            case .i64LeSImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) <= Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 5
            case .i64LeUImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((a <= b) ? 1 : 0)
                pc &+= 5
            case .i64GeSImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((Int64(bitPattern: a) >= Int64(bitPattern: b)) ? 1 : 0)
                pc &+= 5
            case .i64GeUImm:
                let a = fp[Int(code[pc &+ 2])]
                let b = (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)
                fp[Int(code[pc &+ 1])] = ((a >= b) ? 1 : 0)
                pc &+= 5
            case .f64AddImm:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = Double(bitPattern: (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32))
                fp[Int(code[pc &+ 1])] = bits(a + b)
                pc &+= 5
            case .f64SubImm:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = Double(bitPattern: (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32))
                fp[Int(code[pc &+ 1])] = bits(a - b)
                pc &+= 5
            case .f64MulImm:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = Double(bitPattern: (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32))
                fp[Int(code[pc &+ 1])] = bits(a * b)
                pc &+= 5
            case .f64DivImm:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let b = Double(bitPattern: (UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32))
                fp[Int(code[pc &+ 1])] = bits(a / b)
                pc &+= 5
            case .f32AddImm:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = Float(bitPattern: code[pc &+ 3])
                fp[Int(code[pc &+ 1])] = bits(a + b)
                pc &+= 4
            case .f32SubImm:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = Float(bitPattern: code[pc &+ 3])
                fp[Int(code[pc &+ 1])] = bits(a - b)
                pc &+= 4
            case .f32MulImm:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = Float(bitPattern: code[pc &+ 3])
                fp[Int(code[pc &+ 1])] = bits(a * b)
                pc &+= 4
            case .f32DivImm:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let b = Float(bitPattern: code[pc &+ 3])
                fp[Int(code[pc &+ 1])] = bits(a / b)
                pc &+= 4
            case .i32AddMem:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = load(memoryBase, at, as: UInt32.self)
                fp[Int(code[pc &+ 1])] = UInt64(a &+ b)
                pc &+= 5
            case .i32SubMem:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = load(memoryBase, at, as: UInt32.self)
                fp[Int(code[pc &+ 1])] = UInt64(a &- b)
                pc &+= 5
            case .i32MulMem:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = load(memoryBase, at, as: UInt32.self)
                fp[Int(code[pc &+ 1])] = UInt64(a &* b)
                pc &+= 5
            case .i32AndMem:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = load(memoryBase, at, as: UInt32.self)
                fp[Int(code[pc &+ 1])] = UInt64(a & b)
                pc &+= 5
            case .i32OrMem:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = load(memoryBase, at, as: UInt32.self)
                fp[Int(code[pc &+ 1])] = UInt64(a | b)
                pc &+= 5
            case .i32XorMem:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = load(memoryBase, at, as: UInt32.self)
                fp[Int(code[pc &+ 1])] = UInt64(a ^ b)
                pc &+= 5
            case .i64AddMem:
                let a = fp[Int(code[pc &+ 2])]
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = load(memoryBase, at, as: UInt64.self)
                fp[Int(code[pc &+ 1])] = a &+ b
                pc &+= 5
            case .i64SubMem:
                let a = fp[Int(code[pc &+ 2])]
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = load(memoryBase, at, as: UInt64.self)
                fp[Int(code[pc &+ 1])] = a &- b
                pc &+= 5
            case .i64MulMem:
                let a = fp[Int(code[pc &+ 2])]
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = load(memoryBase, at, as: UInt64.self)
                fp[Int(code[pc &+ 1])] = a &* b
                pc &+= 5
            case .i64AndMem:
                let a = fp[Int(code[pc &+ 2])]
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = load(memoryBase, at, as: UInt64.self)
                fp[Int(code[pc &+ 1])] = a & b
                pc &+= 5
            case .i64OrMem:
                let a = fp[Int(code[pc &+ 2])]
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = load(memoryBase, at, as: UInt64.self)
                fp[Int(code[pc &+ 1])] = a | b
                pc &+= 5
            case .i64XorMem:
                let a = fp[Int(code[pc &+ 2])]
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = load(memoryBase, at, as: UInt64.self)
                fp[Int(code[pc &+ 1])] = a ^ b
                pc &+= 5
            case .f32AddMem:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = Float(bitPattern: load(memoryBase, at, as: UInt32.self))
                fp[Int(code[pc &+ 1])] = bits(a + b)
                pc &+= 5
            case .f32SubMem:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = Float(bitPattern: load(memoryBase, at, as: UInt32.self))
                fp[Int(code[pc &+ 1])] = bits(a - b)
                pc &+= 5
            case .f32MulMem:
                let a = asF32(fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 4)
                let b = Float(bitPattern: load(memoryBase, at, as: UInt32.self))
                fp[Int(code[pc &+ 1])] = bits(a * b)
                pc &+= 5
            case .f64AddMem:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = Double(bitPattern: load(memoryBase, at, as: UInt64.self))
                fp[Int(code[pc &+ 1])] = bits(a + b)
                pc &+= 5
            case .f64SubMem:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = Double(bitPattern: load(memoryBase, at, as: UInt64.self))
                fp[Int(code[pc &+ 1])] = bits(a - b)
                pc &+= 5
            case .f64MulMem:
                let a = asF64(fp[Int(code[pc &+ 2])])
                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], 8)
                let b = Double(bitPattern: load(memoryBase, at, as: UInt64.self))
                fp[Int(code[pc &+ 1])] = bits(a * b)
                pc &+= 5
            case .brIfI32Eq:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = a == b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32EqImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = a == b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32Ne:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = a != b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32NeImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = a != b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LtS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = Int32(bitPattern: a) < Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LtSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = Int32(bitPattern: a) < Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LtU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = a < b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LtUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = a < b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GtS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = Int32(bitPattern: a) > Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GtSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = Int32(bitPattern: a) > Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GtU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = a > b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GtUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = a > b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LeS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = Int32(bitPattern: a) <= Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LeSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = Int32(bitPattern: a) <= Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LeU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = a <= b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32LeUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = a <= b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GeS:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = Int32(bitPattern: a) >= Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GeSImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = Int32(bitPattern: a) >= Int32(bitPattern: b) ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GeU:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 2])])
                pc = a >= b ? Int(code[pc &+ 3]) : pc &+ 4
            case .brIfI32GeUImm:
                let a = UInt32(truncatingIfNeeded: fp[Int(code[pc &+ 1])])
                let b = code[pc &+ 2]
                pc = a >= b ? Int(code[pc &+ 3]) : pc &+ 4
            // END GENERATED NUMERIC CASES
                }
            }
        } catch let thrown as WasmException {
            // Find the handler: in this frame's handlers around pc, then in each caller's
            // around its call, down to the frames of this activation.
            var searchPC = pc
            var skipFrame = tailCallingOut
            tailCallingOut = false
            while true {
                let handlers = current.object.module.interpreted!.handlers[definedIndex]
                var h = skipFrame ? -1 : ExceptionHandler.innermost(handlers, at: UInt32(searchPC))
                skipFrame = false
                var landing: ExceptionHandler.Clause?
                let payload = thrown.exception.payload
                search: while h >= 0 {
                    for clause in handlers[h].clauses {
                        switch clause.kind {
                        case .catchAll, .catchAllRef: landing = clause
                        case .catch, .catchRef:
                            if current.object.tags[Int(clause.tag)] === payload.tag { landing = clause }
                        }
                        if landing != nil { break search }
                    }
                    h = handlers[h].next
                }
                if let landing {
                    if landing.kind == .catch || landing.kind == .catchRef {
                        var slot = Int(landing.base)
                        for (value, type) in zip(payload.values, payload.tag.type.params) {
                            fp[slot] = value.lo
                            if type == .v128 { fp[slot + 1] = value.hi }
                            slot += type == .v128 ? 2 : 1
                            if type.isCountedReference, let raw = value.externref { current.object.store.enterWasm(raw) }
                        }
                    }
                    if landing.exceptionSlot != ExceptionHandler.noSlot {
                        // The frame holds the exception now: root it in the store.
                        current.object.store.enterWasm(thrown.exception.toRaw())
                        fp[Int(landing.exceptionSlot)] = UInt64(UInt(bitPattern: thrown.exception.toRaw()))
                    }
                    pc = Int(landing.landing)
                    memoryBase = current.memory?.pointee.base ?? UnsafeMutablePointer(bitPattern: 16)!
                    memoryLength = current.memory?.pointee.length ?? 0
                    break
                }
                // No handler here: leave the frame.
                if stack.depth == entryDepth { throw thrown }
                stack.depth &-= 1
                let frame = stack.frames[stack.depth]
                fp = frame.fp
                searchPC = frame.returnPC - 1
                if frame.instance.toOpaque() != current.instance.toOpaque() { current = InstanceState(frame.instance) }
                definedIndex = frame.definedIndex
                let function = current.functions[definedIndex]
                frameSize = function.frameSize
                code = UnsafePointer(function.code)
                function.fillConstants(fp)
            }
        } catch {
            throw backtraced(error, pc: pc, instance: current.object, definedIndex: definedIndex,
                             stack: stack, entryDepth: entryDepth)
        }
        }
    }

    /// The address of an access of `size` bytes at `fp[slot] + offset`, checked against the memory.
    @inline(__always)
    private static func address(_ fp: UnsafeMutablePointer<UInt64>, _ memoryLength: UInt64, _ slot: UInt32, _ offset: UInt32,
                                _ size: UInt64) throws(Trap) -> Int {
        let address = UInt64(UInt32(truncatingIfNeeded: fp[Int(slot)])) &+ UInt64(offset)
        guard address &+ size <= memoryLength else { throw Trap(.memoryOutOfBounds) }
        return Int(address)
    }

    @inline(__always)
    private static func v128(_ fp: UnsafeMutablePointer<UInt64>, _ slot: UInt32) -> V128 {
        V128(lo: fp[Int(slot)], hi: fp[Int(slot) &+ 1])
    }

    @inline(__always)
    private static func setV128(_ fp: UnsafeMutablePointer<UInt64>, _ slot: UInt32, _ value: V128) {
        fp[Int(slot)] = value.lo
        fp[Int(slot) &+ 1] = value.hi
    }

    /// Calls a function the interpreter does not run itself (a host function, or machine
    /// code) with its arguments in `slots`, writing its results there.
    private static func callOut(_ reference: UnsafeMutablePointer<KilnFuncRef>, slots: UnsafeMutablePointer<UInt64>,
                                caller: InstanceHandle) throws {
        let store = caller.store
        let type = store.engine.types.type(for: reference.pointee.typeId)
        let count = max(type.params.count, type.results.count, 1)
        try withUnsafeTemporaryAllocation(of: ValRaw.self, capacity: count) { values in
            var slot = 0
            for (i, param) in type.params.enumerated() {
                values[i] = ValRaw(lo: slots[slot], hi: param == .v128 ? slots[slot + 1] : 0)
                slot += param == .v128 ? 2 : 1
            }
            do {
                try store.invoke(reference, values, caller: caller)
            } catch let trap as Trap {
                throw trap
            } catch let exception as WasmException {
                throw exception
            } catch {
                var trap = Trap("host function error: \(error)")
                trap.hostError = error
                throw trap
            }
            slot = 0
            for (i, result) in type.results.enumerated() {
                slots[slot] = values[i].lo
                if result == .v128 { slots[slot + 1] = values[i].hi }
                slot += result == .v128 ? 2 : 1
            }
        }
    }

    /// Adds the wasm frames of this activation to a trap's backtrace.
    private static func backtraced(_ error: any Error, pc: Int, instance: InstanceHandle, definedIndex: Int,
                                   stack: InterpreterStack, entryDepth: Int) -> any Error {
        guard var trap = error as? Trap else { return error }
        var frames: [FrameInfo] = [frameInfo(instance, definedIndex, pc: pc)]
        var depth = stack.depth
        while depth > entryDepth {
            depth -= 1
            let frame = stack.frames[depth]
            frames.append(frameInfo(frame.instance.takeUnretainedValue(), frame.definedIndex, pc: frame.returnPC - 1))
        }
        // Frames from inner activations (host → wasm) come first.
        trap.backtrace = trap.backtrace + frames
        return trap
    }

    private static func frameInfo(_ instance: InstanceHandle, _ definedIndex: Int, pc: Int) -> FrameInfo {
        let info = instance.module.info
        let index = definedIndex + info.importedFunctionCount
        return FrameInfo(functionIndex: index, functionName: info.names.functionNames[UInt32(index)],
                         moduleOffset: instance.code!.moduleOffset(function: definedIndex, pc: pc),
                         moduleName: info.names.moduleName)
    }
}
