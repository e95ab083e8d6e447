/* filler_accuracy DATA_DIR LANG FILE: filler precision and recall of the
 * word lists and rules of LANG on a labelled file (filler_labels.h), e.g. the
 * held-out Brazilian Portuguese set: bench/fillers/README.md. */
#include <stdio.h>

#include "filler_labels.h"

int main(int argc, char **argv)
{
    char err[512];
    tm_lexicon *lex = NULL;
    filler_counts c = {0};
    int rc = 1;
    if (argc != 4) {
        fprintf(stderr, "usage: filler_accuracy DATA_DIR LANG FILE\n");
        return 2;
    }
    if (tm_lexicon_load(argv[1], argv[2], &lex, err, sizeof err) != 0 ||
        filler_labels_score_file(lex, argv[3], &c, stderr, err, sizeof err) != 0) {
        fprintf(stderr, "filler_accuracy: %s\n", err);
        goto out;
    }
    printf("utterances %zu, words %zu, marked fillers %zu, found %zu, correct %zu\n", c.utterances, c.words,
           c.truth, c.found, c.hits);
    printf("precision %.3f, recall %.3f\n", c.found ? (double)c.hits / (double)c.found : 0.0,
           c.truth ? (double)c.hits / (double)c.truth : 0.0);
    rc = 0;
out:
    tm_lexicon_free(lex);
    return rc;
}
