// Files: create, write, read, lseek, pread/pwrite, readv/writev, ftruncate, O_APPEND,
// stdio append mode, stat sizes, rename (also over an existing file), unlink, and the
// errno of the usual failures. Runs in fixtures/files (input.txt) preopened as "/";
// paths are relative to the working directory "/".
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static void must(int ok, const char *what) {
    if (!ok) {
        printf("FAILED: %s (errno %d)\n", what, errno);
        exit(1);
    }
}

static long long size_of(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return -(long long)errno;
    return (long long)st.st_size;
}

// Prints a file's bytes, with anything unprintable as \xNN.
static void show(const char *path) {
    FILE *f = fopen(path, "rb");
    must(f != NULL, path);
    printf("%s [%lld]: \"", path, size_of(path));
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (c >= 32 && c < 127 && c != '\\' && c != '"') putchar(c);
        else printf("\\x%02x", (unsigned)c);
    }
    printf("\"\n");
    fclose(f);
}

// The result of a call and the errno it left (0 when it succeeded); file descriptors
// print as "fd", since runtimes may number them differently.
#define TRY(what, expr) do { errno = 0; long long r_ = (long long)(expr); int e_ = r_ < 0 ? errno : 0; \
    printf("%s: %lld errno %d\n", what, r_, e_); } while (0)
#define TRYFD(what, expr) do { errno = 0; int fd_ = (expr); int e_ = errno; \
    if (fd_ >= 0) { printf("%s: fd\n", what); close(fd_); } else printf("%s: -1 errno %d\n", what, e_); } while (0)

// writev or readv until every buffer is done (or end of file), however little each
// call moves; returns the bytes moved.
static size_t transfer(int fd, struct iovec *iov, int count, int writing) {
    size_t total = 0;
    while (count > 0) {
        if (iov->iov_len == 0) { iov++; count--; continue; }
        ssize_t n = writing ? writev(fd, iov, count) : readv(fd, iov, count);
        must(n >= 0, writing ? "writev" : "readv");
        if (n == 0) break;
        total += (size_t)n;
        size_t left = (size_t)n;
        while (count > 0 && left >= iov->iov_len) { left -= iov->iov_len; iov++; count--; }
        if (left > 0) { iov->iov_base = (char *)iov->iov_base + left; iov->iov_len -= left; }
    }
    return total;
}

static long long pos(int fd) { return (long long)lseek(fd, 0, SEEK_CUR); }

