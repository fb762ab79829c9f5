// bytesearch: counting occurrences of bytes and finding the first of a set in a buffer
// (memchr/strpbrk-like loops, as parsers and compressors run them).
//
// Entry:        long long run(int n) -> checksum after n scans of a 1 MiB buffer
// default size: 400
// Checksum:     total matches * 2^32 + sum of first-match positions mod 2^32

#define N (1 << 20)

static unsigned char buffer[N];

static int count_byte(const unsigned char *s, int len, unsigned char c) {
    int count = 0;
    for (int i = 0; i < len; i++)
        count += s[i] == c;
    return count;
}

static int first_of(const unsigned char *s, int len, unsigned char c1, unsigned char c2) {
    for (int i = 0; i < len; i++)
        if (s[i] == c1 || s[i] == c2)
            return i;
    return -1;
}

long long run(int n) {
    unsigned int seed = 777;
    for (int i = 0; i < N; i++) {
        seed = seed * 1664525u + 1013904223u;
        buffer[i] = (unsigned char)('a' + (seed >> 24) % 26);
    }
    // The set searched for is rare: two planted bytes.
    buffer[N / 2 - 100] = '{';
    buffer[N - 50] = '}';
    unsigned long long matches = 0, positions = 0;
    for (int round = 0; round < n; round++) {
        unsigned char c = (unsigned char)('a' + round % 26);
        matches += (unsigned long long)count_byte(buffer, N, c);
        int at = first_of(buffer + (round * 4099) % (N / 2), N / 2, (unsigned char)'{', (unsigned char)'}');
        positions += (unsigned long long)(at + 1);
    }
    return (long long)((matches << 32) + (positions & 0xFFFFFFFFu));
}
