// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "KilnBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Frontend",
            dependencies: [
                .product(name: "Kiln", package: "main"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Frontend",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "DecodeThroughput",
            dependencies: [.product(name: "Kiln", package: "main")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
