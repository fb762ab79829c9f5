import Testing
@testable import Kiln

/// Loads and constant shifts folded into the instruction that consumes them
/// (`CodeGenerator+Folding.swift`): x86-64 reads the operand from memory
/// (`add eax, [r14 + rcx + 8]`, `mulsd xmm0, [r14 + rdx]`) and scales an index with `lea`;
/// A64 shifts the second operand (`add w0, w1, w2, lsl #2`). Every shape the generator
/// folds, and the ones it must not (a rotate, a shift into `mul`, a load before `min`),
/// against the interpreter and against Swift; traps in folded loads at the load's offset.
@Suite struct OperandFoldingTests {
    static let strategies: [Config.Strategy] = JITCompiler.isSupported ? [.jit, .interpreter] : [.interpreter]

    /// Memory holds the words 0, 1, ... (i32 at 4k holds k) from address 0, an i64 table at
    /// 512 (i64 at 512 + 8k holds k * 0x1_0000_0001) and floats at 1024 (f64 1.5, f32 2.5).
    static let wat = """
        (module
          (memory 1)
          (data (i32.const 1024) "\\00\\00\\00\\00\\00\\00\\f8\\3f\\00\\00\\20\\40")
          (func (export "init")
            (local $k i32)
            (loop $fill
              (i32.store (i32.shl (local.get $k) (i32.const 2)) (local.get $k))
              (i64.store (i32.add (i32.const 512) (i32.shl (local.get $k) (i32.const 3)))
                         (i64.mul (i64.extend_i32_u (local.get $k)) (i64.const 0x100000001)))
              (br_if $fill (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 64)))))
          ;; i32 loads folded into each operation, the index in a local or computed.
          (func (export "loads32") (param $a i32) (param $i i32) (result i32)
            (local $acc i32)
            (local.set $acc (i32.add (local.get $a) (i32.load (local.get $i))))
            (local.set $acc (i32.sub (local.get $acc) (i32.load offset=4 (local.get $i))))
            (local.set $acc (i32.mul (local.get $acc) (i32.load offset=8 (local.get $i))))
            (local.set $acc (i32.xor (local.get $acc) (i32.load offset=12 (i32.add (local.get $i) (i32.const 4)))))
            (local.set $acc (i32.or (local.get $acc) (i32.load offset=20 (local.get $i))))
            (local.set $acc (i32.and (local.get $acc) (i32.load offset=24 (local.get $i))))
            ;; The left operand is the index's own local, and a constant.
            (i32.add (i32.add (local.get $acc) (i32.add (local.get $i) (i32.load (local.get $i))))
                     (i32.sub (i32.const 1000) (i32.load offset=28 (local.get $i)))))
          ;; i64 loads, the result written back to the local read on the left.
          (func (export "loads64") (param $a i64) (param $i i32) (result i64)
            (local.set $a (i64.add (local.get $a) (i64.load offset=512 (local.get $i))))
            (local.set $a (i64.mul (local.get $a) (i64.load offset=520 (local.get $i))))
            (local.set $a (i64.sub (local.get $a) (i64.load offset=528 (local.get $i))))
            (local.set $a (i64.xor (local.get $a) (i64.load offset=536 (local.get $i))))
            (local.get $a))
          ;; Comparisons of a folded load, into a branch and into a value.
          (func (export "compare") (param $a i32) (param $i i32) (result i32)
            (i32.add
              (if (result i32) (i32.lt_u (local.get $a) (i32.load (local.get $i)))
                (then (i32.const 100)) (else (i32.const 200)))
              (i32.add (i32.ge_s (local.get $a) (i32.load offset=4 (local.get $i)))
                       (i64.eq (i64.extend_i32_u (local.get $a)) (i64.load offset=512 (local.get $i))))))
          ;; Float loads into add, sub, mul, div (and min, which takes it from a register).
          (func (export "floats") (param $x f64) (param $y f32) (param $i i32) (result f64)
            (local.set $x (f64.mul (local.get $x) (f64.load offset=1024 (local.get $i))))
            (local.set $x (f64.add (f64.sub (local.get $x) (f64.load offset=1024 (local.get $i)))
                                   (f64.div (f64.const 3) (f64.load offset=1024 (local.get $i)))))
            (local.set $y (f32.add (local.get $y) (f32.load offset=1032 (local.get $i))))
            (local.set $y (f32.mul (f32.sub (f32.const 1) (f32.load offset=1032 (local.get $i)))
                                   (f32.div (local.get $y) (f32.load offset=1032 (local.get $i)))))
            (f64.add (f64.min (local.get $x) (f64.load offset=1024 (local.get $i)))
                     (f64.add (local.get $x) (f64.promote_f32 (local.get $y)))))
          ;; Constant shifts into add, sub, and, or, xor, compares; into mul and rotates
          ;; (never folded); amounts past the width (taken modulo) and 0.
          (func (export "shifts") (param $a i32) (param $b i32) (result i32)
            (local $acc i32)
            (local.set $acc (i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 2))))
            (local.set $acc (i32.sub (local.get $acc) (i32.shr_u (local.get $b) (i32.const 3))))
            (local.set $acc (i32.xor (local.get $acc) (i32.shr_s (local.get $b) (i32.const 31))))
            (local.set $acc (i32.or (local.get $acc) (i32.shl (local.get $a) (i32.const 35))))
            (local.set $acc (i32.and (local.get $acc) (i32.shr_u (local.get $acc) (i32.const 1))))
            (local.set $acc (i32.add (local.get $acc) (i32.shl (local.get $acc) (i32.const 1))))
            (local.set $acc (i32.mul (local.get $acc) (i32.shl (local.get $b) (i32.const 1))))
            (local.set $acc (i32.xor (local.get $acc) (i32.rotl (local.get $a) (i32.const 7))))
            (local.set $acc (i32.add (local.get $acc) (i32.shl (local.get $b) (i32.const 0))))
            (i32.add (local.get $acc)
                     (i32.add (i32.lt_u (local.get $a) (i32.shl (local.get $b) (i32.const 4)))
                              (i32.eq (local.get $a) (i32.shr_s (local.get $b) (i32.const 2))))))
          (func (export "shifts64") (param $a i64) (param $b i64) (result i64)
            (i64.add
              (i64.sub (i64.add (local.get $a) (i64.shl (local.get $b) (i64.const 3)))
                       (i64.shr_s (local.get $a) (i64.const 60)))
              (i64.and (i64.shr_u (local.get $b) (i64.const 33))
                       (i64.extend_i32_u (i64.gt_s (local.get $a) (i64.shl (local.get $b) (i64.const 64)))))))
          ;; A folded shift whose result is stored to a local, dropped, or selected: each
          ;; is not a consumer, so the shift happens on its own.
          (func (export "unconsumed") (param $a i32) (param $b i32) (result i32)
            (local $t i32)
            (local.set $t (i32.shl (local.get $a) (i32.const 3)))
            (drop (i32.shl (local.get $b) (i32.const 1)))
            (select (i32.shl (local.get $t) (i32.const 1)) (i32.load (local.get $b)) (local.get $a)))
          ;; An address computed with a folded shift, loaded and folded again.
          (func (export "indexed") (param $base i32) (param $k i32) (result i32)
            (i32.add (local.get $k) (i32.load (i32.add (local.get $base) (i32.shl (local.get $k) (i32.const 2))))))
          ;; Out-of-bounds folded loads trap, at the load's offset.
          (func $trap32 (export "trap32") (param $a i32) (param $i i32) (result i32)
            (i32.add (local.get $a) (i32.load offset=8 (local.get $i))))
          (func $trap64 (export "trap64") (param $x f64) (param $i i32) (result f64)
            (f64.mul (local.get $x) (f64.load (local.get $i)))))
        """

