/// Checks the module-level rules of WebAssembly 2.0 (index spaces, limits, constant
/// expressions, exports, start function) and type-checks every function body.
struct ModuleValidator {
    let module: ModuleInfo
    let base: UnsafeRawPointer
    let length: Int

    /// What runs in the same pass as validation.
    enum Backend {
        case none
        case interpreter(Instrumentation)
        /// Machine code; modules the JIT leaves alone go to the interpreter.
        /// `registerLimit` restricts the allocator (tests only: see `CodeGenerator`).
        /// `cpuFeatures`: the x86-64 extensions the code may use.
        /// `compilation`: how the function bodies are shared out among threads.
        /// `verifySchedule`: see `Config.verifyCompilationSchedule`.
        case jit(explicitBounds: Bool, Instrumentation, registerLimit: Int? = nil, cpuFeatures: CPUFeatures = .x86Baseline,
                 compilation: CompilationSchedule = .sequential, verifySchedule: Bool = false)
    }

    /// Validates `module` and compiles it for `backend` in the same pass.
    static func validate(_ module: ModuleInfo, bytes: UnsafeRawBufferPointer,
                         backend: Backend) throws -> (InterpretedModule?, CompiledModule?) {
        guard let base = bytes.baseAddress else { return (nil, nil) }
        let validator = ModuleValidator(module: module, base: base, length: bytes.count)
        try validator.validateModule()
        switch backend {
        case .none:
            var nothing = ValidationOnly()
            try validator.validateFunctions(&nothing) { _ in }
            return (nil, nil)
        case .interpreter(let instrumentation):
            return (try validator.validateFunctions(translate: true, instrumentation), nil)
        case .jit(let explicitBounds, let instrumentation, let registerLimit, let cpuFeatures, let compilation, let verify):
            if JITCompiler.isSupported {
                let compiler = ModuleCompiler<HostMacroAssembler>(
                    validator: validator, explicitBounds: explicitBounds, instrumentation: instrumentation,
                    registerLimit: registerLimit, cpuFeatures: cpuFeatures)
                return (nil, try compiler.compile(compilation, verify: verify))
            }
            return (try validator.validateFunctions(translate: true, instrumentation), nil)
        }
    }

    func validateModule() throws(WasmError) {
        let m = module
        // Types name only themselves and earlier types.
        for (i, type) in m.types.enumerated() {
            for valueType in type.params + type.results {
                if case .ref(let reference) = valueType, case .concrete(let j) = reference.heapType, Int(j) > i {
                    throw .invalid("unknown type \(j)", at: 0)
                }
            }
        }
        for (i, entry) in m.imports.enumerated() {
            switch entry.descriptor {
            case .function(let typeIndex):
                guard Int(typeIndex) < m.types.count else { throw .invalid("unknown type \(typeIndex)", at: 0) }
            case .table(let type):
                try checkTable(type)
            case .memory(let type): try checkMemory(type)
            case .global(let type): try checkValueType(type.valueType)
            case .tag: break  // checked with the defined tags below
            }
            _ = i
        }
        for typeIndex in m.functionTypes[m.importedFunctionCount...] where Int(typeIndex) >= m.types.count {
            throw .invalid("unknown type \(typeIndex)", at: 0)
        }
        for (i, type) in m.tables[m.importedTableCount...].enumerated() {
            try checkTable(type)
            if let initializer = m.tableInitializers[i] {
                try checkConstExpr(initializer, type: type.elementType, visibleGlobals: m.importedGlobalCount)
            } else if !ModuleInfo.isDefaultable(type.elementType) {
                throw .invalid("type mismatch", at: 0)
            }
        }
        for type in m.memories[m.importedMemoryCount...] { try checkMemory(type) }
        for typeIndex in m.tags {
            guard Int(typeIndex) < m.types.count else { throw .invalid("unknown type \(typeIndex)", at: 0) }
            guard m.types[Int(typeIndex)].results.isEmpty else { throw .invalid("non-empty tag result type", at: 0) }
        }
        if m.memories.count > 1 && !m.features.contains(.multiMemory) { throw .invalid("multiple memories", at: 0) }

        for (i, initializer) in m.globalInitializers.enumerated() {
            let type = m.globals[m.importedGlobalCount + i]
            try checkValueType(type.valueType)
            try checkConstExpr(initializer, type: type.valueType, visibleGlobals: m.importedGlobalCount + i)
        }

        // Names are compared as bytes: Swift's String equality would identify canonically
        // equivalent spellings such as "\u{C5}" and "A\u{30A}", which are distinct names.
        var exportNames = Set<[UInt8]>()
        for export in m.exports {
            guard exportNames.insert(Array(export.name.utf8)).inserted else {
                throw .invalid("duplicate export name \"\(export.name)\"", at: 0)
            }
            let (count, what): (Int, String)
            switch export.kind {
            case .function: (count, what) = (m.functionTypes.count, "function")
            case .table: (count, what) = (m.tables.count, "table")
            case .memory: (count, what) = (m.memories.count, "memory")
            case .global: (count, what) = (m.globals.count, "global")
            case .tag: (count, what) = (m.tags.count, "tag")
            }
            guard Int(export.index) < count else { throw .invalid("unknown \(what) \(export.index)", at: 0) }
        }

        if let start = m.start {
            guard Int(start) < m.functionTypes.count else { throw .invalid("unknown function \(start)", at: 0) }
            let type = m.functionType(of: Int(start))
            guard type.params.isEmpty && type.results.isEmpty else { throw .invalid("start function must have type [] -> []", at: 0) }
        }

        for segment in m.elements {
            try checkValueType(segment.type)
            if case .active(let table, let offset) = segment.mode {
                guard Int(table) < m.tables.count else { throw .invalid("unknown table \(table)", at: segment.offset) }
                try checkConstExpr(offset, type: m.tables[Int(table)].indexType, visibleGlobals: m.globals.count)
                guard m.isSubtype(segment.type, of: m.tables[Int(table)].elementType) else {
                    throw .invalid("type mismatch", at: segment.offset)
                }
            }
            for initializer in segment.initializers {
                try checkConstExpr(initializer, type: segment.type, visibleGlobals: m.globals.count)
            }
        }

        for segment in m.data {
            if case .active(let memory, let offset) = segment.mode {
                guard Int(memory) < m.memories.count else { throw .invalid("unknown memory \(memory)", at: segment.offset) }
                try checkConstExpr(offset, type: m.memories[Int(memory)].addressType, visibleGlobals: m.globals.count)
            }
        }
    }

