#!/usr/bin/env python3
"""Generates X64SIMDEncodingTests.swift: byte-exact tests of the SIMD encoders of X64Assembler
(X64Assembler+SIMD.swift, the SSE moves SIMD code uses, and the VEX forms of X64Assembler+VEX.swift) whose expected bytes come from LLVM's
assembler, never from the encoder under test.

Every case of `PackedOp`, `PackedImmediateOp` and `PackedShiftImmediateOp` is read from the
Swift source (the mnemonic is the case name) and tested with low and high registers
(xmm0-xmm15) and, where the instruction has one, memory operands with r8-r15 bases and
indices. The other SIMD encoders (lanes, masks, moves) are listed below by hand. All cases
are assembled at once by llvm-mc (Intel syntax), each in its own section, and the sections
are read back from the object.

The generated file also checks the number of cases of each enum, so a new case fails the
tests until this script is rerun.

Usage (from the repository root):
    python3 Tests/KilnTests/Codegen/x64-expected.py > Tests/KilnTests/Codegen/X64SIMDEncodingTests.swift
Set LLVM_MC to use another llvm-mc (clang -c is used when no llvm-mc is found).
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "..", "Sources", "Kiln", "Codegen", "X64", "X64Assembler+SIMD.swift")

GROUPS = []  # (test name, comment, [(asm, swift)])


def group(name, comment):
    GROUPS.append((name, comment, []))


def ok(asm, swift):
    GROUPS[-1][2].append((asm, swift))


def enum_cases(name):
    """The case names of `enum name` in X64Assembler+SIMD.swift, in order."""
    text = open(SOURCE).read()
    body = re.search(r"enum " + name + r"\b[^{]*\{(.*?)\n\}", text, re.S).group(1)
    cases = []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("case "):
            cases += [c.split("=")[0].strip() for c in line[5:].split(",")]
    return cases


# Register pairs: low/low, high/high, low/high, high/low (xmm15 is the JIT's scratch).
PAIRS = [(1, 2), (9, 15), (0, 8), (15, 7)]
# Memory operands: (Intel text, Swift MemoryOperand).
MEMORY = [
    ("[r12 + 16]", ".base(.r12, 16)"),
    ("[rbp + r9*8 - 4096]", ".base(.rbp, index: .r9, scale: 8, -4096)"),
    ("[rax]", ".base(.rax)"),
]

# Packed operations whose memory operand is not 128 bits, or that have no memory form.
MEMORY_SIZE = {op: "qword" for op in ["pmovsxbw", "pmovsxwd", "pmovsxdq", "pmovzxbw", "pmovzxwd", "pmovzxdq",
                                        "cvtdq2pd", "cvtps2pd"]}
NO_MEMORY = {"movhlps", "movlhps"}  # their memory forms are other instructions (movlps, movhps)


def chunks(items, n):
    for i in range(0, len(items), n):
        yield items[i:i + n]


# ---------------------------------------------------------------------------------------
packed = enum_cases("PackedOp")
for part, ops in enumerate(chunks(packed, 20)):
    group(f"packed{part}", "`op xmm, xmm` and `op xmm, [m]` for every PackedOp")
    for op in ops:
        for d, s in PAIRS:
            ok(f"{op} xmm{d}, xmm{s}", f"a.packed(.{op}, .xmm{d}, .xmm{s})")
        if op not in NO_MEMORY:
            size = MEMORY_SIZE.get(op, "xmmword")
            for i, (text, swift) in enumerate(MEMORY):
                d = [3, 10, 14][i]
                ok(f"{op} xmm{d}, {size} ptr {text}", f"a.packed(.{op}, .xmm{d}, {swift})")

immediate = enum_cases("PackedImmediateOp")
group("packedImmediate", "`op xmm, xmm, imm8` for every PackedImmediateOp")
for op in immediate:
    for (d, s), imm in zip(PAIRS, [0, 0x1B, 0x80, 0xFF]):
        if op in ("cmpps", "cmppd"):
            imm &= 7  # LLVM's SSE cmp takes predicates 0...7
        if op in ("roundps", "roundpd"):
            imm &= 0xF
        ok(f"{op} xmm{d}, xmm{s}, {imm}", f"a.packed(.{op}, .xmm{d}, .xmm{s}, imm: {hex(imm)})")

shifts = enum_cases("PackedShiftImmediateOp")
group("packedShiftImmediate", "`op xmm, imm8` for every PackedShiftImmediateOp")
for op in shifts:
    for d, imm in [(1, 1), (8, 7), (15, 63), (0, 0)]:
        ok(f"{op} xmm{d}, {imm}", f"a.packed(.{op}, .xmm{d}, imm: {imm})")

# ---------------------------------------------------------------------------------------
GPR32 = {"rax": "eax", "rcx": "ecx", "rdx": "edx", "rbx": "ebx", "rsp": "esp", "rbp": "ebp", "rsi": "esi",
         "rdi": "edi"}


def r32(r):
    return GPR32.get(r, r + "d")


GPR_XMM = [("rax", 1), ("r8", 2), ("rdi", 12), ("r15", 15)]

group("masksAndBlends", "pblendvb, pmovmskb, movmskps, movmskpd")
for d, s in PAIRS:
    ok(f"pblendvb xmm{d}, xmm{s}, xmm0", f"a.pblendvb(.xmm{d}, .xmm{s})")
for g, x in GPR_XMM:
    ok(f"pmovmskb {r32(g)}, xmm{x}", f"a.pmovmskb(.{g}, .xmm{x})")
    ok(f"movmskps {r32(g)}, xmm{x}", f"a.movmskps(.{g}, .xmm{x})")
    ok(f"movmskpd {r32(g)}, xmm{x}", f"a.movmskpd(.{g}, .xmm{x})")

group("insertLanes", "pinsrb, pinsrw, pinsrd, pinsrq from registers and memory")
for (g, x), lane in zip(GPR_XMM, [0, 1, 3, 15]):
    ok(f"pinsrb xmm{x}, {r32(g)}, {lane}", f"a.pinsrb(.xmm{x}, .{g}, lane: {lane})")
    ok(f"pinsrw xmm{x}, {r32(g)}, {lane & 7}", f"a.pinsrw(.xmm{x}, .{g}, lane: {lane & 7})")
    ok(f"pinsrd xmm{x}, {r32(g)}, {lane & 3}", f"a.pinsr(.s32, .xmm{x}, .{g}, lane: {lane & 3})")
    ok(f"pinsrq xmm{x}, {g}, {lane & 1}", f"a.pinsr(.s64, .xmm{x}, .{g}, lane: {lane & 1})")
for (text, swift), x in zip(MEMORY, [3, 10, 14]):
    ok(f"pinsrb xmm{x}, byte ptr {text}, 9", f"a.pinsrb(.xmm{x}, {swift}, lane: 9)")
    ok(f"pinsrw xmm{x}, word ptr {text}, 5", f"a.pinsrw(.xmm{x}, {swift}, lane: 5)")
    ok(f"pinsrd xmm{x}, dword ptr {text}, 2", f"a.pinsr(.s32, .xmm{x}, {swift}, lane: 2)")
    ok(f"pinsrq xmm{x}, qword ptr {text}, 1", f"a.pinsr(.s64, .xmm{x}, {swift}, lane: 1)")

group("extractLanes", "pextrb, pextrw, pextrd, pextrq to registers and memory")
for (g, x), lane in zip(GPR_XMM, [0, 1, 3, 15]):
    ok(f"pextrb {r32(g)}, xmm{x}, {lane}", f"a.pextrb(.{g}, .xmm{x}, lane: {lane})")
    ok(f"pextrw {r32(g)}, xmm{x}, {lane & 7}", f"a.pextrw(.{g}, .xmm{x}, lane: {lane & 7})")
    ok(f"pextrd {r32(g)}, xmm{x}, {lane & 3}", f"a.pextr(.s32, .{g}, .xmm{x}, lane: {lane & 3})")
    ok(f"pextrq {g}, xmm{x}, {lane & 1}", f"a.pextr(.s64, .{g}, .xmm{x}, lane: {lane & 1})")
for (text, swift), x in zip(MEMORY, [3, 10, 14]):
    ok(f"pextrb byte ptr {text}, xmm{x}, 9", f"a.pextrb({swift}, .xmm{x}, lane: 9)")
    ok(f"pextrw word ptr {text}, xmm{x}, 5", f"a.pextrw({swift}, .xmm{x}, lane: 5)")
    ok(f"pextrd dword ptr {text}, xmm{x}, 2", f"a.pextr(.s32, {swift}, .xmm{x}, lane: 2)")
    ok(f"pextrq qword ptr {text}, xmm{x}, 1", f"a.pextr(.s64, {swift}, .xmm{x}, lane: 1)")

group("moves", "movd, movq, movdqu, movsd between XMM registers, GPRs and memory")
for g, x in GPR_XMM:
    ok(f"movd xmm{x}, {r32(g)}", f"a.movd(.xmm{x}, .{g})")
    ok(f"movd {r32(g)}, xmm{x}", f"a.movd(.{g}, .xmm{x})")
    ok(f"movq xmm{x}, {g}", f"a.movq(.xmm{x}, .{g})")
    ok(f"movq {g}, xmm{x}", f"a.movq(.{g}, .xmm{x})")
for (text, swift), x in zip(MEMORY, [3, 10, 14]):
    ok(f"movd xmm{x}, dword ptr {text}", f"a.movd(.xmm{x}, {swift})")
    ok(f"movq xmm{x}, qword ptr {text}", f"a.movq(.xmm{x}, {swift})")
    ok(f"movq qword ptr {text}, xmm{x}", f"a.movq({swift}, .xmm{x})")
    ok(f"movdqu xmm{x}, xmmword ptr {text}", f"a.movdqu(.xmm{x}, {swift})")
    ok(f"movdqu xmmword ptr {text}, xmm{x}", f"a.movdqu({swift}, .xmm{x})")
    ok(f"movsd xmm{x}, qword ptr {text}", f"a.movsd(.xmm{x}, {swift})")
    ok(f"movsd qword ptr {text}, xmm{x}", f"a.movsd({swift}, .xmm{x})")
group("literals", "rip-relative operands: the literal pool's v128 constants")
for x, disp in [(0, 0), (9, 0x1234), (15, -64)]:
    ok(f"movdqa xmm{x}, xmmword ptr [rip + {disp}]", f"a.packed(.movdqa, .xmm{x}, .ripRelative({disp}))")
    ok(f"pshufb xmm{x}, xmmword ptr [rip + {disp}]", f"a.packed(.pshufb, .xmm{x}, .ripRelative({disp}))")
    ok(f"pand xmm{x}, xmmword ptr [rip + {disp}]", f"a.packed(.pand, .xmm{x}, .ripRelative({disp}))")
for d, s in PAIRS:
    ok(f"movq xmm{d}, xmm{s}", f"a.movqZeroingUpper(.xmm{d}, .xmm{s})")
    ok(f"movsd xmm{d}, xmm{s}", f"a.movsd(.xmm{d}, .xmm{s})")


# ---------------------------------------------------------------------------------------
# VEX (AVX, AVX2) forms: X64Assembler+VEX.swift.

VEX_SOURCE = os.path.join(HERE, "..", "..", "..", "Sources", "Kiln", "Codegen", "X64", "X64Assembler+VEX.swift")


def vex_unary(name):
    """The cases `extension name`'s `isUnary` lists in X64Assembler+VEX.swift."""
    text = open(VEX_SOURCE).read()
    body = re.search(r"extension " + name + r" \{.*?var isUnary.*?case (.*?):", text, re.S).group(1)
    return {c.strip().lstrip(".") for c in body.replace("\n", " ").split(",")}


