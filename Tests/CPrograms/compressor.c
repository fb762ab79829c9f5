/*
 * compressor.c - Kiln parity test program: LZSS, PackBits-style RLE and canonical
 * Huffman coding, with decoders.
 *
 * Generates several inputs from a fixed-seed LCG (text-like, repetitive, random,
 * sparse, and tiny edge cases), runs them through LZSS, RLE, Huffman and the
 * pipelines LZSS+Huffman and RLE+Huffman, checks that every decoder gives back the
 * input, and prints sizes, CRC-32 and Adler-32 checksums. Also decodes damaged
 * streams, which must fail or differ the same way everywhere. Deterministic; all
 * checksum arithmetic is unsigned.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *data;
    size_t len, cap;
} Buf;

static void buf_put(Buf *b, uint8_t v) {
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        uint8_t *p = realloc(b->data, cap);
        if (!p) { puts("out of memory"); exit(1); }
        b->data = p;
        b->cap = cap;
    }
    b->data[b->len++] = v;
}
static void buf_free(Buf *b) { free(b->data); b->data = NULL; b->len = b->cap = 0; }

static uint32_t lcg_state = 0xC0FFEEu;
static uint32_t lcg(void) {
    lcg_state = lcg_state * 22695477u + 1u;
    return lcg_state >> 8;
}

/* ------------------------------------------------------------- checksums */

static uint32_t crc_table[256];
static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}
static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xffu] ^ (c >> 8);
    return c ^ 0xffffffffu;
}
static uint32_t adler32(const uint8_t *p, size_t n) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a += p[i];
        if (a >= 65521u) a -= 65521u;
        b += a;
        if (b >= 65521u) b -= 65521u;
    }
    return b << 16 | a;
}

/* ------------------------------------------------------------------ LZSS */

#define WBITS 12
#define WSIZE (1u << WBITS)
#define MIN_MATCH 3u
#define MAX_MATCH 18u
#define HBITS 13
#define CHAIN_LIMIT 40

typedef struct {
    int32_t head[1u << HBITS];
    int32_t prev[WSIZE];
    const uint8_t *in;
    size_t n, inserted;
    uint32_t probes;
} Matcher;

static uint32_t hash3(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - HBITS);
}

static void insert_upto(Matcher *m, size_t limit) {
    while (m->inserted < limit) {
        size_t p = m->inserted++;
        if (p + MIN_MATCH > m->n) continue;
        uint32_t h = hash3(m->in + p);
        m->prev[p & (WSIZE - 1)] = m->head[h];
        m->head[h] = (int32_t)p;
    }
}

static uint32_t find_match(Matcher *m, size_t pos, uint32_t *offset) {
    uint32_t best = 0;
    if (pos + MIN_MATCH > m->n) return 0;
    size_t maxlen = m->n - pos < MAX_MATCH ? m->n - pos : MAX_MATCH;
    int32_t cand = m->head[hash3(m->in + pos)];
    for (int chain = CHAIN_LIMIT; cand >= 0 && chain > 0; chain--) {
        size_t c = (size_t)cand;
        if (pos - c > WSIZE) break;
        m->probes++;
        uint32_t l = 0;
        while (l < maxlen && m->in[c + l] == m->in[pos + l]) l++;
        if (l > best) {
            best = l;
            *offset = (uint32_t)(pos - c);
            if (l == maxlen) break;
        }
        cand = m->prev[c & (WSIZE - 1)];
    }
    return best >= MIN_MATCH ? best : 0;
}

typedef struct {
    Buf *out;
    size_t flag_pos;
    unsigned bit;
} ItemWriter;

static void item_begin(ItemWriter *w, int literal) {
    if (w->bit == 8) {
        w->flag_pos = w->out->len;
        buf_put(w->out, 0);
        w->bit = 0;
    }
    if (literal) w->out->data[w->flag_pos] |= (uint8_t)(1u << w->bit);
    w->bit++;
}

