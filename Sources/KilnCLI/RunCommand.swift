import ArgumentParser
import Foundation
import Kiln
import KilnWASI

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a WebAssembly module (.wasm or .wat).",
        usage: "kiln run [OPTIONS] FILE [ARGS...]",
        discussion: """
            Options come before FILE; everything after FILE goes to the program untouched \
            (its argv[0] is FILE). A command module runs its _start and the program's exit \
            code (proc_exit) becomes kiln's exit status. With --invoke NAME, a reactor's \
            _initialize runs first, then NAME is called with ARGS converted to its parameter \
            types, and each result is printed on its own line. A trap prints "error: " and \
            the message on stderr and exits 1.

            The program gets WASI preview 1 with the host's stdin, stdout and stderr, the \
            environment variables given with --env, and only the directories given with --dir: \
            paths cannot reach outside them.
            """
    )

    @Option(help: "The engine that executes wasm code.")
    var engine: EngineChoice = .jit

    @Option(help: "The exported function to call (a reactor's _initialize runs first).")
    var invoke: String?

    @Option(help: "Fuel to run with; the call traps when it runs out.")
    var fuel: UInt64?

    @Option(name: .customLong("dir"), help: ArgumentHelp(
        "Give the program the host directory HOST, named GUEST inside (default: HOST as written). Repeatable.",
        valueName: "HOST[::GUEST]"))
    var directories: [String] = []

    @Option(name: .customLong("env"), help: ArgumentHelp(
        "Set an environment variable for the program; NAME alone passes on the host's value. Repeatable.",
        valueName: "NAME[=VALUE]"))
    var environment: [String] = []

    @Option(name: .customLong("tcplisten"), help: ArgumentHelp(
        "Listen on a TCP address and hand the socket to the program (fd 3 on), which accepts connections with sock_accept. Repeatable.",
        valueName: "HOST:PORT"))
    var listeners: [String] = []

    @Flag(name: .customLong("allow-precompiled"), help: ArgumentHelp(
        "Allow FILE to be a compiled artifact (.cwasm, from kiln compile -o): trusted machine code, run as it is."))
    var allowPrecompiled = false

    @Flag(name: .shortAndLong, help: "Say more about what happens (on stderr).")
    var verbose = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp(
        "The module to run, then the program's arguments (or, with --invoke, the function's).",
        valueName: "FILE [ARGS...]"))
    var command: [String] = []

    mutating func validate() throws {
        // Options end at FILE, so help asked for in the options' place lands here.
        if command.first == "-h" || command.first == "--help" { throw CleanExit.helpRequest(self) }
        if command.first == "--" { command.removeFirst() }
        if let first = command.first, first.hasPrefix("-") {
            throw ValidationError("unknown option \(first) (options come before FILE)")
        }
        guard !command.isEmpty else { throw ValidationError("missing FILE: the module to run") }
    }

    mutating func run() throws {
        let file = command[0]
        let arguments = Array(command.dropFirst())
        do {
            var config = runConfig(strategy: engine.strategy, consumeFuel: fuel != nil)
            let precompiled = RunCommand.isCompiledArtifact(file)
            if precompiled && !allowPrecompiled {
                throw KilnError("\(file) is a compiled artifact (machine code, not WebAssembly): pass --allow-precompiled to run it "
                                + "(only for artifacts you trust)")
            }
            let lacking = CPUFeatures.x86Baseline.subtracting(CPUFeatures.host)
            if config.strategy == .jit, Engine.jitName == "x86-64 JIT", !lacking.isEmpty, !precompiled {
                // The JIT cannot run here (Engine would say so): the interpreter can.
                if verbose { log("kiln: using the interpreter: the x86-64 JIT needs \(CPUFeatures.x86Baseline) (SSE4.1 and companions), this processor lacks \(lacking)") }
                config.strategy = .interpreter
            }
            let engine = try Engine(config)
            if verbose, config.strategy == .jit, Engine.jitName == "x86-64 JIT" {
                log("kiln: CPU features: \(engine.cpuFeatures)")
            }
            let module = precompiled ? try Module(engine, deserializeFile: file) : try Module(engine, path: file)
            var wasi = WASIConfiguration()
            wasi.inheritStdio()
            wasi.arguments = [file] + (invoke == nil ? arguments : [])
            for variable in environment {
                if let equals = variable.firstIndex(of: "=") {
                    wasi.environment.append((String(variable[..<equals]), String(variable[variable.index(after: equals)...])))
                } else {
                    wasi.inheritEnvironment(variable)
                }
            }
            for directory in directories {
                let parts = directory.components(separatedBy: "::")
                guard parts.count <= 2, !parts[0].isEmpty else {
                    throw KilnError("--dir \(directory): expected HOST or HOST::GUEST")
                }
                wasi.preopen(host: parts[0], guest: parts.count == 2 ? parts[1] : parts[0])
            }
            for listener in listeners {
                guard let colon = listener.lastIndex(of: ":"), let port = UInt16(listener[listener.index(after: colon)...]) else {
                    throw KilnError("--tcplisten \(listener): expected HOST:PORT")
                }
                let (socket, actualPort) = try WASIConfiguration.listen(host: String(listener[..<colon]), port: port)
                if verbose { log("kiln: listening on \(listener[..<colon]):\(actualPort)") }
                wasi.listeningSockets.append(socket)
            }
            let store = Store(engine, data: try WASIContext(wasi))
            if let fuel { try store.addFuel(fuel) }
            defer {
                if verbose, let consumed = store.fuelConsumed { log("kiln: fuel consumed: \(consumed)") }
            }
            let linker = Linker<WASIContext>(engine)
            try WASIContext.define(in: linker)
            let instance = try linker.instantiate(store, module)
            let (name, function) = try entryPoint(instance, store)
            let type = function.type(store)
            let isCommand = name == "_start"
            let parameters = isCommand ? [] : try parse(arguments, as: type.params, function: name)
            if verbose {
                let runsOn = module.isCompiledToMachineCode ? "machine code (\(Engine.jitName ?? "JIT"))" : "the interpreter"
                let why = engine.config.strategy == .jit ? module.interpreterReason.map { " (\($0))" } ?? "" : ""
                log("kiln: calling \(name)\(type) on \(runsOn)\(why)")
            }
            if !isCommand, let initialize = instance.getFunc(store, "_initialize") {
                _ = try initialize.call(store, [])
            }
            let results = try function.call(store, parameters)
            for result in results { print(format(result)) }
        } catch let exit as WASIExit {
            throw ExitCode(exit.code)
        } catch let trap as Trap {
            log("error: \(trap.message)")
            if verbose, !trap.backtrace.isEmpty {
                log("wasm backtrace:\n" + trap.backtrace.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n"))
            }
            throw ExitCode(1)
        } catch {
            log("error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Whether the file starts with the compiled-artifact magic.
    static func isCompiledArtifact(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return Module.isCompiledArtifact([UInt8](head))
    }

    private func entryPoint(_ instance: Instance, _ store: Store<WASIContext>) throws -> (String, Func) {
        if let invoke {
            guard let function = instance.getFunc(store, invoke) else {
                throw KilnError("the module exports no function named \"\(invoke)\"")
            }
            return (invoke, function)
        }
        let functions = instance.exports(store).compactMap { export in export.value.asFunc.map { (export.name, $0) } }
        if let start = functions.first(where: { $0.0 == "_start" }) { return start }
        if functions.count == 1 { return functions[0] }
        let names = functions.map(\.0).joined(separator: ", ")
        throw KilnError("say which function to call with --invoke NAME (exported functions: \(names.isEmpty ? "none" : names))")
    }

    private func parse(_ arguments: [String], as types: [ValType], function: String) throws -> [Val] {
        guard arguments.count == types.count else {
            throw KilnError("\(function) takes \(types.count) arguments (\(types.map(\.description).joined(separator: ", "))), got \(arguments.count)")
        }
        return try zip(arguments, types).enumerated().map { index, pair in
            let (text, type) = pair
            func fail() -> KilnError { KilnError("argument \(index + 1) \"\(text)\" is not a valid \(type)") }
            switch type {
            case .i32:
                if let v = Int32(text) { return .i32(v) }
                if let v = UInt32(text) { return .i32(Int32(bitPattern: v)) }
                throw fail()
            case .i64:
                if let v = Int64(text) { return .i64(v) }
                if let v = UInt64(text) { return .i64(Int64(bitPattern: v)) }
                throw fail()
            case .f32:
                guard let v = Float(text) else { throw fail() }
                return .f32(v)
            case .f64:
                guard let v = Double(text) else { throw fail() }
                return .f64(v)
            default:
                throw KilnError("argument \(index + 1): \(type) parameters cannot be given on the command line")
            }
        }
    }

    private func format(_ value: Val) -> String {
        switch value {
        case .i32(let v): "\(v)"
        case .i64(let v): "\(v)"
        case .f32(let v): "\(v)"
        case .f64(let v): "\(v)"
        case .v128(let v): "\(v)"
        case .funcRef(let f): f == nil ? "null" : "funcref"
        case .externRef(let r): r == nil ? "null" : "externref"
        case .exnRef(let e): e == nil ? "null" : "exnref"
        }
    }
}

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