UNARY = vex_unary("PackedOp")
UNARY_IMMEDIATE = vex_unary("PackedImmediateOp")
# Register triples (dst, first source, second source): every mix of low and high.
TRIPLES = [(1, 2, 3), (9, 10, 15), (0, 8, 1), (15, 7, 8), (2, 2, 9)]
# Memory operands for VEX: also an extended index (VEX.X) and base (VEX.B), and rip.
VEX_MEMORY = MEMORY + [
    ("[r13 + r14*2 + 100000]", ".base(.r13, index: .r14, scale: 2, 100000)"),
    ("[rip + 4660]", ".ripRelative(4660)"),
]

for part, ops in enumerate(chunks(packed, 20)):
    group(f"vexPacked{part}", "`vop xmm, xmm, xmm/[m]` (or `vop xmm, xmm/[m]`) for every PackedOp")
    for op in ops:
        if op in UNARY:
            for d, s in PAIRS + [(0, 15), (8, 0)]:
                ok(f"v{op} xmm{d}, xmm{s}", f"a.vex(.{op}, .xmm{d}, .xmm{s})")
        else:
            for d, s1, s2 in TRIPLES:
                ok(f"v{op} xmm{d}, xmm{s1}, xmm{s2}", f"a.vex(.{op}, .xmm{d}, .xmm{s1}, .xmm{s2})")
        if op not in NO_MEMORY:
            size = MEMORY_SIZE.get(op, "xmmword")
            for i, (text, swift) in enumerate(VEX_MEMORY):
                d, s1 = [(3, 4), (10, 1), (14, 14), (0, 12), (7, 9)][i]
                if op in UNARY:
                    ok(f"v{op} xmm{d}, {size} ptr {text}", f"a.vex(.{op}, .xmm{d}, {swift})")
                else:
                    ok(f"v{op} xmm{d}, xmm{s1}, {size} ptr {text}", f"a.vex(.{op}, .xmm{d}, .xmm{s1}, {swift})")

