// sieve: Sieve of Eratosthenes over a byte array in linear memory.
//
// What it exercises: tight loops of byte stores with a large stride, i.e. memory
// bandwidth and the cost of bounds checking on every access.
//
// Entry:        long long run(int n) -> checksum of the primes <= n
// default size: 64000000 (also the maximum, MAX_N; larger n is clamped)
// Checksum:     prime count * 2^40 + (sum of primes mod 2^40)

#define MAX_N 64000000

// A static array, so it lives in the module's linear memory (zero-initialised .bss,
// no data segment) rather than being allocated at run time.
static unsigned char composite[MAX_N + 1];

long long run(int n) {
    if (n > MAX_N)
        n = MAX_N;
    if (n < 2)
        return 0;
    // Clear explicitly: run may be called more than once on the same instance.
    for (int i = 0; i <= n; i++)
        composite[i] = 0;
    for (long long i = 2; i * i <= n; i++) {
        if (composite[i])
            continue;
        for (long long j = i * i; j <= n; j += i)
            composite[j] = 1;
    }
    unsigned long long count = 0, sum = 0;
    for (int i = 2; i <= n; i++) {
        if (!composite[i]) {
            count++;
            sum += (unsigned long long)i;
        }
    }
    const unsigned long long mask = (1ULL << 40) - 1;
    return (long long)((count << 40) + (sum & mask));
}
