// The C kernels under Kiln's two engines, through ordo-one/benchmark:
//     Kernels/build.sh --no-large && swift package benchmark --target Kernels
//
// `compare.sh` runs the same kernels side by side with WasmKit and wasmtime and prints
// ratios; this target gives the framework's statistics (percentiles, mallocs) for Kiln alone.

import Benchmark
import Foundation
import Kiln

/// Kernel sizes that keep one interpreter call under about a second.
private let kernels: [(name: String, size: Int32)] = [
    ("fib", 30), ("sieve", 4_000_000), ("matmul", 160), ("nbody", 20_000),
    ("sha256", 2), ("sort", 400_000), ("interp", 200_000), ("dispatch", 4_000_000),
]

private func kernelPath(_ name: String) -> String {
    let packageDirectory = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    return packageDirectory.appending(path: "Kernels/build/\(name).wasm").path(percentEncoded: false)
}

private struct Prepared {
    let run: (Int32) throws -> Int64

    init(_ name: String, _ strategy: Config.Strategy) throws {
        guard let data = FileManager.default.contents(atPath: kernelPath(name)) else {
            throw KilnError("\(kernelPath(name)) not found: run Kernels/build.sh first")
        }
        let engine = try Engine(Config(strategy: strategy))
        let module = try Module(engine, bytes: [UInt8](data))
        let store = Store(engine, data: ())
        let instance = try Linker<Void>(engine).instantiate(store, module)
        let function = try instance.getTypedFunc(store, "run", (Int32).self, Int64.self)
        run = { n in try function.call(store, n) }
    }
}

let benchmarks: @Sendable () -> Void = {
    for (name, size) in kernels {
        for (label, strategy) in [("jit", Config.Strategy.jit), ("interp", .interpreter)] {
            let prepared = Result { try Prepared(name, strategy) }
            Benchmark(
                "\(name)(\(size)) \(label)",
                configuration: .init(metrics: [.wallClock, .mallocCountTotal], warmupIterations: 1,
                                     maxDuration: .seconds(5), maxIterations: 20)
            ) { benchmark in
                do {
                    let kernel = try prepared.get()
                    for _ in benchmark.scaledIterations {
                        blackHole(try kernel.run(size))
                    }
                } catch {
                    benchmark.error("\(error)")
                }
            }
        }
    }
}
