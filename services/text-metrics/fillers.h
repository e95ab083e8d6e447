/* Filler-word detection on a timed word sequence. */
#ifndef ISIM_FILLERS_H
#define ISIM_FILLERS_H

#include <stddef.h>
#include <jansson.h>

typedef struct tm_word {
    const char *word; /* lowercase, without surrounding punctuation */
    double start, end;
} tm_word;

/* Appends {"word","start","end"} for each filler in words[0..n) to fillers,
 * in order; a two-word filler ("you know") is one entry spanning both words.
 * Returns the number of fillers found or -1 (out of memory) with err. */
int fillers_find(const tm_word *words, size_t n, json_t *fillers, char *err, size_t errlen);

#endif
