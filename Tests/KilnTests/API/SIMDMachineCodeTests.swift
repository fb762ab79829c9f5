import Testing
@testable import Kiln
import KilnWAST

/// v128 values in machine code: through calls (register- and stack-passed arguments,
/// multi-value results, `call_indirect`, `return_call`), host functions, globals,
/// exceptions, spills under register pressure, loops, and collections while v128 values
/// share the frame with extern references; WAST scripts for the vectors the host passes and
/// gets back. Every test runs on both engines and expects the same results; under the JIT
/// every module is machine code.
@Suite struct SIMDMachineCodeTests {
    static let strategies: [Config.Strategy] = [.jit, .interpreter]

    static let program = """
        (module
          (type $pick (func (param v128 v128) (result v128)))
          (table 2 funcref)
          (elem (i32.const 0) $first $second)
          (global $g (mut v128) (v128.const i32x4 1 2 3 4))
          (tag $t (param i32 v128 f64))
          (func $first (type $pick) (local.get 0))
          (func $second (type $pick) (local.get 1))
          ;; Ten v128 arguments: eight in registers, two on the stack.
          (func $ten (param v128 v128 v128 v128 v128 v128 v128 v128 v128 v128) (result v128)
            (i32x4.add (i32x4.add (i32x4.add (local.get 0) (local.get 1)) (i32x4.add (local.get 2) (local.get 3)))
              (i32x4.add (i32x4.add (i32x4.add (local.get 4) (local.get 5)) (i32x4.add (local.get 6) (local.get 7)))
                (i32x4.sub (local.get 8) (local.get 9)))))
          (func (export "ten") (param i32) (result i32)
            (i32x4.extract_lane 3 (call $ten
              (i32x4.splat (local.get 0)) (i32x4.splat (i32.const 1)) (i32x4.splat (i32.const 2)) (i32x4.splat (i32.const 3))
              (i32x4.splat (i32.const 4)) (i32x4.splat (i32.const 5)) (i32x4.splat (i32.const 6)) (i32x4.splat (i32.const 7))
              (v128.const i32x4 100 200 300 400) (i32x4.splat (i32.const 1)))))
          ;; Mixed scalars and vectors, results in a results area.
          (func $multi (param i32 v128 f64 v128) (result v128 i32 v128 f64)
            (local.get 3) (local.get 0) (local.get 1) (local.get 2))
          (func (export "multi") (param i32) (result i64)
            (local $a v128) (local $b v128) (local $n i32) (local $d f64)
            (call $multi (local.get 0) (v128.const i64x2 11 12) (f64.const 2.5) (v128.const i64x2 21 22))
            (local.set $d) (local.set $b) (local.set $n) (local.set $a)
            (i64.add (i64.add (i64x2.extract_lane 1 (local.get $a)) (i64x2.extract_lane 0 (local.get $b)))
              (i64.add (i64.extend_i32_u (local.get $n)) (i64.trunc_f64_s (local.get $d)))))
          (func (export "indirect") (param i32) (result i32)
            (i32x4.extract_lane 0 (call_indirect (type $pick) (i32x4.splat (i32.const 5)) (i32x4.splat (i32.const 9)) (local.get 0))))
          (func $tail (param i32 v128 v128 v128 v128 v128 v128 v128 v128 v128) (result v128)
            (if (result v128) (local.get 0)
              (then (return_call $tail (i32.sub (local.get 0) (i32.const 1)) (i32x4.add (local.get 1) (local.get 9))
                      (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6) (local.get 7) (local.get 8) (local.get 9)))
              (else (local.get 1))))
          (func (export "tail") (param i32) (result i32)
            (i32x4.extract_lane 2 (call $tail (local.get 0) (v128.const i32x4 0 0 0 0)
              (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)
              (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 1 2 3 4))))
          (func (export "global") (param i32) (result i32)
            (global.set $g (i32x4.add (global.get $g) (i32x4.splat (local.get 0))))
            (i32x4.extract_lane 1 (global.get $g)))
          ;; Twenty live vectors: more than the allocatable registers.
          (func (export "pressure") (param i32) (result i32)
            (local $v v128)
            (local.set $v (i32x4.splat (local.get 0)))
            (local.get $v)
            (i32x4.splat (i32.const 1)) (i32x4.splat (i32.const 2)) (i32x4.splat (i32.const 3)) (i32x4.splat (i32.const 4)) (i32x4.splat (i32.const 5)) (i32x4.splat (i32.const 6))
            (i32x4.splat (i32.const 7)) (i32x4.splat (i32.const 8)) (i32x4.splat (i32.const 9)) (i32x4.splat (i32.const 10)) (i32x4.splat (i32.const 11)) (i32x4.splat (i32.const 12))
            (i32x4.splat (i32.const 13)) (i32x4.splat (i32.const 14)) (i32x4.splat (i32.const 15)) (i32x4.splat (i32.const 16)) (i32x4.splat (i32.const 17)) (i32x4.splat (i32.const 18))
            (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add) (i32x4.add)
            (i32x4.add (local.get $v)) (i32x4.add (local.get $v))
            (i32x4.extract_lane 0))
          ;; A loop carrying two vectors in locals.
          (func (export "loop") (param $n i32) (result i64)
            (local $acc v128) (local $step v128)
            (local.set $step (v128.const i64x2 1 3))
            (loop $l
              (local.set $acc (i64x2.add (local.get $acc) (local.get $step)))
              (local.set $step (i64x2.add (local.get $step) (v128.const i64x2 1 1)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (i64.add (i64x2.extract_lane 0 (local.get $acc)) (i64x2.extract_lane 1 (local.get $acc))))
          ;; A v128 in an exception's payload, thrown and caught across frames.
          (func $thrower (param i32)
            (throw $t (local.get 0) (i32x4.splat (local.get 0)) (f64.const 0.5)))
          (func (export "catch") (param i32) (result i32)
            (local $x i32)
            (block $h (result i32 v128 f64)
              (try_table (catch $t $h) (call $thrower (local.get 0)))
              (return (i32.const -1)))
            (drop)
            (i32x4.extract_lane 3)
            (i32.add))
          ;; select of vectors.
          (func (export "select") (param i32) (result i32)
            (i32x4.extract_lane 0 (select (result v128) (i32x4.splat (i32.const 10)) (i32x4.splat (i32.const 20)) (local.get 0))))
        )
        """

