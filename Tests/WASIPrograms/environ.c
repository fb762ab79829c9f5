// Arguments and environment: argv as given (empty and non-ASCII arguments too, byte by
// byte), getenv of present, empty, repeated and missing names, the whole environ sorted,
// each entry agreeing with getenv, and the same after setenv/unsetenv (which stay inside
// the program). No preopened directory.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void quoted(const char *label, const char *value) {
    if (value == NULL) printf("%s: (null)\n", label);
    else printf("%s: \"%s\" (%zu bytes)\n", label, value, strlen(value));
}

// Every entry NAME=VALUE: getenv(NAME) must be the first entry with that name.
static void check_consistency(void) {
    size_t agree = 0, total = 0, bytes = 0;
    for (char **entry = environ; entry != NULL && *entry != NULL; entry++) {
        total++;
        bytes += strlen(*entry) + 1;
        const char *equals = strchr(*entry, '=');
        if (equals == NULL) { printf("entry without '=': %s\n", *entry); continue; }
        char name[128];
        size_t length = (size_t)(equals - *entry);
        if (length >= sizeof name) continue;
        memcpy(name, *entry, length);
        name[length] = '\0';
        const char *value = getenv(name);
        char **first = environ;
        while (strncmp(*first, name, length) != 0 || (*first)[length] != '=') first++;
        agree += value == *first + length + 1;
    }
    printf("entries agreeing with getenv: %zu of %zu (%zu bytes with NULs)\n", agree, total, bytes);
}

static void list_environment(const char *title) {
    size_t count = 0;
    while (environ != NULL && environ[count] != NULL) count++;
    printf("%s: %zu variables\n", title, count);
    if (count == 0) return;
    char **sorted = malloc(count * sizeof *sorted);
    if (sorted == NULL) exit(1);
    memcpy(sorted, environ, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, by_string);
    for (size_t i = 0; i < count; i++) printf("  %s\n", sorted[i]);
    free(sorted);
}

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) {
        char label[32];
        snprintf(label, sizeof label, "argv[%d]", i);
        quoted(label, argv[i]);
    }
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    size_t argument_bytes = 0;
    for (int i = 0; i < argc; i++) {
        argument_bytes += strlen(argv[i]) + 1;
        int ascii = 1;
        for (const unsigned char *c = (const unsigned char *)argv[i]; *c; c++) ascii &= *c < 128;
        if (ascii) continue;
        printf("argv[%d] bytes:", i);
        for (const unsigned char *c = (const unsigned char *)argv[i]; *c; c++) printf(" %02x", *c);
        printf("\n");
    }
    printf("argument bytes with NULs: %zu\n", argument_bytes);

    const char *names[] = {"KILN_TEST", "HOME", "EMPTY", "EQUALS", "UNICODE", "DUP", "MISSING", "KILN", "KILN_TEST_"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) quoted(names[i], getenv(names[i]));

    list_environment("environment");
    check_consistency();

    if (setenv("ADDED", "by the program", 1) != 0) return 1;
    if (setenv("HOME", "not replaced", 0) != 0) return 1;
    if (unsetenv("KILN_TEST") != 0) return 1;
    quoted("HOME after setenv without overwrite", getenv("HOME"));
    quoted("KILN_TEST after unsetenv", getenv("KILN_TEST"));
    list_environment("after setenv/unsetenv");
    check_consistency();
    return 0;
}
