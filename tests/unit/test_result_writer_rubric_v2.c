/* Rubric v2's voice and framing criteria (data/rubric/v2.json) on
 * measurements shaped as the video-metrics stage writes them: each verdict
 * follows from the rubric's bounds, each tip points at the moments that show
 * it, an invalid measurement is skipped with its reason in the report's
 * language, and a rubric or catalog that cannot say its advice is refused. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_langs.h"
#include "report_msgs.h"
#include "report_score.h"

static char err[512];
static json_t *rubric, *msgs;

static void setup(void)
{
    cr_assert_eq(score_rubric_load(ISIM_SOURCE_DIR "/data/rubric/v2.json", &rubric, err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(report_msgs_load(ISIM_SOURCE_DIR "/data/en/report.json", &msgs, err, sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    json_decref(rubric);
    json_decref(msgs);
}

TestSuite(rubric_v2, .init = setup, .fini = teardown);

/* 60 s of speech, 150 wpm, nothing wrong with the words. */
static json_t *words_metrics(void)
{
    return json_pack("{s:i, s:f, s:f, s:f, s:[], s:{s:i, s:[]}, s:i, s:f, s:[], s:{s:i, s:f, s:[]}}",
                     "word_count", 150, "duration_s", 60.0, "speaking_s", 60.0, "wpm", 150.0, "pace_windows",
                     "pauses", "count", 0, "long", "filler_count", 0, "fillers_per_100_words", 0.0, "fillers",
                     "hedges", "count", 0, "per_100_words", 0.0, "items");
}

static json_t *m(double v)
{
    return json_pack("{s:f, s:b}", "value", v, "valid", 1);
}

/* A good recording's measurements; tests change one at a time. */
static json_t *good_vm(void)
{
    json_t *secs = json_array(), *vsecs = json_array();
    for (int t = 0; t < 60; t++) {
        json_array_append_new(secs, json_pack("{s:i, s:f, s:f, s:f, s:i, s:f, s:f, s:f, s:f, s:f, s:b}", "t", t,
                                              "brightness", 120.0, "motion", 1.0, "face", 1.0, "faces", 1,
                                              "facing", 1.0, "offset", 0.02, "face_size", 0.3, "head_movement",
                                              0.02, "body_motion", 1.0, "frozen", 0));
        json_object_set_new(json_array_get(secs, (size_t)t), "sharpness", json_real(60));
        json_array_append_new(vsecs, json_pack("{s:i, s:f, s:f, s:f}", "t", t, "loudness", -20.0, "pitch_hz",
                                               140.0, "speaking", 0.9));
    }
    json_t *on = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "face_present", m(1),
                           "facing_camera", m(1), "centring", m(0.02), "face_size", m(0.3), "multiple_faces",
                           m(0), "sharpness", m(60), "frozen_video", m(0), "head_movement", m(0.02),
                           "body_motion", m(1), "brightness", m(120));
    json_t *voice = json_pack("{s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "has_audio", 1, "loudness", m(-20),
                              "loudness_range", m(6), "pitch_variation", m(3.5), "clipping", m(0), "pauses",
                              m(1.0), "seconds", vsecs);
    json_object_set_new(json_object_get(voice, "pitch_variation"), "windows", json_array());
    json_object_set_new(json_object_get(voice, "clipping"), "list", json_array());
    json_object_set_new(json_object_get(voice, "pauses"), "list", json_array());
    return json_pack("{s:b, s:o, s:{s:f, s:f}, s:o, s:o}", "has_video", 1, "seconds", secs, "summary",
                     "mean_brightness", 120.0, "mean_motion", 1.0, "on_camera", on, "voice", voice);
}

static json_t *report_of_with(json_t *vm, const json_t *semantic)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 60.0, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:[]}", "engine", "test", "text", "", "words");
    json_t *tm = words_metrics();
    report_input in = {.msgs = msgs, .question = "Q", .probe = probe, .transcript = tr, .text_metrics = tm,
                       .video_metrics = vm, .rubric = rubric, .semantic = semantic};
    json_t *r = report_build(&in);
    cr_assert_not_null(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
    return r;
}

static json_t *report_of(json_t *vm)
{
    return report_of_with(vm, NULL);
}

static const json_t *criterion(const json_t *r, const char *part, const char *name)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(json_object_get(json_object_get(json_object_get(r, "score"), "parts"), part),
                                       "criteria"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "metric")), name) == 0)
            return c;
    cr_assert_fail("no criterion %s.%s", part, name);
    return NULL;
}