group("vexPackedImmediate", "`vop xmm, xmm, xmm, imm8` (or `vop xmm, xmm, imm8`) for every PackedImmediateOp")
for op in immediate:
    for (d, s1, s2), imm in zip(TRIPLES, [0, 0x1B, 0x80, 0xFF, 0x44]):
        if op in ("cmpps", "cmppd"):
            imm &= 7
        if op in ("roundps", "roundpd"):
            imm &= 0xF
        if op in UNARY_IMMEDIATE:
            ok(f"v{op} xmm{d}, xmm{s2}, {imm}", f"a.vex(.{op}, .xmm{d}, .xmm{s2}, imm: {hex(imm)})")
        else:
            ok(f"v{op} xmm{d}, xmm{s1}, xmm{s2}, {imm}", f"a.vex(.{op}, .xmm{d}, .xmm{s1}, .xmm{s2}, imm: {hex(imm)})")

group("vexPackedShiftImmediate", "`vop xmm, xmm, imm8` for every PackedShiftImmediateOp")
for op in shifts:
    for (d, s), imm in zip(PAIRS + [(3, 3)], [1, 7, 63, 0, 15]):
        ok(f"v{op} xmm{d}, xmm{s}, {imm}", f"a.vex(.{op}, .xmm{d}, .xmm{s}, imm: {imm})")

