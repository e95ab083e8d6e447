#include "vm_camera.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_series.h"

/* Below this share of samples with a face, face measurements are not valid. */
#define VMC_MIN_FACE_SHARE 0.2
#define VMC_FROZEN_DIFF 0.25
/* Conditions under which the face detector cannot be trusted: mean luma
 * under this is too dark, mean sharpness (variance of the Laplacian) under
 * this too blurred, over half the pixels clipped overexposed. These say
 * whether a measurement is valid; whether a value is good is the rubric's
 * (data/rubric/), applied by the result-writer. */
#define VMC_DARK_BELOW 45.0
#define VMC_BLURRED_BELOW 5.0
#define VMC_OVEREXPOSED_ABOVE 0.5
/* Below this share of samples with a face, a bad picture may be why. */
#define VMC_MISSED_FACES 0.9

typedef struct acc {
    int n, faces, multi, facing, moves, max_faces;
    double offset, size, head_move, body, face_bright, background, bright, contrast, clipped;
    double sharp_face, sharp_pic; /* sharpness of the face box (samples with a face), of the picture (without) */
    int frozen; /* samples unchanged from the previous one */
} acc;

struct vm_camera {
    acc *sec;
    size_t len, cap;
    acc all;
    int run, longest_run; /* frozen samples in a row */
};

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
        a->sharp_pic += s->sharpness;
        return;
    }
    a->faces++;
    a->offset += s->offset;
    a->size += s->size;
    a->face_bright += s->face_brightness;
    a->background += s->background_brightness;
    a->sharp_face += s->sharpness;
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

/* The face box's sharpness when the face was seen, else the picture's:
 * never a mean of the two, which would read more blur as sharper when the
 * detector finds the face in only some samples. */
static double sharpness(const acc *a)
{
    if (a->faces)
        return a->sharp_face / a->faces;
    return a->n > a->faces ? a->sharp_pic / (a->n - a->faces) : 0;
}

static double r3(double v)
{
    return round(v * 1000) / 1000;
}

static json_t *num_or_null(bool ok, double v)
{
    return ok ? json_real(r3(v)) : json_null();
}

/* head movement per sample times samples per second: face widths per
 * second, the same figure whatever the sampling rate. */
static int second_fields(json_t *e, const acc *a, double fps)
{
    bool f = a->faces > 0;
    return json_object_set_new(e, "face", json_real(a->n ? r3((double)a->faces / a->n) : 0)) |
           json_object_set_new(e, "faces", json_integer(a->max_faces)) |
           json_object_set_new(e, "facing", json_real(a->n ? r3((double)a->facing / a->n) : 0)) |
           json_object_set_new(e, "offset", num_or_null(f, a->offset / (f ? a->faces : 1))) |
           json_object_set_new(e, "face_size", num_or_null(f, a->size / (f ? a->faces : 1))) |
           json_object_set_new(e, "head_movement", num_or_null(a->moves, fps * a->head_move / (a->moves ? a->moves : 1))) |
           json_object_set_new(e, "body_motion", json_real(a->n ? r3(a->body / a->n) : 0)) |
           json_object_set_new(e, "face_brightness", num_or_null(f, a->face_bright / (f ? a->faces : 1))) |
           json_object_set_new(e, "contrast", json_real(a->n ? r3(a->contrast / a->n) : 0)) |
           json_object_set_new(e, "sharpness", json_real(r3(sharpness(a)))) |
           json_object_set_new(e, "frozen", json_boolean(a->n && a->frozen == a->n));
}

/* {"value":v,"valid":true} or {"value":null,"valid":false,"reason":r}. */
static json_t *metric(double v, const char *invalid)
{
    if (invalid)
        return json_pack("{s:n, s:b, s:s}", "value", "valid", 0, "reason", invalid);
    return json_pack("{s:f, s:b}", "value", r3(v), "valid", 1);
}

/* A picture in which a face detector cannot be trusted, or NULL. */
static const char *picture_problem(const acc *a)
{
    double b = a->n ? a->bright / a->n : 0;
    if (b < VMC_DARK_BELOW)
        return "no face found: the picture is too dark";
    if (a->n && a->clipped / a->n > VMC_OVEREXPOSED_ABOVE)
        return "no face found: the picture is overexposed";
    if (a->n && sharpness(a) < VMC_BLURRED_BELOW)
        return "no face found: the picture is too blurred";
    return NULL;
}

/* Why faces were not found, in words a candidate can act on. */
static const char *no_face_reason(const acc *a)
{
    const char *p = picture_problem(a);
    return p ? p : "no face found in the picture";
}

typedef struct cam_metric {
    const char *name;
    double value;
    const char *invalid;
} cam_metric;

json_t *vm_camera_json(const vm_camera *c, double sample_fps, json_t *seconds)
{
    const acc *a = &c->all;
    double fps = sample_fps > 0 ? sample_fps : 5;
    for (size_t i = 0; i < c->len && i < json_array_size(seconds); i++)
        if (second_fields(json_array_get(seconds, i), &c->sec[i], fps))
            return NULL;
    int n = a->n ? a->n : 1, nf = a->faces ? a->faces : 1;
    double present = (double)a->faces / n;
    const char *none = a->n == 0 ? "no picture to analyse" : NULL;
    const char *no_face = none ? none : present < VMC_MIN_FACE_SHARE ? no_face_reason(a) : NULL;
    double face_b = a->face_bright / nf;
    /* Faces missed in a picture the detector cannot trust: no measurement. */
    const char *presence = none ? none : present < VMC_MISSED_FACES ? picture_problem(a) : NULL;
    const cam_metric m[] = {
        {"face_present", present, presence},
        {"multiple_faces", (double)a->multi / n, none},
        {"centring", a->offset / nf, no_face},
        {"face_size", a->size / nf, no_face},
        /* no face at all is not facing it */
        {"facing_camera", (double)a->facing / n, none ? none : picture_problem(a)},
        {"head_movement", a->moves ? fps * a->head_move / a->moves : 0,
         no_face ? no_face : a->moves ? NULL : "the face was never seen twice in a row"},
        {"body_motion", a->body / n, none},
        {"face_brightness", face_b, no_face},
        {"brightness", a->bright / n, none},
        {"contrast", a->contrast / n, none},
        {"backlight", a->background / nf - face_b, no_face},
        {"clipped_exposure", a->clipped / n, none},
        {"sharpness", sharpness(a), none},
        /* n equal samples in a row: the picture stood still from the first of
         * them to the next change, n sample intervals (n - 1 equal gaps + 1) */
        {"frozen_video", c->longest_run ? (c->longest_run + 1) / fps : 0, none},
    };
    json_t *out = json_object();
    for (size_t i = 0; out && i < sizeof(m) / sizeof(m[0]); i++)
        if (json_object_set_new(out, m[i].name, metric(m[i].value, m[i].invalid)) < 0) {
            json_decref(out);
            out = NULL;
        }
    return out;
}
