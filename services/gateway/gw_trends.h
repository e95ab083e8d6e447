/* The figures a candidate tracks across answers (GET /v1/history): read out
 * of one stored report's extract, and summarised across answers as trends.
 * Plain C on jansson values: no database, no HTTP (unit-tested alone). */
#ifndef ISIM_GW_TRENDS_H
#define ISIM_GW_TRENDS_H

#include <jansson.h>
#include <stddef.h>

/* The tracked figures, in the order of gw_metric_names. */
enum {
    GW_M_SCORE = 0,          /* report.score.overall */
    GW_M_DELIVERY,           /* report.score.parts.delivery.score */
    GW_M_CONTENT,            /* report.score.parts.content.score */
    GW_M_ON_CAMERA,          /* report.score.parts.on_camera.score */
    GW_M_PACE,               /* report.delivery.wpm */
    GW_M_FILLERS,            /* report.delivery.fillers_per_100_words */
    GW_M_HEDGES,             /* report.delivery.hedges.per_100_words */
    GW_M_FACING,             /* report.on_camera.on_camera.facing_camera.value (when valid) */
    GW_METRICS
};

/* Which value of a figure is the best: the highest, the lowest, or (pace)
 * the one the rubric scored highest, its own criterion score. */
typedef enum { GW_BETTER_HIGHER, GW_BETTER_LOWER, GW_BETTER_RUBRIC } gw_better;

extern const char *const gw_metric_names[GW_METRICS];
extern const gw_better gw_metric_better[GW_METRICS];

/* One answer's figures; has[m] 0 means missing (null in the API). */
typedef struct {
    double v[GW_METRICS];
    int has[GW_METRICS];
    double pace_score; /* the rubric's score of the pace (GW_BETTER_RUBRIC) */
    int has_pace_score;
} gw_figures;

/* The figures of one answer from the extract of its report the history query
 * selects: {"score", "parts": {name: score}, "word_count", "wpm",
 * "fillers_per_100_words", "hedges_per_100_words", "facing_camera":
 * {"value", "valid"}, "pace_score"}. Anything absent or not a number is
 * missing; so are pace, fillers and hedges of an answer with no words (the
 * report stores 0 for them then, which is no measurement). */
void gw_figures_read(const json_t *extract, gw_figures *out);

/* {"score": n|null, ..., "facing_camera_ratio": n|null}; NULL when out of memory. */
json_t *gw_figures_json(const gw_figures *f);

typedef struct {
    size_t count;        /* answers with this figure */
    double first, last;  /* the oldest and newest of them (count >= 1) */
    double best;         /* see gw_better; has_best 0 when none qualifies */
    int has_best;
    double mean;         /* count >= 1 */
    double slope;        /* least-squares change per answer (count >= 2) */
} gw_trend;

/* The trend of metric m across answers f[0..n) (oldest first). The x of an
 * answer is its position i in f, so a gap (a missing figure) still counts as
 * an answer given. */
void gw_trend_compute(const gw_figures *f, size_t n, int m, gw_trend *t);

/* {"<metric>": {"count", "first", "last", "best", "mean", "slope",
 * "better"}, ...} over f[0..n), nulls where a figure has no value (slope:
 * fewer than 2); NULL when out of memory. */
json_t *gw_trends_json(const gw_figures *f, size_t n);

#endif
