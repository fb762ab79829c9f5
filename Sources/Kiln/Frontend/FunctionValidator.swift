/// Type-checks a function body one instruction at a time, following the algorithm of the
/// spec's validation appendix: an operand stack of types and a stack of control frames.
///
/// The state is meant to be shared: the single-pass compiler and the interpreter's
/// translator call `validate(_:at:)` for each instruction just before lowering it, and
/// read `frames`, `operandCount` and `isUnreachable` to know the shape of the stack
/// without keeping a second copy of it. Nothing here allocates per instruction; the two
/// stacks keep their capacity across functions.
struct FunctionValidator {
    /// How a control frame was opened.
    enum FrameKind: UInt8, Sendable, BitwiseCopyable {
        case function, block, loop, `if`, `else`
        /// Exception handling: `try_table`; the legacy `try`, and its `catch` and `catch_all` arms.
        case tryTable, `try`, `catch`, catchAll
    }

    struct ControlFrame: Sendable, BitwiseCopyable {
        var kind: FrameKind
        var blockType: BlockType
        /// Operand-stack height when the frame was entered (after its parameters were popped).
        var height: Int
        /// Set after `unreachable`, `br`, `br_table`, `return`: the rest of the frame is
        /// stack-polymorphic.
        var isUnreachable: Bool
        /// Length of `initializedLocals` when the frame was entered: the non-nullable locals
        /// set inside the frame are uninitialized again after it.
        var initializedHeight: Int = 0
    }

    /// A value type, or unknown (the bottom type produced by a polymorphic stack).
    typealias OperandType = ValType?

    let module: ModuleInfo
    let operands = UnsafeStack<OperandType>()
    let frames = UnsafeStack<ControlFrame>()
    /// Types of the parameters and declared locals of the current function.
    private(set) var locals: [ValType] = []
    private(set) var functionType = FuncType()
    private var offset = 0
    /// The current function body, for reading `br_table` targets.
    private var body = ByteReader(base: UnsafeRawPointer(bitPattern: 1)!, position: 0, end: 0)
    private var scratch: [OperandType] = []
    /// Per local: whether it may be read (typed function references: a non-nullable local
    /// must be set first). `initializedLocals` lists those set since their frame began.
    private var isInitialized: [Bool] = []
    private var initializedLocals: [Int] = []

    /// Implementation limit on parameters plus locals of one function (wasmtime's as well).
    static let maxLocals = 50_000

    init(module: ModuleInfo) {
        self.module = module
    }

    var operandCount: Int { operands.count }
    var isUnreachable: Bool { frames.last?.isUnreachable ?? true }
    var isFunctionFinished: Bool { frames.isEmpty }

    /// Starts a function of type index `typeIndex`, reading its local declarations
    /// from `reader` (left just after them).
    mutating func beginFunction(typeIndex: UInt32, reader: inout ByteReader) throws(WasmError) {
        functionType = module.types[Int(typeIndex)]
        operands.removeAll()
        frames.removeAll()
        locals.removeAll(keepingCapacity: true)
        locals.append(contentsOf: functionType.params)
        let groupCount = try reader.readCount(minElementSize: 2)
        for _ in 0..<groupCount {
            let at = reader.position
            let count = try reader.readU32()
            let type = try reader.readValType(module.features)
            guard Int(count) <= FunctionValidator.maxLocals - locals.count else {
                throw .malformed("too many locals", at: at)
            }
            locals.append(contentsOf: repeatElement(type, count: Int(count)))
        }
        for type in locals { try checkType(type) }
        isInitialized = locals.indices.map { $0 < functionType.params.count || ModuleInfo.isDefaultable(locals[$0]) }
        initializedLocals.removeAll(keepingCapacity: true)
        frames.append(ControlFrame(kind: .function, blockType: .typeIndex(typeIndex), height: 0, isUnreachable: false))
        body = reader
    }

    // MARK: Block types

    @inline(__always)
    func parameterCount(_ type: BlockType) -> Int {
        if case .typeIndex(let index) = type { return module.types[Int(index)].params.count }
        return 0
    }

