import Testing
@testable import Kiln

/// `Linker.instantiatePre`: imports resolved and host function types checked once, then
/// instances in any number of stores, on both engines.
@Suite struct InstancePreTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    static let program = """
        (module
          (import "host" "add" (func $add (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "\\05")
          (func (export "bump") (param i32) (result i32)
            (i32.store8 (i32.const 16) (call $add (i32.load8_u (i32.const 16)) (local.get 0)))
            (i32.load8_u (i32.const 16))))
        """

    @Test(arguments: strategies) func instancesInManyStoresStartFresh(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let linker = Linker<Int>(engine)
        try linker.funcWrap("host", "add") { (caller: Caller<Int>, a: Int32, b: Int32) -> Int32 in
            caller.data += 1
            return a + b
        }
        let pre = try linker.instantiatePre(try Module(engine, wat: Self.program))
        for round in 0..<3 {
            let store = Store(engine, data: 0)
            let instance = try pre.instantiate(store)
            let bump = try instance.getTypedFunc(store, "bump", Int32.self, Int32.self)
            // The data segment's 5 again in every new instance: nothing leaks between them.
            #expect(try bump.call(store, Int32(round)) == 5 + Int32(round))
            #expect(try bump.call(store, Int32(1)) == 6 + Int32(round))
            #expect(store.data == 2)
            // A second instance in the same store has its own memory too.
            let second = try pre.instantiate(store)
            #expect(try second.getTypedFunc(store, "bump", Int32.self, Int32.self).call(store, Int32(0)) == Int32(5))
        }
    }

    @Test func resolutionErrorsComeFromInstantiatePre() throws {
        let engine = try Engine()
        let module = try Module(engine, wat: Self.program)
        let empty = Linker<Void>(engine)
        #expect(throws: LinkError.self) { try empty.instantiatePre(module) }
        let wrongType = Linker<Void>(engine)
        try wrongType.funcWrap("host", "add") { (a: Int64) -> Int64 in a }
        let error = #expect(throws: LinkError.self) { try wrongType.instantiatePre(module) }
        #expect("\(error!)".contains("incompatible import type for host::add"))
    }

    /// An item bound to a store (here a memory) can only be instantiated in that store.
    @Test func storeBoundImportsStayInTheirStore() throws {
        let engine = try Engine()
        let home = Store(engine, data: ())
        let memory = try Memory(home, type: MemoryType(min: 1))
        let linker = Linker<Void>(engine)
        try linker.define("env", "memory", .memory(memory))
        let pre = try linker.instantiatePre(try Module(engine, wat: """
            (module (import "env" "memory" (memory 1))
              (func (export "peek") (result i32) (i32.load (i32.const 0))))
            """))
        _ = try pre.instantiate(home)
        #expect(throws: KilnError.self) { try pre.instantiate(Store(engine, data: ())) }
    }

    /// The linker makes a host function's native code once and shares it among stores.
    @Test func hostFunctionsAreSharedAmongStores() throws {
        let engine = try Engine()
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "f") { () -> Int32 in 7 }
        let a = Store(engine, data: ()), b = Store(engine, data: ())
        let fa = try #require(linker.get(a, "host", "f")?.asFunc), fb = try #require(linker.get(b, "host", "f")?.asFunc)
        #expect(fa.funcRef == fb.funcRef)
        #expect(try fa.call(a, []).first?.i32 == 7)
        #expect(try fb.call(b, []).first?.i32 == 7)
    }
}
