/*
 * hash_table.c - Kiln parity test program: two hash tables with string keys.
 *
 * An open-addressing table (linear probing, tombstones, growth and rehash) and a
 * separate-chaining table (nodes with flexible array member keys, bucket doubling)
 * get the same inserts, updates, lookups and deletes of thousands of generated keys
 * and must agree at every step; then both count the words of a generated text, and
 * the most frequent words are listed. Prints probe statistics and order-dependent
 * checksums of the table layouts. Deterministic (fixed-seed LCG); hashing and
 * checksums use unsigned arithmetic only, and nothing depends on pointer values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t lcg_state = 777u;
static uint32_t lcg(void) {
    lcg_state = lcg_state * 1103515245u + 12345u;
    return (lcg_state >> 16) | (lcg_state << 16);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) { puts("out of memory"); exit(1); }
    return p;
}
static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 16777619u;
    return h;
}
static uint32_t mix32(uint32_t h) {   /* a finaliser, so the two tables use different bits */
    h ^= h >> 16; h *= 0x85ebca6bu;
    h ^= h >> 13; h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* ------------------------------------------------------ open addressing */

enum { EMPTY, FULL, TOMB };
typedef struct {
    char *key;
    uint32_t hash, value;
    uint8_t state;
} Slot;

typedef struct {
    Slot *slots;
    uint32_t cap, count, tombs, resizes, max_probe;
    uint64_t probes, ops;
} OATable;

static void oa_init(OATable *t, uint32_t cap) {
    memset(t, 0, sizeof *t);
    t->cap = cap;
    t->slots = calloc(cap, sizeof(Slot));
    if (!t->slots) { puts("out of memory"); exit(1); }
}

static void note_probe(OATable *t, uint32_t n) {
    t->probes += n;
    t->ops++;
    if (n > t->max_probe) t->max_probe = n;
}

/* the slot holding key, or -1 */
static int32_t oa_find_slot(OATable *t, const char *key, uint32_t h) {
    uint32_t mask = t->cap - 1, i = h & mask, n = 1;
    for (;; i = (i + 1) & mask, n++) {
        Slot *s = &t->slots[i];
        if (s->state == EMPTY) { note_probe(t, n); return -1; }
        if (s->state == FULL && s->hash == h && strcmp(s->key, key) == 0) { note_probe(t, n); return (int32_t)i; }
    }
}

static void oa_rehash(OATable *t, uint32_t newcap) {
    Slot *old = t->slots;
    uint32_t oldcap = t->cap;
    t->slots = calloc(newcap, sizeof(Slot));
    if (!t->slots) { puts("out of memory"); exit(1); }
    t->cap = newcap;
    t->tombs = 0;
    t->resizes++;
    for (uint32_t k = 0; k < oldcap; k++) {
        if (old[k].state != FULL) continue;
        uint32_t i = old[k].hash & (newcap - 1);
        while (t->slots[i].state != EMPTY) i = (i + 1) & (newcap - 1);
        t->slots[i] = old[k];
    }
    free(old);
}

static uint32_t *oa_find(OATable *t, const char *key) {
    int32_t i = oa_find_slot(t, key, fnv1a(key));
    return i < 0 ? NULL : &t->slots[i].value;
}

/* returns 1 when the key is new, 0 when its value was replaced */
static int oa_put(OATable *t, const char *key, uint32_t value) {
    uint32_t h = fnv1a(key);
    if ((t->count + t->tombs + 1) * 10u > t->cap * 7u)
        oa_rehash(t, (t->count + 1) * 10u > t->cap * 4u ? t->cap * 2 : t->cap);
    uint32_t mask = t->cap - 1, i = h & mask, n = 1;
    int32_t tomb = -1;
    for (;; i = (i + 1) & mask, n++) {
        Slot *s = &t->slots[i];
        if (s->state == EMPTY) break;
        if (s->state == TOMB) { if (tomb < 0) tomb = (int32_t)i; continue; }
        if (s->hash == h && strcmp(s->key, key) == 0) { s->value = value; note_probe(t, n); return 0; }
    }
    note_probe(t, n);
    if (tomb >= 0) { i = (uint32_t)tomb; t->tombs--; }
    t->slots[i].key = xstrdup(key);
    t->slots[i].hash = h;
    t->slots[i].value = value;
    t->slots[i].state = FULL;
    t->count++;
    return 1;
}