    private func checkLimits(_ limits: Limits, at offset: Int) throws(WasmError) {
        if let max = limits.max, limits.min > max {
            throw .invalid("size minimum must not be greater than maximum", at: offset)
        }
    }

    private func checkValueType(_ type: ValType) throws(WasmError) {
        if case .ref(let reference) = type, case .concrete(let j) = reference.heapType, Int(j) >= module.types.count {
            throw .invalid("unknown type \(j)", at: 0)
        }
    }

    private func checkTable(_ type: TableType) throws(WasmError) {
        try checkValueType(type.elementType)
        let limit: UInt64 = type.is64 ? .max : UInt64(UInt32.max)
        if type.limits.min > limit || (type.limits.max ?? 0) > limit {
            throw .invalid("table size must be at most 2^32-1", at: 0)
        }
        try checkLimits(type.limits, at: 0)
    }

    private func checkMemory(_ type: MemoryType) throws(WasmError) {
        let limit = type.pageLimit
        if type.limits.min > limit || (type.limits.max ?? 0) > limit {
            throw .invalid(type.is64 ? "memory size must be at most 2^48 pages" : "memory size must be at most 65536 pages (4GiB)", at: 0)
        }
        try checkLimits(type.limits, at: 0)
    }

    /// Checks that `expression` is constant and produces a value of `type`. Only the first
    /// `visibleGlobals` globals may be read (a global's initializer sees the globals before it).
    func checkConstExpr(_ expression: ConstExpr, type: ValType, visibleGlobals: Int) throws(WasmError) {
        // WebAssembly 2.0's constant expressions see only imported globals.
        let visibleGlobals = module.features.contains(.extendedConst) ? visibleGlobals : module.importedGlobalCount
        let actual = try constExprType(expression, visibleGlobals: visibleGlobals)
        guard module.isSubtype(actual, of: type) else { throw .invalid("type mismatch", at: 0) }
    }

    private func constExprType(_ expression: ConstExpr, visibleGlobals: Int) throws(WasmError) -> ValType {
        switch expression {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        case .v128: return .v128
        case .refNull(let t):
            try checkValueType(t)
            return t
        case .refFunc(let index):
            guard Int(index) < module.functionTypes.count else { throw .invalid("unknown function \(index)", at: 0) }
            return module.features.contains(.functionReferences)
                ? .ref(RefType(nullable: false, .concrete(module.functionTypes[Int(index)]))) : .funcRef
        case .globalGet(let index):
            guard Int(index) < visibleGlobals else { throw .invalid("unknown global \(index)", at: 0) }
            let global = module.globals[Int(index)]
            guard global.mutability == .constant else { throw .invalid("constant expression required", at: 0) }
            return global.valueType
        case .binary(let op, let lhs, let rhs):
            let type = op.signature.result
            guard try constExprType(lhs, visibleGlobals: visibleGlobals) == type,
                  try constExprType(rhs, visibleGlobals: visibleGlobals) == type else {
                throw .invalid("type mismatch", at: 0)
            }
            return type
        case .invalid(let message, let offset):
            throw .invalid(message, at: offset)
        }
    }

