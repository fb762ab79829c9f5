/*
 * strings.c - Kiln parity test program: string processing.
 *
 * A tokenizer for a C-like language, a backtracking regular-expression matcher
 * (literals, '.', '*', '+', '?', '^', '$', classes, escapes), word frequencies with a
 * sorted table, reversal and case folding, an snprintf-heavy report, and base64
 * encoding and decoding. Inputs are built in or generated with a fixed-seed LCG;
 * everything printed must be the same natively and in wasm. Floating point is only
 * formatted from values computed with + - * / (correctly rounded in both libcs).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t lcg_state = 99991u;
static uint32_t lcg(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;
}

static uint32_t hash_str(uint32_t h, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int to_lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }
static int to_upper(int c) { return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c; }

/* -------------------------------------------------------------- tokenizer */

enum Kind { T_IDENT, T_KEYWORD, T_NUMBER, T_STRING, T_CHAR, T_OP, T_PUNCT, T_ERROR, T_EOF, NKINDS };
static const char *const kind_names[NKINDS] = {"ident", "keyword", "number", "string", "char", "op", "punct", "error", "eof"};

typedef struct {
    enum Kind kind;
    const char *start;
    int len;
    uint64_t value;   /* numbers, and the decoded string/char bytes' hash */
} Token;

static const char *const keywords[] = {"int", "char", "return", "if", "else", "while", "for", "struct", "unsigned", "static"};

static int escape(const char **p) {   /* after a backslash; advances *p */
    char c = *(*p)++;
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case '0': return 0;
    case 'x': {
        int v = 0;
        for (int k = 0; k < 2 && ((**p >= '0' && **p <= '9') || (to_lower(**p) >= 'a' && to_lower(**p) <= 'f')); k++, (*p)++)
            v = v * 16 + (is_digit(**p) ? **p - '0' : to_lower(**p) - 'a' + 10);
        return v;
    }
    default: return (unsigned char)c;
    }
}

static Token next_token(const char **cursor) {
    const char *p = *cursor;
    Token t = {T_EOF, p, 0, 0};
    for (;;) {   /* whitespace and comments */
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++;
        if (p[0] == '/' && p[1] == '/') { while (*p && *p != '\n') p++; continue; }
        if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
            continue;
        }
        break;
    }
    t.start = p;
    if (!*p) { *cursor = p; return t; }
    if (is_alpha(*p)) {
        while (is_alpha(*p) || is_digit(*p)) p++;
        t.kind = T_IDENT;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k]) == (size_t)(p - t.start) && strncmp(keywords[k], t.start, (size_t)(p - t.start)) == 0)
                t.kind = T_KEYWORD;
    } else if (is_digit(*p)) {
        t.kind = T_NUMBER;
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
            p += 2;
            while (is_digit(*p) || (to_lower(*p) >= 'a' && to_lower(*p) <= 'f')) {
                t.value = t.value * 16u + (uint64_t)(is_digit(*p) ? *p - '0' : to_lower(*p) - 'a' + 10);
                p++;
            }
        } else {
            while (is_digit(*p)) t.value = t.value * 10u + (uint64_t)(*p++ - '0');
        }
        while (*p == 'u' || *p == 'U' || *p == 'l' || *p == 'L') p++;
    } else if (*p == '"' || *p == '\'') {
        char quote = *p++;
        uint32_t h = 2166136261u;
        while (*p && *p != quote && *p != '\n') {
            int c = *p == '\\' ? (p++, escape(&p)) : (unsigned char)*p++;
            h = (h ^ (uint32_t)c) * 16777619u;
        }
        if (*p == quote) { p++; t.kind = quote == '"' ? T_STRING : T_CHAR; }
        else t.kind = T_ERROR;
        t.value = h;
    } else {
        static const char *const ops[] = {"<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
                                          "||", "+=", "-=", "*=", "/=", "+", "-", "*", "/", "%", "<", ">", "=",
                                          "!", "&", "|", "^", "~", "?", ":"};
        t.kind = T_PUNCT;
        for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
            size_t n = strlen(ops[k]);
            if (strncmp(p, ops[k], n) == 0) { t.kind = T_OP; p += n; break; }
        }
        if (t.kind == T_PUNCT) {
            if (strchr("(){}[];,.", *p)) p++;
            else { t.kind = T_ERROR; p++; }
        }
    }
    t.len = (int)(p - t.start);
    *cursor = p;
    return t;
}

