// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Kiln",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Kiln", targets: ["Kiln"]),
        .library(name: "KilnFuzz", targets: ["KilnFuzz"]),
        .executable(name: "kiln", targets: ["KilnCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Small C layer: executable memory, signal handling, machine-code entry.
        // Host functions become native code through libffi closures (Debian: libffi-dev).
        .target(name: "CKilnShims", path: "CShims", linkerSettings: [.linkedLibrary("ffi")]),
        .target(
            name: "Kiln",
            dependencies: [
                "CKilnShims",
                .product(name: "WAT", package: "WasmKit"),
                .product(name: "WasmParser", package: "WasmKit"),
            ]
        ),
        // The spec-script (.wast) runner, shared by the CLI and the test suite.
        .target(
            name: "KilnWAST",
            dependencies: [
                "Kiln",
                .product(name: "WAT", package: "WasmKit"),
                .product(name: "WasmParser", package: "WasmKit"),
            ]
        ),
        // WASI preview 1: all 46 functions, paths confined beneath preopened directories.
        .target(name: "KilnWASI", dependencies: ["Kiln", "CKilnShims"]),
        // Differential fuzzing: module generator, JIT-vs-interpreter runner, shrinker.
        .target(name: "KilnFuzz", dependencies: ["Kiln"]),
        .executableTarget(
            name: "KilnCLI",
            dependencies: [
                "Kiln", "KilnWAST", "KilnWASI", "KilnFuzz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (built with -sanitize=fuzzer -D FUZZING), or a corpus replayer.
        .executableTarget(name: "kiln-fuzz-target", dependencies: ["Kiln", "KilnFuzz", "CKilnShims"], path: "Sources/KilnFuzzTargets"),
        // The extern-reference scenarios as a plain program, for valgrind's leak check.
        .executableTarget(name: "kiln-leak-check", dependencies: ["Kiln"], path: "Sources/KilnLeakCheck"),
        .testTarget(
            name: "KilnTests", dependencies: ["Kiln", "KilnWAST", "KilnWASI", "KilnFuzz"],
            exclude: ["Fuzz/Regressions", "Fuzz/Corpus", "Codegen/aarch64-expected.py"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
