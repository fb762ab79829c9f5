// json: a recursive-descent JSON parser that builds a tree of nodes in a static arena,
// then a walk over the tree that hashes keys and strings, sums numbers weighted by
// depth and looks up "price" and "qty" in every object, like code reading orders.
//
// What it exercises: byte-at-a-time scanning with many small, data-dependent branches
// (switches on the current character), string unescaping into a pool, i64 arithmetic
// for decimal numbers, recursion, and pointer chasing through linked nodes: the shape
// of a typical parser rather than a numeric loop.
//
// Entry:        long long run(int n) -> checksum of n parses of a generated document,
//               or -1 if a parse fails (which would be an engine bug)
// default size: 600 (parses of a document of about DOC_TARGET bytes)
// Checksum:     polynomial hash (x 1000003, mod 2^63) of each pass's tree hash,
//               price-times-quantity total and node count
//
// The document is generated once per call of run from a fixed seed. Before each parse
// one "qty" digit is rewritten, so every pass parses slightly different text.

#define DOC_TARGET (192 * 1024)   // the generator stops adding records after this
#define DOC_CAPACITY (256 * 1024) // one more record and the final NUL always fit
#define MAX_NODES 65536
#define MAX_DEPTH 64

enum { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct node {
    int type;
    int key, key_length;    // member name in the pool (objects' children only)
    int text, text_length;  // string value in the pool
    long long number;       // numbers in thousandths, truncated toward zero
    int first_child, next;  // -1 for none
};

static char doc[DOC_CAPACITY];
static struct node nodes[MAX_NODES];
// Unescaped strings and keys. Unescaping never lengthens text, so the pool cannot
// hold more than the document.
static char pool[DOC_CAPACITY];
static int doc_length, node_count, pool_length;
// Positions in doc of the single-digit "qty" values, rewritten between passes.
static int qty_digits[DOC_CAPACITY / 32];  // a record takes more than 32 bytes
static int qty_count;

// --- Document generator -------------------------------------------------------------

static unsigned long long rng_state;

static unsigned int below(unsigned int n) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned int)(rng_state >> 33) % n;
}

static void put_char(char c) { doc[doc_length++] = c; }
static void put_text(const char *s) {
    while (*s)
        doc[doc_length++] = *s++;
}

static void put_unsigned(unsigned int v) {
    if (v >= 10)
        put_unsigned(v / 10);
    put_char((char)('0' + v % 10));
}

// Between tokens: nothing, a space, or a newline and indentation.
static void put_space(void) {
    static const char *const gaps[6] = {"", "", " ", " ", "\n  ", "\n    "};
    put_text(gaps[below(6)]);
}

static const char *const names[16] = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
    "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa",
};

// Words with occasional escapes, including \u escapes of two- and three-byte UTF-8.
static void put_string(void) {
    static const char *const escapes[6] = {"\\\"", "\\\\", "\\n", "\\u00e9", "\\u20ac", "\\t"};
    put_char('"');
    for (int i = 0, parts = 1 + (int)below(4); i < parts; i++) {
        if (i > 0)
            put_char(' ');
        put_text(names[below(16)]);
        unsigned int e = below(12);
        if (e < 6)
            put_text(escapes[e]);
    }
    put_char('"');
}

// Integers, decimals and exponents, positive and negative.
static void put_number(void) {
    unsigned int form = below(6);
    if (below(4) == 0)
        put_char('-');
    put_unsigned(below(form == 0 ? 100000000 : 10000));
    if (form >= 2) {
        put_char('.');
        for (int places = 1 + (int)below(5); places > 0; places--)
            put_char((char)('0' + below(10)));
    }
    if (form == 5) {
        put_text(below(2) ? "e" : below(2) ? "E-" : "e+");
        put_unsigned(below(4));
    }
}

// "name": with a random name.
static void put_key(void) {
    put_char('"');
    put_text(names[below(16)]);
    put_text(below(2) ? "\": " : "\":");
}

// A value at nesting depth `depth`; below depth 4 only scalars, which bounds a record.
static void put_value(int depth) {
    unsigned int kind = below(depth >= 4 ? 5 : 8);
    switch (kind) {
    case 0: put_text("null"); return;
    case 1: put_text(below(2) ? "true" : "false"); return;
    case 2: case 3: put_number(); return;
    case 4: put_string(); return;
    }
    int is_object = kind == 7;
    put_char(is_object ? '{' : '[');
    for (int i = 0, count = (int)below(6); i < count; i++) {
        if (i > 0)
            put_char(',');
        put_space();
        if (is_object)
            put_key();
        put_value(depth + 1);
    }
    put_space();
    put_char(is_object ? '}' : ']');
}