static double crit_score(const json_t *r, const char *part, const char *name)
{
    const json_t *s = json_object_get(criterion(r, part, name), "score");
    return json_is_null(s) ? -1 : json_number_value(s);
}

static const json_t *tip(const json_t *r, const char *metric)
{
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(r, "tips"), i, t)
        if (strcmp(json_string_value(json_object_get(t, "metric")), metric) == 0)
            return t;
    return NULL;
}

static const char *text(const char *key)
{
    return json_string_value(json_object_get(msgs, key));
}

static void set(json_t *vm, const char *group, const char *name, json_t *v)
{
    json_t *g = strcmp(group, "voice") == 0 ? json_object_get(vm, "voice") : json_object_get(vm, "on_camera");
    json_object_set_new(g, name, v);
}

static void set_second(json_t *vm, int t, const char *field, json_t *v)
{
    json_object_set_new(json_array_get(json_object_get(vm, "seconds"), (size_t)t), field, v);
}

Test(rubric_v2, a_good_recording_scores_full_marks_on_every_voice_and_framing_criterion)
{
    json_t *r = report_of(good_vm());
    static const char *const voice[] = {"pitch_variation_st", "loudness_lufs", "clipping_share",
                                        "loudness_range_lu", "longest_pause_s"};
    static const char *const cam[] = {"centring", "face_size", "multiple_faces", "sharpness",
                                      "frozen_video_s", "head_movement", "body_motion"};
    for (size_t i = 0; i < sizeof(voice) / sizeof(voice[0]); i++)
        cr_assert_float_eq(crit_score(r, "delivery", voice[i]), 100, 1e-9, "%s", voice[i]);
    for (size_t i = 0; i < sizeof(cam) / sizeof(cam[0]); i++)
        cr_assert_float_eq(crit_score(r, "on_camera", cam[i]), 100, 1e-9, "%s", cam[i]);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_object_get(json_object_get(r, "score"),
                                                                                    "parts"), "on_camera"), "score")),
                 100);
    json_decref(r);
}

/* 1 semitone overall: (1 - 0.5) / (2 - 0.5) = 33; the flat window is the moment. */
Test(rubric_v2, a_flat_voice_gets_the_monotone_advice_at_its_flat_stretch)
{
    json_t *vm = good_vm();
    json_t *pv = m(1.0);
    json_object_set_new(pv, "windows", json_pack("[{s:f, s:f, s:f}, {s:f, s:f, s:f}]", "start", 0.0, "end", 10.0,
                                                 "value", 0.7, "start", 10.0, "end", 20.0, "value", 2.5));
    set(vm, "voice", "pitch_variation", pv);
    json_t *r = report_of(vm);
    cr_assert_float_eq(crit_score(r, "delivery", "pitch_variation_st"), 33, 1e-9);
    const json_t *t = tip(r, "pitch_variation_st");
    cr_assert_not_null(t);
    cr_assert_str_eq(json_string_value(json_object_get(t, "message")), text("advice.pitch_variation_st.low"));
    const json_t *ev = json_object_get(t, "evidence");
    cr_assert_eq(json_array_size(ev), 1);
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "end")), 10, 1e-9);
    cr_assert(strstr(json_string_value(json_object_get(json_array_get(ev, 0), "detail")), "0.7 semitones"));
    json_decref(r);
}

/* -40 LUFS: (-40 + 50) / 20 = 50; quiet seconds while speaking are the
 * moments, a quiet second of silence is not. */
Test(rubric_v2, quiet_speech_is_too_quiet_where_it_was_spoken)
{
    json_t *vm = good_vm();
    set(vm, "voice", "loudness", m(-40));
    json_t *vs = json_object_get(json_object_get(vm, "voice"), "seconds");
    json_object_set_new(json_array_get(vs, 5), "loudness", json_real(-41));
    json_object_set_new(json_array_get(vs, 6), "loudness", json_real(-45));
    json_object_set_new(json_array_get(vs, 6), "speaking", json_real(0.1));
    json_t *r = report_of(vm);
    cr_assert_float_eq(crit_score(r, "delivery", "loudness_lufs"), 50, 1e-9);
    const json_t *t = tip(r, "loudness_lufs");
    cr_assert_str_eq(json_string_value(json_object_get(t, "message")), text("advice.loudness_lufs.low"));
    const json_t *ev = json_object_get(t, "evidence");
    cr_assert_eq(json_array_size(ev), 1);
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "start")), 5, 1e-9);
    json_decref(r);
}

