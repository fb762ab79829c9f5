#!/usr/bin/env bash
# Prepares an x86-64 Debian machine to build Kiln as AArch64 Linux code and run it under
# qemu-user (root; idempotent: what exists is kept). Under $ROOT (default /srv/kiln-a64):
#   qemu/        qemu-user 10 (from Debian trixie), registered in binfmt_misc for aarch64 ELF
#                files (flags P and F: argv[0] kept, usable inside chroots)
#   amd64root/   a Debian sid amd64 chroot with swiftlang (the cross compiler needs sid's glibc),
#                wasi-libc and the wasm32 compiler-rt builtins (tests build C to wasm)
#   arm64root/   a Debian sid arm64 tree, only unpacked: the sysroot and what qemu loads
#   sdks/        the Swift SDK bundle "kiln-aarch64" over that sysroot
#   mirrors/     WasmKit 0.4.2 with its manifest lowered to swift-tools-version 6.2
# Then Utilities/aarch64/test.sh builds and tests a checkout. About 1.3 GB is downloaded.
set -euo pipefail
ROOT=${ROOT:-/srv/kiln-a64}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
APT=(--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='APT::Install-Recommends "false"')
start=$(date +%s)
say() { echo "== [aarch64 setup $(( $(date +%s) - start ))s] $*"; }
mkdir -p "$ROOT"

