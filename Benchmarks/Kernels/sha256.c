// sha256: SHA-256 (FIPS 180-4) of a long generated message.
//
// What it exercises: 32-bit rotates, shifts, xors and adds on values held in
// locals, plus sequential byte loads: the classic integer-ALU-bound kernel.
//
// Entry:        long long run(int mib) -> first 8 bytes of the digest, big-endian
// default size: 96 (MiB hashed)
//
// The message is a 1 MiB buffer of pseudo-random bytes repeated `mib` times, hashed
// as one stream, so the work scales without needing more linear memory. For
// mib = 1 the result can be checked against any sha256 tool on the buffer.

#define BUFFER_SIZE (1 << 20)

static unsigned char buffer[BUFFER_SIZE];

// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
static const unsigned int round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline unsigned int rotr(unsigned int x, int n) {
    return (x >> n) | (x << (32 - n));
}

static void compress(unsigned int state[8], const unsigned char *block) {
    unsigned int w[64];
    for (int t = 0; t < 16; t++) {
        const unsigned char *p = block + 4 * t;
        w[t] = ((unsigned int)p[0] << 24) | ((unsigned int)p[1] << 16) | ((unsigned int)p[2] << 8) | p[3];
    }
    for (int t = 16; t < 64; t++) {
        unsigned int s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        unsigned int s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    unsigned int a = state[0], b = state[1], c = state[2], d = state[3];
    unsigned int e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
        unsigned int big1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        unsigned int choose = (e & f) ^ (~e & g);
        unsigned int t1 = h + big1 + choose + round_constants[t] + w[t];
        unsigned int big0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        unsigned int majority = (a & b) ^ (a & c) ^ (b & c);
        unsigned int t2 = big0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

// xorshift32: cheap, deterministic filler so the message is not trivially compressible.
static void fill_buffer(void) {
    unsigned int x = 0x9e3779b9u;
    for (int i = 0; i < BUFFER_SIZE; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buffer[i] = (unsigned char)(x >> 24);
    }
}

long long run(int mib) {
    if (mib < 0)
        mib = 0;
    fill_buffer();
    unsigned int state[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    // BUFFER_SIZE is a multiple of the 64-byte block, so whole repetitions need no
    // carry-over between buffer copies; only the final padding block is special.
    for (int r = 0; r < mib; r++)
        for (int offset = 0; offset < BUFFER_SIZE; offset += 64)
            compress(state, buffer + offset);

    unsigned char last[64];
    for (int i = 0; i < 64; i++)
        last[i] = 0;
    last[0] = 0x80;
    unsigned long long bits = (unsigned long long)mib * BUFFER_SIZE * 8;
    for (int i = 0; i < 8; i++)
        last[63 - i] = (unsigned char)(bits >> (8 * i));
    compress(state, last);

    return (long long)(((unsigned long long)state[0] << 32) | state[1]);
}
