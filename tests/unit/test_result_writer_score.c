/* Scores and tips against the shipped rubric v1 (data/rubric/v1.json, kept
 * so that reports scored with it stay comparable; v2's own criteria are in
 * test_result_writer_rubric_v2.c), on
 * metrics with known values: each sub-score follows from the rubric's
 * thresholds, every tip points at its evidence, and recordings without
 * picture or speech still get a score with the reason. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_msgs.h"
#include "report_score.h"

static char err[512];
static json_t *rubric, *msgs;

static void setup(void)
{
    cr_assert_eq(score_rubric_load(ISIM_SOURCE_DIR "/data/rubric/v1.json", &rubric, err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(report_msgs_load(ISIM_SOURCE_DIR "/data/en/report.json", &msgs, err, sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    json_decref(rubric);
    json_decref(msgs);
}

TestSuite(score, .init = setup, .fini = teardown);

static const json_t *crit(const char *part, const char *name)
{
    return json_object_get(json_object_get(json_object_get(json_object_get(rubric, "parts"), part),
                                           "criteria"),
                           name);
}

Test(score, criterion_is_linear_between_its_bounds)
{
    const json_t *pace = crit("delivery", "pace_wpm");
    cr_assert_float_eq(score_criterion(pace, 130), 100, 1e-9);
    cr_assert_float_eq(score_criterion(pace, 100), 100, 1e-9);
    cr_assert_float_eq(score_criterion(pace, 165), 100, 1e-9);
    cr_assert_float_eq(score_criterion(pace, 80), 50, 1e-9);   /* halfway from 60 to 100 */
    cr_assert_float_eq(score_criterion(pace, 50), 0, 1e-9);
    cr_assert_float_eq(score_criterion(pace, 197.5), 50, 1e-9); /* halfway from 165 to 230 */
    const json_t *fill = crit("delivery", "fillers_per_100_words");
    cr_assert_float_eq(score_criterion(fill, 4), 100, 1e-9);
    cr_assert_float_eq(score_criterion(fill, 8), 50, 1e-9);
    cr_assert_float_eq(score_criterion(fill, 20), 0, 1e-9);
}