static const char sample_source[] =
    "/* sample */ static unsigned int hash(const char *s, int n) {\n"
    "    unsigned int h = 0x811c9dc5u; // FNV\n"
    "    for (int i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619; }\n"
    "    if (h >= 100 && h != 0xFFFF || !n) return h << 3 >> 1;\n"
    "    char c = '\\n', d = '\\x41'; struct point *p = &q; p->x += c ? d : 'z';\n"
    "    return \"tab\\there\\\"quoted\\\"\" [0] % 7; @ $\n"
    "}\n";

static uint32_t tokenize_report(const char *src, int show) {
    int counts[NKINDS] = {0};
    uint32_t h = 0;
    uint64_t numsum = 0;
    const char *cur = src;
    for (int n = 0;; n++) {
        Token t = next_token(&cur);
        counts[t.kind]++;
        if (show && n < 30)
            printf("  %-7s %-.*s%s\n", kind_names[t.kind], t.len > 20 ? 20 : t.len, t.start, t.len > 20 ? "..." : "");
        h = hash_str(h * 31u + t.kind, t.start, (size_t)t.len);
        if (t.kind == T_NUMBER || t.kind == T_STRING || t.kind == T_CHAR) numsum += t.value;
        if (t.kind == T_EOF) break;
    }
    printf("  counts:");
    for (int k = 0; k < NKINDS; k++) printf(" %s=%d", kind_names[k], counts[k]);
    printf("\n  token hash %08x, literal sum %llu\n", (unsigned)h, (unsigned long long)numsum);
    return h;
}

/* ------------------------------------------------------------------ regex */

typedef struct {
    uint8_t set[32];   /* the bytes one atom matches */
    char quant;        /* 0, '*', '+' or '?' */
} Atom;

typedef struct {
    Atom atoms[32];
    int n, anchored_start, anchored_end;
} Regex;

static void set_bit(uint8_t *s, int c) { s[(unsigned char)c >> 3] |= (uint8_t)(1u << (c & 7)); }
static int has_bit(const uint8_t *s, int c) { return (s[(unsigned char)c >> 3] >> (c & 7)) & 1; }

static int re_compile(Regex *re, const char *pat) {
    memset(re, 0, sizeof *re);
    if (*pat == '^') { re->anchored_start = 1; pat++; }
    while (*pat) {
        if (pat[0] == '$' && pat[1] == 0) { re->anchored_end = 1; break; }
        if (re->n == 32) return -1;
        Atom *a = &re->atoms[re->n++];
        if (*pat == '.') {
            memset(a->set, 0xff, sizeof a->set);
            a->set[0] &= (uint8_t)~1u;   /* never NUL */
            pat++;
        } else if (*pat == '[') {
            int negate = *++pat == '^';
            if (negate) pat++;
            int first = 1;
            while (*pat && (*pat != ']' || first)) {
                int lo = (unsigned char)*pat++;
                if (*pat == '-' && pat[1] && pat[1] != ']') {
                    int hi = (unsigned char)pat[1];
                    for (int c = lo; c <= hi; c++) set_bit(a->set, c);
                    pat += 2;
                } else set_bit(a->set, lo);
                first = 0;
            }
            if (*pat != ']') return -2;
            pat++;
            if (negate) {
                for (int k = 0; k < 32; k++) a->set[k] = (uint8_t)~a->set[k];
                a->set[0] &= (uint8_t)~1u;
            }
        } else {
            if (*pat == '\\' && pat[1]) pat++;
            set_bit(a->set, *pat++);
        }
        if (*pat == '*' || *pat == '+' || *pat == '?') a->quant = *pat++;
    }
    return 0;
}

static uint64_t re_steps;

/* length of the longest match of atoms[i..] at s, or -1 (greedy, backtracking) */
static int match_here(const Regex *re, int i, const char *s) {
    re_steps++;
    if (i == re->n) return re->anchored_end && *s ? -1 : 0;
    const Atom *a = &re->atoms[i];
    if (a->quant == 0) {
        if (*s && has_bit(a->set, *s)) {
            int r = match_here(re, i + 1, s + 1);
            return r < 0 ? -1 : r + 1;
        }
        return -1;
    }
    int min = a->quant == '+', max = a->quant == '?' ? 1 : 1 << 30, n = 0;
    while (n < max && s[n] && has_bit(a->set, s[n])) n++;
    for (; n >= min; n--) {
        int r = match_here(re, i + 1, s + n);
        if (r >= 0) return r + n;
    }
    return -1;
}

/* leftmost match: returns its start offset or -1, and its length */
static int re_search(const Regex *re, const char *text, int *len) {
    for (const char *s = text;; s++) {
        int r = match_here(re, 0, s);
        if (r >= 0) { *len = r; return (int)(s - text); }
        if (re->anchored_start || !*s) return -1;
    }
}

