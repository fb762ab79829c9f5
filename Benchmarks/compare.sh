#!/usr/bin/env bash
# Compares Kiln (JIT and interpreter) against WasmKit and wasmtime on the kernels in
# Kernels/, and prints a markdown table of median run times and ratios, also written
# to results/latest.md.
#
# Usage: ./compare.sh [--runs R] [--quick] [--large] [--kernels k1,k2,...]
#   --runs R     calls of run(size) per engine and kernel; the median is reported (default 5)
#   --quick      smaller sizes (~5x less work) for a fast smoke test
#   --large      build Kernels/build/large.wasm if it is missing (slow). When large.wasm
#                exists, its compile time is always measured.
#   --kernels    comma-separated subset of the kernels
#
# Every (kernel, engine) pair runs in its own process (KernelRunner for Kiln and
# WasmKit, wasmtime_runner.py for wasmtime), one engine after another for a kernel,
# so engines never share heap state, caches or JIT code. Progress goes to stderr;
# only the report goes to stdout.
#
# Exit status: 0 if every engine ran every kernel and all checksums agree, 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")"

runs=5
quick=0
want_large=0
only_kernels=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) runs=${2:?--runs needs a value}; shift 2 ;;
        --quick) quick=1; shift ;;
        --large) want_large=1; shift ;;
        --kernels) only_kernels=${2:?--kernels needs a value}; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "compare.sh: --runs needs a positive integer" >&2
    exit 2
fi

# Benchmark sizes. The kernels' "// default size" values are sized for native code
# (~0.3 s each) and would take minutes in an interpreter, so these are scaled down
# until Kiln's interpreter needs roughly 0.5-1 s per call (measured on the 2-core
# development machine; the quick sizes take ~0.1-0.2 s). The compiled engines (wasmtime
# and Kiln's JIT) finish the same work in tens of milliseconds, which the monotonic
# clocks resolve easily, though it makes their columns more sensitive to noise.
KERNELS=(fib sieve matmul nbody sha256 sort interp dispatch)
declare -A FULL_SIZE=(
    [fib]=37             # recursion depth n: ~fib(n) calls
    [sieve]=30000000     # numbers sieved
    [matmul]=384         # n x n matrices
    [nbody]=80000        # simulation steps
    [sha256]=10          # MiB hashed
    [sort]=3000000       # elements
    [interp]=1500000     # bytecode loop iterations
    [dispatch]=25000000  # indirect calls
)
declare -A QUICK_SIZE=(
    [fib]=33 [sieve]=6000000 [matmul]=192 [nbody]=16000
    [sha256]=2 [sort]=600000 [interp]=300000 [dispatch]=5000000
)

if [[ -n $only_kernels ]]; then
    IFS=, read -r -a KERNELS <<< "$only_kernels"
    for kernel in "${KERNELS[@]}"; do
        if [[ -z ${FULL_SIZE[$kernel]:-} ]]; then
            echo "compare.sh: unknown kernel $kernel" >&2
            exit 2
        fi
    done
fi

log() { echo "compare.sh: $*" >&2; }
started=$(date +%s)
# Recorded now, before building: the Kiln sources may change while the benchmarks run,
# and the report should name the state that was compiled. --no-optional-locks: a
# report must not rewrite the index of the checkout it describes.
kiln_commit=$(git -C .. rev-parse --short HEAD 2> /dev/null || echo unknown)
if git -C .. --no-optional-locks status --porcelain -- Sources CShims Package.swift 2> /dev/null | grep -q .; then
    kiln_commit+=" (with uncommitted changes to Kiln)"
fi

# --- Kernels ------------------------------------------------------------------------
missing=0
for kernel in "${KERNELS[@]}"; do
    [[ -f Kernels/build/$kernel.wasm ]] || missing=1
done
if [[ $want_large == 1 && ! -f Kernels/build/large.wasm ]]; then
    log "building kernels and large.wasm (Kernels/build.sh; the large module takes minutes)"
    Kernels/build.sh >&2
elif [[ $missing == 1 ]]; then
    log "building kernels (Kernels/build.sh --no-large)"
    Kernels/build.sh --no-large >&2
fi

# --- KernelRunner -------------------------------------------------------------------
# Only this product: building the whole package would also build the ordo-one
# Benchmark targets, which take long and are not needed here.
log "building KernelRunner (release)"
swift build -c release --product KernelRunner >&2
runner="$(swift build -c release --show-bin-path)/KernelRunner"

# --- wasmtime -----------------------------------------------------------------------
ENGINES=(kiln-jit kiln-interp wasmkit)
if ! python3 -c 'import wasmtime' 2> /dev/null; then
    log "installing wasmtime from PyPI (pip install wasmtime)"
    python3 -m pip install --quiet wasmtime >&2 || true
