/*
 * sorting.c - Kiln parity test program: generic sorting through function pointers.
 *
 * Own insertion sort, merge sort (stable), heap sort and quicksort over `void *`
 * arrays with an element size and a comparator, next to libc's qsort and bsearch,
 * on ints, 16-bit and 8-bit values, 64-bit values, records and strings. Every result
 * is checked for order, for being a permutation of the input, and (for the stable
 * sorts) for stability; order-dependent checksums and comparison counts of the own
 * sorts are printed. libc's qsort only gets comparators that are total orders, since
 * its algorithm (and so the order of equal elements) differs between C libraries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*Cmp)(const void *, const void *);

static uint32_t lcg_state = 4242u;
static uint32_t lcg(void) {
    lcg_state = lcg_state * 134775813u + 1u;
    return lcg_state >> 16 | lcg_state << 16;   /* the low bits of an LCG have short periods */
}

static uint64_t compares;

/* ------------------------------------------------------ generic sorting */

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size) {
    unsigned char tmp[16];
    while (size >= sizeof tmp) {   /* in chunks, then the tail byte by byte */
        memcpy(tmp, a, sizeof tmp);
        memcpy(a, b, sizeof tmp);
        memcpy(b, tmp, sizeof tmp);
        a += sizeof tmp;
        b += sizeof tmp;
        size -= sizeof tmp;
    }
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void insertion_sort(void *base, size_t n, size_t size, Cmp cmp) {
    unsigned char *a = base;
    unsigned char tmp[64];
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        memcpy(tmp, a + i * size, size);
        while (j > 0 && cmp(a + (j - 1) * size, tmp) > 0) {
            memcpy(a + j * size, a + (j - 1) * size, size);
            j--;
        }
        memcpy(a + j * size, tmp, size);
    }
}

static void merge_rec(unsigned char *a, unsigned char *tmp, size_t n, size_t size, Cmp cmp) {
    if (n <= 8) {
        insertion_sort(a, n, size, cmp);
        return;
    }
    size_t half = n / 2;
    merge_rec(a, tmp, half, size, cmp);
    merge_rec(a + half * size, tmp, n - half, size, cmp);
    if (cmp(a + (half - 1) * size, a + half * size) <= 0) return;   /* already in order */
    memcpy(tmp, a, half * size);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) {
        if (cmp(a + j * size, tmp + i * size) < 0) memcpy(a + k++ * size, a + j++ * size, size);
        else memcpy(a + k++ * size, tmp + i++ * size, size);
    }
    memcpy(a + k * size, tmp + i * size, (half - i) * size);
}

static void merge_sort(void *base, size_t n, size_t size, Cmp cmp) {
    if (n < 2) return;
    unsigned char *tmp = malloc((n / 2 + 1) * size);
    if (!tmp) { puts("out of memory"); exit(1); }
    merge_rec(base, tmp, n, size, cmp);
    free(tmp);
}

static void sift_down(unsigned char *a, size_t root, size_t n, size_t size, Cmp cmp) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && cmp(a + child * size, a + (child + 1) * size) < 0) child++;
        if (cmp(a + root * size, a + child * size) >= 0) return;
        swap_bytes(a + root * size, a + child * size, size);
        root = child;
    }
}

static void heap_sort(void *base, size_t n, size_t size, Cmp cmp) {
    unsigned char *a = base;
    for (size_t i = n / 2; i-- > 0;) sift_down(a, i, n, size, cmp);
    for (size_t end = n; end-- > 1;) {
        swap_bytes(a, a + end * size, size);
        sift_down(a, 0, end, size, cmp);
    }
}

static void quick_sort(void *base, size_t n, size_t size, Cmp cmp) {
    unsigned char *a = base;
    while (n > 12) {
        unsigned char *lo = a, *mid = a + (n / 2) * size, *hi = a + (n - 1) * size;
        if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);   /* median of three into mid */
        if (cmp(hi, mid) < 0) {
            swap_bytes(hi, mid, size);
            if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
        }
        swap_bytes(mid, a, size);                          /* pivot to the front */
        size_t i = 1, j = n - 1;
        for (;;) {
            while (cmp(a + i * size, a) < 0) i++;
            while (cmp(a, a + j * size) < 0) j--;
            if (i >= j) break;
            swap_bytes(a + i * size, a + j * size, size);
            i++;
            j--;
        }
        swap_bytes(a, a + j * size, size);
        if (j < n - j - 1) {                               /* recurse into the smaller side */
            quick_sort(a, j, size, cmp);
            a += (j + 1) * size;
            n -= j + 1;
        } else {
            quick_sort(a + (j + 1) * size, n - j - 1, size, cmp);
            n = j;
        }
    }
    insertion_sort(a, n, size, cmp);
}

