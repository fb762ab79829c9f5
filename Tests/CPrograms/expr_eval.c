/*
 * expr_eval.c - Kiln parity test program: a recursive-descent expression language.
 *
 * Parses statements like `x = max(a, 3) * (b - 1) % 7; x << 2 ? y : -z` into
 * malloc'ed AST nodes, evaluates them by walking the tree with 64-bit wrapping
 * arithmetic (division by zero is a reported error, INT64_MIN / -1 wraps), folds
 * constants, prints trees back as text and re-parses them. Thousands of random
 * expressions from a fixed-seed LCG check that evaluation, folding and printing agree.
 * No signed overflow: arithmetic goes through uint64_t.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum NodeKind { N_NUM, N_VAR, N_UNARY, N_BINARY, N_COND, N_CALL, N_ASSIGN };
enum { F_MIN, F_MAX, F_ABS, F_GCD, F_POW, F_ISQRT, NFUNCS };
static const char *const func_names[NFUNCS] = {"min", "max", "abs", "gcd", "pow", "isqrt"};
static const int func_arity[NFUNCS] = {2, 2, 1, 2, 2, 1};

typedef struct Node {
    enum NodeKind kind;
    union {
        int64_t value;                          /* N_NUM */
        int var;                                /* N_VAR, N_ASSIGN */
        struct { char op[3]; } o;               /* N_UNARY, N_BINARY */
        struct { uint8_t fn, nargs; } call;     /* N_CALL */
    } u;
    struct Node *kid[3];
} Node;

static uint64_t live_nodes, total_nodes;

static Node *new_node(enum NodeKind kind) {
    Node *n = calloc(1, sizeof *n);
    if (!n) { puts("out of memory"); exit(1); }
    n->kind = kind;
    live_nodes++;
    total_nodes++;
    return n;
}
static void free_tree(Node *n) {
    if (!n) return;
    for (int i = 0; i < 3; i++) free_tree(n->kid[i]);
    free(n);
    live_nodes--;
}

/* -------------------------------------------------------------- variables */

static char var_names[32][16];
static int nvars;

static int var_index(const char *name, size_t len) {
    for (int i = 0; i < nvars; i++)
        if (strlen(var_names[i]) == len && memcmp(var_names[i], name, len) == 0) return i;
    if (nvars == 32 || len >= 16) return -1;
    memcpy(var_names[nvars], name, len);
    var_names[nvars][len] = 0;
    return nvars++;
}

/* ----------------------------------------------------------------- parser */

typedef struct {
    const char *src, *p;
    char error[96];
} Parser;

static void skip_ws(Parser *ps) { while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n') ps->p++; }

static int accept(Parser *ps, const char *tok) {
    skip_ws(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n) != 0) return 0;
    /* "<" must not take the first half of "<<" or "<=", nor "!" of "!=", and so on */
    if (n == 1 && strchr("<>=!&|", tok[0]) && ps->p[1] && strchr("<>=&|", ps->p[1]) &&
        !(tok[0] == '=' && ps->p[1] != '=') && !(tok[0] == '!' && ps->p[1] != '='))
        return 0;
    ps->p += n;
    return 1;
}

static Node *fail(Parser *ps, const char *what) {
    if (!ps->error[0]) {
        skip_ws(ps);
        snprintf(ps->error, sizeof ps->error, "%s at offset %d near '%.6s'", what, (int)(ps->p - ps->src), ps->p);
    }
    return NULL;
}

static Node *parse_expr(Parser *ps);

static Node *binary(const char *op, Node *a, Node *b) {
    Node *n = new_node(N_BINARY);
    strcpy(n->u.o.op, op);
    n->kid[0] = a;
    n->kid[1] = b;
    return n;
}

