import Foundation

/// How a module's function bodies are shared out among threads (`Config.parallelCompilation`).
enum CompilationSchedule: Sendable, Equatable {
    /// One run of every function, on the calling thread.
    case sequential
    /// Runs of about `batchBytes` bytes of function bodies (nil: picked from the module's size
    /// and the cores), compiled on all cores.
    case parallel(batchBytes: Int? = nil)
}

/// Compiles a module's defined functions in contiguous runs ("batches"), each by its own
/// `CodeGenerator` into its own code, on as many threads as there are cores, then links the
/// runs into one code image with the array-call trampolines.
///
/// Invariant: the image is the same, byte for byte, however the functions are batched. It
/// holds because nothing a function's code contains depends on where its run starts or on
/// the functions compiled before it in the same run:
/// - every function starts 16-byte aligned (and every run does), and the padding before it
///   is the same padding `alignFunctionEntry` emits;
/// - a function's constants (the x86-64 literal pool) follow it, addressed relative to it;
/// - direct calls and tail jumps to other functions are `FunctionReference`s linked here;
/// - the stack-pointer reset after a direct call is emitted when the callee's body may hold
///   a tail call (`mayTailCall`, a byte scan made before compiling) and removed here when it
///   turned out to hold none;
/// - everything recorded by code offset (ranges, memory accesses, safepoints, handlers) is
///   moved by the run's place in the image.
///
/// Errors: the validation error of the first invalid function (lowest index), whatever the
/// threads met first; failing that, the first compiler failure.
struct ModuleCompiler<M: MacroAssembler> {
    let validator: ModuleValidator
    let explicitBounds: Bool
    let instrumentation: Instrumentation
    let registerLimit: Int?
    let cpuFeatures: CPUFeatures
    /// Golden tests: builtins at placeholder addresses (see `CodeGenerator.placeholderAddresses`).
    var placeholderAddresses = false

    init(validator: ModuleValidator, explicitBounds: Bool, instrumentation: Instrumentation, registerLimit: Int?,
         cpuFeatures: CPUFeatures, placeholderAddresses: Bool = false) {
        self.validator = validator
        self.explicitBounds = explicitBounds
        self.instrumentation = instrumentation
        self.registerLimit = registerLimit
        self.cpuFeatures = cpuFeatures
        self.placeholderAddresses = placeholderAddresses
    }

    var module: ModuleInfo { validator.module }

    /// The linked code of a module and what is recorded about it, by offset into `code`.
    struct LinkedCode {
        var code: [UInt8] = []
        var functionRanges: [Range<Int>] = []
        var trampolines: [Int] = []
        var memoryAccesses: [(code: Int, wasm: Int)] = []
        var stackMaps: [StackMaps] = []
        var handlers: [CompiledHandlers] = []
        /// (code offset, address) of every runtime address the code embeds (see
        /// `MacroAssembler.embeddedAddresses`).
        var embeddedAddresses: [(offset: Int, address: UInt)] = []

        /// The embedded addresses by the runtime function each is, for serializing the code;
        /// nil when one is no runtime function (no code generator path makes such code).
        var relocations: [Relocation]? {
            var relocations: [Relocation] = []
            relocations.reserveCapacity(embeddedAddresses.count)
            for (offset, address) in embeddedAddresses {
                guard let function = RuntimeFunction(address: address) else { return nil }
                relocations.append(Relocation(offset: offset, function: function))
            }
            return relocations
        }

        /// What differs between two compilations of a module, or nil when nothing does.
        func difference(from other: LinkedCode) -> String? {
            if code != other.code {
                let at = zip(code, other.code).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(code.count, other.code.count)
                return "code (\(code.count) and \(other.code.count) bytes) from offset \(at)"
            }
            if functionRanges != other.functionRanges { return "function ranges" }
            if trampolines != other.trampolines { return "trampolines" }
            if !memoryAccesses.elementsEqual(other.memoryAccesses, by: { $0 == $1 }) { return "memory accesses" }
            if stackMaps.map(\.listing) != other.stackMaps.map(\.listing) { return "stack maps" }
            if handlers.map(\.description) != other.handlers.map(\.description) { return "exception handlers" }
            if !embeddedAddresses.elementsEqual(other.embeddedAddresses, by: { $0 == $1 }) { return "embedded addresses" }
            return nil
        }
    }

