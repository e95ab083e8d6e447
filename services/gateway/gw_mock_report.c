#include "gw_mock_report.h"

#include <math.h>
#include <string.h>

/* A member, or JSON null when it is missing: json_pack's "O" takes no NULL. */
static json_t *mock_field(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return v ? v : json_null();
}

static int mock_num(const json_t *v, double *out)
{
    if (!json_is_number(v))
        return 0;
    *out = json_number_value(v);
    return 1;
}

static int mock_is_complete(const json_t *a)
{
    double d;
    const char *status = json_string_value(mock_field(a, "status"));
    return status && strcmp(status, "complete") == 0 &&
           mock_num(mock_field(mock_field(a, "score"), "overall"), &d);
}

/* {"delivery": 89, ...}: each part's score of a report's score object. */
static json_t *mock_part_scores(const json_t *score)
{
    json_t *out = json_object();
    const char *name;
    json_t *part;
    json_object_foreach(mock_field(score, "parts"), name, part) {
        double d;
        json_object_set_new(out, name, mock_num(mock_field(part, "score"), &d) ? json_real(d) : json_null());
    }
    return out;
}

/* Means of the overall score and of each part over the complete answers. */
static void mock_means(const json_t *answers, json_t *out)
{
    double sum = 0;
    int n = 0;
    size_t i;
    const json_t *a;
    json_t *psum = json_object(), *pn = json_object(), *parts = json_object();
    json_array_foreach(answers, i, a) {
        if (!mock_is_complete(a))
            continue;
        const json_t *score = mock_field(a, "score");
        sum += json_number_value(mock_field(score, "overall"));
        n++;
        const char *name;
        json_t *part;
        json_object_foreach(mock_field(score, "parts"), name, part) {
            double d;
            if (!mock_num(mock_field(part, "score"), &d))
                continue;
            json_object_set_new(psum, name, json_real(json_number_value(mock_field(psum, name)) + d));
            json_object_set_new(pn, name, json_integer(json_integer_value(mock_field(pn, name)) + 1));
        }
    }
    const char *name;
    json_t *v;
    json_object_foreach(psum, name, v)
        json_object_set_new(parts, name, json_real(round(json_real_value(v) /
                                                         (double)json_integer_value(mock_field(pn, name)))));
    json_object_set_new(out, "overall", n ? json_real(round(sum / n)) : json_null());
    json_object_set_new(out, "parts", parts);
    json_decref(psum);
    json_decref(pn);
}

static json_t *mock_delta(double first, double last)
{
    return json_pack("{s:f, s:f, s:f}", "first", first, "last", last, "delta", last - first);
}

/* The criteria of a score object by metric: {"pace_wpm": {"part", "value", "score"}}. */
static json_t *mock_criteria(const json_t *score)
{
    json_t *out = json_object();
    const char *name;
    json_t *part, *c;
    size_t i;
    json_object_foreach(mock_field(score, "parts"), name, part) {
        json_array_foreach(mock_field(part, "criteria"), i, c) {
            const char *metric = json_string_value(mock_field(c, "metric"));
            double s;
            if (metric && mock_num(mock_field(c, "score"), &s))
                json_object_set_new(out, metric, json_pack("{s:s, s:O, s:f}", "part", name, "value",
                                                           mock_field(c, "value") ? mock_field(c, "value")
                                                                                       : json_null(),
                                                           "score", s));
        }
    }
    return out;
}

/* qsort comparators: the largest value of one member first. */
static int mock_desc_by(const void *a, const void *b, const char *key)
{
    double da = json_real_value(mock_field(*(json_t *const *)a, key));
    double db = json_real_value(mock_field(*(json_t *const *)b, key));
    return (db > da) - (db < da);
}

static int mock_by_delta_desc(const void *a, const void *b)
{
    return mock_desc_by(a, b, "delta_score");
}

static int mock_by_lost_desc(const void *a, const void *b)
{
    return mock_desc_by(a, b, "points_lost");
}

#define MOCK_CRITERIA_MAX 64

/* From the first complete answer to the last: the overall score, each part,
 * and the criteria whose score moved by MOCK_CHANGE_MIN or more (improved:
 * the largest gains first; dropped: the largest losses first). */
