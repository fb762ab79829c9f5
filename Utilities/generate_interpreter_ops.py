#!/usr/bin/env python3
"""Generates Sources/Kiln/Interpreter/Op.swift and the numeric cases of the executor.

The interpreter has one internal opcode per scalar numeric instruction, so its dispatch
switch is a single level. Writing ~170 near-identical cases by hand invites typos; this
script keeps the semantics in one table. Run it after editing the table:

    python3 Utilities/generate_interpreter_ops.py
"""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OP_FILE = os.path.join(ROOT, "Sources/Kiln/Interpreter/Op.swift")
EXEC_FILE = os.path.join(ROOT, "Sources/Kiln/Interpreter/Executor.swift")

# Operand readers and result writers by type. `s` is a slot operand word.
READ = {
    "i32": "UInt32(truncatingIfNeeded: fp[Int(code[pc &+ {n}])])",
    "i64": "fp[Int(code[pc &+ {n}])]",
    "f32": "asF32(fp[Int(code[pc &+ {n}])])",
    "f64": "asF64(fp[Int(code[pc &+ {n}])])",
}
WRITE = {
    "i32": "UInt64({v})",
    "i64": "{v}",
    "f32": "bits({v})",
    "f64": "bits({v})",
    "bool": "(({v}) ? 1 : 0)",
}

# (name, operand type, second operand type or None, result kind, expression)
# In expressions: a, b are the operands (UInt32/UInt64 for integers, Float/Double for floats).
# `TRAP(code)` expands to a trap exit.
OPS = []
def unary(name, t, r, e): OPS.append((name, t, None, r, e))
def binary(name, t, r, e): OPS.append((name, t, t, r, e))

S32 = "Int32(bitPattern: {})"
S64 = "Int64(bitPattern: {})"
sa32, sb32 = S32.format("a"), S32.format("b")
sa64, sb64 = S64.format("a"), S64.format("b")

unary("i32Eqz", "i32", "bool", "a == 0")
for n, e in [("Eq", "a == b"), ("Ne", "a != b"), ("LtS", f"{sa32} < {sb32}"), ("LtU", "a < b"),
             ("GtS", f"{sa32} > {sb32}"), ("GtU", "a > b"), ("LeS", f"{sa32} <= {sb32}"), ("LeU", "a <= b"),
             ("GeS", f"{sa32} >= {sb32}"), ("GeU", "a >= b")]:
    binary("i32" + n, "i32", "bool", e)
unary("i64Eqz", "i64", "bool", "a == 0")
for n, e in [("Eq", "a == b"), ("Ne", "a != b"), ("LtS", f"{sa64} < {sb64}"), ("LtU", "a < b"),
             ("GtS", f"{sa64} > {sb64}"), ("GtU", "a > b"), ("LeS", f"{sa64} <= {sb64}"), ("LeU", "a <= b"),
             ("GeS", f"{sa64} >= {sb64}"), ("GeU", "a >= b")]:
    binary("i64" + n, "i64", "bool", e)
for t in ["f32", "f64"]:
    for n, e in [("Eq", "a == b"), ("Ne", "a != b"), ("Lt", "a < b"), ("Gt", "a > b"), ("Le", "a <= b"), ("Ge", "a >= b")]:
        binary(t + n, t, "bool", e)

for t, bits, S, U in [("i32", 32, S32, "UInt32"), ("i64", 64, S64, "UInt64")]:
    sa, sb = S.format("a"), S.format("b")
    st = "Int32" if bits == 32 else "Int64"
    unary(t + "Clz", t, t, f"{U}(a.leadingZeroBitCount)")
    unary(t + "Ctz", t, t, f"{U}(a.trailingZeroBitCount)")
    unary(t + "Popcnt", t, t, f"{U}(a.nonzeroBitCount)")
    binary(t + "Add", t, t, "a &+ b")
    binary(t + "Sub", t, t, "a &- b")
    binary(t + "Mul", t, t, "a &* b")
    binary(t + "DivS", t, t, f"{U}(bitPattern: try Numerics.divS({sa}, {sb}))")
    binary(t + "DivU", t, t, "try Numerics.divU(a, b)")
    binary(t + "RemS", t, t, f"{U}(bitPattern: try Numerics.remS({sa}, {sb}))")
    binary(t + "RemU", t, t, "try Numerics.remU(a, b)")
    binary(t + "And", t, t, "a & b")
    binary(t + "Or", t, t, "a | b")
    binary(t + "Xor", t, t, "a ^ b")
    binary(t + "Shl", t, t, "a &<< b")
    binary(t + "ShrS", t, t, f"{U}(bitPattern: {sa} &>> {st}(bitPattern: b))")
    binary(t + "ShrU", t, t, "a &>> b")
    binary(t + "Rotl", t, t, f"(a &<< b) | (a &>> ({bits} &- (b & {bits - 1})))")
    binary(t + "Rotr", t, t, f"(a &>> b) | (a &<< ({bits} &- (b & {bits - 1})))")