/* --------------------------------------------------------------- base64 */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_encode(const uint8_t *in, size_t n, char *out) {
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64[v >> 18]; out[o++] = b64[v >> 12 & 63]; out[o++] = b64[v >> 6 & 63]; out[o++] = b64[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
        out[o++] = b64[v >> 18];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
        out[o++] = '=';
    }
    out[o] = 0;
    return o;
}

static long b64_decode(const char *in, uint8_t *out) {   /* bytes written, or -1 */
    static int8_t rev[256];
    if (!rev['B']) {
        memset(rev, -1, sizeof rev);
        for (int k = 0; k < 64; k++) rev[(unsigned char)b64[k]] = (int8_t)k;
    }
    size_t n = strlen(in), o = 0;
    if (n % 4) return -1;
    for (size_t i = 0; i < n; i += 4) {
        int pad = (in[i + 3] == '=') + (in[i + 2] == '=');
        if (pad && i + 4 != n) return -1;
        uint32_t v = 0;
        for (int k = 0; k < 4; k++) {
            int d = k >= 4 - pad ? 0 : rev[(unsigned char)in[i + k]];
            if (d < 0) return -1;
            v = v << 6 | (uint32_t)d;
        }
        out[o++] = (uint8_t)(v >> 16);
        if (pad < 2) out[o++] = (uint8_t)(v >> 8);
        if (pad < 1) out[o++] = (uint8_t)v;
    }
    return (long)o;
}

/* ------------------------------------------------------------------ main */

static int format_into(char *buf, size_t size, const char *fmt, ...) {   /* through a va_list */
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return r;
}

typedef struct { char word[16]; uint32_t count; } Entry;

static char *make_text(size_t nwords) {
    static const char *const vocab[] = {"Lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing",
                                        "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore",
                                        "et", "dolore", "magna", "aliqua", "Ut", "enim", "ad", "minim", "veniam",
                                        "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip",
                                        "ex", "ea", "commodo", "consequat", "2024", "x86", "wasm32", "0xBEEF"};
    const size_t nv = sizeof vocab / sizeof vocab[0];
    char *text = malloc(nwords * 16 + 1);
    size_t len = 0;
    for (size_t i = 0; i < nwords; i++) {
        uint32_t r = lcg();
        const char *w = vocab[(r % nv) * (r % 3u == 0 ? 1u : (r >> 10) % 2u) % nv];
        size_t wl = strlen(w);
        memcpy(text + len, w, wl);
        len += wl;
        text[len++] = (r >> 12) % 11u == 0 ? '\n' : (r >> 12) % 7u == 0 ? ',' : ' ';
    }
    text[len] = 0;
    return text;
}