    @inline(__always)
    func parameterType(_ type: BlockType, _ i: Int) -> ValType {
        guard case .typeIndex(let index) = type else { preconditionFailure("no parameters") }
        return module.types[Int(index)].params[i]
    }

    @inline(__always)
    func resultCount(_ type: BlockType) -> Int {
        switch type {
        case .empty: return 0
        case .value: return 1
        case .typeIndex(let index): return module.types[Int(index)].results.count
        }
    }

    @inline(__always)
    func resultType(_ type: BlockType, _ i: Int) -> ValType {
        switch type {
        case .empty: preconditionFailure("no results")
        case .value(let type): return type
        case .typeIndex(let index): return module.types[Int(index)].results[i]
        }
    }

    /// Arity of the values a branch to `frame` carries.
    @inline(__always)
    func labelCount(_ frame: ControlFrame) -> Int {
        frame.kind == .loop ? parameterCount(frame.blockType) : resultCount(frame.blockType)
    }

    @inline(__always)
    func labelType(_ frame: ControlFrame, _ i: Int) -> ValType {
        frame.kind == .loop ? parameterType(frame.blockType, i) : resultType(frame.blockType, i)
    }

    // MARK: Operand stack

    private func error(_ message: String) -> WasmError { .invalid(message, at: offset) }

    @inline(__always)
    private mutating func push(_ type: OperandType) { operands.append(type) }

    @inline(__always)
    private mutating func pop() throws(WasmError) -> OperandType {
        let frame = frames[frames.count - 1]
        if operands.count == frame.height {
            if frame.isUnreachable { return nil }
            throw error("type mismatch")
        }
        return operands.removeLast()
    }

    /// The common case inline (a value of exactly the expected type above the frame's
    /// base: a compare and a decrement); the rest in `popChecked`, out of line, so that
    /// the million calls of a large module do not each pay the slow path's frame.
    @discardableResult @inline(__always)
    private mutating func pop(_ expected: ValType) throws(WasmError) -> OperandType {
        let count = operands.count
        if count > frames[frames.count - 1].height, let actual = operands[count - 1], actual == expected {
            operands.truncate(to: count - 1)
            return actual
        }
        return try popChecked(expected)
    }

    @inline(never)
    private mutating func popChecked(_ expected: ValType) throws(WasmError) -> OperandType {
        let actual = try pop()
        if let actual, actual != expected, !module.isSubtype(actual, of: expected) { throw error("type mismatch") }
        return actual
    }

    /// Pops a reference of any type (nil: unknown, on a polymorphic stack).
    private mutating func popReference() throws(WasmError) -> RefType? {
        guard let type = try pop() else { return nil }
        guard case .ref(let reference) = type else { throw error("type mismatch") }
        return reference
    }

    /// Checks that the type indices a type names exist.
    @inline(__always)
    private func checkType(_ type: ValType) throws(WasmError) {
        if case .ref(let reference) = type { try checkHeapType(reference.heapType) }
    }

    private func checkHeapType(_ type: HeapType) throws(WasmError) {
        if case .concrete(let index) = type, Int(index) >= module.types.count { throw error("unknown type") }
    }

    private mutating func popParameters(_ type: BlockType) throws(WasmError) {
        var i = parameterCount(type)
        while i > 0 {
            i -= 1
            try pop(parameterType(type, i))
        }
    }

    private mutating func pushParameters(_ type: BlockType) {
        for i in 0..<parameterCount(type) { push(parameterType(type, i)) }
    }

    private mutating func popResults(_ type: BlockType) throws(WasmError) {
        var i = resultCount(type)
        while i > 0 {
            i -= 1
            try pop(resultType(type, i))
        }
    }

    private mutating func pushResults(_ type: BlockType) {
        for i in 0..<resultCount(type) { push(resultType(type, i)) }
    }

