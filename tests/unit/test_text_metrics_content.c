/* Content and style metrics on transcripts with known words and times:
 * hedges, action verbs, numbers, non-inclusive terms, STAR, repetition,
 * vocabulary diversity, sentences; and the word-list loader's errors. */
#include <criterion/criterion.h>
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

TestSuite(content, .init = lex_setup, .fini = lex_teardown);

/* Words of text, word i from i * 0.5 s to i * 0.5 + 0.4 s; "/" adds 1 s of silence. */
static json_t *metrics_of(const char *text)
{
    json_t *words = json_array(), *m = NULL;
    char buf[4096], *save = NULL;
    snprintf(buf, sizeof buf, "%s", text);
    double t = 0;
    for (char *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        if (strcmp(p, "/") == 0) {
            t += 1.0;
            continue;
        }
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", p, "start", t, "end", t + 0.4));
        t += 0.5;
    }
    json_t *tr = json_pack("{s:o}", "words", words);
    cr_assert_eq(tmetrics_compute(lex, tr, &m, err, sizeof err), 0, "%s", err);
    json_decref(tr);
    return m;
}

static const json_t *item(const json_t *m, const char *list, size_t i)
{
    return json_array_get(json_object_get(json_object_get(m, list), "items"), i);
}

static json_int_t count(const json_t *m, const char *list)
{
    return json_integer_value(json_object_get(json_object_get(m, list), "count"));
}

Test(content, hedges_at_known_places)
{
    /* hedges: "i think" at word 0, "maybe" at 5, "just" at 10, "i guess" at 13 */
    json_t *m = metrics_of("I think the design was maybe too complex so we just split it I guess");
    cr_assert_eq(count(m, "hedges"), 4);
    static const char *const phrase[] = {"i think", "maybe", "just", "i guess"};
    static const double start[] = {0.0, 2.5, 5.0, 6.5};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(json_string_value(json_object_get(item(m, "hedges", i), "phrase")), phrase[i]);
        cr_assert_float_eq(json_number_value(json_object_get(item(m, "hedges", i), "start")), start[i], 1e-9);
    }
    /* the two-word hedge spans both words */
    cr_assert_float_eq(json_number_value(json_object_get(item(m, "hedges", 0), "end")), 0.9, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(json_object_get(m, "hedges"), "per_100_words")),
                       400.0 / 15, 1e-3);
    json_decref(m);
}

Test(content, action_verbs_and_quantified_results)
{
    json_t *m = metrics_of("I led the team and we reduced latency by 40 percent and saved twenty thousand dollars");
    cr_assert_eq(count(m, "action_verbs"), 3); /* led reduced saved */
    cr_assert_str_eq(json_string_value(json_object_get(item(m, "action_verbs", 1), "word")), "reduced");
    cr_assert_eq(count(m, "quantified"), 4); /* 40 percent twenty thousand */
    cr_assert_str_eq(json_string_value(json_object_get(item(m, "quantified", 0), "word")), "40");
    cr_assert_float_eq(json_number_value(json_object_get(item(m, "quantified", 0), "start")), 4.5, 1e-9);
    json_decref(m);
}

Test(content, noninclusive_terms_with_suggestions)
{
    json_t *m = metrics_of("hey guys we needed more manpower and a whitelist");
    cr_assert_eq(count(m, "noninclusive"), 3);
    const json_t *g = item(m, "noninclusive", 0);
    cr_assert_str_eq(json_string_value(json_object_get(g, "term")), "guys");
    cr_assert(strstr(json_string_value(json_object_get(g, "suggestion")), "everyone"));
    cr_assert_str_eq(json_string_value(json_object_get(item(m, "noninclusive", 2), "suggestion")), "allowlist");
    json_decref(m);
}

Test(content, star_parts_in_order_with_shares)
{
    /* 23 words: S at word 0 (5 words), T at 5 (5), A at 10 ("i wrote", 6), R at 16 (7);
     * "so" before "i wrote" is no cue: it starts every kind of clause */
    json_t *m = metrics_of("at the time servers crashed my task was recovery "
                           "so i wrote a fix and tests as a result errors fell by half");
    const json_t *star = json_object_get(m, "star");
    cr_assert_eq(json_integer_value(json_object_get(star, "present")), 4);
    cr_assert_str_eq(json_string_value(json_object_get(star, "order")), "STAR");
    cr_assert(json_is_true(json_object_get(star, "in_order")));
    static const char *const parts[] = {"situation", "task", "action", "result"};
    static const double share[] = {5.0 / 23, 5.0 / 23, 6.0 / 23, 7.0 / 23};
    static const double first[] = {0.0, 2.5, 5.0, 8.0};
    for (size_t i = 0; i < 4; i++) {
        const json_t *p = json_object_get(star, parts[i]);
        cr_assert_float_eq(json_number_value(json_object_get(p, "share")), share[i], 1e-3, "%s", parts[i]);
        cr_assert_float_eq(json_number_value(json_object_get(p, "first_s")), first[i], 1e-9, "%s", parts[i]);
    }
    json_decref(m);

    /* result told before the action: out of order, no situation or task */
    m = metrics_of("in the end it worked because first i rebuilt the index");
    star = json_object_get(m, "star");
    cr_assert_str_eq(json_string_value(json_object_get(star, "order")), "RA");
    cr_assert(json_is_false(json_object_get(star, "in_order")));
    cr_assert_eq(json_integer_value(json_object_get(star, "present")), 2);
    cr_assert(json_is_null(json_object_get(json_object_get(star, "task"), "first_s")));
    json_decref(m);
}