static int is_sorted(const void *base, size_t n, size_t size, Cmp cmp) {
    const unsigned char *a = base;
    for (size_t i = 1; i < n; i++)
        if (cmp(a + (i - 1) * size, a + i * size) > 0) return 0;
    return 1;
}

/* order-independent (sum, xor of mixed bytes per element) and order-dependent checksums */
static void checksums(const void *base, size_t n, size_t size, uint32_t *bag, uint32_t *seq) {
    const unsigned char *a = base;
    uint32_t s = 0, x = 0, h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        uint32_t e = 0x9e3779b9u;
        for (size_t k = 0; k < size; k++) e = (e ^ a[i * size + k]) * 0x01000193u;
        s += e;
        x ^= e * 0x2545F491u;
        h = (h ^ e) * 0x01000193u;
    }
    *bag = s ^ (x << 1);
    *seq = h;
}

/* ---------------------------------------------------------- comparators */

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    compares++;
    return (x > y) - (x < y);
}
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_int_abs(const void *a, const void *b) {   /* |x| then x; inputs avoid INT_MIN */
    int x = *(const int *)a, y = *(const int *)b;
    int ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
    compares++;
    if (ax != ay) return ax < ay ? -1 : 1;
    return (x > y) - (x < y);
}
static int cmp_int_mod(const void *a, const void *b) {   /* by x mod 10 (C's signed remainder), then x */
    int x = *(const int *)a, y = *(const int *)b;
    compares++;
    if (x % 10 != y % 10) return x % 10 - y % 10;
    return (x > y) - (x < y);
}
static int cmp_short(const void *a, const void *b) {
    compares++;
    return *(const int16_t *)a - *(const int16_t *)b;
}
static int cmp_schar(const void *a, const void *b) {
    compares++;
    return *(const signed char *)a - *(const signed char *)b;
}
static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    compares++;
    return (x > y) - (x < y);
}
static int popcount64(uint64_t v) {   /* SWAR bit count */
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (int)((v * 0x0101010101010101ull) >> 56);
}
static int cmp_u64_pop(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    compares++;
    int px = popcount64(x), py = popcount64(y);
    if (px != py) return px - py;
    return (x > y) - (x < y);
}

typedef struct {
    int32_t key;
    uint16_t seq;
    char name[10];
    int64_t weight;
} Rec;

static int cmp_rec_key(const void *a, const void *b) {   /* not total: ties on key */
    const Rec *x = a, *y = b;
    compares++;
    return (x->key > y->key) - (x->key < y->key);
}
static int cmp_rec_name_key(const void *a, const void *b) {
    const Rec *x = a, *y = b;
    compares++;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->key > y->key) - (x->key < y->key);
}
static int cmp_rec_total(const void *a, const void *b) {
    const Rec *x = a, *y = b;
    int c = cmp_rec_key(a, b);
    if (c) return c;
    if (x->weight != y->weight) return x->weight < y->weight ? -1 : 1;
    return (int)x->seq - (int)y->seq;
}

