/*
 * bytecode_vm.c - Kiln parity test program: a register-machine bytecode VM.
 *
 * A tiny assembler builds several bytecode programs (recursive fibonacci with
 * register windows and with the value stack, a hashing loop, a sieve, string
 * hashing, Collatz chains, an insertion sort over words in VM memory). Each
 * program runs on two interpreters of the same instruction set: one dispatching
 * through a `switch` in a loop (a br_table in a loop in wasm), registers in a local
 * array indexed through a movable window base, and one dispatching through a table
 * of function pointers (call_indirect). Both must agree; the program prints their
 * results and a final checksum. Deterministic: no clocks, input or randomness other
 * than a fixed-seed LCG. All register arithmetic is unsigned (no signed overflow).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEM_SIZE 16384u
#define WIN 16u
#define NREGS (256u + WIN)
#define VSTACK 256u
#define CSTACK 64u
#define MAX_STEPS 20000000u

enum Op {
    OP_HALT, OP_LI, OP_MOV, OP_ADD, OP_SUB, OP_MUL, OP_DIVS, OP_DIVU, OP_REMS, OP_REMU,
    OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHRS, OP_SHRU, OP_ADDI, OP_LTS, OP_LTU, OP_EQ,
    OP_JMP, OP_JZ, OP_JNZ, OP_LDB, OP_STB, OP_LDW, OP_STW, OP_CALL, OP_RET, OP_PUSH,
    OP_POP, OP_MULHU, OP_OUT, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
    "halt", "li", "mov", "add", "sub", "mul", "divs", "divu", "rems", "remu",
    "and", "or", "xor", "shl", "shrs", "shru", "addi", "lts", "ltu", "eq",
    "jmp", "jz", "jnz", "ldb", "stb", "ldw", "stw", "call", "ret", "push",
    "pop", "mulhu", "out"
};

enum Status { ST_RUNNING, ST_HALTED, ST_FAULT_PC, ST_FAULT_OP, ST_FAULT_STACK, ST_FAULT_CALL, ST_FAULT_STEPS };

typedef struct {
    uint32_t status, steps, result, nout, outhash;
    uint32_t outs[8];
} RunResult;

static uint32_t lcg_state = 20240601u;
static uint32_t lcg(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

/* ---------------------------------------------------------------- assembler */

typedef struct {
    uint32_t code[1024];
    uint32_t n;
    int32_t labels[32];
    uint32_t fix_pos[64];
    uint32_t fix_label[64];
    uint32_t nfix;
} Asm;

static void asm_init(Asm *as) {
    memset(as, 0, sizeof *as);
    for (int i = 0; i < 32; i++) as->labels[i] = -1;
}
static void E(Asm *as, unsigned op, unsigned a, unsigned b, unsigned c) {
    as->code[as->n++] = (uint32_t)op | (uint32_t)a << 8 | (uint32_t)b << 16 | (uint32_t)(c & 0xffu) << 24;
}
static void EI(Asm *as, unsigned op, unsigned a, uint32_t imm) {
    E(as, op, a, 0, 0);
    as->code[as->n++] = imm;
}
static void EJ(Asm *as, unsigned op, unsigned a, unsigned label) {
    E(as, op, a, 0, 0);
    as->fix_pos[as->nfix] = as->n;
    as->fix_label[as->nfix++] = label;
    as->code[as->n++] = 0;
}
static void L(Asm *as, unsigned label) { as->labels[label] = (int32_t)as->n; }
static void asm_finish(Asm *as) {
    for (uint32_t i = 0; i < as->nfix; i++) {
        int32_t target = as->labels[as->fix_label[i]];
        if (target < 0) {
            printf("assembler: undefined label %u\n", as->fix_label[i]);
            exit(1);
        }
        as->code[as->fix_pos[i]] = (uint32_t)target;
    }
}

static int has_imm(unsigned op) {
    return op == OP_LI || op == OP_JMP || op == OP_JZ || op == OP_JNZ || op == OP_CALL;
}

