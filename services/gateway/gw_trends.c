/* The figures a candidate tracks, from a report's extract, and their trends
 * across answers: count, first, last, best, mean and the least-squares slope
 * per answer. */
#include "gw_trends.h"

#include <math.h>
#include <string.h>

const char *const gw_metric_names[GW_METRICS] = {
    "score", "delivery_score", "content_score", "on_camera_score",
    "pace_wpm", "fillers_per_100_words", "hedges_per_100_words", "facing_camera_ratio",
};

const gw_better gw_metric_better[GW_METRICS] = {
    GW_BETTER_HIGHER, GW_BETTER_HIGHER, GW_BETTER_HIGHER, GW_BETTER_HIGHER,
    GW_BETTER_RUBRIC, GW_BETTER_LOWER, GW_BETTER_LOWER, GW_BETTER_HIGHER,
};

static const char *const gw_better_names[] = {"higher", "lower", "in_range"};

/* 1 with *v when x is a finite number. */
static int gw_num(const json_t *x, double *v)
{
    if (!json_is_number(x))
        return 0;
    *v = json_number_value(x);
    return isfinite(*v);
}

void gw_figures_read(const json_t *e, gw_figures *out)
{
    memset(out, 0, sizeof(*out));
    const json_t *parts = json_object_get(e, "parts");
    const json_t *facing = json_object_get(e, "facing_camera");
    double words = 0;
    int spoke = gw_num(json_object_get(e, "word_count"), &words) && words > 0;
    out->has[GW_M_SCORE] = gw_num(json_object_get(e, "score"), &out->v[GW_M_SCORE]);
    out->has[GW_M_DELIVERY] = gw_num(json_object_get(parts, "delivery"), &out->v[GW_M_DELIVERY]);
    out->has[GW_M_CONTENT] = gw_num(json_object_get(parts, "content"), &out->v[GW_M_CONTENT]);
    out->has[GW_M_ON_CAMERA] = gw_num(json_object_get(parts, "on_camera"), &out->v[GW_M_ON_CAMERA]);
    out->has[GW_M_PACE] = spoke && gw_num(json_object_get(e, "wpm"), &out->v[GW_M_PACE]);
    out->has[GW_M_FILLERS] = spoke && gw_num(json_object_get(e, "fillers_per_100_words"), &out->v[GW_M_FILLERS]);
    out->has[GW_M_HEDGES] = spoke && gw_num(json_object_get(e, "hedges_per_100_words"), &out->v[GW_M_HEDGES]);
    /* video-metrics marks a ratio it could not measure (no face, a dark
     * picture) "valid": false; its value then means nothing. */
    out->has[GW_M_FACING] = json_is_object(facing) && !json_is_false(json_object_get(facing, "valid")) &&
                            gw_num(json_object_get(facing, "value"), &out->v[GW_M_FACING]);
    out->has_pace_score = out->has[GW_M_PACE] && gw_num(json_object_get(e, "pace_score"), &out->pace_score);
}

static json_t *gw_num_or_null(int has, double v)
{
    return has ? json_real(v) : json_null();
}

json_t *gw_figures_json(const gw_figures *f)
{
    json_t *o = json_object();
    int bad = !o;
    for (int m = 0; m < GW_METRICS && !bad; m++)
        bad = json_object_set_new(o, gw_metric_names[m], gw_num_or_null(f->has[m], f->v[m])) != 0;
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* 1 when answer a's value of m beats the best so far (b); equals: the later wins. */
static int gw_beats(const gw_figures *a, const gw_trend *t, const gw_figures *b, int m)
{
    if (!t->has_best)
        return 1;
    switch (gw_metric_better[m]) {
    case GW_BETTER_HIGHER:
        return a->v[m] >= t->best;
    case GW_BETTER_LOWER:
        return a->v[m] <= t->best;
    case GW_BETTER_RUBRIC:
        return a->pace_score >= b->pace_score;
    }
    return 0;
}

void gw_trend_compute(const gw_figures *f, size_t n, int m, gw_trend *t)
{
    const gw_figures *best = NULL;
    double sx = 0, sy = 0;
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < n; i++) {
        if (!f[i].has[m])
            continue;
        double y = f[i].v[m];
        if (t->count == 0)
            t->first = y;
        t->last = y;
        t->count++;
        sx += (double)i;
        sy += y;
        if ((gw_metric_better[m] != GW_BETTER_RUBRIC || f[i].has_pace_score) && gw_beats(&f[i], t, best, m)) {
            best = &f[i];
            t->best = y;
            t->has_best = 1;
        }
    }
    if (t->count == 0)
        return;
    double mx = sx / (double)t->count, my = sy / (double)t->count, sxy = 0, sxx = 0;
    t->mean = my;
    for (size_t i = 0; i < n; i++) {
        if (!f[i].has[m])
            continue;
        sxy += ((double)i - mx) * (f[i].v[m] - my);
        sxx += ((double)i - mx) * ((double)i - mx);
    }
    /* Two or more answers have distinct positions, so sxx > 0. */
    t->slope = t->count >= 2 ? sxy / sxx : 0;
}

json_t *gw_trends_json(const gw_figures *f, size_t n)
{
    json_t *o = json_object();
    int bad = !o;
    for (int m = 0; m < GW_METRICS && !bad; m++) {
        gw_trend t;
        gw_trend_compute(f, n, m, &t);
        int any = t.count > 0;
        json_t *j = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:s}", "count", (json_int_t)t.count,
                              "first", gw_num_or_null(any, t.first), "last", gw_num_or_null(any, t.last),
                              "best", gw_num_or_null(t.has_best, t.best), "mean", gw_num_or_null(any, t.mean),
                              "slope", gw_num_or_null(t.count >= 2, t.slope),
                              "better", gw_better_names[gw_metric_better[m]]);
        bad = !j || json_object_set_new(o, gw_metric_names[m], j) != 0;
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
