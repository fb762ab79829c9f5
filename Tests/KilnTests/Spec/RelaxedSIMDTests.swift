import Foundation
import Testing
@testable import Kiln
import KilnWAST

/// Relaxed SIMD (WebAssembly 3.0): the spec scripts under both engines, and the one result
/// Kiln picks where the specification allows several (its deterministic profile, see
/// `SIMDSemantics`), which the scripts' `either` alternatives cannot pin down.
@Suite struct RelaxedSIMDTests {
    static let strategies: [Config.Strategy] = [.interpreter, .jit]

    /// `wasm-testsuite-3.0` beside the 2.0 suite (`$KILN_TESTSUITE` or `../shared/wasm-testsuite`).
    static let directory: String? = {
        guard let suite = SpecSuite.directory else { return nil }
        let candidate = URL(fileURLWithPath: suite).deletingLastPathComponent()
            .appendingPathComponent("wasm-testsuite-3.0").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }()

    static let scripts = [
        "i8x16_relaxed_swizzle.wast", "i16x8_relaxed_q15mulr_s.wast", "i32x4_relaxed_trunc.wast",
        "relaxed_dot_product.wast", "relaxed_laneselect.wast", "relaxed_madd_nmadd.wast", "relaxed_min_max.wast",
    ]

    @Test(arguments: scripts, strategies)
    func specScript(_ name: String, _ strategy: Config.Strategy) throws {
        guard let directory = Self.directory else {
            #expect(!SpecSuite.isRequired, "the 3.0 spec suite is missing: check out ../shared/wasm-testsuite-3.0")
            return
        }
        let runner = WASTRunner(engine: try Engine(Config(strategy: strategy)))
        let result = runner.run(path: directory + "/" + name)
        #expect(result.tally.failed == 0, "\(result.failures.prefix(20).joined(separator: "\n"))")
        #expect(result.tally.skipped == 0)
        #expect(result.tally.passed > 0)
    }