static Node *parse_primary(Parser *ps) {
    skip_ws(ps);
    const char *p = ps->p;
    if (*p >= '0' && *p <= '9') {
        uint64_t v = 0;
        while (*p >= '0' && *p <= '9') v = v * 10u + (uint64_t)(*p++ - '0');
        ps->p = p;
        Node *n = new_node(N_NUM);
        n->u.value = (int64_t)v;
        return n;
    }
    if ((*p >= 'a' && *p <= 'z') || *p == '_') {
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') p++;
        size_t len = (size_t)(p - ps->p);
        const char *name = ps->p;
        ps->p = p;
        if (accept(ps, "(")) {
            int fn = -1;
            for (int f = 0; f < NFUNCS; f++)
                if (strlen(func_names[f]) == len && memcmp(func_names[f], name, len) == 0) fn = f;
            if (fn < 0) return fail(ps, "unknown function");
            Node *n = new_node(N_CALL);
            n->u.call.fn = (uint8_t)fn;
            do {
                if (n->u.call.nargs == 3 || !(n->kid[n->u.call.nargs] = parse_expr(ps))) { free_tree(n); return fail(ps, "bad argument"); }
                n->u.call.nargs++;
            } while (accept(ps, ","));
            if (!accept(ps, ")") || n->u.call.nargs != func_arity[fn]) { free_tree(n); return fail(ps, "bad call"); }
            return n;
        }
        int v = var_index(name, len);
        if (v < 0) return fail(ps, "too many variables");
        Node *n = new_node(N_VAR);
        n->u.var = v;
        return n;
    }
    if (accept(ps, "(")) {
        Node *e = parse_expr(ps);
        if (e && !accept(ps, ")")) { free_tree(e); return fail(ps, "expected ')'"); }
        return e;
    }
    return fail(ps, "expected a value");
}

static Node *parse_unary(Parser *ps) {
    static const char *const ops[] = {"-", "!", "~"};
    for (int k = 0; k < 3; k++) {
        if (accept(ps, ops[k])) {
            Node *a = parse_unary(ps);
            if (!a) return NULL;
            Node *n = new_node(N_UNARY);
            strcpy(n->u.o.op, ops[k]);
            n->kid[0] = a;
            return n;
        }
    }
    return parse_primary(ps);
}

