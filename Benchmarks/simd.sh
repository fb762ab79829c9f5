#!/usr/bin/env bash
# SIMD on machine code: the C kernels built with clang -O3 -msimd128 (autovectorized
# loops), the existing kernels and three SIMD-heavy ones (Kernels/simd: a blur, dot
# products, a byte search), run side by side on Kiln's JIT and on wasmtime (Cranelift).
# Prints a markdown table of median run times, the Kiln/wasmtime ratio and its geometric
# mean; checksums must agree. Then compile throughput of a SIMD-heavy module against a
# scalar one of the same size (Kernels/generate_simd_compile.py), Kiln's JIT only.
#
# Usage: ./simd.sh [--runs R]    SIMD_KERNELS="k1 k2" picks kernels (none: only compile)
set -euo pipefail
cd "$(dirname "$0")"

runs=5
if [[ ${1:-} == --runs ]]; then runs=${2:?--runs needs a value}; fi

KERNELS=(${SIMD_KERNELS-fib sieve matmul nbody sha256 sort interp dispatch blur dot bytesearch})
declare -A SIZE=([fib]=37 [sieve]=30000000 [matmul]=384 [nbody]=80000 [sha256]=10 [sort]=3000000
                 [interp]=1500000 [dispatch]=25000000 [blur]=100 [dot]=1000 [bytesearch]=300)

mkdir -p Kernels/build/simd
flags=(-O3 -msimd128 -fno-math-errno --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--export-memory --no-wasm-opt)
for kernel in "${KERNELS[@]}"; do
    source=Kernels/$kernel.c
    [[ -f $source ]] || source=Kernels/simd/$kernel.c
    clang "${flags[@]}" -o "Kernels/build/simd/$kernel.wasm" "$source"
done

source ./side-by-side.sh

echo "| kernel (-O3 -msimd128) | size | wasmtime ms | Kiln JIT ms | Kiln/wasmtime |"
echo "|---|--:|--:|--:|--:|"
ratios=""
for kernel in "${KERNELS[@]}"; do
    size=${SIZE[$kernel]}
    wasm=Kernels/build/simd/$kernel.wasm
    echo "$kernel" >&2
    read -r mw cw <<< "$(run wasmtime "$wasm" "$size")"
    read -r mk ck <<< "$(run kiln-jit "$wasm" "$size")"
    [[ $cw == "$ck" ]] || { echo "checksum mismatch on $kernel: wasmtime $cw, Kiln $ck" >&2; exit 1; }
    r=$(awk -v a="$mk" -v b="$mw" 'BEGIN { printf "%.2f", a / b }')
    ratios+=" $r"
    echo "| $kernel | $size | $mw | $mk | $r |"
done
if [[ -n $ratios ]]; then echo "| **geomean** | | | | **$(geomean $ratios)** |"; fi

python3 Kernels/generate_simd_compile.py Kernels/build/simd >&2
echo
echo "| module (compile only, median of $runs) | bytes | Kiln JIT ms | MB/s |"
echo "|---|--:|--:|--:|"
declare -A rate
for flavor in scalar simd; do
    read -r _ _ bytes ms _ <<< "$("$runner" --engine kiln-jit --runs "$runs" --compile-only "Kernels/build/simd/compile-$flavor.wasm")"
    rate[$flavor]=$(awk -v b="$bytes" -v ms="$ms" 'BEGIN { printf "%.1f", b / 1e6 / (ms / 1e3) }')
    echo "| compile-$flavor.wasm | $bytes | $ms | ${rate[$flavor]} |"
done
echo "| **SIMD/scalar throughput** | | | **$(awk -v a="${rate[simd]}" -v b="${rate[scalar]}" 'BEGIN { printf "%.2f", a / b }')** |"
