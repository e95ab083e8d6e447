/* Words of UTF-8 text, the same way for every language: a word is a run of
 * letters and digits, accented letters included ("então", "né"); punctuation
 * (ASCII, Latin-1's « » ¿ ¡, and the general punctuation block's quotes,
 * dashes and ellipsis) separates words. Lower-casing covers ASCII and the
 * Latin-1 letters (À-Þ), which is what the supported languages use. */
#ifndef ISIM_WORDS_H
#define ISIM_WORDS_H

#include <stddef.h>

/* Bytes of the code point at p (1 for invalid UTF-8) and whether it belongs
 * to a word; apostrophe: whether ' counts as a word character. */
size_t words_char(const char *p, int apostrophe, int *is_word);
/* Lower-case copy of s without the punctuation around it ("Né?" -> "né");
 * *ends (may be NULL) is set when what follows it ends a sentence (. ? ! …).
 * NULL when out of memory. */
char *words_normalise(const char *s, int *ends);
/* 1 when what follows the last word character of s ends a sentence, as
 * words_normalise's *ends. */
int words_ends_sentence(const char *s);
/* The next word of *p, lower-cased, into out (cut at outlen - 1 bytes on a
 * character boundary); *p moves past it. 0 when no word is left. */
size_t words_next(const char **p, int apostrophe, char *out, size_t outlen);

#endif
