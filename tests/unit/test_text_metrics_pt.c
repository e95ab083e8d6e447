/* Brazilian Portuguese text metrics: the word lists and filler rules of
 * data/pt-BR load, accented words are matched as Whisper writes them, and the
 * rules give the fillers of their own examples.
 *
 * The examples (tests/text-metrics-data/pt-BR-rule-examples.txt) were
 * written with the rules: a regression guard, not an accuracy figure. The
 * figure, on a held-out set nobody tuned the rules on, is in
 * docs/accuracy.md (bench/fillers). */
#include <criterion/criterion.h>
#include <string.h>

#include "filler_labels.h"
#include "isim_words.h"
#include "tm_languages.h"
#include "tmetrics.h"

static char err[512];
static tm_languages *langs;

static void setup(void)
{
    cr_assert_eq(tm_languages_load(ISIM_SOURCE_DIR "/data", &langs, err, sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    tm_languages_free(langs);
}

TestSuite(pt, .init = setup, .fini = teardown);

static const tm_lexicon *pt_lex(void)
{
    json_t *t = json_pack("{s:s}", "language", "pt-br");
    const tm_lexicon *lex = tm_languages_pick(langs, t, err, sizeof err);
    json_decref(t);
    cr_assert_not_null(lex, "%s", err);
    cr_assert_str_eq(lex->lang, "pt-BR");
    return lex;
}

Test(pt, accented_words_keep_their_letters)
{
    static const char *const cases[][2] = {
        {"Né?", "né"}, {"É,", "é"}, {"então", "então"}, {"AÇÃO.", "ação"}, {"«Você»", "você"},
        {"aí…", "aí"}, {"don't", "don't"}, {"—", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int ends = 0;
        char *w = words_normalise(cases[i][0], &ends);
        cr_assert_str_eq(w, cases[i][1], "%s", cases[i][0]);
        free(w);
    }
    int ends = 0;
    free(words_normalise("assim…", &ends));
    cr_assert_eq(ends, 1, "an ellipsis ends a sentence");
}

Test(pt, fillers_of_a_portuguese_answer)
{
    /* "tipo" set off and "né" are fillers; "esse tipo de" is content. */
    filler_counts c = {0};
    cr_assert_eq(filler_labels_score(pt_lex(), "tipo* / eu liderei esse tipo de projeto né*", &c, stderr, err,
                                     sizeof err), 0, "%s", err);
    cr_assert_eq(c.truth, 2);
    cr_assert_eq(c.hits, 2);
    cr_assert_eq(c.found, 2);
}

Test(pt, metrics_name_their_language)
{
    json_t *t = json_pack("{s:s, s:[{s:s, s:f, s:f}, {s:s, s:f, s:f}]}", "language", "pt-BR", "words", "word", "Hum,",
                          "start", 0.0, "end", 0.3, "word", "liderei", "start", 0.4, "end", 0.8);
    json_t *m = NULL;
    cr_assert_eq(tmetrics_compute(pt_lex(), t, &m, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(json_string_value(json_object_get(m, "language")), "pt-BR");
    cr_assert_eq(json_integer_value(json_object_get(m, "filler_count")), 1);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(m, "action_verbs"), "count")), 1);
    json_decref(m);
    json_decref(t);
}

Test(pt, unknown_language_is_a_clear_error)
{
    json_t *t = json_pack("{s:s, s:[]}", "language", "fr", "words");
    cr_assert_null(tm_languages_pick(langs, t, err, sizeof err));
    cr_assert(strstr(err, "(fr)") && strstr(err, "pt-BR"), "%s", err);
    json_decref(t);
}

Test(pt, rule_examples_regression_guard)
{
    filler_counts c = {0};
    cr_assert_eq(filler_labels_score_file(pt_lex(), ISIM_SOURCE_DIR "/tests/text-metrics-data/pt-BR-rule-examples.txt",
                                          &c, stderr, err, sizeof err),
                 0, "%s", err);
    cr_assert_gt(c.utterances, 30);
    double p = (double)c.hits / (double)c.found, r = (double)c.hits / (double)c.truth;
    cr_assert_geq(p, 0.9, "precision %.3f", p);
    cr_assert_geq(r, 0.9, "recall %.3f", r);
}
