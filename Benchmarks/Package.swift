// swift-tools-version: 6.1
import PackageDescription

// The identity of a path dependency is the name of its directory, i.e. whatever the
// Kiln checkout happens to be called ("main" in the development workspace). Derive
// it so that product references below keep working in any clone.
let kiln = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "kiln"

let package = Package(
    name: "KilnBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // The reference interpreter KernelRunner compares against. Kiln itself already
        // depends on this exact version (for its WAT parser), so it adds nothing to fetch.
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
        // Naming the traits explicitly (instead of the package's defaults) matters on
        // Linux with Swift 6.3: the default "RuntimeInterposer" trait pulls in
        // ordo-one/swift-runtime-interposer. With only "MallocInterposer" enabled,
        // SwiftPM prunes that dependency and never needs to fetch it.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Benchmarks run by `swift package benchmark` (ordo-one/benchmark's plugin).
        .executableTarget(
            name: "Frontend",
            dependencies: [
                .product(name: "Kiln", package: kiln),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Frontend",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The C kernels under Kiln's JIT and interpreter.
        .executableTarget(
            name: "Kernels",
            dependencies: [
                .product(name: "Kiln", package: kiln),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Swift <-> wasm call costs, with malloc counts.
        .executableTarget(
            name: "Calls",
            dependencies: [
                .product(name: "Kiln", package: kiln),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Calls",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Plain command-line tool for scripts: prints median decode+validate MB/s.
        .executableTarget(
            name: "DecodeThroughput",
            dependencies: [.product(name: "Kiln", package: kiln)]
        ),
        // Plain command-line tool: compile time against compiled-artifact load time.
        .executableTarget(
            name: "ArtifactLoad",
            dependencies: [.product(name: "Kiln", package: kiln)]
        ),
        // Plain command-line tool: ns per call across the Swift <-> wasm boundary.
        .executableTarget(
            name: "CallOverhead",
            dependencies: [.product(name: "Kiln", package: kiln)]
        ),
        // Plain command-line tool: µs per store + instantiate + drop (issue 19).
        .executableTarget(
            name: "Instantiation",
            dependencies: [.product(name: "Kiln", package: kiln)]
        ),
        // Plain command-line tool: resident memory over many instantiations, and of many live instances.
        .executableTarget(
            name: "InstantiationRSS",
            dependencies: [.product(name: "Kiln", package: kiln)]
        ),
        // Plain command-line tool for compare.sh: runs one kernel on one engine (Kiln
        // or WasmKit) and prints one machine-readable line. One process per engine and
        // kernel keeps the engines from sharing heap state or warmed-up caches.
        .executableTarget(
            name: "KernelRunner",
            dependencies: [
                .product(name: "Kiln", package: kiln),
                .product(name: "WasmKit", package: "WasmKit"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
