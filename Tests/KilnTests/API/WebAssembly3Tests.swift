import Testing
@testable import Kiln

/// WebAssembly 3.0 features through the API, under both engines: several memories, 64-bit
/// memories and tables, typed function references, tail calls, extended constants, and the
/// messages for features Kiln does not implement.
@Suite struct WebAssembly3Tests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    @Test(arguments: strategies) func severalMemoriesAndMemory64(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let instance = try Instance(store, try Module(engine, wat: """
            (module
              (memory $a 1)
              (memory $b (export "b") i64 2)
              (func (export "copy") (param i64) (result i32)
                (i64.store $b (local.get 0) (i64.const 0x0102030405060708))
                (i32.store $a (i32.const 8) (i32.load $b offset=4 (local.get 0)))
                (i32.add (i32.load $a (i32.const 8)) (i32.wrap_i64 (memory.size $b))))
              (func (export "grow") (result i64) (memory.grow $b (i64.const 3)))
              (func (export "out") (param i64) (result i32) (i32.load $b (local.get 0))))
            """), imports: [])
        let copy = try instance.getTypedFunc(store, "copy", Int64.self, Int32.self)
        #expect(try copy.call(store, 65536 + 100) == 0x0102_0304 + 2)
        #expect(try instance.getTypedFunc(store, "grow", Void.self, Int64.self).call(store) == 2)
        let memory = try #require(instance.getMemory(store, "b"))
        #expect(memory.type(store).is64)
        #expect(memory.size(store) == 5)
        let out = try instance.getTypedFunc(store, "out", Int64.self, Int32.self)
        #expect(throws: Trap.self) { try out.call(store, 5 * 65536 - 3) }
        // A 64-bit address far beyond any 32-bit range, and one whose offset would wrap.
        #expect(throws: Trap.self) { try out.call(store, 1 << 40) }
        #expect(throws: Trap.self) { try out.call(store, -2) }
    }

    @Test(arguments: strategies) func typedFunctionReferencesAndTailCalls(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let instance = try Instance(store, try Module(engine, wat: """
            (module
              (type $step (func (param i64 i64) (result i64)))
              (elem declare func $even $odd)
              (func $even (type $step)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call_ref $step (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 2)) (ref.func $odd)))))
              (func $odd (type $step)
                (return_call $even (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 1))))
              (func (export "count") (param i64) (result i64) (call $even (local.get 0) (i64.const 0)))
              (func (export "call-null") (result i64)
                (call_ref $step (i64.const 0) (i64.const 0) (ref.null $step))))
            """), imports: [])
        // A million mutual tail calls in constant stack, alternating call_ref and direct calls.
        let count = try instance.getTypedFunc(store, "count", Int64.self, Int64.self)
        #expect(try count.call(store, Int64(1_000_000)) == 1_500_000)
        do {
            _ = try instance.getFunc(store, "call-null")!.call(store, [])
            Issue.record("call_ref of null returned")
        } catch let trap as Trap {
            #expect(trap.code == .nullFunctionReference)
        }
    }

    @Test(arguments: strategies) func extendedConstantsAndTypedTables(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let instance = try Instance(store, try Module(engine, wat: """
            (module
              (type $f (func (result i32)))
              (global $base i32 (i32.const 10))
              (global $scaled (export "scaled") i32 (i32.add (i32.mul (global.get $base) (i32.const 3)) (i32.const 2)))
              (func $seven (type $f) (i32.const 7))
              (table $t 2 (ref $f) (ref.func $seven))
              (func (export "call") (param i32) (result i32) (call_ref $f (table.get $t (local.get 0)))))
            """), imports: [])
        #expect(instance.getGlobal(store, "scaled")?.get(store).i32 == 32)
        let call = try instance.getTypedFunc(store, "call", Int32.self, Int32.self)
        #expect(try call.call(store, Int32(1)) == 7)
    }

    @Test func unsupportedFeaturesAreNamed() throws {
        let engine = try Engine()
        // A struct type (GC): 0x5F in the type section.
        let gc: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 0x01, 0x5F, 0x00]
        do {
            _ = try Module(engine, bytes: gc)
            Issue.record("a GC module was accepted")
        } catch let error as WasmError {
            #expect(error.kind == .unsupported)
            #expect(error.description == "unsupported feature: garbage collection (struct type at offset 0xb)")
        }
        // A shared memory (threads).
        let shared: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01]
        do {
            _ = try Module(engine, bytes: shared)
            Issue.record("a shared memory was accepted")
        } catch let error as WasmError {
            #expect(error.description.hasPrefix("unsupported feature: threads (shared memory"))
        }
    }

    @Test func webAssembly2ConfigurationRejectsThreePointZero() throws {
        var config = Config()
        config.features = .webAssembly2
        let engine = try Engine(config)
        #expect(throws: WasmError.self) { try Module(engine, wat: "(module (memory 1) (memory 1))") }
        #expect(throws: WasmError.self) { try Module(engine, wat: "(module (func (return_call 0)))") }
        #expect(throws: WasmError.self) { try Module(engine, wat: "(module (memory i64 1))") }
        #expect(throws: WasmError.self) { try Module(engine, wat: "(module (tag))") }
    }
}