Test(score, rubric_errors_are_named)
{
    json_t *r = json_loads("{\"version\":\"x\",\"parts\":{\"delivery\":{\"weight\":1,\"criteria\":"
                           "{\"pace_wpm\":{\"weight\":1}}},\"content\":{\"weight\":1,\"criteria\":{}},"
                           "\"on_camera\":{\"weight\":1,\"criteria\":{}}}}", 0, NULL);
    cr_assert_eq(score_rubric_check(r, err, sizeof err), -1);
    cr_assert(strstr(err, "delivery.pace_wpm"), "%s", err);
    json_decref(r);
    /* A criterion nothing measures is refused at load, by its name. */
    r = json_loads("{\"version\":\"x\",\"parts\":{\"delivery\":{\"weight\":1,\"criteria\":"
                   "{\"charisma\":{\"weight\":1,\"good_min\":1}}},\"content\":{\"weight\":1,\"criteria\":{}},"
                   "\"on_camera\":{\"weight\":1,\"criteria\":{}}}}", 0, NULL);
    cr_assert_eq(score_rubric_check(r, err, sizeof err), -1);
    cr_assert(strstr(err, "delivery.charisma") && strstr(err, "pace_wpm"), "%s", err);
    json_decref(r);
    /* So is a language's bound for a criterion the part does not have. */
    r = json_deep_copy(rubric);
    json_object_set_new(r, "languages", json_pack("{s:{s:{s:{s:i}}}}", "pt-BR", "delivery", "star_parts",
                                                  "good_min", 3));
    cr_assert_eq(score_rubric_check(r, err, sizeof err), -1);
    cr_assert(strstr(err, "languages.pt-BR.delivery.star_parts"), "%s", err);
    json_decref(r);
    json_t *out = NULL;
    cr_assert_eq(score_rubric_load("/nonexistent.json", &out, err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent.json"), "%s", err);
}

/* A 60 s answer at 200 wpm with 8 fillers per 100 words. */
static json_t *fast_filled_metrics(void)
{
    json_t *fillers = json_array();
    for (int i = 0; i < 16; i++)
        json_array_append_new(fillers, json_pack("{s:s, s:f, s:f, s:i}", "word", "um", "start", 2.0 + 3.0 * i,
                                                 "end", 2.3 + 3.0 * i, "index", 10 * i));
    return json_pack(
        "{s:i, s:f, s:f, s:f, s:f, s:[{s:f, s:f, s:i, s:f}, {s:f, s:f, s:i, s:f}],"
        " s:{s:i, s:f, s:f, s:[]}, s:i, s:f, s:o,"
        " s:{s:i, s:f, s:[]}, s:{s:i, s:f, s:[{s:s, s:f, s:f}]}, s:{s:i, s:f, s:[{s:s, s:f, s:f}]},"
        " s:{s:i, s:f, s:[]}, s:{s:i, s:s, s:b},"
        " s:{s:f, s:i, s:i}, s:{s:i, s:f, s:[]}, s:[]}",
        "word_count", 200, "duration_s", 61.5, "speaking_s", 60.0, "wpm", 200.0, "articulation_wpm", 200.0,
        "pace_windows", "start", 0.0, "end", 10.0, "words", 40, "wpm", 240.0, "start", 10.0, "end", 20.0,
        "words", 25, "wpm", 150.0,
        "pauses", "count", 0, "total_s", 0.0, "longest_s", 0.0, "long",
        "filler_count", 16, "fillers_per_100_words", 8.0, "fillers", fillers,
        "hedges", "count", 0, "per_100_words", 0.0, "items",
        "action_verbs", "count", 2, "per_100_words", 1.0, "items", "word", "led", "start", 3.0, "end", 3.3,
        "quantified", "count", 1, "per_100_words", 0.5, "items", "word", "40", "start", 40.0, "end", 40.3,
        "noninclusive", "count", 0, "per_100_words", 0.0, "items",
        "star", "present", 4, "order", "STAR", "in_order", 1,
        "vocabulary", "mattr", 0.8, "window", 50, "words", 184,
        "sentences", "max_words", 20, "mean_words", 10.0, "items",
        "top_words");
}

static json_t *tip_for(const json_t *tips, const char *metric)
{
    size_t i;
    json_t *t;
    json_array_foreach(tips, i, t)
        if (strcmp(json_string_value(json_object_get(t, "metric")), metric) == 0)
            return t;
    return NULL;
}

static double part_score(const json_t *r, const char *part)
{
    const json_t *s = json_object_get(json_object_get(json_object_get(json_object_get(r, "score"), "parts"), part),
                                      "score");
    return json_is_null(s) ? -1 : (double)json_integer_value(s);
}

static json_t *words_every(double step, int n)
{
    json_t *w = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(w, json_pack("{s:s, s:f, s:f}", "word", i % 10 == 0 ? "um" : "word", "start",
                                           step * i, "end", step * i + step * 0.8));
    return w;
}

Test(score, fast_answer_with_fillers_gets_tips_with_evidence)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 61.5, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:o}", "engine", "test", "text", "", "words", words_every(0.3, 200));
    json_t *tm = fast_filled_metrics();
    json_t *vm = json_pack("{s:b, s:[{s:i, s:f, s:f}, {s:i, s:f, s:f}], s:{s:f, s:f}}", "has_video", 1,
                           "seconds", "t", 0, "brightness", 30.0, "motion", 2.0, "t", 1, "brightness", 120.0,
                           "motion", 2.0, "summary", "mean_brightness", 42.5, "mean_motion", 2.0);
    report_input in = {.msgs = msgs, .question = "How would you design a URL shortener?", .probe = probe, .transcript = tr,
                       .text_metrics = tm, .video_metrics = vm, .rubric = rubric};
    json_t *r = report_build(&in);
    cr_assert_not_null(r);
    /* delivery: pace 200 -> (230-200)/65*100 = 46.15 (w .35), fillers 8 -> 50 (w .35),
     * pauses 100 (w .1), hedges 100 (w .2): (16.15 + 17.5 + 10 + 20) / 1.0 = 63.65 -> 64 */
    cr_assert_float_eq(part_score(r, "delivery"), 64, 1e-9);
    /* on camera: brightness 42.5 -> (42.5-15)/(70-15)*100 = 50 (w .3), motion 100 (w .2);
     * face fields absent: (15 + 20) / .5 = 70 */
    cr_assert_float_eq(part_score(r, "on_camera"), 70, 1e-9);
    /* not behavioural, no talking points: those criteria are listed with a reason */
    const json_t *cc = json_object_get(json_object_get(json_object_get(json_object_get(r, "score"), "parts"),
                                                       "content"), "criteria");
    int star_skipped = 0;
    size_t i;
    const json_t *c;
    json_array_foreach(cc, i, c)
        if (strcmp(json_string_value(json_object_get(c, "metric")), "star_parts") == 0)
            star_skipped = json_is_null(json_object_get(c, "score")) &&
                           strstr(json_string_value(json_object_get(c, "reason")), "behavioural");
    cr_assert(star_skipped);
    /* the overall score is the weighted mean of the parts */
    double d = part_score(r, "delivery"), ct = part_score(r, "content"), oc = part_score(r, "on_camera");
    cr_assert_geq(ct, 0);
    json_int_t overall = json_integer_value(json_object_get(json_object_get(r, "score"), "overall"));
    cr_assert_leq(fabs((double)overall - (0.4 * d + 0.4 * ct + 0.2 * oc)), 1.0);

    const json_t *tips = json_object_get(r, "tips");
    const json_t *t = tip_for(tips, "fillers_per_100_words");
    cr_assert_not_null(t);
    cr_assert_float_eq(json_number_value(json_object_get(t, "value")), 8.0, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(t, "good_max")), 4);
    const json_t *ev = json_object_get(t, "evidence");
    cr_assert_eq(json_array_size(ev), 5, "evidence is capped at 5 moments");
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 1), "start")), 5.0, 1e-9);
    cr_assert(strstr(json_string_value(json_object_get(json_array_get(ev, 0), "detail")), "um"));
    t = tip_for(tips, "pace_wpm");
    cr_assert_not_null(t);
    ev = json_object_get(t, "evidence");
    cr_assert_eq(json_array_size(ev), 1, "only the 240 wpm window is outside the range");
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "end")), 10.0, 1e-9);
    cr_assert(strstr(json_string_value(json_object_get(json_array_get(ev, 0), "words")), "word"));
    t = tip_for(tips, "brightness");
    cr_assert_not_null(t);
    ev = json_object_get(t, "evidence");
    cr_assert_eq(json_array_size(ev), 1, "second 0 is dark, second 1 is fine");
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "start")), 0.0, 1e-9);
    /* tips are ordered by the points they cost */
    double prev = 1e9;
    json_array_foreach(tips, i, c) {
        double lost = json_number_value(json_object_get(c, "points_lost"));
        cr_assert_leq(lost, prev);
        prev = lost;
    }
    cr_assert_null(tip_for(tips, "hedges_per_100_words"), "a criterion at 100 gives no tip");
    /* A tip speaks in words: the catalog's advice, no metric name and no rubric figures in it. */
    json_array_foreach(tips, i, c) {
        const char *m = json_string_value(json_object_get(c, "message"));
        char key[96];
        snprintf(key, sizeof key, "advice.%s.%s", json_string_value(json_object_get(c, "metric")),
                 json_object_get(c, "good_min") && json_number_value(json_object_get(c, "value")) <
                                                      json_number_value(json_object_get(c, "good_min"))
                     ? "low" : "high");
        cr_assert_str_eq(m, json_string_value(json_object_get(msgs, key)));
        cr_assert_null(strstr(m, "_"), "a metric's name in \"%s\"", m);
        cr_assert_null(strstr(m, "rubric"), "%s", m);
    }
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
}