for t, F in [("f32", "Float"), ("f64", "Double")]:
    unary(t + "Abs", t, t, f"Numerics.abs(a)")
    unary(t + "Neg", t, t, f"Numerics.neg(a)")
    unary(t + "Ceil", t, t, "a.rounded(.up)")
    unary(t + "Floor", t, t, "a.rounded(.down)")
    unary(t + "Trunc", t, t, "a.rounded(.towardZero)")
    unary(t + "Nearest", t, t, "a.rounded(.toNearestOrEven)")
    unary(t + "Sqrt", t, t, "a.squareRoot()")
    binary(t + "Add", t, t, "a + b")
    binary(t + "Sub", t, t, "a - b")
    binary(t + "Mul", t, t, "a * b")
    binary(t + "Div", t, t, "a / b")
    binary(t + "Min", t, t, "Numerics.min(a, b)")
    binary(t + "Max", t, t, "Numerics.max(a, b)")
    binary(t + "Copysign", t, t, "Numerics.copysign(a, b)")

unary("i32WrapI64", "i64", "i32", "UInt32(truncatingIfNeeded: a)")
unary("i32TruncF32S", "f32", "i32", "UInt32(bitPattern: try Numerics.truncI32S(Double(a)))")
unary("i32TruncF32U", "f32", "i32", "try Numerics.truncI32U(Double(a))")
unary("i32TruncF64S", "f64", "i32", "UInt32(bitPattern: try Numerics.truncI32S(a))")
unary("i32TruncF64U", "f64", "i32", "try Numerics.truncI32U(a)")
unary("i64ExtendI32S", "i32", "i64", "UInt64(bitPattern: Int64(Int32(bitPattern: a)))")
unary("i64ExtendI32U", "i32", "i64", "UInt64(a)")
unary("i64TruncF32S", "f32", "i64", "UInt64(bitPattern: try Numerics.truncI64S(Double(a)))")
unary("i64TruncF32U", "f32", "i64", "try Numerics.truncI64U(Double(a))")
unary("i64TruncF64S", "f64", "i64", "UInt64(bitPattern: try Numerics.truncI64S(a))")
unary("i64TruncF64U", "f64", "i64", "try Numerics.truncI64U(a)")
unary("f32ConvertI32S", "i32", "f32", "Float(Int32(bitPattern: a))")
unary("f32ConvertI32U", "i32", "f32", "Float(a)")
unary("f32ConvertI64S", "i64", "f32", "Float(Int64(bitPattern: a))")
unary("f32ConvertI64U", "i64", "f32", "Float(a)")
unary("f32DemoteF64", "f64", "f32", "Float(a)")
unary("f64ConvertI32S", "i32", "f64", "Double(Int32(bitPattern: a))")
unary("f64ConvertI32U", "i32", "f64", "Double(a)")
unary("f64ConvertI64S", "i64", "f64", "Double(Int64(bitPattern: a))")
unary("f64ConvertI64U", "i64", "f64", "Double(a)")
unary("f64PromoteF32", "f32", "f64", "Double(a)")
unary("i32ReinterpretF32", "f32", "i32", "a.bitPattern")
unary("i64ReinterpretF64", "f64", "i64", "a.bitPattern")
unary("f32ReinterpretI32", "i32", "f32", "Float(bitPattern: a)")
unary("f64ReinterpretI64", "i64", "f64", "Double(bitPattern: a)")
unary("i32Extend8S", "i32", "i32", "UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a)))")
unary("i32Extend16S", "i32", "i32", "UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a)))")
unary("i64Extend8S", "i64", "i64", "UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: a)))")
unary("i64Extend16S", "i64", "i64", "UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: a)))")
unary("i64Extend32S", "i64", "i64", "UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a)))")
unary("i32TruncSatF32S", "f32", "i32", "UInt32(bitPattern: Numerics.truncSatI32S(Double(a)))")
unary("i32TruncSatF32U", "f32", "i32", "Numerics.truncSatI32U(Double(a))")
unary("i32TruncSatF64S", "f64", "i32", "UInt32(bitPattern: Numerics.truncSatI32S(a))")
unary("i32TruncSatF64U", "f64", "i32", "Numerics.truncSatI32U(a)")
unary("i64TruncSatF32S", "f32", "i64", "UInt64(bitPattern: Numerics.truncSatI64S(Double(a)))")
unary("i64TruncSatF32U", "f32", "i64", "Numerics.truncSatI64U(Double(a))")
unary("i64TruncSatF64S", "f64", "i64", "UInt64(bitPattern: Numerics.truncSatI64S(a))")
unary("i64TruncSatF64U", "f64", "i64", "Numerics.truncSatI64U(a)")

