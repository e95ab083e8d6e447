/* The history's figures and trends (gw_trends.c): what is read out of a
 * report's extract (a missing or unmeasured figure is missing, not 0), and
 * the trend arithmetic against values worked out by hand. */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "gw_trends.h"

static gw_figures figures_of(const char *extract)
{
    json_error_t e;
    json_t *j = json_loads(extract, 0, &e);
    cr_assert(j, "%s", e.text);
    gw_figures f;
    gw_figures_read(j, &f);
    json_decref(j);
    return f;
}

/* Figures with only metric m set, to v (NAN: missing). */
static gw_figures one(int m, double v)
{
    gw_figures f;
    memset(&f, 0, sizeof(f));
    if (!isnan(v)) {
        f.v[m] = v;
        f.has[m] = 1;
    }
    return f;
}

Test(trends, reads_every_figure_of_a_full_extract)
{
    gw_figures f = figures_of("{\"score\": 56, \"parts\": {\"delivery\": 89, \"content\": 25, \"on_camera\": 50},"
                              " \"word_count\": 69, \"wpm\": 171.216, \"fillers_per_100_words\": 0.0,"
                              " \"hedges_per_100_words\": 4.348, \"pace_score\": 90,"
                              " \"facing_camera\": {\"value\": 0.75, \"valid\": true, \"ok\": false}}");
    double want[GW_METRICS] = {56, 89, 25, 50, 171.216, 0.0, 4.348, 0.75};
    for (int m = 0; m < GW_METRICS; m++) {
        cr_assert(f.has[m], "%s missing", gw_metric_names[m]);
        cr_assert_float_eq(f.v[m], want[m], 1e-12, "%s", gw_metric_names[m]);
    }
    cr_assert(f.has_pace_score);
    cr_assert_float_eq(f.pace_score, 90, 1e-12);
}

Test(trends, what_was_not_measured_is_missing_not_zero)
{
    /* no words: the report's 0 wpm and 0 per 100 words are no measurement */
    gw_figures f = figures_of("{\"word_count\": 0, \"wpm\": 0, \"fillers_per_100_words\": 0,"
                              " \"hedges_per_100_words\": 0, \"pace_score\": 0,"
                              " \"facing_camera\": {\"value\": 0.0, \"valid\": false}}");
    for (int m = 0; m < GW_METRICS; m++)
        cr_assert_not(f.has[m], "%s read", gw_metric_names[m]);
    cr_assert_not(f.has_pace_score);
    /* absent, null, of another type, or not finite */
    f = figures_of("{\"score\": \"56\", \"parts\": [89], \"word_count\": 10, \"wpm\": null,"
                   " \"fillers_per_100_words\": true, \"facing_camera\": 0.5}");
    for (int m = 0; m < GW_METRICS; m++)
        cr_assert_not(f.has[m], "%s read", gw_metric_names[m]);
    f = figures_of("{}");
    for (int m = 0; m < GW_METRICS; m++)
        cr_assert_not(f.has[m], "%s read", gw_metric_names[m]);
    /* a ratio with no "valid" member is taken as measured */
    f = figures_of("{\"facing_camera\": {\"value\": 0}}");
    cr_assert(f.has[GW_M_FACING]);
    cr_assert_float_eq(f.v[GW_M_FACING], 0, 1e-12);
}

Test(trends, figures_json_has_every_metric_with_nulls)
{
    gw_figures f = one(GW_M_PACE, 150);
    json_t *j = gw_figures_json(&f);
    cr_assert(j);
    cr_assert_eq(json_object_size(j), GW_METRICS);
    cr_assert_float_eq(json_real_value(json_object_get(j, "pace_wpm")), 150, 1e-12);
    cr_assert(json_is_null(json_object_get(j, "facing_camera_ratio")));
    cr_assert(json_is_null(json_object_get(j, "score")));
    json_decref(j);
}

