/* Criteria measured by the video-metrics stage: the value of one of its
 * measurements, a reason in the report's language when it is not valid, and
 * the moments (seconds, windows, stretches) where it falls outside the
 * rubric's good range. */
#include "report_criteria.h"

#include "report_msgs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The video-metrics stage gives its reasons in English words; each maps to a
 * text of the report's catalog. The first entry whose words appear wins. */
static const struct {
    const char *words, *key;
} VM_REASONS[] = {
    {"too dark", "why.too_dark"},
    {"overexposed", "why.overexposed"},
    {"too blurred", "why.blurred"},
    {"never seen twice", "why.face_once"},
    {"no face", "why.no_face"},
    {"no picture", "blocked.no_picture"},
    {"no sound track", "blocked.no_sound"},
    {"silent", "why.silent"},
    {"no speech", "why.silent"},
    {"too quiet", "why.silent"},
    {"voiced speech", "why.little_voice"},
    {"shorter than", "why.short_recording"},
};

static const char *vm_reason_key(const char *reason, const char *fallback)
{
    for (size_t i = 0; reason && i < sizeof(VM_REASONS) / sizeof(VM_REASONS[0]); i++)
        if (strstr(reason, VM_REASONS[i].words))
            return VM_REASONS[i].key;
    return fallback;
}

/* A figure of an item: a number, a boolean as 1/0, or end - start. */
static int item_figure(const json_t *it, const char *field, double *v)
{
    if (strcmp(field, "@duration") == 0) {
        double a, b;
        if (!crit_num(it, "start", &a) || !crit_num(it, "end", &b))
            return 0;
        *v = b - a;
        return 1;
    }
    const json_t *x = json_object_get(it, field);
    if (json_is_boolean(x)) {
        *v = json_is_true(x);
        return 1;
    }
    return crit_num(it, field, v);
}

static void shown(double scale, int decimals, double v, char *out, size_t len, const json_t *cat)
{
    report_num(cat, v * (scale > 0 ? scale : 1), decimals, out, len);
}

/* The moments of def's items that fall outside [lo, hi]. */
static void vm_moments(const score_input *in, const crit_def *def, const json_t *c, const json_t *metric,
                       crit_eval *e)
{
    const vm_source *s = def->vm;
    const json_t *group = strcmp(s->group, "voice") == 0 ? json_object_get(in->video_metrics, "voice")
                                                         : in->video_metrics;
    const json_t *items = strcmp(s->items, "seconds") == 0 ? json_object_get(group, "seconds")
                                                           : json_object_get(metric, s->items);
    double lo = s->fixed ? s->lo : crit_bound(c, "good_min", -INFINITY);
    double hi = s->fixed ? s->hi : crit_bound(c, "good_max", INFINITY);
    char key[96], d[256], nb[32];
    snprintf(key, sizeof(key), "moment.%s", def->name);
    if (!json_is_string(json_object_get(in->msgs, key)))
        snprintf(key, sizeof(key), "measure.%s", def->name);
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it) {
        double v = 0, a, b;
        if (s->field && (!item_figure(it, s->field, &v) || (v >= lo && v <= hi)))
            continue;
        if (s->speech_only && crit_bound(it, "speaking", 0) < 0.5)
            continue;
        if (crit_num(it, "t", &a))
            b = a + 1;
        else if (!crit_num(it, "start", &a) || !crit_num(it, "end", &b))
            continue;
        shown(s->item_scale > 0 ? s->item_scale : s->scale, s->item_scale > 0 ? 0 : s->decimals, v, nb,
              sizeof(nb), in->msgs);
        report_msg(in->msgs, key, d, sizeof(d), "value", nb, NULL);
        ev_add(e->evidence, in->words, a, b, d);
    }
}

int m_vm(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    const vm_source *s = def->vm;
    int voice = strcmp(s->group, "voice") == 0;
    const json_t *group = voice ? json_object_get(in->video_metrics, "voice")
                                : json_object_get(in->video_metrics, s->group);
    const json_t *m = json_object_get(group, s->metric);
    const char *missing = voice ? "why.no_voice_metric" : "why.no_video_metric";
    char key[96], d[256], nb[32];
    if (json_is_object(m) && json_is_false(json_object_get(m, "valid"))) {
        e->why = report_msg_raw(in->msgs, vm_reason_key(json_string_value(json_object_get(m, "reason")), missing));
        return 0;
    }
    if (!crit_num(json_is_object(m) ? m : group, json_is_object(m) ? "value" : s->metric, &e->value)) {
        e->why = report_msg_raw(in->msgs, missing);
        return 0;
    }
    if (s->items)
        vm_moments(in, def, c, m, e);
    if (json_array_size(e->evidence) == 0) { /* no moment stands out: the whole recording */
        snprintf(key, sizeof(key), "measure.%s", def->name);
        shown(s->scale, s->decimals, e->value, nb, sizeof(nb), in->msgs);
        report_msg(in->msgs, key, d, sizeof(d), "value", nb, NULL);
        ev_add(e->evidence, NULL, 0, in->duration_s, d);
    }
    return 1;
}