/* binary levels, loosest first; each is left-associative */
static const char *const levels[][7] = {
    {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
};
enum { NLEVELS = sizeof levels / sizeof levels[0] };

static Node *parse_level(Parser *ps, int level) {
    if (level == NLEVELS) return parse_unary(ps);
    Node *left = parse_level(ps, level + 1);
    while (left) {
        const char *op = NULL;
        for (int k = 0; k < 7 && levels[level][k]; k++)
            if (accept(ps, levels[level][k])) { op = levels[level][k]; break; }
        if (!op) break;
        Node *right = parse_level(ps, level + 1);
        if (!right) { free_tree(left); return NULL; }
        left = binary(op, left, right);
    }
    return left;
}

static Node *parse_expr(Parser *ps) {
    Node *c = parse_level(ps, 0);
    if (!c || !accept(ps, "?")) return c;
    Node *n = new_node(N_COND);
    n->kid[0] = c;
    if (!(n->kid[1] = parse_expr(ps)) || !accept(ps, ":") || !(n->kid[2] = parse_expr(ps))) {
        free_tree(n);
        return fail(ps, "bad conditional");
    }
    return n;
}

static Node *parse_statement(Parser *ps) {
    skip_ws(ps);
    const char *save = ps->p;
    const char *p = ps->p;
    while ((*p >= 'a' && *p <= 'z') || *p == '_' || (p > save && *p >= '0' && *p <= '9')) p++;
    if (p > save) {
        ps->p = p;
        if (accept(ps, "=")) {
            int v = var_index(save, (size_t)(p - save));
            Node *e = v < 0 ? fail(ps, "too many variables") : parse_expr(ps);
            if (!e) return NULL;
            Node *n = new_node(N_ASSIGN);
            n->u.var = v;
            n->kid[0] = e;
            return n;
        }
        ps->p = save;
    }
    return parse_expr(ps);
}

/* ------------------------------------------------------------- evaluator */

typedef struct {
    int64_t vars[32];
    int error;
    uint64_t steps;
} Env;

static int64_t wrap(uint64_t v) { return (int64_t)v; }

static uint64_t gcd_u(uint64_t a, uint64_t b) { return b ? gcd_u(b, a % b) : a; }
static uint64_t magnitude(int64_t v) { return v < 0 ? 0u - (uint64_t)v : (uint64_t)v; }

static int64_t apply_binary(const char *op, int64_t a, int64_t b, int *error) {
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    switch (op[0]) {
    case '+': return wrap(ua + ub);
    case '-': return wrap(ua - ub);
    case '*': return wrap(ua * ub);
    case '/':
    case '%':
        if (b == 0) { *error = 1; return 0; }
        if (a == INT64_MIN && b == -1) return op[0] == '/' ? INT64_MIN : 0;
        return op[0] == '/' ? a / b : a % b;
    case '<':
        if (op[1] == '<') return wrap(ua << (ub & 63u));
        return op[1] == '=' ? a <= b : a < b;
    case '>':
        if (op[1] == '>') {   /* arithmetic shift, spelled out */
            unsigned s = (unsigned)(ub & 63u);
            return a < 0 ? wrap(~(~ua >> s)) : wrap(ua >> s);
        }
        return op[1] == '=' ? a >= b : a > b;
    case '=': return a == b;
    case '!': return a != b;
    case '&': return a && b;
    case '|': return a || b;
    }
    *error = 2;
    return 0;
}

static int64_t apply_call(int fn, const int64_t *x, int *error) {
    switch (fn) {
    case F_MIN: return x[0] < x[1] ? x[0] : x[1];
    case F_MAX: return x[0] > x[1] ? x[0] : x[1];
    case F_ABS: return wrap(magnitude(x[0]));
    case F_GCD: return wrap(gcd_u(magnitude(x[0]), magnitude(x[1])));
    case F_POW: {
        if (x[1] < 0) return 0;
        uint64_t base = (uint64_t)x[0], r = 1;
        for (uint64_t e = (uint64_t)x[1]; e; e >>= 1) {
            if (e & 1u) r *= base;
            base *= base;
        }
        return wrap(r);
    }
    case F_ISQRT: {
        if (x[0] < 0) { *error = 3; return 0; }
        uint64_t v = (uint64_t)x[0], r = v, y = (r + 1) / 2;
        while (y < r) { r = y; y = (r + v / r) / 2; }
        return wrap(r);
    }
    }
    *error = 2;
    return 0;
}

static int64_t eval(const Node *n, Env *env) {
    env->steps++;
    if (env->error) return 0;
    switch (n->kind) {
    case N_NUM: return n->u.value;
    case N_VAR: return env->vars[n->u.var];
    case N_ASSIGN: return env->vars[n->u.var] = eval(n->kid[0], env);
    case N_UNARY: {
        int64_t a = eval(n->kid[0], env);
        return n->u.o.op[0] == '-' ? wrap(0u - (uint64_t)a) : n->u.o.op[0] == '!' ? !a : ~a;
    }
    case N_BINARY: {
        int64_t a = eval(n->kid[0], env);
        if (n->u.o.op[0] == '&' && !a) return 0;   /* short circuit */
        if (n->u.o.op[0] == '|' && a) return 1;
        return apply_binary(n->u.o.op, a, eval(n->kid[1], env), &env->error);
    }
    case N_COND: return eval(n->kid[0], env) ? eval(n->kid[1], env) : eval(n->kid[2], env);
    case N_CALL: {
        int64_t x[3] = {0, 0, 0};
        for (int i = 0; i < n->u.call.nargs; i++) x[i] = eval(n->kid[i], env);
        return apply_call(n->u.call.fn, x, &env->error);
    }
    }
    return 0;
}

/* constant folding, in place; never folds an operation that would be an error */
static Node *fold(Node *n, uint64_t *folds) {
    for (int i = 0; i < 3; i++)
        if (n->kid[i]) n->kid[i] = fold(n->kid[i], folds);
    int allconst = n->kind != N_NUM && n->kind != N_VAR && n->kind != N_ASSIGN;
    for (int i = 0; i < 3; i++)
        if (n->kid[i] && n->kid[i]->kind != N_NUM) allconst = 0;
    if (n->kind == N_COND && n->kid[0]->kind == N_NUM) {   /* pick a branch */
        int k = n->kid[0]->u.value ? 1 : 2;
        Node *keep = n->kid[k];
        n->kid[k] = NULL;
        free_tree(n);
        (*folds)++;
        return keep;
    }
    if (!allconst) return n;
    Env env = {{0}, 0, 0};
    int64_t v = eval(n, &env);
    if (env.error) return n;
    for (int i = 0; i < 3; i++) { free_tree(n->kid[i]); n->kid[i] = NULL; }
    n->kind = N_NUM;
    n->u.value = v;
    (*folds)++;
    return n;
}

static size_t print_tree(const Node *n, char *buf, size_t cap) {
    size_t len = 0;
#define OUT(...) (len += (size_t)snprintf(buf + (len < cap ? len : cap), len < cap ? cap - len : 0, __VA_ARGS__))
    switch (n->kind) {
    case N_NUM:
        if (n->u.value < 0) OUT("(-%llu)", (unsigned long long)magnitude(n->u.value));
        else OUT("%lld", (long long)n->u.value);
        break;
    case N_VAR: OUT("%s", var_names[n->u.var]); break;
    case N_ASSIGN: OUT("%s = ", var_names[n->u.var]); len += print_tree(n->kid[0], buf + (len < cap ? len : cap), len < cap ? cap - len : 0); break;
    case N_UNARY:
    case N_BINARY:
    case N_COND:
    case N_CALL:
        OUT(n->kind == N_CALL ? "%s(" : "(", n->kind == N_CALL ? func_names[n->u.call.fn] : "");
        if (n->kind == N_UNARY) OUT("%s", n->u.o.op);
        for (int i = 0; i < 3 && n->kid[i]; i++) {
            if (i > 0) OUT(n->kind == N_CALL ? ", " : n->kind == N_COND ? (i == 1 ? " ? " : " : ") : " %s ", n->u.o.op);
            len += print_tree(n->kid[i], buf + (len < cap ? len : cap), len < cap ? cap - len : 0);
        }
        OUT(")");
        break;
    }
#undef OUT
    return len;
}

/* ------------------------------------------------------- random programs */

static uint32_t lcg_state = 31337u;
static uint32_t rnd(uint32_t n) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (lcg_state >> 8) % n;
}