    private mutating func popLabel(_ frame: ControlFrame) throws(WasmError) {
        var i = labelCount(frame)
        while i > 0 {
            i -= 1
            try pop(labelType(frame, i))
        }
    }

    private mutating func pushLabel(_ frame: ControlFrame) {
        for i in 0..<labelCount(frame) { push(labelType(frame, i)) }
    }

    private mutating func setUnreachable() {
        operands.truncate(to: frames[frames.count - 1].height)
        frames[frames.count - 1].isUnreachable = true
    }

    private mutating func pushFrame(_ kind: FrameKind, _ type: BlockType) throws(WasmError) {
        if case .typeIndex(let index) = type, Int(index) >= module.types.count {
            throw error("unknown type")
        }
        if case .value(let value) = type { try checkType(value) }
        try popParameters(type)
        frames.append(ControlFrame(kind: kind, blockType: type, height: operands.count, isUnreachable: false,
                                   initializedHeight: initializedLocals.count))
        pushParameters(type)
    }

    private mutating func popFrame() throws(WasmError) -> ControlFrame {
        let frame = frames[frames.count - 1]
        try popResults(frame.blockType)
        guard operands.count == frame.height else { throw error("type mismatch") }
        frames.removeLast()
        resetInitializedLocals(to: frame.initializedHeight)
        return frame
    }

    private mutating func resetInitializedLocals(to height: Int) {
        while initializedLocals.count > height { isInitialized[initializedLocals.removeLast()] = false }
    }

    @inline(__always)
    private mutating func initialize(_ index: UInt32) {
        if !isInitialized[Int(index)] {
            isInitialized[Int(index)] = true
            initializedLocals.append(Int(index))
        }
    }

    @inline(__always)
    private func frame(atDepth depth: UInt32) throws(WasmError) -> ControlFrame {
        guard Int(depth) < frames.count else { throw error("unknown label") }
        return frames[frames.count - 1 - Int(depth)]
    }

    // MARK: Module context

    /// The type of memory `index`.
    @inline(__always)
    private func memory(_ index: UInt32) throws(WasmError) -> MemoryType {
        guard Int(index) < module.memories.count else { throw error("unknown memory \(index)") }
        return module.memories[Int(index)]
    }

    /// Checks a load's or store's memarg and returns the memory's address type.
    @inline(__always)
    private func checkMemArg(_ memArg: MemArg, natural: UInt32) throws(WasmError) -> ValType {
        let type = try memory(memArg.memory)
        guard memArg.align <= natural else { throw error("alignment must not be larger than natural") }
        guard type.is64 || memArg.offset <= UInt64(UInt32.max) else { throw error("offset out of range") }
        return type.addressType
    }

    @inline(__always)
    private func table(_ index: UInt32) throws(WasmError) -> TableType {
        guard Int(index) < module.tables.count else { throw error("unknown table \(index)") }
        return module.tables[Int(index)]
    }

    @inline(__always)
    private func elementType(_ index: UInt32) throws(WasmError) -> ValType {
        guard Int(index) < module.elements.count else { throw error("unknown elem segment \(index)") }
        return module.elements[Int(index)].type
    }

    /// The function type of tag `index` (its parameters are the exception's values).
    @inline(__always)
    private func tagType(_ index: UInt32) throws(WasmError) -> FuncType {
        guard Int(index) < module.tags.count else { throw error("unknown tag \(index)") }
        return module.types[Int(module.tags[Int(index)])]
    }

    @inline(__always)
    private func checkDataIndex(_ index: UInt32) throws(WasmError) {
        guard let count = module.dataCount else { throw .malformed("data count section required", at: offset) }
        guard index < count else { throw error("unknown data segment \(index)") }
    }

    @inline(__always)
    private func local(_ index: UInt32) throws(WasmError) -> ValType {
        guard Int(index) < locals.count else { throw error("unknown local \(index)") }
        return locals[Int(index)]
    }

    @inline(__always)
    private func global(_ index: UInt32) throws(WasmError) -> GlobalType {
        guard Int(index) < module.globals.count else { throw error("unknown global \(index)") }
        return module.globals[Int(index)]
    }