    /// Each case is a relaxed instruction on constant operands and the `v128.const` Kiln must
    /// give for it; each expectation is one the specification allows.
    static let cases: [(name: String, got: String, want: String)] = [
        // Index 16...127 gives 0 like `i8x16.swizzle` (the other choice: byte `index % 16`).
        ("swizzle", "(i8x16.relaxed_swizzle (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16) (v128.const i8x16 0 15 16 17 31 127 128 255 1 1 1 1 1 1 1 1))",
         "(v128.const i8x16 1 16 0 0 0 0 0 0 2 2 2 2 2 2 2 2)"),
        // NaN -> 0 and saturation like `trunc_sat` (not INT32_MIN or UINT32_MAX for NaN).
        ("trunc_s", "(i32x4.relaxed_trunc_f32x4_s (v128.const f32x4 nan -inf 3e9 -2.5))",
         "(v128.const i32x4 0 0x80000000 0x7fffffff -2)"),
        ("trunc_u", "(i32x4.relaxed_trunc_f32x4_u (v128.const f32x4 nan -1 5e9 2.5))",
         "(v128.const i32x4 0 0 0xffffffff 2)"),
        ("trunc_s_zero", "(i32x4.relaxed_trunc_f64x2_s_zero (v128.const f64x2 nan -1e10))",
         "(v128.const i32x4 0 0x80000000 0 0)"),
        ("trunc_u_zero", "(i32x4.relaxed_trunc_f64x2_u_zero (v128.const f64x2 -nan 1e10))",
         "(v128.const i32x4 0 0xffffffff 0 0)"),
        // Unfused: x * y rounds to -z exactly, so the sum is 0 (fused would give 0x1p-37).
        ("madd_f32", "(f32x4.relaxed_madd (v128.const f32x4 0x1.000004p+0 0x1.000004p+0 1 2) (v128.const f32x4 0x1.0002p+0 0x1.0002p+0 2 3) (v128.const f32x4 -0x1.000204p+0 -0x1.000204p+0 1 1))",
         "(v128.const f32x4 0 0 3 7)"),
        ("nmadd_f32", "(f32x4.relaxed_nmadd (v128.const f32x4 0x1.000004p+0 0x1.000004p+0 1 2) (v128.const f32x4 0x1.0002p+0 0x1.0002p+0 2 3) (v128.const f32x4 0x1.000204p+0 0x1.000204p+0 1 1))",
         "(v128.const f32x4 0 0 -1 -5)"),
        // The product's sign is negated on zeros too: -(+0 * 1) + -0 is -0, not +0.
        ("nmadd_zero_f32", "(f32x4.relaxed_nmadd (v128.const f32x4 0 -0 0 1) (v128.const f32x4 1 1 -1 0) (v128.const f32x4 -0 -0 -0 -0))",
         "(v128.const f32x4 -0 0 0 -0)"),
        ("nmadd_zero_f64", "(f64x2.relaxed_nmadd (v128.const f64x2 0 -0) (v128.const f64x2 1 1) (v128.const f64x2 -0 -0))",
         "(v128.const f64x2 -0 0)"),
        // 2 * DBL_MAX overflows to inf before the add (fused would give DBL_MAX).
        ("madd_f64", "(f64x2.relaxed_madd (v128.const f64x2 0x1.fffffffffffffp+1023 3) (v128.const f64x2 2 4) (v128.const f64x2 -0x1.fffffffffffffp+1023 5))",
         "(v128.const f64x2 inf 17)"),
        ("nmadd_f64", "(f64x2.relaxed_nmadd (v128.const f64x2 0x1.fffffffffffffp+1023 3) (v128.const f64x2 2 4) (v128.const f64x2 0x1.fffffffffffffp+1023 5))",
         "(v128.const f64x2 -inf -7)"),
        // The mask is used bit by bit, whatever the lane width (not each lane's top bit).
        ("laneselect_i8", "(i8x16.relaxed_laneselect (v128.const i64x2 -1 -1) (v128.const i64x2 0 0) (v128.const i64x2 0x00ff00f00f80017f 0))",
         "(v128.const i64x2 0x00ff00f00f80017f 0)"),
        ("laneselect_i16", "(i16x8.relaxed_laneselect (v128.const i64x2 -1 -1) (v128.const i64x2 0 0) (v128.const i64x2 0x7fff8000 0))",
         "(v128.const i64x2 0x7fff8000 0)"),
        ("laneselect_i32", "(i32x4.relaxed_laneselect (v128.const i64x2 -1 -1) (v128.const i64x2 0 0) (v128.const i64x2 0x80000000_00000001 0))",
         "(v128.const i64x2 0x80000000_00000001 0)"),
        ("laneselect_i64", "(i64x2.relaxed_laneselect (v128.const i64x2 0x1234 -1) (v128.const i64x2 0xff00 0) (v128.const i64x2 0xf0f0 0x8000000000000000))",
         "(v128.const i64x2 0x1f30 0x8000000000000000)"),
        // NaN propagates and -0 < +0, like `min`/`max`.
        ("min_f32", "(f32x4.relaxed_min (v128.const f32x4 nan 1 -0 0) (v128.const f32x4 1 nan 0 -0))",
         "(v128.const f32x4 nan nan -0 -0)"),
        ("max_f32", "(f32x4.relaxed_max (v128.const f32x4 nan 1 -0 0) (v128.const f32x4 1 nan 0 -0))",
         "(v128.const f32x4 nan nan 0 0)"),
        ("min_f64", "(f64x2.relaxed_min (v128.const f64x2 0 nan) (v128.const f64x2 -0 1))",
         "(v128.const f64x2 -0 nan)"),
        ("max_f64", "(f64x2.relaxed_max (v128.const f64x2 -0 1) (v128.const f64x2 0 nan))",
         "(v128.const f64x2 0 nan)"),
        // -32768 * -32768 saturates to 32767, like `q15mulr_sat_s`.
        ("q15mulr", "(i16x8.relaxed_q15mulr_s (v128.const i16x8 -32768 -32768 16384 -1 0 0 0 0) (v128.const i16x8 -32768 32767 16384 1 0 0 0 0))",
         "(v128.const i16x8 32767 -32767 8192 0 0 0 0 0)"),
        // The second operand's bytes are signed; the i16 pair sum saturates (-128 * -128 * 2 = 32768).
        ("dot", "(i16x8.relaxed_dot_i8x16_i7x16_s (v128.const i8x16 -128 -128 -128 -128 127 127 3 4 0 0 0 0 0 0 0 0) (v128.const i8x16 -128 -128 -127 -127 -128 -128 -5 6 0 0 0 0 0 0 0 0))",
         "(v128.const i16x8 32767 32512 -32512 9 0 0 0 0)"),
        // The saturated i16 sums are added in pairs into i32 lanes, then the accumulator (wrapping).
        ("dot_add", "(i32x4.relaxed_dot_i8x16_i7x16_add_s (v128.const i8x16 -128 -128 -128 -128 -128 -128 -128 -128 1 2 3 4 1 0 0 0) (v128.const i8x16 -128 -128 -128 -128 -128 -128 -127 -127 1 2 3 4 1 0 0 0) (v128.const i32x4 1 2 3 0x7fffffff))",
         "(v128.const i32x4 65535 65281 33 0x80000000)"),
    ]