static void gen_expr(char *buf, size_t *len, size_t cap, int depth) {
    static const char *const ops[] = {"+", "-", "*", "/", "%", "<<", ">>", "<", "<=", "==", "!=", "&&", "||", ">", ">="};
#define PUT(...) (*len += (size_t)snprintf(buf + *len, cap - *len, __VA_ARGS__))
    if (*len + 64 > cap) { PUT("1"); return; }
    uint32_t r = depth <= 0 ? rnd(3) : rnd(12);
    switch (r) {
    case 0: PUT("%u", rnd(8) == 0 ? rnd(4000000000u) : rnd(100)); break;
    case 1: case 2: PUT("%c", "abcde"[rnd(5)]); break;
    case 3: PUT("-"); gen_expr(buf, len, cap, depth - 1); break;
    case 4: PUT("("); gen_expr(buf, len, cap, depth - 1); PUT(") ? "); gen_expr(buf, len, cap, depth - 1);
        PUT(" : "); gen_expr(buf, len, cap, depth - 1); break;
    case 5: {
        int f = (int)rnd(NFUNCS);
        PUT("%s(", func_names[f]);
        gen_expr(buf, len, cap, depth - 1);
        if (func_arity[f] == 2) { PUT(", "); gen_expr(buf, len, cap, depth - 1); }
        PUT(")");
        break;
    }
    default:
        PUT("(");
        gen_expr(buf, len, cap, depth - 1);
        {   /* two calls in one argument list would run in an unspecified order */
            int spaced = (int)rnd(2);
            PUT(spaced ? " %s " : "%s", ops[rnd(15)]);
        }
        gen_expr(buf, len, cap, depth - 1);
        PUT(")");
        break;
    }
#undef PUT
}

