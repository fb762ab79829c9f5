// Resident memory of instantiation at scale (issue "Embedding at scale"), from
// /proc/self/statm:
//
//     InstantiationRSS [--cycles N] [--every N] [--live N]
//
// (a) `cycles`: N store + instantiate + call + drop cycles of a 1-page module (the call
//     stores to memory), pooled with InstancePre and on demand, printing the RSS every
//     `--every` cycles: it must stay flat.
// (b) `live`: N instances of the same module kept alive, one store each, every memory
//     touched by one store; prints the RSS before and after and the growth per instance.

import Foundation
import Kiln

let wat = """
    (module
      (memory (export "memory") 1)
      (data (i32.const 64) "a small data segment, as most modules have")
      (global $counter (mut i32) (i32.const 0))
      (table 4 funcref)
      (func (export "touch") (param i32) (result i32)
        (i32.store (i32.const 1024) (local.get 0))
        (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
        (i32.add (i32.load8_u (i32.const 64)) (global.get $counter))))
    """

var cycles = 1_000_000
var every = 100_000
var live = 1000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--cycles": cycles = arguments.popFirst().flatMap(Int.init) ?? cycles
    case "--every": every = arguments.popFirst().flatMap(Int.init) ?? every
    case "--live": live = arguments.popFirst().flatMap(Int.init) ?? live
    default:
        FileHandle.standardError.write("usage: InstantiationRSS [--cycles N] [--every N] [--live N]\n".data(using: .utf8)!)
        exit(2)
    }
}

/// Resident set size in KiB.
func rssKiB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return -1 }
    let fields = text.split(separator: " ")
    return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

let pooling = InstanceAllocationStrategy.pooling(PoolingAllocationConfig(
    totalMemories: live + 10, linearMemoryKeepResident: 65_536, totalTables: live + 10, totalCoreInstances: live + 10))
let engines: [(String, InstanceAllocationStrategy)] = [("kiln-jit-pooled", pooling), ("kiln-jit", .onDemand)]

print("# (a) \(cycles) cycles of store + InstancePre.instantiate + call + drop; RSS in KiB")
for (name, allocation) in engines {
    var config = Config()
    config.allocationStrategy = allocation
    let engine = try Engine(config)
    let pre = try Linker<Void>(engine).instantiatePre(try Module(engine, wat: wat))
    let start = rssKiB()
    let clock = DispatchTime.now().uptimeNanoseconds
    print(name, "cycles 0 rss", start)
    for cycle in 1...cycles {
        let store = Store(engine, data: ())
        let instance = try pre.instantiate(store)
        _ = try instance.getTypedFunc(store, "touch", Int32.self, Int32.self).call(store, Int32(truncatingIfNeeded: cycle))
        if cycle % every == 0 { print(name, "cycles", cycle, "rss", rssKiB()) }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
    print(name, String(format: "growth %d KiB over %d cycles, %.2f us per cycle", rssKiB() - start, cycles, seconds * 1e6 / Double(cycles)))
}

print("# (b) \(live) live instances (one store each, memory touched); RSS in KiB")
for (name, allocation) in engines {
    var config = Config()
    config.allocationStrategy = allocation
    let engine = try Engine(config)
    let pre = try Linker<Void>(engine).instantiatePre(try Module(engine, wat: wat))
    do {   // warm up: code, caches, the first slot
        let store = Store(engine, data: ())
        _ = try pre.instantiate(store).getTypedFunc(store, "touch", Int32.self, Int32.self).call(store, Int32(1))
    }
    let before = rssKiB()
    var kept: [(Store<Void>, Instance)] = []
    kept.reserveCapacity(live)
    for i in 0..<live {
        let store = Store(engine, data: ())
        let instance = try pre.instantiate(store)
        _ = try instance.getTypedFunc(store, "touch", Int32.self, Int32.self).call(store, Int32(i))
        kept.append((store, instance))
    }
    let after = rssKiB()
    print(name, "live", live, "rss before", before, "after", after,
          String(format: "growth %.1f MiB (%.1f KiB per instance)", Double(after - before) / 1024, Double(after - before) / Double(live)))
    kept.removeAll()
    print(name, "after dropping them rss", rssKiB())
}
