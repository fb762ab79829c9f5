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
# Compiled with Utilities/wasi-cc (wasi-libc, --no-wasm-opt; WASM_CC picks the clang).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"

# Utilities/wasi-cc finds wasi-libc and the builtins (and says what to install if missing).
wasi_cc="$here/../../Utilities/wasi-cc"
WASM_FLAGS=(-O2 -Wall -Wextra -Werror)

shopt -s nullglob
sources=("$here"/*.c)
if [[ ${#sources[@]} -eq 0 ]]; then
    echo "error: no C programs in $here" >&2
    exit 1
fi

: > "$out/programs.txt.tmp"
for src in "${sources[@]}"; do
    name=$(basename "$src" .c)
    "$wasi_cc" "${WASM_FLAGS[@]}" "$src" -o "$out/$name.wasm"
    echo "$name" >> "$out/programs.txt.tmp"
    echo "built $name" >&2
done
mv "$out/programs.txt.tmp" "$out/programs.txt"
