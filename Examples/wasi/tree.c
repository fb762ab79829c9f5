// tree: prints a directory tree with file sizes and line counts, then totals; with -o FILE
// it also writes the listing into FILE. Built for WASI (build.sh), it sees only the
// directories the runtime gives it:
//   kiln run --dir Examples::/examples Examples/wasi/build/tree.wasm /examples
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static long files, directories, bytes, lines;
static FILE *copy;

static void emit(const char *text) {
    fputs(text, stdout);
    if (copy) fputs(text, copy);
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static long count_lines(const char *path) {
    FILE *file = fopen(path, "r");
    if (!file) return -1;
    long count = 0;
    int c;
    while ((c = fgetc(file)) != EOF) count += c == '\n';
    fclose(file);
    return count;
}

static void walk(const char *path, int depth) {
    DIR *dir = opendir(path);
    if (!dir) {
        perror(path);
        return;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..")) continue;
        names = realloc(names, (count + 1) * sizeof *names);
        names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare);
    for (size_t i = 0; i < count; i++) {
        char child[4096], line[4300];
        snprintf(child, sizeof child, "%s/%s", path, names[i]);
        struct stat info;
        if (lstat(child, &info) != 0) continue;
        if (S_ISDIR(info.st_mode)) {
            directories++;
            snprintf(line, sizeof line, "%*s%s/\n", depth * 2, "", names[i]);
            emit(line);
            walk(child, depth + 1);
        } else {
            long n = S_ISREG(info.st_mode) ? count_lines(child) : -1;
            files++;
            bytes += info.st_size;
            if (n > 0) lines += n;
            snprintf(line, sizeof line, "%*s%s  %lld bytes%s%ld%s\n", depth * 2, "", names[i], (long long)info.st_size,
                     n >= 0 ? ", " : "", n >= 0 ? n : 0L, n >= 0 ? " lines" : "");
            emit(line);
        }
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv) {
    const char *root = ".", *output = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc) output = argv[++i];
        else root = argv[i];
    }
    if (output && !(copy = fopen(output, "w"))) {
        perror(output);
        return 2;
    }
    emit(root);
    emit("\n");
    walk(root, 1);
    printf("%ld directories, %ld files, %ld bytes, %ld lines\n", directories, files, bytes, lines);
    if (copy) fclose(copy);
    return files == 0 ? 1 : 0;
}
