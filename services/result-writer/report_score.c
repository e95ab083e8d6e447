#include "report_score.h"

#include "report_msgs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_MAX_TIPS 8
#define SCORE_MAX_EVIDENCE 5

static const char *const PARTS[] = {"delivery", "content", "on_camera", NULL};

static const struct crit_def *crit_find(const char *name);
static int crit_names(char *out, size_t outlen);

int score_rubric_check(const json_t *rubric, char *err, size_t errlen)
{
    const json_t *parts = json_object_get(rubric, "parts");
    if (!json_is_string(json_object_get(rubric, "version")) || !json_is_object(parts)) {
        snprintf(err, errlen, "rubric needs a version string and a parts object");
        return -1;
    }
    for (int p = 0; PARTS[p]; p++) {
        const json_t *part = json_object_get(parts, PARTS[p]);
        const json_t *crit = json_object_get(part, "criteria");
        if (!json_is_number(json_object_get(part, "weight")) || !json_is_object(crit)) {
            snprintf(err, errlen, "rubric part %s needs a weight and criteria", PARTS[p]);
            return -1;
        }
        const char *k;
        json_t *c;
        json_object_foreach((json_t *)crit, k, c) {
            int bounds = json_is_number(json_object_get(c, "good_min")) ||
                         json_is_number(json_object_get(c, "good_max"));
            if (!json_is_number(json_object_get(c, "weight")) || !bounds) {
                snprintf(err, errlen, "rubric criterion %s.%s needs a weight and good_min or good_max",
                         PARTS[p], k);
                return -1;
            }
            if (!crit_find(k)) {
                char known[1024];
                crit_names(known, sizeof(known));
                snprintf(err, errlen, "rubric criterion %s.%s is not one the result-writer measures (it measures %s)",
                         PARTS[p], k, known);
                return -1;
            }
        }
    }
    /* A language's own bounds change criteria the part has, nothing else. */
    const char *lang, *pk, *ck;
    json_t *lv, *pv, *cv;
    json_object_foreach((json_t *)json_object_get(rubric, "languages"), lang, lv) {
        json_object_foreach(lv, pk, pv) {
            json_object_foreach(pv, ck, cv) {
                if (!json_object_get(json_object_get(json_object_get(parts, pk), "criteria"), ck)) {
                    snprintf(err, errlen, "rubric languages.%s.%s.%s names no criterion of the part %s", lang, pk,
                             ck, pk);
                    return -1;
                }
            }
        }
    }
    return 0;
}

