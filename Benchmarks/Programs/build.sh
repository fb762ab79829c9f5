#!/usr/bin/env bash
# Builds every program twice, from the same source, exactly as Kernels/build.sh builds
# the kernels:
#   build/<program>.wasm         freestanding wasm32 module exporting `run` and `memory`
#   build/native/<program>       native executable (program + ../Kernels/native_main.c)
#                                printing "<program> <size> <checksum>" for the default
#                                size, or for the size given as its first argument
#
# The programs (lz, raytrace, json) are larger, realistic C programs that Kiln's JIT
# was not tuned for, unlike the kernels; ../programs.sh runs them on Kiln and wasmtime.
#
# Usage: Programs/build.sh
# Environment: CC (default clang; it must have the wasm32 target and find wasm-ld).
set -euo pipefail

cd "$(dirname "$0")"

CC=${CC:-clang}
PROGRAMS=(lz raytrace json)

mkdir -p build/native

# The same flags and steps as Kernels/build.sh.
source ../Kernels/c-build.sh

for program in "${PROGRAMS[@]}"; do
    build_twice "$program" ../Kernels/native_main.c program
done

echo "done: $(ls build/*.wasm | wc -l) wasm modules in $(pwd)/build"
