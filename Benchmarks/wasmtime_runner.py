#!/usr/bin/env python3
"""Runs one benchmark kernel on wasmtime (Cranelift) and prints one machine-readable line.

The wasmtime counterpart of KernelRunner, with the same arguments and output:

    wasmtime_runner.py --runs R --size N kernel.wasm
        -> "wasmtime kernel size compile_ms median_ms min_ms checksum"
    wasmtime_runner.py --runs R --compile-only module.wasm
        -> "wasmtime module bytes median_ms min_ms" (compile time only, nothing runs)

compile_ms covers Module compilation plus instantiation; the Engine is created
outside the timed region, as in KernelRunner. Calls go through the Python binding,
whose per-call overhead (microseconds) is negligible next to the kernels' run times.
"""

import argparse
import os
import statistics
import sys
import time

try:
    import wasmtime
except ImportError:
    sys.exit("wasmtime_runner.py: the wasmtime module is missing (pip install wasmtime)")


def milliseconds(start_ns, end_ns):
    return (end_ns - start_ns) / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", default="wasmtime", choices=["wasmtime"],
                        help="accepted so that compare.sh can pass the same flags to every runner")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int)
    parser.add_argument("--compile-only", action="store_true")
    parser.add_argument("path")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs needs a positive integer")
    if not args.compile_only and args.size is None:
        parser.error("--size is required unless --compile-only")

    with open(args.path, "rb") as f:
        wasm = f.read()
    kernel = os.path.splitext(os.path.basename(args.path))[0]
    # Default configuration: Cranelift, optimisations on, no compilation cache (a
    # cache would turn every compile after the first into a file read).
    # memory64 modules (Benchmarks/memory64.sh) need the proposal switched on, and the
    # modules of Benchmarks/control.sh need exceptions (try_table, throw) and tail calls
    # (return_call); function references come with them in WebAssembly 3.0. The C
    # kernels run no slower with these on (fib: the same time within noise).
    config = wasmtime.Config()
    config.wasm_memory64 = True
    config.wasm_exceptions = True
    config.wasm_tail_call = True
    config.wasm_function_references = True
    engine = wasmtime.Engine(config)
    # perf_counter_ns is monotonic, matching KernelRunner's ContinuousClock.
    clock = time.perf_counter_ns

    if args.compile_only:
        times = []
        for _ in range(args.runs):
            start = clock()
            wasmtime.Module(engine, wasm)
            times.append(milliseconds(start, clock()))
        print(f"wasmtime {kernel} {len(wasm)} {statistics.median(times):.3f} {min(times):.3f}")
        return

    start = clock()
    module = wasmtime.Module(engine, wasm)
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, module, [])
    compile_ms = milliseconds(start, clock())
    run = instance.exports(store)["run"]

    checksum = None
    times = []
    for _ in range(args.runs):
        start = clock()
        result = run(store, args.size)
        times.append(milliseconds(start, clock()))
        # Every call must compute the same value; anything else is an engine bug.
        if checksum is not None and result != checksum:
            sys.exit(f"wasmtime {kernel}: run({args.size}) returned {result}, but {checksum} on an earlier call")
        checksum = result
    print(f"wasmtime {kernel} {args.size} {compile_ms:.3f} {statistics.median(times):.3f} {min(times):.3f} {checksum}")


if __name__ == "__main__":
    main()
