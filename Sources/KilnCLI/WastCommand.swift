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

    @Argument(help: "Spec scripts to run.")
    var files: [String]

    mutating func run() throws {
        let runner = WASTRunner(engine: try Engine(Config(strategy: engine.strategy)))
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
