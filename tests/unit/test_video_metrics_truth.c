/* On-camera measurements against ground truth: a real photograph put in
 * clips at a known blur, place, size and path (tests/unit/support/
 * test_clips.h), and what video-metrics measures of it. The figures each
 * test logs are the ones docs/accuracy.md ("On-camera measurements")
 * publishes. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "test_clips.h"
#include "test_support.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmetrics.h"

#define SAMPLE_FPS 5.0
/* A second real photograph (the cameraman), so the blur figures are not only
 * on the picture the face checks use; its small face is found in few
 * samples, so sharpness is mostly measured on the whole picture. */
#define CAMERA_PHOTO "/usr/lib/python3/dist-packages/skimage/data/camera.png"

static char dir[256];
static char err[512];

static void setup(void)
{
    ts_dir_new("vmtruth-test", dir, sizeof(dir));
    cr_assert_eq(access(TS_ASTRONAUT, R_OK), 0,
                 "%s is missing: install python3-skimage (deploy/deps.sh)", TS_ASTRONAUT);
    err[0] = '\0';
}

static void teardown(void)
{
    ts_dir_free(dir);
}

TestSuite(truth, .init = setup, .fini = teardown, .timeout = 120);

#define SKIP_UNDER_CHECKERS() TS_SKIP_ACCURACY_UNDER_CHECKERS()

static json_t *run(const char *path)
{
    json_t *out = NULL;
    vmetrics_opts opts = {.sample_fps = SAMPLE_FPS, .cascade_dir = NULL, .audio_path = NULL};
    cr_assert_eq(vmetrics_run(path, &opts, &out, err, sizeof(err)), 0, "vmetrics_run failed: %s", err);
    return out;
}

static json_t *metric(const json_t *out, const char *name)
{
    json_t *m = json_object_get(json_object_get(out, "on_camera"), name);
    cr_assert(json_is_object(m), "no on_camera.%s", name);
    return m;
}

static double value(const json_t *out, const char *name)
{
    json_t *v = json_object_get(metric(out, name), "value");
    cr_assert(json_is_number(v), "on_camera.%s has no value", name);
    return json_number_value(v);
}

static json_t *sec(const json_t *out, size_t i, const char *key)
{
    json_t *s = json_array_get(json_object_get(out, "seconds"), i);
    cr_assert(json_is_object(s), "no seconds[%zu]", i);
    return json_object_get(s, key);
}

static double sec_num(const json_t *out, size_t i, const char *key)
{
    json_t *v = sec(out, i, key);
    cr_assert(json_is_number(v), "seconds[%zu].%s is not a number", i, key);
    return json_number_value(v);
}

/* ---- Blur ---------------------------------------------------------------- */

/* Gaussian sigmas in pixels of the clip, one per second. */
static const double SIGMAS[] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
#define N_SIGMAS (sizeof(SIGMAS) / sizeof(SIGMAS[0]))

/* gblur's sigma changed each second (sigmaV too: it is only copied from
 * sigma when the filter starts); 6 steps approximate a Gaussian closely. */
static void blur_schedule(char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "sendcmd=c='");
    for (size_t i = 1; i < N_SIGMAS && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%zu gblur sigma %g\\, gblur sigmaV %g%s", i, SIGMAS[i],
                              SIGMAS[i], i + 1 < N_SIGMAS ? ";" : "");
    if (n < len)
        n += (size_t)snprintf(buf + n, len - n, "',gblur=sigma=0.01:steps=6");
    cr_assert_lt(n, len);
}

