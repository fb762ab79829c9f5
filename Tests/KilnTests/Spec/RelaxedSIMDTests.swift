import Foundation
import Testing
@testable import Kiln
import KilnWAST

/// Relaxed SIMD (WebAssembly 3.0): the spec scripts under both engines with
/// `Config.relaxedSIMDDeterministic` on and off, and the one result Kiln picks where the
/// specification allows several, in each flavor (see `SIMDSemantics`), which the scripts'
/// `either` alternatives cannot pin down.
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

    @Test(arguments: scripts, [(Config.Strategy.interpreter, false), (.interpreter, true), (.jit, false), (.jit, true)])
    func specScript(_ name: String, _ setting: (strategy: Config.Strategy, deterministic: Bool)) throws {
        guard let directory = Self.directory else {
            #expect(!SpecSuite.isRequired, "the 3.0 spec suite is missing: check out ../shared/wasm-testsuite-3.0")
            return
        }
        var config = Config(strategy: setting.strategy)
        config.relaxedSIMDDeterministic = setting.deterministic
        let runner = WASTRunner(engine: try Engine(config))
        let result = runner.run(path: directory + "/" + name)
        #expect(result.tally.failed == 0, "\(result.failures.prefix(20).joined(separator: "\n"))")
        #expect(result.tally.skipped == 0)
        #expect(result.tally.passed > 0)
    }

    typealias Case = (name: String, got: String, want: String)

    /// Each case is a relaxed instruction on constant operands and the `v128.const` Kiln must
    /// give for it in the deterministic flavor; each expectation is one the specification allows.
    static let cases: [Case] = [
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

    /// Where the x86-64 flavor differs (`pshufb`, `minps`/`maxps`, `cvttps2dq`/`cvttpd2dq`,
    /// `pmulhrsw`, `pmaddubsw`); the other cases are the deterministic ones.
    static let x86Cases: [Case] = [
        // Top bit set -> 0, else index & 15: 16 selects byte 0, 127 byte 15.
        ("swizzle", "(i8x16.relaxed_swizzle (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16) (v128.const i8x16 0 15 16 17 31 127 128 255 1 1 1 1 1 1 1 1))",
         "(v128.const i8x16 1 16 1 2 16 16 0 0 2 2 2 2 2 2 2 2)"),
        // NaN and out of range -> 0x80000000; in range truncates toward zero.
        ("trunc_s", "(i32x4.relaxed_trunc_f32x4_s (v128.const f32x4 nan -inf 3e9 -2.5))",
         "(v128.const i32x4 0x80000000 0x80000000 0x80000000 -2)"),
        ("trunc_s_edges", "(i32x4.relaxed_trunc_f32x4_s (v128.const f32x4 -nan 2147483520 -2147483648 inf))",
         "(v128.const i32x4 0x80000000 2147483520 -2147483648 0x80000000)"),
        ("trunc_s_zero", "(i32x4.relaxed_trunc_f64x2_s_zero (v128.const f64x2 nan -1e10))",
         "(v128.const i32x4 0x80000000 0x80000000 0 0)"),
        ("trunc_s_zero_edges", "(i32x4.relaxed_trunc_f64x2_s_zero (v128.const f64x2 2147483647.9 -2147483648.9))",
         "(v128.const i32x4 2147483647 -2147483648 0 0)"),
        ("trunc_s_zero_over", "(i32x4.relaxed_trunc_f64x2_s_zero (v128.const f64x2 2147483648 -2147483649))",
         "(v128.const i32x4 0x80000000 0x80000000 0 0)"),
        // a < b ? a : b: the second operand, bit for bit, on NaN and on equal zeros.
        ("min_f32", "(f32x4.relaxed_min (v128.const f32x4 nan 1 -0 0) (v128.const f32x4 1 nan 0 -0))",
         "(v128.const f32x4 1 nan 0 -0)"),
        ("min_f32_payload", "(f32x4.relaxed_min (v128.const f32x4 -nan:0x200000 nan 1 5) (v128.const f32x4 nan:0x1 -nan:0x12345 2 3))",
         "(v128.const f32x4 nan:0x1 -nan:0x12345 1 3)"),
        ("max_f32", "(f32x4.relaxed_max (v128.const f32x4 nan 1 -0 0) (v128.const f32x4 1 nan 0 -0))",
         "(v128.const f32x4 1 nan 0 -0)"),
        ("max_f32_payload", "(f32x4.relaxed_max (v128.const f32x4 nan:0x1 2 1 5) (v128.const f32x4 -nan:0x3 nan:0x7 2 3))",
         "(v128.const f32x4 -nan:0x3 nan:0x7 2 5)"),
        ("min_f64", "(f64x2.relaxed_min (v128.const f64x2 0 nan) (v128.const f64x2 -0 1))",
         "(v128.const f64x2 -0 1)"),
        ("min_f64_order", "(f64x2.relaxed_min (v128.const f64x2 -0 -1) (v128.const f64x2 0 nan:0x5))",
         "(v128.const f64x2 0 nan:0x5)"),
        ("max_f64", "(f64x2.relaxed_max (v128.const f64x2 -0 1) (v128.const f64x2 0 nan))",
         "(v128.const f64x2 0 nan)"),
        ("max_f64_order", "(f64x2.relaxed_max (v128.const f64x2 0 -nan:0x9) (v128.const f64x2 -0 3))",
         "(v128.const f64x2 -0 3)"),
        // -32768 * -32768 wraps to -32768.
        ("q15mulr", "(i16x8.relaxed_q15mulr_s (v128.const i16x8 -32768 -32768 16384 -1 0 0 0 0) (v128.const i16x8 -32768 32767 16384 1 0 0 0 0))",
         "(v128.const i16x8 -32768 -32767 8192 0 0 0 0 0)"),
        // The second operand's bytes are unsigned (0x80 = 128, 0xff = 255); the i16 pair sum saturates.
        ("dot", "(i16x8.relaxed_dot_i8x16_i7x16_s (v128.const i8x16 -128 -128 -128 -128 127 127 3 4 127 127 -1 -1 0 0 0 0) (v128.const i8x16 -128 -128 -127 -127 -128 -128 -5 6 -1 -1 -1 -1 0 0 0 0))",
         "(v128.const i16x8 -32768 -32768 32512 777 32767 -510 0 0)"),
        ("dot_add", "(i32x4.relaxed_dot_i8x16_i7x16_add_s (v128.const i8x16 -128 -128 -128 -128 -128 -128 -128 -128 1 2 3 4 1 0 0 0) (v128.const i8x16 -128 -128 -128 -128 -128 -128 -127 -127 1 2 3 4 1 0 0 0) (v128.const i32x4 1 2 3 0x7fffffff))",
         "(v128.const i32x4 -65535 -65534 33 0x80000000)"),
        ("dot_add_high", "(i32x4.relaxed_dot_i8x16_i7x16_add_s (v128.const i8x16 127 127 127 127 -1 -1 -1 -1 0 0 0 0 0 0 0 0) (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 0 0 0 0 0 0 0 0) (v128.const i32x4 0 0 0 0))",
         "(v128.const i32x4 65534 -1020 0 0)"),
    ]

    /// Where the AArch64 flavor differs: fused multiply-adds (`fmla`, `fmls`), one rounding.
    static let aarch64Cases: [Case] = [
        // x * y + z = 2^-37 exactly, which the unfused form rounds away.
        ("madd_f32", "(f32x4.relaxed_madd (v128.const f32x4 0x1.000004p+0 0x1.000004p+0 1 2) (v128.const f32x4 0x1.0002p+0 0x1.0002p+0 2 3) (v128.const f32x4 -0x1.000204p+0 -0x1.000204p+0 1 1))",
         "(v128.const f32x4 0x1p-37 0x1p-37 3 7)"),
        ("nmadd_f32", "(f32x4.relaxed_nmadd (v128.const f32x4 0x1.000004p+0 0x1.000004p+0 1 2) (v128.const f32x4 0x1.0002p+0 0x1.0002p+0 2 3) (v128.const f32x4 0x1.000204p+0 0x1.000204p+0 1 1))",
         "(v128.const f32x4 -0x1p-37 -0x1p-37 -1 -5)"),
        // 2 * DBL_MAX - DBL_MAX is DBL_MAX without the intermediate rounding to inf.
        ("madd_f64", "(f64x2.relaxed_madd (v128.const f64x2 0x1.fffffffffffffp+1023 3) (v128.const f64x2 2 4) (v128.const f64x2 -0x1.fffffffffffffp+1023 5))",
         "(v128.const f64x2 0x1.fffffffffffffp+1023 17)"),
        ("nmadd_f64", "(f64x2.relaxed_nmadd (v128.const f64x2 0x1.fffffffffffffp+1023 3) (v128.const f64x2 2 4) (v128.const f64x2 0x1.fffffffffffffp+1023 5))",
         "(v128.const f64x2 -0x1.fffffffffffffp+1023 -7)"),
        ("madd_f64_fused", "(f64x2.relaxed_madd (v128.const f64x2 0x1.0000001p+0 -0x1.0000001p+0) (v128.const f64x2 0x1.0000001p+0 0x1.0000001p+0) (v128.const f64x2 -0x1.0000002p+0 0x1.0000002p+0))",
         "(v128.const f64x2 0x1p-56 -0x1p-56)"),
    ]

    /// The cases of `flavor`: the deterministic ones, those of the same name replaced.
    static func cases(_ flavor: RelaxedSIMDFlavor) -> [Case] {
        var own: [Case] = []
        switch flavor {
        case .deterministic: return cases
        case .x86_64: own = x86Cases
        case .aarch64: own = aarch64Cases
        }
        let names = Set(own.map(\.name))
        var all: [Case] = []
        for c in cases where !names.contains(c.name) { all.append(c) }
        all.append(contentsOf: own)
        return all
    }

    static let flavors: [RelaxedSIMDFlavor] = [.deterministic, .x86_64, .aarch64]

    /// Every flavor on the interpreter, on the JIT the deterministic and the host's, each
    /// through `relaxedSIMDDeterministic` where it can (the others through the test knob).
    @Test(arguments: strategies, flavors)
    func choices(_ strategy: Config.Strategy, _ flavor: RelaxedSIMDFlavor) throws {
        var config = Config(strategy: strategy)
        if flavor == .deterministic {
            config.relaxedSIMDDeterministic = true
        } else if flavor == RelaxedSIMDFlavor.host {
            config.relaxedSIMDDeterministic = false
        } else if strategy == .interpreter {
            config.relaxedSIMDFlavorForTesting = flavor
        } else {
            return
        }
        try expectCases(Self.cases(flavor), config)
    }

    /// The default is the host's flavor.
    @Test(arguments: strategies)
    func defaultIsHostFlavor(_ strategy: Config.Strategy) throws {
        #expect(Config().relaxedSIMDDeterministic == false)
        try expectCases(Self.cases(RelaxedSIMDFlavor.host), Config(strategy: strategy))
    }

    /// The flavor reaches the machine code: a module the JIT compiles whole gives the same
    /// as the interpreter of the same flavor on random operands.
    @Test(arguments: [false, true])
    func enginesAgreeOnRandomOperands(_ deterministic: Bool) throws {
        let ops: [(String, Int)] = [
            ("i8x16.relaxed_swizzle", 2), ("i32x4.relaxed_trunc_f32x4_s", 1), ("i32x4.relaxed_trunc_f32x4_u", 1),
            ("i32x4.relaxed_trunc_f64x2_s_zero", 1), ("i32x4.relaxed_trunc_f64x2_u_zero", 1),
            ("f32x4.relaxed_madd", 3), ("f32x4.relaxed_nmadd", 3), ("f64x2.relaxed_madd", 3), ("f64x2.relaxed_nmadd", 3),
            ("i8x16.relaxed_laneselect", 3), ("i16x8.relaxed_laneselect", 3), ("i32x4.relaxed_laneselect", 3),
            ("i64x2.relaxed_laneselect", 3), ("f32x4.relaxed_min", 2), ("f32x4.relaxed_max", 2),
            ("f64x2.relaxed_min", 2), ("f64x2.relaxed_max", 2), ("i16x8.relaxed_q15mulr_s", 2),
            ("i16x8.relaxed_dot_i8x16_i7x16_s", 2), ("i32x4.relaxed_dot_i8x16_i7x16_add_s", 3),
        ]
        var functions = ""
        for (i, (op, arity)) in ops.enumerated() {
            var params = ""
            var gets = ""
            for p in 0..<arity {
                params += " v128"
                gets += " (local.get \(p))"
            }
            functions += "(func (export \"f\(i)\") (param\(params)) (result v128) (\(op)\(gets)))\n"
        }
        let wat = "(module\n" + functions + ")"
        var instances: [(Store<Void>, Instance)] = []
        for strategy in Self.strategies {
            var config = Config(strategy: strategy)
            config.relaxedSIMDDeterministic = deterministic
            let engine = try Engine(config)
            let store = Store(engine)
            instances.append((store, try Linker<Void>(engine).instantiate(store, try Module(engine, wat: wat))))
        }
        // Special values in every lane width, mixed with random bits.
        let specials: [UInt64] = [
            0, 0x8000_0000_8000_0000, 0x7FC0_0000_FFC0_0000, 0x7F80_0001_FF80_0000, 0x7FF8_0000_0000_0000,
            0xFFF0_0000_0000_0001, 0x4F00_0000_CF00_0000, 0x41E0_0000_0000_0000, 0xC1E0_0000_0020_0000,
            0x8000_8000_8000_8000, 0x7F7F_8080_FFFF_0110, 0x3FF0_0000_1000_0001, 0x4F80_0000_BF80_0000,
        ]
        var generator = SystemRandomNumberGenerator()
        func word() -> UInt64 {
            Bool.random(using: &generator) ? specials.randomElement(using: &generator)! : UInt64.random(in: 0...UInt64.max, using: &generator)
        }
        for _ in 0..<200 {
            for (i, (op, arity)) in ops.enumerated() {
                var arguments: [Val] = []
                for _ in 0..<arity { arguments.append(.v128(V128(lo: word(), hi: word()))) }
                var results: [V128] = []
                for (store, instance) in instances {
                    guard case .v128(let result) = try instance.getFunc(store, "f\(i)")!.call(store, arguments).first else {
                        Issue.record("\(op): no v128 result")
                        return
                    }
                    results.append(result)
                }
                // The NaN bits of the multiply-adds, and of min/max in the deterministic flavor,
                // are open (the spec's arithmetic NaNs; the JIT's min/max make them canonical,
                // the interpreter's are the hardware's): any NaN equals any other there. The
                // x86-64 flavor's min/max pass an operand's bits through: compared bit for bit.
                let openNaNs = op.contains("madd") || (deterministic && (op.contains("_min") || op.contains("_max")))
                let nanBits = openNaNs ? (op.hasPrefix("f32") ? 32 : 64) : 0
                #expect(Self.same(results[0], results[1], nanLaneBits: nanBits),
                        "\(op) \(arguments): interpreter \(results[0]), jit \(results[1])")
            }
        }
    }

    /// Bit for bit, except that lanes of `nanLaneBits` (32 or 64; 0 for none) that are NaN
    /// in both match.
    static func same(_ a: V128, _ b: V128, nanLaneBits: Int) -> Bool {
        if a == b { return true }
        func lanes(_ v: V128) -> [UInt64] {
            if nanLaneBits == 64 { return [v.lo, v.hi] }
            return [v.lo & 0xFFFF_FFFF, v.lo >> 32, v.hi & 0xFFFF_FFFF, v.hi >> 32]
        }
        func isNaN(_ x: UInt64) -> Bool {
            nanLaneBits == 64 ? Double(bitPattern: x).isNaN : Float(bitPattern: UInt32(x)).isNaN
        }
        guard nanLaneBits != 0 else { return false }
        for (x, y) in zip(lanes(a), lanes(b)) where x != y && !(isNaN(x) && isNaN(y)) { return false }
        return true
    }

    private func expectCases(_ cases: [Case], _ config: Config) throws {
        let engine = try Engine(config)
        let functions = cases.map { c in
            "(func (export \"\(c.name)\") (result v128) \(c.got))\n(func (export \"\(c.name)_want\") (result v128) \(c.want))"
        }
        let module = try Module(engine, wat: "(module\n" + functions.joined(separator: "\n") + ")")
        let store = Store(engine)
        let instance = try Linker<Void>(engine).instantiate(store, module)
        for c in cases {
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
