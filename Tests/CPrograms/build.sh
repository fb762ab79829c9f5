#!/usr/bin/env bash
# Builds the C parity-test programs in this folder (every *.c file) four ways:
#   OUTDIR/NAME-O1.wasm, NAME-O2.wasm, NAME-Os.wasm   wasm32-wasi with wasi-libc
#   OUTDIR/NAME-native                                 the host's cc -O2
# and writes OUTDIR/programs.txt, the program names one per line. Each program is
# deterministic and prints the same text everywhere, so a wasm build run under any
# engine (Kiln's interpreter or JIT) must print exactly what NAME-native prints.
#
# Usage: Tests/CPrograms/build.sh OUTDIR
# Environment: WASM_CC (default clang; needs the wasm32 target and wasm-ld),
#              NATIVE_CC (default cc).
# Needs the Debian packages wasi-libc (headers and libc.a under /usr/*/wasm32-wasi)
# and libclang-rt-dev-wasm32 (libclang_rt.builtins-wasm32.a).
#
# --no-wasm-opt: clang otherwise runs binaryen's wasm-opt when it is on PATH, and the
# modules would then differ between machines.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"

WASM_CC=${WASM_CC:-clang}
NATIVE_CC=${NATIVE_CC:-cc}

sysroot_include=/usr/include/wasm32-wasi
sysroot_lib=/usr/lib/wasm32-wasi
if [[ ! -f $sysroot_include/stdio.h || ! -f $sysroot_lib/libc.a ]]; then
    echo "error: wasi-libc not found ($sysroot_include/stdio.h, $sysroot_lib/libc.a);" \
        "install the Debian package wasi-libc" >&2
    exit 1
fi

builtins=""
for candidate in /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a; do
    [[ -f $candidate ]] && builtins=$candidate   # the glob sorts, so the last is the newest
done
if [[ -z $builtins ]]; then
    echo "error: libclang_rt.builtins-wasm32.a not found under" \
        "/usr/lib/llvm-*/lib/clang/*/lib/wasi/; install the Debian package libclang-rt-dev-wasm32" >&2
    exit 1
fi

if ! "$WASM_CC" --target=wasm32-wasi --no-wasm-opt --version >/dev/null 2>&1; then
    echo "error: $WASM_CC does not accept --target=wasm32-wasi --no-wasm-opt" >&2
    exit 1
fi

WASM_FLAGS=(--target=wasm32-wasi --no-wasm-opt -isystem "$sysroot_include" -L"$sysroot_lib" -nodefaultlibs
            -Wall -Wextra)
WASM_LIBS=(-lc "$builtins")

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
        "$WASM_CC" "-$opt" "${WASM_FLAGS[@]}" "$src" "${WASM_LIBS[@]}" -o "$out/$name-$opt.wasm"
    done
    "$NATIVE_CC" -O2 -Wall -Wextra "$src" -o "$out/$name-native"
    echo "$name" >> "$out/programs.txt.tmp"
    echo "built $name" >&2
done
mv "$out/programs.txt.tmp" "$out/programs.txt"
