#include "star_labels.h"

#include "isim_datafile.h"

#include <errno.h>
#include <string.h>

#include "tmetrics.h"

#define STAR_MAX_WORDS 256

static const char *const PART_NAMES[STAR_PARTS] = {"situation", "task", "action", "result"};
static const char PART_LETTERS[] = "STAR";

const char *star_part_name(int part)
{
    return part >= 0 && part < STAR_PARTS ? PART_NAMES[part] : "?";
}

static double ratio(size_t num, size_t den)
{
    return den ? (double)num / (double)den : 1.0;
}

double star_precision(const star_part_counts *p)
{
    return ratio(p->tp, p->tp + p->fp);
}

double star_recall(const star_part_counts *p)
{
    return ratio(p->tp, p->tp + p->fn);
}

double star_cue_precision(const star_part_counts *p)
{
    return ratio(p->cues_inside, p->cues);
}

double star_span_recall(const star_part_counts *p)
{
    return ratio(p->spans_hit, p->spans);
}

/* "[SA]" -> bit mask of the parts (bit c for PART_LETTERS[c]); -1 if p is no marker. */
static int marker_mask(const char *p)
{
    size_t len = strlen(p);
    if (len < 3 || p[0] != '[' || p[len - 1] != ']')
        return -1;
    int mask = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        const char *at = strchr(PART_LETTERS, p[i]);
        if (p[i] == '-')
            continue;
        if (!at || !*at)
            return -1;
        mask |= 1 << (at - PART_LETTERS);
    }
    return mask;
}

/* Compares one part's cues with its labels; mistakes to log. */
static void score_part(int c, const json_t *cues, const int *label, size_t n, const char *id,
                       star_part_counts *pc, FILE *log)
{
    int truth = 0, found = json_array_size(cues) > 0;
    unsigned char hit[STAR_MAX_WORDS] = {0};
    size_t i;
    const json_t *cue;
    for (size_t k = 0; k < n; k++)
        truth |= (label[k] >> c) & 1;
    json_array_foreach(cues, i, cue) {
        json_int_t at = json_integer_value(json_object_get(cue, "index"));
        int inside = at >= 0 && (size_t)at < n && ((label[at] >> c) & 1);
        pc->cues++;
        pc->cues_inside += (size_t)inside;
        if (inside)
            hit[at] = 1;
        else if (log)
            fprintf(log, "%s: %s cue \"%s\" at word %lld outside a %s span\n", id, PART_NAMES[c],
                    json_string_value(json_object_get(cue, "cue")), (long long)at, PART_NAMES[c]);
    }
    /* spans: maximal runs of words labelled with the part */
    for (size_t k = 0; k < n;) {
        if (!((label[k] >> c) & 1)) {
            k++;
            continue;
        }
        int any = 0;
        size_t from = k;
        for (; k < n && ((label[k] >> c) & 1); k++)
            any |= hit[k];
        pc->spans++;
        pc->spans_hit += (size_t)any;
        if (!any && log)
            fprintf(log, "%s: no %s cue inside the %s span at word %zu\n", id, PART_NAMES[c], PART_NAMES[c], from);
    }
    pc->tp += (size_t)(truth && found);
    pc->fp += (size_t)(!truth && found);
    pc->fn += (size_t)(truth && !found);
    if (log && truth != found)
        fprintf(log, "%s: %s %s\n", id, PART_NAMES[c], found ? "FALSE PART (no span labelled)" : "MISSED PART");
}

int star_labels_score(const tm_lexicon *lex, const char *line, star_counts *c, FILE *log, char *err,
                      size_t errlen)
{
    char buf[8192], id[64] = "?", *save = NULL;
    int label[STAR_MAX_WORDS] = {0}, mask = 0, rc = -1;
    size_t n = 0;
    double t = 0.0;
    json_t *words = json_array(), *transcript = NULL, *m = NULL;
    const char *colon = strchr(line, ':');
    if (!words) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (!colon || colon == line || (size_t)(colon - line) >= sizeof id) {
        snprintf(err, errlen, "no \"<id>:\" at the start of \"%.60s\"", line);
        goto out;
    }
    snprintf(id, sizeof id, "%.*s", (int)(colon - line), line);
    snprintf(buf, sizeof buf, "%s", colon + 1);
    for (char *p = strtok_r(buf, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save)) {
        int mk = marker_mask(p);
        if (mk >= 0) {
            mask = mk;
            continue;
        }
        if (n == STAR_MAX_WORDS) {
            snprintf(err, errlen, "%s: more than %d words", id, STAR_MAX_WORDS);
            goto out;
        }
        label[n] = mask;
        if (json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", p, "start", t, "end", t + 0.3)) != 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        t += 0.35;
        n++;
    }
    transcript = json_pack("{s:O}", "words", words);
    if (!transcript) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (tmetrics_compute(lex, transcript, &m, err, errlen) != 0)
        goto out;
    const json_t *star = json_object_get(m, "star");
    for (int p = 0; p < STAR_PARTS; p++)
        score_part(p, json_object_get(json_object_get(star, PART_NAMES[p]), "cues"), label, n, id, &c->part[p],
                   log);
    c->answers++;
    rc = 0;
out:
    json_decref(words);
    json_decref(transcript);
    json_decref(m);
    return rc;
}

typedef struct star_file {
    const tm_lexicon *lex;
    star_counts *c;
    FILE *log;
} star_file;

static int star_labels_line(char *line, void *user, char *err, size_t errlen)
{
    star_file *x = user;
    return star_labels_score(x->lex, line, x->c, x->log, err, errlen) != 0 ? -1 : 0;
}

int star_labels_score_file(const tm_lexicon *lex, const char *path, star_counts *c, FILE *log, char *err,
                           size_t errlen)
{
    star_file x = {lex, c, log};
    return datafile_each_line(path, "the labelled answers", star_labels_line, &x, err, errlen);
}