// One order: fixed members, of which qty is a single digit, then a few random ones.
static void put_record(int id) {
    put_text("{\"id\": ");
    put_unsigned((unsigned int)id);
    put_text(", \"price\": ");
    put_unsigned(below(500));
    put_char('.');
    put_unsigned(10 + below(90));
    put_text(", \"qty\": ");
    qty_digits[qty_count++] = doc_length;
    put_char((char)('0' + below(10)));
    for (int extra = (int)below(5); extra > 0; extra--) {
        put_char(',');
        put_space();
        put_key();
        put_value(2);
    }
    put_char('}');
}

static void generate_document(void) {
    rng_state = 20241201;
    doc_length = 0;
    qty_count = 0;
    put_char('[');
    for (int id = 1; doc_length < DOC_TARGET; id++) {
        if (id > 1)
            put_char(',');
        put_space();
        put_record(id);
    }
    put_text("\n]");
    doc[doc_length] = 0;  // the parser's sentinel, not part of the text
}

// --- Parser -------------------------------------------------------------------------
// The document ends in a NUL, which no rule accepts, so the scanner needs no bounds
// checks: every loop stops at the NUL and the parse fails there.

static int at, failed;  // the parser's position in doc, and whether it failed

static int fail(void) { failed = 1; return 0; }
static void pool_byte(int c) { pool[pool_length++] = (char)c; }

static int new_node(int type) {
    if (node_count >= MAX_NODES) return fail();
    nodes[node_count] = (struct node){type, 0, 0, 0, 0, 0, -1, -1};
    return node_count++;
}

