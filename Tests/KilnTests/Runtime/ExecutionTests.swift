import Testing
@testable import Kiln

/// Execution behaviour that spec scripts do not pin down, under both engines: deep
/// recursion, backtraces, host calls in both directions, re-entrancy.
@Suite struct ExecutionTests {
    static let strategies: [Config.Strategy] = [.interpreter, .jit]

    func engine(_ strategy: Config.Strategy) -> Engine { try! Engine(Config(strategy: strategy)) }

    func instance(_ strategy: Config.Strategy, _ wat: String, linker: Linker<Int>? = nil, store: Store<Int>? = nil) throws -> (Store<Int>, Instance) {
        let linker = linker ?? Linker<Int>(engine(strategy))
        let store = store ?? Store(linker.engine, data: 0)
        return (store, try linker.instantiate(store, try Module(linker.engine, wat: wat)))
    }

    @Test(arguments: strategies) func deepRecursionTrapsInsteadOfCrashing(_ strategy: Config.Strategy) throws {
        let (store, instance) = try instance(strategy, "(module (func $f (export \"f\") (call $f)))")
        let error = #expect(throws: Trap.self) { try instance.getFunc(store, "f")!.call(store, []) }
        #expect(error?.code == .stackOverflow)
        #expect(error?.message == "call stack exhausted")
        // The store is still usable afterwards.
        let (store2, fib) = try self.instance(strategy, """
            (module (func $fib (export "fib") (param i32) (result i32)
              (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
                (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
            """)
        #expect(try fib.getFunc(store2, "fib")!.call(store2, [.i32(15)]).first?.i32 == 610)
        #expect(try instance.getFunc(store, "f") != nil)
    }

    @Test(arguments: strategies) func deepRecursionWithLargeFrames(_ strategy: Config.Strategy) throws {
        let locals = String(repeating: " i64", count: 200)
        let (store, instance) = try instance(strategy, "(module (func $f (export \"f\") (local\(locals)) (call $f)))")
        #expect(throws: Trap.self) { try instance.getFunc(store, "f")!.call(store, []) }
    }

    @Test(arguments: strategies) func backtraceNamesFunctions(_ strategy: Config.Strategy) throws {
        let (store, instance) = try instance(strategy, """
            (module (func $outer (export "run") (call $middle))
                    (func $middle (call $inner))
                    (func $inner (drop (i32.div_s (i32.const 1) (i32.const 0)))))
            """)
        let trap = #expect(throws: Trap.self) { try instance.getFunc(store, "run")!.call(store, []) }
        #expect(trap?.code == .integerDivisionByZero)
        #expect(trap?.backtrace.map(\.functionName) == ["inner", "middle", "outer"])
        #expect(trap?.backtrace.allSatisfy { $0.moduleOffset != nil } == true)
    }

    struct Failure: Error {}

    @Test(arguments: strategies) func hostErrorsBecomeTrapsWithTheErrorAttached(_ strategy: Config.Strategy) throws {
        let engine = self.engine(strategy)
        let linker = Linker<Int>(engine)
        try linker.funcWrap("host", "fail") { (_: Caller<Int>) throws -> Void in throw Failure() }
        let (store, instance) = try instance(strategy, "(module (import \"host\" \"fail\" (func $fail)) (func (export \"run\") (call $fail)))", linker: linker)
        let trap = #expect(throws: Trap.self) { try instance.getFunc(store, "run")!.call(store, []) }
        #expect(trap?.hostError is Failure)
        #expect(trap?.backtrace.count == 1)
    }

    @Test(arguments: strategies) func reentrantCalls(_ strategy: Config.Strategy) throws {
        // wasm → host → wasm → host ..., counting down.
        let engine = self.engine(strategy)
        let linker = Linker<Int>(engine)
        let store = Store(engine, data: 0)
        try linker.funcWrap("host", "down") { (caller: Caller<Int>, n: Int32) throws -> Int32 in
            caller.data += 1
            guard n > 0, case .func(let f)? = caller.getExport("down") else { return 0 }
            return try f.call(caller, [.i32(n - 1)])[0].i32! + 1
        }
        let (_, instance) = try instance(strategy, """
            (module (import "host" "down" (func $h (param i32) (result i32)))
                    (func (export "down") (param i32) (result i32) (i32.add (call $h (local.get 0)) (i32.const 1))))
            """, linker: linker, store: store)
        let down = try instance.getTypedFunc(store, "down", (Int32).self, Int32.self)
        let result = try down.call(store, 50)
        #expect(result == 101)
        #expect(store.data == 51)
    }

