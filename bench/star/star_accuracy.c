/* star_accuracy DATA_DIR LANG FILE...: STAR part precision and recall of the
 * cue lists and rules of LANG on labelled answer files (star_labels.h), one
 * table per file; each mistake on stderr. bench/star/README.md. */
#include <stdio.h>

#include "star_labels.h"

static void print_table(const char *path, const star_counts *c)
{
    printf("%s: %zu answers\n", path, c->answers);
    printf("%-10s %5s %5s %5s %9s %7s | %5s %9s %6s %11s\n", "part", "tp", "fp", "fn", "precision", "recall",
           "cues", "cue_prec", "spans", "span_recall");
    for (int p = 0; p < STAR_PARTS; p++) {
        const star_part_counts *k = &c->part[p];
        printf("%-10s %5zu %5zu %5zu %9.3f %7.3f | %5zu %9.3f %6zu %11.3f\n", star_part_name(p), k->tp, k->fp,
               k->fn, star_precision(k), star_recall(k), k->cues, star_cue_precision(k), k->spans,
               star_span_recall(k));
    }
}

int main(int argc, char **argv)
{
    char err[512];
    tm_lexicon *lex = NULL;
    int rc = 1;
    if (argc < 4) {
        fprintf(stderr, "usage: star_accuracy DATA_DIR LANG FILE...\n");
        return 2;
    }
    if (tm_lexicon_load(argv[1], argv[2], &lex, err, sizeof err) != 0) {
        fprintf(stderr, "star_accuracy: %s\n", err);
        goto out;
    }
    for (int f = 3; f < argc; f++) {
        star_counts c = {0};
        if (star_labels_score_file(lex, argv[f], &c, stderr, err, sizeof err) != 0) {
            fprintf(stderr, "star_accuracy: %s\n", err);
            goto out;
        }
        print_table(argv[f], &c);
    }
    rc = 0;
out:
    tm_lexicon_free(lex);
    return rc;
}