    static func instance(_ strategy: Config.Strategy) throws -> (Store<Void>, Instance) {
        let engine = try Engine(Config(strategy: strategy))
        let store = Store(engine)
        let module = try Module(engine, wat: wat)
        if strategy == .jit { #expect(module.isCompiledToMachineCode) }
        let instance = try Linker<Void>(engine).instantiate(store, module)
        try instance.getTypedFunc(store, "init", Void.self, Void.self).call(store)
        return (store, instance)
    }

    static let inputs32: [Int32] = [0, 1, 4, 8, 12, 40, 100, -1, Int32.min, Int32.max, 0x1234_5678]

    @Test func machineCodeAgreesWithTheInterpreter() throws {
        guard JITCompiler.isSupported else { return }
        let (jitStore, jit) = try OperandFoldingTests.instance(.jit)
        let (interpStore, interp) = try OperandFoldingTests.instance(.interpreter)
        // Indices inside the first 64 words (the tables' reach), shift inputs anything.
        for i: Int32 in [0, 4, 8, 16, 60, 96, 128] {
            for a in OperandFoldingTests.inputs32 {
                let loads32 = "loads32", compare = "compare"
                for name in [loads32, compare] {
                    let f = try jit.getTypedFunc(jitStore, name, (Int32, Int32).self, Int32.self)
                    let g = try interp.getTypedFunc(interpStore, name, (Int32, Int32).self, Int32.self)
                    #expect(try f.call(jitStore, a, i) == g.call(interpStore, a, i), "\(name)(\(a), \(i))")
                }
                let f64 = try jit.getTypedFunc(jitStore, "loads64", (Int64, Int32).self, Int64.self)
                let g64 = try interp.getTypedFunc(interpStore, "loads64", (Int64, Int32).self, Int64.self)
                #expect(try f64.call(jitStore, Int64(a) << 7, i) == g64.call(interpStore, Int64(a) << 7, i), "loads64(\(a), \(i))")
                let ff = try jit.getTypedFunc(jitStore, "floats", (Double, Float, Int32).self, Double.self)
                let gf = try interp.getTypedFunc(interpStore, "floats", (Double, Float, Int32).self, Double.self)
                let x = Double(a) / 3, y = Float(a) / 7
                #expect(try ff.call(jitStore, x, y, 0).bitPattern == gf.call(interpStore, x, y, 0).bitPattern, "floats(\(x), \(y))")
            }
        }
        for a in OperandFoldingTests.inputs32 {
            for b in OperandFoldingTests.inputs32 {
                for name in ["shifts", "unconsumed"] {
                    let f = try jit.getTypedFunc(jitStore, name, (Int32, Int32).self, Int32.self)
                    let g = try interp.getTypedFunc(interpStore, name, (Int32, Int32).self, Int32.self)
                    let (ja, jb) = name == "unconsumed" ? (a, b & 0xFC) : (a, b)
                    #expect(try f.call(jitStore, ja, jb) == g.call(interpStore, ja, jb), "\(name)(\(ja), \(jb))")
                }
                let f = try jit.getTypedFunc(jitStore, "shifts64", (Int64, Int64).self, Int64.self)
                let g = try interp.getTypedFunc(interpStore, "shifts64", (Int64, Int64).self, Int64.self)
                let (x, y) = (Int64(a) &* 0x1_0000_0003, Int64(b) << 13 ^ Int64(a))
                #expect(try f.call(jitStore, x, y) == g.call(interpStore, x, y), "shifts64(\(x), \(y))")
            }
        }
    }

    @Test(arguments: strategies) func resultsMatchSwift(_ strategy: Config.Strategy) throws {
        let (store, instance) = try OperandFoldingTests.instance(strategy)
        // Words 0... hold 0, 1, ...: with i = 4 the loads read 1, 2, 3, 5, 6, 7 and 1, 8.
        var acc: Int32 = 10 &+ 1
        acc = acc &- 2
        acc = acc &* 3
        acc ^= 5
        acc |= 6
        acc &= 7
        let expected32 = acc &+ (4 &+ 1) &+ (1000 &- 8)
        #expect(try instance.getTypedFunc(store, "loads32", (Int32, Int32).self, Int32.self).call(store, 10, 4) == expected32)
        // i64 k * 0x1_0000_0001 at 512 + 8k; i = 8 reads k = 1, 2, 3, 4.
        let k: (Int64) -> Int64 = { $0 &* 0x1_0000_0001 }
        let expected64 = (((5 &+ k(1)) &* k(2)) &- k(3)) ^ k(4)
        #expect(try instance.getTypedFunc(store, "loads64", (Int64, Int32).self, Int64.self).call(store, 5, 8) == expected64)
        // 3 < word 1 (1)? no: 200; 3 >= word 2 (2): 1; 3 == i64 at 512 + 4 (not a whole k): 0.
        #expect(try instance.getTypedFunc(store, "compare", (Int32, Int32).self, Int32.self).call(store, 3, 4) == 201)
        let x = 2.0 * 1.5 - 1.5 + 3 / 1.5, y = (1 - Float(2.5)) * ((Float(0.5) + 2.5) / 2.5)
        #expect(try instance.getTypedFunc(store, "floats", (Double, Float, Int32).self, Double.self).call(store, 2, 0.5, 0)
                == min(x, 1.5) + (x + Double(y)))
        let (a, b): (Int32, Int32) = (0x1234_5678, -77)
        var s = a &+ (b << 2)
        s = s &- Int32(bitPattern: UInt32(bitPattern: b) >> 3)
        s ^= b >> 31
        s |= a << 3
        s &= Int32(bitPattern: UInt32(bitPattern: s) >> 1)
        s = s &+ (s << 1)
        s = s &* (b << 1)
        let bits = UInt32(bitPattern: a)
        s ^= Int32(bitPattern: bits << 7 | bits >> 25)
        s = s &+ b
        s = s &+ (UInt32(bitPattern: a) < UInt32(bitPattern: b << 4) ? 1 : 0) &+ (a == b >> 2 ? 1 : 0)
        #expect(try instance.getTypedFunc(store, "shifts", (Int32, Int32).self, Int32.self).call(store, a, b) == s)
        // word 5 holds 5: base 0, k = 5 reads it; base 8, k = 5 reads word 7.
        let indexed = try instance.getTypedFunc(store, "indexed", (Int32, Int32).self, Int32.self)
        #expect(try indexed.call(store, 0, 5) == 10)
        #expect(try indexed.call(store, 8, 5) == 12)
        // t = 3 << 3 = 24; select(48, word 2 = 2, a = 3): 48.
        #expect(try instance.getTypedFunc(store, "unconsumed", (Int32, Int32).self, Int32.self).call(store, 3, 8) == 48)
    }

