#!/usr/bin/env python3
"""Generates AArch64EncodingTests.swift: byte-exact tests of AArch64Assembler whose expected
bytes come from LLVM's assembler, never from the encoder under test.

Each case pairs Arm assembly text with the Swift code that should emit exactly those bytes.
All cases are assembled at once by `clang --target=aarch64-linux-gnu -c` (each in its own
section, so labels and `.p2align` are local to the case), the object's sections are read
back, and the Swift test file is printed with the bytes as literals. A case whose section
needs a relocation is an error (every expected byte must come from the assembler).

Cases marked `bad` must be rejected by the encoder (a recorded failure and `udf #0`); when
they carry assembly text, the script also checks that LLVM rejects that text.

Usage (from the repository root):
    python3 Tests/KilnTests/Codegen/aarch64-expected.py > Tests/KilnTests/Codegen/AArch64EncodingTests.swift
Set CLANG to use another clang (llvm-mc is used when no clang is found).
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

GROUPS = []  # (test name, comment, [case])


def group(name, comment=""):
    GROUPS.append((name, comment, []))


def ok(asm, swift):
    """`asm` (instructions separated by '; ') must assemble to what `swift` emits."""
    GROUPS[-1][2].append(("ok", asm, swift, None))


def ok_at(asm, swift, position):
    """The single instruction `asm` must equal the word `swift` emits at byte `position`
    (for label tests whose padding would make a huge literal)."""
    GROUPS[-1][2].append(("at", asm, swift, position))


def bad(asm, swift):
    """`swift` must record a failure and emit only `udf #0`; LLVM must reject `asm` (if
    given) too."""
    GROUPS[-1][2].append(("bad", asm, swift, None))


def hexs(v):
    return "0x%x" % v


# ---------------------------------------------------------------------------------------
group("addSubImmediate", "ADD/ADDS/SUB/SUBS (immediate), CMP/CMN (immediate), MOV to/from SP")
for op in ["add", "adds", "sub", "subs"]:
    for size in ["x", "w"]:
        d = "x0" if size == "x" else "w0"
        n = "x1" if size == "x" else "w1"
        ok(f"{op} {d}, {n}, #0", f"a.{op}(.{size}, .x0, .x1, imm: 0)")
        ok(f"{op} {d}, {n}, #4095", f"a.{op}(.{size}, .x0, .x1, imm: 4095)")
        ok(f"{op} {d}, {n}, #1, lsl #12", f"a.{op}(.{size}, .x0, .x1, imm: 4096)")
        ok(f"{op} {d}, {n}, #4095, lsl #12", f"a.{op}(.{size}, .x0, .x1, imm: 0xFFF000)")
ok("add x30, x29, #1", "a.add(.x, .x30, .x29, imm: 1)")
ok("sub x0, x1, #1", "a.add(.x, .x0, .x1, imm: -1)")
ok("sub w0, w1, #4095", "a.add(.w, .x0, .x1, imm: -4095)")
ok("sub x0, x1, #1, lsl #12", "a.add(.x, .x0, .x1, imm: -4096)")
ok("add x0, x1, #8", "a.sub(.x, .x0, .x1, imm: -8)")
ok("subs x0, x1, #1", "a.adds(.x, .x0, .x1, imm: -1)")
ok("adds w0, w1, #2", "a.subs(.w, .x0, .x1, imm: -2)")
ok("add sp, sp, #16", "a.add(.x, .sp, .sp, imm: 16)")
ok("sub sp, sp, #4095, lsl #12", "a.sub(.x, .sp, .sp, imm: 0xFFF000)")
ok("add x29, sp, #0", "a.add(.x, .x29, .sp, imm: 0)")
ok("add wsp, wsp, #1", "a.add(.w, .sp, .sp, imm: 1)")
ok("sub x0, sp, #32", "a.sub(.x, .x0, .sp, imm: 32)")
ok("adds x0, sp, #1", "a.adds(.x, .x0, .sp, imm: 1)")
ok("subs xzr, x1, #1", "a.subs(.x, .zr, .x1, imm: 1)")
ok("cmp x0, #0", "a.cmp(.x, .x0, imm: 0)")
ok("cmp w3, #4095", "a.cmp(.w, .x3, imm: 4095)")
ok("cmp sp, #16", "a.cmp(.x, .sp, imm: 16)")
ok("cmp x0, #1, lsl #12", "a.cmp(.x, .x0, imm: 4096)")
ok("cmn x0, #1", "a.cmp(.x, .x0, imm: -1)")
ok("cmn w0, #5", "a.cmn(.w, .x0, imm: 5)")
ok("cmp w0, #5", "a.cmn(.w, .x0, imm: -5)")
ok("mov sp, x0", "a.mov(.x, .sp, .x0)")
ok("mov x29, sp", "a.mov(.x, .x29, .sp)")
ok("mov wsp, w1", "a.mov(.w, .sp, .x1)")
ok("mov w2, wsp", "a.mov(.w, .x2, .sp)")
ok("mov sp, sp", "a.mov(.x, .sp, .sp)")
bad("add x0, x1, #4097", "a.add(.x, .x0, .x1, imm: 4097)")
bad("add x0, x1, #4096, lsl #12", "a.add(.x, .x0, .x1, imm: 0x1000000)")
bad("sub x0, x1, #4097", "a.add(.x, .x0, .x1, imm: -4097)")
bad("add w0, w1, #0x1001000", "a.add(.w, .x0, .x1, imm: 0x1001000)")
bad(None, "a.add(.x, .x0, .x1, imm: Int64.min)")
bad("add xzr, x1, #1", "a.add(.x, .zr, .x1, imm: 1)")
bad("add x0, xzr, #1", "a.add(.x, .x0, .zr, imm: 1)")
bad("adds sp, x1, #1", "a.adds(.x, .sp, .x1, imm: 1)")
bad("cmp xzr, #1", "a.cmp(.x, .zr, imm: 1)")
bad("mov sp, xzr", "a.mov(.x, .sp, .zr)")

# ---------------------------------------------------------------------------------------
group("addSubShiftedRegister", "ADD/ADDS/SUB/SUBS (shifted register), CMP/CMN, NEG/NEGS; SP selects the extended form")
for op in ["add", "adds", "sub", "subs"]:
    ok(f"{op} x0, x1, x2", f"a.{op}(.x, .x0, .x1, .x2)")
    ok(f"{op} w0, w1, w2", f"a.{op}(.w, .x0, .x1, .x2)")
    ok(f"{op} x3, x4, x5, lsl #63", f"a.{op}(.x, .x3, .x4, .x5, .lsl, 63)")
    ok(f"{op} x3, x4, x5, lsr #1", f"a.{op}(.x, .x3, .x4, .x5, .lsr, 1)")
    ok(f"{op} x3, x4, x5, asr #32", f"a.{op}(.x, .x3, .x4, .x5, .asr, 32)")
    ok(f"{op} w6, w7, w8, lsl #31", f"a.{op}(.w, .x6, .x7, .x8, .lsl, 31)")
    ok(f"{op} w6, w7, w8, lsr #31", f"a.{op}(.w, .x6, .x7, .x8, .lsr, 31)")
    ok(f"{op} w6, w7, w8, asr #31", f"a.{op}(.w, .x6, .x7, .x8, .asr, 31)")
ok("add x30, x29, x28", "a.add(.x, .x30, .x29, .x28)")
ok("add xzr, x1, x2", "a.add(.x, .zr, .x1, .x2)")
ok("add x0, xzr, x2", "a.add(.x, .x0, .zr, .x2)")
ok("add w0, w1, wzr", "a.add(.w, .x0, .x1, .zr)")
ok("add sp, sp, x1", "a.add(.x, .sp, .sp, .x1)")
ok("add x0, sp, x1", "a.add(.x, .x0, .sp, .x1)")
ok("add sp, x0, x1", "a.add(.x, .sp, .x0, .x1)")
ok("sub sp, sp, x16", "a.sub(.x, .sp, .sp, .x16)")
ok("add x0, sp, x1, lsl #3", "a.add(.x, .x0, .sp, .x1, .lsl, 3)")
ok("add wsp, w1, w2", "a.add(.w, .sp, .x1, .x2)")
ok("adds x0, sp, x1, lsl #4", "a.adds(.x, .x0, .sp, .x1, .lsl, 4)")
ok("cmp x0, x1", "a.cmp(.x, .x0, .x1)")
ok("cmp w0, w1, lsr #5", "a.cmp(.w, .x0, .x1, .lsr, 5)")
ok("cmp sp, x1", "a.cmp(.x, .sp, .x1)")
ok("cmn x0, x1, asr #2", "a.cmn(.x, .x0, .x1, .asr, 2)")
ok("cmn w0, wzr", "a.cmn(.w, .x0, .zr)")
ok("neg x0, x1", "a.neg(.x, .x0, .x1)")
ok("neg w0, w1, lsl #3", "a.neg(.w, .x0, .x1, .lsl, 3)")
ok("negs x0, x1, asr #63", "a.negs(.x, .x0, .x1, .asr, 63)")
ok("negs w2, w3", "a.negs(.w, .x2, .x3)")
bad("add x0, x1, x2, ror #1", "a.add(.x, .x0, .x1, .x2, .ror, 1)")
bad("add w0, w1, w2, lsl #32", "a.add(.w, .x0, .x1, .x2, .lsl, 32)")
bad("add x0, x1, x2, lsl #64", "a.add(.x, .x0, .x1, .x2, .lsl, 64)")
bad(None, "a.add(.x, .x0, .x1, .x2, .lsl, -1)")
bad("add sp, x1, x2, lsr #1", "a.add(.x, .sp, .x1, .x2, .lsr, 1)")
bad("add x0, sp, x1, lsl #5", "a.add(.x, .x0, .sp, .x1, .lsl, 5)")
bad("adds sp, x1, x2", "a.adds(.x, .sp, .x1, .x2)")
bad("add x0, x1, sp", "a.add(.x, .x0, .x1, .sp)")
bad("cmp x0, sp", "a.cmp(.x, .x0, .sp)")
bad("neg sp, x1", "a.neg(.x, .sp, .x1)")
bad("neg x0, sp", "a.neg(.x, .x0, .sp)")

# ---------------------------------------------------------------------------------------
group("addSubExtendedRegister", "ADD/ADDS/SUB/SUBS (extended register), CMP/CMN (extended)")
for ext in ["uxtb", "uxth", "uxtw", "sxtb", "sxth", "sxtw"]:
    ok(f"add x0, x1, w2, {ext}", f"a.add(.x, .x0, .x1, .x2, extend: .{ext})")
    ok(f"add x0, x1, w2, {ext} #4", f"a.add(.x, .x0, .x1, .x2, extend: .{ext}, 4)")
    ok(f"sub w3, w4, w5, {ext} #1", f"a.sub(.w, .x3, .x4, .x5, extend: .{ext}, 1)")
for ext in ["uxtx", "sxtx"]:
    ok(f"add x0, x1, x2, {ext}", f"a.add(.x, .x0, .x1, .x2, extend: .{ext})")
    ok(f"subs x0, x1, x2, {ext} #3", f"a.subs(.x, .x0, .x1, .x2, extend: .{ext}, 3)")
ok("adds x9, x10, w11, uxtw #2", "a.adds(.x, .x9, .x10, .x11, extend: .uxtw, 2)")
ok("subs w9, w10, w11, sxth", "a.subs(.w, .x9, .x10, .x11, extend: .sxth)")
ok("add sp, sp, w1, uxtw #4", "a.add(.x, .sp, .sp, .x1, extend: .uxtw, 4)")
ok("add x0, sp, w1, sxtw", "a.add(.x, .x0, .sp, .x1, extend: .sxtw)")
ok("sub sp, x0, x1, uxtx #2", "a.sub(.x, .sp, .x0, .x1, extend: .uxtx, 2)")
ok("add x0, x1, wzr, uxtw", "a.add(.x, .x0, .x1, .zr, extend: .uxtw)")
ok("cmp x0, w1, uxtw", "a.cmp(.x, .x0, .x1, extend: .uxtw)")
ok("cmp sp, w1, sxtw #2", "a.cmp(.x, .sp, .x1, extend: .sxtw, 2)")
ok("cmn w0, w1, uxtb", "a.cmn(.w, .x0, .x1, extend: .uxtb)")
ok("cmn x0, x1, sxtx #1", "a.cmn(.x, .x0, .x1, extend: .sxtx, 1)")
bad("add x0, x1, w2, uxtw #5", "a.add(.x, .x0, .x1, .x2, extend: .uxtw, 5)")
bad("add xzr, x1, w2, uxtw", "a.add(.x, .zr, .x1, .x2, extend: .uxtw)")
bad("add x0, xzr, w2, uxtw", "a.add(.x, .x0, .zr, .x2, extend: .uxtw)")
bad("adds sp, x1, w2, uxtw", "a.adds(.x, .sp, .x1, .x2, extend: .uxtw)")
bad(None, "a.add(.x, .x0, .x1, .sp, extend: .uxtx)")

# ---------------------------------------------------------------------------------------
group("logicalShiftedRegister", "AND/ORR/EOR/ANDS/BIC/ORN/EON/BICS (shifted register), MOV, MVN, TST")
for op in ["and", "orr", "eor", "ands", "bic", "orn", "eon", "bics"]:
    ok(f"{op} x0, x1, x2", f"a.{op}(.x, .x0, .x1, .x2)")
    ok(f"{op} w0, w1, w2", f"a.{op}(.w, .x0, .x1, .x2)")
    ok(f"{op} x3, x4, x5, ror #63", f"a.{op}(.x, .x3, .x4, .x5, .ror, 63)")
    ok(f"{op} w3, w4, w5, asr #31", f"a.{op}(.w, .x3, .x4, .x5, .asr, 31)")
ok("orr x0, x1, x2, lsl #12", "a.orr(.x, .x0, .x1, .x2, .lsl, 12)")
ok("and x0, x1, x2, lsr #40", "a.and(.x, .x0, .x1, .x2, .lsr, 40)")
ok("eor w30, wzr, w29", "a.eor(.w, .x30, .zr, .x29)")
ok("ands xzr, x1, x2", "a.ands(.x, .zr, .x1, .x2)")
ok("mov x0, x1", "a.mov(.x, .x0, .x1)")
ok("mov w0, w1", "a.mov(.w, .x0, .x1)")
ok("mov x0, xzr", "a.mov(.x, .x0, .zr)")
ok("mov x30, x29", "a.mov(.x, .x30, .x29)")
ok("mvn x0, x1", "a.mvn(.x, .x0, .x1)")
ok("mvn w0, w1, lsl #4", "a.mvn(.w, .x0, .x1, .lsl, 4)")
ok("tst x0, x1", "a.tst(.x, .x0, .x1)")
ok("tst w0, w1, ror #3", "a.tst(.w, .x0, .x1, .ror, 3)")
bad("and x0, x1, x2, lsl #64", "a.and(.x, .x0, .x1, .x2, .lsl, 64)")
bad("orr w0, w1, w2, ror #32", "a.orr(.w, .x0, .x1, .x2, .ror, 32)")
bad("and sp, x1, x2", "a.and(.x, .sp, .x1, .x2)")
bad("orr x0, sp, x2", "a.orr(.x, .x0, .sp, .x2)")
bad("tst sp, x1", "a.tst(.x, .sp, .x1)")

# ---------------------------------------------------------------------------------------
group("logicalImmediate", "AND/ORR/EOR/ANDS/TST with bitmask immediates (N:immr:imms)")
values64 = [0x5555555555555555, 0xAAAAAAAAAAAAAAAA, 0xFF, 0xFFFF, 0x0000FFFF00000000, 0xFFFF0000FFFF0000,
            0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFE, 0x1, 0x3, 0x0F0F0F0F0F0F0F0F,
            0x3333333333333333, 0x1111111111111111, 0xF00000000000000F, 0xC000000000000003,
            0x00000000FFFFFFFF, 0xFFFFFFFF00000000, 0x0001000100010001, 0x8080808080808080,
            0x7FFE7FFE7FFE7FFE, 0xFFFFFFFFFFFFFFF0, 0x6666666666666666, 0x0000000000FFFF00]
for v in values64:
    ok(f"and x0, x1, #{hexs(v)}", f"a.and(.x, .x0, .x1, imm: {hexs(v)})")
values32 = [0x55555555, 0xFF00FF00, 0x7FFFFFFF, 0x80000000, 0xF000000F, 0x1, 0xFFFE, 0x0FFFFFF0, 0xCCCCCCCC]
for v in values32:
    ok(f"and w0, w1, #{hexs(v)}", f"a.and(.w, .x0, .x1, imm: {hexs(v)})")
ok("and w0, w1, #0xfffffff0", "a.and(.w, .x0, .x1, imm: UInt64(bitPattern: -16))")
ok("orr x2, x3, #0xff00", "a.orr(.x, .x2, .x3, imm: 0xFF00)")
ok("orr w2, w3, #0x1", "a.orr(.w, .x2, .x3, imm: 1)")
ok("eor x4, x5, #0x8000000000000000", "a.eor(.x, .x4, .x5, imm: 0x8000000000000000)")
ok("eor w4, w5, #0x80000000", "a.eor(.w, .x4, .x5, imm: 0x80000000)")
ok("ands x6, x7, #0x3f", "a.ands(.x, .x6, .x7, imm: 0x3F)")
ok("ands w6, w7, #0x3f", "a.ands(.w, .x6, .x7, imm: 0x3F)")
ok("tst x0, #0x1", "a.tst(.x, .x0, imm: 1)")
ok("tst w0, #0xff", "a.tst(.w, .x0, imm: 0xFF)")
ok("and sp, x0, #0xfffffffffffffff0", "a.and(.x, .sp, .x0, imm: 0xFFFFFFFFFFFFFFF0)")
ok("orr wsp, w1, #0x3", "a.orr(.w, .sp, .x1, imm: 3)")
ok("orr x0, xzr, #0x5555555555555555", "a.orr(.x, .x0, .zr, imm: 0x5555555555555555)")
for v in [0, 0xFFFFFFFFFFFFFFFF, 0x1234, 0x5555555555555554, 0x0000FFFF0000FFFE, 0x8000000000000001 | 0x10]:
    bad(f"and x0, x1, #{hexs(v)}", f"a.and(.x, .x0, .x1, imm: {hexs(v)})")
for v in [0, 0xFFFFFFFF, 0x12345678]:
    bad(f"and w0, w1, #{hexs(v)}", f"a.and(.w, .x0, .x1, imm: {hexs(v)})")
bad(None, "a.and(.w, .x0, .x1, imm: 0x100000000)")
bad(None, "a.and(.w, .x0, .x1, imm: 0xFFFFFFFF00000001)")
bad("ands sp, x1, #0x1", "a.ands(.x, .sp, .x1, imm: 1)")
bad("and x0, sp, #0x1", "a.and(.x, .x0, .sp, imm: 1)")
bad("and xzr, x1, #0x1", "a.and(.x, .zr, .x1, imm: 1)")

# ---------------------------------------------------------------------------------------
group("moveWide", "MOVZ/MOVN/MOVK")
for op in ["movz", "movn", "movk"]:
    ok(f"{op} w0, #0", f"a.{op}(.w, .x0, imm16: 0)")
    ok(f"{op} w1, #0xffff, lsl #16", f"a.{op}(.w, .x1, imm16: 0xFFFF, shift: 16)")
    for shift in [0, 16, 32, 48]:
        ok(f"{op} x2, #0x1234, lsl #{shift}", f"a.{op}(.x, .x2, imm16: 0x1234, shift: {shift})")
ok("movz x30, #0xffff", "a.movz(.x, .x30, imm16: 0xFFFF)")
ok("movz xzr, #1", "a.movz(.x, .zr, imm16: 1)")
bad("movz w0, #1, lsl #32", "a.movz(.w, .x0, imm16: 1, shift: 32)")
bad("movk x0, #1, lsl #8", "a.movk(.x, .x0, imm16: 1, shift: 8)")
bad("movn x0, #1, lsl #64", "a.movn(.x, .x0, imm16: 1, shift: 64)")
bad("movz sp, #1", "a.movz(.x, .sp, imm16: 1)")

# ---------------------------------------------------------------------------------------
group("moveImmediate", "mov(_:_:imm:): the sequences chosen for assorted constants")
seqs = [
    ("x", 0, "movz x0, #0"),
    ("x", 1, "movz x0, #1"),
    ("x", 0xFFFF, "movz x0, #0xffff"),
    ("x", 0x10000, "movz x0, #1, lsl #16"),
    ("x", 0xFFFFFFFF, "orr x0, xzr, #0xffffffff"),
    ("x", 0x100000000, "movz x0, #1, lsl #32"),
    ("x", 0x8000000000000000, "movz x0, #0x8000, lsl #48"),
    ("x", 0xFFFFFFFFFFFFFFFF, "movn x0, #0"),
    ("x", 0xFFFFFFFFFFFF1234, "movn x0, #0xedcb"),
    ("x", 0xFFFF1234FFFFFFFF, "movn x0, #0xedcb, lsl #32"),
    ("x", 0xFFFFFFFFFFFF0000, "movn x0, #0xffff"),
    ("x", 0x123456789ABCDEF0, "movz x0, #0xdef0; movk x0, #0x9abc, lsl #16; movk x0, #0x5678, lsl #32; movk x0, #0x1234, lsl #48"),
    ("x", 0x0000123400005678, "movz x0, #0x5678; movk x0, #0x1234, lsl #32"),
    ("x", 0x12345678, "movz x0, #0x5678; movk x0, #0x1234, lsl #16"),
    ("x", 0xFFFFFFFF12345678, "movn x0, #0xa987; movk x0, #0x1234, lsl #16"),
    ("x", 0x1234FFFF5678FFFF, "movn x0, #0xa987, lsl #16; movk x0, #0x1234, lsl #48"),
    ("x", 0x5555555555555555, "orr x0, xzr, #0x5555555555555555"),
    ("x", 0x00FF00FF00FF00FF, "orr x0, xzr, #0xff00ff00ff00ff"),
    ("x", 0xFFFFFFFF00000000, "orr x0, xzr, #0xffffffff00000000"),
    ("x", 0x5555555555551234, "orr x0, xzr, #0x5555555555555555; movk x0, #0x1234"),
    ("x", 0x00FF00FF00FF1234, "orr x0, xzr, #0xff00ff00ff00ff; movk x0, #0x1234"),
    ("x", 0x0F0F0F0F12345678, "orr x0, xzr, #0xf0f0f0f0f0f0f0f; movk x0, #0x5678; movk x0, #0x1234, lsl #16"),
    ("x", 0x00000000FFFF1234, "movn w0, #0xedcb"),
    ("x", 0x000000001234FFFF, "movn w0, #0xedcb, lsl #16"),
    ("x", 0x0000000080000000, "movz x0, #0x8000, lsl #16"),
    ("w", 0, "movz w0, #0"),
    ("w", 0xFFFFFFFF, "movn w0, #0"),
    ("w", 0xFFFFFFFFFFFFFFFF, "movn w0, #0"),
    ("w", 0x12345678, "movz w0, #0x5678; movk w0, #0x1234, lsl #16"),
    ("w", 0xFFFF1234, "movn w0, #0xedcb"),
    ("w", 0x1234FFFF, "movn w0, #0xedcb, lsl #16"),
    ("w", 0x55555555, "orr w0, wzr, #0x55555555"),
    ("w", 0x80000000, "movz w0, #0x8000, lsl #16"),
    ("w", 0x7FFFFFFF, "movn w0, #0x8000, lsl #16"),
    ("x", 0x7FFFFFFFFFFFFFFF, "movn x0, #0x8000, lsl #48"),
    ("x", 0x0000FFFFFFFF0000, "orr x0, xzr, #0xffffffff0000"),
    ("w", 0x10000, "movz w0, #1, lsl #16"),
]
for size, value, asm in seqs:
    ok(re.sub(r"\b([xw])0\b", r"\g<1>17", asm), f"a.mov(.{size}, .x17, imm: {hexs(value)})")
bad(None, "a.mov(.x, .sp, imm: 1)")
bad(None, "a.mov(.x, .zr, imm: 1)")
bad(None, "a.mov(.w, .x0, imm: 0x100000000)")

# ---------------------------------------------------------------------------------------
group("multiplyDivide", "MADD/MSUB/MUL/MNEG, SMULH/UMULH, SMULL/UMULL, SDIV/UDIV")
for size, r in [("x", "x"), ("w", "w")]:
    ok(f"madd {r}0, {r}1, {r}2, {r}3", f"a.madd(.{size}, .x0, .x1, .x2, .x3)")
    ok(f"msub {r}4, {r}5, {r}6, {r}7", f"a.msub(.{size}, .x4, .x5, .x6, .x7)")
    ok(f"mul {r}8, {r}9, {r}10", f"a.mul(.{size}, .x8, .x9, .x10)")
    ok(f"mneg {r}11, {r}12, {r}13", f"a.mneg(.{size}, .x11, .x12, .x13)")
    ok(f"sdiv {r}14, {r}15, {r}16", f"a.sdiv(.{size}, .x14, .x15, .x16)")
    ok(f"udiv {r}17, {r}18, {r}19", f"a.udiv(.{size}, .x17, .x18, .x19)")
ok("mul x0, x1, x2", "a.madd(.x, .x0, .x1, .x2, .zr)")
ok("madd x30, xzr, x29, x28", "a.madd(.x, .x30, .zr, .x29, .x28)")
ok("smulh x0, x1, x2", "a.smulh(.x0, .x1, .x2)")
ok("umulh x3, x4, x5", "a.umulh(.x3, .x4, .x5)")
ok("smull x0, w1, w2", "a.smull(.x0, .x1, .x2)")
ok("umull x3, w4, w5", "a.umull(.x3, .x4, .x5)")
bad("mul sp, x1, x2", "a.mul(.x, .sp, .x1, .x2)")
bad("sdiv x0, sp, x2", "a.sdiv(.x, .x0, .sp, .x2)")

# ---------------------------------------------------------------------------------------
group("shifts", "LSLV/LSRV/ASRV/RORV and the immediate shift aliases (UBFM/SBFM/EXTR)")
for op in ["lsl", "lsr", "asr", "ror"]:
    ok(f"{op}v x0, x1, x2", f"a.{op}v(.x, .x0, .x1, .x2)")
    ok(f"{op}v w0, w1, w2", f"a.{op}v(.w, .x0, .x1, .x2)")
    ok(f"{op} x3, x4, x5", f"a.{op}(.x, .x3, .x4, .x5)")
    ok(f"{op} w3, w4, w5", f"a.{op}(.w, .x3, .x4, .x5)")
    for size, r, top in [("x", "x", 63), ("w", "w", 31)]:
        for amount in [0, 1, top]:
            ok(f"{op} {r}6, {r}7, #{amount}", f"a.{op}(.{size}, .x6, .x7, imm: {amount})")
ok("lsl x0, x1, #32", "a.lsl(.x, .x0, .x1, imm: 32)")
ok("asr w0, w1, #16", "a.asr(.w, .x0, .x1, imm: 16)")
for op in ["lsl", "lsr", "asr", "ror"]:
    bad(f"{op} w0, w1, #32", f"a.{op}(.w, .x0, .x1, imm: 32)")
    bad(f"{op} x0, x1, #64", f"a.{op}(.x, .x0, .x1, imm: 64)")
bad(None, "a.lsl(.x, .x0, .x1, imm: -1)")
bad("lslv x0, sp, x1", "a.lslv(.x, .x0, .sp, .x1)")

# ---------------------------------------------------------------------------------------
group("bitfield", "SBFM/BFM/UBFM, UBFX/SBFX/UBFIZ/SBFIZ/BFI/BFXIL, SXTB/SXTH/SXTW/UXTB/UXTH, EXTR")
for op in ["sbfm", "bfm", "ubfm"]:
    ok(f"{op} x0, x1, #0, #63", f"a.{op}(.x, .x0, .x1, immr: 0, imms: 63)")
    ok(f"{op} x0, x1, #63, #0", f"a.{op}(.x, .x0, .x1, immr: 63, imms: 0)")
    ok(f"{op} w0, w1, #31, #31", f"a.{op}(.w, .x0, .x1, immr: 31, imms: 31)")
    ok(f"{op} w0, w1, #3, #10", f"a.{op}(.w, .x0, .x1, immr: 3, imms: 10)")
for op in ["ubfx", "sbfx", "bfxil"]:
    ok(f"{op} x0, x1, #4, #8", f"a.{op}(.x, .x0, .x1, lsb: 4, width: 8)")
    ok(f"{op} x0, x1, #0, #64", f"a.{op}(.x, .x0, .x1, lsb: 0, width: 64)")
    ok(f"{op} w0, w1, #31, #1", f"a.{op}(.w, .x0, .x1, lsb: 31, width: 1)")
for op in ["ubfiz", "sbfiz", "bfi"]:
    ok(f"{op} x0, x1, #4, #8", f"a.{op}(.x, .x0, .x1, lsb: 4, width: 8)")
    ok(f"{op} x0, x1, #63, #1", f"a.{op}(.x, .x0, .x1, lsb: 63, width: 1)")
    ok(f"{op} w0, w1, #1, #31", f"a.{op}(.w, .x0, .x1, lsb: 1, width: 31)")
ok("sxtb w0, w1", "a.sxtb(.w, .x0, .x1)")
ok("sxtb x0, w1", "a.sxtb(.x, .x0, .x1)")
ok("sxth w2, w3", "a.sxth(.w, .x2, .x3)")
ok("sxth x2, w3", "a.sxth(.x, .x2, .x3)")
ok("sxtw x4, w5", "a.sxtw(.x4, .x5)")
ok("uxtb w6, w7", "a.uxtb(.x6, .x7)")
ok("uxth w8, w9", "a.uxth(.x8, .x9)")
ok("extr x0, x1, x2, #0", "a.extr(.x, .x0, .x1, .x2, lsb: 0)")
ok("extr x0, x1, x2, #63", "a.extr(.x, .x0, .x1, .x2, lsb: 63)")
ok("extr w0, w1, w2, #31", "a.extr(.w, .x0, .x1, .x2, lsb: 31)")
bad("ubfm w0, w1, #32, #0", "a.ubfm(.w, .x0, .x1, immr: 32, imms: 0)")
bad("sbfm x0, x1, #0, #64", "a.sbfm(.x, .x0, .x1, immr: 0, imms: 64)")
bad("ubfx w0, w1, #16, #17", "a.ubfx(.w, .x0, .x1, lsb: 16, width: 17)")
bad("ubfx x0, x1, #0, #0", "a.ubfx(.x, .x0, .x1, lsb: 0, width: 0)")
bad("bfi x0, x1, #60, #5", "a.bfi(.x, .x0, .x1, lsb: 60, width: 5)")
bad("extr w0, w1, w2, #32", "a.extr(.w, .x0, .x1, .x2, lsb: 32)")
bad("extr x0, x1, x2, #64", "a.extr(.x, .x0, .x1, .x2, lsb: 64)")
bad("sxtb x0, wsp", "a.sxtb(.x, .x0, .sp)")

# ---------------------------------------------------------------------------------------
group("bitOperations", "CLZ, CLS, RBIT, REV, REV16, REV32")
for op in ["clz", "cls", "rbit", "rev", "rev16"]:
    ok(f"{op} x0, x1", f"a.{op}(.x, .x0, .x1)")
    ok(f"{op} w2, w3", f"a.{op}(.w, .x2, .x3)")
ok("rev32 x4, x5", "a.rev32(.x4, .x5)")
ok("clz x30, xzr", "a.clz(.x, .x30, .zr)")
bad("clz sp, x1", "a.clz(.x, .sp, .x1)")

# ---------------------------------------------------------------------------------------
group("conditional", "CSEL/CSINC/CSINV/CSNEG, CSET/CSETM/CINC/CINV/CNEG, CCMP/CCMN")
conds = ["eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"]
for c in conds:
    ok(f"csel x0, x1, x2, {c}", f"a.csel(.x, .x0, .x1, .x2, .{c})")
for op in ["csel", "csinc", "csinv", "csneg"]:
    ok(f"{op} w3, w4, w5, ne", f"a.{op}(.w, .x3, .x4, .x5, .ne)")
    ok(f"{op} x3, x4, x5, lt", f"a.{op}(.x, .x3, .x4, .x5, .lt)")
ok("csinc x0, xzr, xzr, eq", "a.csinc(.x, .x0, .zr, .zr, .eq)")
for c in conds[:14]:
    ok(f"cset w0, {c}", f"a.cset(.w, .x0, .{c})")
ok("cset x1, hi", "a.cset(.x, .x1, .hi)")
ok("csetm x2, lo", "a.csetm(.x, .x2, .lo)")
ok("csetm w2, ge", "a.csetm(.w, .x2, .ge)")
ok("cinc x3, x4, eq", "a.cinc(.x, .x3, .x4, .eq)")
ok("cinv w3, w4, mi", "a.cinv(.w, .x3, .x4, .mi)")
ok("cneg x5, x6, lt", "a.cneg(.x, .x5, .x6, .lt)")
ok("ccmp x0, x1, #0, eq", "a.ccmp(.x, .x0, .x1, nzcv: 0, .eq)")
ok("ccmp w0, w1, #15, ne", "a.ccmp(.w, .x0, .x1, nzcv: 15, .ne)")
ok("ccmp x2, #0, #4, hs", "a.ccmp(.x, .x2, imm: 0, nzcv: 4, .hs)")
ok("ccmp w2, #31, #8, lt", "a.ccmp(.w, .x2, imm: 31, nzcv: 8, .lt)")
ok("ccmn x3, x4, #2, gt", "a.ccmn(.x, .x3, .x4, nzcv: 2, .gt)")
ok("ccmn w3, #1, #0, le", "a.ccmn(.w, .x3, imm: 1, nzcv: 0, .le)")
bad("cset w0, al", "a.cset(.w, .x0, .al)")
bad("csetm x0, nv", "a.csetm(.x, .x0, .nv)")
bad("cinc x0, x1, al", "a.cinc(.x, .x0, .x1, .al)")
bad("ccmp x0, #32, #0, eq", "a.ccmp(.x, .x0, imm: 32, nzcv: 0, .eq)")
bad("ccmp x0, x1, #16, eq", "a.ccmp(.x, .x0, .x1, nzcv: 16, .eq)")
bad("ccmn x0, #-1, #0, eq", "a.ccmn(.x, .x0, imm: -1, nzcv: 0, .eq)")
bad("csel sp, x1, x2, eq", "a.csel(.x, .sp, .x1, .x2, .eq)")

# ---------------------------------------------------------------------------------------
group("pcRelative", "ADR and ADRP with byte offsets")
for off in [0, 1, -1, 4, 1048575, -1048576]:
    ok(f"adr x0, #{off}", f"a.adr(.x0, offset: {off})")
ok("adr x30, #-4", "a.adr(.x30, offset: -4)")
ok("adr xzr, #8", "a.adr(.zr, offset: 8)")
for off in [0, 4096, -4096, 4294963200, -4294967296]:
    ok(f"adrp x1, #{off}", f"a.adrp(.x1, offset: {off})")
bad("adr x0, #1048576", "a.adr(.x0, offset: 1048576)")
bad("adr x0, #-1048577", "a.adr(.x0, offset: -1048577)")
bad("adr sp, #0", "a.adr(.sp, offset: 0)")
bad("adrp x0, #4294967296", "a.adrp(.x0, offset: 4294967296)")
bad("adrp x0, #-4294971392", "a.adrp(.x0, offset: -4294971392)")
bad("adrp x0, #4095", "a.adrp(.x0, offset: 4095)")

# ---------------------------------------------------------------------------------------
group("branchOffsets", "B/BL (imm26), B.cond/CBZ/CBNZ/LDR literal (imm19), TBZ/TBNZ (imm14) with byte offsets; BR/BLR/RET")
for off in [0, 4, -4, 134217724, -134217728]:
    ok(f"b #{off}", f"a.b(offset: {off})")
    ok(f"bl #{off}", f"a.bl(offset: {off})")
for c in conds:
    ok(f"b.{c} #8", f"a.b(.{c}, offset: 8)")
for off in [1048572, -1048576, -4]:
    ok(f"b.ne #{off}", f"a.b(.ne, offset: {off})")
    ok(f"cbz x0, #{off}", f"a.cbz(.x, .x0, offset: {off})")
    ok(f"cbnz w1, #{off}", f"a.cbnz(.w, .x1, offset: {off})")
    ok(f"ldr x2, #{off}", f"a.ldr(.x, .x2, literalOffset: {off})")
    ok(f"ldr w3, #{off}", f"a.ldr(.w, .x3, literalOffset: {off})")
    ok(f"ldr s4, #{off}", f"a.ldr(.s, .v4, literalOffset: {off})")
    ok(f"ldr d5, #{off}", f"a.ldr(.d, .v5, literalOffset: {off})")
ok("cbz wzr, #0", "a.cbz(.w, .zr, offset: 0)")
ok("cbnz x30, #8", "a.cbnz(.x, .x30, offset: 8)")
for bit, r in [(0, "w"), (31, "w"), (32, "x"), (63, "x")]:
    for off in [32764, -32768, 8]:
        ok(f"tbz {r}3, #{bit}, #{off}", f"a.tbz(.x3, bit: {bit}, offset: {off})")
        ok(f"tbnz {r}4, #{bit}, #{off}", f"a.tbnz(.x4, bit: {bit}, offset: {off})")
ok("br x16", "a.br(.x16)")
ok("br x0", "a.br(.x0)")
ok("blr x17", "a.blr(.x17)")
ok("blr x30", "a.blr(.x30)")
ok("ret", "a.ret()")
ok("ret x1", "a.ret(.x1)")
bad("b #134217728", "a.b(offset: 134217728)")
bad("b #-134217732", "a.b(offset: -134217732)")
bad("bl #134217728", "a.bl(offset: 134217728)")
bad("b #2", "a.b(offset: 2)")
bad("b.eq #1048576", "a.b(.eq, offset: 1048576)")
bad("b.eq #-1048580", "a.b(.eq, offset: -1048580)")
bad("cbz x0, #1048576", "a.cbz(.x, .x0, offset: 1048576)")
bad("cbnz x0, #-1048580", "a.cbnz(.x, .x0, offset: -1048580)")
bad("cbz x0, #6", "a.cbz(.x, .x0, offset: 6)")
bad("cbz sp, #0", "a.cbz(.x, .sp, offset: 0)")
bad("tbz w0, #0, #32768", "a.tbz(.x0, bit: 0, offset: 32768)")
bad("tbnz x0, #63, #-32772", "a.tbnz(.x0, bit: 63, offset: -32772)")
bad("tbz x0, #64, #0", "a.tbz(.x0, bit: 64, offset: 0)")
bad(None, "a.tbz(.x0, bit: -1, offset: 0)")
bad("ldr x0, #1048576", "a.ldr(.x, .x0, literalOffset: 1048576)")
bad("ldr d0, #-1048580", "a.ldr(.d, .v0, literalOffset: -1048580)")
bad("br sp", "a.br(.sp)")
bad("blr sp", "a.blr(.sp)")
bad("ret sp", "a.ret(.sp)")

# ---------------------------------------------------------------------------------------
group("labels", "Branches, ADR and literal loads to labels, forward and backward")
ok("b .L1; nop; .L1:", "let l = a.newLabel(); a.b(l); a.nop(); a.bind(l)")
ok(".L1: nop; b .L1", "let l = a.newLabel(); a.bind(l); a.nop(); a.b(l)")
ok(".L1: b .L1", "let l = a.here(); a.b(l)")
ok("bl .L1; nop; nop; .L1: bl .L1", "let l = a.newLabel(); a.bl(l); a.nop(); a.nop(); a.bind(l); a.bl(l)")
ok("b.ne .L1; cbz w0, .L1; cbnz x1, .L1; tbz w2, #5, .L1; tbnz x3, #40, .L1; .L1:",
   "let l = a.newLabel(); a.b(.ne, l); a.cbz(.w, .x0, l); a.cbnz(.x, .x1, l); a.tbz(.x2, bit: 5, l); a.tbnz(.x3, bit: 40, l); a.bind(l)")
ok(".L1: b.hs .L1; cbz x0, .L1; cbnz w1, .L1; tbz x2, #63, .L1; tbnz w3, #0, .L1",
   "let l = a.here(); a.b(.hs, l); a.cbz(.x, .x0, l); a.cbnz(.w, .x1, l); a.tbz(.x2, bit: 63, l); a.tbnz(.x3, bit: 0, l)")
ok("adr x0, .L1; nop; .L1: adr x1, .L1", "let l = a.newLabel(); a.adr(.x0, l); a.nop(); a.bind(l); a.adr(.x1, l)")
ok("ldr x0, .L1; ldr w1, .L1; ldr d2, .L1; ldr s3, .L1; ldrsw x4, .L1; .L1: .quad 0x1122334455667788",
   "let l = a.newLabel(); a.ldr(.x, .x0, literal: l); a.ldr(.w, .x1, literal: l); a.ldr(.d, .v2, literal: l); "
   "a.ldr(.s, .v3, literal: l); a.ldrsw(.x4, literal: l); a.bind(l); a.emit64(0x1122334455667788)")
ok(".L1: .word 0xdeadbeef; ldr w0, .L1", "let l = a.here(); a.emit(0xDEADBEEF); a.ldr(.w, .x0, literal: l)")
ok("b .L2; .L1: ret; .L2: bl .L1; b .L1",
   "let l1 = a.newLabel(), l2 = a.newLabel(); a.b(l2); a.bind(l1); a.ret(); a.bind(l2); a.bl(l1); a.b(l1)")
ok("adr x16, .L1; add x16, x16, w0, uxtw #2; br x16; .L1: b .L2; b .L3; .L2: nop; .L3: ret",
   "let table = a.newLabel(), l2 = a.newLabel(), l3 = a.newLabel(); a.adr(.x16, table); "
   "a.add(.x, .x16, .x16, .x0, extend: .uxtw, 2); a.br(.x16); a.bind(table); a.b(l2); a.b(l3); a.bind(l2); a.nop(); a.bind(l3); a.ret()")
ok("nop; .p2align 4; ret", "a.nop(); a.align(16); a.ret()")
ok("nop; .p2align 3, 0; ret", "a.nop(); a.align(8, with: .udf); a.ret()")
ok("nop; .p2align 2; ret", "a.nop(); a.align(4); a.ret()")

group("labelRangeLimits", "Label fixups at the exact ends of each range (the padding is not part of the literal)")
ok_at("b #134217724", "let l = a.newLabel(); a.b(l); a.fillWithUDF(words: 33554430); a.bind(l)", 0)
ok_at("b #-134217728", "let l = a.here(); a.fillWithUDF(words: 33554432); a.b(l)", 134217728)
ok_at("bl #134217724", "let l = a.newLabel(); a.bl(l); a.fillWithUDF(words: 33554430); a.bind(l)", 0)
ok_at("b.lt #1048572", "let l = a.newLabel(); a.b(.lt, l); a.fillWithUDF(words: 262142); a.bind(l)", 0)
ok_at("b.lt #-1048576", "let l = a.here(); a.fillWithUDF(words: 262144); a.b(.lt, l)", 1048576)
ok_at("cbz x9, #1048572", "let l = a.newLabel(); a.cbz(.x, .x9, l); a.fillWithUDF(words: 262142); a.bind(l)", 0)
ok_at("cbnz w9, #-1048576", "let l = a.here(); a.fillWithUDF(words: 262144); a.cbnz(.w, .x9, l)", 1048576)
ok_at("ldr x9, #1048572", "let l = a.newLabel(); a.ldr(.x, .x9, literal: l); a.fillWithUDF(words: 262142); a.bind(l)", 0)
ok_at("ldr d9, #-1048576", "let l = a.here(); a.fillWithUDF(words: 262144); a.ldr(.d, .v9, literal: l)", 1048576)
ok_at("tbz w9, #7, #32764", "let l = a.newLabel(); a.tbz(.x9, bit: 7, l); a.fillWithUDF(words: 8190); a.bind(l)", 0)
ok_at("tbnz x9, #33, #-32768", "let l = a.here(); a.fillWithUDF(words: 8192); a.tbnz(.x9, bit: 33, l)", 32768)
ok_at("adr x9, #1048572", "let l = a.newLabel(); a.adr(.x9, l); a.fillWithUDF(words: 262142); a.bind(l)", 0)
ok_at("adr x9, #-1048576", "let l = a.here(); a.fillWithUDF(words: 262144); a.adr(.x9, l)", 1048576)

# ---------------------------------------------------------------------------------------
group("system", "BRK, UDF, NOP, DMB, DSB, ISB, MRS/MSR, raw words")
ok("brk #0", "a.brk()")
ok("brk #0xffff", "a.brk(0xFFFF)")
ok("brk #1", "a.brk(1)")
ok("udf #0", "a.udf()")
ok("udf #0xffff", "a.udf(0xFFFF)")
ok("nop", "a.nop()")
ok("dmb ish", "a.dmb(.ish)")
ok("dmb sy", "a.dmb(.sy)")
ok("dmb ishld", "a.dmb(.ishld)")
ok("dmb ishst", "a.dmb(.ishst)")
ok("dsb ish", "a.dsb(.ish)")
ok("dsb sy", "a.dsb(.sy)")
ok("isb", "a.isb()")
ok("mrs x0, fpsr", "a.mrs(.x0, .fpsr)")
ok("mrs x1, fpcr", "a.mrs(.x1, .fpcr)")
ok("mrs x2, nzcv", "a.mrs(.x2, .nzcv)")
ok("mrs x30, tpidr_el0", "a.mrs(.x30, .tpidrEL0)")
ok("msr fpsr, xzr", "a.msr(.fpsr, .zr)")
ok("msr fpcr, x3", "a.msr(.fpcr, .x3)")
ok("msr nzcv, x4", "a.msr(.nzcv, .x4)")
ok("msr tpidr_el0, x5", "a.msr(.tpidrEL0, .x5)")
bad("mrs sp, fpsr", "a.mrs(.sp, .fpsr)")
ok(".word 0x12345678; .word 0x9abcdef0", "a.emit(0x12345678, 0x9ABCDEF0)")
ok(".quad 0x0123456789abcdef", "a.emit64(0x0123456789ABCDEF)")

# ---------------------------------------------------------------------------------------
group("loadStoreOffset", "LDR/STR and friends with [base, #offset]: scaled unsigned, or unscaled when that is the only form")
for op, sz, reg, scale in [("ldr", "x", "x", 8), ("str", "x", "x", 8), ("ldr", "w", "w", 4), ("str", "w", "w", 4)]:
    ok(f"{op} {reg}0, [x1]", f"a.{op}(.{sz}, .x0, .base(.x1))")
    ok(f"{op} {reg}0, [x1, #{scale}]", f"a.{op}(.{sz}, .x0, .offset(.x1, {scale}))")
    ok(f"{op} {reg}0, [x1, #{4095 * scale}]", f"a.{op}(.{sz}, .x0, .offset(.x1, {4095 * scale}))")
    ok(f"{op} {reg}0, [x1, #-8]", f"a.{op}(.{sz}, .x0, .offset(.x1, -8))")
    ok(f"{op} {reg}0, [x1, #1]", f"a.{op}(.{sz}, .x0, .offset(.x1, 1))")
    ok(f"{op} {reg}0, [x1, #-256]", f"a.{op}(.{sz}, .x0, .offset(.x1, -256))")
    ok(f"{op} {reg}0, [x1, #255]", f"a.{op}(.{sz}, .x0, .offset(.x1, 255))")
    ok(f"{op} {reg}30, [sp, #16]", f"a.{op}(.{sz}, .x30, .offset(.sp, 16))")
    ok(f"{op} {reg}zr, [x29, #-24]", f"a.{op}(.{sz}, .zr, .offset(.x29, -24))")
for op in ["ldrb", "strb"]:
    ok(f"{op} w0, [x1]", f"a.{op}(.x0, .base(.x1))")
    ok(f"{op} w0, [x1, #4095]", f"a.{op}(.x0, .offset(.x1, 4095))")
    ok(f"{op} w0, [x1, #-1]", f"a.{op}(.x0, .offset(.x1, -1))")
    ok(f"{op} wzr, [sp, #7]", f"a.{op}(.zr, .offset(.sp, 7))")
for op in ["ldrh", "strh"]:
    ok(f"{op} w0, [x1, #8190]", f"a.{op}(.x0, .offset(.x1, 8190))")
    ok(f"{op} w0, [x1, #3]", f"a.{op}(.x0, .offset(.x1, 3))")
    ok(f"{op} w0, [x1, #-256]", f"a.{op}(.x0, .offset(.x1, -256))")
for sz, r in [("x", "x"), ("w", "w")]:
    ok(f"ldrsb {r}0, [x1, #4095]", f"a.ldrsb(.{sz}, .x0, .offset(.x1, 4095))")
    ok(f"ldrsb {r}0, [x1, #-1]", f"a.ldrsb(.{sz}, .x0, .offset(.x1, -1))")
    ok(f"ldrsh {r}0, [x1, #8190]", f"a.ldrsh(.{sz}, .x0, .offset(.x1, 8190))")
    ok(f"ldrsh {r}0, [x1, #-2]", f"a.ldrsh(.{sz}, .x0, .offset(.x1, -2))")
ok("ldrsw x0, [x1, #16380]", "a.ldrsw(.x0, .offset(.x1, 16380))")
ok("ldrsw x0, [x1, #-4]", "a.ldrsw(.x0, .offset(.x1, -4))")
for op, fs, r, scale in [("ldr", "s", "s", 4), ("str", "s", "s", 4), ("ldr", "d", "d", 8), ("str", "d", "d", 8)]:
    ok(f"{op} {r}0, [x1]", f"a.{op}(.{fs}, .v0, .base(.x1))")
    ok(f"{op} {r}31, [x1, #{4095 * scale}]", f"a.{op}(.{fs}, .v31, .offset(.x1, {4095 * scale}))")
    ok(f"{op} {r}7, [sp, #-8]", f"a.{op}(.{fs}, .v7, .offset(.sp, -8))")
    ok(f"{op} {r}7, [x29, #2]", f"a.{op}(.{fs}, .v7, .offset(.x29, 2))")
for op, call in [("ldur x0", "ldur(.x, .x0"), ("stur x0", "stur(.x, .x0"), ("ldur w0", "ldur(.w, .x0"),
                 ("stur w0", "stur(.w, .x0"), ("ldurb w0", "ldurb(.x0"), ("sturb w0", "sturb(.x0"),
                 ("ldurh w0", "ldurh(.x0"), ("sturh w0", "sturh(.x0"), ("ldursb x0", "ldursb(.x, .x0"),
                 ("ldursb w0", "ldursb(.w, .x0"), ("ldursh x0", "ldursh(.x, .x0"), ("ldursh w0", "ldursh(.w, .x0"),
                 ("ldursw x0", "ldursw(.x0"), ("ldur s0", "ldur(.s, .v0"), ("stur s0", "stur(.s, .v0"),
                 ("ldur d0", "ldur(.d, .v0"), ("stur d0", "stur(.d, .v0")]:
    ok(f"{op}, [x1, #8]", f"a.{call}, .offset(.x1, 8))")
    ok(f"{op}, [sp, #-256]", f"a.{call}, .offset(.sp, -256))")
    ok(f"{op}, [x1, #255]", f"a.{call}, .offset(.x1, 255))")
bad("ldr x0, [x1, #32768]", "a.ldr(.x, .x0, .offset(.x1, 32768))")
bad("ldr x0, [x1, #-257]", "a.ldr(.x, .x0, .offset(.x1, -257))")
bad("ldr x0, [x1, #257]", "a.ldr(.x, .x0, .offset(.x1, 257))")
bad("ldr w0, [x1, #16384]", "a.ldr(.w, .x0, .offset(.x1, 16384))")
bad("ldrh w0, [x1, #8192]", "a.ldrh(.x0, .offset(.x1, 8192))")
bad("ldrb w0, [x1, #4096]", "a.ldrb(.x0, .offset(.x1, 4096))")
bad("ldr d0, [x1, #32768]", "a.ldr(.d, .v0, .offset(.x1, 32768))")
bad("ldur x0, [x1, #256]", "a.ldur(.x, .x0, .offset(.x1, 256))")
bad("ldur x0, [x1, #-257]", "a.ldur(.x, .x0, .offset(.x1, -257))")
bad(None, "a.ldur(.x, .x0, .preIndex(.x1, 8))")
bad("ldr x0, [xzr]", "a.ldr(.x, .x0, .base(.zr))")
bad("ldr sp, [x0]", "a.ldr(.x, .sp, .base(.x0))")

# ---------------------------------------------------------------------------------------
group("loadStoreWriteback", "Pre-index [base, #imm]! and post-index [base], #imm")
for op, sz, r in [("ldr", "x", "x"), ("str", "x", "x"), ("ldr", "w", "w"), ("str", "w", "w")]:
    for off in [8, -256, 255]:
        ok(f"{op} {r}0, [x1, #{off}]!", f"a.{op}(.{sz}, .x0, .preIndex(.x1, {off}))")
        ok(f"{op} {r}0, [x1], #{off}", f"a.{op}(.{sz}, .x0, .postIndex(.x1, {off}))")
ok("str x30, [sp, #-16]!", "a.str(.x, .x30, .preIndex(.sp, -16))")
ok("ldr x30, [sp], #16", "a.ldr(.x, .x30, .postIndex(.sp, 16))")
ok("str xzr, [x0], #8", "a.str(.x, .zr, .postIndex(.x0, 8))")
ok("ldrb w0, [x1, #1]!", "a.ldrb(.x0, .preIndex(.x1, 1))")
ok("strb w0, [x1], #-1", "a.strb(.x0, .postIndex(.x1, -1))")
ok("ldrh w0, [x1, #2]!", "a.ldrh(.x0, .preIndex(.x1, 2))")
ok("strh w0, [x1], #2", "a.strh(.x0, .postIndex(.x1, 2))")
ok("ldrsb x0, [x1, #1]!", "a.ldrsb(.x, .x0, .preIndex(.x1, 1))")
ok("ldrsh w0, [x1], #2", "a.ldrsh(.w, .x0, .postIndex(.x1, 2))")
ok("ldrsw x0, [x1, #4]!", "a.ldrsw(.x0, .preIndex(.x1, 4))")
ok("ldr d0, [x1, #8]!", "a.ldr(.d, .v0, .preIndex(.x1, 8))")
ok("str s0, [x1], #-4", "a.str(.s, .v0, .postIndex(.x1, -4))")
ok("ldr d1, [x1], #8", "a.ldr(.d, .v1, .postIndex(.x1, 8))")
bad("ldr x0, [x1, #256]!", "a.ldr(.x, .x0, .preIndex(.x1, 256))")
bad("ldr x0, [x1], #-257", "a.ldr(.x, .x0, .postIndex(.x1, -257))")
bad("ldr x0, [x0, #8]!", "a.ldr(.x, .x0, .preIndex(.x0, 8))")
bad("str x1, [x1], #8", "a.str(.x, .x1, .postIndex(.x1, 8))")
bad("ldr x0, [xzr, #8]!", "a.ldr(.x, .x0, .preIndex(.zr, 8))")

# ---------------------------------------------------------------------------------------
group("loadStoreRegisterOffset", "[base, index{, extend {#amount}}]")
for op, sz, r, amt in [("ldr", "x", "x", 3), ("str", "x", "x", 3), ("ldr", "w", "w", 2), ("str", "w", "w", 2)]:
    ok(f"{op} {r}0, [x1, x2]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2))")
    ok(f"{op} {r}0, [x1, x2, lsl #{amt}]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2, scaled: true))")
    ok(f"{op} {r}0, [x1, w2, uxtw]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2, .uxtw))")
    ok(f"{op} {r}0, [x1, w2, uxtw #{amt}]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2, .uxtw, scaled: true))")
    ok(f"{op} {r}0, [x1, w2, sxtw]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2, .sxtw))")
    ok(f"{op} {r}0, [x1, w2, sxtw #{amt}]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2, .sxtw, scaled: true))")
    ok(f"{op} {r}0, [x1, x2, sxtx]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2, .sxtx))")
    ok(f"{op} {r}0, [x1, x2, sxtx #{amt}]", f"a.{op}(.{sz}, .x0, .indexed(.x1, index: .x2, .sxtx, scaled: true))")
ok("ldrb w0, [x28, w1, uxtw]", "a.ldrb(.x0, .indexed(.x28, index: .x1, .uxtw))")
ok("ldrb w0, [x1, x2, lsl #0]", "a.ldrb(.x0, .indexed(.x1, index: .x2, scaled: true))")
ok("strb w0, [x1, x2]", "a.strb(.x0, .indexed(.x1, index: .x2))")
ok("ldrh w0, [x1, x2, lsl #1]", "a.ldrh(.x0, .indexed(.x1, index: .x2, scaled: true))")
ok("strh w0, [x1, w2, sxtw #1]", "a.strh(.x0, .indexed(.x1, index: .x2, .sxtw, scaled: true))")
ok("ldrsb x0, [x1, x2]", "a.ldrsb(.x, .x0, .indexed(.x1, index: .x2))")
ok("ldrsb w0, [x1, w2, uxtw]", "a.ldrsb(.w, .x0, .indexed(.x1, index: .x2, .uxtw))")
ok("ldrsh x0, [x1, x2, lsl #1]", "a.ldrsh(.x, .x0, .indexed(.x1, index: .x2, scaled: true))")
ok("ldrsh w0, [x1, w2, sxtw]", "a.ldrsh(.w, .x0, .indexed(.x1, index: .x2, .sxtw))")
ok("ldrsw x0, [x1, x2, lsl #2]", "a.ldrsw(.x0, .indexed(.x1, index: .x2, scaled: true))")
ok("ldr s0, [x1, x2, lsl #2]", "a.ldr(.s, .v0, .indexed(.x1, index: .x2, scaled: true))")
ok("str s0, [x1, w2, uxtw]", "a.str(.s, .v0, .indexed(.x1, index: .x2, .uxtw))")
ok("ldr d0, [x1, w2, sxtw #3]", "a.ldr(.d, .v0, .indexed(.x1, index: .x2, .sxtw, scaled: true))")
ok("str d31, [x1, x2]", "a.str(.d, .v31, .indexed(.x1, index: .x2))")
ok("ldr x0, [sp, x1]", "a.ldr(.x, .x0, .indexed(.sp, index: .x1))")
ok("ldr x0, [x1, xzr]", "a.ldr(.x, .x0, .indexed(.x1, index: .zr))")
ok("str xzr, [x1, x2, lsl #3]", "a.str(.x, .zr, .indexed(.x1, index: .x2, scaled: true))")
bad("ldr x0, [x1, sp]", "a.ldr(.x, .x0, .indexed(.x1, index: .sp))")
bad("ldr x0, [xzr, x1]", "a.ldr(.x, .x0, .indexed(.zr, index: .x1))")

# ---------------------------------------------------------------------------------------
group("loadStorePair", "LDP/STP of W, X, S and D registers: signed offset, pre-index, post-index")
for op in ["ldp", "stp"]:
    for sz, r, scale in [("x", "x", 8), ("w", "w", 4)]:
        for off in [0, -64 * scale, 63 * scale]:
            ok(f"{op} {r}0, {r}1, [x2, #{off}]", f"a.{op}(.{sz}, .x0, .x1, .offset(.x2, {off}))")
        ok(f"{op} {r}0, {r}1, [x2, #{-64 * scale}]!", f"a.{op}(.{sz}, .x0, .x1, .preIndex(.x2, {-64 * scale}))")
        ok(f"{op} {r}0, {r}1, [x2], #{63 * scale}", f"a.{op}(.{sz}, .x0, .x1, .postIndex(.x2, {63 * scale}))")
    for fs, r, scale in [("d", "d", 8), ("s", "s", 4)]:
        ok(f"{op} {r}8, {r}9, [sp, #{-64 * scale}]", f"a.{op}(.{fs}, .v8, .v9, .offset(.sp, {-64 * scale}))")
        ok(f"{op} {r}30, {r}31, [x0, #{63 * scale}]!", f"a.{op}(.{fs}, .v30, .v31, .preIndex(.x0, {63 * scale}))")
        ok(f"{op} {r}14, {r}15, [x0], #{scale}", f"a.{op}(.{fs}, .v14, .v15, .postIndex(.x0, {scale}))")
ok("stp x29, x30, [sp, #-16]!", "a.stp(.x, .x29, .x30, .preIndex(.sp, -16))")
ok("ldp x29, x30, [sp], #16", "a.ldp(.x, .x29, .x30, .postIndex(.sp, 16))")
ok("stp xzr, xzr, [x0, #16]", "a.stp(.x, .zr, .zr, .offset(.x0, 16))")
ok("stp x0, x0, [x1]", "a.stp(.x, .x0, .x0, .offset(.x1, 0))")
ok("stp d8, d8, [x1]", "a.stp(.d, .v8, .v8, .offset(.x1, 0))")
bad("ldp x0, x1, [x2, #512]", "a.ldp(.x, .x0, .x1, .offset(.x2, 512))")
bad("ldp x0, x1, [x2, #-520]", "a.ldp(.x, .x0, .x1, .offset(.x2, -520))")
bad("ldp x0, x1, [x2, #4]", "a.ldp(.x, .x0, .x1, .offset(.x2, 4))")
bad("stp w0, w1, [x2, #256]", "a.stp(.w, .x0, .x1, .offset(.x2, 256))")
bad("ldp d0, d1, [x2, #-520]!", "a.ldp(.d, .v0, .v1, .preIndex(.x2, -520))")
bad("ldp x0, x0, [x1]", "a.ldp(.x, .x0, .x0, .offset(.x1, 0))")
bad("ldp d0, d0, [x1]", "a.ldp(.d, .v0, .v0, .offset(.x1, 0))")
bad("ldp x0, x1, [x0, #16]!", "a.ldp(.x, .x0, .x1, .preIndex(.x0, 16))")
bad("stp x0, x1, [x1], #16", "a.stp(.x, .x0, .x1, .postIndex(.x1, 16))")
bad("stp x0, x1, [xzr]", "a.stp(.x, .x0, .x1, .offset(.zr, 0))")
bad("stp sp, x1, [x0]", "a.stp(.x, .sp, .x1, .offset(.x0, 0))")

# ---------------------------------------------------------------------------------------
group("registerNumbers", "Every register number in every field position")
for n in range(31):
    d, s1, s2 = n, (n + 11) % 31, (n + 22) % 31
    ok(f"add x{d}, x{s1}, x{s2}", f"a.add(.x, .x{d}, .x{s1}, .x{s2})")
    ok(f"sub w{s2}, w{d}, w{s1}", f"a.sub(.w, .x{s2}, .x{d}, .x{s1})")
    ok(f"ldr x{d}, [x{s1}, #8]", f"a.ldr(.x, .x{d}, .offset(.x{s1}, 8))")
for n in range(32):
    d, s1, s2 = n, (n + 11) % 32, (n + 22) % 32
    ok(f"fadd d{d}, d{s1}, d{s2}", f"a.fadd(.d, .v{d}, .v{s1}, .v{s2})")
    ok(f"fsub s{s2}, s{d}, s{s1}", f"a.fsub(.s, .v{s2}, .v{d}, .v{s1})")

# ---------------------------------------------------------------------------------------
group("floatArithmetic", "FADD/FSUB/FMUL/FDIV/FMIN/FMAX/FMINNM/FMAXNM/FNMUL, one-source operations, FCVT")
for op in ["fadd", "fsub", "fmul", "fdiv", "fmin", "fmax", "fminnm", "fmaxnm", "fnmul"]:
    ok(f"{op} s0, s1, s2", f"a.{op}(.s, .v0, .v1, .v2)")
    ok(f"{op} d29, d30, d31", f"a.{op}(.d, .v29, .v30, .v31)")
for op in ["fmov", "fabs", "fneg", "fsqrt", "frintn", "frintp", "frintm", "frintz", "frinta", "frintx", "frinti"]:
    ok(f"{op} s3, s4", f"a.{op}(.s, .v3, .v4)")
    ok(f"{op} d5, d6", f"a.{op}(.d, .v5, .v6)")
ok("fcvt d0, s1", "a.fcvt(.d, .v0, .s, .v1)")
ok("fcvt s2, d3", "a.fcvt(.s, .v2, .d, .v3)")
bad(None, "a.fcvt(.d, .v0, .d, .v1)")

group("floatCompareSelect", "FCMP/FCMPE (register and #0.0), FCSEL")
ok("fcmp s0, s1", "a.fcmp(.s, .v0, .v1)")
ok("fcmp d2, d3", "a.fcmp(.d, .v2, .v3)")
ok("fcmp s4, #0.0", "a.fcmpZero(.s, .v4)")
ok("fcmp d5, #0.0", "a.fcmpZero(.d, .v5)")
ok("fcmpe s0, s1", "a.fcmpe(.s, .v0, .v1)")
ok("fcmpe d31, d30", "a.fcmpe(.d, .v31, .v30)")
ok("fcmpe s4, #0.0", "a.fcmpeZero(.s, .v4)")
ok("fcmpe d5, #0.0", "a.fcmpeZero(.d, .v5)")
for c in ["eq", "ne", "mi", "gt", "ls", "ge", "vs", "lt"]:
    ok(f"fcsel d0, d1, d2, {c}", f"a.fcsel(.d, .v0, .v1, .v2, .{c})")
ok("fcsel s3, s4, s5, hi", "a.fcsel(.s, .v3, .v4, .v5, .hi)")

group("floatMoves", "FMOV between general and FP registers, FMOV (immediate)")
ok("fmov s0, w1", "a.fmov(.s, .v0, .x1)")
ok("fmov d0, x1", "a.fmov(.d, .v0, .x1)")
ok("fmov w2, s3", "a.fmov(.s, .x2, .v3)")
ok("fmov x2, d3", "a.fmov(.d, .x2, .v3)")
ok("fmov d31, x30", "a.fmov(.d, .v31, .x30)")
ok("fmov x30, d31", "a.fmov(.d, .x30, .v31)")
ok("fmov s0, wzr", "a.fmov(.s, .v0, .zr)")
ok("fmov d0, xzr", "a.fmov(.d, .v0, .zr)")
for v in ["1.0", "-1.0", "2.0", "0.5", "0.125", "31.0", "-31.0", "1.9375", "0.1328125", "3.0", "10.0", "-0.25", "16.0", "0.1875"]:
    ok(f"fmov s1, #{v}", f"a.fmov(.s, .v1, imm: {v})")
    ok(f"fmov d1, #{v}", f"a.fmov(.d, .v1, imm: {v})")
for v in ["32.0", "0.0625", "1.03125", "0.1", "-33.0", "100.0"]:
    bad(f"fmov d0, #{v}", f"a.fmov(.d, .v0, imm: {v})")
    bad(f"fmov s0, #{v}", f"a.fmov(.s, .v0, imm: {v})")
bad(None, "a.fmov(.d, .v0, imm: 0.0)")
bad(None, "a.fmov(.d, .v0, imm: -0.0)")
bad(None, "a.fmov(.s, .v0, imm: .infinity)")
bad(None, "a.fmov(.d, .v0, imm: .nan)")
bad(None, "a.fmov(.s, .v0, imm: 1.0000001)")
bad("fmov d0, sp", "a.fmov(.d, .v0, .sp)")
bad("fmov sp, d0", "a.fmov(.d, .sp, .v0)")

group("floatConversions", "SCVTF/UCVTF from W/X, FCVTZS/FCVTZU to W/X")
for op in ["scvtf", "ucvtf"]:
    ok(f"{op} s0, w1", f"a.{op}(.s, .v0, .w, .x1)")
    ok(f"{op} s0, x1", f"a.{op}(.s, .v0, .x, .x1)")
    ok(f"{op} d0, w1", f"a.{op}(.d, .v0, .w, .x1)")
    ok(f"{op} d30, x29", f"a.{op}(.d, .v30, .x, .x29)")
for op in ["fcvtzs", "fcvtzu"]:
    ok(f"{op} w0, s1", f"a.{op}(.w, .x0, .s, .v1)")
    ok(f"{op} x0, s1", f"a.{op}(.x, .x0, .s, .v1)")
    ok(f"{op} w0, d1", f"a.{op}(.w, .x0, .d, .v1)")
    ok(f"{op} x29, d30", f"a.{op}(.x, .x29, .d, .v30)")
bad("scvtf d0, sp", "a.scvtf(.d, .v0, .x, .sp)")
bad("fcvtzs sp, d0", "a.fcvtzs(.x, .sp, .d, .v0)")

# ---------------------------------------------------------------------------------------
group("neon", "NEON for v128: LDR/STR Q, three same, two-register misc, narrowing, across lanes, SMULL/UMULL, SSHR, SXTL/UXTL, DUP/INS/UMOV/SMOV, permutes, TBL, EXT")
ok("ldr q0, [x1]", "a.ldrQ(.v0, .base(.x1))")
ok("ldr q1, [x2, #16]", "a.ldrQ(.v1, .offset(.x2, 16))")
ok("ldr q1, [x2, #65520]", "a.ldrQ(.v1, .offset(.x2, 65520))")
ok("ldur q2, [x29, #-48]", "a.ldrQ(.v2, .offset(.fp, -48))")
ok("ldur q2, [x29, #8]", "a.ldrQ(.v2, .offset(.fp, 8))")
ok("ldr q3, [x20, w1, uxtw]", "a.ldrQ(.v3, .indexed(.x20, index: .x1, .uxtw))")
ok("ldr q3, [x20, x16]", "a.ldrQ(.v3, .indexed(.x20, index: .x16))")
ok("ldr q31, [sp, #32]", "a.ldrQ(.v31, .offset(.sp, 32))")
ok("str q0, [x1]", "a.strQ(.v0, .base(.x1))")
ok("str q1, [x2, #32]", "a.strQ(.v1, .offset(.x2, 32))")
ok("stur q2, [x29, #-64]", "a.strQ(.v2, .offset(.fp, -64))")
ok("str q3, [x20, w1, uxtw]", "a.strQ(.v3, .indexed(.x20, index: .x1, .uxtw))")
ok("str q3, [x16, x17]", "a.strQ(.v3, .indexed(.x16, index: .x17))")
bad(None, "a.ldrQ(.v0, .offset(.x1, 4104))")
integer_same = ["add", "sub", "sqadd", "uqadd", "sqsub", "uqsub", "cmgt", "cmhi", "cmge", "cmhs", "cmeq", "sshl", "ushl"]
for op in integer_same:
    for arr in ["16b", "8h", "4s", "2d"]:
        sw = {"16b": "b16", "8h": "h8", "4s": "s4", "2d": "d2"}[arr]
        ok(f"{op} v0.{arr}, v1.{arr}, v2.{arr}", f"a.vector(.{op}, .{sw}, .v0, .v1, .v2)")
for op in ["smax", "umax", "smin", "umin", "urhadd", "mul", "umaxp"]:
    for arr, sw in [("16b", "b16"), ("8h", "h8"), ("4s", "s4")]:
        ok(f"{op} v3.{arr}, v4.{arr}, v5.{arr}", f"a.vector(.{op}, .{sw}, .v3, .v4, .v5)")
ok("addp v0.4s, v30.4s, v31.4s", "a.vector(.addp, .s4, .v0, .v30, .v31)")
ok("addp v0.2d, v30.2d, v31.2d", "a.vector(.addp, .d2, .v0, .v30, .v31)")
ok("sqrdmulh v0.8h, v1.8h, v2.8h", "a.vector(.sqrdmulh, .h8, .v0, .v1, .v2)")
ok("sqrdmulh v0.4s, v1.4s, v2.4s", "a.vector(.sqrdmulh, .s4, .v0, .v1, .v2)")
for op in ["fadd", "fsub", "fmul", "fdiv", "fmax", "fmin", "fcmeq", "fcmge", "fcmgt", "fmla", "fmls"]:
    for arr, sw in [("4s", "s4"), ("2d", "d2")]:
        ok(f"{op} v6.{arr}, v7.{arr}, v16.{arr}", f"a.vector(.{op}, .{sw}, .v6, .v7, .v16)")
bad("mul v0.2d, v1.2d, v2.2d", "a.vector(.mul, .d2, .v0, .v1, .v2)")
bad("smax v0.2d, v1.2d, v2.2d", "a.vector(.smax, .d2, .v0, .v1, .v2)")
bad("sqrdmulh v0.16b, v1.16b, v2.16b", "a.vector(.sqrdmulh, .b16, .v0, .v1, .v2)")
bad("fadd v0.8h, v1.8h, v2.8h", "a.vector(.fadd, .h8, .v0, .v1, .v2)")
ok("not v0.16b, v1.16b", "a.vector(.not, .b16, .v0, .v1)")
ok("cnt v0.16b, v1.16b", "a.vector(.cnt, .b16, .v0, .v1)")
for op in ["abs", "neg"]:
    for arr, sw in [("16b", "b16"), ("8h", "h8"), ("4s", "s4"), ("2d", "d2")]:
        ok(f"{op} v0.{arr}, v1.{arr}", f"a.vector(.{op}, .{sw}, .v0, .v1)")
for arr, sw in [("16b", "b16"), ("8h", "h8"), ("4s", "s4"), ("2d", "d2")]:
    ok(f"cmeq v0.{arr}, v1.{arr}, #0", f"a.vector(.cmeqZero, .{sw}, .v0, .v1)")
for op in ["saddlp", "uaddlp"]:
    ok(f"{op} v0.8h, v1.16b", f"a.vector(.{op}, .b16, .v0, .v1)")
    ok(f"{op} v0.4s, v1.8h", f"a.vector(.{op}, .h8, .v0, .v1)")
    ok(f"{op} v0.2d, v1.4s", f"a.vector(.{op}, .s4, .v0, .v1)")
for op in ["fabs", "fneg", "fsqrt", "frintn", "frintm", "frintp", "frintz", "fcvtzs", "fcvtzu", "scvtf", "ucvtf"]:
    for arr, sw in [("4s", "s4"), ("2d", "d2")]:
        ok(f"{op} v17.{arr}, v18.{arr}", f"a.vector(.{op}, .{sw}, .v17, .v18)")
bad(None, "a.vector(.not, .s4, .v0, .v1)")
for op in ["xtn", "sqxtn", "uqxtn", "sqxtun"]:
    for src, dst, dst2, sw in [("8h", "8b", "16b", "h8"), ("4s", "4h", "8h", "s4"), ("2d", "2s", "4s", "d2")]:
        ok(f"{op} v0.{dst}, v1.{src}", f"a.vector(.{op}, .{sw}, .v0, .v1)")
        ok(f"{op}2 v0.{dst2}, v1.{src}", f"a.vector(.{op}, .{sw}, .v0, .v1, upper: true)")
ok("fcvtn v0.2s, v1.2d", "a.vector(.fcvtn, .d2, .v0, .v1)")
ok("fcvtn2 v0.4s, v1.2d", "a.vector(.fcvtn, .d2, .v0, .v1, upper: true)")
ok("fcvtl v0.2d, v1.2s", "a.fcvtl(.v0, .v1)")
ok("fcvtl2 v0.2d, v1.4s", "a.fcvtl(.v0, .v1, upper: true)")
for op in ["umaxv", "uminv"]:
    ok(f"{op} b0, v1.16b", f"a.vector(.{op}, .b16, .v0, .v1)")
    ok(f"{op} h0, v1.8h", f"a.vector(.{op}, .h8, .v0, .v1)")
    ok(f"{op} s0, v1.4s", f"a.vector(.{op}, .s4, .v0, .v1)")
bad("umaxv d0, v1.2d", "a.vector(.umaxv, .d2, .v0, .v1)")
for op, u in [("smull", "false"), ("umull", "true")]:
    ok(f"{op} v0.8h, v1.8b, v2.8b", f"a.mull(unsigned: {u}, .b8, .v0, .v1, .v2)")
    ok(f"{op}2 v0.8h, v1.16b, v2.16b", f"a.mull(unsigned: {u}, .b16, .v0, .v1, .v2)")
    ok(f"{op} v0.4s, v1.4h, v2.4h", f"a.mull(unsigned: {u}, .h4, .v0, .v1, .v2)")
    ok(f"{op}2 v0.4s, v1.8h, v2.8h", f"a.mull(unsigned: {u}, .h8, .v0, .v1, .v2)")
    ok(f"{op} v0.2d, v1.2s, v2.2s", f"a.mull(unsigned: {u}, .s2, .v0, .v1, .v2)")
    ok(f"{op}2 v0.2d, v1.4s, v2.4s", f"a.mull(unsigned: {u}, .s4, .v0, .v1, .v2)")
for arr, sw, bits in [("16b", "b16", 8), ("8h", "h8", 16), ("4s", "s4", 32), ("2d", "d2", 64)]:
    ok(f"sshr v0.{arr}, v1.{arr}, #1", f"a.sshr(.{sw}, .v0, .v1, imm: 1)")
    ok(f"sshr v0.{arr}, v1.{arr}, #{bits}", f"a.sshr(.{sw}, .v0, .v1, imm: {bits})")
bad("sshr v0.4s, v1.4s, #0", "a.sshr(.s4, .v0, .v1, imm: 0)")
for op, u in [("sxtl", "false"), ("uxtl", "true")]:
    ok(f"{op} v0.8h, v1.8b", f"a.xtl(unsigned: {u}, .b8, .v0, .v1)")
    ok(f"{op}2 v0.8h, v1.16b", f"a.xtl(unsigned: {u}, .b16, .v0, .v1)")
    ok(f"{op} v0.4s, v1.4h", f"a.xtl(unsigned: {u}, .h4, .v0, .v1)")
    ok(f"{op}2 v0.4s, v1.8h", f"a.xtl(unsigned: {u}, .h8, .v0, .v1)")
    ok(f"{op} v0.2d, v1.2s", f"a.xtl(unsigned: {u}, .s2, .v0, .v1)")
    ok(f"{op}2 v0.2d, v1.4s", f"a.xtl(unsigned: {u}, .s4, .v0, .v1)")
ok("dup v0.16b, v1.b[15]", "a.dup(.b16, .v0, .v1, lane: 15)")
ok("dup v0.8h, v1.h[7]", "a.dup(.h8, .v0, .v1, lane: 7)")
ok("dup v0.4s, v1.s[0]", "a.dup(.s4, .v0, .v1, lane: 0)")
ok("dup v0.2d, v1.d[1]", "a.dup(.d2, .v0, .v1, lane: 1)")
ok("dup v0.16b, w1", "a.dup(.b16, .v0, .x1)")
ok("dup v0.8h, w17", "a.dup(.h8, .v0, .x17)")
ok("dup v0.4s, w2", "a.dup(.s4, .v0, .x2)")
ok("dup v31.2d, x3", "a.dup(.d2, .v31, .x3)")
bad("dup v0.16b, v1.b[16]", "a.dup(.b16, .v0, .v1, lane: 16)")
ok("mov b0, v1.b[3]", "a.dupScalar(0, .v0, .v1, lane: 3)")
ok("mov h0, v1.h[5]", "a.dupScalar(1, .v0, .v1, lane: 5)")
ok("mov s0, v1.s[3]", "a.dupScalar(2, .v0, .v1, lane: 3)")
ok("mov d0, v1.d[1]", "a.dupScalar(3, .v0, .v1, lane: 1)")
ok("mov v0.b[15], w1", "a.ins(0, .v0, lane: 15, .x1)")
ok("mov v0.h[3], w1", "a.ins(1, .v0, lane: 3, .x1)")
ok("mov v0.s[2], w1", "a.ins(2, .v0, lane: 2, .x1)")
ok("mov v0.d[1], x17", "a.ins(3, .v0, lane: 1, .x17)")
ok("mov v0.b[1], v1.b[14]", "a.ins(0, .v0, lane: 1, .v1, lane: 14)")
ok("mov v0.s[3], v1.s[0]", "a.ins(2, .v0, lane: 3, .v1, lane: 0)")
ok("mov v0.d[1], v1.d[0]", "a.ins(3, .v0, lane: 1, .v1, lane: 0)")
bad("mov v0.d[2], x1", "a.ins(3, .v0, lane: 2, .x1)")
ok("umov w0, v1.b[15]", "a.umov(0, .x0, .v1, lane: 15)")
ok("umov w0, v1.h[7]", "a.umov(1, .x0, .v1, lane: 7)")
ok("umov w0, v1.s[3]", "a.umov(2, .x0, .v1, lane: 3)")
ok("umov x0, v1.d[1]", "a.umov(3, .x0, .v1, lane: 1)")
ok("smov w0, v1.b[15]", "a.smov(.w, 0, .x0, .v1, lane: 15)")
ok("smov w0, v1.h[7]", "a.smov(.w, 1, .x0, .v1, lane: 7)")
ok("smov x0, v1.b[1]", "a.smov(.x, 0, .x0, .v1, lane: 1)")
ok("smov x0, v1.s[1]", "a.smov(.x, 2, .x0, .v1, lane: 1)")
bad("smov w0, v1.s[1]", "a.smov(.w, 2, .x0, .v1, lane: 1)")
for op in ["uzp1", "uzp2", "zip1", "zip2", "trn1", "trn2"]:
    ok(f"{op} v0.16b, v1.16b, v2.16b", f"a.permute(.{op}, .b16, .v0, .v1, .v2)")
    ok(f"{op} v0.8h, v1.8h, v2.8h", f"a.permute(.{op}, .h8, .v0, .v1, .v2)")
    ok(f"{op} v0.2d, v1.2d, v2.2d", f"a.permute(.{op}, .d2, .v0, .v1, .v2)")
ok("tbl v0.16b, {v1.16b}, v2.16b", "a.tbl(.v0, .v1, count: 1, .v2)")
ok("tbl v0.16b, {v30.16b, v31.16b}, v0.16b", "a.tbl(.v0, .v30, count: 2, .v0)")
ok("ext v0.16b, v1.16b, v2.16b, #8", "a.ext(.v0, .v1, .v2, 8)")
ok("ext v0.16b, v1.16b, v1.16b, #15", "a.ext(.v0, .v1, .v1, 15)")
bad(None, "a.tbl(.v0, .v1, count: 5, .v2)")

# ---------------------------------------------------------------------------------------
group("simd", "Bitwise vector operations, BSL/BIT/BIF, CNT/ADDV/UADDLV, MOVI/MVNI, SHL/USHR")
for op in ["and", "bic", "orr", "orn", "eor", "bsl", "bit", "bif"]:
    ok(f"{op} v0.8b, v1.8b, v2.8b", f"a.{op}(.b8, .v0, .v1, .v2)")
    ok(f"{op} v29.16b, v30.16b, v31.16b", f"a.{op}(.b16, .v29, .v30, .v31)")
ok("mov v0.16b, v1.16b", "a.mov(.b16, .v0, .v1)")
ok("mov v2.8b, v3.8b", "a.mov(.b8, .v2, .v3)")
ok("cnt v0.8b, v1.8b", "a.cnt(.b8, .v0, .v1)")
ok("cnt v0.16b, v1.16b", "a.cnt(.b16, .v0, .v1)")
ok("addv b0, v1.8b", "a.addv(.b8, .v0, .v1)")
ok("addv b0, v1.16b", "a.addv(.b16, .v0, .v1)")
ok("addv h0, v1.4h", "a.addv(.h4, .v0, .v1)")
ok("addv h0, v1.8h", "a.addv(.h8, .v0, .v1)")
ok("addv s0, v1.4s", "a.addv(.s4, .v0, .v1)")
ok("uaddlv h0, v1.8b", "a.uaddlv(.b8, .v0, .v1)")
ok("uaddlv h0, v1.16b", "a.uaddlv(.b16, .v0, .v1)")
ok("uaddlv s0, v1.8h", "a.uaddlv(.h8, .v0, .v1)")
ok("uaddlv d0, v1.4s", "a.uaddlv(.s4, .v0, .v1)")
ok("movi v0.8b, #255", "a.movi(.b8, .v0, imm: 255)")
ok("movi v1.16b, #0x80", "a.movi(.b16, .v1, imm: 0x80)")
ok("movi v2.4h, #1, lsl #8", "a.movi(.h4, .v2, imm: 1, lsl: 8)")
ok("movi v2.8h, #0xff", "a.movi(.h8, .v2, imm: 0xFF)")
for shift in [0, 8, 16, 24]:
    ok(f"movi v3.2s, #0x80, lsl #{shift}", f"a.movi(.s2, .v3, imm: 0x80, lsl: {shift})")
    ok(f"movi v3.4s, #0x7f, lsl #{shift}", f"a.movi(.s4, .v3, imm: 0x7F, lsl: {shift})")
ok("movi d0, #0", "a.movi(.d1, .v0, imm: 0)")
ok("movi d31, #0xff00ff00ff00ff00", "a.movi(.d1, .v31, imm: 0xFF00FF00FF00FF00)")
ok("movi v0.2d, #0", "a.movi(.d2, .v0, imm: 0)")
ok("movi v0.2d, #0xffffffffffffffff", "a.movi(.d2, .v0, imm: 0xFFFFFFFFFFFFFFFF)")
ok("movi v0.2d, #0x00000000ffffffff", "a.movi(.d2, .v0, imm: 0xFFFFFFFF)")
ok("mvni v0.2s, #0x80, lsl #24", "a.mvni(.s2, .v0, imm: 0x80, lsl: 24)")
ok("mvni v0.4s, #1", "a.mvni(.s4, .v0, imm: 1)")
ok("mvni v0.8h, #1, lsl #8", "a.mvni(.h8, .v0, imm: 1, lsl: 8)")
ok("shl d0, d1, #63", "a.shl(.d1, .v0, .v1, imm: 63)")
ok("shl d0, d1, #0", "a.shl(.d1, .v0, .v1, imm: 0)")
ok("shl v0.2d, v1.2d, #1", "a.shl(.d2, .v0, .v1, imm: 1)")
ok("shl v0.4s, v1.4s, #31", "a.shl(.s4, .v0, .v1, imm: 31)")
ok("shl v0.2s, v1.2s, #31", "a.shl(.s2, .v0, .v1, imm: 31)")
ok("shl v0.8h, v1.8h, #15", "a.shl(.h8, .v0, .v1, imm: 15)")
ok("shl v0.8b, v1.8b, #7", "a.shl(.b8, .v0, .v1, imm: 7)")
ok("ushr d0, d1, #1", "a.ushr(.d1, .v0, .v1, imm: 1)")
ok("ushr d0, d1, #64", "a.ushr(.d1, .v0, .v1, imm: 64)")
ok("ushr v0.16b, v1.16b, #8", "a.ushr(.b16, .v0, .v1, imm: 8)")
ok("ushr v0.4s, v1.4s, #1", "a.ushr(.s4, .v0, .v1, imm: 1)")
ok("ushr v0.4h, v1.4h, #16", "a.ushr(.h4, .v0, .v1, imm: 16)")
ok("ushr v0.2d, v1.2d, #64", "a.ushr(.d2, .v0, .v1, imm: 64)")
bad("and v0.4s, v1.4s, v2.4s", "a.and(.s4, .v0, .v1, .v2)")
bad("bit v0.2d, v1.2d, v2.2d", "a.bit(.d2, .v0, .v1, .v2)")
bad("cnt v0.4h, v1.4h", "a.cnt(.h4, .v0, .v1)")
bad("addv d0, v1.2d", "a.addv(.d2, .v0, .v1)")
bad("addv s0, v1.2s", "a.addv(.s2, .v0, .v1)")
bad("movi v0.2s, #256", "a.movi(.s2, .v0, imm: 256)")
bad("movi v0.2s, #1, lsl #4", "a.movi(.s2, .v0, imm: 1, lsl: 4)")
bad("movi v0.4h, #1, lsl #16", "a.movi(.h4, .v0, imm: 1, lsl: 16)")
bad("movi v0.8b, #1, lsl #8", "a.movi(.b8, .v0, imm: 1, lsl: 8)")
bad("movi d0, #0x1234", "a.movi(.d1, .v0, imm: 0x1234)")
bad("mvni v0.8b, #1", "a.mvni(.b8, .v0, imm: 1)")
bad("mvni v0.2d, #0", "a.mvni(.d2, .v0, imm: 0)")
bad("shl d0, d1, #64", "a.shl(.d1, .v0, .v1, imm: 64)")
bad("shl v0.8b, v1.8b, #8", "a.shl(.b8, .v0, .v1, imm: 8)")
bad("ushr d0, d1, #0", "a.ushr(.d1, .v0, .v1, imm: 0)")
bad("ushr v0.4s, v1.4s, #33", "a.ushr(.s4, .v0, .v1, imm: 33)")

group("sequences", "Sequences a macro assembler will use (copysign, popcount, prologue, division remainder)")
ok("movi v31.2s, #0x80, lsl #24; bit v0.8b, v1.8b, v31.8b",
   "a.movi(.s2, .v31, imm: 0x80, lsl: 24); a.bit(.b8, .v0, .v1, .v31)")
ok("movi d31, #0; fneg d31, d31; bit v0.8b, v1.8b, v31.8b",
   "a.movi(.d1, .v31, imm: 0); a.fneg(.d, .v31, .v31); a.bit(.b8, .v0, .v1, .v31)")
ok("fmov d31, x0; cnt v31.8b, v31.8b; addv b31, v31.8b; fmov w0, s31",
   "a.fmov(.d, .v31, .x0); a.cnt(.b8, .v31, .v31); a.addv(.b8, .v31, .v31); a.fmov(.s, .x0, .v31)")
ok("rbit w0, w1; clz w0, w0", "a.rbit(.w, .x0, .x1); a.clz(.w, .x0, .x0)")
ok("stp x29, x30, [sp, #-32]!; mov x29, sp; stp x27, x28, [sp, #16]; sub sp, sp, #4095, lsl #12; sub sp, sp, #4095",
   "a.stp(.x, .x29, .x30, .preIndex(.sp, -32)); a.mov(.x, .x29, .sp); a.stp(.x, .x27, .x28, .offset(.sp, 16)); "
   "a.sub(.x, .sp, .sp, imm: 0xFFF000); a.sub(.x, .sp, .sp, imm: 4095)")
ok("mov sp, x29; ldp x27, x28, [sp, #16]; ldp x29, x30, [sp], #32; ret",
   "a.mov(.x, .sp, .x29); a.ldp(.x, .x27, .x28, .offset(.sp, 16)); a.ldp(.x, .x29, .x30, .postIndex(.sp, 32)); a.ret()")
ok("sdiv x16, x0, x1; msub x0, x16, x1, x0", "a.sdiv(.x, .x16, .x0, .x1); a.msub(.x, .x0, .x16, .x1, .x0)")
ok("cmn x1, #1; ccmp x0, x2, #0, eq; b.eq #8", "a.cmn(.x, .x1, imm: 1); a.ccmp(.x, .x0, .x2, nzcv: 0, .eq); a.b(.eq, offset: 8)")
ok("mov x16, sp; and sp, x16, #0xfffffffffffffff0", "a.mov(.x, .x16, .sp); a.and(.x, .sp, .x16, imm: 0xFFFFFFFFFFFFFFF0)")
ok("fcmp d0, d1; cset w0, mi; cset w1, ls; cset w2, vs", "a.fcmp(.d, .v0, .v1); a.cset(.w, .x0, .mi); a.cset(.w, .x1, .ls); a.cset(.w, .x2, .vs)")


# ---------------------------------------------------------------------------------------
# Assembling and output.

def find_assembler():
    clang = os.environ.get("CLANG") or shutil.which("clang")
    if clang:
        return lambda src, obj: [clang, "--target=aarch64-linux-gnu", "-c", "-x", "assembler", src, "-o", obj]
    mc = shutil.which("llvm-mc")
    if mc:
        return lambda src, obj: [mc, "--triple=aarch64-linux-gnu", "-filetype=obj", src, "-o", obj]
    sys.exit("neither clang nor llvm-mc found")


def sections(path):
    """Name -> bytes of every section of an ELF64 little-endian object."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = []
    for i in range(shnum):
        name, _type, _flags, _addr, offset, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        headers.append((name, offset, size))
    strtab = headers[shstrndx]
    result = {}
    for name, offset, size in headers:
        start = strtab[1] + name
        end = data.index(b"\0", start)
        result[data[start:end].decode()] = data[offset:offset + size]
    return result