# Immediate forms of hot i32 operations: the second operand is a 32-bit constant word.
IMM_OPS = [("i32AddImm", "a &+ b"), ("i32SubImm", "a &- b"), ("i32MulImm", "a &* b"), ("i32AndImm", "a & b"),
           ("i32OrImm", "a | b"), ("i32XorImm", "a ^ b"), ("i32ShlImm", "a &<< b"), ("i32ShrSImm", "UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(bitPattern: b))"),
           ("i32ShrUImm", "a &>> b"), ("i32EqImm", "a == b"), ("i32NeImm", "a != b"),
           ("i32LtSImm", "Int32(bitPattern: a) < Int32(bitPattern: b)"), ("i32LtUImm", "a < b"),
           ("i32GtSImm", "Int32(bitPattern: a) > Int32(bitPattern: b)"), ("i32GtUImm", "a > b"),
           ("i32LeSImm", "Int32(bitPattern: a) <= Int32(bitPattern: b)"), ("i32LeUImm", "a <= b"),
           ("i32GeSImm", "Int32(bitPattern: a) >= Int32(bitPattern: b)"), ("i32GeUImm", "a >= b")]
IMM_BOOL = {n for n, e in IMM_OPS if any(x in e for x in ["==", "!=", "<", ">"]) and "&>>" not in e and "&<<" not in e}

# Compare-and-branch: an i32 comparison fused with the br_if or if that consumes it.
# brIf<Cmp>: a, b, target; brIf<Cmp>Imm: a, immediate, target. Jumps when the comparison holds.
BRANCH_COMPARES = [("Eq", "a == b"), ("Ne", "a != b"), ("LtS", "Int32(bitPattern: a) < Int32(bitPattern: b)"),
                   ("LtU", "a < b"), ("GtS", "Int32(bitPattern: a) > Int32(bitPattern: b)"), ("GtU", "a > b"),
                   ("LeS", "Int32(bitPattern: a) <= Int32(bitPattern: b)"), ("LeU", "a <= b"),
                   ("GeS", "Int32(bitPattern: a) >= Int32(bitPattern: b)"), ("GeU", "a >= b")]
INVERSE = {"Eq": "Ne", "Ne": "Eq", "LtS": "GeS", "GeS": "LtS", "LtU": "GeU", "GeU": "LtU",
           "GtS": "LeS", "LeS": "GtS", "GtU": "LeU", "LeU": "GtU"}

def branch_case(name, e, imm):
    b = "code[pc &+ 2]" if imm else READ["i32"].format(n=2)
    return "\n".join([
        f"            case .{name}:",
        f"                let a = {READ['i32'].format(n=1)}",
        f"                let b = {b}",
        f"                pc = {e} ? Int(code[pc &+ 3]) : pc &+ 4",
    ])