/* Sharpness per second = per sigma; logs them; checks they fall. */
static void check_blur(const char *what, const json_t *out, double *sharp)
{
    char line[512];
    size_t n = (size_t)snprintf(line, sizeof(line), "sharpness %s, sigma:value", what);
    for (size_t i = 0; i < N_SIGMAS; i++) {
        sharp[i] = sec_num(out, i, "sharpness");
        if (n < sizeof(line))
            n += (size_t)snprintf(line + n, sizeof(line) - n, " %g:%.1f(face %.1f)", SIGMAS[i], sharp[i],
                                  sec_num(out, i, "face"));
    }
    cr_log_info("%s", line);
    /* A measure that hardly moves would pass the order check: the heaviest
     * blur must bring it down tenfold at least. */
    cr_expect_gt(sharp[0], 10 * sharp[N_SIGMAS - 1], "%s: sharpness %f unblurred, %f at sigma %g", what,
                 sharp[0], sharp[N_SIGMAS - 1], SIGMAS[N_SIGMAS - 1]);
    for (size_t i = 1; i < N_SIGMAS; i++)
        cr_expect_lt(sharp[i], sharp[i - 1], "%s: sharpness at sigma %g (%f) not below sigma %g (%f)",
                     what, SIGMAS[i], sharp[i], SIGMAS[i - 1], sharp[i - 1]);
}

static void blur_clip(const char *path, int w, int h)
{
    char post[1024];
    /* Sigmas are in pixels of the clip: at 1280x720 a sigma is half as wide,
     * relative to the picture, as at 640x360. */
    blur_schedule(post, sizeof(post));
    ts_clip clip = {.w = w, .h = h, .seconds = N_SIGMAS, .post = post};
    ts_face_at face = {.cx = 0.5, .cy = 0.45, .height = 0.25};
    ts_face_clip_make(path, &clip, &face, 1);
}

Test(truth, sharpness_falls_with_the_gaussian_blur_at_640x360)
{
    SKIP_UNDER_CHECKERS();
    const char *path = ts_path(dir, "blur640.mp4");
    double sharp[N_SIGMAS];
    blur_clip(path, 640, 360);
    json_t *out = run(path);
    check_blur("640x360 astronaut", out, sharp);
    json_decref(out);
}

Test(truth, sharpness_falls_with_the_gaussian_blur_at_1280x720)
{
    SKIP_UNDER_CHECKERS();
    const char *path = ts_path(dir, "blur1280.mp4");
    double sharp[N_SIGMAS];
    blur_clip(path, 1280, 720);
    json_t *out = run(path);
    check_blur("1280x720 astronaut", out, sharp);
    json_decref(out);
}

/* The cameraman photo, filling the picture's height. */
Test(truth, sharpness_falls_with_the_gaussian_blur_on_another_photo)
{
    SKIP_UNDER_CHECKERS();
    cr_assert_eq(access(CAMERA_PHOTO, R_OK), 0, "%s is missing", CAMERA_PHOTO);
    const char *path = ts_path(dir, "blurcam.mp4");
    char post[1024];
    double sharp[N_SIGMAS];
    blur_schedule(post, sizeof(post));
    ts_sh(TS_FFMPEG "-loop 1 -framerate 10 -i '" CAMERA_PHOTO "' -vf \"scale=360:360,"
                    "pad=640:360:140:0:0x6a7480,format=yuv420p,%s\" -t %zu -c:v libx264 "
                    "-preset ultrafast -pix_fmt yuv420p '%s'",
          post, N_SIGMAS, path);
    json_t *out = run(path);
    check_blur("640x360 cameraman", out, sharp);
    json_decref(out);
}

/* ---- Frozen picture ------------------------------------------------------ */

/* The face goes round a circle over fresh background noise; ffmpeg's
 * freezeframes filter shows the frame of t = 3.0 s in place of those up to
 * 6.9 s. Truth: the picture is still from 3.0 s to 7.0 s, moving everywhere
 * else. Sampled at 5 fps the still stretch is seen from the first sample of
 * the freeze (3.0) to the last one before it ends (6.8): 19 unchanged
 * samples, 3.8 s; the measure counts the gaps between equal samples, so it
 * reads up to 1/fps short and never long. Encoded losslessly that is all;
 * with x264's default quality (crf 23) the encoder goes on refining the held
 * picture for about half a second, changes above the measure's threshold,
 * and the stretch reads shorter still. */
