import Foundation
import Testing
@testable import Kiln

/// Miscompiles and compiler failures found in real code, pinned down under both bounds modes.
@Suite struct CompilerRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Regressions")

    static func run(_ module: String, _ export: String, _ argument: Int32, _ strategy: Config.Strategy,
                    _ bounds: Config.BoundsChecks) throws -> Int32? {
        var config = Config(strategy: strategy)
        config.boundsChecks = bounds
        let engine = try Engine(config)
        let store = Store(engine, data: ())
        let instance = try Linker<Void>(engine).instantiate(store, try Module(engine, path: regressions.appendingPathComponent(module).path))
        return try instance.getFunc(store, export)!.call(store, [.i32(argument)]).first?.i32
    }

    /// A register-machine bytecode interpreter in C (clang -O2): a `switch` compiled to a
    /// `br_table` in a loop, the frame's address cached in a register across the back edge.
    /// The `br_table` took its scratch register after finding the loop head's cached
    /// locals matching, evicting the frame address from its register, and then jumped
    /// straight to the head with that register holding the jump table's address.
    @Test(arguments: [Config.BoundsChecks.guardPages, .explicit])
    func bytecodeInterpreterDispatchLoop(_ bounds: Config.BoundsChecks) throws {
        let module = "brtable-evicts-loop-head-local.wasm"
        #expect(try Self.run(module, "run", 1, .jit, bounds) == 2_140_118_940)
        for n: Int32 in [0, 1, 2, 3, 5, 8, 13, 40] {
            #expect(try Self.run(module, "run", n, .jit, bounds) == Self.run(module, "run", n, .interpreter, bounds), "run(\(n))")
        }
    }

    /// A broken compiler invariant is a `CompileError` naming the function and offset, not
    /// a crash: forced here by allowing the allocator a single register, which a load of a
    /// computed address (the address and the loaded value at once) cannot work with.
    @Test(.enabled(if: JITCompiler.isSupported, "machine code only: the JIT compiles for x86-64 so far")) func compilerInvariantFailureThrowsInsteadOfCrashing() throws {
        let wat = """
            (module (memory 1)
              (func $first (export "first") (nop))
              (func $load (export "load") (param i32) (result i32)
                (i32.load (i32.add (local.get 0) (i32.const 4)))))
            """
        var config = Config(strategy: .jit)
        config.jitRegisterLimit = 1
        let error = #expect(throws: CompileError.self) { try Module(try Engine(config), wat: wat) }
        #expect(error?.functionIndex == 1)
        #expect(error?.functionName == "load")
        #expect(error?.message == "no integer register to allocate")
        // The offset of the `i32.load` in the binary (the code section's second body).
        let binary = try TextFormat.encode(wat)
        let load = try #require(binary.lastIndex(of: 0x28))
        #expect(error?.wasmOffset == load)
        #expect(error?.description.contains("function 1 (load) at offset 0x\(String(load, radix: 16))") == true)
        // With every register the same module compiles and runs.
        let engine = try Engine(Config(strategy: .jit))
        let store = Store(engine, data: ())
        let instance = try Linker<Void>(engine).instantiate(store, try Module(engine, wat: wat))
        #expect(try instance.getFunc(store, "load")!.call(store, [.i32(0)]).first?.i32 == 0)
    }

    /// A module that is invalid as well as breaking the compiler reports the validation error.
    @Test(.enabled(if: JITCompiler.isSupported, "machine code only: the JIT compiles for x86-64 so far")) func validationErrorsComeBeforeCompilerErrors() throws {
        var config = Config(strategy: .jit)
        config.jitRegisterLimit = 1
        let bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
                              0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,            // type () -> i32
                              0x03, 0x03, 0x02, 0x00, 0x00,                        // two functions
                              0x05, 0x03, 0x01, 0x00, 0x01,                        // memory 1
                              0x0A, 0x14, 0x02,
                              0x0A, 0x00, 0x41, 0x00, 0x41, 0x04, 0x6A, 0x28, 0x02, 0x00, 0x0B,  // load (i32.add 0 4)
                              0x07, 0x00, 0x42, 0x00, 0x41, 0x00, 0x6A, 0x0B]      // i64 + i32: invalid
        let error = #expect(throws: WasmError.self) { try Module(try Engine(config), bytes: bytes) }
        #expect(error?.message.hasPrefix("type mismatch") == true)
        // With the second function made valid (i32 + i32), the compiler's failure shows.
        var valid = bytes
        valid[valid.count - 6] = 0x41
        #expect(throws: CompileError.self) { try Module(try Engine(config), bytes: valid) }
    }
}
