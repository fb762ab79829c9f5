// Tries to get out of the directory preopened as "/" (see SandboxEscapeTests.swift for
// the layout: sandbox/ with symlinks link-out -> ../outside, abs-link -> OUTSIDE/secret.txt,
// dangling -> ../outside/does-not-exist, loop1 <-> loop2, a directory sub/ and a file
// inside.txt; outside/ beside it with secret.txt and an empty directory victim/).
//
//   escape escape OUTSIDE   every attempt to reach or change outside/ (OUTSIDE: its host path)
//   escape readonly         with "/" preopened read-only: every attempt to change it
//   escape toctou           reads sub/secret.txt (run before and after sub becomes a symlink)
//
// Prints one line per attempt: "NAME: blocked (errno N)", "NAME: contained (...)" for a
// listing that shows only the sandbox, or "NAME: ESCAPED (...)"; "control NAME: ok" or
// "control NAME: FAILED (...)" for what must keep working. Exits with the number of
// escapes and failed controls. Paths are relative to the working directory "/".
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET_MARK "TOP SECRET"

static int failures = 0;

static void blocked(const char *name, int err) { printf("%s: blocked (errno %d)\n", name, err); }

static void escaped(const char *name, const char *detail) {
    printf("%s: ESCAPED (%s)\n", name, detail);
    failures++;
}

// ok first, then the errno it left (the caller computes ok in a statement of its own).
static void control(const char *name, int ok, int err) {
    if (ok) printf("control %s: ok\n", name);
    else { printf("control %s: FAILED (errno %d)\n", name, err); failures++; }
}

// An attempt whose success alone is an escape.
#define ATTEMPT(name, expr) do { errno = 0; int r_ = (expr); int e_ = errno; \
    if (r_ < 0) blocked(name, e_); else escaped(name, "succeeded"); } while (0)
#define CONTROL(name, expr) do { errno = 0; int r_ = (expr); int e_ = errno; control(name, r_ >= 0, e_); } while (0)

// Reads what an fd gives (at most 255 bytes) into buf; returns the byte count.
static size_t slurp(int fd, char *buf, size_t size) {
    size_t total = 0;
    ssize_t n;
    while (total + 1 < size && (n = read(fd, buf + total, size - 1 - total)) > 0) total += (size_t)n;
    buf[total] = '\0';
    return total;
}

// Opening at all is the escape; reading the secret says how bad.
static void try_openat(const char *name, int dirfd, const char *path, int flags) {
    errno = 0;
    int fd = dirfd == AT_FDCWD ? open(path, flags, 0644) : openat(dirfd, path, flags, 0644);
    int err = errno;
    if (fd < 0) { blocked(name, err); return; }
    char buf[256];
    slurp(fd, buf, sizeof buf);
    close(fd);
    escaped(name, strstr(buf, SECRET_MARK) ? "read the secret" : "opened");
}

// The whole file (up to size - 1 bytes) or -1 with errno.
static ssize_t read_file(const char *path, char *buf, size_t size) {
    errno = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    size_t n = slurp(fd, buf, size);
    int err = errno;
    close(fd);
    errno = err;
    return (ssize_t)n;
}

static void back_to_root(void) {
    if (chdir("/") != 0) {
        printf("chdir / failed: errno %d\n", errno);
        exit(100);
    }
}

static void try_open(const char *name, const char *path, int flags) { try_openat(name, AT_FDCWD, path, flags); }

// For the read-only preopen: opening for writing may be refused (blocked) or may give an
// fd that refuses writes (wasmtime does that for files opened through a directory fd
// derived from the preopen); only a write or truncation that works is a failure.
static void try_modify(const char *name, int dirfd, const char *path, int flags) {
    errno = 0;
    int fd = dirfd == AT_FDCWD ? open(path, flags, 0644) : openat(dirfd, path, flags, 0644);
    int err = errno;
    if (fd < 0) { blocked(name, err); return; }
    errno = 0;
    ssize_t written = write(fd, "CHANGED", 7);
    int write_err = errno;
    errno = 0;
    int truncated = ftruncate(fd, 1);
    int truncate_err = errno;
    close(fd);
    if (written >= 0 || truncated == 0) escaped(name, "changed the file");
    else printf("%s: blocked (opened, then write errno %d, ftruncate errno %d)\n", name, write_err, truncate_err);
}