static int cmp_str(const void *a, const void *b) {
    compares++;
    return strcmp(*(char *const *)a, *(char *const *)b);
}
static int cmp_str_len(const void *a, const void *b) {
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    compares++;
    if (lx != ly) return lx < ly ? -1 : 1;
    return strcmp(x, y);
}
static int fold(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int cmp_str_nocase(const void *a, const void *b) {
    const unsigned char *x = *(const unsigned char *const *)a, *y = *(const unsigned char *const *)b;
    compares++;
    const unsigned char *p = x, *q = y;
    while (*p && fold(*p) == fold(*q)) { p++; q++; }
    int c = fold(*p) - fold(*q);
    return c ? c : strcmp((const char *)x, (const char *)y);
}

/* -------------------------------------------------------------- driver */

typedef void (*SortFn)(void *, size_t, size_t, Cmp);
static const struct { const char *name; SortFn fn; int stable; } sorters[] = {
    {"insertion", insertion_sort, 1}, {"merge", merge_sort, 1}, {"heap", heap_sort, 0},
    {"quick", quick_sort, 0}, {"qsort", qsort, 0},
};
enum { NSORTERS = sizeof sorters / sizeof sorters[0] };

static int failures;

/* sorts a copy of data with every sorter (insertion sort only on a prefix of up to
   max_insertion elements) and checks the results; returns the checksum of the result */
static uint32_t run_all(const char *what, const void *data, size_t n, size_t size, Cmp cmp, int total,
                        size_t max_insertion) {
    void *copy = malloc(n * size + 1), *first = malloc(n * size + 1);
    if (!copy || !first) { puts("out of memory"); exit(1); }
    uint32_t bag0, seq0, result = 0;
    int have_first = 0;
    checksums(data, n, size, &bag0, &seq0);
    printf("%s (n=%zu):", what, n);
    for (int s = 0; s < NSORTERS; s++) {
        if (sorters[s].fn == qsort && !total) continue;
        size_t m = s == 0 && n > max_insertion ? max_insertion : n;
        uint32_t bag1, seq1, bagm, seqm;
        memcpy(copy, data, n * size);
        checksums(copy, m, size, &bagm, &seqm);
        compares = 0;
        sorters[s].fn(copy, m, size, cmp);
        checksums(copy, m, size, &bag1, &seq1);
        int ok = is_sorted(copy, m, size, cmp) && bag1 == bagm;
        if (m == n && (total || sorters[s].stable)) {
            if (!have_first) { memcpy(first, copy, n * size); have_first = 1; result = seq1; }
            else if (memcmp(first, copy, n * size) != 0) ok = 0;
        }
        if (!ok) failures++;
        if (sorters[s].fn == qsort) printf(" %s %s", sorters[s].name, ok ? "ok" : "FAIL");
        else printf(" %s%s%s %llu", sorters[s].name, m < n ? "[prefix]" : "", ok ? "" : " FAIL",
                    (unsigned long long)compares);
    }
    printf("\n  checksum %08x bag %08x\n", (unsigned)result, (unsigned)bag0);
    free(copy);
    free(first);
    return result;
}

int main(void) {
    enum { NI = 1000, NR = 800, NS = 600 };
    uint32_t grand = 0;

    int *ints = malloc(NI * sizeof *ints);
    for (int i = 0; i < NI; i++) ints[i] = (int)(lcg() % 2000000001u) - 1000000000;
    for (int i = 0; i < NI; i += 7) ints[i] = ints[i / 2];                  /* duplicates */
    grand ^= run_all("int ascending", ints, NI, sizeof *ints, cmp_int, 1, 250);
    grand ^= run_all("int descending", ints, NI, sizeof *ints, cmp_int_desc, 1, 250) * 3u;
    grand ^= run_all("int by |x|", ints, NI, sizeof *ints, cmp_int_abs, 1, 250) * 5u;
    grand ^= run_all("int by x%10", ints, NI, sizeof *ints, cmp_int_mod, 1, 250) * 7u;
    for (int i = 0; i < NI; i++) ints[i] = i * 3 % 1001;                    /* presorted runs */
    grand ^= run_all("int sawtooth", ints, NI, sizeof *ints, cmp_int, 1, 250) * 11u;

    int16_t *shorts = malloc(NI * sizeof *shorts);
    signed char *chars = malloc(NI);
    for (int i = 0; i < NI; i++) {
        shorts[i] = (int16_t)((int32_t)(lcg() >> 16) - 32768);
        chars[i] = (signed char)((int)(lcg() >> 24) - 128);
    }
    grand += run_all("int16", shorts, NI, sizeof *shorts, cmp_short, 1, 250);
    grand += run_all("int8", chars, NI, 1, cmp_schar, 1, 250) << 1;

    uint64_t *wide = malloc(NI * sizeof *wide);
    for (int i = 0; i < NI; i++) {
        uint64_t hi = lcg();   /* one call per statement: argument and operand order is unspecified */
        wide[i] = hi << 32 | lcg();
    }
    grand ^= run_all("uint64", wide, NI, sizeof *wide, cmp_u64, 1, 250);
    grand ^= run_all("uint64 by popcount", wide, NI, sizeof *wide, cmp_u64_pop, 1, 250) >> 1;

    Rec *recs = calloc(NR, sizeof *recs);
    static const char *const first_names[] = {"ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal"};
    for (int i = 0; i < NR; i++) {
        recs[i].key = (int32_t)(lcg() % 60u) - 30;
        recs[i].seq = (uint16_t)i;
        const char *first = first_names[lcg() % 8u];
        snprintf(recs[i].name, sizeof recs[i].name, "%s%u", first, (unsigned)(lcg() % 40u));
        recs[i].weight = (int64_t)((uint64_t)lcg() << 20) - ((int64_t)1 << 50);
    }
    grand ^= run_all("records by key (stable sorts)", recs, NR, sizeof *recs, cmp_rec_key, 0, 200);
    grand ^= run_all("records by name, key", recs, NR, sizeof *recs, cmp_rec_name_key, 0, 200);
    grand ^= run_all("records total order", recs, NR, sizeof *recs, cmp_rec_total, 1, 200);

    /* stability: after a stable sort by key, seq must increase within every key */
    Rec *st = malloc(NR * sizeof *st);
    memcpy(st, recs, NR * sizeof *st);
    merge_sort(st, NR, sizeof *st, cmp_rec_name_key);
    merge_sort(st, NR, sizeof *st, cmp_rec_key);
    int stable = 1, groups = 1;
    for (int i = 1; i < NR; i++) {
        if (st[i].key != st[i - 1].key) { groups++; continue; }
        int c = strcmp(st[i - 1].name, st[i].name);
        if (c > 0 || (c == 0 && st[i - 1].seq > st[i].seq)) stable = 0;
    }
    printf("two-pass stable sort: %d key groups, %s; first %s/%d last %s/%d\n", groups, stable ? "stable" : "NOT STABLE",
           st[0].name, (int)st[0].key, st[NR - 1].name, (int)st[NR - 1].key);
    if (!stable) failures++;

    char **strs = malloc(NS * sizeof *strs);
    for (int i = 0; i < NS; i++) {
        char buf[16];
        int len = 1 + (int)(lcg() % 9u);
        for (int k = 0; k < len; k++) {
            uint32_t r = lcg();
            buf[k] = (char)((r >> 30) == 0 ? 'A' + (r >> 8) % 26u : 'a' + (r >> 8) % 26u);
        }
        buf[len] = 0;
        strs[i] = malloc((size_t)len + 1);
        memcpy(strs[i], buf, (size_t)len + 1);
    }
    /* checksums of char* arrays would hash pointers: sort, then hash the strings */
    char **sorted = malloc(NS * sizeof *sorted);
    Cmp scmps[] = {cmp_str, cmp_str_len, cmp_str_nocase};
    const char *snames[] = {"strcmp", "length", "nocase"};
    for (int c = 0; c < 3; c++) {
        printf("strings by %s:", snames[c]);
        uint32_t ref = 0;
        for (int s = 0; s < NSORTERS; s++) {
            size_t m = s == 0 ? 200 : NS;
            memcpy(sorted, strs, NS * sizeof *sorted);
            compares = 0;
            sorters[s].fn(sorted, m, sizeof *sorted, scmps[c]);
            uint32_t h = 0;
            for (size_t i = 0; i < m; i++)
                for (const char *p = sorted[i]; *p; p++) h = h * 33u + (unsigned char)*p;
            int ok = is_sorted(sorted, m, sizeof *sorted, scmps[c]);
            if (s == 1) ref = h;
            else if (s > 1 && h != ref) ok = 0;
            if (!ok) failures++;
            if (sorters[s].fn == qsort) printf(" qsort %s", ok ? "ok" : "FAIL");
            else printf(" %s %llu%s", sorters[s].name, (unsigned long long)compares, ok ? "" : " FAIL");
        }
        printf("\n  checksum %08x first \"%s\" last \"%s\"\n", (unsigned)ref, sorted[0], sorted[NS - 1]);
        grand = grand * 31u + ref;
    }

    /* binary search: own lower bound against libc bsearch over the sorted strings */
    qsort(sorted, NS, sizeof *sorted, cmp_str);
    int hits = 0, agree = 1;
    for (int q = 0; q < 1000; q++) {
        char key[4] = {(char)('a' + q % 26), (char)('a' + q / 26 % 26), 0, 0};
        if (q % 3 == 0) key[1] = 0;
        const char *kp = key;
        size_t lo = 0, hi = NS;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(sorted[mid], key) < 0) lo = mid + 1; else hi = mid;
        }
        int mine = lo < NS && strcmp(sorted[lo], key) == 0;
        int theirs = bsearch(&kp, sorted, NS, sizeof *sorted, cmp_str) != NULL;
        if (mine != theirs) agree = 0;
        hits += mine;
    }
    printf("binary search: %d hits, %s\n", hits, agree ? "agrees with bsearch" : "DISAGREES with bsearch");
    if (!agree) failures++;

    for (int i = 0; i < NS; i++) free(strs[i]);
    free(strs); free(sorted); free(st); free(recs); free(wide); free(chars); free(shorts); free(ints);
    printf("failures %d, checksum %08x\n", failures, (unsigned)grand);
    return failures != 0;
}
