// Crossing the Swift <-> wasm boundary, through ordo-one/benchmark, whose malloc counter
// shows that typed calls and host calls allocate nothing:
//     swift package benchmark --target Calls
//
// Each benchmark iteration is one call (the wasm→host cases run a wasm loop of 1,000
// host calls per iteration and scale by 1,000). CallOverhead prints the same cases as
// plain ns-per-call medians for the README.

import Benchmark
import Kiln

private let wat = """
    (module
      (import "host" "add" (func $hostAdd (param i32 i32) (result i32)))
      (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "loopHost") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $hostAdd (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc)))
    """

private struct Prepared {
    let store: Store<Void>
    let add: TypedFunc<Int32, Int32, Int32>
    let addFunc: Func
    let loopHost: TypedFunc<Int32, Int32>

    init(_ strategy: Config.Strategy) throws {
        let engine = try Engine(Config(strategy: strategy))
        store = Store(engine, data: ())
        let linker = Linker<Void>(engine)
        try linker.funcWrap("host", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
        let instance = try linker.instantiate(store, try Module(engine, wat: wat))
        add = try instance.getTypedFunc(store, "add", (Int32, Int32).self, Int32.self)
        addFunc = instance.getFunc(store, "add")!
        loopHost = try instance.getTypedFunc(store, "loopHost", (Int32).self, Int32.self)
    }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal], warmupIterations: 10,
                                                scalingFactor: .kilo, maxDuration: .seconds(2))
    for (label, strategy) in [("jit", Config.Strategy.jit), ("interp", .interpreter)] {
        let prepared = Result { try Prepared(strategy) }
        Benchmark("TypedFunc.call \(label)", configuration: configuration) { benchmark in
            do {
                let p = try prepared.get()
                for i in benchmark.scaledIterations { blackHole(try p.add.call(p.store, Int32(truncatingIfNeeded: i), 1)) }
            } catch { benchmark.error("\(error)") }
        }
        Benchmark("Func.callUnchecked \(label)", configuration: configuration) { benchmark in
            do {
                let p = try prepared.get()
                try withUnsafeTemporaryAllocation(of: ValRaw.self, capacity: 2) { slots in
                    for i in benchmark.scaledIterations {
                        slots[0] = .i32(Int32(truncatingIfNeeded: i))
                        slots[1] = .i32(1)
                        try p.addFunc.callUnchecked(p.store, slots)
                        blackHole(slots[0].i32)
                    }
                }
            } catch { benchmark.error("\(error)") }
        }
        Benchmark("wasm->host call \(label)", configuration: configuration) { benchmark in
            do {
                let p = try prepared.get()
                // scaledIterations counts calls; the loop makes them 1,000 at a time.
                for _ in 0..<(benchmark.scaledIterations.count / 1000) { blackHole(try p.loopHost.call(p.store, 1000)) }
            } catch { benchmark.error("\(error)") }
        }
    }
}
