#!/usr/bin/env python3
"""Runs escape.wasm and escape_swap.wasm under wasmtime in the layout that
Tests/KilnTests/WASI/SandboxEscapeTests.swift builds, prints what they print, and
checks that every attempt was blocked and that outside/ did not change. The lines it
prints are the ones quoted in SandboxEscapeTests.swift.

Usage: python3 Tests/WASIPrograms/escape_wasmtime.py  (pip install wasmtime)
"""
import os
import sys
import tempfile

import wasmtime

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expected  # noqa: E402  (run() and build())

SECRET = "TOP SECRET: outside the sandbox\n"


def make_layout(base):
    outside = os.path.join(base, "outside")
    sandbox = os.path.join(base, "sandbox")
    os.makedirs(os.path.join(outside, "victim"))
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write(SECRET)
    os.makedirs(os.path.join(sandbox, "sub", "empty"))
    with open(os.path.join(sandbox, "inside.txt"), "w") as f:
        f.write("inside the sandbox\n")
    with open(os.path.join(sandbox, "sub", "secret.txt"), "w") as f:
        f.write("sandbox copy\n")
    os.symlink("../outside", os.path.join(sandbox, "link-out"))
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(sandbox, "abs-link"))
    os.symlink("../outside/does-not-exist", os.path.join(sandbox, "dangling"))
    os.symlink("loop2", os.path.join(sandbox, "loop1"))
    os.symlink("loop1", os.path.join(sandbox, "loop2"))
    return outside, sandbox


def snapshot(root):
    """Every entry under root with its type, contents or target, and modification time."""
    entries = {}
    for directory, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            if os.path.islink(path):
                entries[os.path.relpath(path, root)] = ("symlink", os.readlink(path), st.st_mtime_ns)
            elif os.path.isdir(path):
                entries[os.path.relpath(path, root)] = ("dir", None, st.st_mtime_ns)
            else:
                with open(path, "rb") as f:
                    entries[os.path.relpath(path, root)] = ("file", f.read(), st.st_mtime_ns)
    entries["."] = ("dir", None, os.lstat(root).st_mtime_ns)
    return entries


def show(title, result):
    exit_code, trapped, _, stdout, stderr = result
    print(f"== {title}: exit {exit_code}{' (trap)' if trapped else ''}")
    print(stdout, end="")
    if stderr:
        print("stderr:", stderr, end="")
    bad = [line for line in stdout.splitlines() if "ESCAPED" in line or "FAILED" in line]
    return exit_code == 0 and not trapped and not bad


def main():
    ok = True
    with tempfile.TemporaryDirectory() as build_dir:
        expected.build(build_dir)
        escape = os.path.join(build_dir, "escape.wasm")
        swap = os.path.join(build_dir, "escape_swap.wasm")

        with tempfile.TemporaryDirectory() as base:
            outside, sandbox = make_layout(base)
            before = snapshot(outside)
            ok &= show("escape", expected.run(escape, ["escape", "escape", outside], [], "", sandbox))
            ok &= snapshot(outside) == before

        with tempfile.TemporaryDirectory() as base:
            outside, sandbox = make_layout(base)
            before = snapshot(base)
            ok &= show("readonly", expected.run(escape, ["escape", "readonly"], [], "", sandbox, preopen_mutable=False))
            ok &= snapshot(base) == before

        with tempfile.TemporaryDirectory() as base:
            outside, sandbox = make_layout(base)
            before = snapshot(outside)
            first = expected.run(escape, ["escape", "toctou"], [], "", sandbox)
            ok &= show("toctou, sub a directory", first) and "sandbox copy" in first[3]
            os.rename(os.path.join(sandbox, "sub"), os.path.join(sandbox, "sub-old"))
            os.symlink("../outside", os.path.join(sandbox, "sub"))
            ok &= show("toctou, sub -> ../outside", expected.run(escape, ["escape", "toctou"], [], "", sandbox))
            ok &= snapshot(outside) == before

        with tempfile.TemporaryDirectory() as base:
            outside, sandbox = make_layout(base)
            before = snapshot(outside)

            def swap_sub():
                os.rename(os.path.join(sandbox, "sub"), os.path.join(sandbox, "sub-old"))
                os.symlink("../outside", os.path.join(sandbox, "sub"))

            def imports(linker):
                linker.define_func("kiln_test", "swap", wasmtime.FuncType([], []), swap_sub)

            ok &= show("swap", expected.run(swap, ["escape_swap"], [], "", sandbox, extra_imports=imports))
            ok &= snapshot(outside) == before

    print("all blocked, outside unchanged" if ok else "SOMETHING ESCAPED OR FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
