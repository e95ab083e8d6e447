#include "report_score.h"

#include "report_criteria.h"
#include "report_msgs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORE_MAX_TIPS 8

static const char *const PARTS[] = {"delivery", "content", "on_camera", NULL};

static const crit_def *crit_find(const char *name);
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
            const crit_def *def = crit_find(k);
            if (!def) {
                char known[1024];
                crit_names(known, sizeof(known));
                snprintf(err, errlen, "rubric criterion %s.%s is not one the result-writer measures (it measures %s)",
                         PARTS[p], k, known);
                return -1;
            }
            const json_t *fb = json_object_get(c, "fallback_for");
            if (fb && (!json_is_string(fb) || !json_object_get(crit, json_string_value(fb)))) {
                snprintf(err, errlen, "rubric criterion %s.%s: fallback_for names no criterion of the part",
                         PARTS[p], k);
                return -1;
            }
            /* a bound on a side that has no advice would give a tip with nothing to say */
            const char *side = json_object_get(c, "good_min") && !def->advice_low   ? "good_min"
                               : json_object_get(c, "good_max") && !def->advice_high ? "good_max"
                                                                                     : NULL;
            if (side) {
                snprintf(err, errlen, "rubric criterion %s.%s has %s, but %s is never wrong on that side",
                         PARTS[p], k, side, k);
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

int score_rubric_check_msgs(const json_t *rubric, const json_t *msgs, const char *catalog, char *err,
                            size_t errlen)
{
    const json_t *parts = json_object_get(rubric, "parts");
    for (int p = 0; PARTS[p]; p++) {
        const char *k;
        json_t *c;
        json_object_foreach(json_object_get(json_object_get(parts, PARTS[p]), "criteria"), k, c) {
            const crit_def *def = crit_find(k);
            char measure[96];
            snprintf(measure, sizeof(measure), "measure.%s", k);
            const char *need[] = {json_object_get(c, "good_min") && def ? def->advice_low : NULL,
                                  json_object_get(c, "good_max") && def ? def->advice_high : NULL,
                                  def && def->vm ? measure : NULL};
            for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
                if (need[i] && !json_is_string(json_object_get(msgs, need[i]))) {
                    snprintf(err, errlen, "%s lacks the text \"%s\" that the rubric's %s.%s needs", catalog,
                             need[i], PARTS[p], k);
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

double score_criterion(const json_t *c, double v)
{
    double gmin, gmax, z;
    if (crit_num(c, "good_min", &gmin) && v < gmin) {
        if (!crit_num(c, "zero_min", &z) || z >= gmin)
            return 0.0;
        return fmax(0.0, 100.0 * (v - z) / (gmin - z));
    }
    if (crit_num(c, "good_max", &gmax) && v > gmax) {
        if (!crit_num(c, "zero_max", &z) || z <= gmax)
            return 0.0;
        return fmax(0.0, 100.0 * (z - v) / (z - gmax));
    }
    return 100.0;
}

static const json_t *tm_get(const score_input *in, const char *a, const char *b)
{
    const json_t *x = json_object_get(in->text_metrics, a);
    return b ? json_object_get(x, b) : x;
}

#define WHY(key) ((e->why = report_msg_raw(in->msgs, key)), 0)

static int m_pace(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    const json_t *tm = in->text_metrics, *cat = in->msgs, *win;
    double gmin = crit_bound(c, "good_min", 0), gmax = crit_bound(c, "good_max", 1e300);
    char d[256], nb[32];
    size_t i;
    (void)def;
    if (!crit_num(tm, "wpm", &e->value))
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

static int m_fillers(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    (void)def;
    (void)c;
    if (!crit_num(in->text_metrics, "fillers_per_100_words", &e->value))
        return WHY("why.no_fillers");
    ev_items(in->msgs, e->evidence, in->words, json_object_get(in->text_metrics, "fillers"), "word",
             "evidence.filler");
    return 1;
}

static int m_long_pauses(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    double speaking;
    char d[256], nb[32];
    size_t i;
    const json_t *p, *lp = tm_get(in, "pauses", "long");
    (void)def;
    (void)c;
    if (!crit_num(in->text_metrics, "speaking_s", &speaking) || speaking <= 0 || !json_is_array(lp))
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

static int m_hedges(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    (void)def;
    (void)c;
    if (!crit_num(tm_get(in, "hedges", NULL), "per_100_words", &e->value))
        return WHY("why.no_hedges");
    ev_items(in->msgs, e->evidence, in->words, tm_get(in, "hedges", "items"), "phrase", "evidence.hedge");
    return 1;
}

static int m_talking_points(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    char d[256];
    size_t i;
    const json_t *p;
    (void)def;
    (void)c;
    if (!crit_num(in->relevance, "covered_share", &e->value))
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

/* Relevance by meaning (relevance.semantic, sentence embeddings): the
 * answer's closest sentence to the question is the moment. */
static int m_semantic(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    const json_t *sem = json_object_get(in->relevance, "semantic"), *best = json_object_get(sem, "best_sentence");
    char d[256], nb[32];
    double at = 0, v;
    (void)def;
    (void)c;
    if (!crit_num(sem, "similarity", &e->value))
        return WHY("why.no_meaning");
    int moment = crit_num(best, "similarity", &v) && crit_num(best, "start", &at);
    report_num(in->msgs, moment ? v : e->value, 2, nb, sizeof(nb));
    report_msg(in->msgs, moment ? "moment.semantic_similarity" : "measure.semantic_similarity", d, sizeof(d),
               "value", nb, NULL);
    ev_add(e->evidence, moment ? in->words : NULL, at, moment ? at : in->duration_s, d);
    return 1;
}

/* The words' relevance (TF-IDF); with "fallback_for" naming a criterion
 * measured by meaning, only when meaning could not be measured. */
static int m_similarity(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    char d[256], nb[32];
    double sem;
    (void)def;
    if (json_is_string(json_object_get(c, "fallback_for")) &&
        crit_num(json_object_get(in->relevance, "semantic"), "similarity", &sem))
        return WHY("why.measured_by_meaning");
    if (!crit_num(in->relevance, "similarity", &e->value))
        return WHY("why.no_question");
    report_num(in->msgs, e->value, 2, nb, sizeof(nb));
    report_msg(in->msgs, "evidence.similarity", d, sizeof(d), "value", nb, NULL);
    ev_add(e->evidence, NULL, 0, in->duration_s, d);
    return 1;
}

static int m_star(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    static const char *const keys[] = {"situation", "task", "action", "result"};
    static const char *const names[] = {"star.situation", "star.task", "star.action", "star.result"};
    const json_t *star = tm_get(in, "star", NULL), *cat = in->msgs;
    char d[256];
    (void)def;
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
static int m_quoted(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    int q = strcmp(def->name, "quantified_results") == 0;
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

static int m_vocabulary(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    char d[256], nb[32];
    size_t i;
    const json_t *t;
    (void)def;
    (void)c;
    if (!crit_num(tm_get(in, "vocabulary", NULL), "mattr", &e->value) ||
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

static int m_sentences(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    const json_t *s = tm_get(in, "sentences", NULL), *it;
    double gmax = crit_bound(c, "good_max", 1e300);
    char d[256], nb[32];
    size_t i;
    (void)def;
    if (!crit_num(s, "max_words", &e->value) || json_integer_value(json_object_get(in->text_metrics, "word_count")) == 0)
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

static int m_noninclusive(const score_input *in, const crit_def *def, const json_t *c, crit_eval *e)
{
    const json_t *m = tm_get(in, "noninclusive", NULL);
    (void)def;
    (void)c;
    if (!json_is_object(m))
        return WHY("why.not_measured");
    e->value = (double)json_integer_value(json_object_get(m, "count"));
    ev_items(in->msgs, e->evidence, in->words, json_object_get(m, "items"), "term", "evidence.noninclusive");
    return 1;
}

#undef WHY

/* Where the video-metrics criteria find their values and moments. */
static const vm_source VM_BRIGHTNESS = {"summary", "mean_brightness", "seconds", "brightness", .decimals = 0};
static const vm_source VM_MOTION = {"summary", "mean_motion", "seconds", "motion", .decimals = 1};
static const vm_source VM_FACE = {"on_camera", "face_present", "seconds", "face", .scale = 100};
static const vm_source VM_FACING = {"on_camera", "facing_camera", "seconds", "facing", .scale = 100};
static const vm_source VM_CENTRING = {"on_camera", "centring", "seconds", "offset", .scale = 100};
static const vm_source VM_SIZE = {"on_camera", "face_size", "seconds", "face_size", .scale = 100};
static const vm_source VM_FACES = {"on_camera", "multiple_faces", "seconds", "faces", .fixed = 1,
                                   .lo = 0, .hi = 1, .scale = 100, .item_scale = 1};
static const vm_source VM_SHARP = {"on_camera", "sharpness", "seconds", "sharpness", .decimals = 0};
static const vm_source VM_FROZEN = {"on_camera", "frozen_video", "seconds", "frozen", .fixed = 1,
                                    .lo = 0, .hi = 0, .decimals = 1};
static const vm_source VM_HEAD = {"on_camera", "head_movement", "seconds", "head_movement", .decimals = 2};
static const vm_source VM_BODY = {"on_camera", "body_motion", "seconds", "body_motion", .decimals = 1};
static const vm_source VM_PITCH = {"voice", "pitch_variation", "windows", "value", .decimals = 1};
static const vm_source VM_LOUD = {"voice", "loudness", "seconds", "loudness", .decimals = 0, .speech_only = 1};
static const vm_source VM_CLIP = {"voice", "clipping", "list", NULL, .scale = 100, .decimals = 1};
static const vm_source VM_RANGE = {"voice", "loudness_range", NULL, NULL, .decimals = 0};
static const vm_source VM_PAUSE = {"voice", "pauses", "list", "@duration", .decimals = 1};

#define LOW(n) "advice." n ".low"
#define HIGH(n) "advice." n ".high"

/* Every criterion a rubric may name: its measure and the advice for a value
 * below and above the good range (NULL: that side cannot be wrong). A rubric
 * naming another criterion, or a bound whose advice is missing, is refused
 * when it is loaded; a catalog lacking an advice text is refused at start. */
static const crit_def CRITERIA[] = {
    {"pace_wpm", m_pace, LOW("pace_wpm"), HIGH("pace_wpm"), NULL},
    {"fillers_per_100_words", m_fillers, NULL, HIGH("fillers_per_100_words"), NULL},
    {"long_pauses_per_minute", m_long_pauses, NULL, HIGH("long_pauses_per_minute"), NULL},
    {"hedges_per_100_words", m_hedges, NULL, HIGH("hedges_per_100_words"), NULL},
    {"pitch_variation_st", m_vm, LOW("pitch_variation_st"), NULL, &VM_PITCH},
    {"loudness_lufs", m_vm, LOW("loudness_lufs"), HIGH("loudness_lufs"), &VM_LOUD},
    {"clipping_share", m_vm, NULL, HIGH("clipping_share"), &VM_CLIP},
    {"loudness_range_lu", m_vm, NULL, HIGH("loudness_range_lu"), &VM_RANGE},
    {"longest_pause_s", m_vm, NULL, HIGH("longest_pause_s"), &VM_PAUSE},
    {"talking_points_covered", m_talking_points, LOW("talking_points_covered"), NULL, NULL},
    {"semantic_similarity", m_semantic, LOW("semantic_similarity"), NULL, NULL},
    {"question_similarity", m_similarity, LOW("question_similarity"), NULL, NULL},
    {"star_parts", m_star, LOW("star_parts"), NULL, NULL},
    {"quantified_results", m_quoted, LOW("quantified_results"), NULL, NULL},
    {"action_verbs_per_100_words", m_quoted, LOW("action_verbs_per_100_words"), NULL, NULL},
    {"vocabulary_mattr", m_vocabulary, LOW("vocabulary_mattr"), NULL, NULL},
    {"sentence_max_words", m_sentences, NULL, HIGH("sentence_max_words"), NULL},
    {"noninclusive_terms", m_noninclusive, NULL, HIGH("noninclusive_terms"), NULL},
    {"brightness", m_vm, LOW("brightness"), HIGH("brightness"), &VM_BRIGHTNESS},
    {"motion", m_vm, NULL, HIGH("motion"), &VM_MOTION},
    {"face_present_ratio", m_vm, LOW("face_present_ratio"), NULL, &VM_FACE},
    {"facing_camera_ratio", m_vm, LOW("facing_camera_ratio"), NULL, &VM_FACING},
    {"centring", m_vm, NULL, HIGH("centring"), &VM_CENTRING},
    {"face_size", m_vm, LOW("face_size"), HIGH("face_size"), &VM_SIZE},
    {"multiple_faces", m_vm, NULL, HIGH("multiple_faces"), &VM_FACES},
    {"sharpness", m_vm, LOW("sharpness"), NULL, &VM_SHARP},
    {"frozen_video_s", m_vm, NULL, HIGH("frozen_video_s"), &VM_FROZEN},
    {"head_movement", m_vm, NULL, HIGH("head_movement"), &VM_HEAD},
    {"body_motion", m_vm, NULL, HIGH("body_motion"), &VM_BODY},
};
#define CRITERIA_COUNT (sizeof(CRITERIA) / sizeof(CRITERIA[0]))

static const crit_def *crit_find(const char *name)
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
static json_t *tip_make(const json_t *cat, const char *part, const crit_def *def, const json_t *c,
                        const crit_eval *e, double s, double lost)
{
    double gmin = 0;
    int low = crit_num(c, "good_min", &gmin) && e->value < gmin;
    const json_t *a = json_object_get(c, "good_min"), *b = json_object_get(c, "good_max");
    const char *advice = low ? def->advice_low : def->advice_high;
    json_t *t = json_pack("{s:s, s:s, s:f, s:f, s:s, s:O, s:f}", "part", part, "metric", def->name, "value",
                          round(e->value * 1000) / 1000, "score", round(s), "message",
                          report_msg_raw(cat, advice ? advice : "why.unknown"), "evidence", e->evidence,
                          "points_lost", round(lost * 10) / 10);
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
    crit_num(in->rubric, "min_words", &min_words);
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
            const crit_def *def = crit_find(k);
            if (!def)
                e.why = report_msg_raw(in->msgs, "why.unknown"); /* a rubric that skipped score_rubric_check */
            if (!def || !def->measure(in, def, c, &e)) {
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
                json_array_append_new(all, tip_make(in->msgs, PARTS[p], def, c, &e, s, pw * w * (100 - s)));
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