fi
if python3 -c 'import wasmtime' 2> /dev/null; then
    ENGINES+=(wasmtime)
    wasmtime_label="wasmtime $(python3 -m pip show wasmtime 2> /dev/null | sed -n 's/^Version: //p') (Python binding, Cranelift)"
else
    # Not fatal: the Kiln/WasmKit comparison is still worth having offline.
    log "WARNING: wasmtime is unavailable (pip install failed: no network?); skipping the wasmtime column"
    wasmtime_label="wasmtime NOT RUN (not installed, pip install failed)"
fi

# Runs one engine; prints its single result line, or nothing (with the error on
# stderr) if the engine failed.
run_engine() {
    local engine=$1
    shift
    if [[ $engine == wasmtime ]]; then
        python3 wasmtime_runner.py "$@"
    else
        "$runner" --engine "$engine" "$@"
    fi
}

# Floating-point helpers; bash arithmetic is integer-only.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print ""; else printf "%.2f", a / b }'; }
# Geometric mean of the arguments, or empty if there are none.
geomean() { awk 'BEGIN { n = 0; s = 0; for (i = 1; i < ARGC; i++) if (ARGV[i] > 0) { s += log(ARGV[i]); n++ } if (n) printf "%.2f", exp(s / n) }' "$@"; }
# Empty cells (engine missing or failed) are shown as "n/a".
cell() { echo "${1:-n/a}"; }

# --- Kernels, engine by engine ------------------------------------------------------
declare -A median compile checksum checksum_status
failures=()
mismatches=()
for kernel in "${KERNELS[@]}"; do
    if [[ $quick == 1 ]]; then size=${QUICK_SIZE[$kernel]}; else size=${FULL_SIZE[$kernel]}; fi
    for engine in "${ENGINES[@]}"; do
        log "$kernel (size $size) on $engine, $runs runs"
        if line=$(run_engine "$engine" --runs "$runs" --size "$size" "Kernels/build/$kernel.wasm") && [[ -n $line ]]; then
            # engine kernel size compile_ms median_ms min_ms checksum
            read -r _ _ _ c m _ sum <<< "$line"
            compile[$kernel,$engine]=$c
            median[$kernel,$engine]=$m
            checksum[$kernel,$engine]=$sum
        else
            log "ERROR: $engine failed on $kernel"
            failures+=("$kernel/$engine")
        fi
    done

    # The native build of the same C source is the reference result; it also catches
    # the case where every engine agrees on a wrong answer.
    reference=""
    if [[ -x Kernels/build/native/$kernel ]]; then
        reference=$(Kernels/build/native/"$kernel" "$size" 2> /dev/null | awk '{ print $3 }')
    fi
    for engine in "${ENGINES[@]}"; do
        sum=${checksum[$kernel,$engine]:-}
        [[ -z $sum ]] && continue
        if [[ -n $reference ]]; then
            expected=$reference source="native build"
        else
            expected=${checksum[$kernel,${ENGINES[0]}]:-$sum} source=${ENGINES[0]}
        fi
        if [[ $sum != "$expected" ]]; then
            echo "!!!!! CHECKSUM MISMATCH: $kernel size $size: $engine returned $sum, expected $expected ($source)" >&2
            mismatches+=("$kernel/$engine")
            checksum_status[$kernel]=MISMATCH
        fi
    done
done

# --- Compile time of the large module -----------------------------------------------
declare -A large_ms
large_bytes=""
if [[ -f Kernels/build/large.wasm ]]; then
    # Compiles are slower than kernel calls (seconds for wasmtime), so fewer runs.
    large_runs=$(( runs < 3 ? runs : 3 ))
    for engine in "${ENGINES[@]}"; do
        log "large.wasm compile on $engine, $large_runs runs"
        if line=$(run_engine "$engine" --runs "$large_runs" --compile-only Kernels/build/large.wasm) && [[ -n $line ]]; then
            # engine module bytes median_ms min_ms
            read -r _ _ large_bytes m _ <<< "$line"
            large_ms[$engine]=$m
        else
            log "ERROR: $engine failed to compile large.wasm"
            failures+=("large/$engine")
        fi
    done
else
    log "Kernels/build/large.wasm not built; skipping compile times (--large builds it)"
fi

