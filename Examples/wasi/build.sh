#!/usr/bin/env bash
# Builds the WASI example programs into Examples/wasi/build/ with Utilities/wasi-cc (needs the
# Debian packages wasi-libc and libclang-rt-dev-wasm32, and clang with the wasm32 target).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/build"
for source in "$here"/*.c; do
    "$here/../../Utilities/wasi-cc" -O2 "$source" -o "$here/build/$(basename "$source" .c).wasm"
done
