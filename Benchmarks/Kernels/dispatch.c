// dispatch: indirect calls through a table of function pointers.
//
// What it exercises: call_indirect (table bounds check, signature check, the call
// itself) on small leaf functions, as in virtual-method or callback-heavy code.
//
// Entry:        long long run(int calls) -> final accumulator
// default size: 150000000 (indirect calls)
//
// The table index repeats with a period of 8 taken from run-time data: the CPU's
// indirect-branch predictor can learn it, so the measurement is dominated by the
// engine's call_indirect sequence rather than by mispredictions, yet the compiler
// cannot resolve the targets statically and turn the calls into direct ones.

typedef unsigned int (*operation)(unsigned int acc, unsigned int x);

static unsigned int op_add(unsigned int acc, unsigned int x)    { return acc + x; }
static unsigned int op_sub(unsigned int acc, unsigned int x)    { return acc - x; }
static unsigned int op_xor(unsigned int acc, unsigned int x)    { return acc ^ x; }
static unsigned int op_mul(unsigned int acc, unsigned int x)    { return acc * (x | 1); }
static unsigned int op_rotl(unsigned int acc, unsigned int x)   { return (acc << (x & 31)) | (acc >> ((32 - (x & 31)) & 31)); }
static unsigned int op_rotr(unsigned int acc, unsigned int x)   { return (acc >> (x & 31)) | (acc << ((32 - (x & 31)) & 31)); }
static unsigned int op_min(unsigned int acc, unsigned int x)    { return acc < x ? acc + 1 : x ^ acc; }
static unsigned int op_max(unsigned int acc, unsigned int x)    { return acc > x ? acc - 1 : x + acc; }
static unsigned int op_and(unsigned int acc, unsigned int x)    { return (acc & x) + 0x9e3779b9u; }
static unsigned int op_or(unsigned int acc, unsigned int x)     { return (acc | x) - 0x7f4a7c15u; }
static unsigned int op_shift(unsigned int acc, unsigned int x)  { return acc ^ (x >> 7) ^ (acc << 9); }
static unsigned int op_mix(unsigned int acc, unsigned int x)    { return (acc ^ (acc >> 16)) * 0x45d9f3bu + x; }
static unsigned int op_neg(unsigned int acc, unsigned int x)    { return ~acc + (x & 0xff); }
static unsigned int op_square(unsigned int acc, unsigned int x) { return acc * acc + x; }
static unsigned int op_div(unsigned int acc, unsigned int x)    { return acc / ((x & 0xffff) | 1) + x; }
static unsigned int op_swap(unsigned int acc, unsigned int x)   { return (acc << 16) | (acc >> 16) | (x & 1); }

static operation const table[16] = {
    op_add, op_sub, op_xor, op_mul, op_rotl, op_rotr, op_min, op_max,
    op_and, op_or, op_shift, op_mix, op_neg, op_square, op_div, op_swap,
};

long long run(int calls) {
    // Eight 4-bit table indices packed into one word, derived from the argument so
    // that no compiler can know them.
    unsigned int pattern = (unsigned int)calls * 2654435761u;
    unsigned int x = 1, acc = 0;
    for (int i = 0; i < calls; i++) {
        x = x * 1664525u + 1013904223u;
        unsigned int index = (pattern >> ((i & 7) * 4)) & 15;
        acc = table[index](acc, x);
    }
    return acc;
}
