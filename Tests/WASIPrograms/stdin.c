// Stdin: reads all of it with read(2) in small pieces, then prints its size, lines,
// words, a checksum, the longest line and the first and last lines. Reading again at
// end of file must give 0 again. No preopened directory.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_line(const char *label, const unsigned char *text, size_t length) {
    printf("%s (%zu bytes): \"", label, length);
    for (size_t i = 0; i < length; i++) {
        unsigned char c = text[i];
        if (c >= 32 && c != '\\' && c != '"' && c != 127) putchar(c);  // UTF-8 passes through
        else printf("\\x%02x", c);
    }
    printf("\"\n");
}

int main(void) {
    size_t capacity = 256, size = 0;
    unsigned char *data = malloc(capacity);
    if (data == NULL) return 1;
    int reads = 0;
    for (;;) {
        if (capacity - size < 100) {
            capacity *= 2;
            unsigned char *grown = realloc(data, capacity);
            if (grown == NULL) { free(data); return 1; }
            data = grown;
        }
        // 77 bytes at a time: the runtime must keep its place in stdin between calls.
        ssize_t n = read(0, data + size, 77);
        if (n < 0) {
            printf("read failed: errno %d\n", errno);
            free(data);
            return 1;
        }
        if (n == 0) break;
        size += (size_t)n;
        reads++;
    }
    unsigned char extra;
    ssize_t again = read(0, &extra, 1);
    printf("read at end again: %zd\n", again);
    printf("at least %d reads: %d\n", (int)((size + 76) / 77), reads >= (int)((size + 76) / 77));

    uint32_t hash = 2166136261u;  // FNV-1a
    size_t lines = 0, words = 0, longest = 0, line_start = 0;
    size_t first_start = 0, first_length = 0, last_start = 0, last_length = 0;
    int in_word = 0, non_ascii = 0, have_first = 0;
    for (size_t i = 0; i <= size; i++) {
        int end = i == size;
        unsigned char c = end ? '\n' : data[i];
        if (!end) {
            hash = (hash ^ c) * 16777619u;
            non_ascii += c >= 128;
        }
        int space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word) words++;
        in_word = !space;
        if (c == '\n') {
            size_t length = i - line_start;
            if (!end || length > 0) {
                if (!end) lines++;
                if (!have_first) { have_first = 1; first_start = line_start; first_length = length; }
                last_start = line_start;
                last_length = length;
                if (length > longest) longest = length;
            }
            line_start = i + 1;
        }
    }
    printf("bytes: %zu\n", size);
    printf("newlines: %zu\n", lines);
    printf("words: %zu\n", words);
    printf("non-ASCII bytes: %d\n", non_ascii);
    printf("longest line: %zu\n", longest);
    printf("fnv1a: %08x\n", (unsigned)hash);
    if (size > 0) {
        print_line("first line", data + first_start, first_length);
        print_line("last line", data + last_start, last_length);
    }
    fprintf(stderr, "stdin: %zu bytes\n", size);
    free(data);
    return 0;
}