def swift_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    assemble = find_assembler()
    cases = [c for _, _, cs in GROUPS for c in cs if c[0] in ("ok", "at")]
    with tempfile.TemporaryDirectory() as tmp:
        src, obj = os.path.join(tmp, "cases.s"), os.path.join(tmp, "cases.o")
        with open(src, "w") as f:
            for i, (_, asm, _, _) in enumerate(cases):
                f.write(f'.section .text.c{i},"ax",@progbits\n.p2align 4\n')
                f.write(asm.replace("; ", "\n").replace(".L", f".Lc{i}_") + "\n")
        subprocess.run(assemble(src, obj), check=True)
        found = sections(obj)
        expected = {}
        for i, (_, asm, _, _) in enumerate(cases):
            if f".rela.text.c{i}" in found:
                sys.exit(f"needs a relocation: {asm}")
            expected[asm] = list(found[f".text.c{i}"])
        # Every rejected case with text must be rejected by LLVM too.
        for _, _, cs in GROUPS:
            for kind, asm, _, _ in cs:
                if kind != "bad" or asm is None:
                    continue
                with open(src, "w") as f:
                    f.write(asm + "\n")
                r = subprocess.run(assemble(src, obj), capture_output=True)
                if r.returncode == 0:
                    sys.exit(f"LLVM accepts a case the encoder must reject: {asm} -> {list(sections(obj)['.text'])}")

    out = []
    w = out.append
    w("// Generated by Tests/KilnTests/Codegen/aarch64-expected.py: do not edit; edit the script and regenerate.")
    w("//")
    w("// Every expected byte string was produced by LLVM's assembler (clang --target=aarch64-linux-gnu -c),")
    w("// not by the encoder under test. The first argument of `check` is the exact text assembled")
    w("// (\"; \" separates instructions, `.L1` is a label local to the case); `checkWord` compares one")
    w("// instruction of the emitted code with the text at a byte position; `rejects` cases must record a")
    w("// failure and emit only `udf #0` (and LLVM rejects their text too, when they have one).")
    w("")
    w("import Testing")
    w("@testable import Kiln")
    w("")
    w("@Suite struct AArch64EncodingTests {")
    count = 0
    for name, comment, cs in GROUPS:
        w(f"    /// {comment}")
        w(f"    @Test func {name}() {{")
        for kind, asm, swift, position in cs:
            count += 1
            if kind == "ok":
                bytes_ = ", ".join("0x%02X" % b for b in expected[asm])
                w(f"        check({swift_string(asm)}, [{bytes_}]) {{ a in {swift} }}")
            elif kind == "at":
                bytes_ = ", ".join("0x%02X" % b for b in expected[asm])
                w(f"        checkWord({swift_string(asm)}, [{bytes_}], at: {position}) {{ a in {swift} }}")
            else:
                text = swift_string(asm) if asm is not None else "nil"
                w(f"        rejects({text}) {{ a in {swift} }}")
        w("    }")
        w("")
    w("    /// Every `check` case as (assembly, bytes), for the test that re-assembles them with clang")
    w("    /// when it is installed.")
    w("    static let corpus: [(String, [UInt8])] = [")
    for _, asm, _, _ in [c for c in cases if c[0] == "ok"]:
        bytes_ = ", ".join("0x%02X" % b for b in expected[asm])
        w(f"        ({swift_string(asm)}, [{bytes_}]),")
    w("    ]")
    w("}")
    w(f"// {count} cases.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
