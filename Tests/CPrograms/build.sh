#!/usr/bin/env bash
# Builds the C parity-test programs in this folder (every *.c file) four ways:
#   OUTDIR/NAME-O1.wasm, NAME-O2.wasm, NAME-Os.wasm   wasm32-wasi with wasi-libc
#   OUTDIR/NAME-native                                 the host's cc -O2
# and writes OUTDIR/programs.txt, the program names one per line. Each program is
# deterministic and prints the same text everywhere, so a wasm build run under any
# engine (Kiln's interpreter or JIT) must print exactly what NAME-native prints.
#
# Usage: Tests/CPrograms/build.sh OUTDIR
# The wasm builds go through Utilities/wasi-cc (wasi-libc, --no-wasm-opt; WASM_CC picks the
# clang); NATIVE_CC (default cc) builds the native one.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"

NATIVE_CC=${NATIVE_CC:-cc}
# Utilities/wasi-cc finds wasi-libc and the builtins (and says what to install if missing).
wasi_cc="$here/../../Utilities/wasi-cc"
WASM_FLAGS=(-Wall -Wextra)

shopt -s nullglob
sources=("$here"/*.c)
if [[ ${#sources[@]} -eq 0 ]]; then
    echo "error: no C programs in $here" >&2
    exit 1
fi

: > "$out/programs.txt.tmp"
for src in "${sources[@]}"; do
    name=$(basename "$src" .c)
    for opt in O1 O2 Os; do
        "$wasi_cc" "-$opt" "${WASM_FLAGS[@]}" "$src" -o "$out/$name-$opt.wasm"
    done
    "$NATIVE_CC" -O2 -Wall -Wextra "$src" -o "$out/$name-native"
    echo "$name" >> "$out/programs.txt.tmp"
    echo "built $name" >&2
done
mv "$out/programs.txt.tmp" "$out/programs.txt"