group("vexBroadcastsAndMoves", "vpbroadcastb/w/d/q from registers and memory, vmovd, vmovq")
for bytes, name, size in [(1, "b", "byte"), (2, "w", "word"), (4, "d", "dword"), (8, "q", "qword")]:
    for d, s in PAIRS:
        ok(f"vpbroadcast{name} xmm{d}, xmm{s}", f"a.vpbroadcast({bytes}, .xmm{d}, .xmm{s})")
    for (text, swift), d in zip(VEX_MEMORY, [3, 10, 14, 0, 7]):
        ok(f"vpbroadcast{name} xmm{d}, {size} ptr {text}", f"a.vpbroadcast({bytes}, .xmm{d}, {swift})")
for g, x in GPR_XMM:
    ok(f"vmovd xmm{x}, {r32(g)}", f"a.vmovd(.xmm{x}, .{g})")
    ok(f"vmovq xmm{x}, {g}", f"a.vmovq(.xmm{x}, .{g})")


# ---------------------------------------------------------------------------------------
# Assembling and output.

def find_assembler():
    mc = os.environ.get("LLVM_MC") or shutil.which("llvm-mc")
    if mc:
        return lambda src, obj: [mc, "--triple=x86_64-linux-gnu", "-filetype=obj", src, "-o", obj]
    clang = shutil.which("clang")
    if clang:
        return lambda src, obj: [clang, "--target=x86_64-linux-gnu", "-c", "-x", "assembler", src, "-o", obj]
    sys.exit("neither llvm-mc nor clang found")