# --- Report -------------------------------------------------------------------------
mkdir -p results
report() {
    local cpu
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2> /dev/null | head -n 1)
    echo "# Kernel benchmarks"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), Kiln ${kiln_commit}, ${cpu:-$(uname -m)}, $(nproc) cores."
    echo "Median of $runs calls per engine$([[ $quick == 1 ]] && echo ", --quick sizes"); WasmKit 0.4.2 (eager translation); $wasmtime_label."
    echo "kiln-jit is Config(strategy: .jit), kiln-interp is Config(strategy: .interpreter)."
    echo
    echo "Run time per call in ms; a ratio above 1 means the first engine is slower."
    echo
    local header="| kernel | size |" rule="|---|--:|"
    for engine in "${ENGINES[@]}"; do header+=" $engine |"; rule+="--:|"; done
    echo "$header kiln-interp/wasmkit | kiln-jit/wasmtime | wasmkit/kiln-jit | checksum |"
    echo "$rule--:|--:|--:|---|"
    local r1=() r2=() r3=()
    declare -A times_of
    for kernel in "${KERNELS[@]}"; do
        local size row a b c
        if [[ $quick == 1 ]]; then size=${QUICK_SIZE[$kernel]}; else size=${FULL_SIZE[$kernel]}; fi
        row="| $kernel | $size |"
        for engine in "${ENGINES[@]}"; do
            row+=" $(cell "${median[$kernel,$engine]:-}") |"
            [[ -n ${median[$kernel,$engine]:-} ]] && times_of[$engine]+=" ${median[$kernel,$engine]}"
        done
        a=$(ratio "${median[$kernel,kiln-interp]:-}" "${median[$kernel,wasmkit]:-}")
        b=$(ratio "${median[$kernel,kiln-jit]:-}" "${median[$kernel,wasmtime]:-}")
        c=$(ratio "${median[$kernel,wasmkit]:-}" "${median[$kernel,kiln-jit]:-}")
        [[ -n $a ]] && r1+=("$a")
        [[ -n $b ]] && r2+=("$b")
        [[ -n $c ]] && r3+=("$c")
        echo "$row $(cell "$a") | $(cell "$b") | $(cell "$c") | ${checksum_status[$kernel]:-ok} |"
    done
    # Geometric mean, because the kernels' times differ by orders of magnitude and a
    # ratio's inverse should get the inverse mean. The time columns' means compare
    # engines with each other only; they are not a time of anything.
    local row="| **geomean** | |"
    for engine in "${ENGINES[@]}"; do
        # shellcheck disable=SC2086 # word splitting of the list is intended
        row+=" $(cell "$(geomean ${times_of[$engine]:-})") |"
    done
    echo "$row **$(cell "$(geomean "${r1[@]}")")** | **$(cell "$(geomean "${r2[@]}")")** | **$(cell "$(geomean "${r3[@]}")")** | |"
    # Before Kiln had a JIT, .jit fell back to the interpreter; equal speeds would mean
    # that is happening again, which would make every kiln-jit number misleading.
    local jit_vs_interp
    jit_vs_interp=$(ratio "$(geomean ${times_of[kiln-interp]:-})" "$(geomean ${times_of[kiln-jit]:-})")
    if [[ -n $jit_vs_interp ]] && awk -v r="$jit_vs_interp" 'BEGIN { exit !(r < 1.2) }'; then
        echo
        echo "**Note:** kiln-jit is only ${jit_vs_interp}x faster than kiln-interp: is the JIT actually in use?"
    fi

    echo
    echo "Compile + instantiate time per kernel in ms (engine creation excluded):"
    echo
    header="| kernel |"; rule="|---|"
    for engine in "${ENGINES[@]}"; do header+=" $engine |"; rule+="--:|"; done
    echo "$header"
    echo "$rule"
    for kernel in "${KERNELS[@]}"; do
        row="| $kernel |"
        for engine in "${ENGINES[@]}"; do row+=" $(cell "${compile[$kernel,$engine]:-}") |"; done
        echo "$row"
    done

    if [[ -n $large_bytes ]]; then
        echo
        echo "Compile time of large.wasm ($large_bytes bytes), median of $large_runs. Kiln: Module(engine, bytes:)"
        echo "(decode, validate, translate). WasmKit: parse + instantiate with eager translation."
        echo "wasmtime: Module(engine, bytes), Cranelift, which compiles functions in parallel on all cores."
        echo
        echo "| engine | compile ms | MB/s |"
        echo "|---|--:|--:|"
        for engine in "${ENGINES[@]}"; do
            local ms=${large_ms[$engine]:-}
            local rate=""
            [[ -n $ms ]] && rate=$(awk -v b="$large_bytes" -v ms="$ms" 'BEGIN { printf "%.1f", b / 1e6 / (ms / 1e3) }')
            echo "| $engine | $(cell "$ms") | $(cell "$rate") |"
        done
    fi

    if [[ ${#failures[@]} -gt 0 ]]; then
        echo
        echo "**FAILED:** ${failures[*]}"
    fi
    if [[ ${#mismatches[@]} -gt 0 ]]; then
        echo
        echo "**CHECKSUM MISMATCH:** ${mismatches[*]}"
    fi
    echo
    echo "Total time of compare.sh: $(( $(date +%s) - started )) s."
}
report | tee results/latest.md

if [[ ${#failures[@]} -gt 0 || ${#mismatches[@]} -gt 0 ]]; then
    exit 1
fi
