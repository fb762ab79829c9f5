// Directories: listing (sorted by name, without "." and ".."), mkdir, nested paths, ".."
// and "." that stay inside the sandbox, chdir/getcwd, openat from a directory fd,
// rmdir, renaming directories, and a directory with enough entries that fd_readdir
// needs several calls. Runs in fixtures/dirs preopened as "/"; paths are relative to
// the working directory, which starts at "/".
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANY 150

static void must(int ok, const char *what) {
    if (!ok) {
        printf("FAILED: %s (errno %d)\n", what, errno);
        exit(1);
    }
}

#define TRY(what, expr) do { errno = 0; int r_ = (expr); int e_ = r_ < 0 ? errno : 0; \
    printf("%s: %d errno %d\n", what, r_, e_); } while (0)

// Names carry their d_type letter in front; sort by what follows it.
static int by_name_after_type(const void *a, const void *b) {
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static char type_of_dirent(unsigned char type) {
    return type == DT_DIR ? 'd' : type == DT_REG ? 'f' : type == DT_LNK ? 'l' : '?';
}

// Reads a directory stream's names (without "." and ".."), sorted; returns how many.
static size_t names_of(DIR *dir, char **names, char *types, size_t capacity) {
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        must(count < capacity, "too many entries");
        names[count] = malloc(strlen(entry->d_name) + 2);
        must(names[count] != NULL, "malloc");
        strcpy(names[count] + 1, entry->d_name);
        names[count][0] = type_of_dirent(entry->d_type);
        count++;
    }
    qsort(names, count, sizeof *names, by_name_after_type);
    for (size_t i = 0; i < count; i++) types[i] = names[i][0];
    return count;
}

// Prints the tree under path: directories with "/", files with their size, and the
// entry's d_type letter next to the type lstat gives.
static void tree(const char *path, int depth) {
    DIR *dir = opendir(path);
    must(dir != NULL, path);
    char *names[64];
    char types[64];
    size_t count = names_of(dir, names, types, 64);
    closedir(dir);
    for (size_t i = 0; i < count; i++) {
        char child[256];
        must(snprintf(child, sizeof child, "%s/%s", path, names[i] + 1) < (int)sizeof child, "path length");
        struct stat st;
        must(lstat(child, &st) == 0, child);
        char type = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : '?';
        printf("%*s%s [%c%c]", depth * 2, "", names[i] + 1, types[i], type);
        if (S_ISDIR(st.st_mode)) {
            printf("/\n");
            tree(child, depth + 1);
        } else {
            printf(" %lld bytes\n", (long long)st.st_size);
        }
        free(names[i]);
    }
}

static void cat(const char *path) {
    char buf[128] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("cat %s: errno %d\n", path, errno); return; }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("cat %s: %zd \"%.*s\"\n", path, n, n > 0 ? (int)n - (buf[n - 1] == '\n') : 0, buf);
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    must(fd >= 0, path);
    must(write(fd, text, strlen(text)) == (ssize_t)strlen(text), path);
    close(fd);
}

static void cwd(void) {
    char buf[256];
    printf("cwd %s\n", getcwd(buf, sizeof buf) ? buf : "(error)");
}

