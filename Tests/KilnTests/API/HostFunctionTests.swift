import Testing
@testable import Kiln

/// Host functions: what `Caller` gives them, typed and raw forms, errors and traps through
/// nested host ↔ wasm calls, type checks. Every test runs under both engines; under the
/// JIT, machine code calls host functions through their libffi closures.
@Suite struct HostFunctionTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    struct Counter { var value = 0 }
    struct HostFailure: Error, Equatable { let code: Int }

    @Test(.enabled(if: JITCompiler.isSupported, "machine code only: the JIT compiles for x86-64 so far"), arguments: strategies) func hostFunctionsHaveNativeCodeUnderTheJIT(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let function = try Func.wrap(store) { (a: Int32, b: Int32) -> Int32 in a &+ b }
        let adapter = engine.adapter(for: function.funcRef.pointee.typeId)
        #expect(function.funcRef.pointee.wasmCall != nil)
        #expect(function.funcRef.pointee.wasmCall != adapter)
        #expect(try function.typed(store, (Int32, Int32).self, Int32.self).call(store, 2, 40) == 42)
    }

    @Test(arguments: strategies) func callerReachesTheCallingInstancesExports(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine, data: Counter())
        let linker = Linker<Counter>(engine)
        var seen: [String] = []
        try linker.funcWrap("host", "inspect") { (caller: Caller<Counter>) -> Int32 in
            guard case .memory(let memory)? = caller.getExport("mem") else { throw HostFailure(code: 1) }
            let byte = try memory.read(caller, offset: 3, count: 1)[0]
            seen.append("memory \(byte)")
            guard case .func(let f)? = caller.getExport("seven") else { throw HostFailure(code: 2) }
            seen.append("func \(try f.call(caller, []))")
            guard case .table(let table)? = caller.getExport("tab") else { throw HostFailure(code: 3) }
            seen.append("table \(table.size(caller))")
            guard case .global(let global)? = caller.getExport("g") else { throw HostFailure(code: 4) }
            try global.set(caller, .i32(99))
            seen.append("global \(global.get(caller))")
            #expect(caller.getExport("missing") == nil)
            caller.data.value += 1
            #expect(caller.engine === engine)
            caller.gc()
            return Int32(byte)
        }
        let module = try Module(engine, wat: """
            (module (import "host" "inspect" (func $inspect (result i32)))
              (memory (export "mem") 1) (data (i32.const 3) "\\2a")
              (table (export "tab") 4 funcref)
              (global (export "g") (mut i32) (i32.const 1))
              (func (export "seven") (result i32) (i32.const 7))
              (func (export "run") (result i32) (i32.add (call $inspect) (global.get 0))))
            """)
        let instance = try linker.instantiate(store, module)
        let result = try instance.getTypedFunc(store, "run", Void.self, Int32.self).call(store)
        #expect(result == 42 + 99)
        #expect(store.data.value == 1)
        #expect(seen == ["memory 42", "func [7]", "table 4", "global 99"])
    }

    @Test(arguments: strategies) func typedWrapCoversEveryValueType(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "mix") { (a: Int32, b: Int64, c: Float, d: Double) -> (Double, Int64) in
            (Double(a) + Double(c) + d, b &* 2)
        }
        try linker.funcWrap("host", "refs") { (e: ExternRef?, f: Func?) -> (ExternRef?, Func?) in (e, f) }
        let module = try Module(engine, wat: """
            (module
              (import "host" "mix" (func $mix (param i32 i64 f32 f64) (result f64 i64)))
              (import "host" "refs" (func $refs (param externref funcref) (result externref funcref)))
              (func $f (export "f") (result i32) (i32.const 5))
              (elem declare func $f)
              (func (export "mix") (param i32 i64 f32 f64) (result f64 i64)
                (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
              (func (export "refs") (param externref) (result externref funcref)
                (call $refs (local.get 0) (ref.func $f))))
            """)
        let instance = try linker.instantiate(store, module)
        let mix = try instance.getTypedFunc(store, "mix", (Int32, Int64, Float, Double).self, (Double, Int64).self)
        let (sum, doubled) = try mix.call(store, 1, 1 << 40, 0.5, 0.25)
        #expect(sum == 1.75 && doubled == 1 << 41)
        let token = ExternRef("x")
        let refs = try instance.getTypedFunc(store, "refs", (ExternRef?).self, (ExternRef?, Func?).self)
        let (back, function) = try refs.call(store, token)
        #expect(back?.ptrEq(token) == true)
        #expect(try function?.typed(store, Void.self, Int32.self).call(store) == 5)

        // v128 through a host function (under the JIT: the trampoline and the adapter).
        try linker.funcWrap("host", "v") { (v: V128) -> V128 in v }
        let simd = try Module(engine, wat: """
            (module (import "host" "v" (func $v (param v128) (result v128)))
              (func (export "v") (param v128) (result v128) (call $v (local.get 0))))
            """)
        let vector = V128(lo: 0x0102_0304_0506_0708, hi: 0x1112_1314_1516_1718)
        let v = try linker.instantiate(store, simd).getTypedFunc(store, "v", (V128).self, V128.self).call(store, vector)
        #expect(v == vector)
    }

    @Test(arguments: strategies) func wrongHostTypesAreReportedAtLinkTime(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "f") { (a: Int64) -> Int32 in Int32(truncatingIfNeeded: a) }
        let module = try Module(engine, wat: """
            (module (import "host" "f" (func (param i32) (result i32))))
            """)
        let error = #expect(throws: (any Error).self) { try linker.instantiate(store, module) }
        #expect("\(error!)".contains("host::f"))
        #expect("\(error!)".contains("incompatible import type"))

        let f = try Func.wrap(store) { (a: Int32) -> Int32 in a }
        #expect(throws: KilnError.self) { try f.typed(store, (Int64).self, Int32.self) }
        #expect(throws: KilnError.self) { try f.typed(store, (Int32).self, (Int32, Int32).self) }
        #expect(throws: KilnError.self) { try Func.wrap(store) { (a: Int32) -> String in "\(a)" } }
        #expect(throws: KilnError.self) { try f.call(store, [.i64(1)]) }
    }

    @Test(arguments: strategies) func uncheckedCallsOverwriteParametersWithResults(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine, data: Counter())
        let swap = Func.newUnchecked(store, type: FuncType(params: [.i32, .i64], results: [.i64, .i32, .f64])) { caller, values in
            caller.data.value += 1
            let a = values[0].i32, b = values[1].i64
            values[0] = .i64(b)
            values[1] = .i32(a)
            values[2] = .f64(0.5)
        }
        let linker = Linker<Counter>(engine)
        try linker.define("host", "swap", .func(swap))
        let module = try Module(engine, wat: """
            (module (import "host" "swap" (func $swap (param i32 i64) (result i64 i32 f64)))
              (func (export "run") (param i32 i64) (result i64 i32 f64) (call $swap (local.get 0) (local.get 1))))
            """)
        let run = try linker.instantiate(store, module).getFunc(store, "run")!
        var slots = [ValRaw](repeating: ValRaw(lo: 0), count: 3)
        slots[0] = .i32(-7)
        slots[1] = .i64(1 << 50)
        try slots.withUnsafeMutableBufferPointer { try run.callUnchecked(store, $0) }
        #expect(slots[0].i64 == 1 << 50 && slots[1].i32 == -7 && slots[2].f64 == 0.5)
        #expect(store.data.value == 1)
        try slots.withUnsafeMutableBufferPointer { buffer in
            #expect(throws: KilnError.self) { try run.callUnchecked(store, UnsafeMutableBufferPointer(rebasing: buffer[0..<2])) }
        }
        // A function with no parameters or results needs no slots: an empty buffer (no
        // base address at all) is enough.
        let nop = try Instance(store, try Module(engine, wat: #"(module (func (export "nop")))"#), imports: []).getFunc(store, "nop")!
        try nop.callUnchecked(store, UnsafeMutableBufferPointer(start: nil, count: 0))
    }

    /// run → host "outer" → wasm "middle" → host "inner", which throws: the error reaches
    /// the outermost caller through every frame, with the host error attached.
    @Test(arguments: strategies) func hostErrorsUnwindNestedCalls(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine, data: Counter())
        let linker = Linker<Counter>(engine)
        try linker.funcWrap("host", "inner") { (caller: Caller<Counter>, x: Int32) -> Int32 in
            caller.data.value += 1
            if x == 3 { throw HostFailure(code: 3) }
            return x
        }
        try linker.funcWrap("host", "outer") { (caller: Caller<Counter>, x: Int32) -> Int32 in
            guard case .func(let middle)? = caller.getExport("middle") else { throw HostFailure(code: -1) }
            return try middle.typed(caller, (Int32).self, Int32.self).call(caller, x) + 100
        }
        let module = try Module(engine, wat: """
            (module $m
              (import "host" "inner" (func $inner (param i32) (result i32)))
              (import "host" "outer" (func $outer (param i32) (result i32)))
              (func $middle (export "middle") (param i32) (result i32) (i32.mul (call $inner (local.get 0)) (i32.const 2)))
              (func $run (export "run") (param i32) (result i32) (i32.add (call $outer (local.get 0)) (i32.const 1)))
              (func $trapper (export "trapper") (param i32) (result i32) (unreachable)))
            """)
        let instance = try linker.instantiate(store, module)
        let run = try instance.getTypedFunc(store, "run", (Int32).self, Int32.self)
        #expect(try run.call(store, 5) == 111)
        do {
            _ = try run.call(store, 3)
            Issue.record("expected a trap")
        } catch let trap as Trap {
            #expect(trap.hostError as? HostFailure == HostFailure(code: 3))
            let names = trap.backtrace.compactMap(\.functionName)
            #expect(names.contains("middle"), "backtrace: \(trap.backtrace)")
            #expect(names.contains("run"), "backtrace: \(trap.backtrace)")
        }
        #expect(store.data.value == 2)
        // The store is usable after the trap, and state is consistent.
        #expect(try run.call(store, 4) == 109)
    }

    /// A wasm trap below a host frame stops the host's call, which can observe it, and the
    /// trap reaches the outermost caller when the host rethrows it.
    @Test(arguments: strategies) func wasmTrapsPassThroughHostFrames(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        var observed: TrapCode?
        try linker.funcWrap("host", "call") { (caller: Caller<Void>, f: Func?) -> Int32 in
            do {
                return try f!.typed(caller, Void.self, Int32.self).call(caller)
            } catch let trap as Trap {
                observed = trap.code
                throw trap
            }
        }
        let module = try Module(engine, wat: """
            (module (import "host" "call" (func $call (param funcref) (result i32)))
              (func $boom (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
              (elem declare func $boom)
              (func (export "run") (result i32) (call $call (ref.func $boom))))
            """)
        let run = try linker.instantiate(store, module).getTypedFunc(store, "run", Void.self, Int32.self)
        #expect(throws: Trap.self) { try run.call(store) }
        do {
            _ = try run.call(store)
        } catch let trap as Trap {
            #expect(trap.code == .integerDivisionByZero)
            #expect(trap.message.contains("integer divide by zero"))
        }
        #expect(observed == .integerDivisionByZero)
    }

    /// wasm → host → wasm → host ... recursion ends in a stack-exhaustion trap, not a crash.
    @Test(arguments: strategies) func reentrancyIsBoundedByTheWasmStack(_ strategy: Config.Strategy) throws {
        var config = Config(strategy: strategy)
        config.maxWasmStack = 256 * 1024
        let engine = try Engine(config)
        let store = Store(engine, data: Counter())
        let linker = Linker<Counter>(engine)
        try linker.funcWrap("host", "down") { (caller: Caller<Counter>, n: Int32) -> Int32 in
            caller.data.value = max(caller.data.value, Int(n))
            guard case .func(let f)? = caller.getExport("down") else { throw HostFailure(code: 0) }
            return try f.typed(caller, (Int32).self, Int32.self).call(caller, n + 1)
        }
        let module = try Module(engine, wat: """
            (module (import "host" "down" (func $h (param i32) (result i32)))
              (func (export "down") (param i32) (result i32) (call $h (local.get 0))))
            """)
        let down = try linker.instantiate(store, module).getTypedFunc(store, "down", (Int32).self, Int32.self)
        do {
            _ = try down.call(store, 0)
            Issue.record("expected exhaustion")
        } catch let trap as Trap {
            #expect(trap.code == .stackOverflow)
        }
        #expect(store.data.value > 10)
    }

    /// Host functions in a table, called by `call_indirect` from machine code.
    @Test(arguments: strategies) func hostFunctionsInTables(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let double = try Func.wrap(store) { (x: Int64) -> Int64 in x * 2 }
        let fail = Func(store, type: FuncType(params: [.i64], results: [.i64])) { _, _, _ in throw HostFailure(code: 9) }
        let table = try Table(store, type: TableType(elementType: .funcRef, limits: Limits(min: 2)), initial: .funcRef(nil))
        try table.set(store, 0, .funcRef(double))
        try table.set(store, 1, .funcRef(fail))
        let linker = Linker<Void>(engine)
        try linker.define("host", "t", .table(table))
        let module = try Module(engine, wat: """
            (module (import "host" "t" (table 2 funcref))
              (type $t (func (param i64) (result i64)))
              (func (export "call") (param i64 i32) (result i64) (call_indirect (type $t) (local.get 0) (local.get 1))))
            """)
        let call = try linker.instantiate(store, module).getTypedFunc(store, "call", (Int64, Int32).self, Int64.self)
        #expect(try call.call(store, 21, 0) == 42)
        do {
            _ = try call.call(store, 1, 1)
            Issue.record("expected a trap")
        } catch let trap as Trap {
            #expect(trap.hostError as? HostFailure == HostFailure(code: 9))
        }
    }
}