Test(trends, arithmetic_with_gaps)
{
    /* scores at answers 0, 1, 3, 4 (answer 2 has none): 60, 70, 65, 80 */
    gw_figures f[] = {one(GW_M_SCORE, 60), one(GW_M_SCORE, 70), one(GW_M_SCORE, NAN), one(GW_M_SCORE, 65),
                      one(GW_M_SCORE, 80)};
    gw_trend t;
    gw_trend_compute(f, 5, GW_M_SCORE, &t);
    cr_assert_eq(t.count, 4);
    cr_assert_float_eq(t.first, 60, 1e-12);
    cr_assert_float_eq(t.last, 80, 1e-12);
    cr_assert(t.has_best);
    cr_assert_float_eq(t.best, 80, 1e-12);
    cr_assert_float_eq(t.mean, 68.75, 1e-12);
    /* x = 0, 1, 3, 4 (mean 2), y mean 68.75:
     * sxy = (-2)(-8.75) + (-1)(1.25) + (1)(-3.75) + (2)(11.25) = 35; sxx = 10 */
    cr_assert_float_eq(t.slope, 3.5, 1e-12);
}

Test(trends, lower_is_better_for_fillers_and_hedges)
{
    gw_figures f[] = {one(GW_M_FILLERS, 4), one(GW_M_FILLERS, 1.5), one(GW_M_FILLERS, 3)};
    gw_trend t;
    gw_trend_compute(f, 3, GW_M_FILLERS, &t);
    cr_assert_float_eq(t.best, 1.5, 1e-12);
    cr_assert_float_eq(t.slope, -0.5, 1e-12);
    cr_assert_eq(gw_metric_better[GW_M_HEDGES], GW_BETTER_LOWER);
    cr_assert_eq(gw_metric_better[GW_M_FACING], GW_BETTER_HIGHER);
}

Test(trends, the_best_pace_is_the_one_the_rubric_scored_highest)
{
    gw_figures f[] = {one(GW_M_PACE, 210), one(GW_M_PACE, 140), one(GW_M_PACE, 95), one(GW_M_PACE, 150),
                      one(GW_M_PACE, 120)};
    double scores[] = {20, 100, 60, 100, 0};
    for (int i = 0; i < 5; i++) {
        f[i].pace_score = scores[i];
        f[i].has_pace_score = i != 4; /* the last has no pace criterion */
    }
    gw_trend t;
    gw_trend_compute(f, 5, GW_M_PACE, &t);
    cr_assert(t.has_best);
    cr_assert_float_eq(t.best, 150, 1e-12, "of equal scores the later answer's pace");
    for (int i = 0; i < 5; i++)
        f[i].has_pace_score = 0;
    gw_trend_compute(f, 5, GW_M_PACE, &t);
    cr_assert_not(t.has_best, "no rubric score: no best pace");
    cr_assert_eq(t.count, 5);
}

Test(trends, json_nulls_below_two_values)
{
    gw_figures f[] = {one(GW_M_SCORE, NAN), one(GW_M_SCORE, 42)};
    json_t *j = gw_trends_json(f, 2);
    cr_assert(j);
    cr_assert_eq(json_object_size(j), GW_METRICS);
    json_t *s = json_object_get(j, "score");
    cr_assert_eq(json_integer_value(json_object_get(s, "count")), 1);
    cr_assert_float_eq(json_real_value(json_object_get(s, "first")), 42, 1e-12);
    cr_assert_float_eq(json_real_value(json_object_get(s, "mean")), 42, 1e-12);
    cr_assert(json_is_null(json_object_get(s, "slope")));
    cr_assert_str_eq(json_string_value(json_object_get(s, "better")), "higher");
    json_t *p = json_object_get(j, "pace_wpm");
    cr_assert_eq(json_integer_value(json_object_get(p, "count")), 0);
    const char *keys[] = {"first", "last", "best", "mean", "slope"};
    for (size_t i = 0; i < 5; i++)
        cr_assert(json_is_null(json_object_get(p, keys[i])), "%s", keys[i]);
    cr_assert_str_eq(json_string_value(json_object_get(p, "better")), "in_range");
    json_decref(j);
    j = gw_trends_json(NULL, 0);
    cr_assert(j);
    json_decref(j);
}
