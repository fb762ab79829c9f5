#!/usr/bin/env bash
# Builds every kernel twice, from the same source:
#   build/<kernel>.wasm         freestanding wasm32 module exporting `run` and `memory`
#   build/native/<kernel>       native executable (kernel + native_main.c) printing
#                               "<kernel> <size> <checksum>" for the default size
# plus build/large.wasm, the synthetic module from generate_large.py used by the
# decode/validate benchmarks.
#
# Usage: Kernels/build.sh [--no-large]
# Environment: CC (default clang; it must have the wasm32 target and find wasm-ld),
#              LARGE_OPT (default -O2), LARGE_FUNCTIONS (default: generator's default).
set -euo pipefail

cd "$(dirname "$0")"

CC=${CC:-clang}
LARGE_OPT=${LARGE_OPT:--O2}
KERNELS=(fib sieve matmul nbody sha256 sort interp dispatch)

build_large=1
if [[ ${1:-} == --no-large ]]; then
    build_large=0
fi

mkdir -p build/native

# COMMON_FLAGS, WASM_FLAGS and build_twice, shared with Programs/build.sh.
source ./c-build.sh

for kernel in "${KERNELS[@]}"; do
    build_twice "$kernel" native_main.c kernel
done

if [[ $build_large == 1 ]]; then
    echo "large module: generating build/large.c"
    python3 generate_large.py ${LARGE_FUNCTIONS:+--functions "$LARGE_FUNCTIONS"} -o build/large.c
    echo "large module: compiling with $LARGE_OPT (this takes a while)"
    start=$(date +%s)
    # -w: generated code trips harmless warnings (e.g. self-comparisons) by the thousand.
    "$CC" "$LARGE_OPT" -w "${WASM_FLAGS[@]}" -o build/large.wasm build/large.c
    echo "large module: $(wc -c < build/large.wasm) bytes in $(( $(date +%s) - start )) s"
fi

echo "done: $(ls build/*.wasm | wc -l) wasm modules in $(pwd)/build"