Test(rubric_v2, clipped_sound_points_at_its_stretches)
{
    json_t *vm = good_vm();
    json_t *c = m(0.055);
    json_object_set_new(c, "list", json_pack("[{s:f, s:f}, {s:f, s:f}]", "start", 3.0, "end", 3.4, "start", 20.0,
                                             "end", 21.0));
    set(vm, "voice", "clipping", c);
    json_t *r = report_of(vm);
    cr_assert_float_eq(crit_score(r, "delivery", "clipping_share"), 50, 1e-9);
    const json_t *t = tip(r, "clipping_share");
    cr_assert_str_eq(json_string_value(json_object_get(t, "message")), text("advice.clipping_share.high"));
    cr_assert_eq(json_array_size(json_object_get(t, "evidence")), 2);
    json_decref(r);
}

/* The longest silence 6.5 s: (10 - 6.5) / 7 = 50; only that one is a moment. */
Test(rubric_v2, a_long_silence_is_the_moment_of_its_tip)
{
    json_t *vm = good_vm();
    json_t *p = m(6.5);
    json_object_set_new(p, "list", json_pack("[{s:f, s:f}, {s:f, s:f}]", "start", 4.0, "end", 4.6, "start", 30.0,
                                             "end", 36.5));
    set(vm, "voice", "pauses", p);
    json_t *r = report_of(vm);
    cr_assert_float_eq(crit_score(r, "delivery", "longest_pause_s"), 50, 1e-9);
    const json_t *ev = json_object_get(tip(r, "longest_pause_s"), "evidence");
    cr_assert_eq(json_array_size(ev), 1);
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "start")), 30, 1e-9);
    json_decref(r);
}

/* Face height 0.1 of the picture: (0.1 - 0.05) / 0.1 = 50, too far; 0.75:
 * (0.9 - 0.75) / 0.3 = 50, too close. */
Test(rubric_v2, face_size_says_too_far_and_too_close)
{
    const double size[] = {0.1, 0.75};
    const char *advice[] = {"advice.face_size.low", "advice.face_size.high"};
    for (int k = 0; k < 2; k++) {
        json_t *vm = good_vm();
        set(vm, "on_camera", "face_size", m(size[k]));
        for (int t = 0; t < 60; t++)
            set_second(vm, t, "face_size", json_real(size[k]));
        json_t *r = report_of(vm);
        cr_assert_float_eq(crit_score(r, "on_camera", "face_size"), 50, 1e-9);
        const json_t *t = tip(r, "face_size");
        cr_assert_str_eq(json_string_value(json_object_get(t, "message")), text(advice[k]));
        cr_assert_eq(json_array_size(json_object_get(t, "evidence")), 5, "every second, capped at 5");
        json_decref(r);
    }
}

/* Two faces in seconds 10 and 11 of 60, found in 25 % of the pictures:
 * (0.5 - 0.25) / 0.4 = 62.5 -> 63 (rounded half away from zero). */
Test(rubric_v2, another_person_is_pointed_at_when_seen)
{
    json_t *vm = good_vm();
    set(vm, "on_camera", "multiple_faces", m(0.25));
    set_second(vm, 10, "faces", json_integer(2));
    set_second(vm, 11, "faces", json_integer(3));
    json_t *r = report_of(vm);
    cr_assert_float_eq(crit_score(r, "on_camera", "multiple_faces"), 63, 1e-9);
    const json_t *ev = json_object_get(tip(r, "multiple_faces"), "evidence");
    cr_assert_eq(json_array_size(ev), 2);
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "start")), 10, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, 1), "detail")), "3 faces in the picture");
    json_decref(r);
}

Test(rubric_v2, a_frozen_picture_points_at_the_frozen_seconds)
{
    json_t *vm = good_vm();
    set(vm, "on_camera", "frozen_video", m(9));
    for (int t = 20; t < 29; t++)
        set_second(vm, t, "frozen", json_true());
    json_t *r = report_of(vm);
    cr_assert_float_eq(crit_score(r, "on_camera", "frozen_video_s"), 50, 1e-9);
    const json_t *ev = json_object_get(tip(r, "frozen_video_s"), "evidence");
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "start")), 20, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, 0), "detail")), text("moment.frozen_video_s"));
    json_decref(r);
}

/* A measurement the stage could not trust is skipped, with its reason in the
 * report's words, and its weight goes to the others. */
