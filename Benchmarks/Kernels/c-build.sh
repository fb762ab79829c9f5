# Sourced by Kernels/build.sh and Programs/build.sh (which cd to their folder first and
# set CC): builds one C file twice, as a freestanding wasm32 module and natively.

# Flags shared by both builds. -fno-math-errno lets the native build use the sqrt
# instruction directly, matching wasm's f64.sqrt (clang's wasm default already).
COMMON_FLAGS=(-O2 -fno-math-errno -Wall -Wextra)
# No libc: the modules are freestanding. --no-entry because there is no _start;
# the memory is exported by wasm-ld by default, but being explicit documents intent.
WASM_FLAGS=(--target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--export-memory)
# clang runs binaryen's wasm-opt after linking whenever it is on PATH: never, so the modules
# are the same on every machine. clang 17 takes --no-wasm-opt but then skips the link (see
# Utilities/wasi-cc), so only clang 18 and later are given it.
major=$("$CC" --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
if [[ -n $major && $major -ge 18 ]]; then WASM_FLAGS+=(--no-wasm-opt); fi

# The default problem size lives in one place: the "// default size: N" line at
# the top of each source.
default_size() {
    sed -n 's|^// default size: *\([0-9][0-9]*\).*|\1|p' "$1" | head -n 1
}

# build_twice NAME NATIVE_MAIN KIND: NAME.c -> build/NAME.wasm and build/native/NAME (with
# NATIVE_MAIN, printing "NAME <size> <checksum>"); KIND names it in messages.
build_twice() {
    local name=$1 native_main=$2 kind=$3 size
    size=$(default_size "$name.c")
    if [[ -z $size ]]; then
        echo "error: $name.c has no '// default size: N' line" >&2
        exit 1
    fi
    echo "$kind $name (default size $size)"
    "$CC" "${COMMON_FLAGS[@]}" "${WASM_FLAGS[@]}" -o "build/$name.wasm" "$name.c"
    "$CC" "${COMMON_FLAGS[@]}" -DKERNEL_NAME="\"$name\"" -DDEFAULT_SIZE="$size" \
        -o "build/native/$name" "$native_main" "$name.c"
}