Test(content, repetition_and_top_words)
{
    json_t *m = metrics_of("the cache layer failed so the cache layer was rebuilt and the cache layer now scales "
                           "with the database");
    const json_t *rp = json_object_get(m, "repeated_phrases");
    cr_assert_geq(json_array_size(rp), 1);
    const json_t *first = json_array_get(rp, 0);
    cr_assert_str_eq(json_string_value(json_object_get(first, "phrase")), "the cache layer");
    cr_assert_eq(json_integer_value(json_object_get(first, "count")), 3);
    cr_assert_float_eq(json_number_value(json_array_get(json_object_get(first, "starts"), 1)), 2.5, 1e-9);
    /* "cache layer" (inside the listed 3-word phrase, same count) is not listed again */
    size_t i;
    const json_t *p;
    json_array_foreach(rp, i, p)
        cr_assert_str_neq(json_string_value(json_object_get(p, "phrase")), "cache layer");
    const json_t *top = json_array_get(json_object_get(m, "top_words"), 0);
    cr_assert_eq(json_integer_value(json_object_get(top, "count")), 3);
    cr_assert(strcmp(json_string_value(json_object_get(top, "word")), "cache") == 0 ||
              strcmp(json_string_value(json_object_get(top, "word")), "layer") == 0);
    /* stop words are never top words */
    json_array_foreach(json_object_get(m, "top_words"), i, p)
        cr_assert_str_neq(json_string_value(json_object_get(p, "word")), "the");
    json_decref(m);
}

Test(content, vocabulary_mattr)
{
    /* short answer: plain type-token ratio, 3 types in 4 words */
    json_t *m = metrics_of("alpha beta alpha gamma");
    const json_t *v = json_object_get(m, "vocabulary");
    cr_assert_float_eq(json_number_value(json_object_get(v, "mattr")), 0.75, 1e-9);
    json_decref(m);
    /* 51 words: 50 different, then the second again. Window 1 has 50 types,
     * window 2 holds word 1 twice: (50/50 + 49/50) / 2 = 0.99 */
    char text[2048] = "";
    for (int i = 0; i < 50; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "w%d ", i);
    strcat(text, "w1");
    m = metrics_of(text);
    v = json_object_get(m, "vocabulary");
    cr_assert_float_eq(json_number_value(json_object_get(v, "mattr")), 0.99, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(v, "window")), 50);
    json_decref(m);
}

Test(content, sentences_by_pauses_and_by_punctuation)
{
    json_t *m = metrics_of("we found the bug / then we fixed it quickly / done");
    const json_t *s = json_object_get(m, "sentences");
    cr_assert_str_eq(json_string_value(json_object_get(s, "segmented_by")), "pauses");
    cr_assert_eq(json_integer_value(json_object_get(s, "count")), 3);
    cr_assert_eq(json_integer_value(json_object_get(s, "max_words")), 5);
    const json_t *second = json_array_get(json_object_get(s, "items"), 1);
    cr_assert_float_eq(json_number_value(json_object_get(second, "start")), 3.0, 1e-9);
    json_decref(m);
    m = metrics_of("We found the bug. Then we fixed it / quickly! Done.");
    s = json_object_get(m, "sentences");
    cr_assert_str_eq(json_string_value(json_object_get(s, "segmented_by")), "punctuation");
    cr_assert_eq(json_integer_value(json_object_get(s, "count")), 3);
    cr_assert_eq(json_integer_value(json_object_get(s, "max_words")), 5);
    json_decref(m);
}

Test(content, words_out_of_order_refused)
{
    json_t *t = json_loads("{\"words\":[{\"word\":\"b\",\"start\":2,\"end\":3},"
                           "{\"word\":\"a\",\"start\":1,\"end\":2}]}", 0, NULL), *m = NULL;
    cr_assert_eq(tmetrics_compute(lex, t, &m, err, sizeof err), -1);
    cr_assert(strstr(err, "words[1] starts"), "%s", err);
    json_decref(t);
}

Test(lexicon, missing_list_is_named)
{
    tm_lexicon *l = NULL;
    cr_assert_eq(tm_lexicon_load("/nonexistent", "en", &l, err, sizeof err), -1);
    cr_assert_null(l);
    cr_assert(strstr(err, "/nonexistent/en/fillers.txt"), "%s", err);
}

Test(lexicon, phrases_and_comments)
{
    tm_lexicon *l = NULL;
    cr_assert_eq(tm_lexicon_load(ISIM_SOURCE_DIR "/data", "en", &l, err, sizeof err), 0, "%s", err);
    const tm_list *h = &l->lists[TM_HEDGES];
    tm_word w[] = {{"i", 0, 0.1, 0}, {"think", 0.1, 0.2, 0}, {"so", 0.2, 0.3, 0}};
    size_t e = 0;
    cr_assert_eq(tm_list_match(h, w, 3, 0, &e), 2);
    cr_assert_str_eq(h->entries[e].text, "i think");
    cr_assert_eq(tm_list_match(h, w, 3, 1, NULL), 0);
    for (size_t i = 0; i < h->n; i++)
        cr_assert_neq(h->entries[i].text[0], '#');
    cr_assert(tm_list_has(&l->lists[TM_FILLERS], "um"));
    tm_lexicon_free(l);
}
