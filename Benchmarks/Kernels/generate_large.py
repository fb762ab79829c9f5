#!/usr/bin/env python3
"""Writes a large synthetic C program for decode/validate benchmarks.

The output is deterministic for a given --seed and --functions, so every run of
build.sh produces the same large.wasm and throughput numbers stay comparable.

The goal is a module that looks like real compiled code to a decoder and
validator, not one that computes anything meaningful: thousands of functions
with nested blocks and loops, dense switches (br_table) and sparse ones (if
chains), i32/i64/f64 arithmetic and conversions, loads and stores to linear
memory, direct calls, and indirect calls through per-signature tables
(call_indirect with several function types). All functions are reachable from
`run` through those tables, so wasm-ld's dead-code elimination keeps them.

The program is also safe to execute: integer arithmetic is unsigned (no signed
overflow), divisors are forced odd, shifts are masked, array indices are masked
into their arrays, float-to-int conversions are range checked, loops have small
fixed trip counts, and every call consumes one unit of a depth budget `d`, so
recursion through the tables always terminates.

Usage: generate_large.py [--functions N] [--seed S] [-o FILE]
"""

import argparse
import random
import sys

# Element counts of the global arrays. Index masks below rely on powers of two.
U_WORDS = 4096
D_WORDS = 2048
BYTES = 16384
# Pointer-taking functions may touch p[0 .. POINTER_SPAN-1].
POINTER_SPAN = 64

# One entry per function type: C return type, parameter list, how to read the
# parameters into the generator's typed locals.
SIGNATURES = {
    "u": ("unsigned", "unsigned a, unsigned b, int d"),
    "l": ("unsigned long long", "unsigned long long a, unsigned b, int d"),
    "f": ("double", "double a, double b, int d"),
    "p": ("unsigned", "unsigned *p, unsigned b, int d"),
}


