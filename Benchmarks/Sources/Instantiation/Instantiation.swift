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
//   pre+lookup   the same plus getTypedFunc on the fresh instance (no call)
//   pre+call     the same plus one TypedFunc call on the fresh instance
//   call         one TypedFunc call alone (what pre+call should add to pre)
//
// Then copy-on-write memory images (`Config.memoryInitCOW`), `engine cow-on|cow-off module
// us_per_cycle`: Store + InstancePre.instantiate + drop of a module whose memory has
// 1 page (64 bytes of data) or 10 MiB of data (one segment in a 200-page memory), on
// demand and pooled (nothing kept resident), with --data-count cycles for the 10 MiB one:
//
//     Instantiation [--runs R] [--count N] [--data-count N] [--engine NAME] [--only-cow] [--no-cow]
//
// (--no-cow: the first cases with memoryInitCOW off.)

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
var dataCount = 200
var onlyCOW = false
/// The first cases with `memoryInitCOW` off (copying the data segment, as before it existed).
var noCOW = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--runs": runs = arguments.popFirst().flatMap(Int.init) ?? runs
    case "--count": count = arguments.popFirst().flatMap(Int.init) ?? count
    case "--engine": onlyEngine = arguments.popFirst()
    case "--data-count": dataCount = arguments.popFirst().flatMap(Int.init) ?? dataCount
    case "--only-cow": onlyCOW = true
    case "--no-cow": noCOW = true
    default:
        FileHandle.standardError.write("usage: Instantiation [--runs R] [--count N] [--data-count N] [--engine NAME] [--only-cow] [--no-cow]\n".data(using: .utf8)!)
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
for (engineName, strategy, allocation) in engines where !onlyCOW && (onlyEngine == nil || onlyEngine == engineName) {
    var config = Config(strategy: strategy)
    config.allocationStrategy = allocation
    config.memoryInitCOW = !noCOW
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
        ("pre+lookup", {
            let store = Store(engine, data: ())
            _ = try pre.instantiate(store).getTypedFunc(store, "get", Int32.self, Int32.self)
        }),
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

/// A binary module with one exported memory of `pages` pages and `size` bytes of data at 1024.
func dataModule(pages: UInt32, size: Int) -> [UInt8] {
    func leb(_ value: Int) -> [UInt8] {
        var value = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(value & 0x7F) | (value >> 7 != 0 ? 0x80 : 0))
            value >>= 7
        } while value != 0
        return out
    }
    func section(_ id: UInt8, _ body: [UInt8]) -> [UInt8] { [id] + leb(body.count) + body }
    let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
        + section(5, [1, 0] + leb(Int(pages)))
        + section(7, [1] + leb(6) + Array("memory".utf8) + [2, 0])
        // i32.const 1024 = 0x41 0x80 0x08
        + section(11, [1, 0, 0x41, 0x80, 0x08, 0x0B] + leb(data.count) + data)
}

let dataModules = [("1-page", dataModule(pages: 1, size: 64), count), ("10MiB", dataModule(pages: 200, size: 10 << 20), dataCount)]
let poolingNothingResident = InstanceAllocationStrategy.pooling(PoolingAllocationConfig(totalMemories: 10))
for (engineName, strategy, allocation) in [("kiln-jit", Config.Strategy.jit, InstanceAllocationStrategy.onDemand),
                                           ("kiln-jit-pooled", .jit, poolingNothingResident)]
where onlyEngine == nil || onlyEngine == engineName {
    for cow in [true, false] {
        var config = Config(strategy: strategy)
        config.allocationStrategy = allocation
        config.memoryInitCOW = cow
        let engine = try Engine(config)
        for (moduleName, bytes, cycles) in dataModules {
            let pre = try Linker<Void>(engine).instantiatePre(try Module(engine, bytes: bytes))
            _ = try pre.instantiate(Store(engine, data: ()))   // builds the image
            var times: [Double] = []
            for _ in 0..<runs {
                times.append(try microseconds { for _ in 0..<cycles { _ = try pre.instantiate(Store(engine, data: ())) } } / Double(cycles))
            }
            times.sort()
            print(engineName, cow ? "cow-on" : "cow-off", moduleName, String(format: "%.2f", times[times.count / 2]))
        }
    }
}
