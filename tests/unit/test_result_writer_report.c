/* report_build: assembly of the parts, notes, relevance against the question
 * and its talking points. */
#include <criterion/criterion.h>
#include <string.h>

#include "report.h"
#include "report_langs.h"
#include "report_relevance.h"

/* What the shipped data gives each language, read once per test process. */
static const report_langs *langs(void)
{
    static report_langs *l;
    char err[256];
    if (!l)
        cr_assert_eq(report_langs_load(ISIM_SOURCE_DIR "/data", &l, err, sizeof err), 0, "%s", err);
    return l;
}

static const json_t *en_msgs(void)
{
    return langs()->msgs[report_langs_pick(langs(), "en")];
}

static const json_t *suffixes(const char *lang)
{
    return langs()->suffixes[report_langs_pick(langs(), lang)];
}

static const json_t *cues(const char *lang)
{
    return langs()->cues[report_langs_pick(langs(), lang)];
}

static json_t *words_of(const char *text, double step)
{
    json_t *w = json_array();
    char buf[1024], *save = NULL;
    snprintf(buf, sizeof buf, "%s", text);
    double t = 0;
    for (char *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save), t += step)
        json_array_append_new(w, json_pack("{s:s, s:f, s:f}", "word", p, "start", t, "end", t + step * 0.8));
    return w;
}

Test(report, assembles_all_parts)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 12.5, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:[{s:s, s:f, s:f}]}", "engine", "pocketsphinx", "text", "hello",
                           "words", "word", "hello", "start", 0.5, "end", 0.9);
    json_t *tm = json_pack("{s:i, s:f}", "word_count", 1, "wpm", 150.0);
    json_t *vm = json_pack("{s:b, s:[]}", "has_video", 1, "seconds");
    report_input in = {.msgs = en_msgs(), .question = "Why us?", .probe = probe, .transcript = tr, .text_metrics = tm,
                       .video_metrics = vm};
    json_t *r = report_build(&in);
    cr_assert_not_null(r);
    cr_assert_eq(json_integer_value(json_object_get(r, "version")), REPORT_VERSION);
    cr_assert_str_eq(json_string_value(json_object_get(r, "question")), "Why us?");
    cr_assert(json_is_null(json_object_get(r, "question_id")));
    cr_assert_float_eq(json_number_value(json_object_get(r, "duration_s")), 12.5, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "transcript"), "text")), "hello");
    cr_assert_eq(json_array_size(json_object_get(json_object_get(r, "transcript"), "words")), 1);
    cr_assert(json_equal(json_object_get(r, "delivery"), tm));
    cr_assert_eq(json_array_size(json_object_get(r, "notes")), 0);
    /* no rubric: no score, no tips; the AI review is off */
    cr_assert(json_is_null(json_object_get(r, "score")));
    cr_assert_eq(json_array_size(json_object_get(r, "tips")), 0);
    cr_assert(json_is_null(json_object_get(r, "ai_review")));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "relevance"), "source")),
                     "question text");
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
}

/* The report says which engine and model wrote the transcript, and why the
 * embedded engine stood in when it did. */
Test(report, names_the_engine_model_and_fallback)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 3.0, "has_video", 0, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:s, s:[]}", "engine", "openai", "model", "whisper-tiny.en", "text", "",
                           "words");
    report_input in = {.msgs = en_msgs(), .question = "Q", .probe = probe, .transcript = tr};
    json_t *r = report_build(&in);
    json_t *t = json_object_get(r, "transcript");
    cr_assert_str_eq(json_string_value(json_object_get(t, "engine")), "openai");
    cr_assert_str_eq(json_string_value(json_object_get(t, "model")), "whisper-tiny.en");
    cr_assert_null(json_object_get(t, "note"));
    json_decref(r);
    json_object_set_new(tr, "engine", json_string("pocketsphinx"));
    json_object_del(tr, "model");
    json_object_set_new(tr, "note", json_string("The openai engine failed (no answer); transcribed by the "
                                                "pocketsphinx engine."));
    r = report_build(&in);
    t = json_object_get(r, "transcript");
    cr_assert_str_eq(json_string_value(json_object_get(t, "engine")), "pocketsphinx");
    cr_assert_null(json_object_get(t, "model"));
    cr_assert(strstr(json_string_value(json_object_get(t, "note")), "openai engine failed"));
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
}

