#!/usr/bin/env bash
# Builds this checkout for aarch64-unknown-linux-gnu (in the chroot that setup.sh made) and
# runs it under qemu-user: the emulator probe is not needed, the tests are.
#   FILTER=regex   run only matching tests (default: all)
#   SRC=dir        where the clone to build is kept (default: ROOT/src; kept between runs)
#   FUZZ_SECONDS=n differential fuzzing time after the tests (default 30; 0 skips; not
#                  with FILTER)
#   CONFIG=release build optimized (with -enable-testing, so the tests still build): much
#                  longer to compile, many times faster to run under emulation (CI uses it)
# Exits non-zero when the build or a test fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
origin="$(cd "$here/../.." && pwd)"
ROOT=${ROOT:-/srv/kiln-a64}
SRC=${SRC:-$ROOT/src}
chroot_root="$ROOT/amd64root"
export QEMU_LD_PREFIX="$ROOT/arm64root"
sdk=(--swift-sdks-path "$ROOT/sdks" --swift-sdk kiln-aarch64)
start=$(date +%s)
say() { echo "== [aarch64 $(( $(date +%s) - start ))s] $*"; }

# The checkout as committed, plus what is not committed yet (a clean copy of the work tree).
say "copy of $origin -> $SRC"
mkdir -p "$SRC"
find "$SRC" -mindepth 1 -maxdepth 1 ! -name .build -exec rm -rf {} +
tar -C "$origin" --exclude=./.build --exclude=./.git --exclude=./Package.resolved --exclude='./Benchmarks/.build' -cf - . | tar -C "$SRC" -xf -
# The test suites and shared data beside it, as on the host.
shared="$(cd "$origin/.." && pwd)/shared"

mountpoint -q "$chroot_root/proc" || mount -t proc proc "$chroot_root/proc"
mountpoint -q "$chroot_root/dev" || mount --rbind /dev "$chroot_root/dev"
for dir in /opt/swift-packages "$ROOT/mirrors" "$ROOT/sdks" "$ROOT/arm64root" "$SRC" "$shared" /tmp; do
    [ -d "$dir" ] || continue
    mkdir -p "$chroot_root$dir"
    # A bind mount left by an earlier run may show an older directory of the same name
    # (the host's was replaced since): mount it again unless it is the same directory.
    if mountpoint -q "$chroot_root$dir" && [ "$(stat -c %d:%i "$dir")" != "$(stat -c %d:%i "$chroot_root$dir")" ]; then
        umount -l "$chroot_root$dir"
    fi
    mountpoint -q "$chroot_root$dir" || mount --bind "$dir" "$chroot_root$dir"
done
inside() {
    chroot "$chroot_root" env HOME=/root QEMU_LD_PREFIX="$QEMU_LD_PREFIX" CI="${CI:-}" \
        KILN_TESTSUITE="$shared/wasm-testsuite" KILN_WASI_TESTSUITE="$shared/wasi-testsuite" \
        PATH=/usr/local/kiln-bin:/usr/libexec/swift/bin:/usr/local/bin:/usr/bin:/bin \
        bash -c "cd '$SRC' && $*"
}

say "WasmKit from the tools-version-6.2 mirror"
inside "swift package config set-mirror --original https://github.com/swiftwasm/WasmKit --mirror '$ROOT/mirrors/WasmKit.git'"
inside "swift package resolve" >/dev/null

CONFIG=${CONFIG:-debug}
build=(-c "$CONFIG")
[ "$CONFIG" = release ] && build+=(-Xswiftc -enable-testing)
say "build ($CONFIG)"
inside "swift build ${sdk[*]} ${build[*]} --build-tests"
kiln="$SRC/.build/aarch64-unknown-linux-gnu/$CONFIG/kiln"
file "$kiln" | sed "s|$SRC/||"
"$kiln" run -v --invoke fib "$SRC/Examples/fib.wat" 20

say "swift test under qemu"
filter=()
[ -n "${FILTER:-}" ] && filter=(--filter "'$FILTER'")
inside "swift test ${sdk[*]} ${build[*]} --skip-build ${filter[*]}"
if [ -z "${FILTER:-}" ] && [ "${FUZZ_SECONDS:-30}" != 0 ]; then
    bin="$SRC/.build/aarch64-unknown-linux-gnu/$CONFIG"
    # swift test runs the whole suite with guard pages and the memory scripts with explicit
    # checks; here every script runs on AArch64 machine code with explicit checks too.
    say "the 2.0 spec suite (as 2.0) on the AArch64 JIT with explicit bounds checks"
    "$bin/kiln" wast --spec 2.0 --bounds-checks explicit "$shared"/wasm-testsuite/*.wast | tail -n 1
    say "the 3.0 spec suite (GC modules skipped) on the AArch64 JIT with explicit bounds checks"
    "$bin/kiln" wast --bounds-checks explicit "$shared"/wasm-testsuite-3.0/*.wast "$shared"/wasm-testsuite-3.0/legacy/*.wast | tail -n 1
    say "fuzz corpora replayed on AArch64 machine code"
    KILN_FUZZ_TARGET=differential "$bin/kiln-fuzz-target" "$SRC/Tests/KilnTests/Fuzz/Corpus/generated"
    KILN_FUZZ_TARGET=decode "$bin/kiln-fuzz-target" "$SRC/Tests/KilnTests/Fuzz/Corpus/decode"
    seed=$(( $(date +%s) % 1000000 ))
    say "differential fuzzing, AArch64 JIT against the interpreter, from seed $seed"
    "$bin/kiln" fuzz --seconds "${FUZZ_SECONDS:-30}" --seed "$seed" --output "$SRC/.build/fuzz-failures"
fi
say "done"