static int oa_del(OATable *t, const char *key) {
    int32_t i = oa_find_slot(t, key, fnv1a(key));
    if (i < 0) return 0;
    free(t->slots[i].key);
    t->slots[i].key = NULL;
    t->slots[i].state = TOMB;
    t->count--;
    t->tombs++;
    return 1;
}

static uint32_t oa_layout_checksum(const OATable *t) {
    uint32_t h = 0;
    for (uint32_t i = 0; i < t->cap; i++)
        h = h * 31u + (t->slots[i].state == FULL ? (t->slots[i].hash ^ t->slots[i].value) + i : t->slots[i].state);
    return h;
}

static void oa_free(OATable *t) {
    for (uint32_t i = 0; i < t->cap; i++) free(t->slots[i].key);
    free(t->slots);
}

/* ----------------------------------------------------- separate chaining */

typedef struct Node {
    struct Node *next;
    uint32_t hash, value;
    char key[];
} Node;

typedef struct {
    Node **buckets;
    uint32_t nbuckets, count, resizes;
    uint64_t visits;
} ChainTable;

static void ch_init(ChainTable *t, uint32_t n) {
    memset(t, 0, sizeof *t);
    t->nbuckets = n;
    t->buckets = calloc(n, sizeof(Node *));
    if (!t->buckets) { puts("out of memory"); exit(1); }
}

static Node **ch_link(ChainTable *t, const char *key, uint32_t h) {
    Node **link = &t->buckets[h % t->nbuckets];
    while (*link) {
        t->visits++;
        if ((*link)->hash == h && strcmp((*link)->key, key) == 0) break;
        link = &(*link)->next;
    }
    return link;
}

static void ch_grow(ChainTable *t) {
    uint32_t n = t->nbuckets * 2 + 1;   /* odd sizes: the bucket is hash % n */
    Node **nb = calloc(n, sizeof(Node *));
    if (!nb) { puts("out of memory"); exit(1); }
    for (uint32_t b = 0; b < t->nbuckets; b++) {
        Node *node = t->buckets[b];
        while (node) {              /* reversed into the new buckets: the order is deterministic */
            Node *next = node->next;
            uint32_t k = node->hash % n;
            node->next = nb[k];
            nb[k] = node;
            node = next;
        }
    }
    free(t->buckets);
    t->buckets = nb;
    t->nbuckets = n;
    t->resizes++;
}

static uint32_t *ch_find(ChainTable *t, const char *key) {
    Node *n = *ch_link(t, key, mix32(fnv1a(key)));
    return n ? &n->value : NULL;
}

static int ch_put(ChainTable *t, const char *key, uint32_t value) {
    uint32_t h = mix32(fnv1a(key));
    Node **link = ch_link(t, key, h);
    if (*link) { (*link)->value = value; return 0; }
    if (t->count >= t->nbuckets) {
        ch_grow(t);
        link = ch_link(t, key, h);
    }
    size_t len = strlen(key) + 1;
    Node *n = xmalloc(sizeof(Node) + len);
    memcpy(n->key, key, len);
    n->hash = h;
    n->value = value;
    n->next = NULL;
    *link = n;
    t->count++;
    return 1;
}

static int ch_del(ChainTable *t, const char *key) {
    Node **link = ch_link(t, key, mix32(fnv1a(key)));
    if (!*link) return 0;
    Node *dead = *link;
    *link = dead->next;
    free(dead);
    t->count--;
    return 1;
}

static void ch_stats(const ChainTable *t, uint32_t *maxlen, uint32_t *empty, uint32_t *checksum) {
    uint32_t hist[8] = {0};
    *maxlen = 0;
    *checksum = 0;
    for (uint32_t b = 0; b < t->nbuckets; b++) {
        uint32_t len = 0;
        for (const Node *n = t->buckets[b]; n; n = n->next) {
            len++;
            *checksum = (*checksum ^ n->hash) * 16777619u + n->value;
        }
        hist[len < 7 ? len : 7]++;
        if (len > *maxlen) *maxlen = len;
    }
    *empty = hist[0];
    printf("  chain lengths:");
    for (int i = 0; i < 8; i++) printf(" %s%d:%u", i == 7 ? ">=" : "", i, (unsigned)hist[i]);
    printf("\n");
}

