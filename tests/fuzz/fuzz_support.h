/* Helpers the fuzz targets share: cutting libFuzzer's bytes into the
 * NUL-terminated strings the parsers take. */
#ifndef ISIM_FUZZ_SUPPORT_H
#define ISIM_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The input as one string (malloc'd; NUL bytes end it early, as in C). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* Up to max pieces of the input separated by '\n', each NUL-terminated, in
 * one malloc'd buffer *buf; returns how many. */
static inline size_t fuzz_lines(const uint8_t *data, size_t size, char **buf, const char **pieces, size_t max)
{
    size_t n = 0;
    *buf = fuzz_string(data, size);
    if (!*buf)
        return 0;
    for (char *p = *buf; p && n < max;) {
        pieces[n++] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    return n;
}

#endif
