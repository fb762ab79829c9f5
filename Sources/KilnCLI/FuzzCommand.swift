import ArgumentParser
import Foundation
import KilnFuzz

struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Differential fuzzing: random modules under the JIT and the interpreter, compared."
    )

    @Option(help: "How long to run.")
    var seconds: Double = 10

    @Option(help: "The first seed (seeds are consecutive).")
    var seed: UInt64 = 1

    @Option(help: "Where modules come from: kiln or binaryen (wasm-opt -ttf).")
    var generator: String = "kiln"

    @Option(help: "Where failing modules (shrunk) are written.")
    var output: String = "fuzz-failures"

    @Option(help: "What Kiln's generator makes: 3.0 (multi-memory, memory64, extended constants, typed references, tail calls, exceptions) or 2.0 (as before 3.0, seed for seed).")
    var spec: String = "3.0"

    @Flag(name: .shortAndLong, help: "Print every module's seed.")
    var verbose = false

    @Option(help: "Also write every module to this directory (<generator>-seed-N.wasm), to inspect what the generator makes.")
    var keep: String?

    mutating func run() throws {
        guard let generator = FuzzGenerator(rawValue: generator) else {
            throw ValidationError("unknown generator \(generator): use kiln or binaryen")
        }
        guard let features = ModuleGenerator.Features(spec: spec) else {
            throw ValidationError("unknown spec \(spec): use 2.0 or 3.0")
        }
        if let reason = generator.unavailableReason() {
            // One clear error, not a divergence per seed.
            FileHandle.standardError.write(Data("error: \(reason)\n".utf8))
            throw ExitCode(2)
        }
        let outputDirectory = URL(fileURLWithPath: output)
        var session = FuzzSession(generator: generator, outputDirectory: outputDirectory, features: features)
        // A crash (a compiler precondition, a fault outside wasm code) ends the process before
        // any report: the seed it was running stays in this file, to rerun with -v.
        let createdOutput = !FileManager.default.fileExists(atPath: output)
        try? FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let runningSeed = outputDirectory.appendingPathComponent("running-seed")
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var current = seed
        while ContinuousClock.now < deadline {
            try? "\(generator.rawValue) seed \(current)\n".write(to: runningSeed, atomically: false, encoding: .utf8)
            let failuresBefore = session.failed
            // On stderr, unbuffered: the seed shows even if a bug takes the process down.
            if verbose { FileHandle.standardError.write(Data("running seed \(current)\n".utf8)) }
            // Written before the run: a module that takes the process down stays behind.
            if let keep, let bytes = FuzzSession.module(generator, seed: current, limits: ModuleGenerator.Limits(features: features)) {
                try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: "\(keep)/\(generator.rawValue)-seed-\(current).wasm", contents: Data(bytes))
            }
            session.run(seed: current)
            if verbose {
                print("seed \(current): \(session.failed > failuresBefore ? "FAILED" : "ok")")
                if let bytes = FuzzSession.module(generator, seed: current, limits: ModuleGenerator.Limits(features: features)) {
                    for line in DifferentialRunner.describe(bytes, argumentSeed: current) { print("  \(line.prefix(300))") }
                }
            }
            if session.failed > failuresBefore, let failure = session.failures.last {
                print("seed \(failure.seed) diverged (written to \(output)/\(generator.rawValue)-seed-\(failure.seed).wasm):")
                print(failure.detail)
            }
            current &+= 1
            if session.skipped >= 20 && session.passed + session.failed == 0 {
                // Installed but making nothing: wasm-opt is broken or too old for its flags.
                FileHandle.standardError.write(Data(
                    "error: the \(generator.rawValue) generator made no module from \(session.skipped) seeds; last: \(session.lastGeneratorError ?? "")\n".utf8))
                throw ExitCode(2)
            }
        }
        try? FileManager.default.removeItem(at: runningSeed)
        if createdOutput && session.failed == 0 { try? FileManager.default.removeItem(at: outputDirectory) }
        print("\(session.calls) calls compared over seeds \(seed)..<\(current)")
        if session.skipped > 0 {
            print("\(session.skipped) seeds made no module (skipped); the last: \(session.lastGeneratorError ?? "")")
        }
        print("\(session.passed) passed, \(session.failed) failed" + (session.skipped > 0 ? ", \(session.skipped) skipped" : ""))
        if session.failed > 0 { throw ExitCode(1) }
    }
}
