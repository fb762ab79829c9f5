import Testing
@testable import Kiln

/// Exception handling compiled to machine code: modules with exception instructions run as
/// machine code under the JIT, and every landing path (try_table clauses into blocks, loops
/// and the function's label; legacy arms, rethrow, delegate; throws from builtins, calls,
/// host functions and interpreted callees) gives the interpreter's results. Fuel consumed
/// by a throwing program is the same on both engines.
@Suite struct ExceptionMachineCodeTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    static let program = """
        (module
          (tag $e (param i32 i64))
          (tag $f)
          (tag $r (param externref f64))
          (func $thrower (param i32) (result i32)
            (if (i32.eq (local.get 0) (i32.const 7)) (then (throw $e (i32.const 42) (i64.const 9))))
            (if (i32.eq (local.get 0) (i32.const 8)) (then (throw $f)))
            (i32.add (local.get 0) (i32.const 1)))
          (func $deep (param i32 i32) (result i32)
            (if (result i32) (local.get 1)
              (then (i32.add (call $deep (local.get 0) (i32.sub (local.get 1) (i32.const 1))) (i32.const 1)))
              (else (call $thrower (local.get 0)))))
          ;; A handler five frames up; the locals changed inside the try_table are kept.
          (func (export "five-up") (param i32) (result i32)
            (local $x i32)
            (local.set $x (i32.const 100))
            (block $h (result i32 i64)
              (try_table (catch $e $h)
                (local.set $x (i32.add (local.get $x) (i32.const 5)))
                (return (call $deep (local.get 0) (i32.const 4))))
              (unreachable))
            (i32.add (i32.wrap_i64)) (i32.add (local.get $x)))
          ;; Caught in a loop whose head keeps locals in registers.
          (func (export "loop") (param i32) (result i32)
            (local $n i32) (local $acc i32)
            (loop $l
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (block $b
                (try_table (catch_all $b)
                  (drop (call $thrower (i32.add (i32.const 6) (i32.and (local.get $n) (i32.const 1))))))
                (local.set $acc (i32.add (local.get $acc) (i32.const 1000))))
              (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $n) (local.get 0))))
            (local.get $acc))
          ;; A clause that targets a loop: the values become the loop's parameters.
          (func (export "to-loop") (param i32) (result i32)
            (local $count i32)
            (i32.const 0) (i64.const 0)
            (loop $l (param i32 i64)
              (drop) (drop)
              (local.set $count (i32.add (local.get $count) (i32.const 1)))
              (if (i32.lt_u (local.get $count) (local.get 0))
                (then (try_table (catch $e $l) (drop (call $thrower (i32.const 7)))))))
            (local.get $count))
          ;; A clause that targets the function's label returns the values.
          (func (export "to-return") (param i32) (result i32 i64)
            (try_table (catch $e 0) (drop (call $thrower (local.get 0))))
            (i32.const -1) (i64.const -1))
          ;; catch_ref then throw_ref: the same exception caught again outside.
          (func (export "ref") (param i32) (result i32)
            (block $outer (result i32 i64)
              (try_table (catch $e $outer)
                (block $inner (result i32 i64 exnref)
                  (try_table (catch_ref $e $inner) (drop (call $thrower (local.get 0))))
                  (return (i32.const -2)))
                (throw_ref))
              (unreachable))
            (drop))
          (func (export "throw-ref-null") (throw_ref (ref.null exn)))
          ;; An operand below the block survives the landing.
          (func (export "operands") (param i32) (result i32)
            (i32.const 1000)
            (block $h (result i32 i64)
              (try_table (catch $e $h) (drop (call $thrower (local.get 0))))
              (i32.const 0) (i64.const 0))
            (drop) (i32.add))
          (func (export "legacy") (param i32) (result i32)
            (try (result i32)
              (do (call $thrower (local.get 0)))
              (catch $e (drop) (i32.add (i32.const 1)))
              (catch_all (i32.const 2))))
          (func (export "rethrow") (param i32) (result i32)
            (try (result i32)
              (do (try (result i32) (do (call $deep (local.get 0) (i32.const 2))) (catch_all (rethrow 0))))
              (catch $e (drop) (drop) (i32.const 11))
              (catch_all (i32.const 12))))
          (func (export "delegate") (param i32) (result i32)
            (try (result i32)
              (do (try (result i32) (do (call $thrower (local.get 0))) (delegate 0)))
              (catch_all (i32.const 21))))
          ;; A return_call inside a try_table leaves its frame, and the handler with it.
          (func $tail (param i32) (result i32)
            (block $h (try_table (catch_all $h) (return_call $thrower (local.get 0))))
            (i32.const 31))
          (func (export "tail") (param i32) (result i32)
            (block $h
              (try_table (catch_all $h) (return (call $tail (local.get 0)))))
            (i32.const 32))
          (func (export "payload") (param externref) (result externref)
            (block $h (result externref f64)
              (try_table (catch $r $h) (throw $r (local.get 0) (f64.const 1.5)))
              (unreachable))
            (drop))
          ;; Many throws in one activation: the stack pointer comes back each time.
          (func (export "many") (param i32) (result i32)
            (local $caught i32)
            (loop $l
              (block $h
                (try_table (catch_all $h) (drop (call $deep (i32.const 8) (i32.const 3)))))
              (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $caught) (local.get 0))))
            (local.get $caught)))
        """

    static func instantiate(_ strategy: Config.Strategy, fuel: Bool = false) throws -> (Store<Void>, Instance, Module) {
        var config = Config(strategy: strategy)
        config.consumeFuel = fuel
        let engine = try Engine(config)
        let store = Store(engine)
        if fuel { try store.addFuel(10_000_000) }
        let module = try Module(engine, wat: program)
        return (store, try Instance(store, module, imports: []), module)
    }

    static func call(_ store: Store<Void>, _ instance: Instance, _ name: String, _ arguments: [Val]) -> String {
        do {
            return try instance.getFunc(store, name)!.call(store, arguments).map { "\($0)" }.joined(separator: " ")
        } catch let thrown as WasmException {
            return "exception \(thrown.exception.values(store).map { "\($0)" })"
        } catch let trap as Trap {
            return "trap \(trap.code?.rawValue ?? trap.message)"
        } catch {
            return "error \(error)"
        }
    }

    static var cases: [(String, [Val])] { [
        ("five-up", [.i32(3)]), ("five-up", [.i32(7)]), ("five-up", [.i32(8)]),
        ("loop", [.i32(10)]), ("to-loop", [.i32(5)]), ("to-return", [.i32(7)]), ("to-return", [.i32(1)]),
        ("ref", [.i32(7)]), ("ref", [.i32(1)]), ("throw-ref-null", []), ("operands", [.i32(7)]), ("operands", [.i32(2)]),
        ("legacy", [.i32(5)]), ("legacy", [.i32(7)]), ("legacy", [.i32(8)]),
        ("rethrow", [.i32(7)]), ("rethrow", [.i32(8)]), ("rethrow", [.i32(2)]),
        ("delegate", [.i32(8)]), ("delegate", [.i32(4)]), ("tail", [.i32(8)]), ("tail", [.i32(3)]),
        ("many", [.i32(1000)]),
    ] }

    static let expected = [
        "8", "156", "exception []", "5010", "5", "42 9", "-1 -1", "42", "-2", "trap null exception reference",
        "1042", "1000", "6", "43", "2", "11", "12", "5", "21", "5", "32", "4", "1000",
    ]

    @Test(arguments: strategies) func everyLandingPathAgrees(_ strategy: Config.Strategy) throws {
        let (store, instance, module) = try Self.instantiate(strategy)
        if strategy == .jit && JITCompiler.isSupported { #expect(module.isCompiledToMachineCode) }
        let results = Self.cases.map { Self.call(store, instance, $0.0, $0.1) }
        for (i, (result, expected)) in zip(results, Self.expected).enumerated() {
            #expect(result == expected, "\(Self.cases[i].0)(\(Self.cases[i].1))")
        }
        // A caught externref payload comes back intact (and stays counted).
        let payload = ExternRef("payload")
        do {
            let back = try instance.getFunc(store, "payload")!.call(store, [.externRef(payload)])
            if case .externRef(let reference)? = back.first { #expect(reference?.data as? String == "payload") } else {
                Issue.record("no externref came back")
            }
        }
        // Only the test's handle is left once the store collects.
        store.gc()
        #expect(payload.strongCount == 1)
    }

    /// The JIT charges the same fuel as the interpreter on paths that throw and land.
    @Test func fuelAgreesAcrossEngines() throws {
        var consumed: [[UInt64]] = []
        for strategy in Self.strategies {
            let (store, instance, _) = try Self.instantiate(strategy, fuel: true)
            var row: [UInt64] = []
            for (name, arguments) in Self.cases {
                _ = Self.call(store, instance, name, arguments)
                row.append(store.fuelConsumed ?? 0)
            }
            consumed.append(row)
        }
        #expect(consumed[0] == consumed[1])
    }

    /// An interpreted callee (a module the JIT engine runs on the interpreter)
    /// throws; the machine-code caller's handler catches, through the adapter.
    @Test func interpretedCalleesThrowToMachineCode() throws {
        let engine = try Engine(Config(strategy: .jit))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        let thrower = try Module(engine, wat: """
            (module (tag $e (export "e") (param i32))
              (func (export "throw") (param i32) (result i32)
                (if (i32.eqz (local.get 0)) (then (return (i32.const 7))))
                (throw $e (local.get 0))))
            """, interpreted: true)
        #expect(!thrower.isCompiledToMachineCode)
        try linker.instance(store, "thrower", try linker.instantiate(store, thrower))
        let catcher = try Module(engine, wat: """
            (module
              (import "thrower" "e" (tag $e (param i32)))
              (import "thrower" "throw" (func $t (param i32) (result i32)))
              (func (export "run") (param i32) (result i32)
                (block $caught (result i32)
                  (try_table (result i32) (catch $e $caught) (call $t (local.get 0)))
                  (return))
                (i32.add (i32.const 1000))))
            """)
        if JITCompiler.isSupported { #expect(catcher.isCompiledToMachineCode) }
        let run = try linker.instantiate(store, catcher).getTypedFunc(store, "run", Int32.self, Int32.self)
        #expect(try run.call(store, 0) == 7)
        #expect(try run.call(store, 5) == 1005)
        for i in 1...1000 { #expect(try run.call(store, Int32(i)) == 1000 + Int32(i)) }
    }
}
