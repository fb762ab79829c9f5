// interp: a small stack-machine bytecode interpreter.
//
// What it exercises: the dispatch loop of an interpreter. The `switch` over opcodes
// is dense, so clang lowers it to a jump table, which becomes a wasm br_table: this
// kernel measures how well an engine compiles br_table plus the many short,
// branchy blocks around it, and loads/stores to a stack in linear memory.
//
// Entry:        long long run(int iterations) -> value left by the bytecode program
// default size: 12000000 (iterations of the bytecode loop, ~25 dispatches each)

enum opcode {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_DUP, OP_DROP, OP_SWAP,
    OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
    OP_LT, OP_EQ, OP_DEC, OP_JMP, OP_JZ, OP_JNZ,
};

#define LOCALS 4
#define STACK_DEPTH 32

static int code[128];
static int code_length;

static void emit(int op) {
    code[code_length++] = op;
}

static void emit_arg(int op, int arg) {
    code[code_length++] = op;
    code[code_length++] = arg;
}

// Emits a jump with a placeholder target and returns where to patch it.
static int emit_jump(int op) {
    emit_arg(op, -1);
    return code_length - 1;
}

// The program is assembled at run time (it is tiny) so jump targets are computed
// rather than hand-counted. Locals: 0 = loop counter, 1 = LCG state, 2 = accumulator.
static void assemble(void) {
    code_length = 0;
    int loop = code_length;
    // x = x * 1103515245 + 12345, keeping a copy on the stack.
    emit_arg(OP_LOAD, 1);
    emit_arg(OP_PUSH, 1103515245);
    emit(OP_MUL);
    emit_arg(OP_PUSH, 12345);
    emit(OP_ADD);
    emit(OP_DUP);
    emit_arg(OP_STORE, 1);
    // Branch on bit 16 of x: roughly half the iterations take each arm.
    emit_arg(OP_PUSH, 16);
    emit(OP_SHR);
    emit_arg(OP_PUSH, 1);
    emit(OP_AND);
    int to_else = emit_jump(OP_JZ);
    // then: acc = acc + (x >> 8)
    emit_arg(OP_LOAD, 2);
    emit_arg(OP_LOAD, 1);
    emit_arg(OP_PUSH, 8);
    emit(OP_SHR);
    emit(OP_ADD);
    emit_arg(OP_STORE, 2);
    int to_next = emit_jump(OP_JMP);
    // else: acc = ((acc << 3) | (acc < x)) - (acc ^ x)
    code[to_else] = code_length;
    emit_arg(OP_LOAD, 2);
    emit_arg(OP_PUSH, 3);
    emit(OP_SHL);
    emit_arg(OP_LOAD, 2);
    emit_arg(OP_LOAD, 1);
    emit(OP_LT);
    emit(OP_OR);
    emit_arg(OP_LOAD, 2);
    emit_arg(OP_LOAD, 1);
    emit(OP_XOR);
    emit(OP_SUB);
    emit_arg(OP_STORE, 2);
    // next: if (--counter != 0) goto loop
    code[to_next] = code_length;
    emit_arg(OP_LOAD, 0);
    emit(OP_DEC);
    emit(OP_DUP);
    emit_arg(OP_STORE, 0);
    emit_arg(OP_JNZ, loop);
    emit_arg(OP_LOAD, 2);
    emit(OP_HALT);
}

static unsigned int interpret(const int *program, unsigned int *locals) {
    unsigned int stack[STACK_DEPTH];
    int sp = 0;
    int pc = 0;
    unsigned int a, b;
    for (;;) {
        switch (program[pc++]) {
        case OP_HALT:  return stack[sp - 1];
        case OP_PUSH:  stack[sp++] = (unsigned int)program[pc++]; break;
        case OP_LOAD:  stack[sp++] = locals[program[pc++]]; break;
        case OP_STORE: locals[program[pc++]] = stack[--sp]; break;
        case OP_DUP:   stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP:  sp--; break;
        case OP_SWAP:  a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
        case OP_ADD:   b = stack[--sp]; stack[sp - 1] += b; break;
        case OP_SUB:   b = stack[--sp]; stack[sp - 1] -= b; break;
        case OP_MUL:   b = stack[--sp]; stack[sp - 1] *= b; break;
        case OP_AND:   b = stack[--sp]; stack[sp - 1] &= b; break;
        case OP_OR:    b = stack[--sp]; stack[sp - 1] |= b; break;
        case OP_XOR:   b = stack[--sp]; stack[sp - 1] ^= b; break;
        case OP_SHL:   b = stack[--sp]; stack[sp - 1] <<= (b & 31); break;
        case OP_SHR:   b = stack[--sp]; stack[sp - 1] >>= (b & 31); break;
        case OP_LT:    b = stack[--sp]; stack[sp - 1] = stack[sp - 1] < b; break;
        case OP_EQ:    b = stack[--sp]; stack[sp - 1] = stack[sp - 1] == b; break;
        case OP_DEC:   stack[sp - 1] -= 1; break;
        case OP_JMP:   pc = program[pc]; break;
        case OP_JZ:    pc = stack[--sp] == 0 ? program[pc] : pc + 1; break;
        case OP_JNZ:   pc = stack[--sp] != 0 ? program[pc] : pc + 1; break;
        // An unknown opcode means the program is corrupt; a recognisable value beats a hang.
        default:       return 0xdeadbeefu;
        }
    }
}

long long run(int iterations) {
    if (iterations < 1)
        return 0;
    assemble();
    unsigned int locals[LOCALS] = { (unsigned int)iterations, 1, 0, 0 };
    return interpret(code, locals);
}
