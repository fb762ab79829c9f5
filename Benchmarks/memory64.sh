#!/usr/bin/env bash
# memory64 against memory32 on machine code: the memory-heavy C kernels built twice from
# the same source, for wasm32 and wasm64 (clang --target=wasm64, 64-bit pointers, so
# every access is a 64-bit address checked explicitly: no guard region covers a 64-bit
# range), run side by side on Kiln's JIT and on wasmtime. Prints a markdown table of
# median run times and the memory64/memory32 ratio per engine.
#
# Usage: ./memory64.sh [--runs R]
set -euo pipefail
cd "$(dirname "$0")"

runs=5
if [[ ${1:-} == --runs ]]; then runs=${2:?--runs needs a value}; fi

KERNELS=(sieve matmul nbody sha256 sort)
declare -A SIZE=([sieve]=30000000 [matmul]=384 [nbody]=80000 [sha256]=10 [sort]=3000000)

mkdir -p Kernels/build/memory64
flags=(-O2 -fno-math-errno -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--export-memory --no-wasm-opt)
for kernel in "${KERNELS[@]}"; do
    clang "${flags[@]}" --target=wasm32 -o "Kernels/build/memory64/$kernel.32.wasm" "Kernels/$kernel.c"
    clang "${flags[@]}" --target=wasm64 -o "Kernels/build/memory64/$kernel.64.wasm" "Kernels/$kernel.c"
done

source ./side-by-side.sh
engines=(kiln-jit)
python3 -c 'import wasmtime' 2> /dev/null && engines+=(wasmtime)

echo "| kernel | size | engine | memory32 ms | memory64 ms | memory64/memory32 |"
echo "|---|--:|---|--:|--:|--:|"
declare -A logs
for kernel in "${KERNELS[@]}"; do
    size=${SIZE[$kernel]}
    for engine in "${engines[@]}"; do
        echo "$kernel on $engine" >&2
        read -r m32 c32 <<< "$(run "$engine" "Kernels/build/memory64/$kernel.32.wasm" "$size")"
        read -r m64 c64 <<< "$(run "$engine" "Kernels/build/memory64/$kernel.64.wasm" "$size")"
        [[ $c32 == "$c64" ]] || { echo "checksum mismatch on $kernel/$engine: $c32 vs $c64" >&2; exit 1; }
        r=$(awk -v a="$m64" -v b="$m32" 'BEGIN { printf "%.2f", a / b }')
        logs[$engine]+=" $r"
        echo "| $kernel | $size | $engine | $m32 | $m64 | $r |"
    done
done
for engine in "${engines[@]}"; do
    g=$(geomean ${logs[$engine]})
    echo "| **geomean** | | $engine | | | **$g** |"
done
