/* Framing verdicts end to end: a real face placed at a known size and
 * place (tests/unit/support/test_clips.h), measured by the video-metrics
 * stage, judged by rubric v2 (data/rubric/v2.json) as the result-writer does.
 * Each picture gets the verdict its geometry calls for: too far, fine, too
 * close, off centre. */
#include <criterion/criterion.h>
#include <string.h>

#include "report.h"
#include "report_msgs.h"
#include "report_score.h"
#include "test_clips.h"
#include "test_support.h"
#include "vmetrics.h"

static char dir[256], err[512];
static json_t *rubric, *msgs;

static void setup(void)
{
    ts_dir_new("framing-test", dir, sizeof(dir));
    cr_assert_eq(score_rubric_load(ISIM_SOURCE_DIR "/data/rubric/v2.json", &rubric, err, sizeof err), 0, "%s", err);
    cr_assert_eq(report_msgs_load(ISIM_SOURCE_DIR "/data/en/report.json", &msgs, err, sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    json_decref(rubric);
    json_decref(msgs);
    ts_dir_free(dir);
}

TestSuite(framing, .init = setup, .fini = teardown, .timeout = 120);

/* The report of a 1.2 s clip of 1280x720 with the face at (cx, cy), height h. */
static json_t *judge(const char *name, double cx, double cy, double h)
{
    const char *path = ts_path(dir, name);
    ts_clip clip = {.w = 1280, .h = 720, .seconds = 1.2};
    ts_face_at face = {.cx = cx, .cy = cy, .height = h};
    ts_face_clip_make(path, &clip, &face, 1);
    json_t *vm = NULL;
    vmetrics_opts opts = {.sample_fps = 5};
    cr_assert_eq(vmetrics_run(path, &opts, &vm, err, sizeof err), 0, "%s", err);
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 1.2, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:[]}", "engine", "test", "text", "", "words");
    json_t *tm = json_pack("{s:i}", "word_count", 0);
    report_input in = {.msgs = msgs, .question = "Q", .probe = probe, .transcript = tr, .text_metrics = tm,
                       .video_metrics = vm, .rubric = rubric};
    json_t *r = report_build(&in);
    cr_assert_not_null(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
    return r;
}

static const char *advice_for(const json_t *r, const char *metric)
{
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(r, "tips"), i, t)
        if (strcmp(json_string_value(json_object_get(t, "metric")), metric) == 0)
            return json_string_value(json_object_get(t, "message"));
    return NULL;
}

static const char *text(const char *key)
{
    return json_string_value(json_object_get(msgs, key));
}

/* Head and shoulders, centred: no framing advice at all. */
Test(framing, a_centred_face_of_a_third_of_the_picture_is_fine)
{
    TS_SKIP_ACCURACY_UNDER_CHECKERS();
    json_t *r = judge("fine.mp4", 0.5, 0.45, 0.3);
    cr_assert_null(advice_for(r, "face_size"));
    cr_assert_null(advice_for(r, "centring"));
    cr_assert_null(advice_for(r, "face_present_ratio"));
    json_decref(r);
}

/* 0.75 of the picture's height: above the rubric's 0.6. */
Test(framing, a_face_of_three_quarters_of_the_picture_is_too_close)
{
    TS_SKIP_ACCURACY_UNDER_CHECKERS();
    json_t *r = judge("close.mp4", 0.5, 0.5, 0.75);
    cr_assert_str_eq(advice_for(r, "face_size"), text("advice.face_size.high"));
    json_decref(r);
}

/* 0.1 of the picture's height (72 px at 720p): under the rubric's 0.15. */
Test(framing, a_face_of_a_tenth_of_the_picture_is_too_far)
{
    TS_SKIP_ACCURACY_UNDER_CHECKERS();
    json_t *r = judge("far.mp4", 0.5, 0.45, 0.1);
    const char *a = advice_for(r, "face_size");
    cr_assert(a && strcmp(a, text("advice.face_size.low")) == 0, "advice: %s", a ? a : "(none)");
    json_decref(r);
}

/* Centre at 0.8 of the width: 0.3 from the middle, past the rubric's 0.15. */
Test(framing, a_face_at_the_side_is_off_centre)
{
    TS_SKIP_ACCURACY_UNDER_CHECKERS();
    json_t *r = judge("side.mp4", 0.8, 0.45, 0.3);
    cr_assert_str_eq(advice_for(r, "centring"), text("advice.centring.high"));
    cr_assert_null(advice_for(r, "face_size"));
    json_decref(r);
}
