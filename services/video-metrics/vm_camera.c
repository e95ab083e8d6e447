#include "vm_camera.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_series.h"

/* Below this many face samples, face measurements are not judged. */
#define VMC_MIN_FACE_SHARE 0.2
#define VMC_FROZEN_DIFF 0.25

typedef struct acc {
    int n, faces, multi, facing, moves, max_faces;
    double offset, size, head_move, body, face_bright, background, bright, contrast, clipped, sharp;
    int frozen; /* samples unchanged from the previous one */
} acc;

struct vm_camera {
    acc *sec;
    size_t len, cap;
    acc all;
    int run, longest_run; /* frozen samples in a row */
};

void vm_camera_default_limits(vm_camera_limits *l)
{
    *l = (vm_camera_limits){.face_present_min = 0.9, .multiple_faces_max = 0.1, .offset_max = 0.15,
                            .size_min = 0.15, .size_max = 0.6, .facing_min = 0.8,
                            .head_move_max = 0.1, .body_motion_max = 6, .face_brightness_min = 70,
                            .face_brightness_max = 210, .contrast_min = 20, .backlight_max = 50,
                            .clipped_max = 0.1, .sharpness_min = 20, .frozen_max_s = 3,
                            .dark_below = 45};
}

int vm_camera_new(vm_camera **out, char *err, size_t errlen)
{
    *out = calloc(1, sizeof(**out));
    if (!*out) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        return -1;
    }
    return 0;
}

void vm_camera_free(vm_camera *c)
{
    if (!c)
        return;
    free(c->sec);
    free(c);
}

static void add(acc *a, const vm_sample *s, bool frozen)
{
    a->n++;
    a->bright += s->brightness;
    a->contrast += s->contrast;
    a->clipped += s->clipped;
    a->body += s->body_motion;
    a->frozen += frozen;
    if (s->faces > a->max_faces)
        a->max_faces = s->faces;
    a->multi += s->faces > 1;
    a->facing += s->frontal && s->eyes > 0;
    if (!s->face) {
        a->sharp += s->sharpness;
        return;
    }
    a->faces++;
    a->offset += s->offset;
    a->size += s->size;
    a->face_bright += s->face_brightness;
    a->background += s->background_brightness;
    a->sharp += s->sharpness;
    if (s->head_move >= 0) {
        a->head_move += s->head_move;
        a->moves++;
    }
}

int vm_camera_add(vm_camera *c, const vm_sample *s, char *err, size_t errlen)
{
    if (!(s->t >= 0) || s->t >= VM_MAX_SECONDS) {
        snprintf(err, errlen, "The video is longer than we can analyse.");
        return -1;
    }
    size_t i = (size_t)floor(s->t);
    if (i >= c->cap) {
        size_t cap = c->cap ? c->cap : 64;
        while (cap <= i)
            cap *= 2;
        acc *a = realloc(c->sec, cap * sizeof(*a));
        if (!a) {
            snprintf(err, errlen, "The video could not be analysed (out of memory).");
            return -1;
        }
        memset(a + c->cap, 0, (cap - c->cap) * sizeof(*a));
        c->sec = a;
        c->cap = cap;
    }
    bool frozen = c->all.n > 0 && s->frame_diff < VMC_FROZEN_DIFF;
    c->run = frozen ? c->run + 1 : 0;
    if (c->run > c->longest_run)
        c->longest_run = c->run;
    add(&c->sec[i], s, frozen);
    add(&c->all, s, frozen);
    if (i + 1 > c->len)
        c->len = i + 1;
    return 0;
}

static double r3(double v)
{
    return round(v * 1000) / 1000;
}

static json_t *num_or_null(bool ok, double v)
{
    return ok ? json_real(r3(v)) : json_null();
}

static int second_fields(json_t *e, const acc *a)
{
    bool f = a->faces > 0;
    return json_object_set_new(e, "face", json_real(a->n ? r3((double)a->faces / a->n) : 0)) |
           json_object_set_new(e, "faces", json_integer(a->max_faces)) |
           json_object_set_new(e, "facing", json_real(a->n ? r3((double)a->facing / a->n) : 0)) |
           json_object_set_new(e, "offset", num_or_null(f, a->offset / (f ? a->faces : 1))) |
           json_object_set_new(e, "face_size", num_or_null(f, a->size / (f ? a->faces : 1))) |
           json_object_set_new(e, "head_movement", num_or_null(a->moves, a->head_move / (a->moves ? a->moves : 1))) |
           json_object_set_new(e, "body_motion", json_real(a->n ? r3(a->body / a->n) : 0)) |
           json_object_set_new(e, "face_brightness", num_or_null(f, a->face_bright / (f ? a->faces : 1))) |
           json_object_set_new(e, "contrast", json_real(a->n ? r3(a->contrast / a->n) : 0)) |
           json_object_set_new(e, "sharpness", json_real(a->n ? r3(a->sharp / a->n) : 0)) |
           json_object_set_new(e, "frozen", json_boolean(a->n && a->frozen == a->n));
}

/* {"value":v,"threshold":t,"ok":b,"valid":b[,"reason":r]}; threshold is a
 * number, or {"min":..,"max":..} for a range. */