    @inline(__always)
    private func functionType(_ index: UInt32) throws(WasmError) -> FuncType {
        guard Int(index) < module.functionTypes.count else { throw error("unknown function \(index)") }
        return module.functionType(of: Int(index))
    }

    private mutating func apply(_ type: FuncType) throws(WasmError) {
        for param in type.params.reversed() { try pop(param) }
        for result in type.results { push(result) }
    }

    /// A tail call to a function of `type`: its results must be the caller's, and nothing
    /// after it is reached.
    private mutating func applyTailCall(_ type: FuncType) throws(WasmError) {
        guard type.results.count == functionType.results.count,
              zip(type.results, functionType.results).allSatisfy({ module.isSubtype($0, of: $1) }) else {
            throw error("type mismatch")
        }
        for param in type.params.reversed() { try pop(param) }
        setUnreachable()
    }

    // MARK: Instructions

    /// Checks `instruction`, found at byte `offset`, against the current state and applies it.
    /// The commonest instructions (`local.get/set/tee` of a declared
    /// local, constants, numeric operators) are checked inline, the rest in `validateAny`
    /// (which checks these too, and reports their errors).
    @inline(__always)
    mutating func validate(_ instruction: Instruction, at offset: Int) throws(WasmError) {
        self.offset = offset
        switch instruction {
        case .localGet(let index) where Int(index) < locals.count && isInitialized[Int(index)]:
            push(locals[Int(index)])
        case .localSet(let index) where Int(index) < locals.count:
            try pop(locals[Int(index)])
            initialize(index)
        case .localTee(let index) where Int(index) < locals.count:
            let type = locals[Int(index)]
            try pop(type)
            initialize(index)
            push(type)
        case .i32Const: push(.i32)
        case .i64Const: push(.i64)
        case .numeric(let op): try validateNumeric(op)
        default:
            try validateAny(instruction, at: offset)
        }
    }

    @inline(__always)
    private mutating func validateNumeric(_ op: NumericOp) throws(WasmError) {
        let signature = op.signature
        if let second = signature.operands.1 { try pop(second) }
        try pop(signature.operands.0)
        push(signature.result)
    }

