/* The engine interface: another engine is one new file defining a
 * transcribe_engine and one line in transcribe.c's table. */
#ifndef ISIM_TRANSCRIBE_ENGINE_H
#define ISIM_TRANSCRIBE_ENGINE_H

#include "transcribe.h"

typedef struct transcribe_engine {
    const char *name; /* what ISIM_TRANSCRIBE_ENGINE selects, and "engine" in the transcript */
    /* Loads what the engine needs; *state is passed to run and close. */
    int (*open)(const transcribe_opts *opts, void **state, char *err, size_t errlen);
    /* Fills *out with at least "duration_s" and "words" (each with "word",
     * "start", "end", optionally "confidence"); may add "segments", and
     * "language" with "language_probability" when it detected the language.
     * call's fields are set (transcribe.c resolves the defaults). */
    int (*run)(void *state, const char *wav_path, const transcribe_call *call, json_t **out,
               char *err, size_t errlen);
    void (*close)(void *state);
} transcribe_engine;

extern const transcribe_engine ps_engine;
extern const transcribe_engine openai_engine;

#endif