int main(void) {
    uint32_t grand = 0;

    puts("== tokenizer: sample");
    grand ^= tokenize_report(sample_source, 1);
    char *big = malloc(60000);
    size_t blen = 0;
    for (int k = 0; k < 150; k++) {
        unsigned mul = (unsigned)(lcg() % 100000u);   /* not two lcg() calls in one argument list */
        blen += (size_t)snprintf(big + blen, 60000 - blen,
                                 "int f%d(int a%d) { return a%d * %u + 0x%x - '%c'; } /* %d */ // x\n",
                                 k, k, k, mul, (unsigned)(lcg() & 0xffffu), 'a' + k % 26, k);
    }
    puts("== tokenizer: generated");
    printf("  %zu bytes\n", blen);
    grand ^= tokenize_report(big, 0) * 3u;
    free(big);

    puts("== regex");
    static const struct { const char *pat, *text; } cases[] = {
        {"abc", "xxabcxx"}, {"^abc", "xxabc"}, {"abc$", "xxabc"}, {"a.c", "abc adc"}, {"ab*c", "ac"},
        {"ab+c", "ac abbbc"}, {"colou?r", "my color"}, {"[0-9]+", "abc 12345 def"}, {"[^a-z ]+", "hello WORLD 42"},
        {"^[A-Z][a-z]*$", "Hello"}, {"^[A-Z][a-z]*$", "Hello world"}, {"a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaac"},
        {"x[-+]?[0-9]+", "x-12 x+3"}, {"\\.\\*", "a.*b"}, {".*", ""}, {"[]x]+", "a]]x]b"}, {"e.*e", "the sentence"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Regex re;
        int len = 0, rc = re_compile(&re, cases[i].pat);
        int at = rc ? -9 : re_search(&re, cases[i].text, &len);
        printf("  /%s/ on \"%s\": ", cases[i].pat, cases[i].text);
        if (at < 0) printf("no match\n");
        else printf("at %d \"%.*s\"\n", at, len, cases[i].text + at);
        grand = grand * 7u + (uint32_t)(at + 1) * 131u + (uint32_t)len;
    }
    char *text = make_text(5000);
    static const char *const pats[] = {"^Lorem", "dolor.*amet", "[0-9]+", "0x[0-9A-F]+$", "^[a-z ]+$", "u[lt]+a", "e[a-z]*e"};
    for (size_t p = 0; p < sizeof pats / sizeof pats[0]; p++) {
        Regex re;
        re_compile(&re, pats[p]);
        re_steps = 0;
        int lines = 0, matched = 0;
        uint32_t where = 0;
        char line[512];
        for (const char *s = text; *s;) {
            const char *nl = strchr(s, '\n');
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            if (n >= sizeof line) n = sizeof line - 1;
            memcpy(line, s, n);
            line[n] = 0;
            int len, at = re_search(&re, line, &len);
            lines++;
            if (at >= 0) { matched++; where = where * 31u + (uint32_t)at * 7u + (uint32_t)len; }
            s = nl ? nl + 1 : s + n;
        }
        printf("  /%s/: %d of %d lines, positions %08x, %llu steps\n", pats[p], matched, lines, (unsigned)where,
               (unsigned long long)re_steps);
        grand ^= where + (uint32_t)matched;
    }

    puts("== word frequencies");
    Entry *table = calloc(256, sizeof *table);
    int nentries = 0, total = 0;
    for (const char *s = text; *s;) {
        while (*s && !is_alpha(*s) && !is_digit(*s)) s++;
        const char *b = s;
        while (is_alpha(*s) || is_digit(*s)) s++;
        if (s == b) continue;
        char w[16];
        size_t n = (size_t)(s - b) < sizeof w - 1 ? (size_t)(s - b) : sizeof w - 1;
        for (size_t k = 0; k < n; k++) w[k] = (char)to_lower(b[k]);
        w[n] = 0;
        int lo = 0, hi = nentries;   /* the table is kept sorted: binary search, then insert */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (strcmp(table[mid].word, w) < 0) lo = mid + 1; else hi = mid;
        }
        if (lo < nentries && strcmp(table[lo].word, w) == 0) table[lo].count++;
        else if (nentries < 256) {
            memmove(table + lo + 1, table + lo, (size_t)(nentries - lo) * sizeof *table);
            strcpy(table[lo].word, w);
            table[lo].count = 1;
            nentries++;
        }
        total++;
    }
    uint32_t fh = 0;
    for (int i = 0; i < nentries; i++) fh = hash_str(fh + table[i].count, table[i].word, strlen(table[i].word));
    printf("  %d words, %d distinct, table hash %08x\n ", total, nentries, (unsigned)fh);
    for (int i = 0; i < nentries && i < 40; i += 4) printf(" %s=%u", table[i].word, (unsigned)table[i].count);
    printf("\n");
    grand += fh;
    free(table);

    puts("== reversal and case");
    char s1[] = "The quick brown Fox jumps over the lazy Dog, 42 times!";
    size_t n1 = strlen(s1);
    for (size_t i = 0, j = n1 - 1; i < j; i++, j--) { char t = s1[i]; s1[i] = s1[j]; s1[j] = t; }
    printf("  reversed: %s\n", s1);
    for (size_t i = 0; i < n1;) {   /* reverse each word back: words in reverse order */
        size_t j = i;
        while (j < n1 && s1[j] != ' ') j++;
        for (size_t a = i, b = j - 1; a < b && j > 0; a++, b--) { char t = s1[a]; s1[a] = s1[b]; s1[b] = t; }
        i = j + 1;
    }
    printf("  word order reversed: %s\n", s1);
    for (size_t i = 0; i < n1; i++) s1[i] = (char)((i == 0 || s1[i - 1] == ' ') ? to_upper(s1[i]) : to_lower(s1[i]));
    printf("  title case: %s\n", s1);
    for (size_t i = 0; i < n1; i++) {
        int c = s1[i];
        if (c >= 'a' && c <= 'z') s1[i] = (char)('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z') s1[i] = (char)('A' + (c - 'A' + 13) % 26);
    }
    printf("  rot13: %s\n", s1);
    static const char *const pals[] = {"A man, a plan, a canal: Panama", "No lemon, no melon", "Kiln", "Was it a car or a cat I saw?"};
    for (int k = 0; k < 4; k++) {
        const char *a = pals[k], *b = a + strlen(a) - 1;
        int pal = 1;
        while (a < b) {
            if (!is_alpha(*a)) { a++; continue; }
            if (!is_alpha(*b)) { b--; continue; }
            if (to_lower(*a++) != to_lower(*b--)) { pal = 0; break; }
        }
        printf("  \"%s\" %s a palindrome\n", pals[k], pal ? "is" : "is not");
    }
    printf("  strspn=%zu strcspn=%zu strrchr=%s memchr=%d\n", strspn("aabbcxyz", "abc"), strcspn("hello, world", ",;"),
           strrchr("a/b/c.txt", '/'), (int)((const char *)memchr("abcdef", 'd', 6) - "abcdef"));

    puts("== formatting");
    char buf[160];
    long long big_neg = -9007199254740993LL;
    double third = 1.0 / 3.0, money = 1234567.0 / 8.0, tiny = 1.0 / 1024.0;
    int r;
    r = snprintf(buf, sizeof buf, "[%d|%5d|%-5d|%05d|%+d|% d|%i]", 42, 42, 42, 42, 42, 42, -42);
    printf("  %d %s\n", r, buf);
    r = snprintf(buf, sizeof buf, "[%u|%x|%X|%o|%#x|%#o|%08x]", 3000000000u, 0xdeadbeefu, 0xdeadbeefu, 8u, 255u, 8u, 0xabcu);
    printf("  %d %s\n", r, buf);
    r = snprintf(buf, sizeof buf, "[%lld|%llu|%llx|%hd|%hhd|%hu]", big_neg, 18446744073709551615ull,
                 0x0123456789abcdefull, (short)-1234, (signed char)-100, (unsigned short)65535);
    printf("  %d %s\n", r, buf);
    r = snprintf(buf, sizeof buf, "[%s|%10s|%-10s|%.3s|%10.4s|%c%c|%%|%*d|%-*d|%.*s]", "kiln", "kiln", "kiln",
                 "kilnfire", "kilnfire", 'o', 'k', 6, 7, 6, 7, 2, "xyz");
    printf("  %d %s\n", r, buf);
    r = snprintf(buf, sizeof buf, "[%.3f|%8.2f|%-10.1f|%e|%.0f|%g|%g|%.10f]", third, money, -money, money, 2.5, tiny,
                 1e20 / 3.0, third * 3.0);
    printf("  %d %s\n", r, buf);
    char small[8];
    r = format_into(small, sizeof small, "%s-%d", "truncated", 12345);
    printf("  truncation: would need %d, got \"%s\"\n", r, small);
    uint32_t fmt_hash = 0;
    for (int i = 0; i < 400; i++) {
        int v = (int)(lcg() % 200001u) - 100000;
        r = snprintf(buf, sizeof buf, "%6d|%-8x|%+.2f|%3s|%05u", v, (unsigned)v & 0xfffffu, v / 16.0,
                     i % 3 ? "ab" : "abcd", (unsigned)i * 37u);
        fmt_hash = hash_str(fmt_hash + (uint32_t)r, buf, strlen(buf));
    }
    printf("  400 formatted lines, hash %08x, last \"%s\"\n", (unsigned)fmt_hash, buf);
    grand ^= fmt_hash;

    puts("== base64");
    static const char *const vectors[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    char enc[8200];
    uint8_t dec[6200];
    for (int k = 0; k < 7; k++) {
        b64_encode((const uint8_t *)vectors[k], strlen(vectors[k]), enc);
        long d = b64_decode(enc, dec);
        printf("  \"%s\" -> \"%s\" -> %ld bytes %s\n", vectors[k], enc, d,
               d == (long)strlen(vectors[k]) && memcmp(dec, vectors[k], (size_t)d) == 0 ? "ok" : "MISMATCH");
    }
    uint8_t *bin = calloc(6000, 1);
    uint32_t bh = 0;
    int bad = 0;
    for (size_t n = 0; n <= 6000; n += n < 40 ? 1 : 997) {
        for (size_t k = 0; k < n; k++) bin[k] = (uint8_t)lcg();
        size_t el = b64_encode(bin, n, enc);
        long d = b64_decode(enc, dec);
        if (d != (long)n || (n && memcmp(dec, bin, n) != 0)) bad++;
        bh = hash_str(bh, enc, el);
    }
    static const char *const invalid[] = {"abc", "ab=c", "a$bc", "ab==ab=="};
    for (int k = 0; k < 4; k++) printf("  decode \"%s\" -> %ld\n", invalid[k], b64_decode(invalid[k], dec));
    printf("  round trips: %d bad, encoding hash %08x\n", bad, (unsigned)bh);
    grand += bh;
    free(bin);
    free(text);
    printf("checksum %08x\n", (unsigned)grand);
    return bad != 0;
}
