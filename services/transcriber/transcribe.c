#include "transcribe.h"

#include "transcribe_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A pause this long between two words starts a new segment. */
#define SEGMENT_PAUSE_S 0.6
#define NO_SPEECH_NOTE "no speech detected"

static const transcribe_engine *const ENGINES[] = {&ps_engine, &openai_engine};


struct transcriber {
    const transcribe_opts *opts;
    const transcribe_engine *engine, *fallback;
    void *state, *fallback_state;
};

static const transcribe_opts NO_OPTS;

/* "auto" (and no name): the remote engine when a URL is configured, else
 * the embedded one. */
static const transcribe_engine *engine_find(const char *name, const char *url)
{
    if (!name || !name[0] || strcmp(name, "auto") == 0)
        return url && url[0] ? &openai_engine : &ps_engine;
    for (size_t i = 0; i < sizeof ENGINES / sizeof ENGINES[0]; i++)
        if (strcmp(ENGINES[i]->name, name) == 0)
            return ENGINES[i];
    return NULL;
}

const char *transcriber_engine_name(const transcribe_opts *opts)
{
    const transcribe_engine *e = engine_find(opts->engine, opts->url);
    return e ? e->name : "unknown";
}

int transcriber_new(const transcribe_opts *opts, transcriber **out, char *err, size_t errlen)
{
    int rc = -1;
    transcriber *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    t->opts = opts ? opts : &NO_OPTS;
    t->engine = engine_find(t->opts->engine, t->opts->url);
    if (!t->engine) {
        snprintf(err, errlen, "unknown transcription engine '%s' (auto, pocketsphinx or openai)",
                 t->opts->engine);
        goto out;
    }
    if (t->engine->open(t->opts, &t->state, err, errlen) < 0)
        goto out;
    if (t->opts->fallback && t->engine != &ps_engine) {
        t->fallback = &ps_engine;
        if (t->fallback->open(t->opts, &t->fallback_state, err, errlen) < 0)
            goto out;
    }
    *out = t;
    rc = 0;
out:
    if (rc < 0)
        transcriber_free(t);
    return rc;
}

void transcriber_free(transcriber *t)
{
    if (!t)
        return;
    if (t->state)
        t->engine->close(t->state);
    if (t->fallback_state)
        t->fallback->close(t->fallback_state);
    free(t);
}

/* Groups words into segments at pauses of SEGMENT_PAUSE_S or more. */
static json_t *segments_from_words(const json_t *words)
{
    json_t *segs = json_array(), *seg = NULL;
    size_t i;
    const json_t *w;
    double last_end = 0.0;
    json_array_foreach(words, i, w) {
        double start = json_number_value(json_object_get(w, "start"));
        double end = json_number_value(json_object_get(w, "end"));
        const char *word = json_string_value(json_object_get(w, "word"));
        if (!seg || start - last_end >= SEGMENT_PAUSE_S) {
            seg = json_pack("{s:f, s:f, s:s}", "start", start, "end", end, "text", word);
            if (!seg || json_array_append_new(segs, seg) < 0)
                goto fail;
        } else {
            const char *prev = json_string_value(json_object_get(seg, "text"));
            size_t n = strlen(prev) + strlen(word) + 2;
            char *text = malloc(n);
            if (!text)
                goto fail;
            snprintf(text, n, "%s %s", prev, word);
            int bad = json_object_set_new(seg, "text", json_string(text)) < 0 ||
                      json_object_set_new(seg, "end", json_real(end)) < 0;
            free(text);
            if (bad)
                goto fail;
        }
        last_end = end;
    }
    return segs;
fail:
    json_decref(segs);
    return NULL;
}

/* The words joined by spaces. */
static char *words_text(const json_t *words)
{
    size_t i, len = 1;
    const json_t *w;
    json_array_foreach(words, i, w)
        len += strlen(json_string_value(json_object_get(w, "word"))) + 1;
    char *text = calloc(1, len), *p = text;
    if (!text)
        return NULL;
    json_array_foreach(words, i, w) {
        const char *word = json_string_value(json_object_get(w, "word"));
        p += sprintf(p, "%s%s", i ? " " : "", word);
    }
    return text;
}

/* Adds engine, text, segments and the no-speech flag to an engine's result. */
static int finish_transcript(json_t *t, const char *engine, char *err, size_t errlen)
{
    const json_t *words = json_object_get(t, "words");
    char *text = words_text(words);
    json_t *segs = json_object_get(t, "segments");
    int bad = !text || json_object_set_new(t, "engine", json_string(engine)) < 0 ||
              json_object_set_new(t, "text", json_string(text)) < 0;
    free(text);
    if (!bad && !json_is_array(segs)) {
        segs = segments_from_words(words);
        bad = !segs || json_object_set_new(t, "segments", segs) < 0;
    }
    if (!bad && json_array_size(words) == 0) {
        bad = json_object_set_new(t, "no_speech", json_true()) < 0;
        if (!bad && !json_object_get(t, "note"))
            bad = json_object_set_new(t, "note", json_string(NO_SPEECH_NOTE)) < 0;
    }
    if (bad)
        snprintf(err, errlen, "out of memory building the transcript");
    return bad ? -1 : 0;
}

int transcriber_run(transcriber *t, const char *wav_path, json_t **out, char *err,
                    size_t errlen)
{
    return transcriber_run_call(t, wav_path, NULL, out, err, errlen);
}

int transcriber_run_call(transcriber *t, const char *wav_path, const transcribe_call *given,
                         json_t **out, char *err, size_t errlen)
{
    int rc = -1;
    const transcribe_engine *used = t->engine;
    transcribe_call call = {.language = given ? given->language : NULL, .prompt = given ? given->prompt : NULL};
    if (!call.language || !call.language[0])
        call.language = t->opts->language && t->opts->language[0] ? t->opts->language : "en";
    if (!call.prompt)
        call.prompt = t->opts->prompt ? t->opts->prompt : TRANSCRIBE_DEFAULT_PROMPT;
    *out = NULL;
    if (!wav_path) {
        snprintf(err, errlen, "no WAV path given");
        goto out;
    }
    if (t->engine->run(t->state, wav_path, &call, out, err, errlen) < 0) {
        /* The embedded engine knows English only: its words for speech in
         * another language would be wrong, not a fallback. */
        if (!t->fallback || strcmp(call.language, "en") != 0)
            goto out;
        /* Keep the remote engine's reason: it goes into the note. */
        char note[1024];
        snprintf(note, sizeof note, "The %s engine failed (%s); transcribed by the %s engine.",
                 t->engine->name, err, t->fallback->name);
        used = t->fallback;
        if (used->run(t->fallback_state, wav_path, &call, out, err, errlen) < 0)
            goto out;
        if (json_object_set_new(*out, "note", json_string(note)) < 0) {
            snprintf(err, errlen, "out of memory building the transcript");
            goto out;
        }
    }
    if (finish_transcript(*out, used->name, err, errlen) < 0)
        goto out;
    if (!json_object_get(*out, "language") &&
        json_object_set_new(*out, "language", json_string(strcmp(call.language, "auto") ? call.language : "en")) < 0) {
        snprintf(err, errlen, "out of memory building the transcript");
        goto out;
    }
    rc = 0;
out:
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int transcribe_wav(const char *wav_path, const transcribe_opts *opts, json_t **out,
                   char *err, size_t errlen)
{
    transcriber *t = NULL;
    *out = NULL;
    if (transcriber_new(opts, &t, err, errlen) < 0)
        return -1;
    int rc = transcriber_run(t, wav_path, out, err, errlen);
    transcriber_free(t);
    return rc;
}