    private func validateFunctions(translate: Bool, _ instrumentation: Instrumentation = Instrumentation()) throws(WasmError)
        -> InterpretedModule?
    {
        if translate {
            var translator = InterpreterTranslator(module: module, instrumentation: instrumentation)
            var functions: [InterpretedFunction] = []
            var offsets: [[(pc: UInt32, offset: UInt32)]] = []
            var stackMaps: [StackMaps] = []
            var handlers: [[ExceptionHandler]] = []
            do {
                try validateFunctions(&translator) { translator in
                    let (function, functionOffsets, maps) = translator.finishFunction()
                    functions.append(function)
                    offsets.append(functionOffsets)
                    stackMaps.append(maps)
                    handlers.append(translator.handlers)
                }
            } catch {
                // The code of the functions before the invalid one has no owner yet.
                for function in functions {
                    function.code.deallocate()
                    function.constants.deallocate()
                }
                throw error
            }
            return InterpretedModule(functions: functions, offsets: offsets, stackMaps: stackMaps, handlers: handlers)
        }
        var nothing = ValidationOnly()
        try validateFunctions(&nothing) { _ in }
        return nil
    }

    /// Validates every function body, handing each instruction to `compiler` after it
    /// validated, and calling `finish` after each function.
    func validateFunctions<Compiler: FunctionCompiler>(
        _ compiler: inout Compiler, range: Range<Int>? = nil, finish: (inout Compiler) -> Void
    ) throws(WasmError) {
        var validator = FunctionValidator(module: module)
        for i in range ?? module.functionBodies.indices {
            let body = module.functionBodies[i]
            // As in the spec's reference interpreter, a body whose instructions run past its size
            // is read on into what follows and then found to have the wrong size.
            var reader = ByteReader(base: base, position: body.start, end: length,
                                    endMessage: "unexpected end of section or function")
            let typeIndex = module.functionTypes[module.importedFunctionCount + i]
            try validator.beginFunction(typeIndex: typeIndex, reader: &reader)
            // Any 0xFD byte may be a SIMD prefix: a cheap superset of the bodies using SIMD.
            let mayUseSIMD = UnsafeRawBufferPointer(start: base + body.start, count: max(0, min(body.end, length) - body.start))
                .contains(0xFD)
            compiler.beginFunction(type: module.types[Int(typeIndex)], locals: validator.locals, mayUseSIMD: mayUseSIMD)
            var operators = OperatorReader(reader, features: module.features)
            while !validator.isFunctionFinished {
                let at = operators.offset
                let instruction = try operators.read()
                try validator.validate(instruction, at: at)
                if Compiler.translates {
                    compiler.translate(instruction, at: at, immediates: Immediates(reader: operators))
                }
            }
            guard operators.offset == body.end else { throw .malformed("section size mismatch", at: operators.offset) }
            finish(&compiler)
        }
    }
}

/// What runs in lock step with the validator over each function body: the interpreter's
/// translator, later the JIT's code generator.
protocol FunctionCompiler {
    /// False for a compiler that ignores instructions, so the loop skips the call.
    static var translates: Bool { get }
    /// `mayUseSIMD` is false only when the body has no SIMD instruction.
    mutating func beginFunction(type: FuncType, locals: [ValType], mayUseSIMD: Bool)
    mutating func translate(_ instruction: Instruction, at offset: Int, immediates: Immediates)
}

/// Reads the immediates an `Instruction` leaves encoded in the body: `br_table` targets
/// and `try_table` catch clauses.
struct Immediates {
    let reader: OperatorReader

    func brTableTargets(_ table: BrTable) -> [UInt32] {
        var targets: [UInt32] = []
        try? reader.forEachTarget(of: table) { targets.append($0) }
        return targets
    }

    func catchClauses(_ catches: TryTableCatches) -> [CatchClause] {
        var clauses: [CatchClause] = []
        try? reader.forEachCatch(of: catches) { clauses.append($0) }
        return clauses
    }
}

/// Validation alone.
struct ValidationOnly: FunctionCompiler {
    static var translates: Bool { false }
    mutating func beginFunction(type: FuncType, locals: [ValType], mayUseSIMD: Bool) {}
    mutating func translate(_ instruction: Instruction, at offset: Int, immediates: Immediates) {}
}

extension ModuleValidator {
    /// Compiles every defined function of `binary` for the instruction set of `M`, whatever
    /// the host's, with builtins at placeholder addresses (see
    /// `CodeGenerator.placeholderAddresses`): code to read, never to run. Returns each
    /// function's bytes. For golden code tests.
    static func compileForReading<M: MacroAssembler>(_ binary: [UInt8], for isa: M.Type,
                                                    explicitBounds: Bool = false,
                                                    cpuFeatures: CPUFeatures = .x86Baseline) throws -> [[UInt8]] {
        try binary.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return [] }
            let module = try ModuleDecoder.decode(buffer)
            let validator = ModuleValidator(module: module, base: base, length: buffer.count)
            try validator.validateModule()
            let compiler = ModuleCompiler<M>(validator: validator, explicitBounds: explicitBounds, instrumentation: Instrumentation(),
                                             registerLimit: nil, cpuFeatures: cpuFeatures, placeholderAddresses: true)
            let linked = try compiler.compileCode(.sequential)
            return linked.functionRanges.map { Array(linked.code[$0]) }
        }
    }
}