    @Test(arguments: strategies) func foldedLoadsTrapAtTheLoad(_ strategy: Config.Strategy) throws {
        let (store, instance) = try OperandFoldingTests.instance(strategy)
        let trap32 = try instance.getTypedFunc(store, "trap32", (Int32, Int32).self, Int32.self)
        let trap64 = try instance.getTypedFunc(store, "trap64", (Double, Int32).self, Double.self)
        #expect(try trap32.call(store, 1, 65528 - 8) == 1)
        #expect(try trap64.call(store, 2, 1024) == 3)
        var offsets: [Int?] = []
        let calls: [(function: String, call: () throws -> Void)] = [
            ("trap32", { _ = try trap32.call(store, 1, 65536 - 8 - 3) }), ("trap32", { _ = try trap32.call(store, 1, -1) }),
            ("trap64", { _ = try trap64.call(store, 2, 65529) }), ("trap64", { _ = try trap64.call(store, 2, Int32.min) }),
        ]
        for (function, call) in calls {
            let trap = #expect(throws: Trap.self) { try call() }
            #expect(trap?.code == .memoryOutOfBounds)
            #expect(trap?.backtrace.first?.functionName == function)
            offsets.append(trap?.backtrace.first?.moduleOffset)
        }
        // Each load's own offset, the same for both calls of a function, and not the
        // consumer's: the interpreter's offsets are the reference.
        #expect(offsets[0] != nil && offsets[0] == offsets[1] && offsets[2] == offsets[3] && offsets[0] != offsets[2])
        let reference = try OperandFoldingTests.instance(.interpreter)
        let loadOffset = #expect(throws: Trap.self) {
            _ = try reference.1.getTypedFunc(reference.0, "trap32", (Int32, Int32).self, Int32.self).call(reference.0, 1, -1)
        }?.backtrace.first?.moduleOffset
        #expect(offsets[0] == loadOffset)
        // The instance goes on working.
        #expect(try trap32.call(store, 1, 0) == 3)
    }
}
