# Sourced by the side-by-side benchmark scripts (simd.sh, memory64.sh): builds the release
# KernelRunner and runs a kernel on an engine. Needs `runs` set by the caller.

echo "building KernelRunner (release)" >&2
swift build -c release --product KernelRunner >&2
runner="$(swift build -c release --show-bin-path)/KernelRunner"

run() {  # engine wasm size -> "median_ms checksum"
    local line
    if [[ $1 == wasmtime ]]; then
        line=$(python3 wasmtime_runner.py --runs "$runs" --size "$3" "$2")
    else
        line=$("$runner" --engine "$1" --runs "$runs" --size "$3" "$2")
    fi
    read -r _ _ _ _ median _ checksum <<< "$line"
    echo "$median $checksum"
}

geomean() {  # ratios... -> their geometric mean, two decimals
    awk 'BEGIN { s = 0; for (i = 1; i < ARGC; i++) s += log(ARGV[i]); printf "%.2f", exp(s / (ARGC - 1)) }' "$@"
}
