import Foundation
import Testing
@testable import Kiln

/// Tail calls (`return_call`, `return_call_indirect`) under both engines: chains far longer
/// than any stack holds without them, argument areas that grow and shrink from callee to
/// callee, callees of every kind (wasm of this or another instance, host functions,
/// interpreted functions, table entries), and fuel, epochs, traps and collections around
/// them. Under the JIT every module here must run as machine code.
@Suite struct TailCallTests {
    static let strategies: [Config.Strategy] = JITCompiler.isSupported ? [.jit, .interpreter] : [.interpreter]

    /// Chain lengths: far beyond the 512 KiB wasm stack without tail calls (a frame takes
    /// at least 32 bytes), shorter on the slower interpreter.
    static func iterations(_ strategy: Config.Strategy, jit: Int, interpreter: Int) -> Int {
        strategy == .jit ? jit : interpreter
    }

    static func engine(_ strategy: Config.Strategy, fuel: Bool = false, epochs: Bool = false,
                       bounds: Config.BoundsChecks = .guardPages) throws -> Engine {
        var config = Config(strategy: strategy)
        config.consumeFuel = fuel
        config.epochInterruption = epochs
        config.boundsChecks = bounds
        return try Engine(config)
    }

    /// Compiles `wat`, checking that the JIT took it.
    static func module(_ engine: Engine, _ strategy: Config.Strategy, _ wat: String) throws -> Module {
        let module = try Module(engine, wat: wat)
        if strategy == .jit { #expect(module.isCompiledToMachineCode, "the JIT left the module to the interpreter") }
        return module
    }

    static func instantiate(_ strategy: Config.Strategy, _ wat: String, fuel: Bool = false) throws -> (Store<Void>, Instance) {
        let engine = try engine(strategy, fuel: fuel)
        let store = Store(engine)
        return (store, try Linker<Void>(engine).instantiate(store, try module(engine, strategy, wat)))
    }

    static let evenOdd = """
        (module
          (func $even (export "even") (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
              (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
          (func $odd (export "odd") (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
              (else (return_call $even (i64.sub (local.get 0) (i64.const 1)))))))
        """

    @Test(arguments: strategies, [Config.BoundsChecks.guardPages, .explicit])
    func mutualRecursionRunsInConstantStack(_ strategy: Config.Strategy, _ bounds: Config.BoundsChecks) throws {
        let engine = try Self.engine(strategy, bounds: bounds)
        let store = Store(engine)
        let instance = try Linker<Void>(engine).instantiate(store, try Self.module(engine, strategy, Self.evenOdd))
        let n = Int64(Self.iterations(strategy, jit: 100_000_000, interpreter: 200_000))
        #expect(try instance.getFunc(store, "even")!.call(store, [.i64(n)]).first?.i32 == 1)
        #expect(try instance.getFunc(store, "odd")!.call(store, [.i64(n + 1)]).first?.i32 == 1)
        #expect(try instance.getFunc(store, "even")!.call(store, [.i64(7)]).first?.i32 == 0)
    }

    // MARK: Argument areas that grow and shrink

    /// `$f (i32)` → `$g (i64 ×12, f64 ×12)` → `$h (i32, i64 ×8)` → `$f`, around and around:
    /// `$f` passes nothing on the stack, `$g` more than the argument registers hold on both
    /// instruction sets (12 words on x86-64, 10 on AArch64), `$h` an odd count (5 and 3).
    /// Every argument feeds a checksum, so a misplaced word shows.
    static let wide: String = {
        let p = (0..<12).map { "(param $p\($0) i64)" }.joined(separator: " ")
        let q = (0..<12).map { "(param $q\($0) f64)" }.joined(separator: " ")
        let a = (1...8).map { "(param $a\($0) i64)" }.joined(separator: " ")
        let mix = { (value: String) in "(global.set $acc (i64.add (i64.mul (global.get $acc) (i64.const 31)) \(value)))" }
        let toG = (0..<12).map { "(i64.add (local.get 1) (i64.const \($0)))" }.joined(separator: " ")
            + " " + (0..<12).map { "(f64.add (f64.convert_i64_u (local.get 1)) (f64.const \(Double($0) * 0.5)))" }.joined(separator: " ")
        return """
            (module
              (global $acc (mut i64) (i64.const 0))
              (func $f (export "f") (param $n i32) (result i64) (local $wide i64)
                (if (i32.eqz (local.get $n)) (then (return (global.get $acc))))
                (local.set $wide (i64.extend_i32_u (local.get $n)))
                (return_call $g \(toG)))
              (func $g (export "g") \(p) \(q) (result i64)
                \((0..<12).map { mix("(local.get $p\($0))") }.joined(separator: "\n    "))
                \((0..<12).map { mix("(i64.trunc_f64_s (local.get $q\($0)))") }.joined(separator: "\n    "))
                (return_call $h (i32.wrap_i64 (local.get $p0))
                  \((1...8).map { "(i64.mul (local.get $p\($0)) (i64.const 3))" }.joined(separator: " "))))
              (func $h (param $n i32) \(a) (result i64)
                \((1...8).map { mix("(local.get $a\($0))") }.joined(separator: "\n    "))
                (return_call $f (i32.sub (local.get $n) (i32.const 1))))
              (func $sum12 (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (i64.add (local.get 0) (i64.add (local.get 1) (i64.add (local.get 2)
                (i64.add (local.get 3) (i64.add (local.get 4) (i64.add (local.get 5) (i64.add (local.get 6)
                (i64.add (local.get 7) (i64.add (local.get 8) (i64.add (local.get 9) (i64.add (local.get 10) (local.get 11)))))))))))))
              ;; Ordinary calls into chains that end with the argument area grown or shrunk:
              ;; values live across them in the frame, and calls with stack arguments follow.
              (func (export "outer") (param $n i32) (result i64) (local $x i64)
                (local.set $x (i64.mul (i64.extend_i32_u (local.get $n)) (i64.const 1000003)))
                (global.set $acc (i64.const 0))
                (i64.add (local.get $x)
                  (i64.add (call $f (local.get $n))
                    (i64.add (call $sum12 (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)
                                          (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (local.get $x))
                      (i64.add (block (result i64) (global.set $acc (i64.const 0))
                                 (call $g \((0..<12).map { "(i64.const \($0 + 2))" }.joined(separator: " "))
                                          \((0..<12).map { "(f64.const \(Double($0) * 0.5 + 2))" }.joined(separator: " "))))
                        (call $sum12 (local.get $x) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)
                                     (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (i64.const 12))))))))
            """
    }()

    /// What `$f(n)` returns, starting from `acc`.
    static func wideChecksum(_ n: Int, acc start: Int64 = 0) -> Int64 {
        var acc = start
        func mix(_ value: Int64) { acc = acc &* 31 &+ value }
        var n = n
        while n != 0 {
            let w = Int64(n)
            for i in 0..<12 { mix(w + Int64(i)) }
            for j in 0..<12 { mix(Int64(Double(w) + Double(j) * 0.5)) }
            for i in 1...8 { mix((w + Int64(i)) &* 3) }
            n -= 1
        }
        return acc
    }

    @Test(arguments: strategies)
    func argumentAreasGrowAndShrink(_ strategy: Config.Strategy) throws {
        let (store, instance) = try Self.instantiate(strategy, Self.wide)
        let n = Self.iterations(strategy, jit: 500_000, interpreter: 20_000)
        #expect(try instance.getFunc(store, "f")!.call(store, [.i32(Int32(n))]).first?.i64 == Self.wideChecksum(n))
        let small = 37
        let x = Int64(small) * 1_000_003
        let sum12 = Int64(66) + x
        // `$g` called directly runs the chain from n = 2 down, starting with its own words.
        let fromG = Self.wideChecksum(1, acc: {
            var acc: Int64 = 0
            for value in 2...13 { acc = acc &* 31 &+ Int64(value) }
            for j in 0..<12 { acc = acc &* 31 &+ Int64(Double(j) * 0.5 + 2) }
            for i in 1...8 { acc = acc &* 31 &+ Int64(i + 2) &* 3 }
            return acc
        }())
        let expected = x &+ Self.wideChecksum(small) &+ sum12 &+ fromG &+ (x &+ 77)
        #expect(try instance.getFunc(store, "outer")!.call(store, [.i32(Int32(small))]).first?.i64 == expected)
    }

    /// Multiple results through tail calls, with the results pointer in a register and on
    /// the stack (past the integer argument registers), called from Swift and from wasm.
    static let multiValue = """
        (module
          (func $three (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64 i64)
            (i64.add (local.get 0) (local.get 12))
            (i64.sub (local.get 11) (local.get 1)))
          (func $two (param $n i32) (result i64 i64)
            (if (i32.eqz (local.get $n))
              (then (return_call $three (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)
                      (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (i64.const 12) (i64.const 13))))
            (return_call $one (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
              (i64.extend_i32_u (i32.sub (local.get $n) (i32.const 1)))))
          (func $one (export "one") (param i64 i64 i64 i64 i64 i64 i64) (result i64 i64)
            (return_call $two (i32.wrap_i64 (local.get 6))))
          (func (export "outer") (param $n i32) (result i64 i64 i64) (local $x i64)
            (local.set $x (i64.extend_i32_u (local.get $n)))
            (local.get $x)
            (call $two (local.get $n))))
        """

    @Test(arguments: strategies)
    func multipleResultsPassThroughTailCalls(_ strategy: Config.Strategy) throws {
        let (store, instance) = try Self.instantiate(strategy, Self.multiValue)
        let n = Int64(Self.iterations(strategy, jit: 1_000_000, interpreter: 100_000))
        let one = try instance.getFunc(store, "one")!.call(store, [.i64(0), .i64(0), .i64(0), .i64(0), .i64(0), .i64(0), .i64(n)])
        #expect(one.map(\.i64) == [14, 10])
        let outer = try instance.getFunc(store, "outer")!.call(store, [.i32(1000)])
        #expect(outer.map(\.i64) == [1000, 14, 10])
    }

    /// A caller compiled before its callee, which tail-calls with a larger argument area:
    /// every return leaves the stack pointer lower, and the caller takes it back (100,000
    /// rounds would otherwise exhaust the stack). `$plain`, without a tail call, needs no
    /// such reset.
    @Test(arguments: strategies)
    func callersCompiledBeforeTheirCalleesTakeTheStackPointerBack(_ strategy: Config.Strategy) throws {
        let (store, instance) = try Self.instantiate(strategy, """
            (module
              (func (export "caller") (param $n i32) (result i64) (local $sum i64)
                (loop $next
                  (local.set $sum (i64.add (local.get $sum) (call $grow (local.get $n))))
                  (local.set $sum (i64.add (local.get $sum) (call $plain (local.get $n))))
                  (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $sum))
              (func $grow (param i32) (result i64)
                (return_call $wide \((0..<12).map { _ in "(i64.extend_i32_u (local.get 0))" }.joined(separator: " "))))
              (func $plain (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
              (func $wide (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (i64.add (local.get 0) (local.get 11))))
            """)
        let n = 100_000
        #expect(try instance.getFunc(store, "caller")!.call(store, [.i32(Int32(n))]).first?.i64 == Int64(3 * n * (n + 1) / 2))
    }

    // MARK: Callees of every kind

    /// Host functions with many arguments (stack-passed under the C convention), reached by
    /// tail calls that grow and shrink the area, repeatedly from an ordinary call site.
    @Test(arguments: strategies)
    func tailCallsReachHostFunctions(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy)
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        let wideType = FuncType(params: Array(repeating: .i64, count: 10) + Array(repeating: .f64, count: 10), results: [.i64])
        try linker.funcNew("host", "wide", type: wideType) { _, params, results in
            var acc: Int64 = 0
            for param in params {
                switch param {
                case .i64(let v): acc = acc &* 31 &+ v
                case .f64(let v): acc = acc &* 31 &+ Int64(v)
                default: break
                }
            }
            results[0] = .i64(acc)
        }
        try linker.funcWrap("host", "narrow") { (x: Int32) -> Int32 in x &* 2 }
        let pairType = FuncType(params: Array(repeating: .i64, count: 9), results: [.i64, .i64])
        try linker.funcNew("host", "pair", type: pairType) { _, params, results in
            let values = params.map { $0.i64 ?? 0 }
            results[0] = .i64(values.reduce(0, &+))
            results[1] = .i64(values[8])
        }
        let wat = """
            (module
              (import "host" "wide" (func $wide (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
                                                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result i64)))
              (import "host" "narrow" (func $narrow (param i32) (result i32)))
              (import "host" "pair" (func $pair (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64 i64)))
              (func $toWide (export "toWide") (param $n i32) (result i64)
                (return_call $wide \((0..<10).map { "(i64.add (i64.extend_i32_u (local.get $n)) (i64.const \($0)))" }.joined(separator: " "))
                                   \((0..<10).map { "(f64.const \(Double($0) + 0.25))" }.joined(separator: " "))))
              (func $toNarrow (export "toNarrow") (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i32)
                (return_call $narrow (i32.wrap_i64 (local.get 11))))
              (func $toPair (export "toPair") (param i64) (result i64 i64)
                (return_call $pair (local.get 0) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
                                   (i64.const 6) (i64.const 7) (local.get 0)))
              (func (export "loop") (param $n i32) (result i64) (local $i i32) (local $sum i64)
                (loop $next
                  (local.set $sum (i64.add (local.get $sum) (call $toWide (local.get $i))))
                  (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
                    (call $toNarrow (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
                                    (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.extend_i32_u (local.get $i))))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $sum)))
            """
        let instance = try linker.instantiate(store, try Self.module(engine, strategy, wat))
        func wide(_ n: Int64) -> Int64 {
            var acc: Int64 = 0
            for i in 0..<10 { acc = acc &* 31 &+ (n + Int64(i)) }
            for i in 0..<10 { acc = acc &* 31 &+ Int64(Double(i) + 0.25) }
            return acc
        }
        #expect(try instance.getFunc(store, "toWide")!.call(store, [.i32(5)]).first?.i64 == wide(5))
        let narrowArgs: [Val] = (0..<11).map { _ in .i64(0) } + [.i64(21)]
        #expect(try instance.getFunc(store, "toNarrow")!.call(store, narrowArgs).first?.i32 == 42)
        #expect(try instance.getFunc(store, "toPair")!.call(store, [.i64(100)]).map(\.i64) == [228, 100])
        // Every round leaves the caller's stack pointer where it was: 100,000 rounds would
        // otherwise run out of stack.
        let rounds = 100_000
        var expected: Int64 = 0
        for i in 0..<rounds { expected = expected &+ wide(Int64(i)) &+ Int64(Int32(truncatingIfNeeded: i &* 2)) }
        #expect(try instance.getFunc(store, "loop")!.call(store, [.i32(Int32(rounds))]).first?.i64 == expected)
    }