    @inline(never)
    private mutating func validateAny(_ instruction: Instruction, at offset: Int) throws(WasmError) {
        switch instruction {
        case .unreachable:
            setUnreachable()
        case .nop:
            break
        case .block(let type):
            try pushFrame(.block, type)
        case .loop(let type):
            try pushFrame(.loop, type)
        case .if(let type):
            if case .value(let value) = type { try checkType(value) }
            try pop(.i32)
            try pushFrame(.if, type)
        case .else:
            guard let last = frames.last, last.kind == .if else { throw .malformed("END opcode expected", at: offset) }
            let frame = try popFrame()
            frames.append(ControlFrame(kind: .else, blockType: frame.blockType, height: operands.count, isUnreachable: false,
                                       initializedHeight: initializedLocals.count))
            pushParameters(frame.blockType)
        case .end:
            let frame = try popFrame()
            if frame.kind == .if {
                // An `if` without `else` passes its parameters through the missing branch.
                let type = frame.blockType
                guard parameterCount(type) == resultCount(type) else { throw error("type mismatch") }
                for i in 0..<parameterCount(type) where !module.isSubtype(parameterType(type, i), of: resultType(type, i)) {
                    throw error("type mismatch")
                }
            }
            if frame.kind != .function { pushResults(frame.blockType) }
        case .br(let depth):
            try popLabel(try frame(atDepth: depth))
            setUnreachable()
        case .brIf(let depth):
            let target = try frame(atDepth: depth)
            try pop(.i32)
            try popLabel(target)
            pushLabel(target)
        case .brTable(let table):
            try pop(.i32)
            let defaultFrame = try frame(atDepth: table.defaultDepth)
            let arity = labelCount(defaultFrame)
            var targets = body
            targets.position = table.targetsOffset
            for _ in 0..<table.count {
                let target = try frame(atDepth: try targets.readU32())
                guard labelCount(target) == arity else { throw error("type mismatch") }
                // Pop and push back, so that every target is checked against the same operands.
                scratch.removeAll(keepingCapacity: true)
                var i = arity
                while i > 0 {
                    i -= 1
                    scratch.append(try pop(labelType(target, i)))
                }
                while let type = scratch.popLast() { push(type) }
            }
            try popLabel(defaultFrame)
            setUnreachable()
        case .return:
            try popResults(frames[0].blockType)
            setUnreachable()
        case .call(let index):
            try apply(try functionType(index))
        case .callIndirect(let typeIndex, let tableIndex):
            let table = try table(tableIndex)
            guard module.isSubtype(table.elementType, of: .funcRef) else { throw error("type mismatch") }
            guard Int(typeIndex) < module.types.count else { throw error("unknown type") }
            try pop(table.indexType)
            try apply(module.types[Int(typeIndex)])

        case .returnCall(let index):
            try applyTailCall(try functionType(index))
        case .returnCallIndirect(let typeIndex, let tableIndex):
            let table = try table(tableIndex)
            guard module.isSubtype(table.elementType, of: .funcRef) else { throw error("type mismatch") }
            guard Int(typeIndex) < module.types.count else { throw error("unknown type") }
            try pop(table.indexType)
            try applyTailCall(module.types[Int(typeIndex)])

        case .throw(let tag):
            let type = try tagType(tag)
            for param in type.params.reversed() { try pop(param) }
            setUnreachable()
        case .throwRef:
            try pop(.exnRef)
            setUnreachable()
        case .tryTable(let type, let catches):
            // Clauses name labels outside the try_table.
            var clauses: [CatchClause] = []
            try OperatorReader(body, features: module.features).forEachCatch(of: catches) { clauses.append($0) }
            for clause in clauses {
                let target = try frame(atDepth: clause.label)
                var values: [ValType] = []
                if clause.kind == .catch || clause.kind == .catchRef { values = try tagType(clause.tag).params }
                if clause.kind == .catchRef || clause.kind == .catchAllRef { values.append(.ref(RefType(nullable: false, .exn))) }
                guard labelCount(target) == values.count,
                      values.indices.allSatisfy({ module.isSubtype(values[$0], of: labelType(target, $0)) }) else {
                    throw error("type mismatch")
                }
            }
            try pushFrame(.tryTable, type)
        case .try(let type):
            try pushFrame(.try, type)
        case .catch(let tag):
            guard let last = frames.last, last.kind == .try || last.kind == .catch else { throw error("catch found outside a try block") }
            let params = try tagType(tag).params
            let frame = try popFrame()
            frames.append(ControlFrame(kind: .catch, blockType: frame.blockType, height: operands.count, isUnreachable: false,
                                       initializedHeight: initializedLocals.count))
            for param in params { push(param) }
        case .catchAll:
            guard let last = frames.last, last.kind == .try || last.kind == .catch else { throw error("catch_all found outside a try block") }
            let frame = try popFrame()
            frames.append(ControlFrame(kind: .catchAll, blockType: frame.blockType, height: operands.count, isUnreachable: false,
                                       initializedHeight: initializedLocals.count))
        case .delegate(let depth):
            guard let last = frames.last, last.kind == .try else { throw error("delegate found outside a try block") }
            let frame = try popFrame()
            // The label counts from outside the try.
            _ = try self.frame(atDepth: depth)
            pushResults(frame.blockType)
        case .rethrow(let depth):
            let target = try frame(atDepth: depth)
            guard target.kind == .catch || target.kind == .catchAll else { throw error("invalid rethrow label") }
            setUnreachable()

        case .drop:
            _ = try pop()
        case .select:
            try pop(.i32)
            let first = try pop()
            let second = try pop()
            if let first, !first.isNumeric && first != .v128 { throw error("type mismatch") }
            if let second, !second.isNumeric && second != .v128 { throw error("type mismatch") }
            if let first, let second, first != second { throw error("type mismatch") }
            push(first ?? second)
        case .typedSelect(let type):
            try checkType(type)
            try pop(.i32)
            try pop(type)
            try pop(type)
            push(type)

        case .localGet(let index):
            let type = try local(index)
            guard isInitialized[Int(index)] else { throw error("uninitialized local \(index)") }
            push(type)
        case .localSet(let index):
            try pop(try local(index))
            initialize(index)
        case .localTee(let index):
            let type = try local(index)
            try pop(type)
            initialize(index)
            push(type)
        case .globalGet(let index):
            push(try global(index).valueType)
        case .globalSet(let index):
            let type = try global(index)
            // The reference interpreters of 2.0 and 3.0 word this differently.
            guard type.mutability == .variable else {
                throw error(module.features.contains(.functionReferences) ? "immutable global" : "global is immutable")
            }
            try pop(type.valueType)

        case .tableGet(let index):
            let type = try table(index)
            try pop(type.indexType)
            push(type.elementType)
        case .tableSet(let index):
            let type = try table(index)
            try pop(type.elementType)
            try pop(type.indexType)
        case .tableInit(let elementIndex, let tableIndex):
            let tableType = try table(tableIndex)
            let segmentType = try elementType(elementIndex)
            guard module.isSubtype(segmentType, of: tableType.elementType) else { throw error("type mismatch") }
            try pop(.i32)
            try pop(.i32)
            try pop(tableType.indexType)
        case .elemDrop(let index):
            _ = try elementType(index)
        case .tableCopy(let destination, let source):
            let destinationType = try table(destination)
            let sourceType = try table(source)
            guard module.isSubtype(sourceType.elementType, of: destinationType.elementType) else { throw error("type mismatch") }
            // The length is an i64 only when both tables are 64-bit.
            try pop(destinationType.is64 && sourceType.is64 ? .i64 : .i32)
            try pop(sourceType.indexType)
            try pop(destinationType.indexType)
        case .tableGrow(let index):
            let type = try table(index)
            try pop(type.indexType)
            try pop(type.elementType)
            push(type.indexType)
        case .tableSize(let index):
            push(try table(index).indexType)
        case .tableFill(let index):
            let type = try table(index)
            try pop(type.indexType)
            try pop(type.elementType)
            try pop(type.indexType)

        case .load(let op, let memArg):
            let addressType = try checkMemArg(memArg, natural: op.naturalAlignment)
            try pop(addressType)
            push(op.resultType)
        case .store(let op, let memArg):
            let addressType = try checkMemArg(memArg, natural: op.naturalAlignment)
            try pop(op.valueType)
            try pop(addressType)
        case .memorySize(let index):
            push(try memory(index).addressType)
        case .memoryGrow(let index):
            let addressType = try memory(index).addressType
            try pop(addressType)
            push(addressType)
        case .memoryInit(let dataIndex, let index):
            let addressType = try memory(index).addressType
            try checkDataIndex(dataIndex)
            try pop(.i32)
            try pop(.i32)
            try pop(addressType)
        case .dataDrop(let dataIndex):
            try checkDataIndex(dataIndex)
        case .memoryCopy(let destination, let source):
            let destinationType = try memory(destination), sourceType = try memory(source)
            try pop(destinationType.is64 && sourceType.is64 ? .i64 : .i32)
            try pop(sourceType.addressType)
            try pop(destinationType.addressType)
        case .memoryFill(let index):
            let addressType = try memory(index).addressType
            try pop(addressType)
            try pop(.i32)
            try pop(addressType)

        case .i32Const: push(.i32)
        case .i64Const: push(.i64)
        case .f32Const: push(.f32)
        case .f64Const: push(.f64)
        case .numeric(let op): try validateNumeric(op)

        case .refNull(let heapType):
            try checkHeapType(heapType)
            push(.ref(RefType(nullable: true, heapType)))
        case .refIsNull:
            let type = try pop()
            if let type, !type.isReference { throw error("type mismatch") }
            push(.i32)
        case .refFunc(let index):
            _ = try functionType(index)
            guard module.declaredFunctionReferences.contains(index) else {
                throw error("undeclared function reference")
            }
            push(module.features.contains(.functionReferences)
                 ? .ref(RefType(nullable: false, .concrete(module.functionTypes[Int(index)]))) : .funcRef)
        case .refAsNonNull:
            let reference = try popReference()
            push(reference.map { .ref(RefType(nullable: false, $0.heapType)) })
        case .brOnNull(let depth):
            let target = try frame(atDepth: depth)
            let reference = try popReference()
            try popLabel(target)
            pushLabel(target)
            push(reference.map { .ref(RefType(nullable: false, $0.heapType)) })
        case .brOnNonNull(let depth):
            let target = try frame(atDepth: depth)
            let count = labelCount(target)
            guard count > 0, case .ref(let labelReference) = labelType(target, count - 1) else { throw error("type mismatch") }
            // The reference goes to the label as non-null: it may be null here.
            try pop(.ref(RefType(nullable: true, labelReference.heapType)))
            var i = count - 1
            while i > 0 {
                i -= 1
                try pop(labelType(target, i))
            }
            for i in 0..<(count - 1) { push(labelType(target, i)) }
        case .callRef(let typeIndex):
            guard Int(typeIndex) < module.types.count else { throw error("unknown type") }
            try pop(.ref(RefType(nullable: true, .concrete(typeIndex))))
            try apply(module.types[Int(typeIndex)])
        case .returnCallRef(let typeIndex):
            guard Int(typeIndex) < module.types.count else { throw error("unknown type") }
            try pop(.ref(RefType(nullable: true, .concrete(typeIndex))))
            try applyTailCall(module.types[Int(typeIndex)])

        case .v128Const:
            push(.v128)
        case .v128Load(let op, let memArg):
            let addressType = try checkMemArg(memArg, natural: op.naturalAlignment)
            try pop(addressType)
            push(.v128)
        case .v128Store(let memArg):
            let addressType = try checkMemArg(memArg, natural: 4)
            try pop(.v128)
            try pop(addressType)
        case .v128LoadLane(let op, let memArg, let lane):
            let addressType = try checkMemArg(memArg, natural: op.naturalAlignment)
            guard lane < op.laneCount else { throw error("invalid lane index") }
            try pop(.v128)
            try pop(addressType)
            push(.v128)
        case .v128StoreLane(let op, let memArg, let lane):
            let addressType = try checkMemArg(memArg, natural: op.naturalAlignment)
            guard lane < op.laneCount else { throw error("invalid lane index") }
            try pop(.v128)
            try pop(addressType)
        case .i8x16Shuffle(let lanes):
            for byte in [lanes.lo, lanes.hi] {
                for shift in stride(from: 0, to: 64, by: 8) where (byte >> UInt64(shift)) & 0xFF >= 32 {
                    throw error("invalid lane index")
                }
            }
            try pop(.v128)
            try pop(.v128)
            push(.v128)
        case .extractLane(let op, let lane):
            guard lane < op.laneCount else { throw error("invalid lane index") }
            try pop(.v128)
            push(op.scalarType)
        case .replaceLane(let op, let lane):
            guard lane < op.laneCount else { throw error("invalid lane index") }
            try pop(op.scalarType)
            try pop(.v128)
            push(.v128)
        case .simd(let op):
            switch op.shape {
            case .unary:
                try pop(.v128)
                push(.v128)
            case .binary:
                try pop(.v128)
                try pop(.v128)
                push(.v128)
            case .ternary:
                try pop(.v128)
                try pop(.v128)
                try pop(.v128)
                push(.v128)
            case .test:
                try pop(.v128)
                push(.i32)
            case .shift:
                try pop(.i32)
                try pop(.v128)
                push(.v128)
            case .splat(let type):
                try pop(type)
                push(.v128)
            }
        }
    }

}
