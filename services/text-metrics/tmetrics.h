/* Text-metrics stage: transcript JSON (as transcribe_wav makes it) in,
 * delivery metrics out. */
#ifndef ISIM_TMETRICS_H
#define ISIM_TMETRICS_H

#include <stddef.h>
#include <jansson.h>

/* *out = {"word_count":N,"duration_s":D,"speaking_s":S,"wpm":W,
 *         "filler_count":F,"fillers_per_100_words":R,
 *         "fillers":[{"word":"um","start":1.2,"end":1.4},...]}
 * wpm = word_count / speaking_s * 60, where speaking_s runs from the first
 * word's start to the last word's end. Returns 0 or -1 with err. */
int tmetrics_compute(const json_t *transcript, json_t **out, char *err, size_t errlen);

#endif