static uint32_t lzss_compress(const uint8_t *in, size_t n, Buf *out) {
    Matcher *m = malloc(sizeof *m);
    if (!m) { puts("out of memory"); exit(1); }
    memset(m->head, 0xff, sizeof m->head);
    memset(m->prev, 0xff, sizeof m->prev);
    m->in = in; m->n = n; m->inserted = 0; m->probes = 0;
    ItemWriter w = {out, 0, 8};
    size_t pos = 0;
    while (pos < n) {
        uint32_t off = 0, off2 = 0;
        insert_upto(m, pos);
        uint32_t len = find_match(m, pos, &off);
        if (len && pos + 1 < n && len < MAX_MATCH) {
            insert_upto(m, pos + 1);
            uint32_t len2 = find_match(m, pos + 1, &off2);
            if (len2 > len + 1) len = 0;   /* lazy: a literal now buys a longer match next */
        }
        if (len == 0) {
            item_begin(&w, 1);
            buf_put(out, in[pos]);
            pos++;
        } else {
            uint32_t code = (off - 1u) << 4 | (len - MIN_MATCH);
            item_begin(&w, 0);
            buf_put(out, (uint8_t)(code >> 8));
            buf_put(out, (uint8_t)code);
            pos += len;
        }
    }
    uint32_t probes = m->probes;
    free(m);
    return probes;
}

