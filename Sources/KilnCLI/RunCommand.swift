import ArgumentParser
import Foundation
import Kiln

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a WebAssembly module (.wasm or .wat)."
    )

    @Option(help: "The engine that executes wasm code.")
    var engine: EngineChoice = .jit

    @Option(help: "The exported function to call (default: _start, main, or the only export).")
    var invoke: String?

    @Option(help: "Fuel to run with; the call traps when it runs out.")
    var fuel: UInt64?

    @Flag(name: .shortAndLong, help: "Say more about what happens.")
    var verbose = false

    @Argument(help: "The module to run.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the invoked function.")
    var arguments: [String] = []

    mutating func run() throws {
        do {
            var config = Config(strategy: engine.strategy)
            config.consumeFuel = fuel != nil
            let loaded = try Module(try Engine(config), path: file)
            if verbose {
                FileHandle.standardError.write("kiln: \(file): \(loaded.imports.count) imports, \(loaded.exports.count) exports\n".data(using: .utf8)!)
            }
            throw KilnError("execution is not implemented yet: the module is valid")
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            throw ExitCode(1)
        }
    }
}
