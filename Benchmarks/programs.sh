#!/usr/bin/env bash
# Larger C programs that Kiln's JIT was not tuned for (Programs/: an LZ77 compressor
# and decompressor, a double-precision ray tracer, a JSON parser), run side by side on
# Kiln's JIT and on wasmtime (Cranelift). Where the kernels in Kernels/ each isolate one
# feature, these mix many, as real code does. Prints a markdown table of median run
# times per call, the Kiln/wasmtime ratio and its geometric mean.
#
# Usage: ./programs.sh [--runs R]    R calls of run(size) per engine, median reported
#                                    (default 5); PROGRAMS="p1 p2" picks programs
#
# Builds the modules with Programs/build.sh (every time: it takes about a second) and
# the release KernelRunner (via side-by-side.sh). Every engine's checksum is compared
# with the native build of the same source; the checksum column says "ok" when all
# three agree. Progress goes to stderr, the report to stdout.
#
# Exit status: 0 if all checksums agree, 1 if any disagree or an engine failed.
set -euo pipefail
cd "$(dirname "$0")"

runs=5
while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) runs=${2:?--runs needs a value}; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "programs.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "programs.sh: --runs needs a positive integer" >&2
    exit 2
fi

# Benchmark sizes: wasmtime takes roughly 170 ms per call at these (measured on the
# 2-core development machine), Kiln's JIT about as long or somewhat longer. The
# programs' "// default size" values are for the native build (~0.4 s).
PROGRAMS=(${PROGRAMS-lz raytrace json})
declare -A SIZE=(
    [lz]=4096       # KiB of text compressed and decompressed
    [raytrace]=96   # frames of 160 x 120 pixels
    [json]=240      # parses of a ~190 KiB document
)
for program in "${PROGRAMS[@]}"; do
    if [[ -z ${SIZE[$program]:-} ]]; then
        echo "programs.sh: unknown program $program" >&2
        exit 2
    fi
done

Programs/build.sh >&2

source ./side-by-side.sh

echo "| program | size | wasmtime ms | Kiln JIT ms | Kiln/wasmtime | checksum |"
echo "|---|--:|--:|--:|--:|---|"
ratios=""
mismatches=()
for program in "${PROGRAMS[@]}"; do
    size=${SIZE[$program]}
    wasm=Programs/build/$program.wasm
    echo "$program (size $size), $runs runs per engine" >&2
    read -r mw cw <<< "$(run wasmtime "$wasm" "$size")"
    read -r mk ck <<< "$(run kiln-jit "$wasm" "$size")"
    native=$(Programs/build/native/"$program" "$size" 2> /dev/null | awk '{ print $3 }')
    status=ok
    if [[ -z ${mw:-} || -z ${mk:-} ]]; then
        # An engine failed (its error is on stderr above): no time, no ratio.
        echo "!!!!! $program: an engine failed (wasmtime '${mw:-}', Kiln '${mk:-}')" >&2
        status="FAILED"
        mismatches+=("$program")
    elif [[ $cw != "$native" || $ck != "$native" ]]; then
        echo "!!!!! CHECKSUM MISMATCH on $program size $size: native $native, wasmtime $cw, Kiln $ck" >&2
        status="MISMATCH (native $native, wasmtime $cw, Kiln $ck)"
        mismatches+=("$program")
    fi
    r=n/a
    if [[ $status != FAILED ]]; then
        r=$(awk -v a="$mk" -v b="$mw" 'BEGIN { printf "%.2f", a / b }')
        ratios+=" $r"
    fi
    echo "| $program | $size | ${mw:-n/a} | ${mk:-n/a} | $r | $status |"
done
# shellcheck disable=SC2086 # word splitting of the list is intended
if [[ -n $ratios ]]; then echo "| **geomean** | | | | **$(geomean $ratios)** | |"; fi

if [[ ${#mismatches[@]} -gt 0 ]]; then
    echo
    echo "**FAILED OR CHECKSUM MISMATCH:** ${mismatches[*]}"
    exit 1
fi