static json_t *frozen_clip(const char *name, const char *encode)
{
    const char *path = ts_path(dir, name);
    ts_clip clip = {.seconds = 8,
                    .post = "split[a][b];[a][b]freezeframes=first=31:last=69:replace=30",
                    .encode = encode};
    ts_face_at face = {.height = 0.25, .x = "320+40*cos(2*t)", .y = "170+30*sin(2*t)"};
    ts_face_clip_make(path, &clip, &face, 1);
    return run(path);
}

static void check_frozen_seconds(const json_t *out)
{
    /* Seconds 4, 5, 6 are still throughout; second 3 starts with the change
     * to the held picture and second 7 with the change away from it. */
    for (size_t i = 0; i < 8; i++) {
        bool truth = i >= 4 && i <= 6;
        cr_expect_eq(json_is_true(sec(out, i, "frozen")), truth, "second %zu frozen should be %d", i,
                     truth);
    }
}

Test(truth, a_picture_held_for_four_seconds_is_frozen_for_four_seconds)
{
    SKIP_UNDER_CHECKERS();
    json_t *exact = frozen_clip("frozen-lossless.mp4", "-qp 0");
    json_t *lossy = frozen_clip("frozen.mp4", NULL);
    double fe = value(exact, "frozen_video"), fl = value(lossy, "frozen_video");
    cr_log_info("frozen_video: %.2f s measured lossless, %.2f s at crf 23, 4.0 s true", fe, fl);
    cr_expect(fabs(fe - 4.0) <= 1 / SAMPLE_FPS + 1e-9,
              "lossless: longest frozen stretch %.2f s, truth 4.0 s (%.1f s allowed)", fe, 1 / SAMPLE_FPS);
    cr_expect(fl >= 4.0 - 1.0 - 1e-9 && fl <= 4.0 + 1 / SAMPLE_FPS + 1e-9,
              "crf 23: longest frozen stretch %.2f s, truth 4.0 s (-1 s allowed)", fl);
    check_frozen_seconds(exact);
    check_frozen_seconds(lossy);
    json_decref(exact);
    json_decref(lossy);
}

/* Nothing changes but the face, moving slowly (a third of its width per
 * second): the picture is not frozen at any moment. */
Test(truth, a_moving_face_before_a_still_background_is_not_frozen)
{
    SKIP_UNDER_CHECKERS();
    const char *path = ts_path(dir, "alive.mp4");
    ts_clip clip = {.seconds = 4, .still_background = true};
    /* height 0.15 of 360 = 54 px, going round at 18 px/s */
    ts_face_at face = {.height = 0.15, .x = "320+12*cos(1.5*t)", .y = "170+12*sin(1.5*t)"};
    ts_face_clip_make(path, &clip, &face, 1);
    json_t *out = run(path);
    cr_log_info("frozen_video with a slowly moving face before a still background: %.2f s",
                value(out, "frozen_video"));
    cr_assert_lt(value(out, "frozen_video"), 0.5, "frozen %.2f s", value(out, "frozen_video"));
    for (size_t i = 0; i < 4; i++)
        cr_assert(json_is_false(sec(out, i, "frozen")), "second %zu frozen", i);
    json_decref(out);
}

/* ---- Head and body motion ------------------------------------------------ */

/* Sample times as vmetrics takes them: every 1/SAMPLE_FPS s from 0. */
#define SAMPLES_PER_S ((int)SAMPLE_FPS)

/* The head path: still 0-2 s, right at v1 2-4 s, left at v2 4-6 s
 * (pixels of the 640x360 clip, face 90 px high). */
#define HEAD_V1 22.5
#define HEAD_V2 90.0
#define HEAD_FACE_PX 90.0
static double head_x(double t)
{
    if (t < 2)
        return 320;
    if (t < 4)
        return 320 + HEAD_V1 * (t - 2);
    return 320 + 2 * HEAD_V1 - HEAD_V2 * (t - 4);
}

/* head_movement is the face centre's shift between consecutive samples in
 * face widths (vm_look.c: hypot(dx, dy) / box width) times samples per
 * second (vm_camera.c), so the truth of a second is the mean of
 * |x(t) - x(t - 0.2)| / face width x 5 over its samples (the Haar box is
 * square, its side the labelled face height within 10 %). */