int main(void) {
    static const char *const programs[] = {
        "1 + 2 * 3", "(1 + 2) * 3", "7 / 2", "-7 / 2", "-7 % 3", "1 << 62 << 1", "-16 >> 2", "~5 * 3 || 0", "7 & 3",
        "x = 10", "y = x * x - 1", "x < y ? y / x : 0", "gcd(1071, 462) + pow(3, 40)", "isqrt(1000000007)",
        "abs(-9223372036854775807 - 1)", "9223372036854775807 + 1", "(0 - 9223372036854775807 - 1) / -1",
        "max(min(x, 3), -4) == 3 && !(x != 10)", "1 / (x - 10)", "isqrt(-1)", "2 +", "foo(1)", "(1 + 2",
        "z = 3 ? 4 : 5 ? 6 : 7", "a_1 = z << 60 >> 59",
    };
    Env env;
    memset(&env, 0, sizeof env);
    uint64_t check = 0;
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        Parser ps = {programs[i], programs[i], {0}};
        Node *n = parse_statement(&ps);
        if (n && (skip_ws(&ps), *ps.p)) { free_tree(n); n = fail(&ps, "trailing input"); }
        if (!n) { printf("%-42s => error: %s\n", programs[i], ps.error); continue; }
        env.error = 0;
        int64_t v = eval(n, &env);
        char text[256];
        print_tree(n, text, sizeof text);
        if (env.error) printf("%-42s => runtime error %d   [%s]\n", programs[i], env.error, text);
        else printf("%-42s => %lld   [%s]\n", programs[i], (long long)v, text);
        check = check * 31u + (uint64_t)v + (uint64_t)env.error;
        free_tree(n);
    }

    /* random expressions: evaluate, fold, print, re-parse; all must agree */
    char src[1024], text1[4096], text2[4096];
    uint64_t folds = 0, errors = 0, mismatches = 0, parse_failures = 0, src_bytes = 0;
    for (int i = 0; i < 200; i++) {
        size_t len = 0;
        gen_expr(src, &len, sizeof src, 2 + (int)rnd(5));
        src_bytes += len;
        Parser ps = {src, src, {0}};
        Node *n = parse_expr(&ps);
        if (!n) { parse_failures++; if (parse_failures < 4) printf("parse failure: %s in %s\n", ps.error, src); continue; }
        Env e;
        memset(&e, 0, sizeof e);
        for (int k = 0; k < 5; k++) e.vars[var_index(&"abcde"[k], 1)] = (int64_t)rnd(2001) - 1000 + (k == 4 ? INT64_MIN / 3 : 0);
        Env e2 = e, e3 = e;
        int64_t v1 = eval(n, &e);
        print_tree(n, text1, sizeof text1);
        Parser ps2 = {text1, text1, {0}};
        Node *n2 = parse_expr(&ps2);
        if (!n2) { mismatches++; free_tree(n); continue; }
        print_tree(n2, text2, sizeof text2);
        int64_t v2 = eval(n2, &e2);
        n2 = fold(n2, &folds);
        int64_t v3 = eval(n2, &e3);
        if (strcmp(text1, text2) != 0 || e.error != e2.error || (!e.error && (v1 != v2 || v1 != v3))) {
            mismatches++;
            if (mismatches < 4) printf("MISMATCH %s: %lld %lld %lld\n", src, (long long)v1, (long long)v2, (long long)v3);
        }
        if (e.error) errors++;
        else check = (check ^ (uint64_t)v1) * 1099511628211u;
        if (i < 5) printf("sample %d: %s\n  => %s = %lld%s\n", i, src, text1, (long long)v1, e.error ? " (error)" : "");
        free_tree(n);
        free_tree(n2);
    }
    printf("random: %llu source bytes, %llu runtime errors, %llu folds, %llu nodes allocated, %llu live, %llu mismatches, %llu parse failures\n",
           (unsigned long long)src_bytes, (unsigned long long)errors, (unsigned long long)folds,
           (unsigned long long)total_nodes, (unsigned long long)live_nodes, (unsigned long long)mismatches,
           (unsigned long long)parse_failures);
    printf("checksum %016llx\n", (unsigned long long)check);
    return mismatches != 0 || live_nodes != 0;
}