def sections(path):
    """Name -> bytes of every section of an ELF64 little-endian object."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strings = headers[shstrndx][4]
    result = {}
    for name, _type, _flags, _addr, offset, size in headers:
        start = strings + name
        result[data[start:data.index(b"\0", start)].decode()] = data[offset:offset + size]
    return result


def main():
    assemble = find_assembler()
    cases = [case for _, _, group_cases in GROUPS for case in group_cases]
    with tempfile.TemporaryDirectory() as tmp:
        src, obj = os.path.join(tmp, "cases.s"), os.path.join(tmp, "cases.o")
        with open(src, "w") as f:
            f.write(".intel_syntax noprefix\n")
            for i, (asm, _) in enumerate(cases):
                f.write(f'.section .text.c{i},"ax",@progbits\n')
                for instruction in asm.split("; "):
                    f.write(instruction + "\n")
        subprocess.run(assemble(src, obj), check=True)
        found = sections(obj)
        if any(name.startswith(".rela") for name in found):
            sys.exit("a case needs a relocation")
        expected = [found[f".text.c{i}"] for i in range(len(cases))]

    out = [
        "// Generated by Tests/KilnTests/Codegen/x64-expected.py: do not edit; edit the script and regenerate.",
        "//",
        "// Every expected byte string was produced by LLVM's assembler (llvm-mc, Intel syntax), not by the",
        "// encoder under test. The first argument of `check` is the exact text assembled.",
        "",
        "import Testing",
        "@testable import Kiln",
        "",
        "@Suite struct X64SIMDEncodingTests {",
        "    func check(",
        "        _ intel: String, _ expected: [UInt8], _ emit: (inout X64Assembler) -> Void,",
        "        sourceLocation: SourceLocation = #_sourceLocation",
        "    ) {",
        "        var a = X64Assembler()",
        "        emit(&a)",
        "        let code = a.finish()",
        "        let hex = { (bytes: [UInt8]) in",
        "            bytes.map { ($0 < 16 ? \"0\" : \"\") + String($0, radix: 16) }.joined(separator: \" \")",
        "        }",
        "        #expect(code == expected, \"\\(intel): got \\(hex(code)), expected \\(hex(expected))\", sourceLocation: sourceLocation)",
        "    }",
        "",
        "    /// A new case of an encoding enum needs this file regenerated (its tests come from the cases).",
        "    @Test func everyCaseIsCovered() {",
        f"        #expect(PackedOp.allCases.count == {len(packed)})",
        f"        #expect(PackedImmediateOp.allCases.count == {len(immediate)})",
        f"        #expect(PackedShiftImmediateOp.allCases.count == {len(shifts)})",
        "    }",
    ]
    index = 0
    for name, comment, group_cases in GROUPS:
        out.append("")
        out.append(f"    /// {comment}")
        out.append(f"    @Test func {name}() {{")
        for asm, swift in group_cases:
            code = ", ".join("0x%02X" % b for b in expected[index])
            index += 1
            out.append(f'        check("{asm}", [{code}]) {{ a in {swift} }}')
        out.append("    }")
    out.append("}")
    print("\n".join(out))


main()