static void ch_free(ChainTable *t) {
    for (uint32_t b = 0; b < t->nbuckets; b++) {
        Node *n = t->buckets[b];
        while (n) { Node *next = n->next; free(n); n = next; }
    }
    free(t->buckets);
}

/* ------------------------------------------------------------------ keys */

static void make_key(char *buf, size_t size, const char *prefix, uint32_t v) {
    char digits[16];
    int n = 0;
    do { digits[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36u]; v /= 36u; } while (v);
    size_t p = strlen(prefix);
    memcpy(buf, prefix, p);
    while (n > 0 && p + 1 < size) buf[p++] = digits[--n];
    buf[p] = 0;
}

static void make_word(char *buf, uint32_t id) {   /* pronounceable synthetic words */
    static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "do", "gu", "fe", "hi", "jo", "bu"};
    int p = 0;
    uint32_t v = id * 2654435761u;
    int parts = 1 + (int)(id % 3u);
    for (int k = 0; k < parts; k++) {
        const char *s = syl[v & 15u];
        v >>= 4;
        buf[p++] = s[0];
        buf[p++] = s[1];
    }
    if (id >= 48) buf[p++] = (char)('a' + id % 26u);
    buf[p] = 0;
}

typedef struct { const char *word; uint32_t count; } WordCount;