static json_t *mock_change(const json_t *first, const json_t *last)
{
    const json_t *fs = mock_field(first, "score"), *ls = mock_field(last, "score");
    json_t *fc = mock_criteria(fs), *lc = mock_criteria(ls), *moved[MOCK_CRITERIA_MAX];
    json_t *improved = json_array(), *dropped = json_array(), *parts = json_object();
    json_t *fp = mock_part_scores(fs), *lp = mock_part_scores(ls);
    size_t n = 0;
    const char *key;
    json_t *f;
    json_object_foreach(fc, key, f) {
        json_t *l = json_object_get(lc, key);
        if (!l || n == MOCK_CRITERIA_MAX)
            continue;
        double d = json_real_value(mock_field(l, "score")) - json_real_value(mock_field(f, "score"));
        if (fabs(d) >= MOCK_CHANGE_MIN)
            moved[n++] = json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:f}", "metric", key, "part",
                                   mock_field(f, "part"), "first_value", mock_field(f, "value"),
                                   "last_value", mock_field(l, "value"), "first_score",
                                   mock_field(f, "score"), "last_score", mock_field(l, "score"),
                                   "delta_score", d);
    }
    qsort(moved, n, sizeof(moved[0]), mock_by_delta_desc);
    for (size_t i = 0; i < n && json_array_size(improved) < MOCK_CHANGES_MAX; i++)
        if (json_real_value(mock_field(moved[i], "delta_score")) > 0)
            json_array_append(improved, moved[i]);
    for (size_t i = n; i-- > 0 && json_array_size(dropped) < MOCK_CHANGES_MAX;)
        if (json_real_value(mock_field(moved[i], "delta_score")) < 0)
            json_array_append(dropped, moved[i]);
    for (size_t i = 0; i < n; i++)
        json_decref(moved[i]);
    json_t *v;
    json_object_foreach(fp, key, v) {
        json_t *l = json_object_get(lp, key);
        if (json_is_number(v) && json_is_number(l))
            json_object_set_new(parts, key, mock_delta(json_number_value(v), json_number_value(l)));
    }
    json_t *out = json_pack("{s:O, s:O, s:o, s:o, s:o, s:o}", "from_position", mock_field(first, "position"),
                            "to_position", mock_field(last, "position"), "overall",
                            mock_delta(json_number_value(mock_field(fs, "overall")),
                                       json_number_value(mock_field(ls, "overall"))),
                            "parts", parts, "improved", improved, "dropped", dropped);
    json_decref(fc);
    json_decref(lc);
    json_decref(fp);
    json_decref(lp);
    return out;
}

/* The tips that cost the most points across the complete answers, grouped by
 * criterion: the latest answer's wording, how many answers it came up in, and
 * the first moment of each. */
static json_t *mock_top_tips(const json_t *answers)
{
    json_t *by = json_object(), *list[MOCK_CRITERIA_MAX], *top = json_array();
    size_t n = 0, i, j;
    const json_t *a, *tip;
    json_array_foreach(answers, i, a) {
        if (!mock_is_complete(a))
            continue;
        json_array_foreach(mock_field(a, "tips"), j, tip) {
            const char *metric = json_string_value(mock_field(tip, "metric"));
            double lost = 0;
            if (!metric || !mock_num(mock_field(tip, "points_lost"), &lost))
                continue;
            json_t *g = json_object_get(by, metric);
            if (!g) {
                if (n == MOCK_CRITERIA_MAX)
                    continue;
                g = list[n++] = json_pack("{s:s, s:O, s:f, s:i, s:[]}", "metric", metric, "part",
                                          mock_field(tip, "part"), "points_lost", 0.0, "answers", 0, "moments");
                json_object_set(by, metric, g);
            }
            json_object_set_new(g, "points_lost",
                                json_real(json_real_value(mock_field(g, "points_lost")) + lost));
            json_object_set_new(g, "answers", json_integer(json_integer_value(mock_field(g, "answers")) + 1));
            json_object_set(g, "message", mock_field(tip, "message"));
            const json_t *ev = json_array_get(mock_field(tip, "evidence"), 0);
            json_array_append_new(mock_field(g, "moments"),
                                  json_pack("{s:O, s:O, s:O, s:O}", "position", mock_field(a, "position"),
                                            "interview_id", mock_field(a, "interview_id"), "start",
                                            mock_field(ev, "start"), "end", mock_field(ev, "end")));
        }
    }
    qsort(list, n, sizeof(list[0]), mock_by_lost_desc);
    for (i = 0; i < n; i++) {
        if (i < MOCK_TOP_TIPS) {
            json_object_set_new(list[i], "points_lost",
                                json_real(round(json_real_value(mock_field(list[i], "points_lost")) * 10) / 10));
            json_array_append(top, list[i]);
        }
        json_decref(list[i]);
    }
    json_decref(by);
    return top;
}

json_t *mock_report_build(const json_t *answers)
{
    json_t *out = json_object(), *rows = json_array();
    const json_t *a, *first = NULL, *last = NULL;
    size_t i;
    int answered = 0, complete = 0, processing = 0, failed = 0;
    json_array_foreach(answers, i, a) {
        const char *status = json_string_value(mock_field(a, "status"));
        int done = mock_is_complete(a);
        answered += json_is_string(mock_field(a, "interview_id"));
        complete += done;
        failed += status && strcmp(status, "failed") == 0;
        processing += status && !done && strcmp(status, "failed") != 0;
        if (done) {
            first = first ? first : a;
            last = a;
        }
        const json_t *score = mock_field(a, "score");
        json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o}",
                                              "position", mock_field(a, "position"),
                                              "question_id", mock_field(a, "question_id"),
                                              "question", mock_field(a, "question"),
                                              "interview_id", mock_field(a, "interview_id"),
                                              "status", mock_field(a, "status"),
                                              "failure_reason", mock_field(a, "failure_reason"),
                                              "overall", done ? mock_field(score, "overall") : json_null(),
                                              "parts", done ? mock_part_scores(score) : json_object()));
    }
    json_object_set_new(out, "questions", json_integer((json_int_t)json_array_size(answers)));
    json_object_set_new(out, "answered", json_integer(answered));
    json_object_set_new(out, "complete", json_integer(complete));
    json_object_set_new(out, "processing", json_integer(processing));
    json_object_set_new(out, "failed", json_integer(failed));
    mock_means(answers, out);
    json_object_set_new(out, "answers", rows);
    json_object_set_new(out, "change", complete >= 2 ? mock_change(first, last) : json_null());
    json_object_set_new(out, "top_tips", mock_top_tips(answers));
    return out;
}