static void disassemble(const Asm *as, uint32_t limit) {
    uint32_t pc = 0;
    while (pc < as->n && pc < limit) {
        uint32_t w = as->code[pc];
        unsigned op = w & 0xffu;
        char line[64];
        int len = snprintf(line, sizeof line, "  %3u: %-6s r%u r%u r%u", (unsigned)pc,
                           op < OP_COUNT ? op_names[op] : "???", (unsigned)(w >> 8 & 15u),
                           (unsigned)(w >> 16 & 15u), (unsigned)(w >> 24 & 0xffu));
        if (has_imm(op) && pc + 1 < as->n) {
            snprintf(line + len, sizeof line - (size_t)len, " #%u", (unsigned)as->code[pc + 1]);
            pc++;
        }
        puts(line);
        pc++;
    }
}

/* ---------------------------------------------------------------- switch VM */

static int32_t simm8(uint32_t insn) { return (int32_t)((insn >> 24) & 0xffu) - (int32_t)((insn >> 23) & 0x100u); }

static uint32_t divs(uint32_t x, uint32_t y) {
    if (y == 0) return 0;
    if (x == 0x80000000u && y == 0xffffffffu) return x;
    return (uint32_t)((int32_t)x / (int32_t)y);
}
static uint32_t rems(uint32_t x, uint32_t y) {
    if (y == 0) return x;
    if (x == 0x80000000u && y == 0xffffffffu) return 0;
    return (uint32_t)((int32_t)x % (int32_t)y);
}

static void out_value(RunResult *res, uint32_t v) {
    if (res->nout < 8) res->outs[res->nout] = v;
    res->nout++;
    res->outhash = (res->outhash ^ v) * 16777619u;
}

static void run_switch(const uint32_t *code, uint32_t ncode, uint8_t *mem, RunResult *res) {
    uint32_t regs[NREGS];
    uint32_t vstack[VSTACK];
    uint32_t cpc[CSTACK], cbase[CSTACK];
    uint32_t base = 0, pc = 0, sp = 0, csp = 0, steps = 0, status = ST_RUNNING;
    memset(regs, 0, sizeof regs);
    memset(res, 0, sizeof *res);
    res->outhash = 2166136261u;
    while (status == ST_RUNNING) {
        if (pc >= ncode) { status = ST_FAULT_PC; break; }
        if (++steps > MAX_STEPS) { status = ST_FAULT_STEPS; break; }
        uint32_t insn = code[pc++];
        uint32_t *ra = &regs[base + ((insn >> 8) & 15u)];
        uint32_t b = regs[base + ((insn >> 16) & 15u)];
        uint32_t c = regs[base + ((insn >> 24) & 15u)];
        uint32_t addr;
        switch (insn & 0xffu) {
        case OP_HALT: status = ST_HALTED; break;
        case OP_LI:
            if (pc >= ncode) { status = ST_FAULT_PC; break; }
            *ra = code[pc++];
            break;
        case OP_MOV: *ra = b; break;
        case OP_ADD: *ra = b + c; break;
        case OP_SUB: *ra = b - c; break;
        case OP_MUL: *ra = b * c; break;
        case OP_DIVS: *ra = divs(b, c); break;
        case OP_DIVU: *ra = c ? b / c : 0xffffffffu; break;
        case OP_REMS: *ra = rems(b, c); break;
        case OP_REMU: *ra = c ? b % c : b; break;
        case OP_AND: *ra = b & c; break;
        case OP_OR: *ra = b | c; break;
        case OP_XOR: *ra = b ^ c; break;
        case OP_SHL: *ra = b << (c & 31u); break;
        case OP_SHRS: *ra = (uint32_t)((int32_t)b >> (c & 31u)); break;
        case OP_SHRU: *ra = b >> (c & 31u); break;
        case OP_ADDI: *ra = b + (uint32_t)simm8(insn); break;
        case OP_LTS: *ra = (int32_t)b < (int32_t)c; break;
        case OP_LTU: *ra = b < c; break;
        case OP_EQ: *ra = b == c; break;
        case OP_JMP:
        case OP_JZ:
        case OP_JNZ: {
            if (pc >= ncode) { status = ST_FAULT_PC; break; }
            uint32_t target = code[pc++];
            unsigned op = insn & 0xffu;
            if (op == OP_JMP || (op == OP_JZ) == (*ra == 0)) pc = target;
            break;
        }
        case OP_LDB: *ra = mem[(b + (uint32_t)simm8(insn)) & (MEM_SIZE - 1u)]; break;
        case OP_STB: mem[(b + (uint32_t)simm8(insn)) & (MEM_SIZE - 1u)] = (uint8_t)*ra; break;
        case OP_LDW:
            addr = (b + (uint32_t)simm8(insn)) & (MEM_SIZE - 4u);
            memcpy(ra, mem + addr, 4);
            break;
        case OP_STW:
            addr = (b + (uint32_t)simm8(insn)) & (MEM_SIZE - 4u);
            memcpy(mem + addr, ra, 4);
            break;
        case OP_CALL: {
            uint32_t shift = (insn >> 8) & 15u;
            if (pc >= ncode) { status = ST_FAULT_PC; break; }
            if (csp == CSTACK || base + shift > NREGS - WIN) { status = ST_FAULT_CALL; break; }
            cpc[csp] = pc + 1;
            cbase[csp++] = base;
            base += shift;
            pc = code[pc];
            break;
        }
        case OP_RET:
            if (csp == 0) { status = ST_FAULT_CALL; break; }
            pc = cpc[--csp];
            base = cbase[csp];
            break;
        case OP_PUSH:
            if (sp == VSTACK) { status = ST_FAULT_STACK; break; }
            vstack[sp++] = *ra;
            break;
        case OP_POP:
            if (sp == 0) { status = ST_FAULT_STACK; break; }
            *ra = vstack[--sp];
            break;
        case OP_MULHU: *ra = (uint32_t)(((uint64_t)b * c) >> 32); break;
        case OP_OUT: out_value(res, *ra); break;
        default: status = ST_FAULT_OP; break;
        }
    }
    res->status = status;
    res->steps = steps;
    res->result = regs[base];
}