    static func instantiate(_ strategy: Config.Strategy) throws -> (Store<Void>, Instance, Module) {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let module = try Module(engine, wat: program)
        return (store, try Instance(store, module, imports: []), module)
    }

    @Test(arguments: strategies) func vectorsCrossCallsAndFrames(_ strategy: Config.Strategy) throws {
        let (store, instance, module) = try Self.instantiate(strategy)
        if strategy == .jit && JITCompiler.isSupported {
            #expect(module.isCompiledToMachineCode)
        }
        func call(_ name: String, _ argument: Int32) throws -> Val? {
            try instance.getFunc(store, name)!.call(store, [.i32(argument)]).first
        }
        // 10 + 1+2+...+7 + (400 - 1)
        #expect(try call("ten", 10)?.i32 == 10 + 28 + 399)
        #expect(try call("multi", 3)?.i64 == 22 + 11 + 3 + 2)
        #expect(try call("indirect", 0)?.i32 == 5)
        #expect(try call("indirect", 1)?.i32 == 9)
        #expect(try call("tail", 5)?.i32 == 15)
        #expect(try call("global", 10)?.i32 == 12)
        #expect(try call("global", 10)?.i32 == 22)
        #expect(try call("pressure", 1)?.i32 == 3 * 1 + 171)
        // acc = sum over k < n of (1 + k, 3 + k)
        #expect(try call("loop", 10)?.i64 == 10 + 45 + 30 + 45)
        #expect(try call("catch", 7)?.i32 == 14)
        #expect(try call("select", 1)?.i32 == 10)
        #expect(try call("select", 0)?.i32 == 20)
    }

