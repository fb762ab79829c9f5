// Decode + validate throughput of Kiln's frontend on a large, realistic module.
//
// Run from the Benchmarks directory, after Kernels/build.sh has produced the module:
//     swift package benchmark --target Frontend
//
// The module (Kernels/build/large.wasm) is generated, not checked in, so that the
// repository stays small and its size can be tuned; see Kernels/generate_large.py.
// Set KILN_LARGE_WASM to measure some other module instead.

import Benchmark
import Foundation
import Kiln

/// What every iteration needs, prepared once outside the measured closure.
private struct FrontendInput {
    let bytes: [UInt8]
    let engine: Engine

    /// Candidate locations, in order. The benchmark plugin runs the executable with
    /// the package directory as working directory; `#filePath` covers runs started
    /// from anywhere else.
    static func candidatePaths() -> [String] {
        var paths: [String] = []
        if let override = ProcessInfo.processInfo.environment["KILN_LARGE_WASM"], !override.isEmpty {
            paths.append(override)
        }
        paths.append(FileManager.default.currentDirectoryPath + "/Kernels/build/large.wasm")
        // This file is <package>/Benchmarks/Frontend/Frontend.swift.
        let packageDirectory = URL(filePath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
        paths.append(packageDirectory.appending(path: "Kernels/build/large.wasm").path(percentEncoded: false))
        // The last two coincide when run from the package directory; list each once.
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    static func load() throws -> FrontendInput {
        let candidates = candidatePaths()
        guard let data = candidates.lazy.compactMap({ FileManager.default.contents(atPath: $0) }).first else {
            throw SetupError(description: """
                large.wasm not found (looked at \(candidates.joined(separator: ", "))). \
                Build it first with Benchmarks/Kernels/build.sh, or point KILN_LARGE_WASM at a module.
                """)
        }
        return FrontendInput(bytes: [UInt8](data), engine: try Engine(Config()))
    }
}

private struct SetupError: Error, CustomStringConvertible {
    let description: String
}

/// Decimal megabytes per second. Custom metrics are integers; at these module sizes a
/// resolution of 1 MB/s is plenty.
private let megabytesPerSecond = BenchmarkMetric.custom(
    "Decode+validate (MB/s)", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    // A missing module must not abort registration (that would also break
    // `swift package benchmark list`); the benchmark reports it when it runs instead.
    let input = Result { try FrontendInput.load() }

    Benchmark(
        "Module.validate large.wasm",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident, megabytesPerSecond],
            // One warm-up pass faults in the module's pages and the allocator's arenas.
            warmupIterations: 1,
            maxDuration: .seconds(10),
            maxIterations: 50
        )
    ) { benchmark in
        let prepared: FrontendInput
        do {
            prepared = try input.get()
        } catch {
            benchmark.error("\(error)")
            return
        }
        let megabytes = Double(prepared.bytes.count) / 1_000_000
        for _ in benchmark.scaledIterations {
            let start = ContinuousClock.now
            do {
                try Module.validate(prepared.engine, bytes: prepared.bytes)
            } catch {
                // The module comes from clang, so a rejection is a Kiln bug, not a slow run.
                benchmark.error("Module.validate rejected the module: \(error)")
                return
            }
            let elapsed = start.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            benchmark.measurement(megabytesPerSecond, Int((megabytes / seconds).rounded()))
        }
    }
}