static double head_truth(size_t second)
{
    double sum = 0;
    int n = 0;
    for (int k = 0; k < SAMPLES_PER_S; k++) {
        double t = (double)second + k / SAMPLE_FPS;
        if (t < 1e-9)
            continue;
        sum += fabs(head_x(t) - head_x(t - 1 / SAMPLE_FPS)) / HEAD_FACE_PX * SAMPLE_FPS;
        n++;
    }
    return sum / n;
}

Test(truth, head_movement_follows_the_speed_of_the_face)
{
    SKIP_UNDER_CHECKERS();
    const char *path = ts_path(dir, "head.mp4");
    ts_clip clip = {.seconds = 6, .still_background = true};
    char x[256];
    snprintf(x, sizeof(x), "if(lt(t\\,2)\\,320\\,if(lt(t\\,4)\\,320+%g*(t-2)\\,%g-%g*(t-4)))", HEAD_V1,
             320 + 2 * HEAD_V1, HEAD_V2);
    ts_face_at face = {.height = HEAD_FACE_PX / 360, .x = x, .y = "170"};
    ts_face_clip_make(path, &clip, &face, 1);
    json_t *out = run(path);
    double all = 0;
    for (size_t i = 0; i < 6; i++) {
        double truth = head_truth(i), got = sec_num(out, i, "head_movement");
        cr_log_info("head_movement second %zu: %.3f measured, %.3f true; body_motion %.2f", i, got,
                    truth, sec_num(out, i, "body_motion"));
        cr_expect(fabs(got - truth) <= 0.15 * truth + 0.01 * SAMPLE_FPS, "second %zu: head_movement %.3f, truth %.3f",
                  i, got, truth);
        all += truth * (i == 0 ? SAMPLES_PER_S - 1 : SAMPLES_PER_S);
    }
    all /= 6 * SAMPLES_PER_S - 1;
    cr_log_info("head_movement overall: %.3f measured, %.3f true", value(out, "head_movement"), all);
    cr_assert(fabs(value(out, "head_movement") - all) <= 0.15 * all + 0.01 * SAMPLE_FPS, "head_movement %.3f, truth %.3f",
              value(out, "head_movement"), all);
    json_decref(out);
}

/* The body: a white 80x160 block (luma 255 on the background's 114) to the
 * right of a still face, still 0-2 s, moving right at 4 px per sample 2-4 s
 * and 16 px per sample 4-6 s. Each sample changes a strip v px wide and 160
 * high at its leading and trailing edges by 141 levels (also across a
 * blurred edge: the sum of |change| over a moving edge is v x contrast), so
 * body_motion (the mean |luma change| outside the head's window, twice the
 * face box) = 2 * v * 160 * 141 / (pixels outside that window). */
#define BODY_V1 4.0
#define BODY_V2 16.0
#define BODY_H 160.0
#define BODY_DL 141.0
static double body_x(double t)
{
    if (t < 2)
        return 300;
    if (t < 4)
        return 300 + BODY_V1 * SAMPLE_FPS * (t - 2);
    return 300 + 2 * BODY_V1 * SAMPLE_FPS + BODY_V2 * SAMPLE_FPS * (t - 4);
}

static double body_truth(size_t second, double outside)
{
    double sum = 0;
    int n = 0;
    for (int k = 0; k < SAMPLES_PER_S; k++) {
        double t = (double)second + k / SAMPLE_FPS;
        if (t < 1e-9)
            continue;
        sum += 2 * fabs(body_x(t) - body_x(t - 1 / SAMPLE_FPS)) * BODY_H * BODY_DL / outside;
        n++;
    }
    return sum / n;
}