static void skip_space(void) {
    while (doc[at] == ' ' || doc[at] == '\n' || doc[at] == '\t' || doc[at] == '\r')
        at++;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int hex_digit(char c) {
    char lower = c | 0x20;
    return is_digit(c) ? c - '0' : lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

// Parses a string starting at its opening quote; unescapes it into the pool and
// returns its offset there, with its length in *length.
static int parse_string(int *length) {
    int start = pool_length;
    at++;  // the opening quote
    for (;;) {
        unsigned char c = (unsigned char)doc[at++];
        if (c == '"') break;
        if (c < 0x20) return fail();  // including the final NUL
        if (c != '\\') {
            pool_byte(c);
            continue;
        }
        // The one-character escapes, and what they stand for.
        static const char escaped[] = "\"\\/bfnrt", meaning[] = "\"\\/\b\f\n\r\t";
        char e = doc[at++];
        int which = 0;
        while (escaped[which] && escaped[which] != e)
            which++;
        if (escaped[which]) {
            pool_byte(meaning[which]);
        } else if (e == 'u') {
            int code = 0;
            for (int i = 0; i < 4; i++, at++) {
                int d = hex_digit(doc[at]);
                if (d < 0) return fail();
                code = code * 16 + d;
            }
            // UTF-8; surrogate pairs are not combined (the generator emits none).
            if (code >= 0x800)
                pool_byte(0xE0 | code >> 12);
            if (code >= 0x80)
                pool_byte(code >= 0x800 ? 0x80 | ((code >> 6) & 0x3F) : 0xC0 | code >> 6);
            pool_byte(code >= 0x80 ? 0x80 | (code & 0x3F) : code);
        } else {
            return fail();
        }
    }
    *length = pool_length - start;
    return start;
}

// Reads digits into *mantissa while it is below 10^14, adjusting *scale for dropped
// integer digits and kept fraction digits; returns how many digits there were.
static int read_digits(long long *mantissa, int *scale, int fraction) {
    int start = at;
    for (; is_digit(doc[at]); at++) {
        if (*mantissa < 100000000000000LL) {
            *mantissa = *mantissa * 10 + (doc[at] - '0');
            *scale -= fraction;
        } else {
            *scale += !fraction;
        }
    }
    return at - start;
}

// -?digits(.digits)?([eE][+-]?digits)? in thousandths, truncated toward zero; values
// beyond about 10^17 saturate.
static long long parse_number(void) {
    int negative = doc[at] == '-';
    at += negative;
    long long mantissa = 0;
    int scale = 3;  // the value in thousandths is mantissa * 10^scale
    if (read_digits(&mantissa, &scale, 0) == 0) return fail();
    if (doc[at] == '.' && (at++, read_digits(&mantissa, &scale, 1) == 0)) return fail();
    if (doc[at] == 'e' || doc[at] == 'E') {
        int sign = doc[++at] == '-' ? -1 : 1, ignored = 0;
        at += doc[at] == '+' || doc[at] == '-';
        long long exponent = 0;
        if (read_digits(&exponent, &ignored, 0) == 0) return fail();
        scale += sign * (int)(exponent < 1000 ? exponent : 1000);
    }
    for (; scale > 0 && mantissa != 0 && mantissa < 100000000000000000LL; scale--)
        mantissa *= 10;
    for (; scale < 0 && mantissa != 0; scale++)
        mantissa /= 10;
    return negative ? -mantissa : mantissa;
}

// Consumes word if the text continues with it.
static int match_word(const char *word) {
    int i = 0;
    for (; word[i]; i++)
        if (doc[at + i] != word[i]) return 0;
    at += i;
    return 1;
}

static int parse_value(int depth);

// Parses open [element (, element)*] close, where an object's elements are
// "key": value; links the children in order.
static int parse_container(int depth, int is_object) {
    int self = new_node(is_object ? J_OBJECT : J_ARRAY), last = -1;
    char close = is_object ? '}' : ']';
    for (at++;; at++) {  // at++ skips the opening bracket, then each comma
        int key = 0, key_length = 0;
        skip_space();
        if (last < 0 && doc[at] == close) break;  // an empty container
        if (is_object) {
            if (doc[at] != '"') return fail();
            key = parse_string(&key_length);
            skip_space();
            if (doc[at++] != ':') return fail();
        }
        int child = parse_value(depth + 1);
        if (failed) return 0;
        nodes[child].key = key;
        nodes[child].key_length = key_length;
        *(last < 0 ? &nodes[self].first_child : &nodes[last].next) = child;
        last = child;
        skip_space();
        if (doc[at] == close) break;
        if (doc[at] != ',') return fail();
    }
    at++;  // the closing bracket
    return self;
}

static int parse_value(int depth) {
    skip_space();
    if (depth > MAX_DEPTH) return fail();
    int self;
    switch (doc[at]) {
    case '{': return parse_container(depth, 1);
    case '[': return parse_container(depth, 0);
    case '"':
        self = new_node(J_STRING);
        nodes[self].text = parse_string(&nodes[self].text_length);
        return self;
    case 't': return match_word("true") ? new_node(J_TRUE) : fail();
    case 'f': return match_word("false") ? new_node(J_FALSE) : fail();
    case 'n': return match_word("null") ? new_node(J_NULL) : fail();
    default:
        self = new_node(J_NUMBER);
        nodes[self].number = parse_number();
        return self;
    }
}

// --- Tree walk ----------------------------------------------------------------------

static unsigned long long hash_bytes(const char *p, int length) {
    unsigned long long h = 14695981039346656037ULL;  // FNV-1a
    for (int i = 0; i < length; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

// The member of object called name, or -1.
static int member(int object, const char *name) {
    for (int child = nodes[object].first_child; child >= 0; child = nodes[child].next) {
        const char *key = pool + nodes[child].key;
        int i = 0;
        while (name[i] && i < nodes[child].key_length && key[i] == name[i])
            i++;
        if (name[i] == 0 && i == nodes[child].key_length)
            return child;
    }
    return -1;
}

static long long order_total;  // sum of price * qty over objects having both, in thousandths

static unsigned long long walk(int index, int depth) {
    const struct node *nd = &nodes[index];
    unsigned long long h = (unsigned long long)(nd->type + 1) * 0x9E3779B97F4A7C15ULL;
    if (nd->key_length > 0)
        h ^= hash_bytes(pool + nd->key, nd->key_length);
    if (nd->type == J_NUMBER)
        h += (unsigned long long)nd->number * (unsigned long long)(depth + 1);
    else if (nd->type == J_STRING)
        h += hash_bytes(pool + nd->text, nd->text_length) * 3;
    if (nd->type == J_OBJECT) {
        int price = member(index, "price"), qty = member(index, "qty");
        if (price >= 0 && qty >= 0 && nodes[price].type == J_NUMBER && nodes[qty].type == J_NUMBER)
            order_total += nodes[price].number * nodes[qty].number / 1000;
    }
    for (int child = nd->first_child; child >= 0; child = nodes[child].next)
        h = h * 31 + walk(child, depth + 1);
    return h;
}

long long run(int n) {
    if (n < 1)
        return 0;
    generate_document();
    unsigned long long checksum = 0;
    for (int pass = 0; pass < n; pass++) {
        doc[qty_digits[((unsigned int)pass * 7919u) % (unsigned int)qty_count]] = (char)('0' + pass % 10);
        node_count = pool_length = at = failed = 0;
        int root = parse_value(0);
        skip_space();
        if (failed || at != doc_length) return -1;
        order_total = 0;
        unsigned long long tree = walk(root, 0);
        checksum = ((checksum * 1000003 + tree) * 1000003 + (unsigned long long)order_total) * 1000003 +
                   (unsigned long long)node_count;
    }
    return (long long)(checksum & 0x7FFFFFFFFFFFFFFFULL);
}
