#include "filler_labels.h"

#include "isim_datafile.h"

#include <errno.h>
#include <string.h>

#include "tmetrics.h"

#define LABEL_MAX_WORDS 128

int filler_labels_score(const tm_lexicon *lex, const char *utterance, filler_counts *c, FILE *log, char *err,
                        size_t errlen)
{
    char buf[4096], *save = NULL;
    int truth[LABEL_MAX_WORDS] = {0}, found[LABEL_MAX_WORDS] = {0}, rc = -1;
    size_t n = 0;
    double t = 0.0;
    json_t *words = json_array(), *transcript = NULL, *m = NULL;
    snprintf(buf, sizeof buf, "%s", utterance);
    for (char *p = strtok_r(buf, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save)) {
        if (strcmp(p, "/") == 0) {
            t += 0.6;
            continue;
        }
        if (n == LABEL_MAX_WORDS) {
            snprintf(err, errlen, "more than %d words in \"%.60s...\"", LABEL_MAX_WORDS, utterance);
            goto out;
        }
        size_t len = strlen(p);
        if (len > 1 && p[len - 1] == '*') {
            p[len - 1] = '\0';
            truth[n] = 1;
        }
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", p, "start", t, "end", t + 0.3));
        t += 0.35;
        n++;
    }
    transcript = json_pack("{s:O}", "words", words);
    if (tmetrics_compute(lex, transcript, &m, err, errlen) != 0)
        goto out;
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(m, "fillers"), i, f) {
        json_int_t at = json_integer_value(json_object_get(f, "index"));
        if (at >= 0 && (size_t)at < n)
            found[at] = 1;
    }
    for (size_t k = 0; k < n; k++) {
        c->truth += (size_t)truth[k];
        c->found += (size_t)found[k];
        c->hits += (size_t)(truth[k] && found[k]);
        if (log && found[k] != truth[k])
            fprintf(log, "%s at word %zu of \"%s\"\n", found[k] ? "false filler" : "missed filler", k, utterance);
    }
    c->words += n;
    c->utterances++;
    rc = 0;
out:
    json_decref(words);
    json_decref(transcript);
    json_decref(m);
    return rc;
}

typedef struct filler_file {
    const tm_lexicon *lex;
    filler_counts *c;
    FILE *log;
} filler_file;

static int filler_labels_line(char *line, void *user, char *err, size_t errlen)
{
    filler_file *x = user;
    return filler_labels_score(x->lex, line, x->c, x->log, err, errlen) != 0 ? -1 : 0;
}

int filler_labels_score_file(const tm_lexicon *lex, const char *path, filler_counts *c, FILE *log, char *err,
                             size_t errlen)
{
    filler_file x = {lex, c, log};
    return datafile_each_line(path, "the labelled utterances", filler_labels_line, &x, err, errlen);
}