Test(score, audio_only_scores_without_camera_and_says_why)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 61.5, "has_video", 0, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:o}", "engine", "test", "text", "", "words", words_every(0.3, 200));
    json_t *tm = fast_filled_metrics();
    json_t *vm = json_pack("{s:b, s:i, s:[]}", "has_video", 0, "frames_analysed", 0, "seconds");
    report_input in = {.msgs = msgs, .question = "Q", .probe = probe, .transcript = tr, .text_metrics = tm,
                       .video_metrics = vm, .rubric = rubric};
    json_t *r = report_build(&in);
    cr_assert_float_eq(part_score(r, "on_camera"), -1, 1e-9);
    const json_t *oc = json_object_get(json_object_get(json_object_get(r, "score"), "parts"), "on_camera");
    cr_assert(strstr(json_string_value(json_object_get(oc, "reason")), "no picture"));
    double d = part_score(r, "delivery"), ct = part_score(r, "content");
    json_int_t overall = json_integer_value(json_object_get(json_object_get(r, "score"), "overall"));
    cr_assert_leq(fabs((double)overall - (0.4 * d + 0.4 * ct) / 0.8), 1.0);
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
}

Test(score, no_speech_scores_zero_for_the_answer_and_says_why)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 8.0, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:[]}", "engine", "test", "text", "", "words");
    json_t *tm = json_pack("{s:i, s:f, s:i, s:[]}", "word_count", 0, "wpm", 0.0, "filler_count", 0, "fillers");
    json_t *vm = json_pack("{s:b, s:[], s:{s:f, s:f}}", "has_video", 1, "seconds", "summary",
                           "mean_brightness", 120.0, "mean_motion", 1.0);
    report_input in = {.msgs = msgs, .question = "Q", .probe = probe, .transcript = tr, .text_metrics = tm,
                       .video_metrics = vm, .rubric = rubric};
    json_t *r = report_build(&in);
    cr_assert_float_eq(part_score(r, "delivery"), 0, 1e-9);
    cr_assert_float_eq(part_score(r, "content"), 0, 1e-9);
    cr_assert_float_eq(part_score(r, "on_camera"), 100, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r, "score"), "overall")), 20);
    char *notes = json_dumps(json_object_get(json_object_get(r, "score"), "notes"), 0);
    cr_assert(strstr(notes, "No speech was found"), "%s", notes);
    free(notes);
    const json_t *t = tip_for(json_object_get(r, "tips"), "word_count");
    cr_assert_not_null(t);
    cr_assert(strstr(json_string_value(json_object_get(t, "message")), "microphone"));
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(json_object_get(t, "evidence"), 0), "end")),
                       8.0, 1e-9);
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
}