// A listing is an escape when it shows names that live only outside the sandbox.
static void try_list(const char *name, const char *path) {
    errno = 0;
    DIR *dir = opendir(path);
    if (dir == NULL) { blocked(name, errno); return; }
    int foreign = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *n = entry->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) continue;
        // outside/ holds victim; the sandbox's parent holds outside and sandbox.
        foreign |= strcmp(n, "victim") == 0 || strcmp(n, "outside") == 0 || strcmp(n, "sandbox") == 0;
    }
    closedir(dir);
    if (foreign) escaped(name, "listed outside/");
    else printf("%s: contained (only sandbox entries)\n", name);
}

static void escape_attempts(const char *outside) {
    char path[1024];
    char buf[256];

    // What must work, so that "blocked" below means something.
    int ok = read_file("inside.txt", buf, sizeof buf) > 0;
    control("read inside.txt", ok, errno);
    errno = 0;
    int fd = open("sub/x", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    ok = fd >= 0 && write(fd, "x", 1) == 1;
    control("create sub/x", ok, errno);
    if (fd >= 0) close(fd);
    struct stat st;
    errno = 0;
    ok = lstat("abs-link", &st) == 0 && S_ISLNK(st.st_mode);
    control("lstat abs-link is a symlink", ok, errno);
    errno = 0;
    ssize_t n = readlink("link-out", buf, sizeof buf - 1);
    ok = n == 10 && memcmp(buf, "../outside", 10) == 0;
    control("readlink link-out", ok, errno);

    // Opening outside/secret.txt.
    try_open("open ../outside/secret.txt", "../outside/secret.txt", O_RDONLY);
    try_open("open /../outside/secret.txt", "/../outside/secret.txt", O_RDONLY);
    try_open("open sub/../../outside/secret.txt", "sub/../../outside/secret.txt", O_RDONLY);
    snprintf(path, sizeof path, "sub/../../../../../../../../../../../..%s/secret.txt", outside);
    try_open("open sub/ and many ..", path, O_RDONLY);
    snprintf(path, sizeof path, "%s/secret.txt", outside);
    try_open("open the host path", path, O_RDONLY);
    try_open("open link-out/secret.txt", "link-out/secret.txt", O_RDONLY);
    try_open("open sub/../link-out/secret.txt", "sub/../link-out/secret.txt", O_RDONLY);
    try_open("open link-out as a directory", "link-out", O_RDONLY | O_DIRECTORY);
    try_open("open abs-link", "abs-link", O_RDONLY);
    try_open("open abs-link O_NOFOLLOW", "abs-link", O_RDONLY | O_NOFOLLOW);
    try_open("open loop1", "loop1", O_RDONLY);
    try_open("open link-out/secret.txt for appending", "link-out/secret.txt", O_WRONLY | O_APPEND);
    try_open("open link-out/secret.txt with O_TRUNC", "link-out/secret.txt", O_WRONLY | O_TRUNC);
    try_open("create through dangling", "dangling", O_CREAT | O_WRONLY);
    try_open("create link-out/new.txt", "link-out/new.txt", O_CREAT | O_WRONLY);
    try_open("create ../outside/new.txt", "../outside/new.txt", O_CREAT | O_WRONLY);

    // From directory fds the program holds.
    errno = 0;
    int root = open(".", O_RDONLY | O_DIRECTORY);
    int sub = open("sub", O_RDONLY | O_DIRECTORY);
    ok = root >= 0 && sub >= 0;
    control("open . and sub as directories", ok, errno);
    try_openat("openat(., ../outside/secret.txt)", root, "../outside/secret.txt", O_RDONLY);
    try_openat("openat(sub, ../../outside/secret.txt)", sub, "../../outside/secret.txt", O_RDONLY);
    try_openat("openat(sub, the host path)", sub, path, O_RDONLY);
    try_openat("openat(sub, ../link-out/secret.txt)", sub, "../link-out/secret.txt", O_RDONLY);
    if (root >= 0) close(root);
    if (sub >= 0) close(sub);

    // Changing outside/.
    ATTEMPT("mkdir link-out/newdir", mkdir("link-out/newdir", 0755));
    ATTEMPT("mkdir ../newdir", mkdir("../newdir", 0755));
    ATTEMPT("mkdir dangling", mkdir("dangling", 0755));
    ATTEMPT("rename sub/x to ../outside/x", rename("sub/x", "../outside/x"));
    ATTEMPT("rename sub/x to link-out/x", rename("sub/x", "link-out/x"));
    ATTEMPT("rename link-out/secret.txt to stolen.txt", rename("link-out/secret.txt", "stolen.txt"));
    ATTEMPT("rename ../outside/secret.txt to stolen.txt", rename("../outside/secret.txt", "stolen.txt"));
    ATTEMPT("unlink link-out/secret.txt", unlink("link-out/secret.txt"));
    ATTEMPT("unlink ../outside/secret.txt", unlink("../outside/secret.txt"));
    ATTEMPT("rmdir link-out/victim", rmdir("link-out/victim"));
    ATTEMPT("rmdir ../outside/victim", rmdir("../outside/victim"));
    ATTEMPT("truncate link-out/secret.txt", truncate("link-out/secret.txt", 0));
    ATTEMPT("truncate ../outside/secret.txt", truncate("../outside/secret.txt", 0));
    ATTEMPT("truncate abs-link", truncate("abs-link", 0));
    struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
    ATTEMPT("utimensat link-out/secret.txt", utimensat(AT_FDCWD, "link-out/secret.txt", times, 0));
    ATTEMPT("link link-out/secret.txt to hard", link("link-out/secret.txt", "hard"));
    ATTEMPT("link ../outside/secret.txt to hard", link("../outside/secret.txt", "hard"));

    // Symlinks the program makes itself: making them may work, following them must not.
    errno = 0;
    if (symlink("../outside/secret.txt", "mine") != 0) blocked("symlink mine -> ../outside/secret.txt", errno);
    else try_open("symlink mine -> ../outside/secret.txt, open mine", "mine", O_RDONLY);
    errno = 0;
    if (symlink(path, "mine-abs") != 0) blocked("symlink mine-abs -> host path", errno);
    else try_open("symlink mine-abs -> host path, open mine-abs", "mine-abs", O_RDONLY);
    errno = 0;
    if (symlink("..", "up") != 0) blocked("symlink up -> ..", errno);
    else try_open("symlink up -> .., open up/outside/secret.txt", "up/outside/secret.txt", O_RDONLY);
    errno = 0;
    if (symlink("sub/..", "self") != 0) blocked("symlink self -> sub/..", errno);
    else try_open("symlink self -> sub/.., open self/../outside/secret.txt", "self/../outside/secret.txt", O_RDONLY);
    // link() does not follow abs-link: it may make a second name for the symlink itself.
    errno = 0;
    if (link("abs-link", "abs-link-2") != 0) blocked("link abs-link to abs-link-2", errno);
    else try_open("link abs-link to abs-link-2, open abs-link-2", "abs-link-2", O_RDONLY);

    // Looking at outside/.
    ATTEMPT("stat link-out/secret.txt", stat("link-out/secret.txt", &st));
    ATTEMPT("stat ../outside/secret.txt", stat("../outside/secret.txt", &st));
    ATTEMPT("stat abs-link", stat("abs-link", &st));
    ATTEMPT("stat link-out/victim", stat("link-out/victim", &st));
    ATTEMPT("access link-out/secret.txt", access("link-out/secret.txt", F_OK));
    try_list("opendir ..", "..");
    try_list("opendir /..", "/..");
    try_list("opendir link-out", "link-out");
    try_list("opendir sub/../..", "sub/../..");
    try_list("readdir /", "/");

    // chdir out, then a relative open.
    errno = 0;
    if (chdir("..") != 0) blocked("chdir ..", errno);
    else try_open("chdir .., open outside/secret.txt", "outside/secret.txt", O_RDONLY);
    back_to_root();
    errno = 0;
    if (chdir("link-out") != 0) blocked("chdir link-out", errno);
    else try_open("chdir link-out, open secret.txt", "secret.txt", O_RDONLY);
    back_to_root();
}

// With "/" preopened read-only: nothing may change, reading still works.
static void readonly_attempts(void) {
    char buf[256];
    int ok = read_file("inside.txt", buf, sizeof buf) > 0;
    control("read inside.txt", ok, errno);
    ok = read_file("sub/secret.txt", buf, sizeof buf) > 0;
    control("read sub/secret.txt", ok, errno);
    struct stat st;
    CONTROL("stat inside.txt", stat("inside.txt", &st));
    errno = 0;
    DIR *dir = opendir("/");
    ok = dir != NULL;
    control("opendir /", ok, errno);
    if (dir) closedir(dir);
    int fd = open("inside.txt", O_RDONLY);
    if (fd >= 0) {
        errno = 0;
        ssize_t n = write(fd, "x", 1);
        if (n < 0) blocked("write to an O_RDONLY fd", errno);
        else escaped("write to an O_RDONLY fd", "wrote");
        close(fd);
    }

    try_modify("create new.txt", AT_FDCWD, "new.txt", O_CREAT | O_WRONLY);
    try_modify("create sub/new.txt", AT_FDCWD, "sub/new.txt", O_CREAT | O_WRONLY | O_EXCL);
    try_modify("open inside.txt O_WRONLY", AT_FDCWD, "inside.txt", O_WRONLY);
    try_modify("open inside.txt O_RDWR", AT_FDCWD, "inside.txt", O_RDWR);
    try_modify("open inside.txt O_APPEND", AT_FDCWD, "inside.txt", O_WRONLY | O_APPEND);
    // O_RDONLY | O_TRUNC: truncation asked for without write access.
    try_modify("open inside.txt O_RDONLY|O_TRUNC", AT_FDCWD, "inside.txt", O_RDONLY | O_TRUNC);
    errno = 0;
    int sub = open("sub", O_RDONLY | O_DIRECTORY);
    ok = sub >= 0;
    control("open sub as a directory", ok, errno);
    try_modify("openat(sub, created.txt, O_CREAT)", sub, "created.txt", O_CREAT | O_WRONLY);
    try_modify("openat(sub, secret.txt, O_WRONLY)", sub, "secret.txt", O_WRONLY);
    try_modify("openat(sub, ../inside.txt, O_RDWR)", sub, "../inside.txt", O_RDWR);
    if (sub >= 0) close(sub);
    int root = open(".", O_RDONLY | O_DIRECTORY);
    try_modify("openat(., inside.txt, O_WRONLY|O_TRUNC)", root, "inside.txt", O_WRONLY | O_TRUNC);
    if (root >= 0) close(root);
    ATTEMPT("mkdir newdir", mkdir("newdir", 0755));
    ATTEMPT("unlink inside.txt", unlink("inside.txt"));
    ATTEMPT("rmdir sub/empty", rmdir("sub/empty"));
    ATTEMPT("rename inside.txt to renamed.txt", rename("inside.txt", "renamed.txt"));
    ATTEMPT("symlink newlink", symlink("inside.txt", "newlink"));
    ATTEMPT("link inside.txt to hard", link("inside.txt", "hard"));
    ATTEMPT("truncate inside.txt", truncate("inside.txt", 0));
    struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
    ATTEMPT("utimensat inside.txt", utimensat(AT_FDCWD, "inside.txt", times, 0));
}

// Whatever sub is now: a real directory here, or a symlink to ../outside.
static void toctou_attempt(void) {
    errno = 0;
    int fd = open("sub/secret.txt", O_RDONLY);
    int err = errno;
    if (fd < 0) { blocked("open sub/secret.txt", err); }
    else {
        char buf[256];
        slurp(fd, buf, sizeof buf);
        close(fd);
        if (strstr(buf, SECRET_MARK)) escaped("open sub/secret.txt", "read the secret");
        else printf("open sub/secret.txt: read \"%.*s\"\n", (int)strcspn(buf, "\n"), buf);
    }
    try_list("opendir sub", "sub");
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "escape") == 0) escape_attempts(argv[2]);
    else if (argc == 2 && strcmp(argv[1], "readonly") == 0) readonly_attempts();
    else if (argc == 2 && strcmp(argv[1], "toctou") == 0) toctou_attempt();
    else {
        fprintf(stderr, "usage: escape escape OUTSIDE | readonly | toctou\n");
        return 100;
    }
    printf("failures: %d\n", failures);
    return failures;
}