int score_rubric_load(const char *path, json_t **out, char *err, size_t errlen)
{
    json_error_t je;
    *out = json_load_file(path, 0, &je);
    if (!*out) {
        snprintf(err, errlen, "cannot read rubric %s: %s (line %d)", path, je.text, je.line);
        return -1;
    }
    if (score_rubric_check(*out, err, errlen) != 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

static int num(const json_t *o, const char *k, double *v)
{
    const json_t *x = json_object_get(o, k);
    if (!json_is_number(x))
        return 0;
    *v = json_number_value(x);
    return 1;
}

double score_criterion(const json_t *c, double v)
{
    double gmin, gmax, z;
    if (num(c, "good_min", &gmin) && v < gmin) {
        if (!num(c, "zero_min", &z) || z >= gmin)
            return 0.0;
        return fmax(0.0, 100.0 * (v - z) / (gmin - z));
    }
    if (num(c, "good_max", &gmax) && v > gmax) {
        if (!num(c, "zero_max", &z) || z <= gmax)
            return 0.0;
        return fmax(0.0, 100.0 * (z - v) / (z - gmax));
    }
    return 100.0;
}

/* A video metric as a number or {"value":N,"valid":true}; absent or invalid: 0. */
static int vm_value(const json_t *o, const char *const *names, double *v)
{
    for (; *names; names++) {
        const json_t *x = json_object_get(o, *names);
        if (json_is_object(x)) {
            if (json_is_false(json_object_get(x, "valid")))
                continue;
            x = json_object_get(x, "value");
        }
        if (json_is_number(x)) {
            *v = json_number_value(x);
            return 1;
        }
    }
    return 0;
}

/* The transcript's words said within [a, b], at most 12 of them. */
static char *words_between(const json_t *words, double a, double b)
{
    char buf[512] = "";
    size_t i, used = 0, count = 0;
    const json_t *w;
    json_array_foreach(words, i, w) {
        double s = json_number_value(json_object_get(w, "start"));
        const char *t = json_string_value(json_object_get(w, "word"));
        /* words that start within [a, b); a point in time takes the word starting there */
        if (!t || s < a - 1e-6 || (b > a ? s >= b - 1e-6 : s > a + 1e-6))
            continue;
        if (count++ == 12) {
            snprintf(buf + used, sizeof(buf) - used, " ...");
            break;
        }
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", used ? " " : "", t);
        if (used >= sizeof(buf))
            break;
    }
    return strdup(buf);
}

static void ev_add(json_t *ev, const json_t *words, double a, double b, const char *detail)
{
    if (json_array_size(ev) >= SCORE_MAX_EVIDENCE)
        return;
    json_t *e = json_pack("{s:f, s:f, s:s}", "start", a, "end", b, "detail", detail);
    char *said = words ? words_between(words, a, b) : NULL;
    if (e && said)
        json_object_set_new(e, "words", json_string(said));
    free(said);
    json_array_append_new(ev, e);
}

/* Evidence from a list of {start,end,<key>} items: text msg with the item's
 * <key> as {word} (and {phrase}, {term}) and its suggestion. */
static void ev_items(const json_t *cat, json_t *ev, const json_t *words, const json_t *items,
                     const char *key, const char *msg)
{
    size_t i;
    const json_t *it;
    char d[256];
    json_array_foreach(items, i, it) {
        const char *a = json_string_value(json_object_get(it, key));
        const char *b = json_string_value(json_object_get(it, "suggestion"));
        report_msg(cat, msg, d, sizeof(d), "word", a, "phrase", a, "term", a, "suggestion", b, NULL);
        ev_add(ev, words, json_number_value(json_object_get(it, "start")),
               json_number_value(json_object_get(it, "end")), d);
    }
}

/* Per-second video entries whose field lies outside [lo, hi]. */
static void ev_seconds(const json_t *cat, json_t *ev, const json_t *vm, const char *field, double lo,
                       double hi)
{
    size_t i;
    const json_t *s;
    char d[128], nb[32];
    json_array_foreach(json_object_get(vm, "seconds"), i, s) {
        double v, t = json_number_value(json_object_get(s, "t"));
        const char *names[] = {field, NULL};
        if (!vm_value(s, names, &v) || (v >= lo && v <= hi))
            continue;
        report_num(cat, v, 1, nb, sizeof(nb));
        report_msg(cat, "evidence.video_second", d, sizeof(d), "metric", field, "value", nb, NULL);
        ev_add(ev, NULL, t, t + 1, d);
    }
}

typedef struct crit_eval {
    double value;
    json_t *evidence;
    const char *why; /* not measurable: reason */
} crit_eval;

static const json_t *tm_get(const score_input *in, const char *a, const char *b)
{
    const json_t *x = json_object_get(in->text_metrics, a);
    return b ? json_object_get(x, b) : x;
}

/* Each criterion's measure: 1 with e->value (and evidence), or 0 with e->why
 * saying in the report's language why it could not be measured. */
typedef int (*crit_measure_fn)(const score_input *in, const char *name, const json_t *c, crit_eval *e);

#define WHY(key) ((e->why = report_msg_raw(in->msgs, key)), 0)

static double crit_bound(const json_t *c, const char *k, double def)
{
    double v = def;
    num(c, k, &v);
    return v;
}

static int m_pace(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    const json_t *tm = in->text_metrics, *cat = in->msgs, *win;
    double gmin = crit_bound(c, "good_min", 0), gmax = crit_bound(c, "good_max", 1e300);
    char d[256], nb[32];
    size_t i;
    (void)name;
    if (!num(tm, "wpm", &e->value))
        return WHY("why.no_pace");
    json_array_foreach(json_object_get(tm, "pace_windows"), i, win) {
        double r = json_number_value(json_object_get(win, "wpm"));
        if (json_integer_value(json_object_get(win, "words")) == 0 || (r >= gmin && r <= gmax))
            continue;
        report_num(cat, r, 0, nb, sizeof(nb));
        report_msg(cat, "evidence.pace", d, sizeof(d), "wpm", nb, NULL);
        ev_add(e->evidence, in->words, json_number_value(json_object_get(win, "start")),
               json_number_value(json_object_get(win, "end")), d);
    }
    return 1;
}

static int m_fillers(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    (void)name;
    (void)c;
    if (!num(in->text_metrics, "fillers_per_100_words", &e->value))
        return WHY("why.no_fillers");
    ev_items(in->msgs, e->evidence, in->words, json_object_get(in->text_metrics, "fillers"), "word",
             "evidence.filler");
    return 1;
}

static int m_long_pauses(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    double speaking;
    char d[256], nb[32];
    size_t i;
    const json_t *p, *lp = tm_get(in, "pauses", "long");
    (void)name;
    (void)c;
    if (!num(in->text_metrics, "speaking_s", &speaking) || speaking <= 0 || !json_is_array(lp))
        return WHY("why.no_pauses");
    e->value = (double)json_array_size(lp) / speaking * 60.0;
    json_array_foreach(lp, i, p) {
        report_num(in->msgs, json_number_value(json_object_get(p, "duration_s")), 1, nb, sizeof(nb));
        report_msg(in->msgs, "evidence.pause", d, sizeof(d), "seconds", nb, NULL);
        ev_add(e->evidence, in->words, json_number_value(json_object_get(p, "start")),
               json_number_value(json_object_get(p, "end")), d);
    }
    return 1;
}

static int m_hedges(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    (void)name;
    (void)c;
    if (!num(tm_get(in, "hedges", NULL), "per_100_words", &e->value))
        return WHY("why.no_hedges");
    ev_items(in->msgs, e->evidence, in->words, tm_get(in, "hedges", "items"), "phrase", "evidence.hedge");
    return 1;
}

static int m_talking_points(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    char d[256];
    size_t i;
    const json_t *p;
    (void)name;
    (void)c;
    if (!num(in->relevance, "covered_share", &e->value))
        return WHY("why.no_talking_points");
    json_array_foreach(json_object_get(in->relevance, "talking_points"), i, p) {
        if (json_is_true(json_object_get(p, "covered")))
            continue;
        report_msg(in->msgs, "evidence.not_covered", d, sizeof(d), "point",
                   json_string_value(json_object_get(p, "text")), NULL);
        ev_add(e->evidence, NULL, 0, in->duration_s, d);
    }
    return 1;
}

static int m_similarity(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    char d[256], nb[32];
    (void)name;
    (void)c;
    if (!num(in->relevance, "similarity", &e->value))
        return WHY("why.no_question");
    report_num(in->msgs, e->value, 2, nb, sizeof(nb));
    report_msg(in->msgs, "evidence.similarity", d, sizeof(d), "value", nb, NULL);
    ev_add(e->evidence, NULL, 0, in->duration_s, d);
    return 1;
}

static int m_star(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    static const char *const keys[] = {"situation", "task", "action", "result"};
    static const char *const names[] = {"star.situation", "star.task", "star.action", "star.result"};
    const json_t *star = tm_get(in, "star", NULL), *cat = in->msgs;
    char d[256];
    (void)name;
    if (json_is_true(json_object_get(c, "behavioural_only")) && !in->behavioural)
        return WHY("why.not_behavioural");
    if (!json_is_object(star))
        return WHY("why.no_structure");
    e->value = (double)json_integer_value(json_object_get(star, "present"));
    for (int k = 0; k < 4; k++) {
        const json_t *cue = json_array_get(json_object_get(json_object_get(star, keys[k]), "cues"), 0);
        const char *part = report_msg_raw(cat, names[k]);
        if (cue) {
            report_msg(cat, "evidence.star_cue", d, sizeof(d), "part", part, "cue",
                       json_string_value(json_object_get(cue, "cue")), NULL);
            ev_add(e->evidence, in->words, json_number_value(json_object_get(cue, "start")),
                   json_number_value(json_object_get(cue, "end")), d);
        } else {
            report_msg(cat, "evidence.star_missing", d, sizeof(d), "part", part, NULL);
            ev_add(e->evidence, NULL, 0, in->duration_s, d);
        }
    }
    return 1;
}

/* Quantified results (a count) and action verbs (per 100 words): the items quoted. */
static int m_quoted(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    int q = strcmp(name, "quantified_results") == 0;
    const json_t *m = tm_get(in, q ? "quantified" : "action_verbs", NULL);
    (void)c;
    if (!json_is_object(m))
        return WHY("why.not_measured");
    e->value = q ? (double)json_integer_value(json_object_get(m, "count"))
                 : json_number_value(json_object_get(m, "per_100_words"));
    ev_items(in->msgs, e->evidence, in->words, json_object_get(m, "items"), "word", "evidence.quoted");
    if (json_array_size(json_object_get(m, "items")) == 0)
        ev_add(e->evidence, NULL, 0, in->duration_s,
               report_msg_raw(in->msgs, q ? "evidence.no_numbers" : "evidence.no_action_verbs"));
    return 1;
}

static int m_vocabulary(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    char d[256], nb[32];
    size_t i;
    const json_t *t;
    (void)name;
    (void)c;
    if (!num(tm_get(in, "vocabulary", NULL), "mattr", &e->value) ||
        json_integer_value(json_object_get(in->text_metrics, "word_count")) < 10)
        return WHY("why.few_words");
    json_array_foreach(tm_get(in, "top_words", NULL), i, t) {
        if (json_integer_value(json_object_get(t, "count")) < 3)
            continue;
        double at = json_number_value(json_object_get(t, "first_s"));
        snprintf(nb, sizeof(nb), "%lld", (long long)json_integer_value(json_object_get(t, "count")));
        report_msg(in->msgs, "evidence.repeated", d, sizeof(d), "word",
                   json_string_value(json_object_get(t, "word")), "count", nb, NULL);
        ev_add(e->evidence, NULL, at, at, d);
    }
    return 1;
}

static int m_sentences(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    const json_t *s = tm_get(in, "sentences", NULL), *it;
    double gmax = crit_bound(c, "good_max", 1e300);
    char d[256], nb[32];
    size_t i;
    (void)name;
    if (!num(s, "max_words", &e->value) || json_integer_value(json_object_get(in->text_metrics, "word_count")) == 0)
        return WHY("why.no_sentences");
    json_array_foreach(json_object_get(s, "items"), i, it) {
        if (json_number_value(json_object_get(it, "words")) <= gmax)
            continue;
        snprintf(nb, sizeof(nb), "%lld", (long long)json_integer_value(json_object_get(it, "words")));
        report_msg(in->msgs, "evidence.long_sentence", d, sizeof(d), "count", nb, NULL);
        ev_add(e->evidence, in->words, json_number_value(json_object_get(it, "start")),
               json_number_value(json_object_get(it, "end")), d);
    }
    return 1;
}

static int m_noninclusive(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    const json_t *m = tm_get(in, "noninclusive", NULL);
    (void)name;
    (void)c;
    if (!json_is_object(m))
        return WHY("why.not_measured");
    e->value = (double)json_integer_value(json_object_get(m, "count"));
    ev_items(in->msgs, e->evidence, in->words, json_object_get(m, "items"), "term", "evidence.noninclusive");
    return 1;
}

/* Brightness and motion: the summary's mean, and the seconds outside the bounds. */
static int m_video_mean(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    int b = strcmp(name, "brightness") == 0;
    const char *names[] = {b ? "mean_brightness" : "mean_motion", NULL};
    if (!vm_value(json_object_get(in->video_metrics, "summary"), names, &e->value))
        return WHY("why.no_video_metric");
    ev_seconds(in->msgs, e->evidence, in->video_metrics, name, b ? crit_bound(c, "good_min", 0) : -1e300,
               crit_bound(c, "good_max", 1e300));
    return 1;
}

/* The face's presence and facing the camera: shares of the recording. */
static int m_video_ratio(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    static const char *const face[] = {"face_present_ratio", "face_present", "face_ratio", NULL};
    static const char *const facing[] = {"facing_camera_ratio", "facing_camera", NULL};
    const char *const *names = strcmp(name, "face_present_ratio") == 0 ? face : facing;
    const json_t *vm = in->video_metrics;
    char d[256], nb[32];
    (void)c;
    /* Judged metrics live in video_metrics.on_camera ({value, valid, ...}). */
    if (!vm_value(json_object_get(vm, "summary"), names, &e->value) &&
        !vm_value(json_object_get(vm, "on_camera"), names, &e->value))
        return WHY("why.no_video_metric");
    report_num(in->msgs, e->value, 2, nb, sizeof(nb));
    report_msg(in->msgs, "evidence.video_ratio", d, sizeof(d), "metric", name, "value", nb, NULL);
    ev_add(e->evidence, NULL, 0, in->duration_s, d);
    return 1;
}

#undef WHY

/* Every criterion a rubric may name, with its measure. A rubric naming
 * another one is refused when it is loaded. */
static const struct crit_def {
    const char *name;
    crit_measure_fn measure;
} CRITERIA[] = {
    {"pace_wpm", m_pace},
    {"fillers_per_100_words", m_fillers},
    {"long_pauses_per_minute", m_long_pauses},
    {"hedges_per_100_words", m_hedges},
    {"talking_points_covered", m_talking_points},
    {"question_similarity", m_similarity},
    {"star_parts", m_star},
    {"quantified_results", m_quoted},
    {"action_verbs_per_100_words", m_quoted},
    {"vocabulary_mattr", m_vocabulary},
    {"sentence_max_words", m_sentences},
    {"noninclusive_terms", m_noninclusive},
    {"brightness", m_video_mean},
    {"motion", m_video_mean},
    {"face_present_ratio", m_video_ratio},
    {"facing_camera_ratio", m_video_ratio},
};
#define CRITERIA_COUNT (sizeof(CRITERIA) / sizeof(CRITERIA[0]))

static const struct crit_def *crit_find(const char *name)
{
    for (size_t i = 0; i < CRITERIA_COUNT; i++)
        if (strcmp(CRITERIA[i].name, name) == 0)
            return &CRITERIA[i];
    return NULL;
}

/* "pace_wpm, fillers_per_100_words, ...": for an error message. */
static int crit_names(char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < CRITERIA_COUNT && n < outlen; i++)
        n += (size_t)snprintf(out + n, outlen - n, "%s%s", i ? ", " : "", CRITERIA[i].name);
    return 0;
}

/* A tip speaks to the candidate in words only: the figures (value, bounds)
 * travel as data beside the message. */
static json_t *tip_make(const json_t *cat, const char *part, const char *name, const json_t *c,
                        const crit_eval *e, double s, double lost)
{
    double gmin = 0;
    int low = num(c, "good_min", &gmin) && e->value < gmin;
    char key[96];
    const json_t *a = json_object_get(c, "good_min"), *b = json_object_get(c, "good_max");
    snprintf(key, sizeof(key), "advice.%s.%s", name, low ? "low" : "high");
    json_t *t = json_pack("{s:s, s:s, s:f, s:f, s:s, s:O, s:f}", "part", part, "metric", name, "value",
                          round(e->value * 1000) / 1000, "score", round(s), "message", report_msg_raw(cat, key),
                          "evidence", e->evidence, "points_lost", round(lost * 10) / 10);
    if (t && a)
        json_object_set(t, "good_min", (json_t *)a);
    if (t && b)
        json_object_set(t, "good_max", (json_t *)b);
    return t;
}

/* Why a part cannot be scored from what was recorded, or NULL. */
static const char *part_blocked(const score_input *in, const char *part, double *forced)
{
    int has_audio = !in->probe || json_is_true(json_object_get(in->probe, "has_audio"));
    int has_video = (!in->probe || json_is_true(json_object_get(in->probe, "has_video"))) &&
                    in->video_metrics && !json_is_false(json_object_get(in->video_metrics, "has_video"));
    json_int_t words = json_integer_value(json_object_get(in->text_metrics, "word_count"));
    *forced = -1;
    if (strcmp(part, "on_camera") == 0)
        return has_video ? NULL : report_msg_raw(in->msgs, "blocked.no_picture");
    if (!has_audio) {
        *forced = 0;
        return report_msg_raw(in->msgs, "blocked.no_sound");
    }
    if (!in->text_metrics || words == 0) {
        *forced = 0;
        return report_msg_raw(in->msgs, "blocked.no_speech");
    }
    return NULL;
}

static int tip_cmp(const void *a, const void *b)
{
    double x = json_number_value(json_object_get(*(json_t *const *)a, "points_lost"));
    double y = json_number_value(json_object_get(*(json_t *const *)b, "points_lost"));
    return (x < y) - (x > y);
}

int score_compute(const score_input *in, json_t **score_out, json_t **tips_out)
{
    const json_t *parts = json_object_get(in->rubric, "parts");
    json_t *score = json_object(), *pj = json_object(), *notes = json_array(), *all = json_array();
    double wsum = 0, total = 0;
    json_int_t words = json_integer_value(json_object_get(in->text_metrics, "word_count"));
    double min_words = 0;
    num(in->rubric, "min_words", &min_words);
    for (int p = 0; PARTS[p]; p++) {
        const json_t *part = json_object_get(parts, PARTS[p]);
        double pw = json_number_value(json_object_get(part, "weight")), forced;
        json_t *out = json_pack("{s:f}", "weight", pw), *crits = json_array();
        const char *why = part_blocked(in, PARTS[p], &forced);
        double cw = 0, cs = 0;
        const char *k;
        json_t *c;
        json_object_foreach((json_t *)json_object_get(part, "criteria"), k, c) {
            if (why)
                break;
            /* A language may have its own bounds ("languages": {"pt-BR": {"delivery": {"pace_wpm": {...}}}}). */
            const json_t *o = json_object_get(json_object_get(json_object_get(json_object_get(in->rubric, "languages"),
                                                                              in->language ? in->language : ""),
                                                              PARTS[p]),
                                              k);
            json_t *own = json_is_object(o) ? json_copy(c) : NULL;
            if (own && json_object_update(own, (json_t *)o) == 0)
                c = own;
            crit_eval e = {.evidence = json_array()};
            double w = json_number_value(json_object_get(c, "weight"));
            const struct crit_def *def = crit_find(k);
            if (!def)
                e.why = report_msg_raw(in->msgs, "why.unknown"); /* a rubric that skipped score_rubric_check */
            if (!def || !def->measure(in, k, c, &e)) {
                json_array_append_new(crits, json_pack("{s:s, s:n, s:s}", "metric", k, "score", "reason", e.why));
                json_decref(e.evidence);
                json_decref(own);
                continue;
            }
            double s = score_criterion(c, e.value);
            cw += w;
            cs += w * s;
            json_array_append_new(crits, json_pack("{s:s, s:f, s:f, s:f}", "metric", k, "value",
                                                   round(e.value * 1000) / 1000, "score", round(s),
                                                   "weight", w));
            if (s < 100)
                json_array_append_new(all, tip_make(in->msgs, PARTS[p], k, c, &e, s, pw * w * (100 - s)));
            json_decref(e.evidence);
            json_decref(own);
        }
        json_object_set_new(out, "criteria", crits);
        double ps = forced >= 0 ? forced : (cw > 0 ? cs / cw : -1);
        if (why)
            json_object_set_new(out, "reason", json_string(why));
        else if (cw <= 0)
            json_object_set_new(out, "reason", json_string(report_msg_raw(in->msgs, "part.unmeasured")));
        if (why)
            json_array_append_new(notes, json_string(why));
        json_object_set_new(out, "score", ps >= 0 ? json_integer((json_int_t)lround(ps)) : json_null());
        if (ps >= 0) {
            wsum += pw;
            total += pw * ps;
        }
        json_object_set_new(pj, PARTS[p], out);
    }
    if (words > 0 && words < (json_int_t)min_words)
        json_array_append_new(notes, json_string(report_msg_raw(in->msgs, "note.short_answer")));
    json_object_set_new(score, "overall", wsum > 0 ? json_integer((json_int_t)lround(total / wsum)) : json_null());
    json_object_set(score, "rubric", json_object_get(in->rubric, "version"));
    json_object_set_new(score, "parts", pj);
    json_object_set_new(score, "notes", notes);

    /* The tips that cost the most points first. */
    size_t n = json_array_size(all);
    json_t **v = calloc(n ? n : 1, sizeof(*v)), *tips = json_array();
    for (size_t i = 0; v && i < n; i++)
        v[i] = json_array_get(all, i);
    if (v)
        qsort(v, n, sizeof(*v), tip_cmp);
    for (size_t i = 0; v && i < n && i < SCORE_MAX_TIPS; i++)
        json_array_append(tips, v[i]);
    if (words == 0 && part_blocked(in, "delivery", &(double){0})) {
        json_t *ev = json_array();
        ev_add(ev, NULL, 0, in->duration_s, report_msg_raw(in->msgs, "evidence.no_words"));
        json_array_append_new(tips, json_pack("{s:s, s:s, s:i, s:s, s:o}", "part", "delivery", "metric",
                                              "word_count", "value", 0, "message",
                                              report_msg_raw(in->msgs, "tip.no_answer"),
                                              "evidence", ev));
    }
    int ok = score && tips && v;
    free(v);
    json_decref(all);
    *score_out = score;
    *tips_out = tips;
    return ok ? 0 : -1;
}
