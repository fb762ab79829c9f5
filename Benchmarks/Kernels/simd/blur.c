// blur: a 3x3 box blur of an 8-bit grayscale image, repeated, written as plain C loops
// that clang autovectorizes with -msimd128 (widening, adds, a multiply-shift division).
//
// Entry:        long long run(int n) -> checksum after n passes over a 1024x768 image
// default size: 200
// Checksum:     sum of the final pixels times 2^20 plus a position-weighted sum mod 2^20

#define W 1024
#define H 768

static unsigned char image[H][W];
static unsigned char scratch[H][W];

long long run(int n) {
    unsigned int seed = 12345;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            seed = seed * 1103515245u + 12345u;
            image[y][x] = (unsigned char)(seed >> 24);
        }
    for (int pass = 0; pass < n; pass++) {
        for (int y = 1; y < H - 1; y++) {
            for (int x = 1; x < W - 1; x++) {
                unsigned int s = image[y - 1][x - 1] + image[y - 1][x] + image[y - 1][x + 1]
                    + image[y][x - 1] + image[y][x] + image[y][x + 1]
                    + image[y + 1][x - 1] + image[y + 1][x] + image[y + 1][x + 1];
                // s / 9, exact for s < 2^16 (s <= 2295)
                scratch[y][x] = (unsigned char)((s * 7282u) >> 16);
            }
        }
        for (int y = 1; y < H - 1; y++)
            for (int x = 1; x < W - 1; x++)
                image[y][x] = scratch[y][x];
    }
    unsigned long long sum = 0, weighted = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            sum += image[y][x];
            weighted += (unsigned long long)image[y][x] * (unsigned long long)(y * W + x);
        }
    return (long long)((sum << 20) + (weighted & ((1ULL << 20) - 1)));
}
