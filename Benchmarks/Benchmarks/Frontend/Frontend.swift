// Decode + validate throughput of Kiln's frontend on a large, realistic module.
//
// Run from the Benchmarks directory, after Kernels/build.sh has produced the module:
//     swift package benchmark --target Frontend
//
// The module (Kernels/build/large.wasm) is generated, not checked in, so that the
// repository stays small and its size can be tuned; see Kernels/generate_large.py.

import Benchmark
import Foundation
import Kiln

/// Where the large module is looked for, in order. The benchmark plugin normally
/// runs with the package directory as working directory, but `#filePath` keeps the
/// benchmark usable when the executable is started from elsewhere.
private func largeModuleCandidates() -> [String] {
    var paths: [String] = []
    if let override = ProcessInfo.processInfo.environment["KILN_LARGE_WASM"], !override.isEmpty {
        paths.append(override)
    }
    paths.append(FileManager.default.currentDirectoryPath + "/Kernels/build/large.wasm")
    // This file is Benchmarks/Benchmarks/Frontend/Frontend.swift; the package root is three levels up.
    let packageRoot = URL(filePath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    paths.append(packageRoot.appending(path: "Kernels/build/large.wasm").path(percentEncoded: false))
    return paths
}

private enum LargeModule {
    case loaded(path: String, bytes: [UInt8])
    case missing(message: String)

    static func load() -> LargeModule {
        let candidates = largeModuleCandidates()
        for path in candidates {
            if let data = FileManager.default.contents(atPath: path) {
                return .loaded(path: path, bytes: [UInt8](data))
            }
        }
        return .missing(message: """
            large.wasm not found (looked at: \(candidates.joined(separator: ", "))). \
            Build it first with Benchmarks/Kernels/build.sh, or set KILN_LARGE_WASM to a module.
            """)
    }
}

/// Decimal megabytes per second, reported as an integer because custom metrics are
/// integers; at these sizes one MB/s of resolution is plenty.
private let megabytesPerSecond = BenchmarkMetric.custom(
    "Decode+validate (MB/s)", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    let module = LargeModule.load()

    Benchmark(
        "Module.validate large.wasm",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident, megabytesPerSecond],
            // One warm-up pass faults in the file's pages and the allocator's arenas.
            warmupIterations: 1,
            maxDuration: .seconds(10),
            maxIterations: 50
        )
    ) { benchmark in
        guard case .loaded(_, let bytes) = module, let engine = try? Engine(Config()) else {
            if case .missing(let message) = module {
                benchmark.error(message)
            } else {
                benchmark.error("could not create a Kiln engine with the default Config")
            }
            return
        }
        let megabytes = Double(bytes.count) / 1_000_000
        for _ in benchmark.scaledIterations {
            let start = ContinuousClock.now
            do {
                try Module.validate(engine, bytes: bytes)
            } catch {
                // A failure here is a Kiln bug (the module comes from clang), not a slow run.
                benchmark.error("Module.validate rejected large.wasm: \(error)")
                return
            }
            let elapsed = start.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            benchmark.measurement(megabytesPerSecond, Int((megabytes / seconds).rounded()))
        }
    }
}