class FunctionWriter:
    """Generates the body of one function. Locals come in three C types:
    unsigned (u*), unsigned long long (l*) and double (f*)."""

    def __init__(self, rng, index, signature, function_count, signature_of):
        self.rng = rng
        self.index = index
        self.signature = signature
        self.function_count = function_count
        self.signature_of = signature_of
        self.lines = []
        self.indent = 1
        self.loop_depth = 0
        self.calls_left = rng.randint(1, 4)
        self.counter = 0
        self.u_vars = ["u0", "u1", "u2"]
        # Loop counters can be read but never assigned, or loops might not end.
        self.loop_counters = []
        self.l_vars = ["l0", "l1"]
        self.f_vars = ["f0", "f1"]

    # --- expressions -----------------------------------------------------------

    def const_u(self):
        choice = self.rng.random()
        if choice < 0.5:
            return f"{self.rng.randint(0, 255)}u"
        if choice < 0.8:
            return f"{self.rng.randint(256, 65535)}u"
        return f"0x{self.rng.getrandbits(32):08x}u"

    def const_f(self):
        return repr(round(self.rng.uniform(-100.0, 100.0), self.rng.randint(0, 6)))

    def u_expr(self, depth=0):
        r = self.rng.random()
        if depth >= 3 or r < 0.25:
            if self.rng.random() < 0.7:
                return self.rng.choice(self.u_vars + self.loop_counters)
            return self.const_u()
        if r < 0.55:
            op = self.rng.choice(["+", "-", "*", "^", "&", "|"])
            return f"({self.u_expr(depth + 1)} {op} {self.u_expr(depth + 1)})"
        if r < 0.62:
            op = self.rng.choice(["<<", ">>"])
            return f"({self.u_expr(depth + 1)} {op} ({self.u_expr(depth + 1)} & 31u))"
        if r < 0.67:
            op = self.rng.choice(["/", "%"])
            return f"({self.u_expr(depth + 1)} {op} ({self.u_expr(depth + 1)} | 1u))"
        if r < 0.73:
            op = self.rng.choice(["<", "<=", ">", ">=", "==", "!="])
            return f"(unsigned)({self.u_expr(depth + 1)} {op} {self.u_expr(depth + 1)})"
        if r < 0.78:
            return f"({self.u_expr(depth + 1)} ? {self.u_expr(depth + 1)} : {self.u_expr(depth + 1)})"
        if r < 0.86:
            return f"g_u[{self.u_expr(depth + 1)} & {U_WORDS - 1}u]"
        if r < 0.89:
            return f"(unsigned)g_b[{self.u_expr(depth + 1)} & {BYTES - 1}u]"
        if r < 0.93:
            return f"(unsigned)({self.l_expr(depth + 1)} >> {self.rng.randint(0, 32)})"
        if r < 0.96:
            return f"f2u({self.f_expr(depth + 1)})"
        if self.signature == "p":
            return f"p[{self.u_expr(depth + 1)} & {POINTER_SPAN - 1}u]"
        return f"rotl32({self.u_expr(depth + 1)}, {self.rng.randint(1, 31)})"

    def l_expr(self, depth=0):
        r = self.rng.random()
        if depth >= 3 or r < 0.3:
            if self.rng.random() < 0.7:
                return self.rng.choice(self.l_vars)
            return f"0x{self.rng.getrandbits(64):016x}ull"
        if r < 0.6:
            op = self.rng.choice(["+", "-", "*", "^", "&", "|"])
            return f"({self.l_expr(depth + 1)} {op} {self.l_expr(depth + 1)})"
        if r < 0.68:
            op = self.rng.choice(["<<", ">>"])
            return f"({self.l_expr(depth + 1)} {op} ({self.u_expr(depth + 1)} & 63u))"
        if r < 0.73:
            return f"({self.l_expr(depth + 1)} / ({self.l_expr(depth + 1)} | 1ull))"
        if r < 0.85:
            return f"(unsigned long long){self.u_expr(depth + 1)}"
        if r < 0.92:
            return f"((unsigned long long){self.u_expr(depth + 1)} * {self.rng.getrandbits(32)}ull)"
        return f"(unsigned long long)(long long)f2i({self.f_expr(depth + 1)})"

    def f_expr(self, depth=0):
        r = self.rng.random()
        if depth >= 3 or r < 0.3:
            return self.rng.choice(self.f_vars) if self.rng.random() < 0.7 else self.const_f()
        if r < 0.62:
            op = self.rng.choice(["+", "-", "*", "/"])
            return f"({self.f_expr(depth + 1)} {op} {self.f_expr(depth + 1)})"
        if r < 0.68:
            return f"__builtin_sqrt(__builtin_fabs({self.f_expr(depth + 1)}))"
        if r < 0.72:
            fn = self.rng.choice(["__builtin_floor", "__builtin_ceil", "__builtin_trunc", "__builtin_fabs"])
            return f"{fn}({self.f_expr(depth + 1)})"
        if r < 0.8:
            return f"(double){self.u_expr(depth + 1)}"
        if r < 0.84:
            return f"(double)(float)({self.f_expr(depth + 1)})"
        if r < 0.92:
            return f"g_d[{self.u_expr(depth + 1)} & {D_WORDS - 1}u]"
        op = self.rng.choice(["<", ">", "<="])
        return f"({self.f_expr(depth + 1)} {op} {self.f_expr(depth + 1)} ? {self.f_expr(depth + 1)} : {self.f_expr(depth + 1)})"

    # --- statements ------------------------------------------------------------

    def emit(self, text):
        self.lines.append("    " * self.indent + text)

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def call_arguments(self, callee_signature):
        if callee_signature == "u":
            return f"{self.u_expr(2)}, {self.u_expr(2)}"
        if callee_signature == "l":
            return f"{self.l_expr(2)}, {self.u_expr(2)}"
        if callee_signature == "f":
            return f"{self.f_expr(2)}, {self.f_expr(2)}"
        return f"&g_u[{self.u_expr(2)} & {U_WORDS - POINTER_SPAN - 1}u], {self.u_expr(2)}"

    def assign_call_result(self, callee_signature, call):
        if callee_signature in ("u", "p"):
            self.emit(f"{self.rng.choice(self.u_vars)} ^= {call};")
        elif callee_signature == "l":
            self.emit(f"{self.rng.choice(self.l_vars)} += {call};")
        else:
            self.emit(f"{self.rng.choice(self.f_vars)} = {call};")

    def call_statement(self):
        self.calls_left -= 1
        self.emit("if (d > 0) {")
        self.indent += 1
        if self.rng.random() < 0.6:
            callee = self.rng.randrange(self.function_count)
            callee_signature = self.signature_of[callee]
            call = f"fn{callee}({self.call_arguments(callee_signature)}, d - 1)"
        else:
            callee_signature = self.rng.choice(list(SIGNATURES))
            call = (f"table_{callee_signature}[{self.u_expr(2)} % TABLE_{callee_signature.upper()}_LENGTH]"
                    f"({self.call_arguments(callee_signature)}, d - 1)")
        self.assign_call_result(callee_signature, call)
        self.indent -= 1
        self.emit("}")

    def simple_statement(self):
        r = self.rng.random()
        if r < 0.3:
            op = self.rng.choice(["=", "+=", "^=", "-=", "*=", "|="])
            self.emit(f"{self.rng.choice(self.u_vars)} {op} {self.u_expr()};")
        elif r < 0.45:
            op = self.rng.choice(["=", "+=", "^="])
            self.emit(f"{self.rng.choice(self.l_vars)} {op} {self.l_expr()};")
        elif r < 0.6:
            op = self.rng.choice(["=", "+=", "*=", "-="])
            self.emit(f"{self.rng.choice(self.f_vars)} {op} {self.f_expr()};")
        elif r < 0.72:
            self.emit(f"g_u[{self.u_expr(2)} & {U_WORDS - 1}u] = {self.u_expr(1)};")
        elif r < 0.8:
            self.emit(f"g_d[{self.u_expr(2)} & {D_WORDS - 1}u] = {self.f_expr(1)};")
        elif r < 0.86:
            self.emit(f"g_b[{self.u_expr(2)} & {BYTES - 1}u] = (unsigned char){self.u_expr(1)};")
        elif r < 0.92 and self.signature == "p":
            self.emit(f"p[{self.u_expr(2)} & {POINTER_SPAN - 1}u] += {self.u_expr(1)};")
        else:
            self.emit(f"{self.rng.choice(self.u_vars)} = mix32({self.u_expr(1)});")

    def block(self, count, nesting):
        self.indent += 1
        for _ in range(count):
            self.statement(nesting)
        self.indent -= 1

    def statement(self, nesting=0):
        # Calls inside loops multiply the run time by the trip count; allow them
        # only outside loops or one loop deep.
        if self.calls_left > 0 and self.loop_depth <= 1 and self.rng.random() < 0.12:
            self.call_statement()
            return
        # Compound statements get rarer with nesting so functions stay in the
        # size range of ordinary compiled code (a few hundred bytes to a few KB).
        if nesting >= 2 or self.rng.random() < 0.5 + 0.2 * nesting:
            self.simple_statement()
            return
        r = self.rng.random()
        if r < 0.27:
            self.emit(f"if ({self.u_expr(1)} {self.rng.choice(['<', '>', '==', '!='])} {self.u_expr(1)}) {{")
            self.block(self.rng.randint(1, 3), nesting + 1)
            if self.rng.random() < 0.5:
                self.emit("} else {")
                self.block(self.rng.randint(1, 3), nesting + 1)
            self.emit("}")
        elif r < 0.49:
            i = self.fresh("i")
            bound = self.rng.randint(2, 12) if self.loop_depth == 0 else self.rng.randint(2, 4)
            self.emit(f"for (unsigned {i} = 0; {i} < {bound}u; {i}++) {{")
            self.loop_depth += 1
            self.loop_counters.append(i)
            self.block(self.rng.randint(1, 4), nesting + 1)
            self.loop_counters.remove(i)
            self.loop_depth -= 1
            self.emit("}")
        elif r < 0.6:
            guard = self.fresh("g")
            self.emit(f"unsigned {guard} = 0;")
            self.emit(f"while ({guard}++ < {self.rng.randint(2, 10)}u) {{")
            self.loop_depth += 1
            self.block(self.rng.randint(1, 3), nesting + 1)
            self.indent += 1
            self.emit(f"if ({self.u_expr(1)} % {self.rng.randint(3, 9)}u == 0u) break;")
            self.emit(f"if ({self.u_expr(1)} & 1u) continue;")
            self.statement(nesting + 1)
            self.indent -= 1
            self.loop_depth -= 1
            self.emit("}")
        elif r < 0.85:
            self.switch_statement(nesting)
        else:
            guard = self.fresh("g")
            self.emit(f"unsigned {guard} = {self.rng.randint(1, 6)}u;")
            self.emit("do {")
            self.loop_depth += 1
            self.block(self.rng.randint(1, 3), nesting + 1)
            self.loop_depth -= 1
            self.emit(f"}} while (--{guard} != 0u);")

    def switch_statement(self, nesting):
        dense = self.rng.random() < 0.7
        case_count = self.rng.randint(4, 16) if dense else self.rng.randint(3, 8)
        if dense:
            # Consecutive case values: clang emits a jump table, i.e. br_table.
            self.emit(f"switch ({self.u_expr(1)} % {case_count}u) {{")
            values = list(range(case_count))
        else:
            # Scattered values: clang emits a compare tree instead.
            self.emit(f"switch ({self.u_expr(1)}) {{")
            values = sorted(self.rng.sample(range(0, 1 << 20), case_count))
        # Braces around each case body: C does not allow a declaration (which a
        # nested while loop emits) directly after a case label.
        for value in values:
            self.emit(f"case {value}u: {{")
            self.block(1, nesting + 1)
            # About one case in seven falls through into the next.
            self.emit("} break;" if self.rng.random() < 0.85 else "}")
        self.emit("default: {")
        self.block(1, nesting + 1)
        self.emit("} break;")
        self.emit("}")

    # --- whole function ----------------------------------------------------------

    def write(self):
        ret, params = SIGNATURES[self.signature]
        if self.signature == "u":
            prologue = ["unsigned u0 = a, u1 = b, u2 = a ^ b;",
                        "unsigned long long l0 = a, l1 = (unsigned long long)b << 17;",
                        "double f0 = (double)a, f1 = (double)b * 0.5;"]
            result = f"return {self.u_expr()} ^ (unsigned)l0 ^ f2u(f0);"
        elif self.signature == "l":
            prologue = ["unsigned u0 = (unsigned)a, u1 = b, u2 = (unsigned)(a >> 32);",
                        "unsigned long long l0 = a, l1 = a ^ b;",
                        "double f0 = (double)u0, f1 = (double)b;"]
            result = f"return {self.l_expr()} + l0 + u0 + (unsigned long long)f2i(f1);"
        elif self.signature == "f":
            prologue = ["unsigned u0 = f2u(a), u1 = f2u(b), u2 = 7u;",
                        "unsigned long long l0 = (unsigned long long)f2i(a * b), l1 = 3ull;",
                        "double f0 = a, f1 = b;"]
            result = f"return {self.f_expr()} + f0 + (double)(u0 ^ (unsigned)l1);"
        else:
            prologue = ["unsigned u0 = p[0], u1 = b, u2 = p[b & 63u];",
                        "unsigned long long l0 = u0, l1 = (unsigned long long)u2 * b;",
                        "double f0 = (double)u1, f1 = g_d[b & 2047u];"]
            result = f"return {self.u_expr()} + u0 + (unsigned)l1 + f2u(f0);"
        self.lines.append(f"static {ret} fn{self.index}({params}) {{")
        for line in prologue:
            self.emit(line)
        for _ in range(self.rng.randint(3, 9)):
            self.statement()
        self.emit(result)
        self.lines.append("}")
        return self.lines


