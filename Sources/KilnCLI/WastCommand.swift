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

    @Argument(help: "Spec scripts to run.")
    var files: [String]

    mutating func run() throws {
        var config = Config(strategy: engine.strategy)
        config.boundsChecks = boundsChecks == .explicit ? .explicit : .guardPages
        let runner = WASTRunner(engine: try Engine(config))
        var total = WASTRunner.Tally()
        for file in files {
            let result = runner.run(path: file)
            print("\(file): \(result.tally.summary)")
            if verbose {
                for failure in result.failures { print("  \(failure)") }
            }
            total += result.tally
        }
        print(total.summary)
        if total.failed > 0 { throw ExitCode(1) }
    }
}
