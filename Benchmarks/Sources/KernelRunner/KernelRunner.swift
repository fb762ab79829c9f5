// Runs one benchmark kernel on one engine and prints one machine-readable line.
//
//     KernelRunner --engine kiln-jit|kiln-interp|wasmkit --runs R --size N kernel.wasm
//       (kiln-jit-fuel and kiln-interp-fuel: the same with fuel metering on)
//         -> "engine kernel size compile_ms median_ms min_ms checksum"
//     KernelRunner --engine ... --runs R --compile-only module.wasm
//         -> "engine module bytes median_ms min_ms" (compile time only, nothing runs)
//
// In the first form the module is compiled and instantiated once (compile_ms), then
// the exported `run(size)` is called R times; median_ms and min_ms describe those
// calls. compare.sh starts one process per engine and kernel, so no engine inherits
// another's heap, caches or JIT state. wasmtime_runner.py prints the same lines.

import Foundation

/// The kernel's exported `run(int n) -> long long`.
typealias KernelEntry = (Int32) throws -> Int64

/// What KernelRunner needs from an engine. Each conforming type lives in a file that
/// imports only its engine's module (see KilnBackend.swift).
protocol Backend {
    /// Decodes, validates and compiles `bytes`, then throws the result away.
    func compile(_ bytes: [UInt8]) throws
    /// Compiles and instantiates `bytes` and returns its `run` export.
    func instantiate(_ bytes: [UInt8]) throws -> KernelEntry
}

struct RunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@main
struct KernelRunner {
    static let usage = """
        usage: KernelRunner --engine kiln-jit|kiln-interp|wasmkit --runs R --size N <kernel.wasm>
               KernelRunner --engine kiln-jit|kiln-interp|wasmkit --runs R --compile-only <module.wasm>
        """

    static func main() {
        var engineName: String?
        var runs = 5
        var size: Int32?
        var compileOnly = false
        var path: String?

        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--engine":
                engineName = arguments.popFirst()
            case "--runs":
                guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else {
                    fail("--runs needs a positive integer\n\(usage)")
                }
                runs = value
            case "--size":
                guard let value = arguments.popFirst().flatMap(Int32.init) else {
                    fail("--size needs a 32-bit integer\n\(usage)")
                }
                size = value
            case "--compile-only":
                compileOnly = true
            case "-h", "--help":
                print(usage)
                return
            default:
                guard path == nil, !argument.hasPrefix("-") else { fail("unexpected argument \(argument)\n\(usage)") }
                path = argument
            }
        }
        guard let engineName, let path else { fail(usage) }
        guard compileOnly || size != nil else { fail("--size is required unless --compile-only\n\(usage)") }
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        let bytes = [UInt8](data)
        // "Kernels/build/fib.wasm" -> "fib": the name compare.sh uses for the row.
        let kernel = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent

        do {
            // Engine creation is per-process setup, not per-module work: it stays
            // outside every timed region, as in wasmtime_runner.py.
            let backend: any Backend
            switch engineName {
            case "kiln-jit": backend = try KilnBackend(strategy: .jit)
            case "kiln-interp": backend = try KilnBackend(strategy: .interpreter)
            case "kiln-jit-fuel": backend = try KilnBackend(strategy: .jit, fuel: true)
            case "kiln-interp-fuel": backend = try KilnBackend(strategy: .interpreter, fuel: true)
            case "wasmkit": backend = WasmKitBackend()
            default: fail("unknown engine \(engineName)\n\(usage)")
            }

            if compileOnly {
                var times: [Double] = []
                for _ in 0..<runs {
                    times.append(try milliseconds { try backend.compile(bytes) })
                }
                print(engineName, kernel, bytes.count, format(median(times)), format(times.min()!))
                return
            }

            var entry: KernelEntry?
            let compileTime = try milliseconds { entry = try backend.instantiate(bytes) }
            // No separate warm-up call: at benchmark sizes one call takes long enough
            // that a cold first call is one outlier among R, which the median ignores.
            var checksum: Int64?
            var times: [Double] = []
            for _ in 0..<runs {
                var result: Int64 = 0
                times.append(try milliseconds { result = try entry!(size!) })
                // Every call must compute the same value; anything else is an engine bug
                // that would make the timings meaningless.
                if let checksum, checksum != result {
                    throw RunnerError("run(\(size!)) returned \(result), but \(checksum) on an earlier call")
                }
                checksum = result
            }
            print(engineName, kernel, size!, format(compileTime), format(median(times)), format(times.min()!), checksum!)
        } catch {
            fail("\(engineName) \(kernel): \(error)")
        }
    }

    /// Wall-clock time of `body` in milliseconds, on the monotonic clock.
    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
    }

    /// The median resists the odd descheduled run better than the mean; for an even
    /// count it is the mean of the middle two.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func format(_ milliseconds: Double) -> String { String(format: "%.3f", milliseconds) }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(1)
    }
}
