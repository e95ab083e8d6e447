/* What a report needs in each language of data/languages.txt: its texts
 * (data/<lang>/report.json), the stop words relevance leaves out
 * (stopwords.txt), the phrases of a behavioural question
 * (behavioural_cues.txt, as an array) and the suffix rules its stemmer applies
 * (stem_suffixes.txt: "suffix" or "suffix > replacement" per line, the first
 * that fits wins), loaded at start; a language listed without them stops the
 * service. */
#ifndef ISIM_REPORT_LANGS_H
#define ISIM_REPORT_LANGS_H

#include <jansson.h>
#include <stddef.h>

#include "isim_lang.h"

typedef struct report_langs {
    lang_table table;
    json_t **msgs, **stopwords, **suffixes, **cues; /* one per table entry */
} report_langs;

int report_langs_load(const char *data_dir, report_langs **out, char *err, size_t errlen);
void report_langs_free(report_langs *l);
/* Every language's texts cover what the rubric's criteria say (advice,
 * measures); 0, or -1 with err naming the catalog and the text. */
int report_langs_check_rubric(const report_langs *l, const json_t *rubric, char *err, size_t errlen);
/* The entry index of code; the first language when code is NULL or unknown
 * (a transcript from before languages). */
size_t report_langs_pick(const report_langs *l, const char *code);

#endif