Test(rubric_v2, an_invalid_measurement_is_skipped_with_its_reason)
{
    json_t *vm = good_vm();
    set(vm, "on_camera", "face_size", json_pack("{s:n, s:b, s:s}", "value", "valid", 0, "reason",
                                                "no face found: the picture is too blurred"));
    set(vm, "voice", "pitch_variation", json_pack("{s:n, s:b, s:s}", "value", "valid", 0, "reason",
                                                  "too little voiced speech to measure pitch"));
    json_t *r = report_of(vm);
    cr_assert_float_eq(crit_score(r, "on_camera", "face_size"), -1, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(criterion(r, "on_camera", "face_size"), "reason")),
                     text("why.blurred"));
    cr_assert_str_eq(json_string_value(json_object_get(criterion(r, "delivery", "pitch_variation_st"), "reason")),
                     text("why.little_voice"));
    cr_assert_null(tip(r, "face_size"));
    json_decref(r);
}

Test(rubric_v2, every_language_has_every_text_the_rubric_needs)
{
    report_langs *l = NULL;
    cr_assert_eq(report_langs_load(ISIM_SOURCE_DIR "/data", &l, err, sizeof err), 0, "%s", err);
    cr_assert_eq(report_langs_check_rubric(l, rubric, err, sizeof err), 0, "%s", err);
    report_langs_free(l);
    /* a catalog without one of them is refused, naming the text */
    json_t *cut = json_deep_copy(msgs);
    json_object_del(cut, "measure.centring");
    cr_assert_eq(score_rubric_check_msgs(rubric, cut, "cut.json", err, sizeof err), -1);
    cr_assert(strstr(err, "cut.json") && strstr(err, "measure.centring"), "%s", err);
    json_object_del(cut, "advice.face_size.low");
    json_object_set_new(cut, "measure.centring", json_string("x"));
    cr_assert_eq(score_rubric_check_msgs(rubric, cut, "cut.json", err, sizeof err), -1);
    cr_assert(strstr(err, "advice.face_size.low"), "%s", err);
    json_decref(cut);
}

/* Clipping cannot be too low: a good_min on it has no advice to give. */
Test(rubric_v2, a_bound_on_a_side_with_no_advice_is_refused)
{
    json_t *r = json_deep_copy(rubric);
    json_t *c = json_object_get(json_object_get(json_object_get(json_object_get(r, "parts"), "delivery"),
                                                "criteria"), "clipping_share");
    json_object_set_new(c, "good_min", json_real(0.001));
    cr_assert_eq(score_rubric_check(r, err, sizeof err), -1);
    cr_assert(strstr(err, "delivery.clipping_share") && strstr(err, "good_min"), "%s", err);
    json_decref(r);
}

/* Relevance by meaning when the model answered (0.3: (0.3 - 0.2) / 0.2 = 50,
 * its moment the closest sentence), the words' measure only when it did not. */
Test(rubric_v2, meaning_is_scored_when_measured_and_the_words_stand_in_when_not)
{
    json_t *sem = json_pack("{s:f, s:{s:f, s:f, s:s}, s:s}", "similarity", 0.3, "best_sentence", "similarity", 0.45,
                            "start", 12.5, "text", "we cut the cost", "source", "test-model");
    json_t *r = report_of_with(good_vm(), sem);
    cr_assert_float_eq(crit_score(r, "content", "semantic_similarity"), 50, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(criterion(r, "content", "question_similarity"), "reason")),
                     text("why.measured_by_meaning"));
    const json_t *ev = json_object_get(tip(r, "semantic_similarity"), "evidence");
    cr_assert_float_eq(json_number_value(json_object_get(json_array_get(ev, 0), "start")), 12.5, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(tip(r, "semantic_similarity"), "message")),
                     text("advice.semantic_similarity.low"));
    json_decref(r);
    json_decref(sem);
    sem = json_pack("{s:n, s:s}", "similarity", "reason", "the embeddings server did not answer");
    r = report_of_with(good_vm(), sem);
    cr_assert_float_eq(crit_score(r, "content", "semantic_similarity"), -1, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(criterion(r, "content", "semantic_similarity"), "reason")),
                     text("why.no_meaning"));
    cr_assert_geq(crit_score(r, "content", "question_similarity"), 0);
    json_decref(r);
    json_decref(sem);
}

Test(rubric_v2, a_fallback_for_no_criterion_is_refused)
{
    json_t *r = json_deep_copy(rubric);
    json_t *c = json_object_get(json_object_get(json_object_get(json_object_get(r, "parts"), "content"),
                                                "criteria"), "question_similarity");
    json_object_set_new(c, "fallback_for", json_string("charisma"));
    cr_assert_eq(score_rubric_check(r, err, sizeof err), -1);
    cr_assert(strstr(err, "content.question_similarity") && strstr(err, "fallback_for"), "%s", err);
    json_decref(r);
}