int main(void) {
    printf("-- fixture\n");
    tree(".", 0);
    cwd();

    printf("-- mkdir and nested paths\n");
    TRY("mkdir a", mkdir("a", 0755));
    TRY("mkdir a/b", mkdir("a/b", 0755));
    TRY("mkdir a/b/c", mkdir("a/b/c", 0755));
    TRY("mkdir a again", mkdir("a", 0755));
    TRY("mkdir x/y", mkdir("x/y", 0755));
    TRY("mkdir top.txt/z", mkdir("top.txt/z", 0755));
    put("a/b/../b/c/deep.txt", "deep\n");
    cat("a/b/c/../../b/c/deep.txt");
    cat("/a/b/c/deep.txt");
    cat("docs/../top.txt");
    cat("./docs/./notes/../readme.txt");
    cat("docs/notes/../../a/./b/c/deep.txt");
    struct stat st;
    must(stat("a/b", &st) == 0, "stat a/b");
    printf("a/b is a directory: %d\n", S_ISDIR(st.st_mode));
    must(stat("docs/../top.txt", &st) == 0, "stat top.txt");
    printf("top.txt is a regular file: %d, size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);

    printf("-- chdir\n");
    TRY("chdir a/b", chdir("a/b"));
    cwd();
    cat("../../top.txt");
    cat("c/deep.txt");
    TRY("chdir ..", chdir(".."));
    cwd();
    TRY("chdir /", chdir("/"));
    TRY("chdir top.txt", chdir("top.txt"));
    TRY("chdir nope", chdir("nope"));
    cwd();

    printf("-- openat and fdopendir\n");
    int docs = open("docs", O_RDONLY | O_DIRECTORY);
    must(docs >= 0, "open docs");
    int note = openat(docs, "notes/a.txt", O_RDONLY);
    must(note >= 0, "openat notes/a.txt");
    char buf[64] = {0};
    printf("openat read %zd\n", read(note, buf, sizeof buf - 1));
    close(note);
    DIR *dir = fdopendir(docs);
    must(dir != NULL, "fdopendir");
    char *names[64];
    char types[64];
    size_t count = names_of(dir, names, types, 64);
    for (size_t i = 0; i < count; i++) { printf("docs entry %s %c\n", names[i] + 1, types[i]); free(names[i]); }
    closedir(dir);

    printf("-- errors\n");
    TRY("rmdir a/b (not empty)", rmdir("a/b"));
    TRY("rmdir top.txt", rmdir("top.txt"));
    TRY("rmdir nope", rmdir("nope"));
    TRY("unlink a (a directory)", unlink("a"));
    errno = 0;
    dir = opendir("top.txt");
    printf("opendir top.txt: %s errno %d\n", dir ? "ok" : "null", dir ? 0 : errno);
    if (dir) closedir(dir);
    dir = opendir("nope");
    printf("opendir nope: %s errno %d\n", dir ? "ok" : "null", dir ? 0 : errno);
    if (dir) closedir(dir);

    printf("-- renaming directories\n");
    TRY("rename a/b/c moved", rename("a/b/c", "moved"));
    TRY("mkdir target", mkdir("target", 0755));
    TRY("rename moved target (empty)", rename("moved", "target"));
    cat("target/deep.txt");
    TRY("rmdir a/b", rmdir("a/b"));
    TRY("rmdir a", rmdir("a"));

    printf("-- many entries\n");
    TRY("mkdir many", mkdir("many", 0755));
    char path[128];
    for (int i = 0; i < MANY; i++) {
        snprintf(path, sizeof path, "many/entry-with-a-fairly-long-name-%03d.txt", i);
        put(path, "x");
    }
    dir = opendir("many");
    must(dir != NULL, "opendir many");
    for (int pass = 0; pass < 2; pass++) {
        char *entries[MANY + 1];
        char kinds[MANY + 1];
        size_t n = names_of(dir, entries, kinds, MANY + 1);
        int in_order = 1;
        for (size_t i = 0; i < n; i++) {
            snprintf(path, sizeof path, "fentry-with-a-fairly-long-name-%03zu.txt", i);
            in_order &= strcmp(entries[i], path) == 0;
            free(entries[i]);
        }
        printf("pass %d: %zu entries, each once with d_type f: %d\n", pass, n, in_order);
        rewinddir(dir);
    }
    closedir(dir);
    for (int i = 0; i < MANY; i++) {
        snprintf(path, sizeof path, "many/entry-with-a-fairly-long-name-%03d.txt", i);
        must(unlink(path) == 0, "unlink many/...");
    }
    TRY("rmdir many", rmdir("many"));

    printf("-- after\n");
    tree(".", 0);
    return 0;
}
