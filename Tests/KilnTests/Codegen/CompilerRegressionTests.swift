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
    /// A function longer than an AArch64 conditional branch reaches (±1 MiB): a `br_if`
    /// forward over the whole body, a loop whose back edge `br_if` jumps back over it, and a
    /// division whose trap stub sits at the end. Forward branches go through branch islands,
    /// the back edge jumps over a `b` with the opposite condition.
    static func longFunction(repetitions: Int) -> [UInt8] {
        var code: [UInt8] = []
        code += [0x41] + WasmBytes.sleb(100) + [0x20, 0x00, 0x41, 0x01, 0x72, 0x6E, 0x1A]  // 100 / (n | 1), dropped
        code += [0x02, 0x40]  // block
        code += [0x20, 0x00, 0x45, 0x0D, 0x00]  // br_if 0 (n == 0)
        code += [0x03, 0x40]  // loop
        for _ in 0..<repetitions {
            code += [0x20, 0x01, 0x41, 0x03, 0x6A, 0x21, 0x01]  // local 1 += 3
        }
        code += [0x20, 0x00, 0x41, 0x01, 0x6B, 0x22, 0x00, 0x0D, 0x00]  // br_if 0 (--n != 0)
        code += [0x0B, 0x0B]  // end loop, end block
        code += [0x20, 0x01]
        return WasmBytes.module(
            WasmBytes.basicTypes,
            WasmBytes.section(3, WasmBytes.vector([[0x01]])),
            WasmBytes.section(7, WasmBytes.vector([WasmBytes.name("long") + [0x00, 0x00]])),
            WasmBytes.section(10, WasmBytes.vector([WasmBytes.body(code, locals: [[0x01, 0x7F]])])))
    }

    @Test func functionsLongerThanAConditionalBranchReaches() throws {
        let repetitions = 300_000  // one 4-byte `add` each, the local kept in a register
        let binary = Self.longFunction(repetitions: repetitions)
        // The AArch64 code is compiled on any host: it must be longer than 1 MiB, or this
        // test no longer covers what it is for.
        let code = try ModuleValidator.compileForReading(binary, for: AArch64MacroAssembler.self)
        #expect(code[0].count > 1 << 20, "the function is only \(code[0].count) bytes of AArch64 code")
        for strategy in [Config.Strategy.jit, .interpreter] {
            let engine = try Engine(Config(strategy: strategy))
            let store = Store(engine, data: ())
            let instance = try Linker<Void>(engine).instantiate(store, try Module(engine, bytes: binary))
            let long = try instance.getTypedFunc(store, "long", Int32.self, Int32.self)
            #expect(try long.call(store, 0) == 0)
            #expect(try long.call(store, 2) == Int32(truncatingIfNeeded: 6 * repetitions), "\(strategy)")
        }
    }
}
