#include "report_score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_MAX_TIPS 8
#define SCORE_MAX_EVIDENCE 5

static const char *const PARTS[] = {"delivery", "content", "on_camera", NULL};

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

/* Evidence from a list of {start,end,<key>} items. */
static void ev_items(json_t *ev, const json_t *words, const json_t *items, const char *key,
                     const char *fmt)
{
    size_t i;
    const json_t *it;
    char d[256];
    json_array_foreach(items, i, it) {
        const char *a = json_string_value(json_object_get(it, key));
        const char *b = json_string_value(json_object_get(it, "suggestion"));
        snprintf(d, sizeof(d), fmt, a ? a : "", b ? b : "");
        ev_add(ev, words, json_number_value(json_object_get(it, "start")),
               json_number_value(json_object_get(it, "end")), d);
    }
}

/* Per-second video entries whose field lies outside [lo, hi]. */
static void ev_seconds(json_t *ev, const json_t *vm, const char *field, double lo, double hi)
{
    size_t i;
    const json_t *s;
    char d[128];
    json_array_foreach(json_object_get(vm, "seconds"), i, s) {
        double v, t = json_number_value(json_object_get(s, "t"));
        const char *names[] = {field, NULL};
        if (!vm_value(s, names, &v) || (v >= lo && v <= hi))
            continue;
        snprintf(d, sizeof(d), "%s %.1f", field, v);
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

/* Measures criterion name; returns 1 with e->value, 0 with e->why. */
static int crit_measure(const score_input *in, const char *name, const json_t *c, crit_eval *e)
{
    const json_t *tm = in->text_metrics, *vm = in->video_metrics, *w = in->words;
    const json_t *summary = json_object_get(vm, "summary");
    double gmin = 0, gmax = 1e300, words = (double)json_integer_value(json_object_get(tm, "word_count"));
    char d[256];
    num(c, "good_min", &gmin);
    num(c, "good_max", &gmax);
    e->evidence = json_array();
    if (strcmp(name, "pace_wpm") == 0) {
        if (!num(tm, "wpm", &e->value))
            return (e->why = "no pace was measured"), 0;
        size_t i;
        const json_t *win;
        json_array_foreach(json_object_get(tm, "pace_windows"), i, win) {
            double r = json_number_value(json_object_get(win, "wpm"));
            if (json_integer_value(json_object_get(win, "words")) == 0 || (r >= gmin && r <= gmax))
                continue;
            snprintf(d, sizeof(d), "%.0f words per minute here", r);
            ev_add(e->evidence, w, json_number_value(json_object_get(win, "start")),
                   json_number_value(json_object_get(win, "end")), d);
        }
        return 1;
    }
    if (strcmp(name, "fillers_per_100_words") == 0) {
        if (!num(tm, "fillers_per_100_words", &e->value))
            return (e->why = "no filler count"), 0;
        ev_items(e->evidence, w, json_object_get(tm, "fillers"), "word", "filler \"%s\"%.0s");
        return 1;
    }
    if (strcmp(name, "long_pauses_per_minute") == 0) {
        double speaking;
        const json_t *lp = tm_get(in, "pauses", "long");
        if (!num(tm, "speaking_s", &speaking) || speaking <= 0 || !json_is_array(lp))
            return (e->why = "no pauses measured"), 0;
        e->value = (double)json_array_size(lp) / speaking * 60.0;
        size_t i;
        const json_t *p;
        json_array_foreach(lp, i, p) {
            snprintf(d, sizeof(d), "%.1f s pause", json_number_value(json_object_get(p, "duration_s")));
            ev_add(e->evidence, w, json_number_value(json_object_get(p, "start")),
                   json_number_value(json_object_get(p, "end")), d);
        }
        return 1;
    }
    if (strcmp(name, "hedges_per_100_words") == 0) {
        if (!num(tm_get(in, "hedges", NULL), "per_100_words", &e->value))
            return (e->why = "no hedge count"), 0;
        ev_items(e->evidence, w, tm_get(in, "hedges", "items"), "phrase", "hedge \"%s\"%.0s");
        return 1;
    }
    if (strcmp(name, "talking_points_covered") == 0) {
        if (!num(in->relevance, "covered_share", &e->value))
            return (e->why = "the question has no talking points in the bank"), 0;
        size_t i;
        const json_t *p;
        json_array_foreach(json_object_get(in->relevance, "talking_points"), i, p) {
            if (json_is_true(json_object_get(p, "covered")))
                continue;
            snprintf(d, sizeof(d), "not covered: %s", json_string_value(json_object_get(p, "text")));
            ev_add(e->evidence, NULL, 0, in->duration_s, d);
        }
        return 1;
    }
    if (strcmp(name, "question_similarity") == 0) {
        if (!num(in->relevance, "similarity", &e->value))
            return (e->why = "no question to compare with"), 0;
        snprintf(d, sizeof(d), "TF-IDF similarity %.2f between the answer and the question", e->value);
        ev_add(e->evidence, NULL, 0, in->duration_s, d);
        return 1;
    }
    if (strcmp(name, "star_parts") == 0) {
        const json_t *star = tm_get(in, "star", NULL);
        if (json_is_true(json_object_get(c, "behavioural_only")) && !in->behavioural)
            return (e->why = "not a behavioural question"), 0;
        if (!json_is_object(star))
            return (e->why = "no structure measured"), 0;
        e->value = (double)json_integer_value(json_object_get(star, "present"));
        static const char *const keys[] = {"situation", "task", "action", "result"};
        for (int k = 0; k < 4; k++) {
            const json_t *part = json_object_get(star, keys[k]);
            const json_t *cue = json_array_get(json_object_get(part, "cues"), 0);
            if (cue) {
                snprintf(d, sizeof(d), "%s starts with \"%s\"", keys[k],
                         json_string_value(json_object_get(cue, "cue")));
                ev_add(e->evidence, w, json_number_value(json_object_get(cue, "start")),
                       json_number_value(json_object_get(cue, "end")), d);
            } else {
                snprintf(d, sizeof(d), "no %s found", keys[k]);
                ev_add(e->evidence, NULL, 0, in->duration_s, d);
            }
        }
        return 1;
    }
    if (strcmp(name, "quantified_results") == 0 || strcmp(name, "action_verbs_per_100_words") == 0) {
        int q = name[0] == 'q';
        const json_t *m = tm_get(in, q ? "quantified" : "action_verbs", NULL);
        if (!json_is_object(m))
            return (e->why = "not measured"), 0;
        e->value = q ? (double)json_integer_value(json_object_get(m, "count"))
                     : json_number_value(json_object_get(m, "per_100_words"));
        ev_items(e->evidence, w, json_object_get(m, "items"), "word", "\"%s\"%.0s");
        if (json_array_size(json_object_get(m, "items")) == 0)
            ev_add(e->evidence, NULL, 0, in->duration_s,
                   q ? "no number, percentage or amount in the whole answer"
                     : "no strong action verb in the whole answer");
        return 1;
    }
    if (strcmp(name, "vocabulary_mattr") == 0) {
        if (!num(tm_get(in, "vocabulary", NULL), "mattr", &e->value) || words < 10)
            return (e->why = "too few words to judge vocabulary"), 0;
        size_t i;
        const json_t *t;
        json_array_foreach(tm_get(in, "top_words", NULL), i, t) {
            if (json_integer_value(json_object_get(t, "count")) < 3)
                continue;
            double s = json_number_value(json_object_get(t, "first_s"));
            snprintf(d, sizeof(d), "\"%s\" said %lld times", json_string_value(json_object_get(t, "word")),
                     (long long)json_integer_value(json_object_get(t, "count")));
            ev_add(e->evidence, NULL, s, s, d);
        }
        return 1;
    }
    if (strcmp(name, "sentence_max_words") == 0) {
        const json_t *s = tm_get(in, "sentences", NULL);
        if (!num(s, "max_words", &e->value) || words == 0)
            return (e->why = "no sentences"), 0;
        size_t i;
        const json_t *it;
        json_array_foreach(json_object_get(s, "items"), i, it) {
            if (json_number_value(json_object_get(it, "words")) <= gmax)
                continue;
            snprintf(d, sizeof(d), "a sentence of %lld words",
                     (long long)json_integer_value(json_object_get(it, "words")));
            ev_add(e->evidence, w, json_number_value(json_object_get(it, "start")),
                   json_number_value(json_object_get(it, "end")), d);
        }
        return 1;
    }
    if (strcmp(name, "noninclusive_terms") == 0) {
        const json_t *m = tm_get(in, "noninclusive", NULL);
        if (!json_is_object(m))
            return (e->why = "not measured"), 0;
        e->value = (double)json_integer_value(json_object_get(m, "count"));
        ev_items(e->evidence, w, json_object_get(m, "items"), "term", "\"%s\": consider \"%s\"");
        return 1;
    }
    if (strcmp(name, "brightness") == 0 || strcmp(name, "motion") == 0) {
        int b = name[0] == 'b';
        const char *names[] = {b ? "mean_brightness" : "mean_motion", NULL};
        if (!vm_value(summary, names, &e->value))
            return (e->why = "not in the video metrics"), 0;
        ev_seconds(e->evidence, vm, name, b ? gmin : -1e300, gmax);
        return 1;
    }
    if (strcmp(name, "face_present_ratio") == 0 || strcmp(name, "facing_camera_ratio") == 0) {
        int f = strcmp(name, "face_present_ratio") == 0;
        const char *face[] = {"face_present_ratio", "face_present", "face_ratio", NULL};
        const char *facing[] = {"facing_camera_ratio", "facing_camera", NULL};
        /* Judged metrics live in video_metrics.on_camera ({value, valid, ...}). */
        if (!vm_value(summary, f ? face : facing, &e->value) &&
            !vm_value(json_object_get(vm, "on_camera"), f ? face : facing, &e->value))
            return (e->why = "not in the video metrics"), 0;
        snprintf(d, sizeof(d), "%s %.2f over the recording", name, e->value);
        ev_add(e->evidence, NULL, 0, in->duration_s, d);
        return 1;
    }
    e->why = "unknown criterion";
    return 0;
}

static const char *crit_advice(const char *name, int low)
{
    static const struct { const char *name, *low, *high; } A[] = {
        {"pace_wpm", "You spoke slowly; aim for a steady conversational pace.",
         "You spoke fast; slow down and let key points land."},
        {"fillers_per_100_words", "", "Cut filler words: pause silently instead."},
        {"long_pauses_per_minute", "", "Long silences broke the flow; outline your answer before you start."},
        {"hedges_per_100_words", "", "Hedging weakens your claims; state what you did plainly."},
        {"talking_points_covered", "Cover the points the question expects.", ""},
        {"question_similarity", "Your answer drifted from the question; use its key words and answer it directly.", ""},
        {"star_parts", "Structure the story: Situation, Task, Action, Result.", ""},
        {"quantified_results", "Quantify your result with a number or percentage.", ""},
        {"action_verbs_per_100_words", "Say what you did with strong action verbs (led, built, reduced).", ""},
        {"vocabulary_mattr", "You repeated the same words; vary your vocabulary.", ""},
        {"sentence_max_words", "", "Break long sentences into shorter ones."},
        {"noninclusive_terms", "", "Prefer inclusive terms."},
        {"brightness", "Your picture is dark; add light in front of you.",
         "Your picture is overexposed; reduce light behind or on you."},
        {"motion", "", "There was a lot of movement; keep the camera and yourself steady."},
        {"face_present_ratio", "Your face was often out of the frame; centre yourself.", ""},
        {"facing_camera_ratio", "Look towards the camera more often.", ""},
    };
    for (size_t i = 0; i < sizeof(A) / sizeof(A[0]); i++)
        if (strcmp(A[i].name, name) == 0)
            return low ? A[i].low : A[i].high;
    return "";
}

static json_t *tip_make(const char *part, const char *name, const json_t *c, const crit_eval *e,
                        double s, double lost)
{
    double gmin = 0;
    int low = num(c, "good_min", &gmin) && e->value < gmin;
    char msg[512], range[128] = "";
    const json_t *a = json_object_get(c, "good_min"), *b = json_object_get(c, "good_max");
    if (a && b)
        snprintf(range, sizeof(range), "between %g and %g", json_number_value(a), json_number_value(b));
    else if (a)
        snprintf(range, sizeof(range), "at least %g", json_number_value(a));
    else if (b)
        snprintf(range, sizeof(range), "at most %g", json_number_value(b));
    snprintf(msg, sizeof(msg), "%s (%s was %.2f; the rubric wants %s.)", crit_advice(name, low), name,
             e->value, range);
    json_t *t = json_pack("{s:s, s:s, s:f, s:f, s:s, s:O, s:f}", "part", part, "metric", name, "value",
                          round(e->value * 1000) / 1000, "score", round(s), "message", msg,
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
        return has_video ? NULL : "The recording has no picture, so on-camera presence is not scored.";
    if (!has_audio) {
        *forced = 0;
        return "The recording has no sound, so the answer scores 0 for delivery and content.";
    }
    if (!in->text_metrics || words == 0) {
        *forced = 0;
        return "No speech was found, so the answer scores 0 for delivery and content.";
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
            crit_eval e = {0};
            double w = json_number_value(json_object_get(c, "weight"));
            if (!crit_measure(in, k, c, &e)) {
                json_array_append_new(crits, json_pack("{s:s, s:n, s:s}", "metric", k, "score", "reason", e.why));
                json_decref(e.evidence);
                continue;
            }
            double s = score_criterion(c, e.value);
            cw += w;
            cs += w * s;
            json_array_append_new(crits, json_pack("{s:s, s:f, s:f, s:f}", "metric", k, "value",
                                                   round(e.value * 1000) / 1000, "score", round(s),
                                                   "weight", w));
            if (s < 100)
                json_array_append_new(all, tip_make(PARTS[p], k, c, &e, s, pw * w * (100 - s)));
            json_decref(e.evidence);
        }
        json_object_set_new(out, "criteria", crits);
        double ps = forced >= 0 ? forced : (cw > 0 ? cs / cw : -1);
        if (why)
            json_object_set_new(out, "reason", json_string(why));
        else if (cw <= 0)
            json_object_set_new(out, "reason", json_string("None of this part's metrics could be measured."));
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
        json_array_append_new(notes, json_pack("s", "The answer is short, so its delivery scores are less reliable."));
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
        ev_add(ev, NULL, 0, in->duration_s, "0 words recognised");
        json_array_append_new(tips, json_pack("{s:s, s:s, s:i, s:s, s:o}", "part", "delivery", "metric",
                                              "word_count", "value", 0, "message",
                                              "We heard no answer: check that your microphone works and speak up.",
                                              "evidence", ev));
    }
    int ok = score && tips && v;
    free(v);
    json_decref(all);
    *score_out = score;
    *tips_out = tips;
    return ok ? 0 : -1;
}
