#!/usr/bin/env bash
# Builds Examples/c/program.c twice: to wasm32 (freestanding, printing through WASI
# fd_write) and natively, into Examples/c/build/. Then compare:
#   Examples/c/build/program-native
#   swift run kiln run Examples/c/build/program.wasm
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/build"
mkdir -p "$out"
clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -Wl,--export=_start -Wl,--export-memory \
    -o "$out/program.wasm" "$here/program.c"
cc -O2 -DNATIVE -o "$out/program-native" "$here/program.c"
