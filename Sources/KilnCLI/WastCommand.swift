import ArgumentParser
import Foundation
import Kiln
import KilnWAST

struct WastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wast",
        abstract: "Run WebAssembly spec scripts (.wast)."
    )

    @Option(help: "The engine that executes wasm code.")
    var engine: EngineChoice = .jit

    @Flag(name: .shortAndLong, help: "Print every failed directive.")
    var verbose = false

    @Option(help: "How memory accesses are bounds-checked: guard-pages or explicit.")
    var boundsChecks: BoundsChecksChoice = .guardPages

    @Option(help: "The WebAssembly version whose proposals modules may use: 2.0 or 3.0 (its 2.0 suite rejects what 3.0 allows).")
    var spec: SpecVersion = .v3

    @Argument(help: "Spec scripts to run.")
    var files: [String]

    mutating func run() throws {
        var config = Config(strategy: engine.strategy)
        config.boundsChecks = boundsChecks == .explicit ? .explicit : .guardPages
        config.features = spec == .v2 ? .webAssembly2 : .webAssembly3
        let engine = try Engine(config)
        if verbose, config.strategy == .jit, let jit = Engine.jitName {
            print("engine: \(jit)\(Engine.jitName == "x86-64 JIT" ? ", CPU features: \(engine.cpuFeatures)" : "")")
        }
        let runner = WASTRunner(engine: engine)
        var total = WASTRunner.Tally()
        for file in files {
            let result = runner.run(path: file)
            print("\(file): \(result.tally.summary)")
            if verbose {
                for failure in result.failures { print("  \(failure)") }
                // Under the JIT, a module it leaves to the interpreter is worth knowing about.
                for reason in Set(result.interpretedModules).sorted() {
                    print("  interpreted: \(result.interpretedModules.filter { $0 == reason }.count) module(s): \(reason)")
                }
            }
            total += result.tally
        }
        print(total.summary)
        if total.failed > 0 { throw ExitCode(1) }
    }
}

enum SpecVersion: String, ExpressibleByArgument {
    case v2 = "2.0"
    case v3 = "3.0"
}
