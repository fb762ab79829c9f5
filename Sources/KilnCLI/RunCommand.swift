import ArgumentParser
import Foundation
import Kiln
import KilnWASI

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a WebAssembly module (.wasm or .wat).",
        discussion: """
            Calls the export named by --invoke with ARGS converted to its parameter types (or \
            _start, or the module's only exported function) and prints each result on its own \
            line. The module may import a small subset of WASI preview 1 (fd_write, proc_exit, \
            args, environment, clocks, random).
            """
    )

    @Option(help: "The engine that executes wasm code.")
    var engine: EngineChoice = .jit

    @Option(help: "The exported function to call.")
    var invoke: String?

    @Option(help: "Fuel to run with; the call traps when it runs out.")
    var fuel: UInt64?

    @Flag(name: .shortAndLong, help: "Say more about what happens (on stderr).")
    var verbose = false

    @Argument(help: "The module to run.")
    var file: String

    @Argument(parsing: .allUnrecognized, help: "Arguments for the invoked function.")
    var arguments: [String] = []

    mutating func run() throws {
        do {
            var config = Config(strategy: engine.strategy)
            config.consumeFuel = fuel != nil
            let engine = try Engine(config)
            let module = try Module(engine, path: file)
            let store = Store(engine, data: WASIContext(arguments: [file] + arguments))
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
            let given = arguments.first == "--" ? Array(arguments.dropFirst()) : arguments
            let parameters = isCommand ? [] : try parse(given, as: type.params, function: name)
            if verbose {
                let runsOn = module.isCompiledToMachineCode ? "machine code (x86-64 JIT)" : "the interpreter"
                let why = engine.config.strategy == .jit && !module.isCompiledToMachineCode ? " (the module uses SIMD)" : ""
                log("kiln: calling \(name)\(type) on \(runsOn)\(why)")
            }
            let results: [Val]
            do {
                results = try function.call(store, parameters)
            } catch let exit as WASIExit {
                throw ExitCode(exit.code)
            }
            for result in results { print(format(result)) }
        } catch let exit as ExitCode {
            throw exit
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
        }
    }
}

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
