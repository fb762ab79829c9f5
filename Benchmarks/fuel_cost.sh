#!/usr/bin/env bash
# The cost of fuel metering (Config.consumeFuel) on the benchmark kernels: each Kiln engine
# with and without fuel, side by side, median of --runs calls. Prints a markdown table.
#
# Usage: ./fuel_cost.sh [--runs R]
set -euo pipefail
cd "$(dirname "$0")"
runs=5
[[ ${1:-} == --runs ]] && runs=${2:?--runs needs a value}

declare -A SIZE=([fib]=37 [sieve]=30000000 [matmul]=384 [nbody]=80000 [sha256]=10 [sort]=3000000
                 [interp]=1500000 [dispatch]=25000000)
KERNELS=(fib sieve matmul nbody sha256 sort interp dispatch)
[[ -f Kernels/build/fib.wasm ]] || Kernels/build.sh --no-large >&2
swift build -c release --product KernelRunner >&2
runner="$(swift build -c release --show-bin-path)/KernelRunner"

median() { "$runner" --engine "$1" --runs "$runs" --size "${SIZE[$2]}" "Kernels/build/$2.wasm" | awk '{ print $5 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "| kernel | kiln-jit | kiln-jit + fuel | ratio | kiln-interp | kiln-interp + fuel | ratio |"
echo "|---|--:|--:|--:|--:|--:|--:|"
jit_ratios=() interp_ratios=()
for kernel in "${KERNELS[@]}"; do
    echo "fuel_cost.sh: $kernel" >&2
    j=$(median kiln-jit "$kernel"); jf=$(median kiln-jit-fuel "$kernel")
    i=$(median kiln-interp "$kernel"); if_=$(median kiln-interp-fuel "$kernel")
    jr=$(ratio "$jf" "$j"); ir=$(ratio "$if_" "$i")
    jit_ratios+=("$jr"); interp_ratios+=("$ir")
    echo "| $kernel | $j | $jf | $jr | $i | $if_ | $ir |"
done
geomean() { awk 'BEGIN { s = 0; for (i = 1; i < ARGC; i++) s += log(ARGV[i]); printf "%.2f", exp(s / (ARGC - 1)) }' "$@"; }
echo "| **geomean** | | | **$(geomean "${jit_ratios[@]}")** | | | **$(geomean "${interp_ratios[@]}")** |"
