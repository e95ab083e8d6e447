/* Transcriber stage: 16 kHz mono WAV in, timed transcript out, through one of
 * the engines of transcribe_engine.h (pocketsphinx embedded, or a remote
 * OpenAI-compatible service). */
#ifndef ISIM_TRANSCRIBE_H
#define ISIM_TRANSCRIBE_H

#include <stddef.h>
#include <jansson.h>

/* Every field may be left 0/NULL for its default. */
typedef struct transcribe_opts {
    const char *model_dir; /* contains en-us/, en-us.lm.bin, cmudict-en-us.dict */
    const char *engine;    /* "pocketsphinx" (default) or "openai" */
    int threads;           /* pocketsphinx decoders run in parallel; 0: one per core */
    const char *ps_args;   /* extra pocketsphinx arguments "-lw 9 -beam 1e-60", override the tuned ones */
    int ps_stock;          /* 1: pocketsphinx's stock settings, no preprocessing (baseline for bench/) */
    int ps_no_prep;        /* 1: no high-pass and gain normalisation (to measure them) */
    double min_chunk_s;    /* long audio is cut at the first pause after this many seconds (0: 10) */
    double max_chunk_s;    /* and at the quietest moment when no pause comes by this length (0: 30) */
    /* Remote engine (POST <url>/v1/audio/transcriptions). */
    const char *url;
    const char *model;     /* NULL: "whisper-1" */
    const char *api_key;   /* sent as "Authorization: Bearer" when not empty */
    const char *language;  /* speech-to-text code; NULL: "en"; "auto": detect (openai engine) */
    const char *prompt;    /* NULL: TRANSCRIBE_DEFAULT_PROMPT, which keeps fillers; "": no prompt */
    int timeout_s;         /* whole request; 0: 120 */
    int piece_s;           /* longer audio is sent in pieces of at most this, cut at pauses; 0: whole */
    int attempts;          /* tries on a 5xx, 429, timeout or connection failure; 0: 3 */
    int backoff_ms;        /* wait before the 2nd try, doubled for each next one; 0: 500 */
    int fallback;          /* 1: when the remote engine fails, transcribe with pocketsphinx */
} transcribe_opts;

/* The options the ISIM_TRANSCRIBE_* settings give: the service and the CLI
 * transcribe alike. Strings point into cfg. */
struct isim_config;
transcribe_opts transcribe_opts_from_config(const struct isim_config *cfg);

#define TRANSCRIBE_DEFAULT_PROMPT "Um, uh, so, like, you know, I mean... I was, uh, thinking."

/* A transcriber keeps its engine loaded (pocketsphinx decoders) between files. */
typedef struct transcriber transcriber;

/* What one recording is transcribed in; NULL fields take opts' values. */
typedef struct transcribe_call {
    const char *language; /* speech-to-text code (pt); "auto": detect it (openai engine only) */
    const char *prompt;   /* "": no prompt */
} transcribe_call;

/* opts (and the strings it points to) must outlive the transcriber.
 * Returns 0 or -1 with err (unknown engine, remote engine without URL). */
int transcriber_new(const transcribe_opts *opts, transcriber **out, char *err, size_t errlen);
/* The engine opts select: "auto" (or none) is openai when opts->url is set,
 * else pocketsphinx; "unknown" for a name no engine has. */
const char *transcriber_engine_name(const transcribe_opts *opts);

/* *out = {"engine":"pocketsphinx","duration_s":D,"text":"...",
 *         "words":[{"word":"he","start":0.12,"end":0.30,"confidence":0.93},...],
 *         "segments":[{"start":0.12,"end":2.5,"text":"..."},...],"language":"en"}
 * Audio without speech gives no words, "no_speech":true and the note
 * "no speech detected", not an error. A fallback after a remote failure is
 * told in "note". One call at a time per transcriber (its decoders are shared
 * by the call's threads). Returns 0 or -1 with err. */
int transcriber_run(transcriber *t, const char *wav_path, json_t **out, char *err,
                    size_t errlen);
/* The same in the language and with the prompt of call (NULL: opts'). The
 * transcript gets "language" (the speech-to-text code used or detected) and,
 * when detected, "language_probability". The embedded engine knows English
 * only: another language is an error, and no fallback to it is made. */
int transcriber_run_call(transcriber *t, const char *wav_path, const transcribe_call *call,
                         json_t **out, char *err, size_t errlen);

void transcriber_free(transcriber *t);

/* One-shot: transcriber_new, transcriber_run, transcriber_free. opts may be NULL. */
int transcribe_wav(const char *wav_path, const transcribe_opts *opts, json_t **out,
                   char *err, size_t errlen);

#endif
