#include "isim_words.h"

#include <stdlib.h>
#include <string.h>

/* Code point at p and its length; invalid bytes count as one U+FFFD. */
static unsigned words_decode(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    int n = (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    unsigned cp = n == 2 ? p[0] & 0x1Fu : n == 3 ? p[0] & 0x0Fu : p[0] & 0x07u;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            n = 0;
            break;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    *len = n ? (size_t)n : 1;
    return n ? cp : 0xFFFD;
}

static int words_is_word_cp(unsigned cp, int apostrophe)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               (apostrophe && cp == '\'');
    if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD) /* Latin-1 punctuation, × ÷ */
        return 0;
    if (apostrophe && cp == 0x2019) /* ’ as in don’t */
        return 1;
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF0F))
        return 0; /* punctuation, symbols, arrows */
    return 1;
}

size_t words_char(const char *p, int apostrophe, int *is_word)
{
    size_t len;
    unsigned cp = words_decode((const unsigned char *)p, &len);
    *is_word = words_is_word_cp(cp, apostrophe);
    return len;
}

/* Appends the lower-case form of the len bytes at p; returns bytes written. */
static size_t words_lower(const char *p, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)p;
    if (len == 1) {
        out[0] = (char)(u[0] >= 'A' && u[0] <= 'Z' ? u[0] + 32 : u[0]);
        return 1;
    }
    memcpy(out, p, len);
    /* U+00C0..U+00DE except U+00D7 are C3 80..C3 9E: their lower case is +0x20. */
    if (len == 2 && u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0x9E && u[1] != 0x97)
        out[1] = (char)(u[1] + 0x20);
    return len;
}

/* b: first word byte of s; e: one past the last (both n without a word). */
static void words_span(const char *s, size_t n, size_t *b, size_t *e)
{
    size_t len;
    int w;
    *b = *e = 0;
    for (size_t i = 0; i < n; i += len) {
        len = words_char(s + i, 0, &w);
        if (i + len > n)
            len = n - i;
        if (w) {
            if (*e == 0)
                *b = i;
            *e = i + len;
        }
    }
    if (*e == 0)
        *b = *e = n;
}

static int words_tail_ends(const char *tail)
{
    return strpbrk(tail, ".?!") != NULL || strstr(tail, "\xE2\x80\xA6") != NULL;
}

int words_ends_sentence(const char *s)
{
    size_t b, e;
    words_span(s, strlen(s), &b, &e);
    return words_tail_ends(s + e);
}

char *words_normalise(const char *s, int *ends)
{
    size_t n = strlen(s), b, e, len;
    int w;
    words_span(s, n, &b, &e);
    if (ends)
        *ends = words_tail_ends(s + e);
    char *out = malloc(e - b + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = b; i < e; i += len) {
        len = words_char(s + i, 0, &w);
        if (i + len > e)
            len = e - i;
        o += words_lower(s + i, len, out + o);
    }
    out[o] = '\0';
    return out;
}

size_t words_next(const char **p, int apostrophe, char *out, size_t outlen)
{
    const char *s = *p;
    size_t len, o = 0;
    int w = 0;
    while (*s) {
        len = words_char(s, apostrophe, &w);
        if (w)
            break;
        s += strnlen(s, len);
    }
    while (*s) {
        len = words_char(s, apostrophe, &w);
        len = strnlen(s, len);
        if (!w)
            break;
        if (o + len < outlen)
            o += words_lower(s, len, out + o);
        else
            outlen = o + 1; /* cut here: no later character fits either */
        s += len;
    }
    if (outlen)
        out[o] = '\0';
    *p = s;
    return o;
}
