// Measures the cost of crossing the Swift ↔ wasm boundary, in nanoseconds per call, and
// prints one line per measurement (`engine case ns_per_call`), median of --runs runs.
//
//     CallOverhead [--runs R] [--calls N] [--only "ENGINE CASE"]
//
// Cases:
//   typed          Swift → wasm `add(i32, i32) -> i32` through TypedFunc.call
//   vals           the same through Func.call([Val]) -> [Val]
//   unchecked      the same through Func.callUnchecked with raw slots
//   wasm-host      a wasm loop calling a host `(i32, i32) -> i32` import (Linker.funcWrap);
//                  under the JIT machine code calls the host function's libffi closure
//   wasm-host-wasm a wasm loop calling a host import that calls back into wasm `add`
//                  through TypedFunc: a full round trip per iteration
//   wasm-wasm      the same loop calling a wasm function instead (the loop's own cost)
//   wasm-host-v128 the wasm-host loop calling a host `(v128, v128) -> v128` import: libffi
//                  has no 128-bit vector type, so machine code reaches it through the
//                  per-signature adapter (values in an array) instead of a libffi closure
// wasmtime_calls.py prints the same lines for wasmtime's Python binding.

import Foundation
import Kiln

let wat = """
    (module
      (import "host" "add" (func $hostAdd (param i32 i32) (result i32)))
      (import "host" "roundTrip" (func $roundTrip (param i32 i32) (result i32)))
      (import "host" "addV" (func $hostAddV (param v128 v128) (result v128)))
      (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "loopHost") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $hostAdd (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc))
      (func (export "loopRoundTrip") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $roundTrip (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc))
      (func (export "loopHostV128") (param $n i32) (result i32) (local $acc v128)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $hostAddV (local.get $acc) (i32x4.splat (local.get $n))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (i32x4.extract_lane 0 (local.get $acc)))
      (func (export "loopWasm") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $add (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc)))
    """

struct Measurement {
    let name: String
    let body: (Int32) throws -> Int32
}

var runs = 5
var calls: Int32 = 2_000_000
var only: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--runs": runs = arguments.popFirst().flatMap(Int.init) ?? runs
    case "--calls": calls = arguments.popFirst().flatMap(Int32.init) ?? calls
    case "--only": only = arguments.popFirst()
    default:
        FileHandle.standardError.write(Data("usage: CallOverhead [--runs R] [--calls N]\n".utf8))
        exit(2)
    }
}

/// The add export, set once instantiated, for the round-trip host function.
nonisolated(unsafe) var typedAdd: TypedFunc<Int32, Int32, Int32>?

for (label, strategy) in [("kiln-jit", Config.Strategy.jit), ("kiln-interp", .interpreter)] {
    let engine = try Engine(Config(strategy: strategy))
    let module = try Module(engine, wat: wat)
    let store = Store(engine, data: ())
    let linker = Linker<Void>(engine)
    try linker.funcWrap("host", "add") { (a: Int32, b: Int32) -> Int32 in a &+ b }
    try linker.funcWrap("host", "addV") { (a: V128, b: V128) -> V128 in
        V128(lo: a.lo &+ b.lo, hi: a.hi &+ b.hi)
    }
    try linker.funcWrap("host", "roundTrip") { (caller: Caller<Void>, a: Int32, b: Int32) -> Int32 in
        try typedAdd!.call(caller, a, b)
    }
    let instance = try linker.instantiate(store, module)
    let add = try instance.getTypedFunc(store, "add", (Int32, Int32).self, Int32.self)
    typedAdd = add
    let addFunc = instance.getFunc(store, "add")!
    let loopHost = try instance.getTypedFunc(store, "loopHost", (Int32).self, Int32.self)
    let loopRoundTrip = try instance.getTypedFunc(store, "loopRoundTrip", (Int32).self, Int32.self)
    let loopWasm = try instance.getTypedFunc(store, "loopWasm", (Int32).self, Int32.self)
    let loopHostV128 = try instance.getTypedFunc(store, "loopHostV128", (Int32).self, Int32.self)

    let measurements = [
        Measurement(name: "typed") { n in
            var acc: Int32 = 0
            for i in 0..<n { acc = try add.call(store, acc, i) }
            return acc
        },
        Measurement(name: "vals") { n in
            var acc: Int32 = 0
            for i in 0..<n {
                guard case .i32(let r) = try addFunc.call(store, [.i32(acc), .i32(i)])[0] else { fatalError() }
                acc = r
            }
            return acc
        },
        Measurement(name: "unchecked") { n in
            var slots = [ValRaw(lo: 0), ValRaw(lo: 0)]
            var acc: Int32 = 0
            try slots.withUnsafeMutableBufferPointer { buffer in
                for i in 0..<n {
                    buffer[0] = .i32(acc)
                    buffer[1] = .i32(i)
                    try addFunc.callUnchecked(store, buffer)
                    acc = buffer[0].i32
                }
            }
            return acc
        },
        Measurement(name: "wasm-host") { n in try loopHost.call(store, n) },
        Measurement(name: "wasm-host-v128") { n in try loopHostV128.call(store, n) },
        Measurement(name: "wasm-host-wasm") { n in try loopRoundTrip.call(store, n) },
        Measurement(name: "wasm-wasm") { n in try loopWasm.call(store, n) },
    ]
    for measurement in measurements where only == nil || "\(label) \(measurement.name)" == only {
        // Fewer calls for the slow paths keep every case around a second.
        let n = measurement.name == "vals" || (strategy == .interpreter && measurement.name == "wasm-host-wasm")
            ? calls / 4 : calls
        _ = try measurement.body(n / 10)  // warm-up
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let result = try measurement.body(n)
            let elapsed = start.duration(to: .now)
            precondition(result != 0x7fff_ffff)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            times.append(seconds * 1e9 / Double(n))
        }
        times.sort()
        print(label, measurement.name, String(format: "%.1f", times[times.count / 2]))
    }
}
