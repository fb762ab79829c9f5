import Testing
@testable import Kiln

/// Extern references under both engines: counts held by tables and globals, roots held by
/// wasm frames through the activations table and stack maps, and what `gc()` frees.
@Suite struct ExternRefGCTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    /// Counts payload deinitializations.
    final class Tracker: @unchecked Sendable {
        var freed = 0
    }

    final class Payload {
        let id: Int
        let tracker: Tracker
        init(_ id: Int, _ tracker: Tracker) {
            self.id = id
            self.tracker = tracker
        }
        deinit { tracker.freed += 1 }
    }

    static let churn = """
        (module
          (table $t 16 externref)
          (func $id (export "id") (param externref) (result externref) (local.get 0))
          (func (export "churn") (param $r externref) (param $n i32)
            (local $i i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (table.set $t (i32.and (local.get $i) (i32.const 15)) (call $id (local.get $r)))
              (drop (table.get $t (i32.and (local.get $i) (i32.const 15))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))))
          (func (export "put") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
          (func (export "clear") (table.fill $t (i32.const 0) (ref.null extern) (i32.const 16))))
        """

    /// (a) A million references flow through wasm: after `gc()` every unreferenced one is
    /// freed, and the survivors' counts are exact.
    @Test(arguments: strategies) func aMillionReferencesThroughWasm(_ strategy: Config.Strategy) throws {
        let tracker = Tracker()
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let instance = try Linker<Void>(engine).instantiate(store, try Module(engine, wat: ExternRefGCTests.churn))
        let id = try instance.getTypedFunc(store, "id", (ExternRef?).self, (ExternRef?).self)
        let put = try instance.getTypedFunc(store, "put", (Int32, ExternRef?).self, Void.self)
        let churn = try instance.getTypedFunc(store, "churn", (ExternRef?, Int32).self, Void.self)

        let kept = (0..<4).map { ExternRef(Payload($0, tracker)) }
        for i in 0..<1_000_000 {
            let reference = ExternRef(Payload(1000 + i, tracker))
            let back = try id.call(store, reference)
            #expect(back!.ptrEq(reference))
            if i % 100_000 == 0 { try churn.call(store, reference, 40) }
        }
        try put.call(store, 0, kept[0])
        try put.call(store, 1, kept[0])
        try put.call(store, 2, kept[1])
        store.gc()
        // Every temporary is gone but the last one `churn` stored in table slots 3...15.
        #expect(tracker.freed == 999_999)
        #expect(kept[0].strongCount == 3)  // our handle + two table slots
        #expect(kept[1].strongCount == 2)
        #expect(kept[2].strongCount == 1)
        try instance.getTypedFunc(store, "clear", Void.self, Void.self).call(store)
        // Overwriting the last table slot that held it frees it at once.
        #expect(tracker.freed == 1_000_000)
        store.gc()
        #expect(kept.allSatisfy { $0.strongCount == 1 })
        // `kept` must outlive the count: optimized builds end a value's life at its last use.
        withExtendedLifetime(kept) { #expect(tracker.freed == 1_000_000) }
    }

    /// (b) References held only in the locals of a deep call chain survive a collection
    /// made by a host function at the bottom; exactly those survive.
    @Test(arguments: strategies) func stackMapsRootEveryFrame(_ strategy: Config.Strategy) throws {
        let tracker = Tracker()
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        var freedAtCollection: [Int] = []
        try linker.funcWrap("host", "collect") { (caller: Caller<Void>) in
            caller.gc()
            freedAtCollection.append(tracker.freed)
        }
        try linker.funcWrap("host", "make") { (n: Int32) -> ExternRef? in
            // Only wasm holds the new reference once this returns.
            ExternRef(Payload(Int(n), tracker))
        }
        try linker.funcWrap("host", "check") { (r: ExternRef?, n: Int32) -> Int32 in
            (r?.data as? Payload)?.id == Int(n) ? 1 : 0
        }
        let module = try Module(engine, wat: """
            (module
              (import "host" "collect" (func $collect))
              (import "host" "make" (func $make (param i32) (result externref)))
              (import "host" "check" (func $check (param externref i32) (result i32)))
              ;; Each level makes a reference, keeps it in a local and an operand across the
              ;; deeper calls, makes a garbage one, and checks its own after the collection.
              (func $down (export "down") (param $n i32) (result i32)
                (local $mine externref)
                (local.set $mine (call $make (local.get $n)))
                (drop (call $make (i32.add (local.get $n) (i32.const 1000))))
                (call $check (local.get $mine) (local.get $n))
                (if (result i32) (i32.eqz (local.get $n))
                  (then (call $collect) (i32.const 1))
                  (else (call $down (i32.sub (local.get $n) (i32.const 1)))))
                (i32.and)
                (call $check (local.get $mine) (local.get $n))
                (i32.and)))
            """)
        let instance = try linker.instantiate(store, module)
        let down = try instance.getTypedFunc(store, "down", (Int32).self, Int32.self)
        #expect(try down.call(store, 30) == 1)
        // At the collection, the 31 garbage references were freed and the 31 held in
        // locals were not.
        #expect(freedAtCollection == [31])
        store.gc()
        #expect(tracker.freed == 62)
    }

    /// (c) A reference in a global and one in a table survive collections, and are freed
    /// once overwritten.
    @Test(arguments: strategies) func globalsAndTablesHoldCounts(_ strategy: Config.Strategy) throws {
        let tracker = Tracker()
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let module = try Module(engine, wat: """
            (module
              (global $g (export "g") (mut externref) (ref.null extern))
              (table $t (export "t") 2 externref)
              (func (export "keep") (param externref externref)
                (global.set $g (local.get 0))
                (table.set $t (i32.const 1) (local.get 1)))
              (func (export "read") (result externref externref)
                (global.get $g) (table.get $t (i32.const 1)))
              (func (export "forget")
                (global.set $g (ref.null extern))
                (table.set $t (i32.const 1) (ref.null extern))))
            """)
        let instance = try Linker<Void>(engine).instantiate(store, module)
        do {
            let a: ExternRef? = ExternRef(Payload(1, tracker)), b: ExternRef? = ExternRef(Payload(2, tracker))
            try instance.getTypedFunc(store, "keep", (ExternRef?, ExternRef?).self, Void.self).call(store, a, b)
        }
        store.gc()
        #expect(tracker.freed == 0)
        let (a, b) = try instance.getTypedFunc(store, "read", Void.self, (ExternRef?, ExternRef?).self).call(store)
        #expect((a?.data as? Payload)?.id == 1 && (b?.data as? Payload)?.id == 2)
        store.gc()
        #expect(a!.strongCount == 2 && b!.strongCount == 2)  // our handles + the global / the table
        try instance.getTypedFunc(store, "forget", Void.self, Void.self).call(store)
        #expect(a!.strongCount == 1 && b!.strongCount == 1)
        store.gc()
        #expect(tracker.freed == 0)  // still our handles
        withExtendedLifetime((a, b)) {}
    }

    /// (c, host side) Host writes to globals and tables count too.
    @Test(arguments: strategies) func hostWritesCount(_ strategy: Config.Strategy) throws {
        let tracker = Tracker()
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let global = try Global(store, type: GlobalType(valueType: .externRef, mutability: .variable), value: .externRef(nil))
        let table = try Table(store, type: TableType(elementType: .externRef, limits: Limits(min: 3)), initial: .externRef(nil))
        do {
            let r = ExternRef(Payload(7, tracker))
            try global.set(store, .externRef(r))
            try table.set(store, 2, .externRef(r))
            store.gc()
            #expect(r.strongCount == 3)
        }
        store.gc()
        #expect(tracker.freed == 0)
        try global.set(store, .externRef(nil))
        #expect(tracker.freed == 0)
        try table.set(store, 2, .externRef(nil))
        #expect(tracker.freed == 1)
    }

    /// (d) Dropping the store frees every reference it holds, wherever it holds it.
    @Test(arguments: strategies) func droppingTheStoreFreesEverything(_ strategy: Config.Strategy) throws {
        let tracker = Tracker()
        do {
            let engine = try Engine(Config(strategy: strategy))
            let store = Store(engine)
            let module = try Module(engine, wat: """
                (module
                  (global $g (mut externref) (ref.null extern))
                  (table $t 4 externref)
                  (func (export "keep") (param externref externref)
                    (global.set $g (local.get 0))
                    (table.fill $t (i32.const 0) (local.get 1) (i32.const 4))))
                """)
            let instance = try Linker<Void>(engine).instantiate(store, module)
            let keep = try instance.getTypedFunc(store, "keep", (ExternRef?, ExternRef?).self, Void.self)
            for i in 0..<10 {
                try keep.call(store, ExternRef(Payload(2 * i, tracker)), ExternRef(Payload(2 * i + 1, tracker)))
            }
        }
        #expect(tracker.freed == 20)
    }

    /// The layout of stack maps, for review: one line per safepoint (`position: slots`).
    @Test(.enabled(if: JITCompiler.isSupported, "machine code only: the JIT compiles for x86-64 so far")) func stackMapListing() throws {
        let wat = """
            (module
              (import "host" "f" (func $f (param externref) (result externref)))
              (func (export "g") (param $a externref) (param $n i32) (result externref)
                (local $b externref)
                (local.set $b (call $f (local.get $a)))
                (call $f (local.get $b))
                (drop (call $f (ref.null extern)))))
            """
        let jit = try Module(Engine(Config(strategy: .jit)), wat: wat)
        let interpreted = try Module(Engine(Config(strategy: .interpreter)), wat: wat)
        let machineMaps = try #require(jit.compiled).stackMaps[0]
        let interpreterMaps = try #require(interpreted.interpreted).stackMaps[0]
        print("machine code (bit k = [rbp - 32 - 8k]):\n\(machineMaps.listing)")
        print("interpreter (bit k = fp[k]):\n\(interpreterMaps.listing)")
        // Three calls; locals 0 ($a) and 2 ($b) are externrefs; at the third call the
        // result of the second call is an operand below the argument.
        #expect(machineMaps.count == 3 && interpreterMaps.count == 3)
        let machine = machineMaps.positions.map { machineMaps.slots(at: Int($0))! }
        #expect(machine[0] == [0, 2] && machine[1] == [0, 2] && machine[2] == [0, 2, 3])
        let interpreter = interpreterMaps.positions.map { interpreterMaps.slots(at: Int($0))! }
        #expect(interpreter[0] == [0, 2] && interpreter[1] == [0, 2] && interpreter[2] == [0, 2, 3])
    }
}
