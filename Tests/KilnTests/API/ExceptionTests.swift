import Testing
@testable import Kiln

/// Exception handling across the host boundary: host-defined tags, exceptions thrown by host
/// functions and caught by wasm, wasm exceptions crossing host frames, uncaught exceptions
/// reaching the embedder with their tag and values. Both engines.
@Suite struct ExceptionTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    /// A module importing tag `host.e` (one i32) and function `host.f`; `run` calls `f` inside a
    /// try_table and returns the caught value plus 1000, or `f`'s result.
    static let catcher = """
        (module
          (import "host" "e" (tag $e (param i32)))
          (import "host" "f" (func $f (param i32) (result i32)))
          (func (export "run") (param i32) (result i32)
            (block $caught (result i32)
              (try_table (result i32) (catch $e $caught)
                (call $f (local.get 0)))
              (return))
            (i32.add (i32.const 1000))))
        """

    @Test(arguments: strategies) func hostThrowsWasmCatches(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let tag = try Tag(store, type: FuncType(params: [.i32]))
        let linker = Linker<Void>(engine)
        try linker.define("host", "e", .tag(tag))
        try linker.funcNew("host", "f", type: FuncType(params: [.i32], results: [.i32])) { caller, params, results in
            guard case .i32(let n) = params[0] else { return }
            if n < 0 { throw WasmException(try Exception(caller, tag: tag, values: [.i32(-n)])) }
            results[0] = .i32(n * 2)
        }
        let instance = try linker.instantiate(store, try Module(engine, wat: Self.catcher))
        let run = try instance.getTypedFunc(store, "run", Int32.self, Int32.self)
        #expect(try run.call(store, 21) == 42)
        #expect(try run.call(store, -5) == 1005)
    }

    @Test(arguments: strategies) func wasmExceptionsCrossHostFrames(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let tag = try Tag(store, type: FuncType(params: [.i32]))
        let linker = Linker<Void>(engine)
        try linker.define("host", "e", .tag(tag))
        // The thrower: wasm that throws $e with its argument when it is odd.
        let thrower = try linker.instantiate(store, try Module(engine, wat: """
            (module (import "host" "e" (tag $e (param i32)))
              (func (export "maybe-throw") (param i32) (result i32)
                (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0))))
                (local.get 0)))
            """))
        let inner = try #require(thrower.getFunc(store, "maybe-throw"))
        // The host function between the catcher and the thrower: wasm → host → wasm.
        var passedThrough = 0
        try linker.funcNew("host", "f", type: FuncType(params: [.i32], results: [.i32])) { caller, params, results in
            do {
                results = try inner.call(caller, params)
            } catch let exception as WasmException {
                passedThrough += 1
                throw exception
            }
        }
        let instance = try linker.instantiate(store, try Module(engine, wat: Self.catcher))
        let run = try instance.getTypedFunc(store, "run", Int32.self, Int32.self)
        #expect(try run.call(store, 8) == 8)
        #expect(try run.call(store, 7) == 1007)
        #expect(passedThrough == 1)
    }

    /// A host function's exception unwinds machine code (this module has no exception
    /// instructions, so the JIT compiles it) and reaches the embedder as the exception, not
    /// as a "host function error" trap (the differential fuzzer found it wrapped).
    @Test(arguments: strategies) func hostExceptionsUnwindMachineCode(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let tag = try Tag(store, type: FuncType(params: [.i32]))
        let linker = Linker<Void>(engine)
        try linker.define("host", "e", .tag(tag))
        try linker.funcNew("host", "f", type: FuncType(params: [.i32], results: [.i32])) { caller, params, _ in
            throw WasmException(try Exception(caller, tag: tag, values: params))
        }
        let module = try Module(engine, wat: """
            (module
              (import "host" "e" (tag $e (param i32)))
              (import "host" "f" (func $f (param i32) (result i32)))
              (func $inner (param i32) (result i32) (i32.add (call $f (local.get 0)) (i32.const 1)))
              (func (export "run") (param i32) (result i32) (call $inner (i32.mul (local.get 0) (i32.const 2)))))
            """)
        if strategy == .jit && JITCompiler.isSupported { #expect(module.isCompiledToMachineCode) }
        let instance = try linker.instantiate(store, module)
        do {
            _ = try instance.getFunc(store, "run")!.call(store, [.i32(21)])
            Issue.record("the call returned")
        } catch let thrown as WasmException {
            #expect(thrown.exception.tag(store).ptrEq(tag))
            #expect(thrown.exception.values(store).first?.i32 == 42)
        }
    }

    /// Interpreted wasm throws, machine code in between (no handlers of its own) unwinds,
    /// and an interpreted handler further out catches: wasm → machine code → wasm.
    @Test(arguments: strategies) func exceptionsCrossMachineCodeToAHandler(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        let thrower = try linker.instantiate(store, try Module(engine, wat: """
            (module (tag $e (export "e") (param i32))
              (func (export "throw") (param i32) (result i32)
                (if (i32.eqz (local.get 0)) (then (return (i32.const 7))))
                (throw $e (local.get 0))))
            """))
        try linker.instance(store, "thrower", thrower)
        let middleModule = try Module(engine, wat: """
            (module (import "thrower" "throw" (func $t (param i32) (result i32)))
              (func (export "middle") (param i32) (result i32) (i32.add (call $t (local.get 0)) (i32.const 1))))
            """)
        if strategy == .jit && JITCompiler.isSupported { #expect(middleModule.isCompiledToMachineCode) }
        try linker.instance(store, "middle", try linker.instantiate(store, middleModule))
        let instance = try linker.instantiate(store, try Module(engine, wat: """
            (module
              (import "thrower" "e" (tag $e (param i32)))
              (import "middle" "middle" (func $m (param i32) (result i32)))
              (func (export "run") (param i32) (result i32)
                (block $caught (result i32)
                  (try_table (result i32) (catch $e $caught) (call $m (local.get 0)))
                  (return))
                (i32.add (i32.const 1000))))
            """))
        let run = try instance.getTypedFunc(store, "run", Int32.self, Int32.self)
        #expect(try run.call(store, 0) == 8)
        #expect(try run.call(store, 5) == 1005)
    }

    @Test(arguments: strategies) func uncaughtExceptionsReachTheEmbedder(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let instance = try Instance(store, try Module(engine, wat: """
            (module (tag $e (export "e") (param i64 f32))
              (func (export "throw") (throw $e (i64.const -7) (f32.const 2.5))))
            """), imports: [])
        let tag = try #require(instance.getExport(store, "e")?.asTag)
        #expect(tag.type(store) == FuncType(params: [.i64, .f32]))
        do {
            _ = try instance.getFunc(store, "throw")!.call(store, [])
            Issue.record("the call returned")
        } catch let thrown as WasmException {
            #expect(thrown.exception.tag(store).ptrEq(tag))
            let values = thrown.exception.values(store)
            #expect(values.count == 2)
            #expect(values.first?.i64 == -7)
            #expect(values.last?.f32 == 2.5)
        }
    }

    @Test(arguments: strategies) func tagsAreIdentitiesNotTypes(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let mine = try Tag(store, type: FuncType(params: [.i32]))
        let other = try Tag(store, type: FuncType(params: [.i32]))
        let linker = Linker<Void>(engine)
        try linker.define("host", "e", .tag(mine))
        try linker.funcNew("host", "f", type: FuncType(params: [.i32], results: [.i32])) { caller, params, _ in
            throw WasmException(try Exception(caller, tag: other, values: params))
        }
        let instance = try linker.instantiate(store, try Module(engine, wat: Self.catcher))
        // The same type but another tag: not caught by `catch $e`.
        #expect(throws: WasmException.self) { try instance.getFunc(store, "run")!.call(store, [.i32(3)]) }
        #expect(throws: (any Error).self) { try Exception(store, tag: mine, values: [.i64(1)]) }
        #expect(throws: (any Error).self) { try Tag(store, type: FuncType(params: [], results: [.i32])) }
    }

    @Test(arguments: strategies) func exceptionsHoldTheirReferences(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let instance = try Instance(store, try Module(engine, wat: """
            (module (tag $e (param externref))
              (global $kept (mut exnref) (ref.null exn))
              (func (export "keep") (param externref)
                (block $h (result exnref)
                  (try_table (catch_all_ref $h) (throw $e (local.get 0)))
                  (unreachable))
                (global.set $kept))
              (func (export "rethrow") (throw_ref (global.get $kept)))
              (func (export "drop") (global.set $kept (ref.null exn))))
            """), imports: [])
        let payload = ExternRef("payload")
        try instance.getFunc(store, "keep")!.call(store, [.externRef(payload)])
        store.gc()
        // The handle, and the exception in the global.
        #expect(payload.strongCount == 2)
        do {
            _ = try instance.getFunc(store, "rethrow")!.call(store, [])
            Issue.record("the call returned")
        } catch let thrown as WasmException {
            #expect(thrown.exception.values(store).first.flatMap { if case .externRef(let r) = $0 { r?.data as? String } else { nil } } == "payload")
        }
        try instance.getFunc(store, "drop")!.call(store, [])
        store.gc()
        #expect(payload.strongCount == 1)
    }
}

extension ExceptionTests {
    /// An exception thrown by the host passes through a module without exception handling
    /// (machine code under the JIT) to the module that catches it, and escapes to the
    /// embedder as itself when nobody does.
    @Test(arguments: strategies) func exceptionsPassThroughFramesWithoutHandlers(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let tag = try Tag(store, type: FuncType(params: [.i32]))
        let linker = Linker<Void>(engine)
        try linker.define("host", "e", .tag(tag))
        try linker.funcNew("host", "raise", type: FuncType(params: [.i32], results: [.i32])) { caller, params, _ in
            throw WasmException(try Exception(caller, tag: tag, values: params))
        }
        let middle = try Module(engine, wat: """
            (module (import "host" "raise" (func $raise (param i32) (result i32)))
              (func (export "f") (param i32) (result i32) (i32.add (call $raise (local.get 0)) (i32.const 1))))
            """)
        if strategy == .jit && JITCompiler.isSupported { #expect(middle.isCompiledToMachineCode) }
        let middleInstance = try linker.instantiate(store, middle)
        try linker.define("host", "f", .func(try #require(middleInstance.getFunc(store, "f"))))
        let instance = try linker.instantiate(store, try Module(engine, wat: Self.catcher))
        let run = try instance.getTypedFunc(store, "run", Int32.self, Int32.self)
        #expect(try run.call(store, 5) == 1005)
        #expect(throws: WasmException.self) { try middleInstance.getFunc(store, "f")!.call(store, [.i32(1)]) }
    }
}
