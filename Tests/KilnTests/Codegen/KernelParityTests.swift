import Foundation
import Testing
@testable import Kiln

/// The benchmark kernels (C compiled to wasm32 by clang) must compute the same checksums
/// under the JIT as under the interpreter. They stress what spec scripts do not: register
/// pressure, long loops with cached locals, deep call chains, indirect calls.
@Suite struct KernelParityTests {
    static let kernels = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Benchmarks/Kernels")

    /// Small sizes: the interpreter runs them in a debug build within seconds.
    static let cases: [(kernel: String, size: Int32)] = [
        ("fib", 18), ("sieve", 20_000), ("matmul", 12), ("nbody", 200), ("sha256", 1),
        ("sort", 2_000), ("interp", 2_000), ("dispatch", 20_000),
    ]

    static func compile(_ kernel: String) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-kernel-\(kernel)-\(UUID().uuidString).wasm")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["clang", "--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry", "-Wl,--export=run",
                             "-o", output.path, kernels.appendingPathComponent("\(kernel).c").path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw KilnError("clang could not compile \(kernel).c") }
        return [UInt8](try Data(contentsOf: output))
    }

    /// The kernel's checksum, and the fuel it consumed when `fuel` is given.
    static func run(_ bytes: [UInt8], _ strategy: Config.Strategy, size: Int32, fuel: UInt64? = nil) throws
        -> (checksum: Int64, fuel: UInt64?)
    {
        var config = Config(strategy: strategy)
        config.consumeFuel = fuel != nil
        let engine = try Engine(config)
        let module = try Module(engine, bytes: bytes)
        if strategy == .jit && JITCompiler.isSupported { #expect(module.isCompiledToMachineCode) }
        let store = Store(engine)
        if let fuel { try store.addFuel(fuel) }
        let instance = try Linker<Void>(engine).instantiate(store, module)
        let run = try instance.getTypedFunc(store, "run", (Int32).self, Int64.self)
        return (try run.call(store, size), store.fuelConsumed)
    }

    @Test(arguments: cases.map(\.kernel))
    func sameChecksum(_ kernel: String) throws {
        let size = Self.cases.first { $0.kernel == kernel }!.size
        let bytes = try Self.compile(kernel)
        let interpreted = try Self.run(bytes, .interpreter, size: size)
        let compiled = try Self.run(bytes, .jit, size: size)
        #expect(compiled.checksum == interpreted.checksum, "\(kernel)(\(size))")
    }

    /// Both engines charge exactly the same fuel for the same program, and running out
    /// of it traps in both after the same amount.
    @Test(arguments: cases.map(\.kernel))
    func sameFuel(_ kernel: String) throws {
        let size = Self.cases.first { $0.kernel == kernel }!.size
        let bytes = try Self.compile(kernel)
        let plenty: UInt64 = 1 << 40
        let interpreted = try Self.run(bytes, .interpreter, size: size, fuel: plenty)
        let compiled = try Self.run(bytes, .jit, size: size, fuel: plenty)
        #expect(compiled.checksum == interpreted.checksum)
        #expect(compiled.fuel == interpreted.fuel, "\(kernel)(\(size))")
        #expect((interpreted.fuel ?? 0) > 1000)
        // With a tenth of what it needs, both stop with the same trap.
        let short = interpreted.fuel! / 10
        for strategy in [Config.Strategy.interpreter, .jit] {
            #expect(throws: Trap.self) { try Self.run(bytes, strategy, size: size, fuel: short) }
            do {
                _ = try Self.run(bytes, strategy, size: size, fuel: short)
            } catch let trap as Trap {
                #expect(trap.code == .outOfFuel && trap.message == "all fuel consumed")
            }
        }
    }
}
