import Testing
@testable import Kiln
import KilnWAST

/// v128 values through the machine code's glue and frames: stack-passed v128 parameters
/// (past the eight float argument registers), several v128 results (results area), calls
/// direct, indirect and tail, globals, select, loops, and exception payloads. Under the JIT no
/// module may be left to the interpreter.
@Suite struct V128GlueTests {
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
  (global $g (mut v128) (v128.const i64x2 1 2))
  (func (export "glob") (param v128) (result v128)
    (global.get $g) (global.set $g (local.get 0)))
  (func (export "sel") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "loop") (param v128 i32) (result v128) (local v128)
    (local.set 2 (v128.const i32x4 0 0 0 0))
    (block (loop
      (br_if 1 (i32.eqz (local.get 1)))
      (local.set 2 (i32x4.add (local.get 2) (local.get 0)))
      (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
      (br 0)))
    (local.get 2))
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
(assert_return (invoke "glob" (v128.const i64x2 5 6)) (v128.const i64x2 1 2))
(assert_return (invoke "glob" (v128.const i64x2 7 8)) (v128.const i64x2 5 6))
(assert_return (invoke "sel" (v128.const i64x2 1 2) (v128.const i64x2 3 4) (i32.const 1)) (v128.const i64x2 1 2))
(assert_return (invoke "sel" (v128.const i64x2 1 2) (v128.const i64x2 3 4) (i32.const 0)) (v128.const i64x2 3 4))
(assert_return (invoke "loop" (v128.const i32x4 1 2 3 -4) (i32.const 5)) (v128.const i32x4 5 10 15 -20))
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

    @Test(arguments: [Config.Strategy.interpreter, .jit])
    func scripts(_ strategy: Config.Strategy) throws {
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
}
