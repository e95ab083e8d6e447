/* content_accuracy DATA_DIR LANG FILE...: precision and recall of the hedge,
 * quantity, action-verb and non-inclusive detectors of LANG, and sentence
 * boundaries with and without punctuation, on labelled answer files
 * (content_labels.h), one table per file; each mistake on stderr.
 * content_accuracy --mattr DATA_DIR LANG FILE: for each "<id>: <text>" line,
 * "<id>\t<mattr>\t<kept words>" (the words the MATTR is computed on), for the
 * reference comparison of mattr_reference.py. bench/content/README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_labels.h"
#include "isim_words.h"

static void print_table(const char *path, const cl_counts *c)
{
    printf("%s: %zu answers, %zu words\n", path, c->answers, c->words);
    printf("%-13s %6s %6s %6s %6s %9s %7s %14s %10s\n", "detector", "spans", "found", "items", "right", "precision",
           "recall", "count_abs_err", "count_err");
    for (int k = 0; k < CL_KINDS; k++) {
        const cl_kind_counts *x = &c->kind[k];
        printf("%-13s %6zu %6zu %6zu %6zu %9.3f %7.3f %14zu %10ld\n", cl_kind_name(k), x->spans, x->spans_found,
               x->items, x->items_right, cl_ratio(x->items_right, x->items), cl_ratio(x->spans_found, x->spans),
               x->count_abs_err, x->count_err);
    }
    printf("%-13s %6s %6s %6s %9s %7s %14s %10s\n", "sentences", "tp", "fp", "fn", "precision", "recall",
           "max_mean_abs", "max_exact");
    for (int v = 0; v < CL_VARIANTS; v++) {
        const cl_sentence_counts *s = &c->sentences[v];
        printf("%-13s %6zu %6zu %6zu %9.3f %7.3f %14.2f %7zu/%zu\n", cl_variant_name(v), s->tp, s->fp, s->fn,
               cl_ratio(s->tp, s->tp + s->fp), cl_ratio(s->tp, s->tp + s->fn),
               c->answers ? (double)s->max_abs_err / (double)c->answers : 0.0, s->max_exact, c->answers);
    }
}

/* The words MATTR counts: every word but those of a filler. */
static void print_kept(const json_t *m, const char *line)
{
    unsigned char filler[1024] = {0};
    size_t i, k = 0;
    const json_t *f;
    json_array_foreach(json_object_get(m, "fillers"), i, f) {
        json_int_t at = json_integer_value(json_object_get(f, "index"));
        const char *w = json_string_value(json_object_get(f, "word"));
        size_t len = 1;
        for (; w && *w; w++)
            len += *w == ' ';
        for (size_t j = 0; at >= 0 && j < len && (size_t)at + j < sizeof filler; j++)
            filler[at + j] = 1;
    }
    char buf[8192], *save = NULL;
    snprintf(buf, sizeof buf, "%s", strchr(line, ':') + 1);
    for (char *p = strtok_r(buf, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save), k++) {
        char *w = words_normalise(p, NULL);
        if (w && k < sizeof filler && !filler[k])
            printf(" %s", w);
        free(w);
    }
}

static int mattr_mode(const tm_lexicon *lex, const char *path, char *err, size_t errlen)
{
    char line[8192], id[64];
    FILE *f = fopen(path, "r");
    int rc = -1;
    if (!f) {
        snprintf(err, errlen, "cannot open %s", path);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        json_t *m = NULL;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (cl_metrics_of(lex, line, &m, id, sizeof id, err, errlen) != 0)
            goto out;
        const json_t *v = json_object_get(m, "vocabulary");
        printf("%s\t%.3f\t", id, json_number_value(json_object_get(v, "mattr")));
        print_kept(m, line);
        printf("\n");
        json_decref(m);
    }
    rc = 0;
out:
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    char err[512];
    tm_lexicon *lex = NULL;
    int rc = 1, mattr = argc > 1 && strcmp(argv[1], "--mattr") == 0;
    if (argc < 4 + mattr) {
        fprintf(stderr, "usage: content_accuracy [--mattr] DATA_DIR LANG FILE...\n");
        return 2;
    }
    if (tm_lexicon_load(argv[1 + mattr], argv[2 + mattr], &lex, err, sizeof err) != 0) {
        fprintf(stderr, "content_accuracy: %s\n", err);
        goto out;
    }
    for (int f = 3 + mattr; f < argc; f++) {
        cl_counts c = {0};
        if (mattr ? mattr_mode(lex, argv[f], err, sizeof err) != 0
                  : cl_score_file(lex, argv[f], &c, stderr, err, sizeof err) != 0) {
            fprintf(stderr, "content_accuracy: %s\n", err);
            goto out;
        }
        if (!mattr)
            print_table(argv[f], &c);
    }
    rc = 0;
out:
    tm_lexicon_free(lex);
    return rc;
}