    @Test(arguments: strategies)
    func deterministicChoices(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        let functions = Self.cases.map { c in
            "(func (export \"\(c.name)\") (result v128) \(c.got))\n(func (export \"\(c.name)_want\") (result v128) \(c.want))"
        }
        let module = try Module(engine, wat: "(module\n" + functions.joined(separator: "\n") + ")")
        let store = Store(engine)
        let instance = try Linker<Void>(engine).instantiate(store, module)
        for c in Self.cases {
            let got = try instance.getTypedFunc(store, c.name, Void.self, V128.self).call(store)
            let want = try instance.getTypedFunc(store, c.name + "_want", Void.self, V128.self).call(store)
            #expect(got == want, "\(c.name): got \(got), want \(want)")
        }
    }

    /// The relaxed sub-opcodes are LEB128 `u32`s past one byte: `0xFD 0x80 0x02` is 0x100.
    @Test func binaryEncoding() throws {
        let engine = try Engine(Config(strategy: .interpreter))
        func body(_ code: [UInt8]) -> [UInt8] {
            let v128: [UInt8] = [0xFD, 0x0C] + [UInt8](repeating: 0, count: 16)
            return WasmBytes.module(
                WasmBytes.section(1, WasmBytes.vector([[0x60, 0x00, 0x01, 0x7B]])), WasmBytes.section(3, [0x01, 0x00]),
                WasmBytes.section(10, WasmBytes.vector([WasmBytes.body(v128 + v128 + v128 + code)])))
        }
        func rejection(_ bytes: [UInt8]) -> String? {
            do {
                _ = try Module(engine, binary: bytes)
                return nil
            } catch let error as WasmError {
                return error.message
            } catch {
                return "unexpected error \(error)"
            }
        }
        // i32x4.relaxed_dot_i8x16_i7x16_add_s (0x113) takes three vectors; the madd 0x105 too.
        #expect(rejection(body([0xFD, 0x93, 0x02])) == nil)
        #expect(rejection(body([0xFD, 0x85, 0x02])) == nil)
        // Two vectors left over: a binary relaxed op (0x10D, f32x4.relaxed_min) leaves one extra.
        #expect(rejection(body([0xFD, 0x8D, 0x02]))?.contains("type mismatch") == true)
        // 0x114 and a sub-opcode past 16 bits are not instructions.
        #expect(rejection(body([0xFD, 0x94, 0x02]))?.contains("illegal opcode") == true)
        #expect(rejection(body([0xFD, 0x80, 0x82, 0x04]))?.contains("illegal opcode") == true)
    }
}
