import Testing
@testable import Kiln

/// The register state the compiler carries across instructions and control flow: loop heads
/// that load the locals their body uses, block ends that keep what the first edge had in
/// registers, parameters left in their argument registers, results computed into their
/// local's register, comparisons left in the flags, and the rule that every i32 in a
/// register is zero-extended (memory is addressed with the index register itself). Each
/// case runs under the JIT and the interpreter, whose results must agree, with every
/// register and with the allocator cut down to a few (so locals get evicted and reloaded
/// around the merges).
@Suite struct RegisterStateTests {
    static let registerLimits: [Int?] = [nil, 3, 4, 6]

    /// `export(arguments)` under the interpreter, then under the JIT with each register
    /// limit: every run must give the interpreter's results.
    static func expectAgreement(_ wat: String, _ export: String, _ argumentSets: [[Val]],
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        func results(_ config: Config) throws -> [[Val]] {
            let engine = try Engine(config)
            let store = Store(engine, data: ())
            let instance = try Linker<Void>(engine).instantiate(store, try Module(engine, wat: wat))
            let function = try #require(instance.getFunc(store, export))
            return try argumentSets.map { try function.call(store, $0) }
        }
        let expected = try results(Config(strategy: .interpreter))
        for limit in registerLimits {
            var config = Config(strategy: .jit)
            config.jitRegisterLimit = limit
            let actual = try results(config)
            for (i, arguments) in argumentSets.enumerated() {
                #expect(actual[i].map(Self.comparable) == expected[i].map(Self.comparable),
                        "\(export)\(arguments) with register limit \(limit.map(String.init) ?? "none")",
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// A result as bits, every NaN alike (wasm leaves a NaN result's bits open).
    static func comparable(_ value: Val) -> UInt64 {
        switch value {
        case .i32(let v): UInt64(UInt32(bitPattern: v))
        case .i64(let v): UInt64(bitPattern: v)
        case .f32(let v): v.isNaN ? UInt64.max : UInt64(v.bitPattern)
        case .f64(let v): v.isNaN ? UInt64.max : v.bitPattern
        default: 0
        }
    }

    /// Loops whose bodies branch out of blocks, change locals in different registers on
    /// different paths, and nest: the heads keep the used locals in registers, the block
    /// ends keep what their first edge had, and every later edge must bring the same.
    @Test func loopsAndMergesAgreeWithTheInterpreter() throws {
        let wat = """
            (module
              (func (export "run") (param $n i32) (result i64)
                (local $i i32) (local $j i32) (local $a i64) (local $b i64) (local $c i32) (local $d i32)
                (local.set $a (i64.const 1))
                (block $done
                  (loop $outer
                    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                    (local.set $j (i32.const 0))
                    (block $inner_done
                      (loop $inner
                        (br_if $inner_done (i32.ge_u (local.get $j) (local.get $i)))
                        (block $skip
                          ;; An exit taken with $c dirty in one register...
                          (br_if $skip (i32.and (local.get $j) (i32.const 1)))
                          (local.set $c (i32.add (local.get $c) (local.get $j)))
                          (local.set $a (i64.add (local.get $a) (i64.extend_i32_u (local.get $c))))
                          ;; ...and a fallthrough with it changed again, through a new register.
                          (local.set $c (i32.xor (local.get $j) (local.get $c))))
                        (local.set $b (i64.add (local.get $b) (i64.mul (local.get $a) (i64.const 3))))
                        (local.set $d (i32.sub (local.get $d) (local.get $c)))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br $inner)))
                    (if (i32.and (local.get $i) (i32.const 2))
                      (then (local.set $a (i64.rotl (local.get $a) (i64.const 7))))
                      (else (local.set $b (i64.xor (local.get $b) (local.get $a)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $outer)))
                (i64.add (i64.add (local.get $a) (local.get $b))
                         (i64.extend_i32_u (i32.add (local.get $c) (local.get $d)))))
              (func (export "switch") (param $n i32) (result i32)
                (local $acc i32) (local $k i32) (local $t i32)
                (loop $next
                  (block $three
                    (block $two
                      (block $one
                        (block $zero
                          (br_table $zero $one $two $three (i32.and (local.get $k) (i32.const 3))))
                        (local.set $acc (i32.add (local.get $acc) (i32.const 5)))
                        (local.set $t (i32.mul (local.get $acc) (local.get $k)))
                        (br $three))
                      (local.set $t (i32.sub (local.get $t) (local.get $acc)))
                      (br $three))
                    (local.set $acc (i32.xor (local.get $acc) (local.get $t))))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $next (i32.lt_u (local.get $k) (local.get $n))))
                (i32.add (local.get $acc) (local.get $t))))
            """
        let sizes: [Int32] = [0, 1, 2, 3, 7, 30]
        try Self.expectAgreement(wat, "run", sizes.map { [.i32($0)] })
        try Self.expectAgreement(wat, "switch", sizes.map { [.i32($0)] })
    }

    /// Parameters stay in their argument registers (integers and floats, with the rest on
    /// the stack), are changed in place inside a loop, and are read after it.
    @Test func parametersInRegistersAgreeWithTheInterpreter() throws {
        let wat = """
            (module
              (func (export "mix")
                (param $a i32) (param $b i64) (param $c i32) (param $d i64) (param $e i32)
                (param $f i64) (param $g i32) (param $h f64) (param $x f32) (param $y f64)
                (param $z f64) (param $w f32) (param $u f64) (param $v f64) (param $s f64)
                (param $r f64) (param $q f64) (result f64)
                (loop $again
                  (local.set $b (i64.add (local.get $b) (i64.extend_i32_s (local.get $a))))
                  (local.set $h (f64.add (local.get $h) (local.get $q)))
                  (local.set $y (f64.mul (local.get $y) (f64.const 0.5)))
                  (local.set $x (f32.sub (local.get $x) (local.get $w)))
                  (local.set $a (i32.sub (local.get $a) (i32.const 1)))
                  (br_if $again (i32.gt_s (local.get $a) (local.get $g))))
                (local.set $h (f64.add (local.get $h) (local.get $y)))
                (local.set $h (f64.add (local.get $h) (f64.promote_f32 (local.get $x))))
                (local.set $h (f64.add (local.get $h)
                  (f64.convert_i64_s (i64.add (i64.add (local.get $b) (local.get $d)) (local.get $f)))))
                (local.set $h (f64.add (local.get $h) (f64.convert_i32_s (i32.add (local.get $c) (local.get $e)))))
                (local.set $h (f64.add (local.get $h) (f64.add (local.get $z) (local.get $u))))
                (local.set $h (f64.add (local.get $h) (f64.add (local.get $v) (local.get $s))))
                (f64.add (local.get $h) (local.get $r))))
            """
        let arguments: [[Val]] = [-2, 0, 5, 40].map { n in
            [.i32(n), .i64(1 << 40), .i32(-7), .i64(-3), .i32(11), .i64(99), .i32(0), .f64(1.5), .f32(2.25), .f64(3e10),
             .f64(-0.0), .f32(0.125), .f64(.nan), .f64(7), .f64(8), .f64(9), .f64(0.75)]
        }
        try Self.expectAgreement(wat, "mix", arguments)
    }

    /// Every float comparison, as a branch (`br_if`, `if`), a `select` and a value, on
    /// NaNs, signed zeros, infinities and ordinary numbers: compares left in the flags
    /// must be false for unordered operands exactly where wasm says.
    @Test(arguments: ["f32", "f64"])
    func floatComparisonsBranchAsWasmSays(_ type: String) throws {
        let conditions = ["eq", "ne", "lt", "gt", "le", "ge"]
        let functions = conditions.map { c in
            """
              (func (export "\(c)") (param $a \(type)) (param $b \(type)) (result i32)
                (local $r i32)
                (block $taken
                  (br_if $taken (\(type).\(c) (local.get $a) (local.get $b)))
                  (local.set $r (i32.const 1)))
                (if (\(type).\(c) (local.get $b) (local.get $a))
                  (then (local.set $r (i32.or (local.get $r) (i32.const 2)))))
                (local.set $r (i32.or (local.get $r)
                  (select (i32.const 4) (i32.const 8) (\(type).\(c) (local.get $a) (local.get $b)))))
                ;; The same negated with i32.eqz, which flips the condition in the flags.
                (block $skipped
                  (br_if $skipped (i32.eqz (\(type).\(c) (local.get $a) (local.get $b))))
                  (local.set $r (i32.or (local.get $r) (i32.const 32))))
                (if (i32.eqz (\(type).\(c) (local.get $b) (local.get $a)))
                  (then (local.set $r (i32.or (local.get $r) (i32.const 64)))))
                (local.set $r (i32.or (local.get $r)
                  (select (i32.const 128) (i32.const 256) (i32.eqz (i32.eqz (\(type).\(c) (local.get $a) (local.get $b)))))))
                (local.set $r (i32.or (local.get $r)
                  (i32.shl (i32.eqz (\(type).\(c) (local.get $b) (local.get $a))) (i32.const 9))))
                ;; Float selects on the flags, of constants and of the parameters.
                (local.set $r (i32.or (local.get $r)
                  (i32.trunc_f64_s (select (f64.const 1024) (f64.const 2048) (\(type).\(c) (local.get $a) (local.get $b))))))
                (local.set $r (i32.or (local.get $r)
                  (i32.trunc_f64_s (select (f64.const 4096) (f64.const 8192) (i32.eqz (\(type).\(c) (local.get $b) (local.get $a)))))))
                (local.set $r (i32.add (local.get $r)
                  \(type == "f32" ? "(i32.reinterpret_f32" : "(i32.wrap_i64 (i64.reinterpret_f64") (select (local.get $a) (local.get $b) (\(type).\(c) (local.get $b) (local.get $a)))\(type == "f32" ? ")" : "))")))
                (i32.or (local.get $r) (i32.shl (\(type).\(c) (local.get $a) (local.get $b)) (i32.const 4))))
            """
        }
        let wat = "(module\n" + functions.joined(separator: "\n") + ")"
        let samples: [Double] = [.nan, -.nan, 0, -0.0, 1, -1, .infinity, -.infinity, 2.5]
        let pairs = samples.flatMap { a in samples.map { b in (a, b) } }
        let arguments: [[Val]] = pairs.map { type == "f32" ? [.f32(Float($0.0)), .f32(Float($0.1))] : [.f64($0.0), .f64($0.1)] }
        for condition in conditions {
            try Self.expectAgreement(wat, condition, arguments)
        }
    }

    /// Float unary operators of a cached local read its register and write another (no
    /// copy first): the local must keep its value, in a loop and across an `if`, under
    /// every register limit.
    @Test(arguments: ["f32", "f64"])
    func floatUnaryOfACachedLocalLeavesTheLocal(_ type: String) throws {
        let ops = ["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"]
        let steps = ops.map { op in
            "(local.set $acc (\(type).add (local.get $acc) (\(type).\(op) (local.get $x))))"
        }.joined(separator: "\n        ")
        let wat = """
            (module
              (func (export "run") (param $x \(type)) (param $n i32) (result \(type))
                (local $acc \(type))
                (loop $again
                  \(steps)
                  (if (i32.and (local.get $n) (i32.const 1))
                    (then (local.set $acc (\(type).sub (local.get $acc) (\(type).neg (local.get $acc)))))
                    (else (local.set $x (\(type).mul (local.get $x) (\(type).abs (local.get $x))))))
                  (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (\(type).add (local.get $acc) (local.get $x))))
            """
        let samples: [Double] = [2.25, -1.5, 0.5, -0.0, 1e3]
        let arguments: [[Val]] = samples.map { type == "f32" ? [.f32(Float($0)), .i32(5)] : [.f64($0), .i32(5)] }
        try Self.expectAgreement(wat, "run", arguments)
    }

    /// i32 results of host functions, used as memory indexes. Machine code addresses memory
    /// with the index register itself, so a result must be zero-extended in its register
    /// whichever way the host function is reached: called directly, through a table, or
    /// tail-called by a wasm function. An index of 2^32 - 4 plus an offset of 8 is out of
    /// bounds; a sign-extended one would read byte 4 instead. (The C ABI leaves the upper
    /// half of a returned `int` undefined; the libffi here happens to clear it, and the
    /// JIT clears it after every call that may reach a host function, so this checks the
    /// whole path rather than that one instruction.)
    @Test(arguments: [Config.Strategy.jit, .interpreter], [Config.BoundsChecks.guardPages, .explicit])
    func hostI32ResultsAreZeroExtendedIndexes(_ strategy: Config.Strategy, _ bounds: Config.BoundsChecks) throws {
        let wat = """
            (module
              (import "host" "index" (func $index (result i32)))
              (type $t (func (result i32)))
              (memory 1)
              (table funcref (elem $index))
              (data (i32.const 4) "\\2a")
              (func $tail (result i32) (return_call $index))
              (func (export "direct") (result i32) (i32.load8_u offset=8 (call $index)))
              (func (export "indirect") (result i32) (i32.load8_u offset=8 (call_indirect (type $t) (i32.const 0))))
              (func (export "tail") (result i32) (i32.load8_u offset=8 (call $tail)))
              (func (export "value") (result i64) (i64.extend_i32_u (call $index))))
            """
        var config = Config(strategy: strategy)
        config.boundsChecks = bounds
        let engine = try Engine(config)
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "index") { () -> Int32 in -4 }
        let store = Store(engine, data: ())
        let instance = try linker.instantiate(store, try Module(engine, wat: wat))
        for export in ["direct", "indirect", "tail"] {
            let error = #expect(throws: Trap.self, "\(export)") { try instance.getFunc(store, export)!.call(store, []) }
            #expect(error?.code == .memoryOutOfBounds, "\(export)")
        }
        #expect(try instance.getFunc(store, "value")!.call(store, []).first?.i64 == 0xFFFF_FFFC)
    }
    /// Leaves with frames up to `leafFrameLimit` skip the stack-limit check. A recursion
    /// that calls such a leaf (and one a little larger, which keeps its check) at every
    /// level, under a small stack budget, must still end in a clean stack-overflow trap,
    /// the leaves running below the limit by at most their frame.
    @Test(arguments: [Config.Strategy.jit, .interpreter])
    func recursionThroughLeavesTrapsCleanly(_ strategy: Config.Strategy) throws {
        func leaf(_ name: String, locals: Int) -> String {
            let declared = String(repeating: " i64", count: locals)
            return """
              (func $\(name) (param $x i64) (result i64) (local\(declared))
                (local.set 1 (local.get $x))
                (local.set \(locals) (i64.add (local.get 1) (i64.const 1)))
                (i64.add (local.get \(locals)) (local.get \(locals / 2))))
            """
        }
        let wat = """
            (module
            \(leaf("small", locals: Int(CodeGenerator<X64MacroAssembler>.leafFrameLimit) / 8 - 24))
            \(leaf("large", locals: Int(CodeGenerator<X64MacroAssembler>.leafFrameLimit) / 8 + 64))
              (func $deep (export "deep") (param $n i64) (result i64)
                (i64.add (call $small (local.get $n))
                  (i64.add (call $large (local.get $n)) (call $deep (i64.add (local.get $n) (i64.const 1)))))))
            """
        var config = Config(strategy: strategy)
        config.maxWasmStack = 96 * 1024
        let engine = try Engine(config)
        let store = Store(engine, data: ())
        let instance = try Linker<Void>(engine).instantiate(store, try Module(engine, wat: wat))
        for _ in 0..<3 {
            let error = #expect(throws: Trap.self) { try instance.getFunc(store, "deep")!.call(store, [.i64(0)]) }
            #expect(error?.code == .stackOverflow)
        }
    }
    /// The generator reads ahead of the validator: a loop's body when the loop starts, the
    /// next instruction for a result's register. In an invalid module what it reads may name
    /// a local that does not exist, or one of another type; compiling must then report the
    /// validator's error, never crash (the decode fuzz corpus found the first).
    @Test(arguments: [Config.Strategy.jit, .interpreter])
    func lookaheadIntoInvalidCodeReportsTheValidationError(_ strategy: Config.Strategy) throws {
        let one: [UInt8] = [0x44] + withUnsafeBytes(of: Double(1).bitPattern.littleEndian, Array.init)
        let bodies: [(code: [UInt8], locals: [[UInt8]])] = [
            // loop, local.get 200 (there is none), drop, end
            ([0x03, 0x40, 0x20, 0xC8, 0x01, 0x1A, 0x0B], []),
            // loop, local.set 0 of an f64 into an i32 local (the add's result hint), end
            ([0x03, 0x40] + one + one + [0xA0, 0x21, 0x00, 0x0B], [[0x01, 0x7F]]),
            // an i32.load whose result would go to local 5 (there is none)
            ([0x41, 0x00, 0x28, 0x02, 0x00, 0x21, 0x05], []),
        ]
        let engine = try Engine(Config(strategy: strategy))
        for (code, locals) in bodies {
            let binary = WasmBytes.module(
                WasmBytes.basicTypes,
                WasmBytes.section(3, WasmBytes.vector([[0x00]])),
                WasmBytes.section(5, WasmBytes.vector([[0x00, 0x01]])),
                WasmBytes.section(10, WasmBytes.vector([WasmBytes.body(code + [0x0B], locals: locals)])))
            #expect(throws: WasmError.self, "\(code)") { try Module(engine, bytes: binary) }
        }
    }
}