static json_t *metric(double v, json_t *threshold, bool ok, const char *invalid)
{
    json_t *m = json_pack("{s:f, s:o, s:b, s:b}", "value", r3(v), "threshold", threshold, "ok",
                          invalid ? 0 : ok, "valid", !invalid);
    if (m && invalid)
        json_object_set_new(m, "reason", json_string(invalid));
    if (m && invalid)
        json_object_set_new(m, "value", json_null());
    return m;
}

static json_t *range(double lo, double hi)
{
    return json_pack("{s:f, s:f}", "min", lo, "max", hi);
}

/* A picture in which a face detector cannot be trusted, or NULL. */
static const char *picture_problem(const acc *a, const vm_camera_limits *l)
{
    double b = a->n ? a->bright / a->n : 0;
    if (b < l->dark_below)
        return "no face found: the picture is too dark";
    if (a->n && a->clipped / a->n > 0.5)
        return "no face found: the picture is overexposed";
    if (a->n && a->sharp / a->n < l->sharpness_min / 4)
        return "no face found: the picture is too blurred";
    return NULL;
}

/* Why faces were not found, in words a candidate can act on. */
static const char *no_face_reason(const acc *a, const vm_camera_limits *l)
{
    const char *p = picture_problem(a, l);
    return p ? p : "no face found in the picture";
}

json_t *vm_camera_json(const vm_camera *c, const vm_camera_limits *l, double sample_fps,
                       json_t *seconds)
{
    const acc *a = &c->all;
    for (size_t i = 0; i < c->len && i < json_array_size(seconds); i++)
        if (second_fields(json_array_get(seconds, i), &c->sec[i]))
            return NULL;
    int n = a->n ? a->n : 1, nf = a->faces ? a->faces : 1;
    double present = (double)a->faces / n;
    const char *no_face = a->n == 0 ? "no picture to analyse"
                          : present < VMC_MIN_FACE_SHARE ? no_face_reason(a, l) : NULL;
    double offset = a->offset / nf, size = a->size / nf, face_b = a->face_bright / nf;
    double backlight = a->background / nf - face_b, head = a->moves ? a->head_move / a->moves : 0;
    double frozen_s = c->longest_run / (sample_fps > 0 ? sample_fps : 5);
    const char *size_judgement = size < l->size_min ? "too_far" : size > l->size_max ? "too_close" : "ok";
    json_t *m = json_object();
    if (!m)
        return NULL;
    const char *unreliable = a->n == 0 ? no_face : picture_problem(a, l);
    json_object_set_new(m, "face_present",
                        metric(present, json_real(l->face_present_min), present >= l->face_present_min,
                               present < l->face_present_min ? unreliable : NULL));
    json_object_set_new(m, "multiple_faces", metric((double)a->multi / n, json_real(l->multiple_faces_max),
                                                    (double)a->multi / n <= l->multiple_faces_max,
                                                    a->n ? NULL : no_face));
    json_object_set_new(m, "centring", metric(offset, json_real(l->offset_max), offset <= l->offset_max, no_face));
    json_t *sz = metric(size, range(l->size_min, l->size_max), !strcmp(size_judgement, "ok"), no_face);
    if (sz && !no_face)
        json_object_set_new(sz, "judgement", json_string(size_judgement));
    json_object_set_new(m, "face_size", sz);
    json_object_set_new(m, "facing_camera", metric((double)a->facing / n, json_real(l->facing_min),
                                                   (double)a->facing / n >= l->facing_min,
                                                   /* no face at all is not facing it */
                                                   a->n ? picture_problem(a, l) : no_face));
    json_object_set_new(m, "head_movement", metric(head, json_real(l->head_move_max), head <= l->head_move_max,
                                                   no_face ? no_face : a->moves ? NULL : "the face was never seen twice in a row"));
    json_object_set_new(m, "body_motion", metric(a->body / n, json_real(l->body_motion_max),
                                                 a->body / n <= l->body_motion_max, a->n ? NULL : no_face));
    json_object_set_new(m, "face_brightness", metric(face_b, range(l->face_brightness_min, l->face_brightness_max),
                                                     face_b >= l->face_brightness_min && face_b <= l->face_brightness_max, no_face));
    double b = a->bright / n;
    json_t *bm = metric(b, json_real(l->dark_below), b >= l->dark_below, a->n ? NULL : no_face);
    if (bm && a->n)
        json_object_set_new(bm, "judgement", json_string(b < l->dark_below ? "too_dark" : "ok"));
    json_object_set_new(m, "brightness", bm);
    json_object_set_new(m, "contrast", metric(a->contrast / n, json_real(l->contrast_min),
                                              a->contrast / n >= l->contrast_min, a->n ? NULL : no_face));
    json_object_set_new(m, "backlight", metric(backlight, json_real(l->backlight_max), backlight <= l->backlight_max, no_face));
    json_object_set_new(m, "clipped_exposure", metric(a->clipped / n, json_real(l->clipped_max),
                                                      a->clipped / n <= l->clipped_max, a->n ? NULL : no_face));
    json_object_set_new(m, "sharpness", metric(a->sharp / n, json_real(l->sharpness_min),
                                               a->sharp / n >= l->sharpness_min, a->n ? NULL : no_face));
    json_object_set_new(m, "frozen_video", metric(frozen_s, json_real(l->frozen_max_s),
                                                  frozen_s <= l->frozen_max_s, a->n ? NULL : no_face));
    return m;
}
