/* The word lists of every language of <data_dir>/languages.txt, loaded at
 * start (a language listed without complete data stops the service), and the
 * choice among them by a transcript's language. */
#ifndef ISIM_TM_LANGUAGES_H
#define ISIM_TM_LANGUAGES_H

#include <jansson.h>
#include <stddef.h>

#include "isim_lang.h"
#include "tm_lexicon.h"

typedef struct tm_languages {
    lang_table table;
    tm_lexicon **lex; /* one per table entry */
} tm_languages;

int tm_languages_load(const char *data_dir, tm_languages **out, char *err, size_t errlen);
void tm_languages_free(tm_languages *l);
/* The lexicon of transcript.language (a code of the table; absent: the
 * first language, for messages from before languages). An unknown language
 * is an error in words a candidate understands. */
const tm_lexicon *tm_languages_pick(const tm_languages *l, const json_t *transcript, char *err,
                                    size_t errlen);

#endif
