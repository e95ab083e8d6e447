/* tmetrics_compute on synthetic transcripts with exact timings. */
#include "tmetrics.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <string.h>

static char err[512];
static tm_lexicon *lex;

static void lex_setup(void)
{
    cr_assert_eq(tm_lexicon_load(ISIM_SOURCE_DIR "/data", "en", &lex, err, sizeof err), 0, "%s", err);
}

static void lex_teardown(void)
{
    tm_lexicon_free(lex);
}

TestSuite(tmetrics, .init = lex_setup, .fini = lex_teardown);

/* Builds {"duration_s":dur,"words":[...]} from "word", start, end triples;
 * words are NULL-terminated. */
static json_t *transcript(double dur, ...)
{
    json_t *words = json_array();
    va_list ap;
    va_start(ap, dur);
    for (const char *w = va_arg(ap, const char *); w; w = va_arg(ap, const char *)) {
        double s = va_arg(ap, double), e = va_arg(ap, double);
        json_array_append_new(words, json_pack("{s:s, s:f, s:f, s:f}", "word", w, "start", s,
                                               "end", e, "confidence", 0.9));
    }
    va_end(ap);
    return json_pack("{s:s, s:f, s:s, s:o}", "engine", "pocketsphinx", "duration_s", dur,
                     "text", "", "words", words);
}

static json_t *compute_ok(json_t *t)
{
    json_t *m = NULL;
    cr_assert_eq(tmetrics_compute(lex, t, &m, err, sizeof err), 0, "%s", err);
    cr_assert_not_null(m);
    json_decref(t);
    return m;
}

static double num(const json_t *m, const char *key)
{
    const json_t *v = json_object_get(m, key);
    cr_assert(json_is_number(v), "%s missing", key);
    return json_number_value(v);
}

static void assert_fillers(const json_t *m, const char *const *expect, size_t n)
{
    const json_t *f = json_object_get(m, "fillers");
    cr_assert_eq(num(m, "filler_count"), (double)n);
    cr_assert_eq(json_array_size(f), n, "got %zu fillers, expected %zu",
                 json_array_size(f), n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(f, i), "word")),
                         expect[i]);
}

Test(tmetrics, wpm_exact)
{
    /* 6 words spoken from 1.0 s to 4.0 s: 6 / 3 s * 60 = 120 wpm. */
    json_t *m = compute_ok(transcript(5.0, "i", 1.0, 1.2, "led", 1.2, 1.6, "a", 1.6, 1.7,
                                      "small", 1.7, 2.5, "team", 2.6, 3.2, "there", 3.4, 4.0,
                                      NULL));
    cr_assert_eq(num(m, "word_count"), 6);
    cr_assert_float_eq(num(m, "duration_s"), 5.0, 1e-9);
    cr_assert_float_eq(num(m, "speaking_s"), 3.0, 1e-9);
    cr_assert_float_eq(num(m, "wpm"), 120.0, 1e-9);
    assert_fillers(m, NULL, 0);
    cr_assert_float_eq(num(m, "fillers_per_100_words"), 0.0, 1e-9);
    json_decref(m);
}

Test(tmetrics, um_uh_you_know_counted)
{
    /* "um so uh I think you know it works": "so" between two fillers is one too. */
    json_t *m = compute_ok(transcript(4.0, "um", 0.0, 0.4, "so", 0.5, 0.7, "uh", 0.8, 1.0,
                                      "I", 1.1, 1.2, "think", 1.2, 1.5, "you", 1.6, 1.7,
                                      "know", 1.7, 1.9, "it", 2.3, 2.4, "works", 2.4, 2.8,
                                      NULL));
    static const char *const expect[] = {"um", "so", "uh", "you know"};
    assert_fillers(m, expect, 4);
    cr_assert_eq(num(m, "word_count"), 9);
    cr_assert_float_eq(num(m, "fillers_per_100_words"), 44.444, 1e-9);
    const json_t *yk = json_array_get(json_object_get(m, "fillers"), 3);
    cr_assert_float_eq(num(yk, "start"), 1.6, 1e-9);
    cr_assert_float_eq(num(yk, "end"), 1.9, 1e-9);
    json_decref(m);
}

Test(tmetrics, all_single_fillers_and_punctuation)
{
    json_t *m = compute_ok(transcript(3.0, "Um,", 0.0, 0.2, "er", 0.3, 0.4, "ah", 0.5, 0.6,
                                      "hmm", 0.7, 0.8, "erm", 0.9, 1.0, "ok", 1.1, 1.2, NULL));
    static const char *const expect[] = {"um", "er", "ah", "hmm", "erm"};
    assert_fillers(m, expect, 5);
    json_decref(m);
}

Test(tmetrics, like_as_verb_not_counted)
{
    json_t *m = compute_ok(transcript(2.0, "I", 0.0, 0.2, "like", 0.2, 0.5, "Python", 0.5,
                                      1.0, NULL));
    assert_fillers(m, NULL, 0);
    json_decref(m);
}

Test(tmetrics, like_set_off_counted)
{
    /* "it was like [pause] really hard" and "so like um fine". */
    json_t *m = compute_ok(transcript(6.0, "it", 0.0, 0.2, "was", 0.2, 0.4, "like", 0.4, 0.6,
                                      "really", 1.2, 1.5, "hard", 1.5, 1.9, "so", 2.0, 2.2,
                                      "like", 2.2, 2.4, "um", 2.4, 2.6, "fine", 2.6, 3.0,
                                      NULL));
    static const char *const expect[] = {"like", "like", "um"};
    assert_fillers(m, expect, 3);
    json_decref(m);
}

