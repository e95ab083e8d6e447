/* What the result-writer's criteria share: how one is measured (crit_def,
 * crit_eval) and how evidence at moments of the recording is written. The
 * table of criteria itself is in report_score.c. */
#ifndef ISIM_REPORT_CRITERIA_H
#define ISIM_REPORT_CRITERIA_H

#include <jansson.h>

#include "report_score.h"

typedef struct crit_eval {
    double value;
    json_t *evidence;
    const char *why; /* not measurable: reason */
} crit_eval;

/* Where a criterion measured by the video-metrics stage finds its value and
 * the moments that show it (report_vm.c). */
typedef struct vm_source {
    const char *group;  /* "on_camera" or "voice" */
    const char *metric; /* the measurement in that group ({value, valid, reason?}) */
    const char *items;  /* moments: "seconds" (the group's per-second entries), a list inside
                         * the metric, or NULL (the whole recording) */
    const char *field;  /* the item's figure held against the bounds; NULL: every item is a
                         * moment; "@duration": its end minus its start */
    int fixed;          /* 1: lo/hi below decide a moment, not the rubric's bounds */
    double lo, hi;
    double scale;       /* shown value = value * scale (100 for shares); 0 = 1 */
    double item_scale;  /* the same for an item's figure; 0 = scale */
    int decimals;
    int speech_only;    /* per-second voice entries count only while speaking */
} vm_source;

typedef struct crit_def crit_def;

/* A criterion's measure: 1 with e->value (and evidence), or 0 with e->why
 * saying in the report's language why it could not be measured. */
typedef int (*crit_measure_fn)(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e);

struct crit_def {
    const char *name;
    crit_measure_fn measure;
    const char *advice_low, *advice_high; /* catalog keys: below good_min, above good_max */
    const vm_source *vm;                  /* for m_vm */
};

/* Measures a criterion from the video-metrics stage's output (def->vm). */
int m_vm(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e);

/* Evidence: one moment [a, b] with its detail and, given words, what was said then. */
void ev_add(json_t *ev, const json_t *words, double a, double b, const char *detail);
/* Evidence from a list of {start,end,<key>} items: text msg with the item's
 * <key> as {word} (and {phrase}, {term}) and its suggestion. */
void ev_items(const json_t *cat, json_t *ev, const json_t *words, const json_t *items, const char *key,
              const char *msg);
/* A number from o[k]: 1 and *v, or 0. */
int crit_num(const json_t *o, const char *k, double *v);
/* The criterion's bound k, or def. */
double crit_bound(const json_t *c, const char *k, double def);

#endif