Test(report, says_when_there_is_no_speech_or_picture)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 3.0, "has_video", 0, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:[]}", "engine", "pocketsphinx", "text", "", "words");
    report_input in = {.msgs = en_msgs(), .question = "Q", .probe = probe, .transcript = tr};
    json_t *r = report_build(&in);
    char *notes = json_dumps(json_object_get(r, "notes"), 0);
    cr_assert(strstr(notes, "No speech was found"), "%s", notes);
    cr_assert(strstr(notes, "no picture"), "%s", notes);
    cr_assert(json_is_null(json_object_get(r, "on_camera")));
    free(notes);
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
}

Test(report, stems_match_word_forms)
{
    char a[64], b[64];
    static const char *const same[][2] = {{"measured", "measure"}, {"Results,", "result"},
                                          {"learned", "learning"}, {"stories", "story"},
                                          {"team's", "team"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        cr_assert(relevance_stem(same[i][0], suffixes("en"), a, sizeof a));
        cr_assert(relevance_stem(same[i][1], suffixes("en"), b, sizeof b));
        cr_assert_str_eq(a, b, "%s vs %s", same[i][0], same[i][1]);
    }
    cr_assert_eq(relevance_stem("...", suffixes("en"), a, sizeof a), 0);
}

/* Brazilian Portuguese: plurals, gender and accents meet (data/pt-BR/stem_suffixes.txt). */
Test(report, portuguese_stems_match_word_forms)
{
    char a[64], b[64];
    static const char *const same[][2] = {{"Ações,", "ação"}, {"resultados", "resultado"}, {"equipes", "Equipe"},
                                          {"materiais", "material"}, {"clientes", "cliente"},
                                          {"rapidamente", "rápida"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0] - 1; i++) {
        cr_assert(relevance_stem(same[i][0], suffixes("pt-BR"), a, sizeof a));
        cr_assert(relevance_stem(same[i][1], suffixes("pt-BR"), b, sizeof b));
        cr_assert_str_eq(a, b, "%s vs %s", same[i][0], same[i][1]);
    }
    /* "ação" keeps its accented letters: not cut into "a" and "o". */
    cr_assert(relevance_stem("ação", suffixes("pt-BR"), a, sizeof a));
    cr_assert_str_eq(a, "ação");
}

Test(report, portuguese_answer_covers_its_talking_points)
{
    json_t *points = json_pack("[s, s]", "o resultado com números", "a ação que você tomou");
    json_t *words = json_array();
    const char *said[] = {"Eu", "tomei", "ações", "e", "os", "resultados", "foram", "números", "bons"};
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", said[i], "start", i * 0.5, "end", i * 0.5 + 0.4));
    size_t li = report_langs_pick(langs(), "pt-BR");
    relevance_lang L = {.stopwords = langs()->stopwords[li], .suffixes = langs()->suffixes[li]};
    json_t *rel = relevance_compute("Conte sobre um resultado.", points, words, &L);
    const json_t *tp = json_object_get(rel, "talking_points");
    cr_assert(json_is_true(json_object_get(json_array_get(tp, 0), "covered")), "resultados/números said");
    cr_assert(json_is_true(json_object_get(json_array_get(tp, 1), "covered")), "ações said");
    json_decref(rel);
    json_decref(words);
    json_decref(points);
}

/* An answer that covers two of four talking points, with known words. */
Test(report, relevance_covers_the_talking_points_said)
{
    json_t *stop = NULL;
    char err[256];
    cr_assert_eq(report_wordset_load(ISIM_SOURCE_DIR "/data/en/stopwords.txt", &stop, err, sizeof err), 0, "%s", err);
    json_t *points = json_pack("[s, s, s, s]", "the situation and why the problem was hard",
                               "the actions you took", "the measurable result",
                               "what you learned");
    json_t *words = words_of("our database was slow and the problem was hard because queries "
                             "timed out so i added an index and we measured the result "
                             "latency fell by half", 0.5);
    json_t *rel = relevance_compute("Tell me about a time you solved a hard problem.", points, words,
                                    &(relevance_lang){.stopwords = stop, .suffixes = suffixes("en")});
    cr_assert_not_null(rel);
    const json_t *tp = json_object_get(rel, "talking_points");
    cr_assert_eq(json_array_size(tp), 4);
    int covered[4];
    for (int i = 0; i < 4; i++)
        covered[i] = json_is_true(json_object_get(json_array_get(tp, (size_t)i), "covered"));
    cr_assert(covered[0] && !covered[1] && covered[2] && !covered[3], "%d %d %d %d", covered[0],
              covered[1], covered[2], covered[3]);
    cr_assert_float_eq(json_number_value(json_object_get(rel, "covered_share")), 0.5, 1e-9);
    /* "measurable" matched by "measured", word 20, said at 10.0 s */
    const json_t *m = json_object_get(json_array_get(tp, 2), "matched");
    int found = 0;
    size_t i;
    const json_t *e;
    json_array_foreach(m, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "term")), "measur") == 0) {
            cr_assert_float_eq(json_number_value(json_object_get(e, "start")), 10.0, 1e-9);
            found = 1;
        }
    }
    cr_assert(found);
    double sim = json_number_value(json_object_get(rel, "similarity"));
    cr_assert(sim > 0.1 && sim < 1.0, "similarity %g", sim);

    /* an unrelated answer scores far lower and covers nothing */
    json_t *other = words_of("i enjoy cooking pasta with fresh basil on sunny weekends", 0.5);
    json_t *rel2 = relevance_compute("Tell me about a time you solved a hard problem.", points, other,
                                     &(relevance_lang){.stopwords = stop, .suffixes = suffixes("en")});
    cr_assert_float_eq(json_number_value(json_object_get(rel2, "similarity")), 0.0, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(rel2, "covered_share")), 0.0, 1e-9);
    json_decref(rel2);
    json_decref(other);
    json_decref(rel);
    json_decref(words);
    json_decref(points);
    json_decref(stop);
}