static int lzss_decompress(const uint8_t *in, size_t n, Buf *out) {
    size_t ip = 0;
    while (ip < n) {
        unsigned flags = in[ip++];
        for (unsigned bit = 0; bit < 8 && ip < n; bit++) {
            if (flags & (1u << bit)) {
                buf_put(out, in[ip++]);
            } else {
                if (ip + 2 > n) return -1;
                uint32_t code = (uint32_t)in[ip] << 8 | in[ip + 1];
                ip += 2;
                size_t off = (code >> 4) + 1u, len = (code & 15u) + MIN_MATCH;
                if (off > out->len) return -2;
                for (size_t k = 0; k < len; k++) buf_put(out, out->data[out->len - off]);
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------------- RLE */

static void rle_compress(const uint8_t *in, size_t n, Buf *out) {
    size_t i = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && run < 128 && in[i + run] == in[i]) run++;
        if (run >= 2) {
            buf_put(out, (uint8_t)(257u - run));
            buf_put(out, in[i]);
            i += run;
            continue;
        }
        size_t start = i, lit = 0;
        while (i < n && lit < 128) {
            if (i + 1 < n && in[i + 1] == in[i]) break;
            i++;
            lit++;
        }
        buf_put(out, (uint8_t)(lit - 1));
        for (size_t k = 0; k < lit; k++) buf_put(out, in[start + k]);
    }
}

static int rle_decompress(const uint8_t *in, size_t n, Buf *out) {
    size_t i = 0;
    while (i < n) {
        unsigned c = in[i++];
        if (c < 128) {
            if (i + c + 1 > n) return -1;
            for (unsigned k = 0; k <= c; k++) buf_put(out, in[i++]);
        } else if (c > 128) {
            if (i >= n) return -1;
            for (unsigned k = 0; k < 257u - c; k++) buf_put(out, in[i]);
            i++;
        }
    }
    return 0;
}

/* --------------------------------------------------------------- Huffman */

#define MAXBITS 15

typedef struct { uint32_t freq, id; } HeapItem;

static int item_less(HeapItem a, HeapItem b) { return a.freq != b.freq ? a.freq < b.freq : a.id < b.id; }

static void heap_push(HeapItem *h, int *n, HeapItem v) {
    int i = (*n)++;
    while (i > 0 && item_less(v, h[(i - 1) / 2])) { h[i] = h[(i - 1) / 2]; i = (i - 1) / 2; }
    h[i] = v;
}
static HeapItem heap_pop(HeapItem *h, int *n) {
    HeapItem top = h[0], last = h[--*n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= *n) break;
        if (c + 1 < *n && item_less(h[c + 1], h[c])) c++;
        if (!item_less(h[c], last)) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = last;
    return top;
}

/* code lengths for 256 symbols, limited to MAXBITS by flattening the frequencies */
static int huff_lengths(const uint32_t *freq_in, uint8_t *len) {
    uint32_t freq[256];
    int rounds = 0;
    memcpy(freq, freq_in, sizeof freq);
    for (;;) {
        HeapItem heap[512];
        int parent[512], hn = 0, next = 256;
        uint8_t depth[512];
        for (int s = 0; s < 256; s++)
            if (freq[s]) heap_push(heap, &hn, (HeapItem){freq[s], (uint32_t)s});
        memset(len, 0, 256);
        if (hn == 0) return rounds;
        if (hn == 1) { len[heap[0].id] = 1; return rounds; }
        while (hn > 1) {
            HeapItem a = heap_pop(heap, &hn), b = heap_pop(heap, &hn);
            parent[a.id] = next;
            parent[b.id] = next;
            heap_push(heap, &hn, (HeapItem){a.freq + b.freq, (uint32_t)next});
            next++;
        }
        depth[next - 1] = 0;
        for (int node = next - 2; node >= 256; node--) depth[node] = (uint8_t)(depth[parent[node]] + 1);
        int maxlen = 0;
        for (int s = 0; s < 256; s++) {
            if (!freq[s]) continue;
            len[s] = (uint8_t)(depth[parent[s]] + 1);
            if (len[s] > maxlen) maxlen = len[s];
        }
        if (maxlen <= MAXBITS) return rounds;
        rounds++;
        for (int s = 0; s < 256; s++)
            if (freq[s]) freq[s] = (freq[s] >> 1) | 1u;
    }
}

static void huff_codes(const uint8_t *len, uint16_t *code) {
    uint16_t count[MAXBITS + 1] = {0}, next[MAXBITS + 2];
    for (int s = 0; s < 256; s++) count[len[s]]++;
    count[0] = 0;
    uint16_t c = 0;
    for (int b = 1; b <= MAXBITS + 1; b++) {
        c = (uint16_t)((c + count[b - 1]) << 1);
        next[b] = c;
    }
    for (int s = 0; s < 256; s++)
        if (len[s]) code[s] = next[len[s]]++;
}

typedef struct { Buf *out; uint32_t acc; unsigned nbits; } BitWriter;

static void put_bits(BitWriter *w, uint32_t value, unsigned n) {  /* MSB first */
    for (unsigned i = n; i-- > 0;) {
        w->acc = w->acc << 1 | ((value >> i) & 1u);
        if (++w->nbits == 8) { buf_put(w->out, (uint8_t)w->acc); w->acc = 0; w->nbits = 0; }
    }
}

static uint32_t huff_compress(const uint8_t *in, size_t n, Buf *out, int *rounds) {
    uint32_t freq[256] = {0};
    uint8_t len[256];
    uint16_t code[256];
    for (size_t i = 0; i < n; i++) freq[in[i]]++;
    *rounds = huff_lengths(freq, len);
    huff_codes(len, code);
    for (int s = 0; s < 256; s += 2) buf_put(out, (uint8_t)(len[s] << 4 | len[s + 1]));
    for (int k = 0; k < 4; k++) buf_put(out, (uint8_t)((uint32_t)n >> (8 * k)));
    BitWriter w = {out, 0, 0};
    uint32_t bits = 0;
    for (size_t i = 0; i < n; i++) {
        put_bits(&w, code[in[i]], len[in[i]]);
        bits += len[in[i]];
    }
    if (w.nbits) put_bits(&w, 0, 8 - w.nbits);
    return bits;
}

static int huff_decompress(const uint8_t *in, size_t n, Buf *out) {
    if (n < 132) return -1;
    int16_t count[MAXBITS + 1] = {0};
    uint8_t symbols[256];
    uint8_t len[256];
    for (int s = 0; s < 256; s += 2) { len[s] = in[s / 2] >> 4; len[s + 1] = in[s / 2] & 15u; }
    for (int s = 0; s < 256; s++) count[len[s]]++;
    int left = 1;  /* Kraft check: the code must not be over-subscribed */
    for (int b = 1; b <= MAXBITS; b++) {
        left = left * 2 - count[b];
        if (left < 0) return -2;
    }
    int offs[MAXBITS + 2];
    offs[1] = 0;
    for (int b = 1; b <= MAXBITS; b++) offs[b + 1] = offs[b] + count[b];
    for (int s = 0; s < 256; s++)
        if (len[s]) symbols[offs[len[s]]++] = (uint8_t)s;
    uint32_t total = (uint32_t)in[128] | (uint32_t)in[129] << 8 | (uint32_t)in[130] << 16 | (uint32_t)in[131] << 24;
    size_t bitpos = 0, nbits = (n - 132) * 8;
    const uint8_t *p = in + 132;
    for (uint32_t k = 0; k < total; k++) {
        int code = 0, first = 0, index = 0, found = -1;
        for (int b = 1; b <= MAXBITS; b++) {
            if (bitpos >= nbits) return -3;
            code |= (p[bitpos >> 3] >> (7 - (bitpos & 7))) & 1;
            bitpos++;
            int cnt = count[b];
            if (code - first < cnt) { found = symbols[index + code - first]; break; }
            index += cnt;
            first = (first + cnt) << 1;
            code <<= 1;
        }
        if (found < 0) return -4;
        buf_put(out, (uint8_t)found);
    }
    return 0;
}

/* ---------------------------------------------------------------- inputs */

static void gen_text(Buf *b, size_t n) {
    static const char *const words[] = {
        "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on",
        "are", "as", "with", "his", "they", "at", "be", "this", "have", "from", "or", "one",
        "had", "by", "word", "but", "not", "what", "all", "were", "we", "when", "your", "can",
        "said", "there", "compiler", "register", "allocation", "interpreter", "WebAssembly"};
    const size_t nw = sizeof words / sizeof words[0];
    int cap = 1;
    while (b->len < n) {
        const char *w = words[lcg() % nw];
        for (const char *c = w; *c && b->len < n; c++)
            buf_put(b, (uint8_t)(cap && *c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c));
        cap = 0;
        uint32_t r = lcg() % 16;
        if (r == 0) { buf_put(b, '.'); cap = 1; }
        else if (r == 1) buf_put(b, ',');
        buf_put(b, r == 2 ? '\n' : ' ');
    }
    b->len = n;
}

static void gen_repetitive(Buf *b, size_t n) {
    static const char pattern[] = "ABCDABCDABCEFGHFGH0123456789";
    size_t i = 0;
    while (b->len < n) {
        uint8_t c = (uint8_t)pattern[i++ % (sizeof pattern - 1)];
        if (lcg() % 97 == 0) c = (uint8_t)('a' + lcg() % 26);
        buf_put(b, c);
    }
}

static void gen_random(Buf *b, size_t n) {
    while (b->len < n) buf_put(b, (uint8_t)lcg());
}

static void gen_sparse(Buf *b, size_t n) {
    while (b->len < n) {
        uint32_t r = lcg();
        size_t run = 1 + (r >> 4) % 300;
        uint8_t v = (r & 3u) == 0 ? (uint8_t)(r >> 16) : 0;
        for (size_t k = 0; k < run && b->len < n; k++) buf_put(b, v);
        if ((r & 0xf0u) == 0x10u) buf_put(b, (uint8_t)(r >> 24));
    }
    b->len = n;
}

/* ------------------------------------------------------------------ main */

static uint64_t grand = 1469598103934665603ull;
static void mix(uint64_t v) { grand = (grand ^ v) * 1099511628211ull; }

static int check_round_trip(const char *what, const Buf *orig, const Buf *got, int status) {
    int ok = status == 0 && got->len == orig->len && (orig->len == 0 || memcmp(got->data, orig->data, orig->len) == 0);
    if (!ok) printf("  ROUND TRIP FAILED: %s (status %d, %zu vs %zu bytes)\n", what, status, got->len, orig->len);
    return ok;
}

static int test_input(const char *name, const Buf *in) {
    Buf lz = {0}, lzd = {0}, rle = {0}, rled = {0}, hf = {0}, hfd = {0}, lzhf = {0}, lzhfd = {0}, lzhfd2 = {0};
    int failures = 0, rounds, rounds2;
    uint32_t probes = lzss_compress(in->data, in->len, &lz);
    failures += !check_round_trip("lzss", in, &lzd, lzss_decompress(lz.data, lz.len, &lzd));
    rle_compress(in->data, in->len, &rle);
    failures += !check_round_trip("rle", in, &rled, rle_decompress(rle.data, rle.len, &rled));
    uint32_t bits = huff_compress(in->data, in->len, &hf, &rounds);
    failures += !check_round_trip("huffman", in, &hfd, huff_decompress(hf.data, hf.len, &hfd));
    uint32_t bits2 = huff_compress(lz.data, lz.len, &lzhf, &rounds2);
    int st = huff_decompress(lzhf.data, lzhf.len, &lzhfd);
    if (st == 0) st = lzss_decompress(lzhfd.data, lzhfd.len, &lzhfd2);
    failures += !check_round_trip("lzss+huffman", in, &lzhfd2, st);

    uint32_t crc = in->len ? crc32(in->data, in->len) : 0;
    printf("%-10s %6zu bytes crc=%08x adler=%08x\n", name, in->len, (unsigned)crc,
           (unsigned)(in->len ? adler32(in->data, in->len) : 1u));
    printf("  lzss     %6zu (%3u.%u%%) crc=%08x probes=%u\n", lz.len,
           (unsigned)(in->len ? lz.len * 100 / in->len : 0), (unsigned)(in->len ? lz.len * 1000 / in->len % 10 : 0),
           (unsigned)(lz.len ? crc32(lz.data, lz.len) : 0), (unsigned)probes);
    printf("  rle      %6zu crc=%08x\n", rle.len, (unsigned)(rle.len ? crc32(rle.data, rle.len) : 0));
    printf("  huffman  %6zu bits=%u rescale-rounds=%d crc=%08x\n", hf.len, (unsigned)bits, rounds,
           (unsigned)crc32(hf.data, hf.len));
    printf("  lz+huff  %6zu bits=%u rescale-rounds=%d crc=%08x\n", lzhf.len, (unsigned)bits2, rounds2,
           (unsigned)crc32(lzhf.data, lzhf.len));
    mix(in->len); mix(crc); mix(lz.len); mix(rle.len); mix(hf.len); mix(lzhf.len); mix(probes);

    if (lz.len > 8) {   /* damage the LZSS stream in a few places */
        for (int k = 0; k < 3; k++) {
            Buf bad = {0};
            size_t at = (size_t)(lcg() % lz.len);
            uint8_t saved = lz.data[at];
            lz.data[at] ^= (uint8_t)(1u << (lcg() % 8));
            int s = lzss_decompress(lz.data, lz.len, &bad);
            uint32_t bc = bad.len ? crc32(bad.data, bad.len) : 0;
            printf("  damaged lzss @%zu: status %d, %zu bytes, crc=%08x\n", at, s, bad.len, (unsigned)bc);
            mix((uint64_t)(uint32_t)s); mix(bad.len); mix(bc);
            lz.data[at] = saved;
            buf_free(&bad);
        }
    }
    if (hf.len > 140) {   /* damage a Huffman header: over-subscribe the code */
        Buf bad = {0};
        uint8_t saved = hf.data[0];
        hf.data[0] = 0x11;
        int s = huff_decompress(hf.data, hf.len, &bad);
        printf("  damaged huffman header: status %d, %zu bytes\n", s, bad.len);
        mix((uint64_t)(uint32_t)s);
        hf.data[0] = saved;
        buf_free(&bad);
    }
    buf_free(&lz); buf_free(&lzd); buf_free(&rle); buf_free(&rled); buf_free(&hf); buf_free(&hfd);
    buf_free(&lzhf); buf_free(&lzhfd); buf_free(&lzhfd2);
    return failures;
}

int main(void) {
    crc_init();
    printf("crc32(\"123456789\") = %08x\n", (unsigned)crc32((const uint8_t *)"123456789", 9));
    int failures = 0;
    struct { const char *name; void (*gen)(Buf *, size_t); size_t n; } inputs[] = {
        {"text", gen_text, 5000}, {"repeat", gen_repetitive, 3000}, {"random", gen_random, 1500},
        {"sparse", gen_sparse, 4000}, {"text-small", gen_text, 300}, {"random-2", gen_random, 2},
        {"empty", gen_random, 0},
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        Buf in = {0};
        inputs[i].gen(&in, inputs[i].n);
        if (i == 0) printf("text sample: \"%.60s\"\n", (const char *)in.data);
        failures += test_input(inputs[i].name, &in);
        buf_free(&in);
    }
    /* a single repeated byte, and a skewed distribution that needs length limiting */
    Buf one = {0};
    for (int k = 0; k < 1000; k++) buf_put(&one, 'z');
    failures += test_input("one-byte", &one);
    buf_free(&one);
    Buf skew = {0};
    uint32_t f0 = 1, f1 = 1;   /* Fibonacci frequencies make the deepest Huffman trees */
    for (int s = 0; s < 18; s++) {
        for (uint32_t k = 0; k < f0; k++) buf_put(&skew, (uint8_t)('A' + s));
        uint32_t t = f0 + f1;
        f0 = f1;
        f1 = t;
    }
    for (size_t i = skew.len; i-- > 1;) {   /* Fisher-Yates shuffle with the LCG */
        size_t j = lcg() % (i + 1);
        uint8_t t = skew.data[i]; skew.data[i] = skew.data[j]; skew.data[j] = t;
    }
    failures += test_input("skewed", &skew);
    buf_free(&skew);
    printf("failures %d, checksum %016llx\n", failures, (unsigned long long)grand);
    return failures != 0;
}