    /// Vectors the host sees: arguments and results of exported functions (several v128
    /// results come back through a results area), with scalars interleaved so that the
    /// stack-passed ones sit between vectors.
    static let scripts: [(String, String)] = [
        ("calls", #"""
(module
  (func $many (param v128 v128 v128 v128 v128 v128 v128 v128 i32 v128 f64 v128 i64 v128) (result v128)
    (i32x4.add (local.get 0)
      (i32x4.add (local.get 7)
        (i32x4.add (local.get 9)
          (i32x4.add (local.get 11)
            (i32x4.add (local.get 13) (i32x4.splat (local.get 8))))))))
  (func (export "many") (param v128 v128 v128 v128 v128 v128 v128 v128 i32 v128 f64 v128 i64 v128) (result v128)
    (call $many (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)
      (local.get 7) (local.get 8) (local.get 9) (local.get 10) (local.get 11) (local.get 12) (local.get 13)))
  (func $multi (param v128 i32 v128) (result v128 i32 v128 f64)
    (local.get 2) (local.get 1) (local.get 0) (f64.const 2.5))
  (func (export "multi") (param v128 i32 v128) (result v128 i32 v128 f64)
    (call $multi (local.get 0) (local.get 1) (local.get 2)))
  (table 1 funcref) (elem (i32.const 0) $multi)
  (type $t (func (param v128 i32 v128) (result v128 i32 v128 f64)))
  (func (export "indirect") (param v128 i32 v128) (result v128 i32 v128 f64)
    (call_indirect (type $t) (local.get 0) (local.get 1) (local.get 2) (i32.const 0)))
)
(assert_return (invoke "many"
  (v128.const i32x4 1 2 3 4) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)
  (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 10 20 30 40)
  (i32.const 1000) (v128.const i32x4 100 200 300 400) (f64.const 1) (v128.const i32x4 5 6 7 8) (i64.const 3)
  (v128.const i32x4 -1 -1 -1 -1))
  (v128.const i32x4 1115 1227 1339 1451))
(assert_return (invoke "multi" (v128.const i64x2 1 2) (i32.const 7) (v128.const i64x2 3 4))
  (v128.const i64x2 3 4) (i32.const 7) (v128.const i64x2 1 2) (f64.const 2.5))
(assert_return (invoke "indirect" (v128.const i64x2 1 2) (i32.const 7) (v128.const i64x2 3 4))
  (v128.const i64x2 3 4) (i32.const 7) (v128.const i64x2 1 2) (f64.const 2.5))
"""#),
        ("tail calls", #"""
(module
  (func $sum (param v128 v128 v128 v128 v128 v128 v128 v128 v128 i32 v128) (result v128)
    (i32x4.add (local.get 0) (i32x4.add (local.get 8) (i32x4.add (local.get 10) (i32x4.splat (local.get 9))))))
  (func $hop (param v128 v128 v128 v128 v128 v128 v128 v128 v128 i32 v128) (result v128)
    (return_call $sum (local.get 10) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)
      (local.get 6) (local.get 7) (local.get 8) (local.get 9) (local.get 0)))
  (func (export "tail") (param v128 v128 i32) (result v128)
    (return_call $hop (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0)
      (local.get 0) (local.get 0) (local.get 1) (local.get 2) (local.get 1)))
)
(assert_return (invoke "tail" (v128.const i32x4 1 2 3 4) (v128.const i32x4 10 20 30 40) (i32.const 100))
  (v128.const i32x4 121 142 163 184))
"""#),
        ("exceptions", #"""
(module
  (tag $e (param v128 i32 v128))
  (func $thrower (param v128 v128) (throw $e (local.get 0) (i32.const 9) (local.get 1)))
  (func (export "catch") (param v128 v128) (result v128 i32 v128)
    (block $h (result v128 i32 v128)
      (try_table (catch $e $h) (call $thrower (local.get 0) (local.get 1)))
      (v128.const i64x2 0 0) (i32.const 0) (v128.const i64x2 0 0)))
)
(assert_return (invoke "catch" (v128.const i64x2 1 2) (v128.const i64x2 3 4))
  (v128.const i64x2 1 2) (i32.const 9) (v128.const i64x2 3 4))
"""#),
    ]

    @Test(arguments: strategies) func scriptsAgree(_ strategy: Config.Strategy) throws {
        for (name, source) in Self.scripts {
            let runner = WASTRunner(engine: try Engine(Config(strategy: strategy)))
            let result = runner.run(source: source, name: name)
            #expect(result.tally.failed == 0, "\(name): \(result.failures.prefix(20).joined(separator: "\n"))")
            #expect(result.tally.passed > 0)
            if strategy == .jit {
                #expect(result.interpretedModules.isEmpty, "\(name): \(result.interpretedModules)")
            }
        }
    }

    /// Both ISAs have a lowering for every SIMD operation (a missing one would make the
    /// compile fail with an error).
    @Test func everySIMDOperationIsCompiledOnBothISAs() {
        #expect(SIMDOp.allCases.filter { !X64MacroAssembler.supportsSIMD($0) } == [])
        #expect(SIMDOp.allCases.filter { !AArch64MacroAssembler.supportsSIMD($0) } == [])
    }

    /// Host functions with v128 parameters and results, called from machine code.
    @Test(arguments: strategies) func hostFunctionsTakeAndReturnVectors(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "swap") { (a: V128, n: Int32, b: V128) -> V128 in
            V128(lo: b.hi &+ UInt64(n), hi: a.lo)
        }
        let module = try Module(engine, wat: """
            (module (import "host" "swap" (func $swap (param v128 i32 v128) (result v128)))
              (func (export "run") (param v128 v128) (result v128)
                (call $swap (local.get 0) (i32.const 5) (local.get 1))))
            """)
        let run = try linker.instantiate(store, module).getTypedFunc(store, "run", (V128, V128).self, V128.self)
        let result = try run.call(store, V128(lo: 1, hi: 2), V128(lo: 3, hi: 4))
        #expect(result == V128(lo: 9, hi: 1))
    }

    /// A host function with v128 in its type (reached through the per-signature adapter,
    /// libffi having no vector type) that throws: a wasm exception lands in the wasm
    /// handler below it, a Swift error becomes a trap; the store works on afterwards.
    @Test(arguments: strategies) func vectorHostFunctionsThrow(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let tag = try Tag(store, type: FuncType(params: [.i32]))
        struct Refused: Error {}
        let linker = Linker<Void>(engine)
        try linker.define("host", "e", .tag(tag))
        try linker.funcNew("host", "check", type: FuncType(params: [.v128, .i32], results: [.v128])) { caller, params, results in
            guard case .v128(let v) = params[0], case .i32(let mode) = params[1] else { return }
            if mode == 1 { throw WasmException(try Exception(caller, tag: tag, values: [.i32(Int32(truncatingIfNeeded: v.lo))])) }
            if mode == 2 { throw Refused() }
            results[0] = .v128(V128(lo: v.hi, hi: v.lo))
        }
        let module = try Module(engine, wat: """
            (module
              (import "host" "e" (tag $e (param i32)))
              (import "host" "check" (func $check (param v128 i32) (result v128)))
              (func (export "run") (param i32) (result i32)
                (block $caught (result i32)
                  (try_table (catch $e $caught)
                    (return (i32x4.extract_lane 2 (call $check (v128.const i32x4 7 0 9 0) (local.get 0)))))
                  (unreachable))))
            """)
        let run = try linker.instantiate(store, module).getTypedFunc(store, "run", Int32.self, Int32.self)
        #expect(try run.call(store, 0) == 7)
        #expect(try run.call(store, 1) == 7)
        let trap = #expect(throws: Trap.self) { try run.call(store, 2) }
        #expect(trap?.hostError is Refused)
        #expect(try run.call(store, 0) == 7)
    }

    /// A collection while machine code holds extern references in 16-byte frame slots
    /// beside v128 values: the stack maps find them.
    @Test(arguments: strategies) func referencesSurviveCollectionsInVectorFrames(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "collect") { (caller: Caller<Void>) in caller.gc() }
        let module = try Module(engine, wat: """
            (module (import "host" "collect" (func $collect))
              (func (export "keep") (param externref v128) (result externref i32)
                (local $v v128)
                (local.set $v (i32x4.add (local.get 1) (local.get 1)))
                (call $collect)
                (local.get 0)
                (i32x4.extract_lane 1 (local.get $v))))
            """)
        let keep = try linker.instantiate(store, module).getFunc(store, "keep")!
        let token = ExternRef("kept")
        let results = try keep.call(store, [.externRef(token), .v128(V128(lo: 0x0000_0007_0000_0000, hi: 0))])
        #expect(results[1].i32 == 14)
        if case .externRef(let back) = results[0] { #expect(back?.ptrEq(token) == true) } else { Issue.record("no externref") }
    }
}
