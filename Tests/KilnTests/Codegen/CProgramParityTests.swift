import Foundation
import Testing
import Kiln
import KilnWASI

/// Real C programs of a few hundred lines each (Tests/CPrograms: a bytecode VM, a
/// compressor, hash tables, sorts through function pointers, string processing, an
/// expression evaluator), built against wasi-libc at -O1, -O2 and -Os and natively: every
/// wasm build must print what the native build prints, under the interpreter and under
/// the JIT with both bounds modes. Code the compiler was not written against, at several
/// optimization levels, finds what kernels and generated modules miss.
@Suite(.serialized) struct CProgramParityTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("CPrograms")

    static var programs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? [])
            .filter { $0.hasSuffix(".c") }.map { String($0.dropLast(2)) }.sorted()
    }

    /// Built once per test process by Tests/CPrograms/build.sh (needs clang's wasm32
    /// target, wasi-libc and libclang-rt-dev-wasm32, which .ci/run installs).
    static let build: Result<URL, BuildError> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-cprograms-\(getpid())")
        let (status, output) = run("/bin/bash", [sources.appendingPathComponent("build.sh").path, directory.path])
        return status == 0 ? .success(directory) : .failure(BuildError(message: output))
    }()

    struct BuildError: Error, CustomStringConvertible {
        var message: String
        var description: String { "Tests/CPrograms/build.sh failed:\n\(message)" }
    }

    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func thereAreSeveralPrograms() {
        #expect(Self.programs.count >= 5)
    }

    @Test(arguments: programs)
    func sameOutputAsNative(_ program: String) throws {
        let directory = try Self.build.get()
        let native = Self.run(directory.appendingPathComponent("\(program)-native").path, [])
        #expect(native.status == 0)
        #expect(native.output.count > 200, "\(program) prints too little to compare")
        for level in ["O1", "O2", "Os"] {
            let module = directory.appendingPathComponent("\(program)-\(level).wasm").path
            for (strategy, bounds) in [(Config.Strategy.interpreter, Config.BoundsChecks.guardPages), (.jit, .guardPages), (.jit, .explicit)] {
                let output = try Self.output(module, strategy, bounds)
                #expect(output == native.output, "\(program)-\(level) under \(strategy) (\(bounds)): \(Self.firstDifference(output, native.output))")
            }
        }
    }

    static func output(_ path: String, _ strategy: Config.Strategy, _ bounds: Config.BoundsChecks) throws -> String {
        var config = Config(strategy: strategy)
        config.boundsChecks = bounds
        let engine = try Engine(config)
        let module = try Module(engine, path: path)
        final class Output: @unchecked Sendable { var bytes: [UInt8] = [] }
        let output = Output()
        let store = Store(engine, data: try WASIContext(arguments: ["program"]) { fd, bytes in if fd == 1 { output.bytes += bytes } })
        let linker = Linker<WASIContext>(engine)
        try WASIContext.define(in: linker)
        let instance = try linker.instantiate(store, module)
        do {
            _ = try instance.getFunc(store, "_start")!.call(store, [])
        } catch let trap as Trap where (trap.hostError as? WASIExit)?.code == 0 {
            // exit(0)
        }
        return String(decoding: output.bytes, as: UTF8.self)
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let (linesA, linesB) = (a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
        for (i, (x, y)) in zip(linesA, linesB).enumerated() where x != y {
            return "line \(i + 1): \"\(x)\" instead of \"\(y)\""
        }
        return "\(linesA.count) lines instead of \(linesB.count)"
    }
}