    /// Compiles and maps the module's code. `verify`: compile it again in one run on this
    /// thread and throw unless both are the same (tests of the batching invariant).
    func compile(_ schedule: CompilationSchedule, verify: Bool = false) throws -> CompiledModule {
        let linked = try compileCode(schedule)
        if verify, let difference = linked.difference(from: try compileCode(.sequential)) {
            throw CompileError(functionIndex: module.importedFunctionCount, functionName: nil, wasmOffset: 0,
                               message: "batched compilation differs from sequential: \(difference)")
        }
        let memory = try CodeMemory(linked.code)
        let compiled = CompiledModule(memory: memory, functionRanges: linked.functionRanges, trampolines: linked.trampolines,
                                      memoryAccesses: linked.memoryAccesses, stackMaps: linked.stackMaps,
                                      relocations: linked.relocations)
        compiled.handlers = linked.handlers
        return compiled
    }

    /// Compiles the module's code without mapping it.
    func compileCode(_ schedule: CompilationSchedule) throws -> LinkedCode {
        let mayTailCall = ModuleCompiler.mayTailCall(validator)
        let scan = BodyScan(validator)
        let batches = self.batches(schedule)
        var results = [Result<CodeGenerator<M>, WasmError>?](repeating: nil, count: batches.count)
        if batches.count == 1 {
            results[0] = compileBatch(batches[0], mayTailCall: mayTailCall, scan: scan)
        } else {
            results.withUnsafeMutableBufferPointer { buffer in
                let shared = SharedResults(buffer: buffer)
                let compiler = UncheckedSendable(self)
                DispatchQueue.concurrentPerform(iterations: batches.count) { i in
                    shared.buffer[i] = compiler.value.compileBatch(batches[i], mayTailCall: mayTailCall, scan: scan)
                }
            }
        }
        var generators: [CodeGenerator<M>] = []
        for result in results {
            switch result! {
            case .failure(let error): throw error
            case .success(let generator): generators.append(generator)
            }
        }
        // The module is valid: now the compiler's own failures.
        for generator in generators {
            if let failure = generator.failure { throw failure }
        }
        return try link(generators, batches: batches)
    }

    /// Compiles the functions of `batch`, or gives the first validation error among them.
    private func compileBatch(_ batch: Range<Int>, mayTailCall: [Bool], scan: BodyScan) -> Result<CodeGenerator<M>, WasmError> {
        var generator = CodeGenerator<M>(module: module, explicitBounds: explicitBounds, instrumentation: instrumentation,
                                         registerLimit: registerLimit, placeholderAddresses: placeholderAddresses,
                                         cpuFeatures: cpuFeatures, firstFunction: batch.lowerBound, mayTailCall: mayTailCall,
                                         mayUseMemory: scan.mayUseMemory, mayUseVMContext: scan.mayUseVMContext)
        do {
            try validator.validateFunctions(&generator, range: batch) { $0.finishFunction() }
        } catch {
            return .failure(error)
        }
        return .success(generator)
    }

