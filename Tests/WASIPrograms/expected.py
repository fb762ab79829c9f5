#!/usr/bin/env python3
"""Records what wasmtime does with each WASI test case: expected/CASE.json.

A case is a program (NAME.c here) with its argv, environment, stdin and, when it
needs files, a fixture folder fixtures/FIXTURE/ that is copied fresh to a temporary
directory and preopened as "/" (the programs use paths relative to the working
directory "/"). The JSON holds everything needed to run the case again
(program, args, env, stdin, fixture) and what wasmtime made of it:
exit_code (0 when _start returned, the proc_exit code otherwise, null when it
trapped), trapped, proc_exit (whether the program called proc_exit: exit(0) does,
returning 0 from main does not), stdout, stderr, and listing: the preopened directory afterwards,
sorted by path, as {path, type: file|dir|symlink, size (files), target (symlinks)},
null without a fixture.

Tests/KilnTests/WASI/WASIProgramTests.swift reads these files and expects Kiln to
do the same under the interpreter and the JIT.

Usage: python3 Tests/WASIPrograms/expected.py [--check]
Needs: pip install wasmtime (recorded with wasmtime 50.0.1), and what build.sh needs.
--check compares with the committed JSON instead of writing it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import wasmtime

HERE = os.path.dirname(os.path.abspath(__file__))

# A few kilobytes of text for the stdin program: deterministic, with a non-ASCII line.
STDIN_TEXT = "".join(f"line {i}: {'word ' * (i % 7)}{i * i}\n" for i in range(1, 121)) + "último: ✓\n"

ENV = [
    ("KILN_TEST", "hello world"),
    ("HOME", "/home/guest"),
    ("EMPTY", ""),
    ("EQUALS", "a=b=c"),
    ("UNICODE", "h\u00e9llo \u2713"),
    ("ZED", "last"),
    ("ALPHA", "first"),
    ("DUP", "first of two"),
    ("DUP", "second of two"),
]

CASES = [
    # name, program, args (argv[0] included), env, stdin, fixture
    ("files", "files", ["files"], [], "", "files"),
    ("dirs", "dirs", ["dirs"], [], "", "dirs"),
    ("stdin-text", "stdin", ["stdin"], [], STDIN_TEXT, None),
    ("stdin-short", "stdin", ["stdin"], [], "one line without a newline", None),
    ("stdin-empty", "stdin", ["stdin"], [], "", None),
    ("environ", "environ", ["environ", "one", "two words", "", "caf\u00e9"], ENV, "", None),
    ("environ-empty", "environ", ["environ"], [], "", None),
    ("clocks", "clocks", ["clocks"], [], "", None),
    ("exit-return0", "exit", ["exit", "return", "0"], [], "", None),
    ("exit-return42", "exit", ["exit", "return", "42"], [], "", None),
    ("exit-exit0", "exit", ["exit", "exit", "0"], [], "", None),
    ("exit-exit3", "exit", ["exit", "exit", "3"], [], "", None),
    ("exit-exit125", "exit", ["exit", "exit", "125"], [], "", None),
    ("exit-quick7", "exit", ["exit", "quick", "7"], [], "", None),
    ("exit-abort", "exit", ["exit", "abort", "0"], [], "", None),
    ("exit-big9", "exit", ["exit", "big", "9"], [], "", None),
    ("exit-usage", "exit", ["exit"], [], "", None),
]


def listing(root):
    """Every entry under root (not root itself), sorted by path, symlinks not followed."""
    entries = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            if os.path.islink(path):
                entries.append({"path": relative, "type": "symlink", "target": os.readlink(path)})
            elif os.path.isdir(path):
                entries.append({"path": relative, "type": "dir"})
            else:
                entries.append({"path": relative, "type": "file", "size": os.path.getsize(path)})
    return sorted(entries, key=lambda entry: entry["path"].encode())


def run(module_path, args, env, stdin, preopen=None, preopen_mutable=True, extra_imports=None):
    """Runs a command module under wasmtime:
    (exit_code or None, trapped, proc_exit called, stdout, stderr)."""
    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, module_path)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    if extra_imports:
        extra_imports(linker)
    store = wasmtime.Store(engine)
    with tempfile.TemporaryDirectory() as io:
        stdin_path, stdout_path, stderr_path = (os.path.join(io, n) for n in ("stdin", "stdout", "stderr"))
        with open(stdin_path, "wb") as f:
            f.write(stdin.encode())
        wasi = wasmtime.WasiConfig()
        wasi.argv = args
        wasi.env = [list(pair) for pair in env]
        wasi.stdin_file = stdin_path
        wasi.stdout_file = stdout_path
        wasi.stderr_file = stderr_path
        if preopen is not None:
            wasi.preopen_dir(preopen, "/", preopen_mutable)
        store.set_wasi(wasi)
        instance = linker.instantiate(store, module)
        exit_code, trapped, proc_exit = 0, False, False
        try:
            instance.exports(store)["_start"](store)
        except wasmtime.ExitTrap as exit:
            exit_code, proc_exit = exit.code, True
        except wasmtime.Trap:
            exit_code, trapped = None, True
        del instance, store
        with open(stdout_path, "rb") as f:
            stdout = f.read().decode()
        with open(stderr_path, "rb") as f:
            stderr = f.read().decode()
    return exit_code, trapped, proc_exit, stdout, stderr


def build(out):
    subprocess.run(["bash", os.path.join(HERE, "build.sh"), out], check=True)


def record(build_dir, case):
    name, program, args, env, stdin, fixture = case
    with tempfile.TemporaryDirectory() as scratch:
        root = None
        if fixture is not None:
            root = os.path.join(scratch, "root")
            shutil.copytree(os.path.join(HERE, "fixtures", fixture), root, symlinks=True)
        exit_code, trapped, proc_exit, stdout, stderr = run(os.path.join(build_dir, program + ".wasm"), args, env, stdin, root)
        return {
            "program": program,
            "args": args,
            "env": [list(pair) for pair in env],
            "stdin": stdin,
            "fixture": fixture,
            "exit_code": exit_code,
            "trapped": trapped,
            "proc_exit": proc_exit,
            "stdout": stdout,
            "stderr": stderr,
            "listing": listing(root) if root is not None else None,
        }


def main():
    check = "--check" in sys.argv[1:]
    expected_dir = os.path.join(HERE, "expected")
    os.makedirs(expected_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as build_dir:
        build(build_dir)
        failures = 0
        for case in CASES:
            result = record(build_dir, case)
            text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
            path = os.path.join(expected_dir, case[0] + ".json")
            if check:
                with open(path, encoding="utf-8") as f:
                    same = f.read() == text
                failures += not same
                print(f"{case[0]}: {'same' if same else 'DIFFERENT'}")
            else:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                print(f"{case[0]}: exit {result['exit_code']}{' (trap)' if result['trapped'] else ''}")
        known = {case[0] + ".json" for case in CASES}
        for stale in sorted(set(os.listdir(expected_dir)) - known):
            print(f"note: {stale} is not a case here", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
