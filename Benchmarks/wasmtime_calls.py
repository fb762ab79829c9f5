#!/usr/bin/env python3
"""wasmtime's counterpart of CallOverhead: ns per call across the host <-> wasm boundary.

Prints `wasmtime CASE ns_per_call` lines (median of --runs runs) for the cases the Python
binding can express: `typed` (Python -> wasm add), `wasm-host` (a wasm loop calling a
Python host function), `wasm-host-wasm` (the host function calls back into wasm) and
`wasm-wasm` (the loop calling a wasm function). Every boundary crossing here includes the
CPython interpreter and the binding's ctypes marshalling, which dominate: the numbers say
what a Python embedder pays, not what wasmtime's Rust API costs (about 25 ns Rust -> wasm
and a few ns wasm -> host, per wasmtime issue #3883).
"""
import argparse
import statistics
import time

import wasmtime

WAT = """
(module
  (import "host" "add" (func $hostAdd (param i32 i32) (result i32)))
  (import "host" "roundTrip" (func $roundTrip (param i32 i32) (result i32)))
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
  (func (export "loopWasm") (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (call $add (local.get $acc) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc)))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200_000)
    args = parser.parse_args()

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, WAT)
    i32 = wasmtime.ValType.i32()
    add_type = wasmtime.FuncType([i32, i32], [i32])
    exports = {}

    def host_add(a, b):
        return (a + b + 2**31) % 2**32 - 2**31

    def round_trip(a, b):
        return exports["add"](store, a, b)

    instance = wasmtime.Instance(store, module, [
        wasmtime.Func(store, add_type, host_add),
        wasmtime.Func(store, add_type, round_trip),
    ])
    for name in ["add", "loopHost", "loopRoundTrip", "loopWasm"]:
        exports[name] = instance.exports(store)[name]

    def typed(n):
        add, acc = exports["add"], 0
        for i in range(n):
            acc = add(store, acc & 0xFFFF, i)
        return acc

    cases = [
        ("typed", typed, args.calls),
        ("wasm-host", lambda n: exports["loopHost"](store, n), args.calls),
        ("wasm-host-wasm", lambda n: exports["loopRoundTrip"](store, n), args.calls // 2),
        ("wasm-wasm", lambda n: exports["loopWasm"](store, n), args.calls * 50),
    ]
    for name, body, n in cases:
        body(n // 10)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter_ns()
            body(n)
            times.append((time.perf_counter_ns() - start) / n)
        print("wasmtime", name, f"{statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