    /// Contiguous runs of defined functions covering them all, in order.
    func batches(_ schedule: CompilationSchedule) -> [Range<Int>] {
        let bodies = module.functionBodies
        guard case .parallel(let requested) = schedule, bodies.count > 1 else { return [0..<bodies.count] }
        let total = bodies.reduce(0) { $0 + ($1.end - $1.start) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Several runs per core, so a core finishing early takes another; not so small that
        // the setup of a generator per run shows.
        let batchBytes = requested ?? max(64 * 1024, total / max(1, 4 * cores))
        if requested == nil, cores < 2 || total < 2 * batchBytes { return [0..<bodies.count] }
        var batches: [Range<Int>] = []
        var start = 0, bytes = 0
        for (i, body) in bodies.enumerated() {
            bytes += body.end - body.start
            if bytes >= batchBytes {
                batches.append(start..<i + 1)
                start = i + 1
                bytes = 0
            }
        }
        if start < bodies.count { batches.append(start..<bodies.count) }
        return batches
    }

    /// Places the runs one after another, then the trampolines, and links the calls.
    private func link(_ generators: [CodeGenerator<M>], batches: [Range<Int>]) throws -> LinkedCode {
        var linked = LinkedCode()
        var tailCallers = Set<Int>()
        for generator in generators { tailCallers.formUnion(generator.tailCallers) }
        var references: [FunctionReference] = []
        for (batch, var generator) in zip(batches, generators) {
            for (callee, position) in generator.pendingResets where !tailCallers.contains(callee) {
                generator.masm.removeStackPointerReset(at: position)
            }
            // The next run starts aligned, after the padding its first function would have
            // had in the same run.
            generator.masm.alignFunctionEntry()
            let code: [UInt8]
            do {
                code = try generator.masm.finish()
            } catch {
                throw CompileError(functionIndex: module.importedFunctionCount + batch.lowerBound,
                                   functionName: nil, wasmOffset: 0, message: "in functions \(batch): \(error)")
            }
            let base = linked.code.count
            linked.code.append(contentsOf: code)
            linked.functionRanges.append(contentsOf: generator.functionRanges.map { $0.lowerBound + base..<$0.upperBound + base })
            linked.memoryAccesses.append(contentsOf: generator.memoryAccesses.map { ($0.code + base, $0.wasm) })
            for var maps in generator.stackMaps {
                maps.shift(by: base)
                linked.stackMaps.append(maps)
            }
            for var handlers in generator.handlerTables {
                handlers.shift(by: base)
                linked.handlers.append(handlers)
            }
            references.append(contentsOf: generator.masm.functionReferences.map {
                FunctionReference(position: $0.position + base, function: $0.function)
            })
            linked.embeddedAddresses.append(contentsOf: generator.masm.embeddedAddresses.map { ($0.offset + base, $0.address) })
        }
        var masm = M(cpuFeatures: cpuFeatures)
        masm.fixedLengthAddresses = !placeholderAddresses
        for type in module.types {
            masm.alignFunctionEntry()
            linked.trampolines.append(linked.code.count + masm.offset)
            masm.arrayCallTrampoline(type)
        }
        masm.emitLiteralPool()
        do {
            let base = linked.code.count
            linked.code.append(contentsOf: try masm.finish())
            linked.embeddedAddresses.append(contentsOf: masm.embeddedAddresses.map { ($0.offset + base, $0.address) })
        } catch {
            throw CompileError(functionIndex: module.importedFunctionCount + module.functionBodies.count,
                               functionName: nil, wasmOffset: 0, message: "in the array-call trampolines: \(error)")
        }
        try linked.code.withUnsafeMutableBytes { code in
            for reference in references {
                guard M.linkFunctionReference(in: code, at: reference.position,
                                              to: linked.functionRanges[reference.function].lowerBound) else {
                    throw CompileError(functionIndex: module.importedFunctionCount + reference.function, functionName: nil,
                                       wasmOffset: 0, message: "a call of it is beyond the reach of a direct call")
                }
            }
        }
        return linked
    }

    /// Per defined function: whether its body may hold a tail call (`return_call`,
    /// `return_call_indirect`, `return_call_ref`), by a scan for their opcode bytes: a
    /// superset, as any immediate may hold those bytes too. None without the feature.
    static func mayTailCall(_ validator: ModuleValidator) -> [Bool] {
        let module = validator.module
        guard module.features.contains(.tailCall) else {
            return Array(repeating: false, count: module.functionBodies.count)
        }
        return module.functionBodies.map { body in
            let start = min(body.start, validator.length), end = min(max(body.end, start), validator.length)
            return UnsafeRawBufferPointer(start: validator.base + start, count: end - start).contains { byte in
                byte == 0x12 || byte == 0x13 || byte == 0x15
            }
        }
    }
}

/// The per-batch results, written by the compiling threads (each to its own element).
private struct SharedResults<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}

/// A value read (never written) by the compiling threads.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
