import Testing
@testable import Kiln

/// Typing rules of function bodies and modules, written in the text format.
/// The rules of WebAssembly 2.0 (`WasmFeatures.webAssembly2`): 3.0 gave meaning to some of
/// what they reject (several memories, memory indices, wider limits flags); its rules are
/// checked by `WebAssembly3Tests` and the 3.0 spec suite (`Spec3Tests`).
@Suite struct FunctionValidatorTests {
    let engine: Engine = {
        var config = Config(strategy: .interpreter)
        config.features = .webAssembly2
        return try! Engine(config)
    }()

    /// Validates `wat` and returns the rejection message, or nil if the module is valid.
    func check(_ wat: String) -> String? {
        do {
            _ = try Module(engine, wat: wat)
            return nil
        } catch let error as WasmError {
            return error.message
        } catch {
            return "text: \(error)"
        }
    }

    @Test func operandTypes() {
        #expect(check("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))") == nil)
        #expect(check("(module (func (result i32) (i32.add (i32.const 1) (i64.const 2))))") == "type mismatch")
        #expect(check("(module (func (result i32) (i32.const 1) (i32.const 2)))") == "type mismatch")
        #expect(check("(module (func (i32.eqz (nop))))") == "type mismatch")
    }

    @Test func unreachableMakesTheStackPolymorphic() {
        #expect(check("(module (func (result i32) (unreachable) (i32.add)))") == nil)
        #expect(check("(module (func (result i64) (return (i64.const 1)) (i32.eqz)))") == "type mismatch")
        #expect(check("(module (func (result f64) (block (result f64) (block (result f32) (unreachable) (br_table 0 1 1 (i32.const 1)))) ))")
            == "type mismatch")
        #expect(check("""
            (module (func (block (result f64) (block (result f32) (unreachable) (br_table 0 1 1 (i32.const 1))) (drop) (f64.const 0)) (drop)))
            """) == nil)
    }

    @Test func brTableArity() {
        #expect(check("(module (func (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0))) (i32.const 1))) (drop))")
            != nil)
        #expect(check("(module (func (result i32) (block (result i32) (br_table 0 0 (i32.const 7) (i32.const 0)))))") == nil)
    }

    @Test func multiValueBlocks() {
        #expect(check("""
            (module (func (result i32 i64) (block (param i32) (result i32 i64) (i64.const 2)) )
                    (func (result i32 i64) (i32.const 1) (block (param i32) (result i32 i64) (i64.const 2))))
            """) == "type mismatch")
        #expect(check("(module (func (result i32 i64) (i32.const 1) (block (param i32) (result i32 i64) (i64.const 2))))") == nil)
        #expect(check("(module (func (param i32) (result i32) (local.get 0) (if (param i32) (result i32) (i32.const 1) (then))))") == nil)
        #expect(check("(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)))))") == "type mismatch")
    }

    @Test func labelsLocalsGlobals() {
        #expect(check("(module (func (br 1)))") == "unknown label")
        // The text parser resolves local names itself, so the binary shows the rule.
        let bytes = WasmBytes.module(WasmBytes.basicTypes, WasmBytes.section(3, [0x01, 0x00]),
                                     WasmBytes.section(10, WasmBytes.vector([WasmBytes.body([0x20, 0x00, 0x1A])])))
        #expect(throws: WasmError(.invalid, "unknown local 0", offset: 0x1C)) { try Module(engine, bytes: bytes) }
        #expect(check("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))") == "global is immutable")
        #expect(check("(module (global (mut i32) (i32.const 0)) (func (global.set 0 (i32.const 1))))") == nil)
    }

    @Test func memoryRules() {
        #expect(check("(module (func (drop (i32.load (i32.const 0)))))") == "unknown memory 0")
        #expect(check("(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))") == "alignment must not be larger than natural")
        #expect(check("(module (memory 1) (func (drop (i32.load8_u align=1 (i32.const 0)))))") == nil)
        #expect(check("(module (memory 65537))") == "memory size must be at most 65536 pages (4GiB)")
        #expect(check("(module (memory 2 1))") == "size minimum must not be greater than maximum")
    }

    @Test func referenceTypes() {
        #expect(check("(module (func (result funcref) (ref.func 0)))") == "undeclared function reference")
        #expect(check("(module (func (export \"f\") (result funcref) (ref.func 0)))") == nil)
        #expect(check("(module (func (select (ref.null func) (ref.null func) (i32.const 1)) (drop)))") == "type mismatch")
        #expect(check("(module (func (select (result funcref) (ref.null func) (ref.null func) (i32.const 1)) (drop)))") == nil)
        #expect(check("(module (table 1 externref) (func (call_indirect (i32.const 0))))") == "type mismatch")
        #expect(check("(module (table 1 funcref) (elem (i32.const 0) func 0) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))")
            == nil)
    }

    @Test func constantExpressions() {
        #expect(check("(module (global i32 (i32.add (i32.const 1) (i32.const 2))))") == "constant expression required")
        #expect(check("(module (global i32 (i64.const 1)))") == "type mismatch")
        #expect(check("(module (global $g (mut i32) (i32.const 1)) (global i32 (global.get $g)))")?.hasPrefix("unknown global") == true)
        #expect(check("(module (import \"m\" \"g\" (global i32)) (global i32 (global.get 0)))") == nil)
    }

    @Test func moduleLevelRules() {
        #expect(check("(module (func (export \"a\")) (func (export \"a\")))")?.hasPrefix("duplicate export name") == true)
        #expect(check("(module (func $s (param i32)) (start $s))")?.hasPrefix("start function") == true)
        #expect(check("(module (memory 1) (memory 1))") == "multiple memories")
        #expect(check("(module (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))) (memory 1))") != nil)
    }

    @Test func simd() {
        #expect(check("(module (func (result i32) (i8x16.extract_lane_s 15 (v128.const i64x2 0 0))))") == nil)
        #expect(check("(module (func (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i64x2 0 0) (v128.const i64x2 0 0))))") == nil)
        #expect(check("(module (func (result v128) (i32x4.add (v128.const i64x2 0 0) (i32.const 0))))") == "type mismatch")
        #expect(check("(module (func (result v128) (i64x2.shl (v128.const i64x2 0 0) (i32.const 1))))") == nil)
    }

    @Test func typedSelectArityIsCheckedInText() {
        #expect(check("(module (func (select (result) (nop) (nop) (i32.const 1))))") == "invalid result arity (typed select at line 1)")
    }
}