say "host tools"
missing=()
for package in mmdebstrap binfmt-support; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if ((${#missing[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# qemu-user 10 rather than bookworm's 7.2: 7.2 tracks every page of a PROT_NONE reservation,
# so each 8 GiB memory reservation costs it tens of MB (the test run grows to ~14 GB).
if [ ! -x "$ROOT/qemu/bin/qemu-aarch64" ]; then
    say "qemu-user from trixie"
    rm -rf "$ROOT/qemu" "$ROOT/qemu.tree"
    mmdebstrap --variant=extract --architectures=amd64 --include=qemu-user "${APT[@]}" trixie "$ROOT/qemu.tree" "$MIRROR"
    mkdir -p "$ROOT/qemu/bin" "$ROOT/qemu/libexec"
    cp "$ROOT/qemu.tree/usr/bin/qemu-aarch64" "$ROOT/qemu.tree/usr/bin/qemu-x86_64" "$ROOT/qemu/bin/"
    rm -rf "$ROOT/qemu.tree"
    # Called under this name, Debian's qemu expects binfmt's P flag (argv[0] preserved).
    ln -s ../bin/qemu-aarch64 "$ROOT/qemu/libexec/aarch64-binfmt-P"
fi
# qemu-x86_64 from the same package: Utilities/aarch64/emulated-ratios.sh runs the x86-64
# build under emulation too, so both ISAs are compared in one emulated run.
if [ ! -x "$ROOT/qemu/bin/qemu-x86_64" ]; then
    say "qemu-x86_64 from trixie"
    rm -rf "$ROOT/qemu.tree"
    mmdebstrap --variant=extract --architectures=amd64 --include=qemu-user "${APT[@]}" trixie "$ROOT/qemu.tree" "$MIRROR"
    cp "$ROOT/qemu.tree/usr/bin/qemu-x86_64" "$ROOT/qemu/bin/"
    rm -rf "$ROOT/qemu.tree"
fi
interpreter="$ROOT/qemu/libexec/aarch64-binfmt-P"
"$ROOT/qemu/bin/qemu-aarch64" --version | head -n 1

say "binfmt_misc: aarch64 ELF files run through $interpreter"
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
if [ -e $entry ] && ! grep -qx "interpreter $interpreter" $entry; then echo -1 > $entry; fi
if [ ! -e $entry ]; then
    magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
    mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
    echo ":qemu-aarch64:M::$magic:$mask:$interpreter:PF" > /proc/sys/fs/binfmt_misc/register
fi

if [ ! -x "$ROOT/amd64root/usr/libexec/swift/bin/swift-frontend" ]; then
    say "amd64 sid chroot with swiftlang"
    rm -rf "$ROOT/amd64root"
    mmdebstrap --variant=minbase --include=swiftlang,libc6-dev,libstdc++-16-dev,git,wasi-libc,libclang-rt-dev-wasm32 \
        "${APT[@]}" sid "$ROOT/amd64root" "$MIRROR"
fi
# git in the chroot reads GitHub addresses from the machine's package copies, as the host does.
cat > "$ROOT/amd64root/etc/gitconfig" <<'CONFIG'
[url "/opt/swift-packages/"]
	insteadOf = https://github.com/
[safe]
	directory = *
CONFIG
# swiftlang's clang is older than 20, which turns these wasm32 features on by default; the
# tests' C programs need them (without bulk memory, memset stays a call).
mkdir -p "$ROOT/amd64root/usr/local/kiln-bin"
cat > "$ROOT/amd64root/usr/local/kiln-bin/clang" <<'WRAPPER'
#!/bin/sh
case " $* " in
  *" --target=wasm32"*) exec /usr/libexec/swift/bin/clang -mbulk-memory -msign-ext -mnontrapping-fptoint \
                          -mmutable-globals -mmultivalue -mreference-types "$@" ;;
esac
exec /usr/libexec/swift/bin/clang "$@"
WRAPPER
chmod +x "$ROOT/amd64root/usr/local/kiln-bin/clang"

if [ ! -e "$ROOT/arm64root/usr/libexec/swift/lib/swift/linux/Swift.swiftmodule/aarch64-unknown-linux-gnu.swiftmodule" ]; then
    say "arm64 sid tree (unpacked only)"
    rm -rf "$ROOT/arm64root"
    mmdebstrap --variant=extract --architectures=arm64 --include=swiftlang,libswiftlang,libc6-dev,libstdc++-16-dev,libffi-dev \
        "${APT[@]}" sid "$ROOT/arm64root" "$MIRROR"
    # The merged-/usr links that an unpacked tree lacks (the loader is /lib/ld-linux-aarch64.so.1).
    for d in bin sbin lib; do [ -e "$ROOT/arm64root/$d" ] || ln -s "usr/$d" "$ROOT/arm64root/$d"; done
fi
# Binaries get the sysroot's absolute path as RUNPATH: make it valid inside the tree too.
mkdir -p "$ROOT/arm64root/$ROOT"
ln -sfn "$(realpath -m --relative-to="$ROOT/arm64root/$ROOT" "$ROOT/arm64root")" "$ROOT/arm64root/$ROOT/arm64root"

say "Swift SDK bundle"
bundle="$ROOT/sdks/kiln-aarch64.artifactbundle"
mkdir -p "$bundle/aarch64"
cat > "$bundle/info.json" <<'JSON'
{ "schemaVersion": "1.0",
  "artifacts": { "kiln-aarch64": { "type": "swiftSDK", "version": "1", "variants": [ { "path": "aarch64" } ] } } }
JSON
cat > "$bundle/aarch64/swift-sdk.json" <<JSON
{ "schemaVersion": "4.0",
  "targetTriples": { "aarch64-unknown-linux-gnu": {
      "sdkRootPath": "$ROOT/arm64root",
      "swiftResourcesPath": "$ROOT/arm64root/usr/libexec/swift/lib/swift",
      "swiftStaticResourcesPath": "$ROOT/arm64root/usr/libexec/swift/lib/swift_static",
      "toolsetPaths": ["toolset.json"] } } }
JSON
# lld links aarch64; Debian's swiftlang ships the _Testing_Foundation module without its
# library, so it must not be autolinked.
cat > "$bundle/aarch64/toolset.json" <<'JSON'
{ "schemaVersion": "1.0",
  "swiftCompiler": { "extraCLIOptions": ["-use-ld=lld", "-Xfrontend", "-disable-autolink-library", "-Xfrontend", "_Testing_Foundation"] } }
JSON

if [ ! -d "$ROOT/mirrors/WasmKit.git" ]; then
    say "WasmKit 0.4.2 for swift-tools-version 6.2"
    rm -rf "$ROOT/mirrors/work" && mkdir -p "$ROOT/mirrors"
    git clone -q https://github.com/swiftwasm/WasmKit "$ROOT/mirrors/work"
    git -C "$ROOT/mirrors/work" checkout -q 0.4.2
    sed -i '1s/swift-tools-version:6\.3/swift-tools-version:6.2/' "$ROOT/mirrors/work/Package.swift"
    GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z \
        git -C "$ROOT/mirrors/work" -c user.name=kiln -c user.email=kiln@localhost commit -qam "swift-tools-version 6.2"
    git -C "$ROOT/mirrors/work" tag -f 0.4.2 >/dev/null
    git clone -q --bare "$ROOT/mirrors/work" "$ROOT/mirrors/WasmKit.git"
    rm -rf "$ROOT/mirrors/work"
fi
say "done"
