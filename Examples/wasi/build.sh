#!/usr/bin/env bash
# Builds the WASI example programs into Examples/wasi/build/ (needs the Debian packages
# wasi-libc and libclang-rt-dev-wasm32, and clang with the wasm32 target).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/build"
builtins=""
for candidate in /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a; do
    [[ -f $candidate ]] && builtins=$candidate
done
if [[ -z $builtins || ! -f /usr/include/wasm32-wasi/stdio.h ]]; then
    echo "error: needs wasi-libc and libclang-rt-dev-wasm32 (apt-get install wasi-libc libclang-rt-dev-wasm32)" >&2
    exit 1
fi
for source in "$here"/*.c; do
    clang --target=wasm32-wasi --no-wasm-opt -O2 -isystem /usr/include/wasm32-wasi -L/usr/lib/wasm32-wasi \
        -nodefaultlibs "$source" -lc "$builtins" -o "$here/build/$(basename "$source" .c).wasm"
done