def case_code(name, t1, t2, r, e):
    lines = [f"            case .{name}:"]
    lines.append(f"                let a = {READ[t1].format(n=2)}")
    if t2:
        lines.append(f"                let b = {READ[t2].format(n=3)}")
    lines.append(f"                fp[Int(code[pc &+ 1])] = {WRITE[r].format(v=e)}")
    lines.append(f"                pc &+= {4 if t2 else 3}")
    return "\n".join(lines)

# Immediate forms whose constant is 64 bits (two words, low first) or an f32 bit pattern:
# dst, a, immediate... — so a constant operand costs no separate instruction.
WIDE_IMM_OPS = [
    ("i64AddImm", "i64", "a &+ b", "i64"), ("i64SubImm", "i64", "a &- b", "i64"), ("i64MulImm", "i64", "a &* b", "i64"),
    ("i64AndImm", "i64", "a & b", "i64"), ("i64OrImm", "i64", "a | b", "i64"), ("i64XorImm", "i64", "a ^ b", "i64"),
    ("i64ShlImm", "i64", "a &<< b", "i64"), ("i64ShrSImm", "i64", "UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: b))", "i64"),
    ("i64ShrUImm", "i64", "a &>> b", "i64"),
    ("i64EqImm", "i64", "a == b", "bool"), ("i64NeImm", "i64", "a != b", "bool"),
    ("i64LtSImm", "i64", "Int64(bitPattern: a) < Int64(bitPattern: b)", "bool"), ("i64LtUImm", "i64", "a < b", "bool"),
    ("i64GtSImm", "i64", "Int64(bitPattern: a) > Int64(bitPattern: b)", "bool"), ("i64GtUImm", "i64", "a > b", "bool"),
    ("i64LeSImm", "i64", "Int64(bitPattern: a) <= Int64(bitPattern: b)", "bool"), ("i64LeUImm", "i64", "a <= b", "bool"),
    ("i64GeSImm", "i64", "Int64(bitPattern: a) >= Int64(bitPattern: b)", "bool"), ("i64GeUImm", "i64", "a >= b", "bool"),
    ("f64AddImm", "f64", "a + b", "f64"), ("f64SubImm", "f64", "a - b", "f64"), ("f64MulImm", "f64", "a * b", "f64"),
    ("f64DivImm", "f64", "a / b", "f64"),
    ("f32AddImm", "f32", "a + b", "f32"), ("f32SubImm", "f32", "a - b", "f32"), ("f32MulImm", "f32", "a * b", "f32"),
    ("f32DivImm", "f32", "a / b", "f32"),
]

def wide_imm_case(name, t, e, r):
    if t == "f32":
        b, step = "Float(bitPattern: code[pc &+ 3])", 4
    else:
        raw = "(UInt64(code[pc &+ 3]) | UInt64(code[pc &+ 4]) << 32)"
        b, step = (f"Double(bitPattern: {raw})" if t == "f64" else raw), 5
    return "\n".join([
        f"            case .{name}:",
        f"                let a = {READ[t].format(n=2)}",
        f"                let b = {b}",
        f"                fp[Int(code[pc &+ 1])] = {WRITE[r].format(v=e)}",
        f"                pc &+= {step}",
    ])

# Binary operations whose second operand is loaded from memory: dst, a, address slot,
# offset. The translator fuses a load with the operation that consumes it right away
# (`local.get x; f64.load; f64.mul`), which saves a dispatch in memory-bound loops.
# (name, type, expression, load op, access size)
MEM_OPS = [
    ("i32AddMem", "i32", "a &+ b"), ("i32SubMem", "i32", "a &- b"), ("i32MulMem", "i32", "a &* b"),
    ("i32AndMem", "i32", "a & b"), ("i32OrMem", "i32", "a | b"), ("i32XorMem", "i32", "a ^ b"),
    ("i64AddMem", "i64", "a &+ b"), ("i64SubMem", "i64", "a &- b"), ("i64MulMem", "i64", "a &* b"),
    ("i64AndMem", "i64", "a & b"), ("i64OrMem", "i64", "a | b"), ("i64XorMem", "i64", "a ^ b"),
    ("f32AddMem", "f32", "a + b"), ("f32SubMem", "f32", "a - b"), ("f32MulMem", "f32", "a * b"),
    ("f64AddMem", "f64", "a + b"), ("f64SubMem", "f64", "a - b"), ("f64MulMem", "f64", "a * b"),
]
MEM_LOAD = {
    "i32": ("4", "load(memoryBase, at, as: UInt32.self)"),
    "i64": ("8", "load(memoryBase, at, as: UInt64.self)"),
    "f32": ("4", "Float(bitPattern: load(memoryBase, at, as: UInt32.self))"),
    "f64": ("8", "Double(bitPattern: load(memoryBase, at, as: UInt64.self))"),
}

