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

# The same flags as Kernels/build.sh; see the comments there.
COMMON_FLAGS=(-O2 -fno-math-errno -Wall -Wextra)
WASM_FLAGS=(--target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--export-memory)
# clang runs binaryen's wasm-opt after linking whenever it is on PATH: never, so the
# modules are the same on every machine. clang 17 takes --no-wasm-opt but then skips
# the link, so only clang 18 and later are given it.
major=$("$CC" --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
if [[ -n $major && $major -ge 18 ]]; then WASM_FLAGS+=(--no-wasm-opt); fi

# The default problem size lives in one place: the "// default size: N" line at the
# top of each program (sized for ~0.3-0.5 s natively).
default_size() {
    sed -n 's|^// default size: *\([0-9][0-9]*\).*|\1|p' "$1" | head -n 1
}

for program in "${PROGRAMS[@]}"; do
    size=$(default_size "$program.c")
    if [[ -z $size ]]; then
        echo "error: $program.c has no '// default size: N' line" >&2
        exit 1
    fi
    echo "program $program (default size $size)"
    "$CC" "${COMMON_FLAGS[@]}" "${WASM_FLAGS[@]}" -o "build/$program.wasm" "$program.c"
    "$CC" "${COMMON_FLAGS[@]}" -DKERNEL_NAME="\"$program\"" -DDEFAULT_SIZE="$size" \
        -o "build/native/$program" ../Kernels/native_main.c "$program.c"
done

echo "done: $(ls build/*.wasm | wc -l) wasm modules in $(pwd)/build"