Test(truth, body_motion_follows_the_speed_of_the_body)
{
    SKIP_UNDER_CHECKERS();
    const char *path = ts_path(dir, "body.mp4");
    char post[512];
    snprintf(post, sizeof(post),
             "null[m];color=c=white:s=80x160:r=10[b];[m][b]overlay=y=120:x="
             "if(lt(t\\,2)\\,300\\,if(lt(t\\,4)\\,300+%g*(t-2)\\,%g+%g*(t-4)))",
             BODY_V1 * SAMPLE_FPS, 300 + 2 * BODY_V1 * SAMPLE_FPS, BODY_V2 * SAMPLE_FPS);
    /* Lossless: x264 at its default quality refines a still background for
     * the first second (0.5 levels of change where nothing moves). */
    ts_clip clip = {.seconds = 6, .still_background = true, .post = post, .encode = "-qp 0"};
    ts_face_at face = {.cx = 0.2, .cy = 0.4, .height = 0.25};
    ts_face_clip_make(path, &clip, &face, 1);
    json_t *out = run(path);
    double box = 0.25 * 360, outside = 640.0 * 360 - 4 * box * box, all = 0;
    for (size_t i = 0; i < 6; i++) {
        double truth = body_truth(i, outside), got = sec_num(out, i, "body_motion");
        cr_log_info("body_motion second %zu: %.2f measured, %.2f true", i, got, truth);
        cr_expect(fabs(got - truth) <= 0.15 * truth + 0.3, "second %zu: body_motion %.2f, truth %.2f", i,
                  got, truth);
        /* The overall value averages every sample, the first (no change) too. */
        all += truth * (i == 0 ? SAMPLES_PER_S - 1 : SAMPLES_PER_S);
    }
    all /= 6 * SAMPLES_PER_S;
    cr_log_info("body_motion overall: %.2f measured, %.2f true", value(out, "body_motion"), all);
    cr_expect(fabs(value(out, "body_motion") - all) <= 0.15 * all + 0.3, "body_motion %.2f, truth %.2f",
              value(out, "body_motion"), all);
    json_decref(out);
}

/* ---- Framing ------------------------------------------------------------- */

/* 3 sizes (small, normal, close) x 3 places, one second each. The close
 * face (0.65 of the height) leaves little room: the places keep it inside.
 * The small one is 0.2, not a "too far" face under 0.15: the detector finds
 * no face under about 0.19 of the height at every place (see the disabled
 * test below). */
static const ts_face_at GRID[] = {
    {0, 1, 0.5, 0.5, 0.2, NULL, NULL},   {1, 2, 0.3, 0.45, 0.2, NULL, NULL},
    {2, 3, 0.68, 0.6, 0.2, NULL, NULL},  {3, 4, 0.5, 0.5, 0.3, NULL, NULL},
    {4, 5, 0.3, 0.45, 0.3, NULL, NULL},  {5, 6, 0.68, 0.6, 0.3, NULL, NULL},
    {6, 7, 0.5, 0.5, 0.65, NULL, NULL},  {7, 8, 0.3, 0.45, 0.65, NULL, NULL},
    {8, 9, 0.68, 0.6, 0.65, NULL, NULL},
};
#define N_GRID (sizeof(GRID) / sizeof(GRID[0]))

static void check_grid(int w, int h)
{
    const char *path = ts_path(dir, "grid.mp4");
    ts_clip clip = {.w = w, .h = h, .seconds = N_GRID};
    ts_face_clip_make(path, &clip, GRID, N_GRID);
    json_t *out = run(path);
    for (size_t i = 0; i < N_GRID; i++) {
        const ts_face_at *g = &GRID[i];
        double off = hypot(g->cx - 0.5, g->cy - 0.5);
        json_t *size = sec(out, i, "face_size"), *offset = sec(out, i, "offset");
        cr_log_info("%dx%d face %.2f at (%.2f, %.2f): found %.1f, size %.3f, offset %.3f (true %.3f)", w,
                    h, g->height, g->cx, g->cy, sec_num(out, i, "face"), json_number_value(size),
                    json_number_value(offset), off);
        cr_expect_gt(sec_num(out, i, "face"), 0.99, "%dx%d second %zu: face not found", w, h, i);
        if (!json_is_number(size))
            continue;
        cr_expect(fabs(json_number_value(size) - g->height) <= 0.1 * g->height,
                  "%dx%d second %zu: size %.3f, truth %.3f", w, h, i, json_number_value(size), g->height);
        cr_expect(fabs(json_number_value(offset) - off) <= 0.03, "%dx%d second %zu: offset %.3f, truth %.3f",
                  w, h, i, json_number_value(offset), off);
    }
    json_decref(out);
}

