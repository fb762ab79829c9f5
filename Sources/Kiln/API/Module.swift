import Foundation

/// A decoded and validated WebAssembly module, ready to be instantiated in any store of
/// its engine. Immutable and thread-safe.
public final class Module: Sendable {
    public let engine: Engine
    /// The module binary. Function bodies and data segments are read from it in place.
    let bytes: [UInt8]
    let info: ModuleInfo
    /// The interpreter's code, when the engine interprets (or the JIT leaves the module to it).
    let interpreted: InterpretedModule?
    /// Machine code, when the JIT compiled the module.
    let compiled: CompiledModule?
    /// Copy-on-write images of the initial memory contents, built on first instantiation.
    let memoryImages = ModuleMemoryImages()

    /// Decodes and validates `bytes`: a binary module, or the text format when the
    /// first non-blank character is `(`.
    public convenience init(_ engine: Engine, bytes: [UInt8]) throws {
        if Module.looksLikeText(bytes) {
            try self.init(engine, wat: String(decoding: bytes, as: UTF8.self))
        } else {
            try self.init(engine, binary: bytes)
        }
    }

    /// Parses the text format with WasmKit's WAT parser, then decodes and validates the binary.
    public convenience init(_ engine: Engine, wat: String) throws {
        try self.init(engine, binary: try TextFormat.encode(wat))
    }

    /// A module from text that runs on the interpreter even under the JIT (tests).
    convenience init(_ engine: Engine, wat: String, interpreted: Bool) throws {
        try self.init(engine, binary: try TextFormat.encode(wat), interpreted: interpreted)
    }