/* ------------------------------------------------------- function-table VM */

typedef struct VM {
    uint32_t regs[NREGS];
    uint32_t vstack[VSTACK];
    uint32_t cpc[CSTACK], cbase[CSTACK];
    uint32_t base, pc, sp, csp, status;
    const uint32_t *code;
    uint32_t ncode;
    uint8_t *mem;
    RunResult *res;
} VM;

typedef void (*Handler)(VM *, uint32_t);

#define RA(vm, insn) ((vm)->regs[(vm)->base + (((insn) >> 8) & 15u)])
#define RB(vm, insn) ((vm)->regs[(vm)->base + (((insn) >> 16) & 15u)])
#define RC(vm, insn) ((vm)->regs[(vm)->base + (((insn) >> 24) & 15u)])

static int fetch_imm(VM *vm, uint32_t *imm) {
    if (vm->pc >= vm->ncode) { vm->status = ST_FAULT_PC; return 0; }
    *imm = vm->code[vm->pc++];
    return 1;
}
static void h_halt(VM *vm, uint32_t i) { (void)i; vm->status = ST_HALTED; }
static void h_li(VM *vm, uint32_t i) { uint32_t v; if (fetch_imm(vm, &v)) RA(vm, i) = v; }
static void h_mov(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i); }
static void h_add(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) + RC(vm, i); }
static void h_sub(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) - RC(vm, i); }
static void h_mul(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) * RC(vm, i); }
static void h_divs(VM *vm, uint32_t i) { RA(vm, i) = divs(RB(vm, i), RC(vm, i)); }
static void h_divu(VM *vm, uint32_t i) { uint32_t c = RC(vm, i); RA(vm, i) = c ? RB(vm, i) / c : 0xffffffffu; }
static void h_rems(VM *vm, uint32_t i) { RA(vm, i) = rems(RB(vm, i), RC(vm, i)); }
static void h_remu(VM *vm, uint32_t i) { uint32_t c = RC(vm, i); RA(vm, i) = c ? RB(vm, i) % c : RB(vm, i); }
static void h_and(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) & RC(vm, i); }
static void h_or(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) | RC(vm, i); }
static void h_xor(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) ^ RC(vm, i); }
static void h_shl(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) << (RC(vm, i) & 31u); }
static void h_shrs(VM *vm, uint32_t i) { RA(vm, i) = (uint32_t)((int32_t)RB(vm, i) >> (RC(vm, i) & 31u)); }
static void h_shru(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) >> (RC(vm, i) & 31u); }
static void h_addi(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) + (uint32_t)simm8(i); }
static void h_lts(VM *vm, uint32_t i) { RA(vm, i) = (int32_t)RB(vm, i) < (int32_t)RC(vm, i); }
static void h_ltu(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) < RC(vm, i); }
static void h_eq(VM *vm, uint32_t i) { RA(vm, i) = RB(vm, i) == RC(vm, i); }
static void h_jmp(VM *vm, uint32_t i) { uint32_t t; (void)i; if (fetch_imm(vm, &t)) vm->pc = t; }
static void h_jz(VM *vm, uint32_t i) { uint32_t t; if (fetch_imm(vm, &t) && RA(vm, i) == 0) vm->pc = t; }
static void h_jnz(VM *vm, uint32_t i) { uint32_t t; if (fetch_imm(vm, &t) && RA(vm, i) != 0) vm->pc = t; }
static uint32_t eff(VM *vm, uint32_t i, uint32_t mask) { return (RB(vm, i) + (uint32_t)simm8(i)) & mask; }
static void h_ldb(VM *vm, uint32_t i) { RA(vm, i) = vm->mem[eff(vm, i, MEM_SIZE - 1u)]; }
static void h_stb(VM *vm, uint32_t i) { vm->mem[eff(vm, i, MEM_SIZE - 1u)] = (uint8_t)RA(vm, i); }
static void h_ldw(VM *vm, uint32_t i) {
    const uint8_t *p = vm->mem + eff(vm, i, MEM_SIZE - 4u);
    /* little-endian load spelled out, so it does not depend on the host's byte order */
    RA(vm, i) = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void h_stw(VM *vm, uint32_t i) {
    uint8_t *p = vm->mem + eff(vm, i, MEM_SIZE - 4u);
    uint32_t v = RA(vm, i);
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static void h_call(VM *vm, uint32_t i) {
    uint32_t shift = (i >> 8) & 15u, target;
    if (!fetch_imm(vm, &target)) return;
    if (vm->csp == CSTACK || vm->base + shift > NREGS - WIN) { vm->status = ST_FAULT_CALL; return; }
    vm->cpc[vm->csp] = vm->pc;
    vm->cbase[vm->csp++] = vm->base;
    vm->base += shift;
    vm->pc = target;
}
static void h_ret(VM *vm, uint32_t i) {
    (void)i;
    if (vm->csp == 0) { vm->status = ST_FAULT_CALL; return; }
    vm->pc = vm->cpc[--vm->csp];
    vm->base = vm->cbase[vm->csp];
}
static void h_push(VM *vm, uint32_t i) {
    if (vm->sp == VSTACK) { vm->status = ST_FAULT_STACK; return; }
    vm->vstack[vm->sp++] = RA(vm, i);
}
static void h_pop(VM *vm, uint32_t i) {
    if (vm->sp == 0) { vm->status = ST_FAULT_STACK; return; }
    RA(vm, i) = vm->vstack[--vm->sp];
}
static void h_mulhu(VM *vm, uint32_t i) { RA(vm, i) = (uint32_t)(((uint64_t)RB(vm, i) * RC(vm, i)) >> 32); }
static void h_out(VM *vm, uint32_t i) { out_value(vm->res, RA(vm, i)); }
static void h_bad(VM *vm, uint32_t i) { (void)i; vm->status = ST_FAULT_OP; }

static const Handler handlers[OP_COUNT] = {
    h_halt, h_li, h_mov, h_add, h_sub, h_mul, h_divs, h_divu, h_rems, h_remu,
    h_and, h_or, h_xor, h_shl, h_shrs, h_shru, h_addi, h_lts, h_ltu, h_eq,
    h_jmp, h_jz, h_jnz, h_ldb, h_stb, h_ldw, h_stw, h_call, h_ret, h_push,
    h_pop, h_mulhu, h_out
};

static void run_table(const uint32_t *code, uint32_t ncode, uint8_t *mem, RunResult *res) {
    VM *vm = calloc(1, sizeof *vm);
    if (!vm) { puts("out of memory"); exit(1); }
    memset(res, 0, sizeof *res);
    res->outhash = 2166136261u;
    vm->code = code; vm->ncode = ncode; vm->mem = mem; vm->res = res;
    vm->status = ST_RUNNING;
    uint32_t steps = 0;
    while (vm->status == ST_RUNNING) {
        if (vm->pc >= vm->ncode) { vm->status = ST_FAULT_PC; break; }
        if (++steps > MAX_STEPS) { vm->status = ST_FAULT_STEPS; break; }
        uint32_t insn = code[vm->pc++];
        uint32_t op = insn & 0xffu;
        (op < OP_COUNT ? handlers[op] : h_bad)(vm, insn);
    }
    res->status = vm->status;
    res->steps = steps;
    res->result = vm->regs[vm->base];
    free(vm);
}

/* ------------------------------------------------------------ the programs */

static void prog_fib_windows(Asm *a) {     /* fib(n) with register-window calls */
    EI(a, OP_LI, 1, 15);
    EJ(a, OP_CALL, 1, 1);
    E(a, OP_OUT, 1, 0, 0);
    E(a, OP_MOV, 0, 1, 0);
    E(a, OP_HALT, 0, 0, 0);
    L(a, 1);                                /* fib: r0 = n */
    EI(a, OP_LI, 1, 2);
    E(a, OP_LTS, 1, 0, 1);
    EJ(a, OP_JNZ, 1, 2);
    E(a, OP_ADDI, 2, 0, (unsigned)-1);
    EJ(a, OP_CALL, 2, 1);
    E(a, OP_MOV, 1, 2, 0);
    E(a, OP_ADDI, 2, 0, (unsigned)-2);
    EJ(a, OP_CALL, 2, 1);
    E(a, OP_ADD, 0, 1, 2);
    L(a, 2);
    E(a, OP_RET, 0, 0, 0);
}

static void prog_fib_stack(Asm *a) {       /* fib(n) saving live values on the value stack */
    EI(a, OP_LI, 1, 14);
    EJ(a, OP_CALL, 1, 1);
    E(a, OP_OUT, 1, 0, 0);
    E(a, OP_MOV, 0, 1, 0);
    E(a, OP_HALT, 0, 0, 0);
    L(a, 1);
    EI(a, OP_LI, 1, 2);
    E(a, OP_LTS, 1, 0, 1);
    EJ(a, OP_JNZ, 1, 2);
    E(a, OP_PUSH, 0, 0, 0);
    E(a, OP_ADDI, 1, 0, (unsigned)-1);
    EJ(a, OP_CALL, 1, 1);
    E(a, OP_POP, 0, 0, 0);
    E(a, OP_PUSH, 1, 0, 0);
    E(a, OP_ADDI, 1, 0, (unsigned)-2);
    EJ(a, OP_CALL, 1, 1);
    E(a, OP_POP, 2, 0, 0);
    E(a, OP_ADD, 0, 1, 2);
    L(a, 2);
    E(a, OP_RET, 0, 0, 0);
}

static void prog_hash_loop(Asm *a) {       /* mixes signed/unsigned division, shifts, mulhu */
    EI(a, OP_LI, 0, 0x12345678u);
    EI(a, OP_LI, 1, 0);
    EI(a, OP_LI, 2, 2500);
    EI(a, OP_LI, 3, 16777619u);
    EI(a, OP_LI, 5, 3);
    EI(a, OP_LI, 7, (uint32_t)-7);
    EI(a, OP_LI, 9, 1000003u);
    EI(a, OP_LI, 11, 5);
    L(a, 1);
    E(a, OP_XOR, 0, 0, 1);
    E(a, OP_MUL, 0, 0, 3);
    E(a, OP_SHRU, 4, 1, 5);
    E(a, OP_ADD, 0, 0, 4);
    E(a, OP_DIVS, 6, 0, 7);
    E(a, OP_REMU, 8, 0, 9);
    E(a, OP_XOR, 0, 0, 6);
    E(a, OP_ADD, 0, 0, 8);
    E(a, OP_SHRS, 10, 0, 11);
    E(a, OP_SUB, 0, 0, 10);
    E(a, OP_MULHU, 12, 0, 3);
    E(a, OP_XOR, 0, 0, 12);
    E(a, OP_REMS, 13, 0, 7);
    E(a, OP_SHL, 13, 13, 11);
    E(a, OP_ADD, 0, 0, 13);
    E(a, OP_ADDI, 1, 1, 1);
    E(a, OP_LTS, 14, 1, 2);
    EJ(a, OP_JNZ, 14, 1);
    E(a, OP_OUT, 0, 0, 0);
    E(a, OP_HALT, 0, 0, 0);
}

static void prog_sieve(Asm *a) {           /* primes below 3000 in VM memory */
    EI(a, OP_LI, 0, 3000);
    EI(a, OP_LI, 1, 0);
    EI(a, OP_LI, 2, 1);
    L(a, 1);                                /* mem[i] = 1 */
    E(a, OP_STB, 2, 1, 0);
    E(a, OP_ADDI, 1, 1, 1);
    E(a, OP_LTU, 3, 1, 0);
    EJ(a, OP_JNZ, 3, 1);
    EI(a, OP_LI, 1, 2);
    L(a, 2);                                /* for i while i*i < n */
    E(a, OP_MUL, 3, 1, 1);
    E(a, OP_LTU, 4, 3, 0);
    EJ(a, OP_JZ, 4, 5);
    E(a, OP_LDB, 4, 1, 0);
    EJ(a, OP_JZ, 4, 4);
    EI(a, OP_LI, 5, 0);
    L(a, 3);                                /* for j = i*i; j < n; j += i: mem[j] = 0 */
    E(a, OP_STB, 5, 3, 0);
    E(a, OP_ADD, 3, 3, 1);
    E(a, OP_LTU, 4, 3, 0);
    EJ(a, OP_JNZ, 4, 3);
    L(a, 4);
    E(a, OP_ADDI, 1, 1, 1);
    EJ(a, OP_JMP, 0, 2);
    L(a, 5);                                /* count and sum from 2 */
    EI(a, OP_LI, 1, 2);
    EI(a, OP_LI, 6, 0);
    EI(a, OP_LI, 7, 0);
    L(a, 6);
    E(a, OP_LDB, 4, 1, 0);
    E(a, OP_ADD, 6, 6, 4);
    E(a, OP_MUL, 8, 4, 1);
    E(a, OP_ADD, 7, 7, 8);
    E(a, OP_ADDI, 1, 1, 1);
    E(a, OP_LTU, 4, 1, 0);
    EJ(a, OP_JNZ, 4, 6);
    E(a, OP_OUT, 6, 0, 0);
    E(a, OP_OUT, 7, 0, 0);
    E(a, OP_MOV, 0, 6, 0);
    E(a, OP_HALT, 0, 0, 0);
}

#define TEXT_AT 0x3000u
static void prog_string_hash(Asm *a) {     /* FNV-1a and djb2 of a NUL-terminated text, 4 seeds */
    EI(a, OP_LI, 0, 0);                     /* combined */
    EI(a, OP_LI, 1, 0);                     /* seed */
    EI(a, OP_LI, 9, 16777619u);
    EI(a, OP_LI, 10, 5);
    EI(a, OP_LI, 11, 4);
    L(a, 1);
    EI(a, OP_LI, 2, TEXT_AT);
    EI(a, OP_LI, 3, 2166136261u);
    E(a, OP_XOR, 3, 3, 1);
    EI(a, OP_LI, 4, 5381);
    E(a, OP_ADD, 4, 4, 1);
    L(a, 2);
    E(a, OP_LDB, 5, 2, 0);
    EJ(a, OP_JZ, 5, 3);
    E(a, OP_XOR, 3, 3, 5);
    E(a, OP_MUL, 3, 3, 9);
    E(a, OP_SHL, 6, 4, 10);
    E(a, OP_ADD, 4, 6, 4);
    E(a, OP_ADD, 4, 4, 5);
    E(a, OP_ADDI, 2, 2, 1);
    EJ(a, OP_JMP, 0, 2);
    L(a, 3);
    E(a, OP_OUT, 3, 0, 0);
    E(a, OP_XOR, 0, 0, 3);
    E(a, OP_ADD, 0, 0, 4);
    E(a, OP_ADDI, 1, 1, 1);
    E(a, OP_LTU, 6, 1, 11);
    EJ(a, OP_JNZ, 6, 1);
    E(a, OP_OUT, 0, 0, 0);
    E(a, OP_HALT, 0, 0, 0);
}

static void prog_collatz(Asm *a) {         /* longest Collatz chain below 250, via a call */
    EI(a, OP_LI, 0, 0);                     /* best steps */
    EI(a, OP_LI, 1, 0);                     /* best n */
    EI(a, OP_LI, 2, 1);                     /* n */
    EI(a, OP_LI, 3, 250);
    EI(a, OP_LI, 6, 0);                     /* total steps */
    L(a, 1);
    E(a, OP_MOV, 7, 2, 0);
    EJ(a, OP_CALL, 7, 4);                   /* r7 = steps(r7); the callee's window is r7.. */
    E(a, OP_ADD, 6, 6, 7);
    E(a, OP_LTU, 5, 0, 7);
    EJ(a, OP_JZ, 5, 2);
    E(a, OP_MOV, 0, 7, 0);
    E(a, OP_MOV, 1, 2, 0);
    L(a, 2);
    E(a, OP_ADDI, 2, 2, 1);
    E(a, OP_LTU, 5, 2, 3);
    EJ(a, OP_JNZ, 5, 1);
    E(a, OP_OUT, 0, 0, 0);
    E(a, OP_OUT, 1, 0, 0);
    E(a, OP_OUT, 6, 0, 0);
    E(a, OP_HALT, 0, 0, 0);
    L(a, 4);                                /* steps: r0 = x -> r0 = count */
    EI(a, OP_LI, 1, 0);
    EI(a, OP_LI, 2, 1);
    EI(a, OP_LI, 3, 2);
    EI(a, OP_LI, 4, 3);
    L(a, 5);
    E(a, OP_EQ, 5, 0, 2);
    EJ(a, OP_JNZ, 5, 7);
    E(a, OP_AND, 5, 0, 2);
    EJ(a, OP_JZ, 5, 6);
    E(a, OP_MUL, 0, 0, 4);
    E(a, OP_ADDI, 0, 0, 1);
    E(a, OP_ADDI, 1, 1, 1);
    EJ(a, OP_JMP, 0, 5);
    L(a, 6);
    E(a, OP_DIVU, 0, 0, 3);
    E(a, OP_ADDI, 1, 1, 1);
    EJ(a, OP_JMP, 0, 5);
    L(a, 7);
    E(a, OP_MOV, 0, 1, 0);
    E(a, OP_RET, 0, 0, 0);
}

#define WORDS_AT 0x2000u
#define NWORDS 64u
static void prog_insertion_sort(Asm *a) {  /* sorts NWORDS signed words at WORDS_AT */
    EI(a, OP_LI, 0, WORDS_AT);
    EI(a, OP_LI, 1, 4);                     /* i (byte offset) */
    EI(a, OP_LI, 2, NWORDS * 4u);
    L(a, 1);
    E(a, OP_ADD, 3, 0, 1);
    E(a, OP_LDW, 4, 3, 0);                  /* key */
    L(a, 2);
    E(a, OP_EQ, 5, 3, 0);
    EJ(a, OP_JNZ, 5, 3);
    E(a, OP_LDW, 6, 3, (unsigned)-4);
    E(a, OP_LTS, 5, 4, 6);
    EJ(a, OP_JZ, 5, 3);
    E(a, OP_STW, 6, 3, 0);
    E(a, OP_ADDI, 3, 3, (unsigned)-4);
    EJ(a, OP_JMP, 0, 2);
    L(a, 3);
    E(a, OP_STW, 4, 3, 0);
    E(a, OP_ADDI, 1, 1, 4);
    E(a, OP_LTU, 5, 1, 2);
    EJ(a, OP_JNZ, 5, 1);
    EI(a, OP_LI, 1, 0);                     /* checksum: h = h * 31 + w */
    EI(a, OP_LI, 7, 0);
    EI(a, OP_LI, 8, 31);
    L(a, 4);
    E(a, OP_ADD, 3, 0, 1);
    E(a, OP_LDW, 4, 3, 0);
    E(a, OP_MUL, 7, 7, 8);
    E(a, OP_ADD, 7, 7, 4);
    E(a, OP_ADDI, 1, 1, 4);
    E(a, OP_LTU, 5, 1, 2);
    EJ(a, OP_JNZ, 5, 4);
    E(a, OP_LDW, 4, 0, 0);
    E(a, OP_OUT, 4, 0, 0);
    E(a, OP_OUT, 7, 0, 0);
    E(a, OP_HALT, 0, 0, 0);
}

static void fill_memory(uint8_t *mem) {
    static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
    memset(mem, 0, MEM_SIZE);
    uint32_t pos = TEXT_AT;
    while (pos < TEXT_AT + 900u) {
        const char *w = words[lcg() >> 29];
        size_t len = strlen(w);
        memcpy(mem + pos, w, len);
        pos += (uint32_t)len;
        mem[pos++] = (lcg() >> 28) == 0 ? '\n' : ' ';
    }
    mem[pos] = 0;
    for (uint32_t i = 0; i < NWORDS; i++) {
        uint32_t v = lcg() - 0x80000000u;
        uint8_t *p = mem + WORDS_AT + 4u * i;
        p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
    }
}

static uint32_t mem_checksum(const uint8_t *mem) {
    uint32_t a = 1, b = 0;
    for (uint32_t i = 0; i < MEM_SIZE; i++) {
        a = (a + mem[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return b << 16 | a;
}

static const char *const status_names[] = {"running", "halted", "fault-pc", "fault-op", "fault-stack", "fault-call", "fault-steps"};

int main(void) {
    static uint8_t mem_a[MEM_SIZE], mem_b[MEM_SIZE];
    static const struct { const char *name; void (*build)(Asm *); } progs[] = {
        {"fib-windows", prog_fib_windows}, {"fib-stack", prog_fib_stack},
        {"hash-loop", prog_hash_loop}, {"sieve", prog_sieve},
        {"string-hash", prog_string_hash}, {"collatz", prog_collatz},
        {"insertion-sort", prog_insertion_sort},
    };
    Asm *as = malloc(sizeof *as);
    if (!as) return 1;
    uint64_t total_steps = 0;
    uint32_t grand = 0;
    int mismatches = 0;
    for (size_t p = 0; p < sizeof progs / sizeof progs[0]; p++) {
        asm_init(as);
        progs[p].build(as);
        asm_finish(as);
        if (p == 0) {
            puts("listing of fib-windows:");
            disassemble(as, 64);
        }
        uint32_t seed = lcg_state;
        fill_memory(mem_a);
        lcg_state = seed;
        fill_memory(mem_b);
        RunResult r1, r2;
        run_switch(as->code, as->n, mem_a, &r1);
        run_table(as->code, as->n, mem_b, &r2);
        uint32_t ck1 = mem_checksum(mem_a), ck2 = mem_checksum(mem_b);
        int same = r1.status == r2.status && r1.steps == r2.steps && r1.result == r2.result &&
                   r1.nout == r2.nout && r1.outhash == r2.outhash && ck1 == ck2;
        printf("%-15s %-7s code=%3u steps=%8u result=%10u outs=%u outhash=%08x mem=%08x %s\n",
               progs[p].name, status_names[r1.status], (unsigned)as->n, (unsigned)r1.steps,
               (unsigned)r1.result, (unsigned)r1.nout, (unsigned)r1.outhash, (unsigned)ck1,
               same ? "agree" : "DISAGREE");
        for (uint32_t k = 0; k < r1.nout && k < 8; k++)
            printf("    out[%u] = %u (signed %d)\n", (unsigned)k, (unsigned)r1.outs[k], (int)(int32_t)r1.outs[k]);
        if (!same) mismatches++;
        total_steps += r1.steps + (uint64_t)r2.steps;
        grand = (grand * 1000003u) ^ r1.outhash ^ ck1 ^ (r1.steps << 7);
    }
    /* faults are part of the contract too: a bad opcode, a runaway stack, falling off the end */
    static const uint32_t bad1[] = {OP_LI | 1u << 8, 7u, 200u};
    static const uint32_t bad2[] = {OP_PUSH, OP_JMP, 0u};
    static const uint32_t bad3[] = {OP_LI, 5u, OP_ADDI | 0u << 8 | 0u << 16 | 0xffu << 24};
    static const uint32_t bad4[] = {OP_CALL | 15u << 8, 0u};
    const uint32_t *bads[] = {bad1, bad2, bad3, bad4};
    const uint32_t nbad[] = {3, 3, 3, 2};
    for (int k = 0; k < 4; k++) {
        RunResult r1, r2;
        run_switch(bads[k], nbad[k], mem_a, &r1);
        run_table(bads[k], nbad[k], mem_b, &r2);
        int same = r1.status == r2.status && r1.steps == r2.steps && r1.result == r2.result;
        printf("fault test %d: %s after %u steps, r0=%u %s\n", k, status_names[r1.status],
               (unsigned)r1.steps, (unsigned)r1.result, same ? "agree" : "DISAGREE");
        if (!same) mismatches++;
        grand = grand * 31u + r1.status * 7u + r1.steps;
    }
    printf("total steps %llu, checksum %08x, mismatches %d\n", (unsigned long long)total_steps,
           (unsigned)grand, mismatches);
    free(as);
    return mismatches != 0;
}
