/* Transcriber stage: 16 kHz mono WAV in, timed transcript out. */
#ifndef ISIM_TRANSCRIBE_H
#define ISIM_TRANSCRIBE_H

#include <stddef.h>
#include <jansson.h>

typedef struct transcribe_opts {
    const char *model_dir; /* contains en-us/, en-us.lm.bin, cmudict-en-us.dict */
} transcribe_opts;

/* *out = {"engine":"pocketsphinx","duration_s":D,"text":"...",
 *         "words":[{"word":"he","start":0.12,"end":0.30,"confidence":0.93},...]}
 * Silence gives an empty words array, not an error. Returns 0 or -1 with err. */
int transcribe_wav(const char *wav_path, const transcribe_opts *opts, json_t **out,
                   char *err, size_t errlen);

#endif