def mem_case(name, t, e):
    size, value = MEM_LOAD[t]
    return "\n".join([
        f"            case .{name}:",
        f"                let a = {READ[t].format(n=2)}",
        f"                let at = try address(fp, memoryLength, code[pc &+ 3], code[pc &+ 4], {size})",
        f"                let b = {value}",
        f"                fp[Int(code[pc &+ 1])] = {WRITE[t].format(v=e)}",
        f"                pc &+= 5",
    ])

def imm_case(name, e):
    r = "bool" if name in IMM_BOOL else "i32"
    return "\n".join([
        f"            case .{name}:",
        f"                let a = {READ['i32'].format(n=2)}",
        f"                let b = code[pc &+ 3]",
        f"                fp[Int(code[pc &+ 1])] = {WRITE[r].format(v=e)}",
        f"                pc &+= 4",
    ])

# The non-numeric internal opcodes, with their operand words, in order.
CONTROL = """
    // Control. Branch targets are word indices in the function's code.
    /// trap: unreachable
    case unreachable
    /// target
    case br
    /// cond, target
    case brIf
    /// cond, target
    case brIfNot
    /// index, count, targets[count], default target
    case brTable
    /// (results already in slots 0...)
    case `return`
    /// amount: subtracts fuel (see `Fuel`)
    case consumeFuel
    /// traps when the store's fuel is <= 0
    case checkFuel
    /// traps when the engine's epoch reached the store's deadline
    case checkEpoch
    /// function index, argument base slot
    case call
    /// function index (imported), argument base slot
    case callImport
    /// type index, table word (a `WidthTaggedIndex`), index slot, argument base slot
    case callIndirect
    /// Tail calls: the arguments move down to slot 0 and the callee replaces the frame. A
    /// `return` follows, for callees run outside the loop (host functions, machine code).
    /// function index, argument base slot, argument slot count
    case returnCall
    /// function index (imported), argument base slot, argument slot count
    case returnCallImport
    /// type index, table word, index slot, argument base slot, argument slot count
    case returnCallIndirect
    /// reference slot, argument base slot
    case callRef
    /// reference slot, argument base slot, argument slot count
    case returnCallRef
    /// reference slot, target: branches when the 64-bit slot is null (zero)
    case brIfNull
    /// reference slot, target: branches when the slot is not null
    case brIfNotNull
    /// reference slot: traps with "null reference" when null
    case refAsNonNull
    /// tag index, values base slot: throws a new exception with the tag and the values
    case `throw`
    /// exception slot: throws the exception again (`throw_ref`, legacy `rethrow`)
    case throwRef
    /// dst, src
    case copy
    /// dst, src
    case copy128
    /// dst, value
    case const32
    /// dst, low word, high word
    case const64
    /// dst, four words
    case const128
    /// dst, a, b, cond
    case select
    /// dst, a, b, cond
    case select128
    /// dst, global index
    case globalGet
    /// global index, src
    case globalSet
    /// dst, global index
    case globalGet128
    /// global index, src
    case globalSet128
    /// dst, global index: an externref global; the value is rooted in the store
    case globalGetExtern
    /// global index, src: an externref global; the counts move
    case globalSetExtern

    // Tables
    /// dst, table, index slot
    case tableGet
    /// table, index slot, value slot
    case tableSet
    /// dst, table, index slot: an externref table; the value is rooted in the store
    case tableGetExtern
    /// table, index slot, value slot: an externref table; the counts move
    case tableSetExtern
    /// dst, table
    case tableSize
    /// dst, table, init slot, delta slot
    case tableGrow
    /// table, start slot, value slot, count slot
    case tableFill
    /// destination table, source table, d slot, s slot, n slot
    case tableCopy
    /// table, segment, d slot, s slot, n slot
    case tableInit
    /// segment
    case elemDrop

    // Memory: loads are dst, address slot, offset; stores are address slot, value slot, offset.
    case i32Load, i64Load, f32Load, f64Load, i32Load8S, i32Load8U, i32Load16S, i32Load16U
    case i64Load8S, i64Load8U, i64Load16S, i64Load16U, i64Load32S, i64Load32U
    case i32Store, i64Store, f32Store, f64Store, i32Store8, i32Store16, i64Store8, i64Store16, i64Store32
    /// Loads and stores of memories other than a 32-bit memory 0 (multi-memory, memory64).
    /// A "memory operand" is three words: memory word (a `WidthTaggedIndex`), offset low, offset high.
    /// load op, dst, address slot, memory operand
    case memoryLoad
    /// store op, address slot, value slot, memory operand
    case memoryStore
    /// dst, memory word
    case memorySize
    /// dst, delta slot, memory word
    case memoryGrow
    /// segment, d slot, s slot, n slot, memory word
    case memoryInit
    /// segment
    case dataDrop
    /// d slot, s slot, n slot, destination memory word, source memory word
    case memoryCopy
    /// d slot, value slot, n slot, memory word
    case memoryFill

    // References
    /// dst
    case refNull
    /// dst, src
    case refIsNull
    /// dst, function index
    case refFunc

    // SIMD: the SIMD operation (`SIMDOp`, `SIMDLoadOp`, ...) is the first operand word.
    /// load op, dst, address slot, memory operand
    case v128Load
    /// address slot, value slot, memory operand
    case v128Store
    /// lane op, dst, address slot, vector slot, memory operand, lane
    case v128LoadLane
    /// lane op, address slot, vector slot, memory operand, lane
    case v128StoreLane
    /// op, dst, a
    case simdUnary
    /// op, dst, a, b
    case simdBinary
    /// op, dst, a, b, c
    case simdTernary
    /// op, dst, a
    case simdTest
    /// op, dst, a, count slot
    case simdShift
    /// op, dst, scalar slot
    case simdSplat
    /// lane op, dst, vector slot, lane
    case extractLane
    /// lane op, dst, vector slot, scalar slot, lane
    case replaceLane
    /// dst, a, b, four words of lane indices
    case shuffle
"""

