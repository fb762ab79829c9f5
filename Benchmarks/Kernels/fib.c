// fib: naive doubly recursive Fibonacci.
//
// What it exercises: direct calls and returns, call-frame setup, shallow but very
// frequent recursion. Almost no memory traffic, so it isolates call overhead.
//
// Entry:        long long run(int n) -> fib(n) (mod 2^32 beyond n = 47)
// default size: 40
// Work:         clang turns one of the two recursive calls into a loop, leaving
//               about fib(n) real calls (~100 million at the default size).

// noinline keeps clang from unrolling recursion levels into `run`; unsigned makes
// overflow for large n well defined rather than undefined behaviour.
__attribute__((noinline)) unsigned fib(unsigned n) {
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

long long run(int n) {
    return fib((unsigned)n);
}
