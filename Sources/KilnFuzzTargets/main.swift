// libFuzzer targets (see the README's "Fuzzing" section). One program, three targets,
// chosen by KILN_FUZZ_TARGET (decode, compile, differential; default decode):
//
//   decode        arbitrary bytes → decode + validate (and compile when valid): an error
//                 or a module, never a crash
//   compile       bytes → ModuleGenerator's choices → a valid module, compiled by the
//                 JIT (with guard pages and with explicit bounds checks) and by the
//                 interpreter's translator (an error is a bug: the module is valid)
//   differential  bytes → a generated module run under the JIT and the interpreter
//                 (DifferentialRunner); any disagreement aborts
//
// The generator takes its decisions from the input bytes (one byte per small choice, then
// pseudo-random from their hash), so libFuzzer's mutations change a module locally and its
// coverage feedback steers towards new code paths in the compilers.
//
// Built with `-sanitize=fuzzer -D FUZZING` it is a libFuzzer binary; built normally it
// replays input files given as arguments (a corpus) through the same target.

import Foundation
import Kiln
import KilnFuzz

enum Target: String {
    case decode, compile, differential

    static let current = Target(rawValue: ProcessInfo.processInfo.environment["KILN_FUZZ_TARGET"] ?? "decode") ?? .decode

    func run(_ bytes: [UInt8]) {
        switch self {
        case .decode:
            for strategy in [Config.Strategy.jit, .interpreter] {
                guard let engine = try? Engine(Config(strategy: strategy)) else { return }
                _ = try? Module(engine, bytes: bytes)
            }
        case .compile:
            let module = generate(bytes)
            var explicitBounds = Config(strategy: .jit)
            explicitBounds.boundsChecks = .explicit
            for config in [Config(strategy: .jit), explicitBounds, Config(strategy: .interpreter)] {
                do {
                    _ = try Module(try Engine(config), bytes: module)
                } catch {
                    fatalError("a generated module does not compile under \(config): \(error)")
                }
            }
        case .differential:
            let module = generate(bytes)
            let argumentSeed = FuzzRandom.hash(bytes)
            let report = DifferentialRunner.run(module, argumentSeed: argumentSeed)
            if !report.agreed {
                // libFuzzer keeps the input; a regression test wants the module, shrunk.
                let choices = Array(bytes.dropFirst())
                let (shrunk, detail) = FuzzSession.shrink(
                    bytes: module, detail: report.detail, limits: limits(bytes),
                    generator: { ModuleGenerator(bytes: choices, limits: $0) },
                    judge: { DifferentialRunner.run($0, argumentSeed: argumentSeed) })
                // The name carries the argument seed: the regression test replays with it.
                let name = "fuzz-failures/differential-seed-\(argumentSeed)"
                try? FileManager.default.createDirectory(atPath: "fuzz-failures", withIntermediateDirectories: true)
                _ = FileManager.default.createFile(atPath: name + ".wasm", contents: Data(module))
                _ = FileManager.default.createFile(atPath: name + "-shrunk.wasm", contents: Data(shrunk))
                fatalError("engines disagree (module written to \(name).wasm, shrunk to \(name)-shrunk.wasm): \(detail)")
            }
        }
    }

    /// The first byte sets the size knobs; the rest are the generator's choices.
    func generate(_ bytes: [UInt8]) -> [UInt8] {
        var generator = ModuleGenerator(bytes: Array(bytes.dropFirst()), limits: limits(bytes))
        return generator.generate()
    }

    func limits(_ bytes: [UInt8]) -> ModuleGenerator.Limits {
        let knob = Int(bytes.first ?? 0)
        return ModuleGenerator.Limits(functions: 1 + knob % 6, statements: 2 + (knob / 6) % 8, depth: 2 + (knob / 48) % 4)
    }
}

#if FUZZING
import CKilnShims

// Whichever `main` the linker keeps (libFuzzer's or SwiftPM's alias of ours below), the
// input goes here.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Target.current.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// SwiftPM calls an executable's entry point `<module>_main`; libFuzzer's driver runs from it.
@_cdecl("kiln_fuzz_target_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        Target.current.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
#else
@main
struct Replay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        var count = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                Target.current.run([UInt8](data))
                count += 1
            }
        }
        print("kiln-fuzz-target \(Target.current.rawValue): \(count) inputs ran")
    }
}
#endif
