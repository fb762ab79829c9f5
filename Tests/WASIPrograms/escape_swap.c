// A directory turns into a symlink while the program runs. It imports one function
// from the embedder, kiln_test.swap, which renames sandbox/sub to sandbox/sub-old and
// puts a symlink sub -> ../outside in its place (SandboxEscapeTests.swift defines it).
// Before the swap sub/secret.txt is the sandbox's own file ("sandbox copy"); after it,
// every path through sub must be blocked, while a directory fd opened before the swap
// keeps naming the real directory (now sub-old) and still cannot climb out with "..".
//
// Prints the same kind of lines as escape.c and exits with the number of escapes and
// failed controls. Paths are relative to the working directory "/".
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((import_module("kiln_test"), import_name("swap"))) void host_swap(void);

static int failures = 0;

static size_t slurp(int fd, char *buf, size_t size) {
    size_t total = 0;
    ssize_t n;
    while (total + 1 < size && (n = read(fd, buf + total, size - 1 - total)) > 0) total += (size_t)n;
    buf[total] = '\0';
    return total;
}

// Opens and reads path (relative to dirfd); prints what it got. Reading the secret
// is an escape; blocked is what the attempts after the swap expect.
static void look(const char *name, int dirfd, const char *path, int must_work) {
    errno = 0;
    int fd = openat(dirfd, path, O_RDONLY);
    int err = errno;
    if (fd < 0) {
        printf("%s%s: blocked (errno %d)\n", must_work ? "control " : "", name, err);
        failures += must_work;
        return;
    }
    char buf[256];
    slurp(fd, buf, sizeof buf);
    close(fd);
    if (strstr(buf, "TOP SECRET")) {
        printf("%s: ESCAPED (read the secret)\n", name);
        failures++;
    } else {
        printf("%s%s: read \"%.*s\"\n", must_work ? "control " : "", name, (int)strcspn(buf, "\n"), buf);
    }
}

#define ATTEMPT(name, expr) do { errno = 0; int r_ = (expr); int e_ = errno; \
    if (r_ < 0) printf("%s: blocked (errno %d)\n", name, e_); \
    else { printf("%s: ESCAPED (succeeded)\n", name); failures++; } } while (0)

int main(void) {
    int sub = open("sub", O_RDONLY | O_DIRECTORY);
    if (sub < 0) {
        printf("control open sub: FAILED (errno %d)\n", errno);
        return 1;
    }
    look("open sub/secret.txt before the swap", AT_FDCWD, "sub/secret.txt", 1);
    look("openat(sub, secret.txt) before the swap", sub, "secret.txt", 1);

    host_swap();
    printf("-- sub is now a symlink to ../outside\n");

    look("open sub/secret.txt", AT_FDCWD, "sub/secret.txt", 0);
    look("open sub/../sub/secret.txt", AT_FDCWD, "sub/../sub/secret.txt", 0);
    look("openat(sub, secret.txt) through the old fd", sub, "secret.txt", 0);
    look("openat(sub, ../../outside/secret.txt)", sub, "../../outside/secret.txt", 0);
    look("open sub-old/secret.txt", AT_FDCWD, "sub-old/secret.txt", 1);
    struct stat st;
    ATTEMPT("stat sub/secret.txt", stat("sub/secret.txt", &st));
    ATTEMPT("mkdir sub/newdir", mkdir("sub/newdir", 0755));
    ATTEMPT("unlink sub/secret.txt", unlink("sub/secret.txt"));
    ATTEMPT("rmdir sub/victim", rmdir("sub/victim"));
    errno = 0;
    int fd = open("sub/created.txt", O_CREAT | O_WRONLY, 0644);
    if (fd < 0) printf("create sub/created.txt: blocked (errno %d)\n", errno);
    else { printf("create sub/created.txt: ESCAPED (succeeded)\n"); failures++; close(fd); }
    errno = 0;
    DIR *dir = opendir("sub");
    if (dir == NULL) printf("opendir sub: blocked (errno %d)\n", errno);
    else {
        int foreign = 0;
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) foreign |= strcmp(entry->d_name, "victim") == 0;
        closedir(dir);
        if (foreign) { printf("opendir sub: ESCAPED (listed outside/)\n"); failures++; }
        else printf("opendir sub: contained (only sandbox entries)\n");
    }
    close(sub);
    printf("failures: %d\n", failures);
    return failures;
}