int main(void) {
    // The fixture file, line by line.
    FILE *in = fopen("input.txt", "r");
    must(in != NULL, "fopen input.txt");
    char line[128];
    int number = 0;
    while (fgets(line, sizeof line, in) != NULL) printf("input %d: %s", ++number, line);
    fclose(in);
    printf("input.txt size %lld\n", size_of("input.txt"));

    // Create and write.
    int fd = open("out.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    must(fd >= 0, "create out.txt");
    must(write(fd, "hello, world\n", 13) == 13, "write 1");
    must(write(fd, "second line\n", 12) == 12, "write 2");
    must(close(fd) == 0, "close");
    show("out.txt");

    // Seeking and reading.
    fd = open("out.txt", O_RDWR);
    must(fd >= 0, "open out.txt O_RDWR");
    printf("seek end %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("seek set 7 -> %lld\n", (long long)lseek(fd, 7, SEEK_SET));
    char buf[64] = {0};
    printf("read %zd: %.5s\n", read(fd, buf, 5), buf);
    printf("position %lld\n", pos(fd));
    printf("seek cur +1 -> %lld\n", (long long)lseek(fd, 1, SEEK_CUR));
    printf("seek end -5 -> %lld\n", (long long)lseek(fd, -5, SEEK_END));
    TRY("seek set -1", lseek(fd, -1, SEEK_SET));
    // Past the end: the gap reads back as zeros.
    printf("seek end +3 -> %lld\n", (long long)lseek(fd, 3, SEEK_END));
    must(write(fd, "X", 1) == 1, "write past end");
    show("out.txt");

    // pread/pwrite leave the position alone.
    long long before = pos(fd);
    must(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite");
    memset(buf, 0, sizeof buf);
    must(pread(fd, buf, 5, 0) == 5, "pread");
    printf("pread %s, position %lld -> %lld\n", buf, before, pos(fd));
    printf("pread at end: %zd\n", pread(fd, buf, 5, 1000));

    // writev/readv over several buffers (a runtime may transfer fewer bytes than asked:
    // wasmtime moves only the first non-empty buffer per call).
    must(lseek(fd, 0, SEEK_SET) == 0, "rewind");
    struct iovec out[3] = {{(void *)"ab", 2}, {(void *)"", 0}, {(void *)"cdef", 4}};
    printf("writev %zu\n", transfer(fd, out, 3, 1));
    must(lseek(fd, 0, SEEK_SET) == 0, "rewind");
    char a[3] = {0}, b[5] = {0};
    struct iovec into[2] = {{a, 2}, {b, 4}};
    printf("readv %zu: %s|%s\n", transfer(fd, into, 2, 0), a, b);

    // ftruncate shrinks and grows (with zeros).
    struct stat st;
    must(ftruncate(fd, 5) == 0, "ftruncate 5");
    must(fstat(fd, &st) == 0, "fstat");
    printf("after ftruncate 5: %lld\n", (long long)st.st_size);
    must(ftruncate(fd, 8) == 0, "ftruncate 8");
    must(fstat(fd, &st) == 0 && S_ISREG(st.st_mode), "fstat regular");
    printf("after ftruncate 8: %lld, position %lld\n", (long long)st.st_size, pos(fd));
    must(fsync(fd) == 0, "fsync");
    must(close(fd) == 0, "close");
    show("out.txt");

    // O_APPEND writes at the end whatever the position.
    fd = open("log.txt", O_CREAT | O_WRONLY | O_APPEND, 0644);
    must(fd >= 0, "create log.txt");
    must(write(fd, "one\n", 4) == 4, "append one");
    must(lseek(fd, 0, SEEK_SET) == 0, "seek 0 in append mode");
    must(write(fd, "two\n", 4) == 4, "append two");
    close(fd);
    FILE *log = fopen("log.txt", "a");
    must(log != NULL, "fopen a");
    fprintf(log, "three %d\n", 3);
    fclose(log);
    show("log.txt");

    // A larger file through stdio, read back in odd-sized pieces.
    FILE *big = fopen("big.bin", "wb");
    must(big != NULL, "fopen big.bin");
    for (unsigned i = 0; i < 70000; i++) fputc((int)((i * 7u + i / 256u) & 0xffu), big);
    must(fclose(big) == 0, "fclose big.bin");
    fd = open("big.bin", O_RDONLY);
    must(fd >= 0, "open big.bin");
    unsigned long sum = 0, total = 0;
    unsigned char chunk[1000];
    ssize_t n;
    while ((n = read(fd, chunk, 999)) > 0) {
        for (ssize_t i = 0; i < n; i++) sum = (sum * 31u + chunk[i]) & 0xffffffffu;
        total += (unsigned long)n;
    }
    close(fd);
    printf("big.bin: %lu bytes, checksum %08lx, stat %lld\n", total, sum, size_of("big.bin"));
    must(unlink("big.bin") == 0, "unlink big.bin");

    // Errors.
    TRYFD("O_EXCL on existing", open("log.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
    TRYFD("open missing", open("missing.txt", O_RDONLY));
    TRYFD("open missing/x with O_CREAT", open("missing/x", O_CREAT | O_WRONLY, 0644));
    printf("stat missing: %lld\n", size_of("missing.txt"));
    fd = open("log.txt", O_WRONLY);
    must(fd >= 0, "open log.txt O_WRONLY");
    TRY("read write-only fd", read(fd, buf, 1));
    close(fd);
    TRY("read closed fd", read(fd, buf, 1));
    TRY("close closed fd", close(fd));

    // rename, also over an existing file, and unlink.
    must(rename("out.txt", "renamed.txt") == 0, "rename");
    printf("after rename: out.txt %lld, renamed.txt %lld\n", size_of("out.txt"), size_of("renamed.txt"));
    fd = open("other.txt", O_CREAT | O_WRONLY, 0644);
    must(fd >= 0 && write(fd, "to be replaced", 14) == 14, "other.txt");
    close(fd);
    must(rename("renamed.txt", "other.txt") == 0, "rename over existing");
    show("other.txt");
    TRY("rename missing", rename("renamed.txt", "x.txt"));
    must(unlink("other.txt") == 0, "unlink other.txt");
    TRY("unlink again", unlink("other.txt"));
    printf("done\n");
    return 0;
}
