// Native driver for one kernel: calls the kernel's `run` with the default size
// (or argv[1]) and prints the checksum, so a wasm engine's result can be compared
// against it. build.sh passes KERNEL_NAME and DEFAULT_SIZE, the latter taken from
// the "default size:" line at the top of the kernel's source.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef KERNEL_NAME
#error "compile with -DKERNEL_NAME=\"name\""
#endif
#ifndef DEFAULT_SIZE
#error "compile with -DDEFAULT_SIZE=<n>"
#endif

long long run(int n);

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : DEFAULT_SIZE;
    double start = now_seconds();
    long long checksum = run(n);
    double elapsed = now_seconds() - start;
    // Checksum on stdout (machine-readable); the timing is informational only.
    printf("%s %d %lld\n", KERNEL_NAME, n, checksum);
    fprintf(stderr, "%s: size %d, %.3f s\n", KERNEL_NAME, n, elapsed);
    return 0;
}
