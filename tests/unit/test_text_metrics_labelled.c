/* Accuracy on a labelled transcript set built here: utterances with the
 * fillers a listener would mark, spoken with plausible timings (a filler set
 * off by a pause is how people say it), including ambiguous "like", "so",
 * "you know", "kind of" used as content. Filler precision and recall must
 * reach 0.9; pace must be exact on synthetic timings.
 *
 * A regression guard, not an accuracy figure: these examples were written
 * alongside the filler rules, and the timings are written by hand. Filler
 * precision and recall on a recogniser's output of spoken answers are in
 * docs/accuracy.md (make accuracy). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tmetrics.h"

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

TestSuite(labelled, .init = lex_setup, .fini = lex_teardown);

/* Notation: words separated by spaces; "/" is a 0.6 s pause; a word ending in
 * '*' starts a filler a listener marks (a two-word filler marks its first
 * word only). Words last 0.3 s with 0.05 s between them. */
static const char *const SET[] = {
    "um* i led the migration to postgres",
    "so* / we had / uh* three weeks to do it",
    "i like python and i like go",
    "it looks like rain today",
    "it was like* / really hard to debug",
    "and so* / like* / um* we rewrote the parser",
    "we did it so that the team could ship faster",
    "there were so many edge cases",
    "you* know / the deadline was tight",
    "do you know the answer",
    "you know the way to the office",
    "i* mean / we could have tested more",
    "i mean it when i say we failed",
    "that is what i mean by ownership",
    "basically* / we rebuilt the whole pipeline",
    "it actually works on every device",
    "actually* / um* the first plan failed",
    "what kind of database did you choose",
    "it was kind* of a mess at the start",
    "we had some sort of race condition",
    "i sort* of took over the project",
    "er* / the result was a twenty percent speed up",
    "hmm* / let me think about that",
    "so* / um* / what happened next was a surprise",
    "and so on and so forth",
    "the service was so slow that users left",
    "like* / uh* i wanted to fix it properly",
    "people like my manager noticed",
    "you* know / uh* it was not easy",
    "erm* we measured twice",
    "i feel like the team trusted me",
    "i think so",
    "we shipped it / so* / the customers were happy",
    "ah* / i forgot to mention the tests",
    "i would like to lead a team",
    "it felt like a marathon",
    "uh* / so* / yeah the launch went well",
    "so far the results are good",
    "we were like* / forty percent over budget",
    "um* / basically* / we cut scope",
    "we so badly wanted to win",
    "uh* the logs showed nothing",
    "i guess so",
    /* hard cases the timing rules get wrong, kept so the figures are honest */
    "it was like* really hard",
    "i like / um* swimming",
};

typedef struct labelled {
    json_t *transcript;
    int *truth; /* truth[i]: word i starts a filler */
    size_t n;
} labelled;

static labelled build(const char *utterance)
{
    labelled L = {json_array(), NULL, 0};
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", utterance);
    static int truth[64];
    memset(truth, 0, sizeof truth);
    double t = 0.0;
    json_t *words = L.transcript;
    for (char *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        if (strcmp(p, "/") == 0) {
            t += 0.6;
            continue;
        }
        size_t len = strlen(p);
        if (p[len - 1] == '*') {
            p[len - 1] = '\0';
            truth[L.n] = 1;
        }
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", p, "start", t, "end", t + 0.3));
        t += 0.35;
        L.n++;
    }
    L.transcript = json_pack("{s:o}", "words", words);
    L.truth = truth;
    return L;
}

Test(labelled, filler_precision_and_recall)
{
    size_t tp = 0, fp = 0, fn = 0, total_words = 0;
    for (size_t u = 0; u < sizeof SET / sizeof SET[0]; u++) {
        labelled L = build(SET[u]);
        json_t *m = NULL;
        cr_assert_eq(tmetrics_compute(lex, L.transcript, &m, err, sizeof err), 0, "%s", err);
        int found[64] = {0};
        size_t i;
        const json_t *f;
        json_array_foreach(json_object_get(m, "fillers"), i, f)
            found[json_integer_value(json_object_get(f, "index"))] = 1;
        for (size_t k = 0; k < L.n; k++) {
            tp += found[k] && L.truth[k];
            fp += found[k] && !L.truth[k];
            fn += !found[k] && L.truth[k];
            if (found[k] != L.truth[k])
                fprintf(stderr, "labelled set: %s at word %zu of \"%s\"\n",
                        found[k] ? "false filler" : "missed filler", k, SET[u]);
        }
        total_words += L.n;
        json_decref(m);
        json_decref(L.transcript);
    }
    double precision = tp + fp ? (double)tp / (double)(tp + fp) : 0.0;
    double recall = tp + fn ? (double)tp / (double)(tp + fn) : 0.0;
    fprintf(stderr,
            "labelled set: %zu utterances, %zu words, %zu fillers marked; "
            "filler precision %.3f, recall %.3f\n",
            sizeof SET / sizeof SET[0], total_words, tp + fn, precision, recall);
    cr_assert_geq(tp + fn, 30, "the set must hold enough fillers to measure");
    cr_assert_geq(precision, 0.9, "precision %.3f", precision);
    cr_assert_geq(recall, 0.9, "recall %.3f", recall);
}

