// A freestanding C program for Kiln: computes a few things and prints them through WASI's
// fd_write, or write(2) when built natively (-DNATIVE), so both builds print the same text.
// Build both with Examples/c/build.sh.
#include <stdint.h>

#ifdef NATIVE
long write(int fd, const void *buffer, unsigned long count);
static void output(const char *text, int length) { write(1, text, (unsigned long)length); }
#else
typedef struct { const char *base; uint32_t length; } iovec;
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int32_t fd_write(int32_t fd, const iovec *vectors, int32_t count, uint32_t *written);
static void output(const char *text, int length) {
    iovec vector = {text, (uint32_t)length};
    uint32_t written;
    fd_write(1, &vector, 1, &written);
}
#endif

static void print(const char *text) {
    int length = 0;
    while (text[length]) length++;
    output(text, length);
}

static void print_int(int64_t value) {
    char digits[24];
    int i = 23;
    int negative = value < 0;
    uint64_t magnitude = negative ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    digits[i] = 0;
    do {
        digits[--i] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (negative) digits[--i] = '-';
    print(&digits[i]);
}

static void print_fixed(double value) {  // three decimals
    int64_t scaled = (int64_t)(value * 1000.0 + (value < 0 ? -0.5 : 0.5));
    if (scaled < 0) { print("-"); scaled = -scaled; }
    print_int(scaled / 1000);
    print(".");
    int64_t fraction = scaled % 1000;
    if (fraction < 100) print("0");
    if (fraction < 10) print("0");
    print_int(fraction);
}

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint8_t sieve[100000];

static int count_primes(int limit) {
    int count = 0;
    for (int i = 2; i < limit; i++) sieve[i] = 1;
    for (int i = 2; i < limit; i++) {
        if (!sieve[i]) continue;
        count++;
        for (int j = 2 * i; j < limit; j += i) sieve[j] = 0;
    }
    return count;
}

static uint32_t state = 12345;
static uint32_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static void sort(int32_t *values, int count) {  // insertion sort
    for (int i = 1; i < count; i++) {
        int32_t v = values[i];
        int j = i - 1;
        while (j >= 0 && values[j] > v) { values[j + 1] = values[j]; j--; }
        values[j + 1] = v;
    }
}

static double leibniz_pi(int terms) {
    double sum = 0;
    for (int k = 0; k < terms; k++) sum += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
    return sum;
}

static const char *const names[] = {"zero", "one", "two", "three", "four"};

int main(void) {
    print("hello from C\n");
    for (int i = 0; i < 5; i++) { print(names[i]); print(i < 4 ? " " : "\n"); }
    print("fib(25) = "); print_int(fib(25)); print("\n");
    print("primes below 100000: "); print_int(count_primes(100000)); print("\n");
    int32_t values[200];
    for (int i = 0; i < 200; i++) values[i] = (int32_t)(next_random() % 2001) - 1000;
    sort(values, 200);
    print("sorted: "); print_int(values[0]); print(" "); print_int(values[100]); print(" "); print_int(values[199]); print("\n");
    int64_t checksum = 0;
    for (int i = 0; i < 200; i++) checksum = checksum * 31 + values[i];
    print("checksum: "); print_int(checksum); print("\n");
    print("pi ~ "); print_fixed(leibniz_pi(1000000)); print("\n");
    print("int64 min: "); print_int(INT64_MIN); print("\n");
    return 0;
}

#ifndef NATIVE
__attribute__((export_name("_start"))) void _start(void) { main(); }
#endif