Test(tmetrics, you_know_and_i_mean_in_context)
{
    /* "do you know the answer" and "you know the way" run on: no fillers;
     * "I mean it": none; "I mean [pause] we shipped": one. */
    json_t *m = compute_ok(transcript(9.0, "do", 0.0, 0.2, "you", 0.2, 0.3, "know", 0.3, 0.5,
                                      "the", 0.5, 0.6, "answer", 0.6, 1.0, "you", 1.5, 1.6,
                                      "know", 1.6, 1.8, "the", 1.8, 1.9, "way", 1.9, 2.2,
                                      "i", 2.5, 2.6, "mean", 2.6, 2.8, "it", 2.8, 3.0,
                                      "i", 3.5, 3.6, "mean", 3.6, 3.8, "we", 4.5, 4.6,
                                      "shipped", 4.6, 5.0, NULL));
    static const char *const expect[] = {"i mean"};
    assert_fillers(m, expect, 1);
    const json_t *f = json_array_get(json_object_get(m, "fillers"), 0);
    cr_assert_float_eq(num(f, "start"), 3.5, 1e-9);
    json_decref(m);
}

Test(tmetrics, empty_transcript)
{
    json_t *m = compute_ok(transcript(3.0, NULL));
    cr_assert_eq(num(m, "word_count"), 0);
    cr_assert_eq(num(m, "wpm"), 0);
    cr_assert_eq(num(m, "speaking_s"), 0);
    cr_assert_float_eq(num(m, "duration_s"), 3.0, 1e-9);
    assert_fillers(m, NULL, 0);
    cr_assert_eq(num(m, "fillers_per_100_words"), 0);
    json_decref(m);
}

Test(tmetrics, single_instant_word_has_zero_wpm)
{
    json_t *m = compute_ok(transcript(1.0, "hi", 0.5, 0.5, NULL));
    cr_assert_eq(num(m, "word_count"), 1);
    cr_assert_eq(num(m, "wpm"), 0);
    json_decref(m);
}

static void expect_error(const char *json, const char *needle)
{
    json_t *t = json_loads(json, 0, NULL), *m = NULL;
    cr_assert_not_null(t, "bad test JSON %s", json);
    err[0] = '\0';
    cr_assert_eq(tmetrics_compute(lex, t, &m, err, sizeof err), -1, "accepted %s", json);
    cr_assert_null(m);
    cr_assert(strstr(err, needle), "error '%s' lacks '%s'", err, needle);
    json_decref(t);
}

Test(tmetrics, malformed_input)
{
    json_t *m = NULL;
    cr_assert_eq(tmetrics_compute(lex, NULL, &m, err, sizeof err), -1);
    cr_assert(strstr(err, "words"));
    expect_error("[1, 2]", "words array");
    expect_error("{\"text\": \"hi\"}", "words array");
    expect_error("{\"words\": {\"word\": \"hi\"}}", "words array");
    expect_error("{\"words\": [\"hi\"]}", "words[0] is not an object");
    expect_error("{\"words\": [{\"word\": \"a\", \"start\": 0, \"end\": 1}, "
                 "{\"word\": 3, \"start\": 1, \"end\": 2}]}",
                 "words[1].word");
    expect_error("{\"words\": [{\"word\": \"a\", \"start\": \"0\", \"end\": 1}]}",
                 "words[0].start");
    expect_error("{\"words\": [{\"word\": \"a\", \"start\": 0}]}", "words[0].end");
    expect_error("{\"words\": [{\"word\": \"a\", \"start\": 2, \"end\": 1}]}",
                 "ends (1) before it starts (2)");
    expect_error("{\"words\": [{\"word\": \"a\", \"start\": -1, \"end\": 1}]}",
                 "words[0].start");
    expect_error("{\"duration_s\": \"long\", \"words\": []}", "duration_s");
}

/* Found by tests/fuzz/fuzz_transcript: an absurd time asked for a pace
 * window per 10 s of it (1e46 s: undefined behaviour, then out of memory). */
Test(tmetrics, times_beyond_a_day_are_refused)
{
    expect_error("{\"words\": [{\"word\": \"um\", \"start\": 0.2, \"end\": 8.8e46}]}", "words[0].end");
    expect_error("{\"words\": [{\"word\": \"um\", \"start\": 90000, \"end\": 90001}]}", "words[0].start");
    expect_error("{\"duration_s\": 1e9, \"words\": []}", "duration_s");
}

/* The transcriber keeps the recogniser's sentence ends as sentence_end (the
 * words themselves lose their punctuation): sentences split there, not at
 * pauses, which a fluent speaker does not make between sentences. */
Test(tmetrics, sentences_split_where_the_transcript_says_they_end)
{
    json_t *t = transcript(4.0, "we", 0.0, 0.2, "shipped", 0.2, 0.6, "it", 0.6, 0.8, "then", 0.85, 1.0,
                           "we", 1.0, 1.2, "rested", 1.2, 1.6, NULL);
    json_object_set_new(json_array_get(json_object_get(t, "words"), 2), "sentence_end", json_true());
    json_t *m = compute_ok(t);
    const json_t *s = json_object_get(m, "sentences");
    cr_assert_eq(num(s, "max_words"), 3.0, "max_words %g", num(s, "max_words"));
    cr_assert_eq(json_array_size(json_object_get(s, "items")), 2);
    json_decref(m);
}