/* n words of 0.5 s back to back, with a pause of `pause` seconds after every
 * 10th word (none after the last). */
static json_t *paced(size_t n, double pause, double duration)
{
    json_t *words = json_array();
    double t = 0.0;
    for (size_t i = 0; i < n; i++) {
        char w[32];
        snprintf(w, sizeof w, "w%zu", i);
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", w, "start", t, "end", t + 0.5));
        t += 0.5;
        if ((i + 1) % 10 == 0 && i + 1 < n)
            t += pause;
    }
    return json_pack("{s:f, s:o}", "duration_s", duration, "words", words);
}

Test(labelled, pace_exact_without_pauses)
{
    /* 60 words in 30 s: 120 wpm overall, in each of the three 10 s windows,
     * and as articulation rate; a 5 s tail window holds no words. */
    json_t *t = paced(60, 0.0, 35.0), *m = NULL;
    cr_assert_eq(tmetrics_compute(lex, t, &m, err, sizeof err), 0, "%s", err);
    cr_assert_float_eq(json_number_value(json_object_get(m, "wpm")), 120.0, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(m, "articulation_wpm")), 120.0, 1e-9);
    const json_t *win = json_object_get(m, "pace_windows");
    cr_assert_eq(json_array_size(win), 4);
    for (size_t k = 0; k < 3; k++) {
        const json_t *e = json_array_get(win, k);
        cr_assert_eq(json_integer_value(json_object_get(e, "words")), 20);
        cr_assert_float_eq(json_number_value(json_object_get(e, "wpm")), 120.0, 1e-9);
    }
    const json_t *tail = json_array_get(win, 3);
    cr_assert_float_eq(json_number_value(json_object_get(tail, "end")), 35.0, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(tail, "words")), 0);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(m, "pauses"), "count")), 0);
    json_decref(m);
    json_decref(t);
}

Test(labelled, pace_exact_with_pauses)
{
    /* 60 words, a 2.5 s pause after every 10th: 30 s of speech plus 12.5 s of
     * pauses. wpm = 60 / 42.5 s; articulation leaves the pauses out: 120. */
    json_t *t = paced(60, 2.5, 42.5), *m = NULL;
    cr_assert_eq(tmetrics_compute(lex, t, &m, err, sizeof err), 0, "%s", err);
    cr_assert_float_eq(json_number_value(json_object_get(m, "speaking_s")), 42.5, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(m, "wpm")), round(60.0 / 42.5 * 60.0 * 1000) / 1000, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(m, "articulation_wpm")), 120.0, 1e-9);
    const json_t *p = json_object_get(m, "pauses");
    cr_assert_eq(json_integer_value(json_object_get(p, "count")), 5);
    cr_assert_float_eq(json_number_value(json_object_get(p, "total_s")), 12.5, 1e-9);
    cr_assert_eq(json_array_size(json_object_get(p, "long")), 5);
    const json_t *first = json_array_get(json_object_get(p, "long"), 0);
    cr_assert_float_eq(json_number_value(json_object_get(first, "start")), 5.0, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(first, "end")), 7.5, 1e-9);
    /* Windows from the known schedule: word i starts at 0.5 i + 2.5 floor(i / 10). */
    size_t expect[5] = {0};
    for (size_t i = 0; i < 60; i++)
        expect[(size_t)((0.5 * (double)i + 2.5 * (double)(i / 10)) / 10.0)]++;
    const json_t *win = json_object_get(m, "pace_windows");
    cr_assert_eq(json_array_size(win), 5);
    for (size_t k = 0; k < 5; k++) {
        const json_t *e = json_array_get(win, k);
        double len = fmin(42.5, 10.0 * (double)(k + 1)) - 10.0 * (double)k;
        cr_assert_eq((size_t)json_integer_value(json_object_get(e, "words")), expect[k], "window %zu", k);
        cr_assert_float_eq(json_number_value(json_object_get(e, "wpm")),
                           round((double)expect[k] / len * 60.0 * 1000) / 1000, 1e-9, "window %zu", k);
    }
    json_decref(m);
    json_decref(t);
}