Test(score, face_fields_used_when_present_and_valid)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 61.5, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:o}", "engine", "test", "text", "", "words", words_every(0.3, 200));
    json_t *tm = fast_filled_metrics();
    /* face present 60 % of the time: (0.6-0.3)/(0.9-0.3) = 50; facing marked invalid: skipped */
    json_t *vm = json_pack("{s:b, s:[], s:{s:f, s:f}, s:{s:{s:f, s:b}, s:{s:n, s:b, s:s}}}", "has_video", 1,
                           "seconds", "summary", "mean_brightness", 120.0, "mean_motion", 1.0, "on_camera",
                           "face_present", "value", 0.6, "valid", 1,
                           "facing_camera", "value", "valid", 0, "reason", "no face found: the picture is too dark");
    report_input in = {.msgs = msgs, .question = "Q", .probe = probe, .transcript = tr, .text_metrics = tm,
                       .video_metrics = vm, .rubric = rubric};
    json_t *r = report_build(&in);
    /* (100*.3 + 100*.2 + 50*.3) / .8 = 81.25 -> 81 */
    cr_assert_float_eq(part_score(r, "on_camera"), 81, 1e-9);
    cr_assert_not_null(tip_for(json_object_get(r, "tips"), "face_present_ratio"));
    cr_assert_null(tip_for(json_object_get(r, "tips"), "facing_camera_ratio"));
    /* the stage's reason reaches the report in the catalog's words */
    const json_t *oc = json_object_get(json_object_get(json_object_get(json_object_get(r, "score"), "parts"),
                                                       "on_camera"), "criteria");
    size_t i;
    const json_t *c;
    const char *why = NULL;
    json_array_foreach(oc, i, c)
        if (strcmp(json_string_value(json_object_get(c, "metric")), "facing_camera_ratio") == 0)
            why = json_string_value(json_object_get(c, "reason"));
    cr_assert_str_eq(why, json_string_value(json_object_get(msgs, "why.too_dark")));
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
}

/* Regression: the video-metrics stage reports judged metrics under
 * "on_camera" ({"face_present": {"value", "valid"}, ...}), not in "summary";
 * the score ignored them and gave a faceless test pattern 100 on camera. */
Test(score, face_metrics_read_from_the_stages_on_camera_object)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 61.5, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:o}", "engine", "test", "text", "", "words", words_every(0.3, 200));
    json_t *tm = fast_filled_metrics();
    json_t *vm = json_pack("{s:b, s:[], s:{s:f, s:f}, s:{s:{s:f, s:b}, s:{s:f, s:b}}}", "has_video", 1,
                           "seconds", "summary", "mean_brightness", 120.0, "mean_motion", 1.0,
                           "on_camera", "face_present", "value", 0.0, "valid", 1,
                           "facing_camera", "value", 0.0, "valid", 1);
    report_input in = {.msgs = msgs, .question = "Q", .probe = probe, .transcript = tr, .text_metrics = tm,
                       .video_metrics = vm, .rubric = rubric};
    json_t *r = report_build(&in);
    /* brightness and motion perfect, no face: (100*.3 + 100*.2 + 0 + 0) / 1.0 = 50 */
    cr_assert_float_eq(part_score(r, "on_camera"), 50, 1e-9);
    cr_assert_not_null(tip_for(json_object_get(r, "tips"), "face_present_ratio"));
    cr_assert_not_null(tip_for(json_object_get(r, "tips"), "facing_camera_ratio"));
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
}
