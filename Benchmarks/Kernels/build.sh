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

# Flags shared by both builds. -fno-math-errno lets the native build use the sqrt
# instruction directly, matching wasm's f64.sqrt (clang's wasm default already).
COMMON_FLAGS=(-O2 -fno-math-errno -Wall -Wextra)
# No libc: kernels are freestanding. --no-entry because there is no _start;
# the memory is exported by wasm-ld by default, but being explicit documents intent.
WASM_FLAGS=(--target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--export-memory)
# clang runs binaryen's wasm-opt after linking whenever it is on PATH: never, so the modules
# are the same on every machine. clang 17 takes --no-wasm-opt but then skips the link (see
# Utilities/wasi-cc), so only clang 18 and later are given it.
major=$("$CC" --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
if [[ -n $major && $major -ge 18 ]]; then WASM_FLAGS+=(--no-wasm-opt); fi

# The default problem size lives in one place: the "// default size: N" line at
# the top of each kernel.
default_size() {
    sed -n 's|^// default size: *\([0-9][0-9]*\).*|\1|p' "$1" | head -n 1
}

for kernel in "${KERNELS[@]}"; do
    size=$(default_size "$kernel.c")
    if [[ -z $size ]]; then
        echo "error: $kernel.c has no '// default size: N' line" >&2
        exit 1
    fi
    echo "kernel $kernel (default size $size)"
    "$CC" "${COMMON_FLAGS[@]}" "${WASM_FLAGS[@]}" -o "build/$kernel.wasm" "$kernel.c"
    "$CC" "${COMMON_FLAGS[@]}" -DKERNEL_NAME="\"$kernel\"" -DDEFAULT_SIZE="$size" \
        -o "build/native/$kernel" native_main.c "$kernel.c"
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
