#!/usr/bin/env bash
# The AArch64 issue's emulated comparison: emulated time says nothing about native speed, so
# both ISAs run under qemu-user in one run (qemu-aarch64 for the AArch64 build, qemu-x86_64
# for the x86-64 build) and only ratios within an ISA are reported: how much faster the JIT
# is than the interpreter on each benchmark kernel (Benchmarks/Kernels, quick sizes).
#
# Needs Utilities/aarch64/setup.sh (qemu) and CONFIG=release Utilities/aarch64/test.sh (the
# AArch64 build); builds the x86-64 kiln with `swift build -c release` and the kernels.
# Usage: Utilities/aarch64/emulated-ratios.sh [--runs R]   (median of R runs, default 3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
origin="$(cd "$here/../.." && pwd)"
ROOT=${ROOT:-/srv/kiln-a64}
runs=3
[ "${1:-}" = --runs ] && runs=${2:?--runs needs a value}

for emulator in qemu-aarch64 qemu-x86_64; do
    [ -x "$ROOT/qemu/bin/$emulator" ] || { echo "no $ROOT/qemu/bin/$emulator: run Utilities/aarch64/setup.sh" >&2; exit 1; }
done
a64="$ROOT/src/.build/aarch64-unknown-linux-gnu/release/kiln"
[ -x "$a64" ] || { echo "no AArch64 build: run CONFIG=release Utilities/aarch64/test.sh first" >&2; exit 1; }
(cd "$origin" && swift build -c release --product kiln >&2)
x64="$origin/.build/release/kiln"
(cd "$origin/Benchmarks/Kernels" && ./build.sh --no-large >&2)

declare -A SIZE=([fib]=30 [sieve]=4000000 [matmul]=128 [nbody]=16000 [sha256]=2 [sort]=400000 [interp]=200000 [dispatch]=4000000)
KERNELS=(fib sieve matmul nbody sha256 sort interp dispatch)

# Median wall time in milliseconds of `kiln run --engine E --invoke run KERNEL SIZE`, minus
# the same for size 0 (process start under emulation, decoding, compiling).
measure() {
    local run0 runN
    runN=$(measureOnce "$@")
    run0=$(measureOnce "${@:1:4}" 0)
    echo $(( runN > run0 ? runN - run0 : 1 ))
}

measureOnce() {
    local emulator=$1 kiln=$2 engine=$3 kernel=$4 size=$5 times=() prefix=()
    # The AArch64 build's libraries are in the arm64 sysroot; the x86-64 build uses the host's.
    [[ $emulator == *aarch64 ]] && prefix=(-L "$ROOT/arm64root")
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$ROOT/qemu/bin/$emulator" "${prefix[@]}" "$kiln" run --engine "$engine" --invoke run "$origin/Benchmarks/Kernels/build/$kernel.wasm" "$size" >/dev/null \
            || { echo "failed: $emulator $kiln run --engine $engine $kernel $size" >&2; exit 1; }
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

echo "| kernel | size | x86-64 jit ms | x86-64 interp ms | x86-64 interp/jit | AArch64 jit ms | AArch64 interp ms | AArch64 interp/jit |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|"
for kernel in "${KERNELS[@]}"; do
    size=${SIZE[$kernel]}
    xj=$(measure qemu-x86_64 "$x64" jit "$kernel" "$size")
    xi=$(measure qemu-x86_64 "$x64" interp "$kernel" "$size")
    aj=$(measure qemu-aarch64 "$a64" jit "$kernel" "$size")
    ai=$(measure qemu-aarch64 "$a64" interp "$kernel" "$size")
    echo "| $kernel | $size | $xj | $xi | $(awk "BEGIN { printf \"%.1f\", $xi / $xj }") | $aj | $ai | $(awk "BEGIN { printf \"%.1f\", $ai / $aj }") |"
done
echo
echo "Milliseconds under qemu-user: median wall time of \`kiln run --invoke run KERNEL SIZE\` minus that of size 0 (process start, decoding, compiling), medians of $runs."
