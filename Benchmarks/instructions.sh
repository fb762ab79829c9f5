#!/usr/bin/env bash
# Executed instructions per kernel on Kiln's JIT and on wasmtime (Cranelift), counted by
# callgrind: each engine runs each kernel at two sizes, and the difference of the two
# counts is the work the extra iterations took, without process start-up, compilation
# and instantiation. Prints a markdown table of the differences and their ratio.
#
# Usage: ./instructions.sh [--kernels k1,k2,...] [--runner PATH]
#   --kernels  a subset of the loop kernels (default: all below), or of the larger programs
#              of Programs/ (lz, raytrace, json: not in the default list)
#   --runner   a KernelRunner binary (default: this package's release build, built here)
#
# Needs valgrind and wasmtime for python3. Slow: each run is tens of seconds under callgrind.
set -euo pipefail
cd "$(dirname "$0")"

# Two sizes per kernel: small, so that callgrind finishes; the second does more of the
# same work (compare the differences, not the sizes).
declare -A SIZES=(
    [fib]="22 25" [sieve]="500000 1000000" [matmul]="48 64" [nbody]="2000 4000"
    [sha256]="1 2" [sort]="100000 200000" [interp]="20000 40000" [dispatch]="400000 800000"
    [lz]="64 128" [raytrace]="2 4" [json]="4 8"
)
KERNELS=(fib sieve matmul nbody sha256 sort interp dispatch)
runner=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --kernels) IFS=, read -r -a KERNELS <<< "${2:?--kernels needs a value}"; shift 2 ;;
        --runner) runner=${2:?--runner needs a path}; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "instructions.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
command -v valgrind > /dev/null || { echo "instructions.sh: needs valgrind" >&2; exit 1; }
if [[ -z $runner ]]; then
    swift build -c release --product KernelRunner >&2
    runner="$(swift build -c release --show-bin-path)/KernelRunner"
fi
# The interpreter itself (python3 may be a shell shim that valgrind would count instead).
python=$(python3 -c 'import sys; print(sys.executable)')
# Valgrind gives up on the Swift toolchain's debug information: count a stripped copy.
stripped="$(mktemp)"
trap 'rm -f "$stripped"' EXIT
objcopy --strip-debug "$runner" "$stripped"
chmod +x "$stripped"
runner=$stripped
[[ -f Kernels/build/fib.wasm ]] || Kernels/build.sh --no-large >&2
[[ -f Programs/build/lz.wasm ]] || Programs/build.sh >&2
module() { if [[ -f Kernels/build/$1.wasm ]]; then echo "Kernels/build/$1.wasm"; else echo "Programs/build/$1.wasm"; fi; }

# Instructions callgrind counted for one command (JIT code included: --smc-check sees code
# written at run time).
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file "$@" 2>&1 > /dev/null \
        | sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}

echo "| kernel | sizes | kiln-jit instructions | wasmtime instructions | kiln-jit / wasmtime |"
echo "|---|--:|--:|--:|--:|"
for kernel in "${KERNELS[@]}"; do
    read -r small large <<< "${SIZES[$kernel]}"
    wasm=$(module "$kernel")
    kiln=$(( $(count "$runner" --engine kiln-jit --runs 1 --size "$large" "$wasm") \
           - $(count "$runner" --engine kiln-jit --runs 1 --size "$small" "$wasm") ))
    wasmtime=$(( $(count "$python" wasmtime_runner.py --runs 1 --size "$large" "$wasm") \
               - $(count "$python" wasmtime_runner.py --runs 1 --size "$small" "$wasm") ))
    ratio=$(python3 -c "print(f'{$kiln / $wasmtime:.2f}')")
    echo "| $kernel | $small → $large | $kiln | $wasmtime | $ratio |"
done
