// Microseconds to create a store, instantiate a small module in it (one 1-page memory, a
// data segment, a host import) and drop both, median of --runs runs of --count cycles,
// one line per case (`engine case us_per_cycle`); the `-pooled` engines use the pooling
// allocator (`InstanceAllocationStrategy.pooling`, 64 KiB kept resident):
//
//     Instantiation [--runs R] [--count N] [--engine NAME]
//
// Cases:
//   linker       Store + Linker.instantiate (imports looked up by name each time) + drop
//   pre          Store + InstancePre.instantiate (imports resolved once) + drop
//   pre+call     the same plus one TypedFunc call on the fresh instance
//   call         one TypedFunc call alone (what pre+call should add to pre)

import Foundation
import Kiln

let wat = """
    (module
      (import "host" "log" (func $log (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 64) "a small data segment, as most modules have")
      (global $counter (mut i32) (i32.const 0))
      (table 4 funcref)
      (func $get (export "get") (param i32) (result i32)
        (i32.add (i32.load8_u (local.get 0)) (global.get $counter))))
    """

var runs = 5
var count = 20_000
var onlyEngine: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--runs": runs = arguments.popFirst().flatMap(Int.init) ?? runs
    case "--count": count = arguments.popFirst().flatMap(Int.init) ?? count
    case "--engine": onlyEngine = arguments.popFirst()
    default:
        FileHandle.standardError.write("usage: Instantiation [--runs R] [--count N] [--engine NAME]\n".data(using: .utf8)!)
        exit(2)
    }
}

func microseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
}

let pooling = InstanceAllocationStrategy.pooling(PoolingAllocationConfig(totalMemories: 100, linearMemoryKeepResident: 65_536))
let engines: [(String, Config.Strategy, InstanceAllocationStrategy)] = [
    ("kiln-jit", .jit, .onDemand), ("kiln-jit-pooled", .jit, pooling),
    ("kiln-interp", .interpreter, .onDemand), ("kiln-interp-pooled", .interpreter, pooling),
]
for (engineName, strategy, allocation) in engines where onlyEngine == nil || onlyEngine == engineName {
    var config = Config(strategy: strategy)
    config.allocationStrategy = allocation
    let engine = try Engine(config)
    let module = try Module(engine, wat: wat)
    let linker = Linker<Void>(engine)
    try linker.funcWrap("host", "log") { (_: Int32) in }
    let pre = try linker.instantiatePre(module)
    let warm = Store(engine, data: ())
    let warmGet = try pre.instantiate(warm).getTypedFunc(warm, "get", Int32.self, Int32.self)

    let cases: [(String, () throws -> Void)] = [
        ("linker", { _ = try linker.instantiate(Store(engine, data: ()), module) }),
        ("pre", { _ = try pre.instantiate(Store(engine, data: ())) }),
        ("pre+call", {
            let store = Store(engine, data: ())
            _ = try pre.instantiate(store).getTypedFunc(store, "get", Int32.self, Int32.self).call(store, Int32(64))
        }),
        ("call", { _ = try warmGet.call(warm, Int32(64)) }),
    ]
    for (name, body) in cases {
        var times: [Double] = []
        for _ in 0..<runs {
            times.append(try microseconds { for _ in 0..<count { try body() } } / Double(count))
        }
        times.sort()
        print(engineName, name, String(format: "%.2f", times[times.count / 2]))
    }
}
