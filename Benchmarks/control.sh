#!/usr/bin/env bash
# Exceptions and tail calls on Kiln's JIT, Kiln's interpreter and wasmtime: the WAT
# modules in Control/, each exporting run(n) -> i64 that does n iterations and returns a
# checksum, in pairs that differ in one thing:
#
#   throw_five_up  / call_five_deep : a throw caught five frames up / the same five calls returning
#   try_table_loop / plain_loop     : a call inside a try_table entered and left / without it
#   tail_calls     / calls          : n hops of return_call / n ordinary calls from a loop
#
# Prints the raw runner lines on stderr, then a markdown table of ns per iteration (the
# median of R calls divided by n) and the derived costs. Exits 1 if two engines, or the
# two modules of a pair, disagree on a checksum.
#
# Usage: ./control.sh [--runs R]
set -euo pipefail
cd "$(dirname "$0")"

runs=5
if [[ ${1:-} == --runs ]]; then runs=${2:?--runs needs a value}; fi

python3 -c 'import wasmtime' 2> /dev/null || { echo "control.sh: needs wasmtime for python3 (pip install wasmtime)" >&2; exit 1; }

MODULES=(throw_five_up call_five_deep try_table_loop plain_loop tail_calls calls)
# n per module: about 100-500 ms per call on kiln-jit on the development machine.
declare -A SIZE=(
    [throw_five_up]=300000 [call_five_deep]=20000000
    [try_table_loop]=80000000 [plain_loop]=80000000
    [tail_calls]=80000000 [calls]=80000000
)
ENGINES=(kiln-jit kiln-interp wasmtime)

out=Kernels/build/control
mkdir -p "$out"
for module in "${MODULES[@]}"; do
    python3 -c 'import wasmtime, sys; open(sys.argv[2], "wb").write(wasmtime.wat2wasm(open(sys.argv[1]).read()))' \
        "Control/$module.wat" "$out/$module.wasm"
done

echo "building KernelRunner (release)" >&2
flock /tmp/kiln-build.lock swift build -c release --product KernelRunner >&2
runner="$(flock /tmp/kiln-build.lock swift build -c release --show-bin-path)/KernelRunner"

declare -A ns checksum
for module in "${MODULES[@]}"; do
    n=${SIZE[$module]}
    for engine in "${ENGINES[@]}"; do
        if [[ $engine == wasmtime ]]; then
            line=$(python3 wasmtime_runner.py --runs "$runs" --size "$n" "$out/$module.wasm")
        else
            line=$("$runner" --engine "$engine" --runs "$runs" --size "$n" "$out/$module.wasm")
        fi
        echo "$line" >&2
        # engine kernel size compile_ms median_ms min_ms checksum
        read -r _ _ _ _ median _ sum <<< "$line"
        ns[$module/$engine]=$(awk -v ms="$median" -v n="$n" 'BEGIN { printf "%.2f", ms * 1e6 / n }')
        checksum[$module/$engine]=$sum
    done
done

status=0
for module in "${MODULES[@]}"; do
    for engine in "${ENGINES[@]}"; do
        if [[ ${checksum[$module/$engine]} != "${checksum[$module/kiln-jit]}" ]]; then
            echo "checksum mismatch on $module: $engine ${checksum[$module/$engine]}, kiln-jit ${checksum[$module/kiln-jit]}" >&2
            status=1
        fi
    done
done
# The two modules of a pair compute the same checksum for the same n (their sizes above
# differ where their costs do): compare them once more at n = 1000 on every engine.
for pair in throw_five_up/call_five_deep try_table_loop/plain_loop tail_calls/calls; do
    a=${pair%/*} b=${pair#*/}
    for engine in "${ENGINES[@]}"; do
        sums=()
        for module in "$a" "$b"; do
            if [[ $engine == wasmtime ]]; then
                line=$(python3 wasmtime_runner.py --runs 1 --size 1000 "$out/$module.wasm")
            else
                line=$("$runner" --engine "$engine" --runs 1 --size 1000 "$out/$module.wasm")
            fi
            sums+=("${line##* }")
        done
        if [[ ${sums[0]} != "${sums[1]}" ]]; then
            echo "checksum mismatch between $a and $b on $engine at n = 1000: ${sums[0]} vs ${sums[1]}" >&2
            status=1
        fi
    done
done

echo "| benchmark | n | kiln-jit ns/iteration | kiln-interp ns/iteration | wasmtime ns/iteration |"
echo "|---|--:|--:|--:|--:|"
for module in "${MODULES[@]}"; do
    row="| $module | ${SIZE[$module]}"
    for engine in "${ENGINES[@]}"; do row+=" | ${ns[$module/$engine]}"; done
    echo "$row |"
done
derived() {  # label a b awk-expression-of-x-and-y format
    local row="| $1 |" engine
    for engine in "${ENGINES[@]}"; do
        row+=" | $(awk -v x="${ns[$2/$engine]}" -v y="${ns[$3/$engine]}" "BEGIN { printf \"$5\", $4 }")"
    done
    echo "$row |"
}
derived "throw caught 5 frames up (throw_five_up − call_five_deep), ns" throw_five_up call_five_deep "x - y" "%.1f"
derived "try_table entered and left (try_table_loop / plain_loop ratio)" try_table_loop plain_loop "x / y" "%.2f×"
derived "tail call vs call (ns per hop, ratio tail_calls / calls)" tail_calls calls "x, y, x / y" "%.2f vs %.2f ns, %.2f×"
exit $status
