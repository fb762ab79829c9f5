import Testing
import Kiln

/// The example of ../shared/API.md, as written there, under each strategy.
@Suite struct APIExampleTests {
    struct Host { var calls = 0; var log: [String] = [] }

    @Test(arguments: [Config.Strategy.jit, .interpreter])
    func example(_ strategy: Config.Strategy) throws {
        var config = Config()
        config.strategy = strategy
        let engine = try Engine(config)
        let module = try Module(engine, wat: """
          (module
            (import "env" "log" (func $log (param i32 i32)))
            (import "env" "id" (func $id (param externref) (result externref)))
            (memory (export "memory") 1)
            (data (i32.const 0) "hello")
            (table $t 1 externref)
            (func (export "greet") (call $log (i32.const 0) (i32.const 5)))
            (func (export "keep") (param externref) (table.set $t (i32.const 0) (call $id (local.get 0))))
            (func $fib (export "fib") (param i32) (result i32)
              (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
                (then (local.get 0))
                (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                               (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
          """)
        let store = Store(engine, data: Host())
        let linker = Linker<Host>(engine)
        try linker.funcWrap("env", "log") { (caller: Caller<Host>, ptr: Int32, len: Int32) in
            guard case .memory(let mem)? = caller.getExport("memory") else { throw Trap("no memory") }
            let bytes = try mem.read(caller, offset: Int(ptr), count: Int(len))
            caller.data.calls += 1
            caller.data.log.append(String(decoding: bytes, as: UTF8.self))
        }
        try linker.funcWrap("env", "id") { (caller: Caller<Host>, r: ExternRef?) -> ExternRef? in r }
        let instance = try linker.instantiate(store, module)

        let fib = try instance.getTypedFunc(store, "fib", (Int32).self, Int32.self)
        let f20 = try fib.call(store, 20)
        #expect(f20 == 6765)
        try instance.getTypedFunc(store, "greet", Void.self, Void.self).call(store)
        #expect(store.data.log == ["hello"])
        #expect(store.data.calls == 1)

        let token = ExternRef("token")
        _ = try instance.getFunc(store, "keep")!.call(store, [.externRef(token)])
        store.gc()
        #expect(token.strongCount == 2)          // our handle + the table slot
        #expect(token.data as? String == "token")
    }
}

/// Typed calls and typed host functions with multiple results.
@Suite struct TypedFuncTests {
    @Test(arguments: [Config.Strategy.jit, .interpreter])
    func tupleResults(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "divmod") { (a: Int32, b: Int32) -> (Int32, Int32) in (a / b, a % b) }
        let module = try Module(engine, wat: """
            (module (import "host" "divmod" (func $divmod (param i32 i32) (result i32 i32)))
              (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
              (func (export "divmod") (param i32 i32) (result i32 i32) (call $divmod (local.get 0) (local.get 1))))
            """)
        let store = Store(engine)
        let instance = try linker.instantiate(store, module)
        let swap = try instance.getTypedFunc(store, "swap", (Int64, Double).self, (Double, Int64).self)
        let (d, i) = try swap.call(store, 7, 2.5)
        #expect(d == 2.5 && i == 7)
        let divmod = try instance.getTypedFunc(store, "divmod", (Int32, Int32).self, (Int32, Int32).self)
        let (q, r) = try divmod.call(store, 17, 5)
        #expect(q == 3 && r == 2)
        #expect(throws: KilnError.self) { try instance.getTypedFunc(store, "swap", (Int64, Double).self, (Int64, Double).self) }
        #expect(throws: KilnError.self) { try instance.getTypedFunc(store, "swap", (Int64, Double).self, String.self) }
    }

    /// An engine remembers each Swift signature's wasm type: later views compare type ids.
    /// Signatures whose types flatten alike must not share an entry, and a remembered
    /// signature must still refuse functions of another type, naming both types.
    @Test(arguments: [Config.Strategy.jit, .interpreter])
    func signaturesAreRememberedApart(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let module = try Module(engine, wat: """
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
              (func (export "pair") (param i32) (result i32 i32) (local.get 0) (i32.const 1))
              (func (export "three") (param i32 i32 i32)))
            """)
        for _ in 0..<2 {  // the second round finds every signature remembered
            let store = Store(engine)
            let instance = try Instance(store, module, imports: [])
            #expect(try instance.getTypedFunc(store, "add", (Int32, Int32).self, Int32.self).call(store, 5, 3) == 8)
            #expect(try instance.getTypedFunc(store, "sub", (Int32, Int32).self, Int32.self).call(store, 5, 3) == 2)
            let (a, b) = try instance.getTypedFunc(store, "pair", (Int32).self, (Int32, Int32).self).call(store, Int32(9))
            #expect(a == 9 && b == 1)
            try instance.getTypedFunc(store, "three", (Int32, Int32, Int32).self, Void.self).call(store, 1, 2, 3)
            // (i32 i32) -> i32 against (i32) -> (i32 i32), and the other way round.
            #expect(throws: KilnError.self) { try instance.getTypedFunc(store, "add", (Int32).self, (Int32, Int32).self) }
            #expect(throws: KilnError.self) { try instance.getTypedFunc(store, "pair", (Int32, Int32).self, Int32.self) }
            #expect(throws: KilnError.self) { try instance.getTypedFunc(store, "three", (Int32, Int32).self, Int32.self) }
            do {
                _ = try instance.getTypedFunc(store, "add", (Int64, Int32).self, Int32.self)
                Issue.record("expected a type mismatch")
            } catch let error as KilnError {
                #expect("\(error)".contains("the function is (i32 i32) -> (i32)"), "\(error)")
                #expect("\(error)".contains("the typed view says (i64 i32) -> (i32)"), "\(error)")
            }
        }
    }
}
