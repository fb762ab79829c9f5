// lz: an LZ77 compressor (hash-chain match finder with one step of lazy matching)
// and its decompressor, round-tripping generated English-like text block by block.
//
// What it exercises: the shape of a real compressor rather than a numeric loop:
// byte loads at data-dependent addresses, short loops with unpredictable trip
// counts (walking hash chains, extending matches), i32 multiply-shift hashing,
// several small functions called from a branchy main loop, and an overlapping
// byte-by-byte copy in the decoder.
//
// Entry:        long long run(int n) -> checksum of the compressed stream, or -1 if
//               a block does not decompress to its input (which would be an engine bug)
// default size: 10240 (KiB of input text, compressed in independent 64 KiB blocks)
// Checksum:     (total compressed bytes mod 2^23) * 2^40 + (FNV-1a hash of all
//               compressed bytes mod 2^40)
//
// Compressed format, a sequence of tokens:
//   0x00-0x7F  c     a run of c + 1 literal bytes follows
//   0x80-0xFE  c     a match of MIN_MATCH + (c & 0x7F) bytes, then a 2-byte distance
//   0xFF             a match of MIN_MATCH + 127 + the following length bytes (each
//                    255 means another byte follows), then a 2-byte distance
// The distance is stored minus one, little-endian, and reaches back at most WINDOW.

#define BLOCK (64 * 1024)
#define WINDOW (32 * 1024)
#define MIN_MATCH 4
#define MAX_MATCH 1024
#define HASH_BITS 15
#define MAX_CHAIN 48
// A match at least this long is taken without looking for a longer one after it.
#define LAZY_LIMIT 32
// A match at least this long ends the chain walk early.
#define NICE_MATCH 128

static unsigned char text[BLOCK];
// Worst case: all literals, one control byte per 128 of them.
static unsigned char packed[BLOCK + BLOCK / 128 + 16];
static unsigned char unpacked[BLOCK];

// head[h]: 1 + the latest position whose 4 bytes hash to h, 0 for none.
// chain[p]: 1 + the previous position with the same hash as position p, 0 for none.
static int head[1 << HASH_BITS];
static int chain[BLOCK];

// --- Text generator -----------------------------------------------------------------

static unsigned long long rng_state;

static unsigned int next_random(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned int)(rng_state >> 32);
}

// 64 words; the generator favours the first ones, like word frequencies in real text.
static const char *const words[64] = {
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was",
    "with", "be", "by", "on", "not", "he", "this", "are", "or", "his", "from", "at",
    "which", "but", "have", "an", "had", "they", "you", "were", "their", "one", "all",
    "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would",
    "who", "so", "no", "compression", "window", "dictionary", "literal", "match",
    "stream", "engine", "compiler", "register", "memory", "module", "function",
    "table", "value", "branch",
};

// Generator state carried across blocks, so a block may start mid-sentence.
static int words_left_in_sentence;
static int sentence_start;

static int put_byte(unsigned char *out, int at, int limit, int c) {
    if (at < limit)
        out[at] = (unsigned char)c;
    return at + 1;
}

// Fills out[0, len) with text; stops wherever the buffer ends, even inside a word.
static void generate_text(unsigned char *out, int len) {
    int at = 0;
    while (at < len) {
        if (words_left_in_sentence == 0) {
            words_left_in_sentence = 4 + (int)(next_random() % 12);
            sentence_start = 1;
        }
        unsigned int r = next_random();
        if ((r & 15) == 0) {
            // A number: digits make the text less repetitive.
            unsigned int value = (r >> 8) % 100000;
            char digits[8];
            int count = 0;
            do {
                digits[count++] = (char)('0' + value % 10);
                value /= 10;
            } while (value != 0);
            while (count > 0)
                at = put_byte(out, at, len, digits[--count]);
        } else {
            // AND of two uniform 6-bit values: index 0 is 64 times likelier than 63.
            const char *word = words[((r >> 8) & 63) & ((r >> 16) & 63)];
            for (int i = 0; word[i] != 0; i++) {
                int c = (unsigned char)word[i];
                if (i == 0 && sentence_start)
                    c -= 'a' - 'A';
                at = put_byte(out, at, len, c);
            }
        }
        sentence_start = 0;
        words_left_in_sentence--;
        if (words_left_in_sentence == 0) {
            at = put_byte(out, at, len, '.');
            at = put_byte(out, at, len, (r >> 28) == 0 ? '\n' : ' ');
        } else if ((r >> 24) % 11 == 0) {
            at = put_byte(out, at, len, ',');
            at = put_byte(out, at, len, ' ');
        } else {
            at = put_byte(out, at, len, ' ');
        }
    }
}

// --- Compressor ---------------------------------------------------------------------

