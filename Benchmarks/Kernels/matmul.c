// matmul: dense double-precision matrix multiply, C = A * B, n x n.
//
// What it exercises: f64 multiply-add in a tight inner loop with unit-stride
// loads and stores (i-k-j loop order), i.e. floating-point throughput and how well
// an engine keeps loop-invariant values in registers.
//
// Entry:        long long run(int n) -> bit pattern of the sum of all entries of C
// default size: 1024 (also the maximum, MAX_N; larger n is clamped)
//
// No -ffast-math anywhere, so every engine performs the same IEEE operations in the
// same order and the checksum must match bit for bit.

#define MAX_N 1024

static double a[MAX_N * MAX_N];
static double b[MAX_N * MAX_N];
static double c[MAX_N * MAX_N];

long long run(int n) {
    if (n > MAX_N)
        n = MAX_N;
    if (n < 1)
        return 0;
    // Small integers scaled by powers of two keep the inputs exactly representable,
    // so the checksum does not depend on how the constants were computed.
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * 7 + j * 3) % 17 - 8) * 0.125;
            b[i * n + j] = (double)((i * 5 + j * 11) % 13 - 6) * 0.25;
            c[i * n + j] = 0.0;
        }
    }
    for (int i = 0; i < n; i++) {
        double *ci = &c[i * n];
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            const double *bk = &b[k * n];
            for (int j = 0; j < n; j++)
                ci[j] += aik * bk[j];
        }
    }
    double sum = 0.0;
    for (int i = 0; i < n * n; i++)
        sum += c[i] * (double)(i % 3 + 1);
    union { double d; long long i; } bits = { sum };
    return bits.i;
}
