#!/usr/bin/env bash
# Builds the WASI test programs in this folder (every *.c file) against wasi-libc at -O2:
#   OUTDIR/NAME.wasm
# and writes OUTDIR/programs.txt, the program names one per line.
#
# The programs exercise WASI preview 1 (files, directories, stdin, environment, clocks,
# exit codes, and escape.c / escape_swap.c, attempts to leave the sandbox). Each one runs
# with a directory preopened as "/" and uses paths relative to the working directory,
# which wasi-libc starts at "/": "input.txt" and "/input.txt" name the same file.
# expected.py runs them under wasmtime and records what they do in expected/CASE.json;
# Tests/KilnTests/WASI/WASIProgramTests.swift runs them under Kiln and compares.
#
# Usage: Tests/WASIPrograms/build.sh OUTDIR
# Environment: WASM_CC (default clang; needs the wasm32 target and wasm-ld).
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

WASM_FLAGS=(--target=wasm32-wasi --no-wasm-opt -O2 -isystem "$sysroot_include" -L"$sysroot_lib" -nodefaultlibs
            -Wall -Wextra -Werror)
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
    "$WASM_CC" "${WASM_FLAGS[@]}" "$src" "${WASM_LIBS[@]}" -o "$out/$name.wasm"
    echo "$name" >> "$out/programs.txt.tmp"
    echo "built $name" >&2
done
mv "$out/programs.txt.tmp" "$out/programs.txt"