Test(truth, face_size_and_centring_on_a_grid_at_640x360)
{
    SKIP_UNDER_CHECKERS();
    check_grid(640, 360);
}

Test(truth, face_size_and_centring_on_a_grid_at_1280x720)
{
    SKIP_UNDER_CHECKERS();
    check_grid(1280, 720);
}

/* A face far from the camera (0.12 and 0.14 of the picture's height, under
 * the rubric's "too far" line of 0.15) must be found to be called too far.
 * Today it is not found at all (the smallest found at every place of the
 * grid is about 0.19 at 640x360, 0.17 at 1280x720): enable this once the
 * face detector finds faces that small. */
Test(truth, far_faces_are_found_and_measured, .disabled = true)
{
    SKIP_UNDER_CHECKERS();
    static const ts_face_at far[] = {
        {0, 1, 0.5, 0.5, 0.12, NULL, NULL}, {1, 2, 0.3, 0.45, 0.12, NULL, NULL},
        {2, 3, 0.68, 0.6, 0.14, NULL, NULL}, {3, 4, 0.5, 0.5, 0.14, NULL, NULL},
    };
    const char *path = ts_path(dir, "far.mp4");
    ts_clip clip = {.seconds = 4};
    ts_face_clip_make(path, &clip, far, 4);
    json_t *out = run(path);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_gt(sec_num(out, i, "face"), 0.99, "second %zu: face not found", i);
        json_t *size = sec(out, i, "face_size");
        cr_expect(json_is_number(size) && fabs(json_number_value(size) - far[i].height) <= 0.1 * far[i].height,
                  "second %zu: size %.3f, truth %.3f", i, json_number_value(size), far[i].height);
    }
    json_decref(out);
}

/* ---- Facing the camera (proxy) ------------------------------------------- */

/* No registry package ships photographs at known head angles (see
 * docs/accuracy.md), so only a proxy: the same face rolled (turned in the
 * picture's plane) by a known angle, 0, 10, 15, 20, 30 and 45 degrees, one
 * second each. A rolled face is still facing the camera: this measures how
 * far the frontal-face and eye models follow a tilted head, not yaw. */
static const double ROLLS[] = {0, 10, 15, 20, 30, 45};
#define N_ROLLS (sizeof(ROLLS) / sizeof(ROLLS[0]))

Test(truth, facing_on_a_rolled_face)
{
    SKIP_UNDER_CHECKERS();
    const char *path = ts_path(dir, "roll.mp4");
    char post[512];
    size_t n = (size_t)snprintf(post, sizeof(post), "rotate=fillcolor=0x6a7480:a=PI/180*(");
    for (size_t i = 0; i < N_ROLLS; i++)
        n += (size_t)snprintf(post + n, sizeof(post) - n, "%sbetween(t\\,%zu\\,%zu.999)*%g",
                              i ? "+" : "", i, i, ROLLS[i]);
    snprintf(post + n, sizeof(post) - n, ")");
    ts_clip clip = {.seconds = N_ROLLS, .post = post};
    ts_face_at face = {.cx = 0.5, .cy = 0.5, .height = 0.3};
    ts_face_clip_make(path, &clip, &face, 1);
    json_t *out = run(path);
    for (size_t i = 0; i < N_ROLLS; i++)
        cr_log_info("roll %g degrees: facing %.1f, face %.1f", ROLLS[i], sec_num(out, i, "facing"),
                    sec_num(out, i, "face"));
    /* Upright and slightly tilted heads face the camera (a regression
     * guard: further tilts are only logged, see docs/accuracy.md). */
    cr_expect_gt(sec_num(out, 0, "facing"), 0.99, "upright face not facing");
    cr_expect_gt(sec_num(out, 1, "facing"), 0.99, "face tilted by 10 degrees not facing");
    json_decref(out);
}