HEADER = f"""\
// Generated by generate_large.py; do not edit. See that script for what and why.
// Freestanding: no libc, compiled with clang --target=wasm32 -nostdlib.

static unsigned g_u[{U_WORDS}];
static double g_d[{D_WORDS}];
static unsigned char g_b[{BYTES}];

static inline unsigned rotl32(unsigned x, int n) {{
    return (x << n) | (x >> (32 - n));
}}

static inline unsigned mix32(unsigned x) {{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    return x ^ (x >> 16);
}}

// C leaves out-of-range (and NaN) float-to-int conversions undefined; clamp them.
static inline unsigned f2u(double x) {{
    return (x >= 0.0 && x < 4294967295.0) ? (unsigned)x : 0u;
}}

static inline long long f2i(double x) {{
    return (x > -9.0e18 && x < 9.0e18) ? (long long)x : 0;
}}
"""


def generate(function_count, seed):
    rng = random.Random(seed)
    # One of each signature up front so that no table is empty; "u" is the most common.
    signature_of = list(SIGNATURES) + [rng.choice("uulfp") for _ in range(function_count - len(SIGNATURES))]
    out = [HEADER]

    # Prototypes first: any function may call any other, directly or via a table.
    for index, signature in enumerate(signature_of):
        ret, params = SIGNATURES[signature]
        out.append(f"static {ret} fn{index}({params});")
    out.append("")

    members = {signature: [] for signature in SIGNATURES}
    for index, signature in enumerate(signature_of):
        members[signature].append(index)
    for signature, indices in members.items():
        ret, params = SIGNATURES[signature]
        out.append(f"static {ret} (*const table_{signature}[])({params});")
        out.append(f"#define TABLE_{signature.upper()}_LENGTH {len(indices)}u")
    out.append("")

    for index, signature in enumerate(signature_of):
        out.extend(FunctionWriter(rng, index, signature, function_count, signature_of).write())
        out.append("")

    for signature, indices in members.items():
        ret, params = SIGNATURES[signature]
        out.append(f"static {ret} (*const table_{signature}[])({params}) = {{")
        for start in range(0, len(indices), 8):
            out.append("    " + " ".join(f"fn{i}," for i in indices[start:start + 8]))
        out.append("};")
        out.append("")

    # The entry point walks all four tables so every function stays reachable.
    out.append("""\
// Calls n functions (round robin over the tables) with a small depth budget.
long long run(int n) {
    unsigned long long acc = 0;
    for (int i = 0; i < n; i++) {
        unsigned k = (unsigned)i;
        switch (k & 3u) {
        case 0: acc += table_u[k % TABLE_U_LENGTH](k, (unsigned)acc, 2); break;
        case 1: acc ^= table_l[k % TABLE_L_LENGTH](acc, k, 2); break;
        case 2: acc += f2u(table_f[k % TABLE_F_LENGTH]((double)k, 0.5, 2)); break;
        default: acc += table_p[k % TABLE_P_LENGTH](&g_u[k & 1023u], k, 2); break;
        }
    }
    return (long long)acc;
}""")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # The default is tuned so clang -O2 produces roughly 5 MB of wasm.
    parser.add_argument("--functions", type=int, default=5000, help="number of functions (default 5000)")
    parser.add_argument("--seed", type=int, default=20240601, help="random seed (default 20240601)")
    parser.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = parser.parse_args()
    if args.functions < 8:
        parser.error("--functions must be at least 8")
    source = generate(args.functions, args.seed)
    if args.output == "-":
        sys.stdout.write(source)
    else:
        with open(args.output, "w") as file:
            file.write(source)


if __name__ == "__main__":
    main()