static unsigned int hash4(const unsigned char *p) {
    unsigned int v = (unsigned int)p[0] | (unsigned int)p[1] << 8 |
                     (unsigned int)p[2] << 16 | (unsigned int)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

// Needs pos + MIN_MATCH <= len.
static void insert_position(const unsigned char *src, int pos) {
    unsigned int h = hash4(src + pos);
    chain[pos] = head[h];
    head[h] = pos + 1;
}

// The longest match for src[pos...] among earlier positions with the same hash,
// within WINDOW. Returns its length (below MIN_MATCH: none) and sets *distance.
static int find_match(const unsigned char *src, int pos, int len, int *distance) {
    int limit = len - pos;
    if (limit > MAX_MATCH)
        limit = MAX_MATCH;
    int best = MIN_MATCH - 1;
    int candidate = head[hash4(src + pos)];
    const unsigned char *here = src + pos;
    for (int depth = 0; candidate != 0 && depth < MAX_CHAIN; depth++) {
        int from = candidate - 1;
        if (pos - from > WINDOW)
            break;
        const unsigned char *there = src + from;
        candidate = chain[from];
        // Cheap rejection: a longer match must also agree at index best.
        if (best >= limit || there[best] != here[best] || there[0] != here[0])
            continue;
        int length = 0;
        while (length < limit && there[length] == here[length])
            length++;
        if (length > best) {
            best = length;
            *distance = pos - from;
            if (length >= NICE_MATCH || length == limit)
                break;
        }
    }
    return best;
}

static int emit_literals(const unsigned char *src, int count, unsigned char *dst, int out) {
    while (count > 0) {
        int run = count > 128 ? 128 : count;
        dst[out++] = (unsigned char)(run - 1);
        for (int i = 0; i < run; i++)
            dst[out++] = src[i];
        src += run;
        count -= run;
    }
    return out;
}

static int emit_match(int length, int distance, unsigned char *dst, int out) {
    int code = length - MIN_MATCH;
    if (code < 127) {
        dst[out++] = (unsigned char)(0x80 | code);
    } else {
        dst[out++] = 0xFF;
        code -= 127;
        while (code >= 255) {
            dst[out++] = 255;
            code -= 255;
        }
        dst[out++] = (unsigned char)code;
    }
    distance -= 1;
    dst[out++] = (unsigned char)(distance & 0xFF);
    dst[out++] = (unsigned char)(distance >> 8);
    return out;
}

// Compresses src[0, len) into dst and returns the compressed size.
static int compress_block(const unsigned char *src, int len, unsigned char *dst) {
    for (int i = 0; i < (1 << HASH_BITS); i++)
        head[i] = 0;
    int out = 0, pos = 0, literal_start = 0;
    // A match found one position ahead by the lazy check, reused at the next position.
    int pending = 0, pending_length = 0, pending_distance = 0;
    while (pos + MIN_MATCH <= len) {
        int length, distance = 0;
        if (pending) {
            length = pending_length;
            distance = pending_distance;
            pending = 0;
        } else {
            length = find_match(src, pos, len, &distance);
        }
        insert_position(src, pos);
        if (length < MIN_MATCH) {
            pos++;
            continue;
        }
        // Lazy matching: if the next position starts a longer match, emit this byte
        // as a literal and take that one instead.
        if (length < LAZY_LIMIT && pos + 1 + MIN_MATCH <= len) {
            pending_length = find_match(src, pos + 1, len, &pending_distance);
            if (pending_length > length) {
                pending = 1;
                pos++;
                continue;
            }
        }
        out = emit_literals(src + literal_start, pos - literal_start, dst, out);
        out = emit_match(length, distance, dst, out);
        // Later matches may start anywhere inside this one.
        for (int i = 1; i < length && pos + i + MIN_MATCH <= len; i++)
            insert_position(src, pos + i);
        pos += length;
        literal_start = pos;
    }
    return emit_literals(src + literal_start, len - literal_start, dst, out);
}

// --- Decompressor -------------------------------------------------------------------

// Decodes src[0, size) into dst (capacity bytes); returns the decoded length, or -1
// if the stream is malformed.
static int decompress_block(const unsigned char *src, int size, unsigned char *dst, int capacity) {
    int in = 0, out = 0;
    while (in < size) {
        int c = src[in++];
        if (c < 0x80) {
            int count = c + 1;
            if (in + count > size || out + count > capacity)
                return -1;
            for (int i = 0; i < count; i++)
                dst[out + i] = src[in + i];
            in += count;
            out += count;
            continue;
        }
        int length = c & 0x7F;
        if (length == 127) {
            int extra;
            do {
                if (in >= size)
                    return -1;
                extra = src[in++];
                length += extra;
            } while (extra == 255);
        }
        length += MIN_MATCH;
        if (in + 2 > size)
            return -1;
        int distance = (src[in] | src[in + 1] << 8) + 1;
        in += 2;
        if (distance > out || out + length > capacity)
            return -1;
        // Forward, byte by byte: when distance < length the copy reads bytes it has
        // just written, which repeats the last `distance` bytes.
        unsigned char *to = dst + out;
        const unsigned char *from = to - distance;
        for (int i = 0; i < length; i++)
            to[i] = from[i];
        out += length;
    }
    return out;
}

// --- Driver -------------------------------------------------------------------------

long long run(int n) {
    if (n < 1)
        return 0;
    // Reinitialise everything: run may be called more than once on the same instance.
    rng_state = 2024;
    words_left_in_sentence = 0;
    sentence_start = 1;
    unsigned long long hash = 14695981039346656037ULL;  // FNV-1a offset basis
    unsigned long long total = 0;
    long long remaining = (long long)n * 1024;
    while (remaining > 0) {
        int len = remaining > BLOCK ? BLOCK : (int)remaining;
        remaining -= len;
        generate_text(text, len);
        int size = compress_block(text, len, packed);
        if (decompress_block(packed, size, unpacked, BLOCK) != len)
            return -1;
        for (int i = 0; i < len; i++) {
            if (unpacked[i] != text[i])
                return -1;
        }
        for (int i = 0; i < size; i++) {
            hash ^= packed[i];
            hash *= 1099511628211ULL;  // FNV-1a prime
        }
        total += (unsigned long long)size;
    }
    const unsigned long long mask = (1ULL << 40) - 1;
    return (long long)(((total & ((1ULL << 23) - 1)) << 40) + (hash & mask));
}
