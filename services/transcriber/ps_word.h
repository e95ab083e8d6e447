/* Maps pocketsphinx segment tokens to transcript words. */
#ifndef ISIM_PS_WORD_H
#define ISIM_PS_WORD_H

#include <stddef.h>

/* Writes the transcript word for token into out and returns 1, or returns 0
 * when the token is not a word (<s>, </s>, <sil>, [NOISE], +SPN+, ...).
 * Alternate pronunciations lose their suffix ("read(2)" -> "read"); filler
 * tokens for disfluencies are kept ("++UH++" or "<uh>" -> "uh"). */
int ps_word_normalise(const char *token, char *out, size_t outlen);

#endif