    /// Functions of another instance, directly and through a table (with
    /// `return_call_indirect`'s checks), and a mutual recursion across two instances.
    @Test(arguments: strategies)
    func tailCallsReachOtherInstancesAndTables(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy)
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "triple") { (x: Int64) -> Int64 in x &* 3 }
        let b = try linker.instantiate(store, try Self.module(engine, strategy, """
            (module
              (type $pp (func (param i64 i64) (result i64)))
              (table (export "t") 1 funcref)
              (func (export "pong") (param $n i64) (param $acc i64) (result i64)
                (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
                (return_call_indirect (type $pp)
                  (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 3)) (i32.const 0)))
              (func (export "wide") (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (i64.sub (local.get 10) (local.get 0))))
            """))
        try linker.instance(store, "b", b)
        let a = try linker.instantiate(store, try Self.module(engine, strategy, """
            (module
              (import "b" "pong" (func $pong (param i64 i64) (result i64)))
              (func (export "ping") (param $n i64) (param $acc i64) (result i64)
                (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
                (return_call $pong (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 2)))))
            """))
        guard case .table(let table)? = b.getExport("t"), let ping = a.getFunc(store, "ping") else {
            Issue.record("exports missing")
            return
        }
        try table.set(store, 0, .funcRef(ping))
        let n = Int64(Self.iterations(strategy, jit: 1_000_000, interpreter: 100_000))
        #expect(try ping.call(store, [.i64(n), .i64(0)]).first?.i64 == n / 2 * 5)

        let c = try linker.instantiate(store, try Self.module(engine, strategy, """
            (module
              (import "host" "triple" (func $triple (param i64) (result i64)))
              (import "b" "wide" (func $wide (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (type $one (func (param i64) (result i64)))
              (type $many (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (table 4 funcref)
              (elem (i32.const 0) $triple $wide $local)
              (func $local (param i64) (result i64) (i64.add (local.get 0) (i64.const 1)))
              (func (export "one") (param $i i32) (param $x i64) (result i64)
                (return_call_indirect (type $one) (local.get $x) (local.get $i)))
              (func (export "many") (param $i i32) (result i64)
                (return_call_indirect (type $many) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
                  (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (local.get $i))))
            """))
        let one = c.getFunc(store, "one")!, many = c.getFunc(store, "many")!
        #expect(try one.call(store, [.i32(0), .i64(5)]).first?.i64 == 15)
        #expect(try one.call(store, [.i32(2), .i64(5)]).first?.i64 == 6)
        #expect(try many.call(store, [.i32(1)]).first?.i64 == 10)
        func trapCode(_ body: () throws -> Void) -> TrapCode? {
            do { try body() } catch let trap as Trap { return trap.code } catch { return nil }
            return nil
        }
        #expect(trapCode { _ = try one.call(store, [.i32(1), .i64(5)]) } == .badSignature)
        #expect(trapCode { _ = try many.call(store, [.i32(0)]) } == .badSignature)
        #expect(trapCode { _ = try one.call(store, [.i32(3), .i64(5)]) } == .indirectCallToNull)
        #expect(trapCode { _ = try one.call(store, [.i32(4), .i64(5)]) } == .tableOutOfBounds)
        #expect(trapCode { _ = try one.call(store, [.i32(-1), .i64(5)]) } == .tableOutOfBounds)
        // The instance is fine after the traps.
        #expect(try one.call(store, [.i32(2), .i64(41)]).first?.i64 == 42)
    }

    /// A function the interpreter runs (its module is interpreted), reached from machine code
    /// through its adapter, with stack-passed arguments.
    @Test(arguments: strategies)
    func tailCallsReachInterpretedFunctions(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy)
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        let interpreted = try Module(engine, wat: """
            (module
              (func (export "weigh") (param i32 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 f64) (result i64)
                (i64.add (i64.mul (local.get 10) (i64.const 7))
                  (i64.add (i64.extend_i32_u (local.get 0)) (i64.trunc_f64_s (local.get 11))))))
            """, interpreted: true)
        #expect(!interpreted.isCompiledToMachineCode)
        try linker.instance(store, "i", try linker.instantiate(store, interpreted))
        let instance = try linker.instantiate(store, try Self.module(engine, strategy, """
            (module
              (import "i" "weigh" (func $weigh (param i32 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 f64) (result i64)))
              (func $go (export "go") (param $n i32) (result i64)
                (return_call $weigh (local.get $n) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
                  (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.extend_i32_u (local.get $n)) (f64.const 0.5)))
              (func (export "loop") (param $n i32) (result i64) (local $sum i64)
                (loop $next
                  (local.set $sum (i64.add (local.get $sum) (call $go (local.get $n))))
                  (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (local.get $sum)))
            """))
        #expect(try instance.getFunc(store, "go")!.call(store, [.i32(6)]).first?.i64 == 48)
        let n = 10_000
        #expect(try instance.getFunc(store, "loop")!.call(store, [.i32(Int32(n))]).first?.i64 == Int64(8 * n * (n + 1) / 2))
    }

    // MARK: Fuel, epochs, traps, collections

    /// A tail call ends the straight-line run it is in, as a call does: the code after the
    /// block is charged on the path that reaches it (and only there).
    @Test(arguments: strategies)
    func tailCallsAreChargedAsCalls(_ strategy: Config.Strategy) throws {
        let (store, instance) = try Self.instantiate(strategy, """
            (module
              (func $one (result i32) (i32.const 1))
              (func (export "t") (param i32) (result i32)
                (block (br_if 0 (local.get 0)) (return_call $one))
                (i32.add (i32.const 5) (i32.const 6))))
            """ , fuel: true)
        try store.addFuel(1_000)
        let t = instance.getFunc(store, "t")!
        // local.get, br_if; then i32.const ×2, i32.add.
        #expect(try t.call(store, [.i32(1)]).first?.i32 == 11)
        let first: UInt64 = store.fuelConsumed ?? 0
        #expect(first == 5)
        // local.get, br_if, return_call; then $one's i32.const.
        #expect(try t.call(store, [.i32(0)]).first?.i32 == 1)
        let second: UInt64 = store.fuelConsumed ?? 0
        #expect(second == 9)
    }

    @Test func fuelRunsOutInALongChainAlikeInBothEngines() throws {
        var consumed: [UInt64] = []
        for strategy in Self.strategies {
            let (store, instance) = try Self.instantiate(strategy, Self.evenOdd, fuel: true)
            try store.addFuel(1_000)
            #expect(try instance.getFunc(store, "even")!.call(store, [.i64(10)]).first?.i32 == 1)
            let ten: UInt64 = store.fuelConsumed ?? 0
            // Per step: local.get, i64.eqz, if, local.get, i64.const, i64.sub, return_call;
            // at the end local.get, i64.eqz, if, i32.const: 10 × 7 + 4.
            #expect(ten == 74)
            try store.addFuel(100_000)
            do {
                _ = try instance.getFunc(store, "even")!.call(store, [.i64(1_000_000_000)])
                Issue.record("expected to run out of fuel")
            } catch let trap as Trap {
                #expect(trap.code == .outOfFuel)
            }
            consumed.append(store.fuelConsumed!)
        }
        #expect(Set(consumed).count == 1, "fuel consumed: \(consumed)")
    }

    @Test(arguments: strategies)
    func anEpochInterruptsAnEndlessChain(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy, epochs: true)
        let store = Store(engine)
        let instance = try Linker<Void>(engine).instantiate(store, try Self.module(engine, strategy, """
            (module
              (func $a (export "a") (param i64 f64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (return_call $b (local.get 0)))
              (func $b (param i64) (result i64)
                (return_call $a (i64.add (local.get 0) (i64.const 1)) (f64.const 1)
                  (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0))))
            """))
        store.setEpochDeadline(1)
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            engine.incrementEpoch()
        }
        thread.start()
        do {
            _ = try instance.getFunc(store, "a")!.call(store, [.i64(0), .f64(0)] + Array(repeating: .i64(0), count: 7))
            Issue.record("expected an interrupt")
        } catch let trap as Trap {
            #expect(trap.code == .interrupt)
        }
    }

    /// A trap in a tail-called function: its caller's frame is gone, so the backtrace goes
    /// from the callee to the function that made the ordinary call, with the same offsets
    /// under both engines.
    @Test func trapsInTailCalledFunctionsReportBacktraces() throws {
        let wat = """
            (module
              (func $h (param i32 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i32)
                (if (local.get 0) (then (unreachable)))
                (i32.const 7))
              (func $g (param i32) (result i32)
                (return_call $h (local.get 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
                  (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)))
              (func $f (export "f") (param i32) (result i32)
                (i32.add (i32.const 1) (call $g (local.get 0)))))
            """
        var backtraces: [[FrameInfo]] = []
        for strategy in Self.strategies {
            let (store, instance) = try Self.instantiate(strategy, wat)
            let f = instance.getFunc(store, "f")!
            #expect(try f.call(store, [.i32(0)]).first?.i32 == 8)
            do {
                _ = try f.call(store, [.i32(1)])
                Issue.record("expected a trap")
            } catch let trap as Trap {
                #expect(trap.code == .unreachable)
                #expect(trap.backtrace.map(\.functionName) == ["h", "f"], "\(strategy): \(trap.backtrace)")
                backtraces.append(trap.backtrace)
            }
        }
        // `local.get 0; if; unreachable` in `$h`.
        let binary = try TextFormat.encode(wat)
        let pattern: [UInt8] = [0x20, 0x00, 0x04, 0x40, 0x00]
        let start = try #require(binary.indices.first { binary[$0...].starts(with: pattern) })
        for backtrace in backtraces { #expect(backtrace.first?.moduleOffset == start + 4) }
        if backtraces.count == 2 { #expect(backtraces[0].map(\.moduleOffset) == backtraces[1].map(\.moduleOffset)) }
    }

    /// A collection inside a host function reached by a tail call walks the wasm frames
    /// from the ordinary call site below it: the extern reference only that frame holds
    /// survives it.
    @Test(arguments: strategies)
    func collectionsInTailCalledHostFunctionsFindTheFramesBelow(_ strategy: Config.Strategy) throws {
        let engine = try Self.engine(strategy)
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "make") { () -> ExternRef? in ExternRef("payload") }
        try linker.funcWrap("host", "collect") { (caller: Caller<Void>, reference: ExternRef?) -> Int32 in
            caller.gc()
            return reference == nil ? 0 : 1
        }
        let instance = try linker.instantiate(store, try Self.module(engine, strategy, """
            (module
              (import "host" "make" (func $make (result externref)))
              (import "host" "collect" (func $collect (param externref) (result i32)))
              (table $keep (export "keep") 1 externref)
              (func $pass (param externref i64 i64 i64 i64 i64 i64 i64 i64) (result i32)
                (return_call $collect (ref.null extern)))
              (func (export "run") (result i32) (local $mine externref)
                (local.set $mine (call $make))
                (call $pass (ref.null extern) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
                  (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0))
                (table.set $keep (i32.const 0) (local.get $mine))
                (i32.eqz (ref.is_null (local.get $mine)))
                (i32.add)))
            """))
        #expect(try instance.getFunc(store, "run")!.call(store, []).first?.i32 == 1)
        guard case .table(let table)? = instance.getExport("keep"), case .externRef(let kept?)? = table.get(store, 0) else {
            Issue.record("the reference did not survive")
            return
        }
        #expect(kept.data as? String == "payload")
    }
}