    /// Reads a `.wasm` or `.wat` file.
    public convenience init(_ engine: Engine, path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KilnError("cannot read \(path)")
        }
        try self.init(engine, bytes: [UInt8](data))
    }

    /// The engine-wide id of each type of the type section (see `TypeRegistry.ids(for:)`).
    let typeIds: [UInt32]
    /// Where each instance keeps what in its VMContext: the same for every instance, so
    /// worked out once here rather than per instantiation.
    let vmContextLayout: VMContextLayout

    /// `interpreted`: run the module on the interpreter even under the JIT, as a module the
    /// JIT leaves there (for tests of calls between the two).
    init(_ engine: Engine, binary: [UInt8], interpreted: Bool = false) throws {
        self.engine = engine
        self.bytes = binary
        let backend: ModuleValidator.Backend
        switch engine.config.strategy {
        case .interpreter: backend = .interpreter(Instrumentation(engine.config))
        case .jit where interpreted: backend = .interpreter(Instrumentation(engine.config))
        case .jit:
            backend = .jit(explicitBounds: engine.config.boundsChecks == .explicit, Instrumentation(engine.config),
                           registerLimit: engine.config.jitRegisterLimit, cpuFeatures: engine.cpuFeatures,
                           compilation: engine.config.compilationSchedule,
                           verifySchedule: engine.config.verifyCompilationSchedule)
        }
        (self.info, self.interpreted, self.compiled) = try Module.decodeAndValidate(binary, features: engine.config.features, backend: backend)
        self.typeIds = engine.types.ids(for: info)
        self.vmContextLayout = VMContextLayout(info)
        if compiled != nil, ProcessInfo.processInfo.environment["KILN_PERFMAP"] == "1" {
            writePerfMap()
        }
    }

    /// A module loaded from a compiled artifact (see `CompiledArtifact`): decoded, not
    /// validated or compiled again.
    init(_ engine: Engine, binary: [UInt8], info: ModuleInfo, compiled: CompiledModule) {
        self.engine = engine
        self.bytes = binary
        self.info = info
        self.interpreted = nil
        self.compiled = compiled
        self.typeIds = engine.types.ids(for: info)
        self.vmContextLayout = VMContextLayout(info)
        if ProcessInfo.processInfo.environment["KILN_PERFMAP"] == "1" {
            writePerfMap()
        }
    }

    /// Appends the functions to /tmp/perf-<pid>.map, so `perf report` can name them.
    private func writePerfMap() {
        guard let code = machineCode else { return }
        let path = "/tmp/perf-\(getpid()).map"
        guard let file = fopen(path, "a") else { return }
        defer { fclose(file) }
        let moduleName = info.names.moduleName ?? "wasm"
        for function in code {
            let name = function.name ?? "function[\(function.functionIndex)]"
            let line = "\(String(function.address, radix: 16)) \(String(function.bytes.count, radix: 16)) \(moduleName)::\(name)\n"
            fputs(line, file)
        }
    }

    /// Checks that `bytes` hold a valid module without keeping anything.
    public static func validate(_ engine: Engine, bytes: [UInt8]) throws {
        let binary = looksLikeText(bytes) ? try TextFormat.encode(String(decoding: bytes, as: UTF8.self)) : bytes
        _ = try decodeAndValidate(binary, features: engine.config.features, backend: .none)
    }

    static func decodeAndValidate(_ binary: [UInt8], features: WasmFeatures, backend: ModuleValidator.Backend) throws
        -> (ModuleInfo, InterpretedModule?, CompiledModule?)
    {
        try binary.withUnsafeBytes { buffer in
            let info = try ModuleDecoder.decode(buffer, features: features)
            let (interpreted, compiled) = try ModuleValidator.validate(info, bytes: buffer, backend: backend)
            return (info, interpreted, compiled)
        }
    }

    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        for byte in bytes {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "("), UInt8(ascii: ";"): return true
            default: return false
            }
        }
        return false
    }

    /// What the module imports, in order.
    public var imports: [ImportType] {
        info.imports.map { entry in
            let type: ExternType
            switch entry.descriptor {
            case .function(let index): type = .func(info.types[Int(index)])
            case .table(let t): type = .table(t)
            case .memory(let t): type = .memory(t)
            case .global(let t): type = .global(t)
            case .tag(let index): type = .tag(info.types[Int(index)])
            }
            return ImportType(module: entry.module, name: entry.name, type: type)
        }
    }

    /// What the module exports, in order.
    public var exports: [ExportType] {
        info.exports.map { export in
            let index = Int(export.index)
            let type: ExternType
            switch export.kind {
            case .function: type = .func(info.functionType(of: index))
            case .table: type = .table(info.tables[index])
            case .memory: type = .memory(info.memories[index])
            case .global: type = .global(info.globals[index])
            case .tag: type = .tag(info.types[Int(info.tags[index])])
            }
            return ExportType(name: export.name, type: type)
        }
    }

    /// The name of the module from the name section, if any.
    public var name: String? { info.names.moduleName }
}

extension Config {
    /// How the JIT shares out a module's functions among threads.
    var compilationSchedule: CompilationSchedule {
        if let batchBytes = compilationBatchBytes { return .parallel(batchBytes: batchBytes) }
        return parallelCompilation ? .parallel() : .sequential
    }
}

extension Module {
    /// Whether the JIT compiled this module to machine code (every valid module of a JIT
    /// engine on x86-64 and AArch64; the modules of an interpreter engine run on the
    /// interpreter).
    public var isCompiledToMachineCode: Bool { compiled != nil }

    /// Why the module runs on the interpreter, in words (nil when it runs on machine code).
    public var interpreterReason: String? {
        if compiled != nil { return nil }
        if engine.config.strategy == .interpreter { return "the engine is configured for the interpreter" }
        if !JITCompiler.isSupported { return "the JIT does not generate code for this processor" }
        return "the module was made to run on the interpreter (a test's choice)"
    }

    /// The machine code of each defined function, when the module was compiled.
    public var machineCode: [(functionIndex: Int, name: String?, address: UInt, bytes: [UInt8])]? {
        guard let compiled else { return nil }
        return compiled.functionRanges.enumerated().map { definedIndex, range in
            let index = definedIndex + info.importedFunctionCount
            let start = compiled.memory.base + range.lowerBound
            let bytes = Array(UnsafeRawBufferPointer(start: start, count: range.count))
            return (index, info.names.functionNames[UInt32(index)], UInt(bitPattern: start), bytes)
        }
    }
}