    @Test(arguments: strategies) func callingWithTheWrongTypesIsAnError(_ strategy: Config.Strategy) throws {
        let (store, instance) = try instance(strategy, "(module (func (export \"f\") (param i32) (result i32) (local.get 0)))")
        let f = instance.getFunc(store, "f")!
        #expect(throws: KilnError.self) { try f.call(store, [.i64(1)]) }
        #expect(throws: KilnError.self) { try f.call(store, []) }
        #expect(throws: KilnError.self) { try instance.getTypedFunc(store, "f", (Int64).self, Int32.self) }
        let typed = try instance.getTypedFunc(store, "f", (Int32).self, Int32.self)
        #expect(try typed.call(store, 7) == 7)
    }

    @Test(arguments: strategies) func memoryGrowFailureReturnsMinusOne(_ strategy: Config.Strategy) throws {
        let (store, instance) = try instance(strategy, """
            (module (memory 1 3) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """)
        let grow = try instance.getTypedFunc(store, "grow", (Int32).self, Int32.self)
        #expect(try grow.call(store, 1) == 1)
        #expect(try grow.call(store, 5) == -1)
        #expect(try grow.call(store, -1) == -1)
        #expect(try grow.call(store, 1) == 2)
        #expect(try grow.call(store, 1) == -1)
    }

    @Test(arguments: strategies) func storeLimitsApplyToMemories(_ strategy: Config.Strategy) throws {
        let engine = self.engine(strategy)
        let store = Store(engine, data: 0)
        var limits = StoreLimits()
        limits.maxMemoryBytes = 2 * 65_536
        store.limiter = limits
        let linker = Linker<Int>(engine)
        let (_, instance) = try instance(strategy, "(module (memory 1) (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))",
                                         linker: linker, store: store)
        let grow = try instance.getTypedFunc(store, "grow", (Int32).self, Int32.self)
        #expect(try grow.call(store, 1) == 1)
        #expect(try grow.call(store, 1) == -1)
    }

    @Test(arguments: strategies) func multiValueResultsThroughCall(_ strategy: Config.Strategy) throws {
        let (store, instance) = try instance(strategy, """
            (module (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
                    (func (export "f") (result i64 i32) (call $swap (i32.const 1) (i64.const 2))))
            """)
        let results = try instance.getFunc(store, "f")!.call(store, [])
        #expect(results.map(\.description) == ["2", "1"])
    }
}

/// The executor decodes opcodes by bit cast: every case's stored tag must be its raw value.
@Suite struct OpEncodingTests {
    @Test func tagsAreRawValues() {
        #expect(MemoryLayout<Op>.size <= 2)
        for op in Op.allCases {
            #expect(Op.decode(UInt32(op.rawValue)) == op)
        }
    }
}

/// Out-of-bounds accesses trap with the faulting instruction's offset, under both engines
/// and both bounds-checking modes (guard pages fault in hardware under the JIT).
@Suite struct MemoryTrapTests {
    @Test(arguments: [Config.Strategy.interpreter, .jit], [Config.BoundsChecks.guardPages, .explicit])
    func outOfBoundsLoadNamesTheInstruction(_ strategy: Config.Strategy, _ bounds: Config.BoundsChecks) throws {
        var config = Config(strategy: strategy)
        config.boundsChecks = bounds
        let engine = try Engine(config)
        let wat = "(module (memory 1) (func $peek (export \"peek\") (param i32) (result i32) (i32.load offset=4 (local.get 0))))"
        let module = try Module(engine, wat: wat)
        let store = Store(engine)
        let instance = try Linker<Void>(engine).instantiate(store, module)
        let peek = try instance.getTypedFunc(store, "peek", (Int32).self, Int32.self)
        #expect(try peek.call(store, 65_528) == 0)
        for address: Int32 in [65_529, 65_532, -1, Int32.min] {
            let trap = #expect(throws: Trap.self) { try peek.call(store, address) }
            #expect(trap?.code == .memoryOutOfBounds)
            #expect(trap?.backtrace.first?.functionName == "peek")
            #expect(trap?.backtrace.first?.moduleOffset != nil)
        }
        // The store stays usable after a trap.
        #expect(try peek.call(store, 0) == 0)
    }
}
