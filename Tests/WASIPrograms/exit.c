// Exit codes: argv[1] says how to end, argv[2] with what code.
//   return N  main returns N (wasi-libc's _start calls proc_exit only when N != 0)
//   exit N    exit(N): atexit handlers run and stdio is flushed, then proc_exit(N)
//   quick N   _Exit(N): no atexit handlers, no flushing (so it flushes by hand first)
//   abort 0   abort(): a trap, not an exit code
//   big N     20000 bytes to stdout without a newline (several buffers' worth), then exit(N)
// A constructor writes to stderr before main, and two atexit handlers run in reverse
// order of registration.
// Output goes to stdout without a final newline, and to stderr, so both must be flushed
// by the runtime-independent libc path before the module stops. No preopened directory.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void first_registered(void) { printf(" [first atexit handler]"); }
static void second_registered(void) { printf(" [second atexit handler]"); }

__attribute__((constructor)) static void before_main(void) { fputs("constructor ran\n", stderr); }

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: exit return|exit|quick|abort|big CODE\n");
        return 2;
    }
    char *end;
    long code = strtol(argv[2], &end, 10);
    if (*end != '\0' || code < 0 || code > 255) {
        fprintf(stderr, "bad code %s\n", argv[2]);
        return 2;
    }
    if (atexit(first_registered) != 0 || atexit(second_registered) != 0) return 1;
    fprintf(stderr, "mode %s, code %ld\n", argv[1], code);
    printf("ending with %s %ld", argv[1], code);
    if (strcmp(argv[1], "return") == 0) return (int)code;
    if (strcmp(argv[1], "exit") == 0) exit((int)code);
    if (strcmp(argv[1], "quick") == 0) {
        fflush(stdout);
        _Exit((int)code);
    }
    if (strcmp(argv[1], "abort") == 0) {
        fflush(stdout);
        fputs("aborting\n", stderr);
        abort();
    }
    if (strcmp(argv[1], "big") == 0) {
        for (int i = 0; i < 20000; i++) putchar('a' + i % 26);
        exit((int)code);
    }
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