/* Regression: a point's terms were weighed with the answer counted among the
 * documents, so each term the answer said weighed less than each it missed:
 * a point of two words, one said, scored 0.45 and was never covered. */
Test(report, a_point_half_said_is_half_covered)
{
    json_t *points = json_pack("[s, s]", "tight deadline", "small budget");
    json_t *words = words_of("we met the deadline", 0.5);
    json_t *rel = relevance_compute("Tell me about a project.", points, words,
                                    &(relevance_lang){.suffixes = suffixes("en")});
    cr_assert_not_null(rel);
    const json_t *p0 = json_array_get(json_object_get(rel, "talking_points"), 0);
    /* "tight" and "deadline", each in one point only: equally specific */
    cr_assert_float_eq(json_number_value(json_object_get(p0, "coverage")), 0.5, 1e-3, "coverage %g",
                       json_number_value(json_object_get(p0, "coverage")));
    cr_assert(json_is_true(json_object_get(p0, "covered")));
    json_decref(rel);
    json_decref(words);
    json_decref(points);
}

Test(report, behavioural_questions_recognised)
{
    cr_assert(report_is_behavioural(NULL, "Tell me about a time you failed.", cues("en")));
    cr_assert(report_is_behavioural(NULL, "Give an example of a time you led a team.", cues("en")));
    cr_assert(!report_is_behavioural(NULL, "How would you design a URL shortener?", cues("en")));
    cr_assert(report_is_behavioural("t", "Anything", NULL));
    cr_assert(report_is_behavioural(NULL, "Conte sobre uma vez em que você errou.", cues("pt-BR")));
    cr_assert(report_is_behavioural(NULL, "Dê um exemplo de liderança.", cues("pt-BR")));
    cr_assert(!report_is_behavioural(NULL, "Como você projetaria um encurtador de URL?", cues("pt-BR")));
    cr_assert(!report_is_behavioural("f", "Tell me about a time you debugged a crash.", cues("en")));
}