def main():
    numeric_names = [op[0] for op in OPS]
    enum_lines = ["// Generated by Utilities/generate_interpreter_ops.py: edit the script, not this file.", "",
                  "/// The interpreter's internal instruction set: register-style operations on frame slots.",
                  "/// Each instruction is an opcode word followed by operand words (slot indices, immediates,",
                  "/// branch targets) as noted per case; scalar numeric operations are `dst, a[, b]`.",
                  "enum Op: UInt16 {", CONTROL.rstrip(), "",
                  "    // Scalar numeric operations: dst, a[, b].",
                  "    case " + ", ".join(numeric_names[:1])]
    enum_lines = enum_lines[:-1]
    for i in range(0, len(numeric_names), 6):
        enum_lines.append("    case " + ", ".join(numeric_names[i:i + 6]))
    enum_lines.append("")
    enum_lines.append("    // i32 operations with a constant second operand: dst, a, immediate.")
    imm_names = [n for n, _ in IMM_OPS]
    for i in range(0, len(imm_names), 6):
        enum_lines.append("    case " + ", ".join(imm_names[i:i + 6]))
    enum_lines.append("")
    enum_lines.append("    // i64, f32 and f64 operations with a constant second operand: dst, a, immediate")
    enum_lines.append("    // (f32: one word of bits; i64 and f64: two words, low first).")
    wide_names = [w[0] for w in WIDE_IMM_OPS]
    for i in range(0, len(wide_names), 6):
        enum_lines.append("    case " + ", ".join(wide_names[i:i + 6]))
    enum_lines.append("")
    enum_lines.append("    // Binary operations with a second operand loaded from memory: dst, a, address slot, offset.")
    mem_names = [m[0] for m in MEM_OPS]
    for i in range(0, len(mem_names), 6):
        enum_lines.append("    case " + ", ".join(mem_names[i:i + 6]))
    enum_lines.append("")
    enum_lines.append("    // i32 comparisons fused with a conditional branch: a, b (or immediate), target.")
    branch_names = []
    for n, _ in BRANCH_COMPARES:
        branch_names += ["brIfI32" + n, "brIfI32" + n + "Imm"]
    for i in range(0, len(branch_names), 6):
        enum_lines.append("    case " + ", ".join(branch_names[i:i + 6]))
    enum_lines.append("}")
    enum_lines.append("")
    enum_lines.append("extension Op: CaseIterable {}")
    enum_lines.append("")
    enum_lines.append("extension Op {")
    enum_lines.append("    /// The internal opcode of a scalar numeric instruction.")
    enum_lines.append("    init(_ op: NumericOp) {")
    enum_lines.append("        switch op {")
    for n in numeric_names:
        enum_lines.append(f"        case .{n}: self = .{n}")
    enum_lines.append("        }")
    enum_lines.append("    }")
    enum_lines.append("")
    enum_lines.append("    /// The immediate form of a binary operation, if there is one, and how many words")
    enum_lines.append("    /// its immediate takes.")
    enum_lines.append("    static func immediate(_ op: NumericOp) -> (op: Op, words: Int)? {")
    enum_lines.append("        switch op {")
    for n in imm_names:
        enum_lines.append(f"        case .{n[:-3]}: return (.{n}, 1)")
    for n, t, _, _ in WIDE_IMM_OPS:
        enum_lines.append(f"        case .{n[:-3]}: return (.{n}, {1 if t == 'f32' else 2})")
    enum_lines.append("        default: return nil")
    enum_lines.append("        }")
    enum_lines.append("    }")
    enum_lines.append("")
    enum_lines.append("    /// The form of a binary operation that loads its second operand with `load`, if any.")
    enum_lines.append("    static func memoryOperand(_ op: NumericOp, load: Op) -> Op? {")
    enum_lines.append("        switch (op, load) {")
    load_op = {"i32": "i32Load", "i64": "i64Load", "f32": "f32Load", "f64": "f64Load"}
    for n, t, _ in MEM_OPS:
        enum_lines.append(f"        case (.{n[:-3]}, .{load_op[t]}): return .{n}")
    enum_lines.append("        default: return nil")
    enum_lines.append("        }")
    enum_lines.append("    }")
    enum_lines.append("")
    enum_lines.append("    /// The fused compare-and-branch for an i32 comparison (register or immediate form),")
    enum_lines.append("    /// jumping when the comparison holds, or when it fails if `inverted`.")
    enum_lines.append("    static func branch(on compare: Op, inverted: Bool) -> Op? {")
    enum_lines.append("        switch (compare, inverted) {")
    for n, _ in BRANCH_COMPARES:
        inv = INVERSE[n]
        for suffix in ["", "Imm"]:
            enum_lines.append(f"        case (.i32{n}{suffix}, false): return .brIfI32{n}{suffix}")
            enum_lines.append(f"        case (.i32{n}{suffix}, true): return .brIfI32{inv}{suffix}")
    enum_lines.append("        default: return nil")
    enum_lines.append("        }")
    enum_lines.append("    }")
    enum_lines.append("}")
    with open(OP_FILE, "w") as f:
        f.write("\n".join(enum_lines) + "\n")

    cases = [case_code(*op) for op in OPS] + [imm_case(n, e) for n, e in IMM_OPS] + [wide_imm_case(*w) for w in WIDE_IMM_OPS]
    cases += [mem_case(*m) for m in MEM_OPS]
    for n, e in BRANCH_COMPARES:
        cases.append(branch_case("brIfI32" + n, e, False))
        cases.append(branch_case("brIfI32" + n + "Imm", e, True))
    block = "\n".join(cases)
    with open(EXEC_FILE) as f:
        text = f.read()
    begin = "            // BEGIN GENERATED NUMERIC CASES\n"
    end = "            // END GENERATED NUMERIC CASES\n"
    i, j = text.index(begin), text.index(end)
    text = text[:i + len(begin)] + block + "\n" + text[j:]
    with open(EXEC_FILE, "w") as f:
        f.write(text)

main()
