/* talking_points_accuracy DATA_DIR FILE: precision and recall of the
 * result-writer's "covered" decision for each talking point
 * (report_relevance.c, run as the service runs it, with English's stop
 * words and stemmer) against hand labels (bench/content/README.md); each
 * mistake on stderr with the point's coverage; then the same at other
 * coverage thresholds, to show where the fixed one stands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_langs.h"
#include "report_relevance.h"

#define TP_MAX_ANSWERS 256
#define TP_MAX_POINTS 8

typedef struct tp_decision {
    double coverage;
    int labelled;
} tp_decision;

static const json_t *find_question(const json_t *bank, const char *id)
{
    size_t i;
    const json_t *q;
    json_array_foreach(json_object_get(bank, "questions"), i, q) {
        if (strcmp(json_string_value(json_object_get(q, "id")), id) == 0)
            return q;
    }
    return NULL;
}

/* The answer's words as a transcript's: word i from 0.35 i s. */
static json_t *words_of(const char *text)
{
    json_t *words = json_array();
    char buf[8192], *save = NULL;
    double t = 0.0;
    snprintf(buf, sizeof buf, "%s", text);
    for (char *p = strtok_r(buf, " \t\r\n", &save); words && p; p = strtok_r(NULL, " \t\r\n", &save), t += 0.35)
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", p, "start", t, "end", t + 0.3));
    return words;
}

/* One labelled line into d (its points' decisions); returns the points, -1 on error. */
static int score_line(const char *line, const json_t *bank, const relevance_lang *lang, tp_decision *d, FILE *log,
                      char *err, size_t errlen)
{
    char id[64], qid[128], covered[64];
    int n = -1;
    const char *colon = strchr(line, ':');
    if (!colon || sscanf(line, "%63s %127s %63[^:]", id, qid, covered) != 3) {
        snprintf(err, errlen, "not \"<id> <question> <points>: <answer>\": %.60s", line);
        return -1;
    }
    const json_t *q = find_question(bank, qid);
    if (!q) {
        snprintf(err, errlen, "%s: no question %s", id, qid);
        return -1;
    }
    const json_t *points = json_object_get(q, "talking_points");
    json_t *words = words_of(colon + 1);
    json_t *rel = relevance_compute(json_string_value(json_object_get(q, "text")), points, words, lang);
    if (!rel) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    n = (int)json_array_size(points);
    if (n > TP_MAX_POINTS) {
        snprintf(err, errlen, "%s: more than %d points", id, TP_MAX_POINTS);
        n = -1;
        goto out;
    }
    for (int k = 0; k < n; k++)
        d[k].labelled = 0;
    for (char *save = NULL, *t = strtok_r(covered, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int at = atoi(t);
        if (strcmp(t, "-") != 0 && (at < 1 || at > n)) {
            snprintf(err, errlen, "%s: no point \"%s\" in %s", id, t, qid);
            n = -1;
            goto out;
        }
        if (at >= 1)
            d[at - 1].labelled = 1;
    }
    for (int k = 0; k < n; k++) {
        const json_t *p = json_array_get(json_object_get(rel, "talking_points"), (size_t)k);
        d[k].coverage = json_number_value(json_object_get(p, "coverage"));
        int found = json_is_true(json_object_get(p, "covered"));
        if (found != d[k].labelled && log)
            fprintf(log, "%s: \"%s\" %s (coverage %.3f)\n", id, json_string_value(json_object_get(p, "text")),
                    found ? "FALSE covered" : "MISSED", d[k].coverage);
    }
out:
    json_decref(words);
    json_decref(rel);
    return n;
}

static void print_at(const tp_decision *d, size_t n, double threshold, const char *note)
{
    size_t tp = 0, fp = 0, fn = 0, tn = 0;
    for (size_t i = 0; i < n; i++) {
        int found = d[i].coverage >= threshold;
        tp += found && d[i].labelled;
        fp += found && !d[i].labelled;
        fn += !found && d[i].labelled;
        tn += !found && !d[i].labelled;
    }
    printf("%9.2f %5zu %5zu %5zu %5zu %9.3f %7.3f%s\n", threshold, tp, fp, fn, tn,
           tp + fp ? (double)tp / (double)(tp + fp) : 1.0, tp + fn ? (double)tp / (double)(tp + fn) : 1.0, note);
}

int main(int argc, char **argv)
{
    char err[512], line[8192], path[4096];
    report_langs *langs = NULL;
    json_t *bank = NULL;
    FILE *f = NULL;
    static tp_decision d[TP_MAX_ANSWERS * TP_MAX_POINTS];
    size_t nd = 0, answers = 0;
    int rc = 1;
    if (argc != 3) {
        fprintf(stderr, "usage: talking_points_accuracy DATA_DIR FILE\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/en/questions.json", argv[1]);
    json_error_t je;
    if (!(bank = json_load_file(path, 0, &je))) {
        fprintf(stderr, "talking_points_accuracy: %s: %s\n", path, je.text);
        goto out;
    }
    if (report_langs_load(argv[1], &langs, err, sizeof err) != 0) {
        fprintf(stderr, "talking_points_accuracy: %s\n", err);
        goto out;
    }
    size_t en = report_langs_pick(langs, "en");
    const relevance_lang lang = {langs->stopwords[en], langs->suffixes[en]};
    if (!(f = fopen(argv[2], "r"))) {
        fprintf(stderr, "talking_points_accuracy: cannot open %s\n", argv[2]);
        goto out;
    }
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (answers == TP_MAX_ANSWERS) {
            fprintf(stderr, "talking_points_accuracy: more than %d answers\n", TP_MAX_ANSWERS);
            goto out;
        }
        int n = score_line(line, bank, &lang, d + nd, stderr, err, sizeof err);
        if (n < 0) {
            fprintf(stderr, "talking_points_accuracy: %s\n", err);
            goto out;
        }
        nd += (size_t)n;
        answers++;
    }
    printf("%s: %zu answers, %zu talking points\n", argv[2], answers, nd);
    printf("%9s %5s %5s %5s %5s %9s %7s\n", "threshold", "tp", "fp", "fn", "tn", "precision", "recall");
    static const double others[] = {0.2, 0.3, 0.4, 0.6};
    print_at(d, nd, RELEVANCE_POINT_COVERED, "  (the service's)");
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++)
        print_at(d, nd, others[k], "");
    rc = 0;
out:
    if (f)
        fclose(f);
    json_decref(bank);
    report_langs_free(langs);
    return rc;
}
