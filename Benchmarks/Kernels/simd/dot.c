// dot: dot products of float vectors (the inner loop of many numeric codes), summed in
// several lanes as -ffast-math-free C does with explicit partial sums, and an integer
// dot product of 16-bit samples (audio and image filters).
//
// Entry:        long long run(int n) -> checksum after n rounds over 64K-element vectors
// default size: 2000
// Checksum:     the integer dot products' sum plus the float sums' bits, mixed

#define N 65536

static float a[N], b[N];
static short p[N], q[N];

long long run(int n) {
    for (int i = 0; i < N; i++) {
        a[i] = (float)((i * 7) % 101) * 0.01f;
        b[i] = (float)((i * 13) % 97) * 0.02f;
        p[i] = (short)((i * 31) % 2001 - 1000);
        q[i] = (short)((i * 17) % 1999 - 999);
    }
    unsigned long long check = 0;
    for (int round = 0; round < n; round++) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < N; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        long long si = 0;
        for (int i = 0; i < N; i++)
            si += p[i] * q[i];
        float s = (s0 + s1) + (s2 + s3);
        union { float f; unsigned int u; } bits = { s };
        check = check * 31 + (unsigned long long)si + bits.u;
        a[round & (N - 1)] += 0.5f;
        p[round & (N - 1)] += 1;
    }
    return (long long)check;
}