static int by_count_then_word(const void *a, const void *b) {
    const WordCount *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

int main(void) {
    OATable oa;
    ChainTable ch;
    oa_init(&oa, 16);
    ch_init(&ch, 7);
    char key[32];
    int disagreements = 0;
    const uint32_t NKEYS = 6000;

    /* phase 1: inserts, with duplicates from a narrow value range */
    uint32_t seed = lcg_state, fresh = 0, updates = 0;
    for (uint32_t i = 0; i < NKEYS; i++) {
        make_key(key, sizeof key, i % 5 == 0 ? "user:" : "k", lcg() % 9000u);
        int a = oa_put(&oa, key, i), b = ch_put(&ch, key, i);
        if (a != b) disagreements++;
        if (a) fresh++; else updates++;
    }
    printf("inserted %u keys: %u new, %u updates; oa count=%u cap=%u resizes=%u; chain count=%u buckets=%u resizes=%u\n",
           (unsigned)NKEYS, (unsigned)fresh, (unsigned)updates, (unsigned)oa.count, (unsigned)oa.cap,
           (unsigned)oa.resizes, (unsigned)ch.count, (unsigned)ch.nbuckets, (unsigned)ch.resizes);

    /* phase 2: lookups of every key again (the last value must win) and of missing keys */
    lcg_state = seed;
    uint64_t sum = 0;
    uint32_t found = 0, missing = 0;
    for (uint32_t i = 0; i < NKEYS; i++) {
        make_key(key, sizeof key, i % 5 == 0 ? "user:" : "k", lcg() % 9000u);
        uint32_t *va = oa_find(&oa, key), *vb = ch_find(&ch, key);
        if (!va || !vb || *va != *vb || *va < i) disagreements++;
        else { found++; sum += *va; }
    }
    for (uint32_t i = 0; i < 3000; i++) {
        make_key(key, sizeof key, "miss-", i * 7919u);
        if (oa_find(&oa, key) || ch_find(&ch, key)) disagreements++;
        else missing++;
    }
    printf("lookups: %u found (value sum %llu), %u missing as expected\n", (unsigned)found,
           (unsigned long long)sum, (unsigned)missing);

    /* phase 3: delete the keys k<n> with n % 3 == 0, check, and put a third of them back */
    uint32_t deleted = 0, reinserted = 0;
    for (uint32_t v = 0; v < 9000; v += 3) {
        make_key(key, sizeof key, "k", v);
        int a = oa_del(&oa, key), b = ch_del(&ch, key);
        if (a != b) disagreements++;
        deleted += (uint32_t)a;
    }
    printf("deleted %u; oa count=%u tombstones=%u; chain count=%u\n", (unsigned)deleted, (unsigned)oa.count,
           (unsigned)oa.tombs, (unsigned)ch.count);
    for (uint32_t v = 0; v < 9000; v += 9) {
        make_key(key, sizeof key, "k", v);
        if ((oa_find(&oa, key) != NULL) != (ch_find(&ch, key) != NULL) || oa_find(&oa, key)) disagreements++;
        int a = oa_put(&oa, key, v * 3u), b = ch_put(&ch, key, v * 3u);
        if (a != b) disagreements++;
        reinserted += (uint32_t)a;
    }
    uint32_t maxlen, empty, chsum;
    ch_stats(&ch, &maxlen, &empty, &chsum);
    printf("reinserted %u; oa count=%u cap=%u tombstones=%u resizes=%u; chain count=%u max chain=%u empty buckets=%u\n",
           (unsigned)reinserted, (unsigned)oa.count, (unsigned)oa.cap, (unsigned)oa.tombs, (unsigned)oa.resizes,
           (unsigned)ch.count, (unsigned)maxlen, (unsigned)empty);
    printf("oa probes: %llu over %llu ops (x1000 avg %llu), max %u; chain visits %llu\n",
           (unsigned long long)oa.probes, (unsigned long long)oa.ops,
           (unsigned long long)(oa.probes * 1000u / (oa.ops ? oa.ops : 1)), (unsigned)oa.max_probe,
           (unsigned long long)ch.visits);
    printf("layout checksums: oa %08x chain %08x\n", (unsigned)oa_layout_checksum(&oa), (unsigned)chsum);
    if (oa.count != ch.count) disagreements++;
    oa_free(&oa);
    ch_free(&ch);

    /* phase 4: word counting over a Zipf-like text */
    OATable words;
    ChainTable words2;
    oa_init(&words, 64);
    ch_init(&words2, 31);
    const uint32_t VOCAB = 900, NWORDS = 40000;
    uint32_t distinct = 0;
    for (uint32_t i = 0; i < NWORDS; i++) {
        uint32_t r = lcg() % 1000000u;
        uint32_t id = (uint32_t)((uint64_t)VOCAB * r / 1000000u);
        id = (uint32_t)((uint64_t)id * id / VOCAB);  /* skew towards small ids */
        char w[16];
        make_word(w, id);
        uint32_t *c = oa_find(&words, w);
        if (c) (*c)++;
        else { oa_put(&words, w, 1); distinct++; }
        uint32_t *c2 = ch_find(&words2, w);
        if (c2) (*c2)++;
        else ch_put(&words2, w, 1);
    }
    WordCount *list = xmalloc(words.count * sizeof *list);
    uint32_t n = 0, singletons = 0;
    for (uint32_t i = 0; i < words.cap; i++) {
        if (words.slots[i].state != FULL) continue;
        list[n].word = words.slots[i].key;
        list[n].count = words.slots[i].value;
        uint32_t *other = ch_find(&words2, list[n].word);
        if (!other || *other != list[n].count) disagreements++;
        if (list[n].count == 1) singletons++;
        n++;
    }
    qsort(list, n, sizeof *list, by_count_then_word);
    printf("words: %u total, %u distinct (chain table %u), %u singletons\n", (unsigned)NWORDS, (unsigned)distinct,
           (unsigned)words2.count, (unsigned)singletons);
    uint32_t rank_hash = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i < 12) printf("  #%-2u %-12s %5u\n", (unsigned)(i + 1), list[i].word, (unsigned)list[i].count);
        rank_hash = (rank_hash * 131u) ^ fnv1a(list[i].word) ^ list[i].count;
    }
    printf("rank checksum %08x, word-table layout %08x\n", (unsigned)rank_hash, (unsigned)oa_layout_checksum(&words));
    free(list);
    oa_free(&words);
    ch_free(&words2);
    printf("disagreements: %d\n", disagreements);
    return disagreements != 0;
}
