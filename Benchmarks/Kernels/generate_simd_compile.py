#!/usr/bin/env python3
"""Writes two synthetic wasm modules of about the same size for compile-throughput runs:
one whose function bodies are SIMD-heavy (v128 arithmetic, shuffles, lane accesses, vector
loads and stores), one whose bodies do the same shape of work on scalars (i32, i64, f64).

Issue 18 asks that SIMD-heavy modules compile no slower than 0.8x the throughput (MB/s)
of scalar modules of the same size. The bodies are straight-line runs inside a loop, with
locals read and written at random, as autovectorized code looks to a compiler. Nothing
here is meant to run; the modules only need to validate.

Usage: generate_simd_compile.py [--functions N] [--seed S] OUT_DIR
writes OUT_DIR/compile-simd.wasm and OUT_DIR/compile-scalar.wasm
"""

import argparse
import random
import struct


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def vec(items):
    return uleb(len(items)) + b"".join(items)


def simd(op):
    return b"\xfd" + uleb(op)


# v128 binary operations (opcode numbers from the SIMD proposal).
V_BINARY = [0x6E, 0x71, 0x8E, 0x91, 0xAE, 0xB1, 0xB5, 0xCE, 0xD1, 0xD5, 0xE4, 0xE5, 0xE6,
            0xE7, 0xF0, 0xF1, 0xF2, 0xF3, 0x4E, 0x4F, 0x50, 0x51, 0x23, 0x37, 0x41, 0x47,
            0x6F, 0x70, 0x72, 0x73, 0x76, 0x77, 0x78, 0x79, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA]
V_UNARY = [0x60, 0x61, 0x62, 0x80, 0x81, 0xA0, 0xA1, 0xE0, 0xE1, 0xE3, 0xEC, 0xED, 0xEF,
           0xF8, 0xFA, 0xFB, 0x87, 0x88, 0xA7, 0xA8, 0x4D]
S_BINARY_I32 = [0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78]
S_BINARY_F64 = [0xA0, 0xA1, 0xA2, 0xA4, 0xA5]
S_BINARY_I64 = [0x7C, 0x7D, 0x7E, 0x83, 0x84, 0x85]
S_UNARY_F64 = [0x99, 0x9A, 0x9B, 0x9C, 0x9F]


class Body:
    """One function: (param i32) with 8 locals of each type the flavor uses."""

    def __init__(self, rng, flavor, statements):
        self.rng, self.flavor, self.statements = rng, flavor, statements
        self.code = bytearray()

    def emit(self, b):
        self.code += b

    def get(self, i):
        self.emit(b"\x20" + uleb(i))

    def set(self, i):
        self.emit(b"\x21" + uleb(i))

    def vector_statement(self):
        r = self.rng
        v = lambda: 1 + r.randrange(8)  # v128 locals 1..8
        kind = r.randrange(10)
        if kind < 4:
            self.get(v()); self.get(v()); self.emit(simd(r.choice(V_BINARY))); self.set(v())
        elif kind < 5:
            self.get(v()); self.emit(simd(r.choice(V_UNARY))); self.set(v())
        elif kind < 6:
            self.get(v()); self.get(v())
            self.emit(simd(13) + bytes(r.randrange(32) for _ in range(16))); self.set(v())
        elif kind < 7:
            self.get(0); self.emit(simd(0) + b"\x04" + uleb(16 * r.randrange(64))); self.set(v())
        elif kind < 8:
            self.get(0); self.get(v()); self.emit(simd(11) + b"\x04" + uleb(16 * r.randrange(64)))
        elif kind < 9:
            self.get(v()); self.emit(simd(31) + bytes([r.randrange(4)]))  # f32x4.extract_lane
            self.emit(simd(19)); self.set(v())  # f32x4.splat
        else:
            self.get(v()); self.get(0); self.emit(simd(28) + bytes([r.randrange(4)])); self.set(v())  # i32x4.replace_lane

    def scalar_statement(self):
        r = self.rng
        i = lambda: 1 + r.randrange(8)    # i32 locals 1..8
        l = lambda: 9 + r.randrange(8)    # i64 locals 9..16
        f = lambda: 17 + r.randrange(8)   # f64 locals 17..24
        kind = r.randrange(10)
        if kind < 3:
            self.get(i()); self.get(i()); self.emit(bytes([r.choice(S_BINARY_I32)])); self.set(i())
        elif kind < 5:
            self.get(f()); self.get(f()); self.emit(bytes([r.choice(S_BINARY_F64)])); self.set(f())
        elif kind < 6:
            self.get(l()); self.get(l()); self.emit(bytes([r.choice(S_BINARY_I64)])); self.set(l())
        elif kind < 7:
            self.get(f()); self.emit(bytes([r.choice(S_UNARY_F64)])); self.set(f())
        elif kind < 8:
            self.get(0); self.emit(b"\x2b\x03" + uleb(8 * r.randrange(128))); self.set(f())
        elif kind < 9:
            self.get(0); self.get(f()); self.emit(b"\x39\x03" + uleb(8 * r.randrange(128)))
        else:
            self.get(i()); self.get(0); self.emit(b"\x6a\x28\x02" + uleb(4 * r.randrange(256))); self.set(i())

    def build(self):
        statement = self.vector_statement if self.flavor == "simd" else self.scalar_statement
        self.emit(b"\x03\x40")  # loop
        for _ in range(self.statements):
            statement()
        # counter in the parameter: p -= 16; br_if while p != 0
        self.get(0); self.emit(b"\x41\x10\x6b\x22\x00\x0d\x00")
        self.emit(b"\x0b\x0b")
        if self.flavor == "simd":
            locals_ = vec([uleb(8) + b"\x7b"])
        else:
            locals_ = vec([uleb(8) + b"\x7f", uleb(8) + b"\x7e", uleb(8) + b"\x7c"])
        body = locals_ + bytes(self.code)
        return uleb(len(body)) + body


def module(flavor, functions, seed, target_bytes):
    rng = random.Random(seed)
    bodies, size = [], 0
    while size < target_bytes and len(bodies) < functions:
        b = Body(rng, flavor, rng.randrange(40, 160)).build()
        bodies.append(b)
        size += len(b)
    out = b"\x00asm\x01\x00\x00\x00"
    out += section(1, vec([b"\x60\x01\x7f\x00"]))
    out += section(3, vec([b"\x00"] * len(bodies)))
    out += section(5, vec([b"\x00\x01"]))
    out += section(10, vec(bodies))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--functions", type=int, default=100000)
    parser.add_argument("--bytes", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("out")
    args = parser.parse_args()
    for flavor in ("simd", "scalar"):
        data = module(flavor, args.functions, args.seed, args.bytes)
        with open(f"{args.out}/compile-{flavor}.wasm", "wb") as f:
            f.write(data)
        print(f"compile-{flavor}.wasm: {len(data)} bytes")


main()
