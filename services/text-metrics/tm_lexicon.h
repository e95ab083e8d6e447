/* Word lists of one language, read from data files at start
 * (<data_dir>/<lang>/<list>.txt, one entry per line; see data/en/README.md),
 * and matching of their entries, single words or phrases, on a word sequence. */
#ifndef ISIM_TM_LEXICON_H
#define ISIM_TM_LEXICON_H

#include <stddef.h>

#include "tm_filler_rules.h"

typedef struct tm_word {
    const char *word;  /* lowercase, without surrounding punctuation */
    double start, end;
    int ends_sentence; /* the transcript put . ? or ! after it */
} tm_word;

typedef struct tm_entry {
    char *text;    /* "i think" */
    char **words;  /* {"i","think"} */
    size_t nwords;
    char *extra;   /* after " | " on the line (noninclusive: the alternative), else NULL */
} tm_entry;

typedef struct tm_list {
    tm_entry *entries;
    size_t n;
} tm_list;

typedef enum {
    TM_FILLERS,
    TM_HEDGES,
    TM_ACTION_VERBS,
    TM_STOPWORDS,
    TM_NONINCLUSIVE,
    TM_NUMBERS,
    TM_STAR_SITUATION,
    TM_STAR_TASK,
    TM_STAR_ACTION,
    TM_STAR_RESULT,
    TM_STAR_WORDS, /* word classes the STAR cues name with @class */
    TM_LIST_COUNT
} tm_list_id;

typedef struct tm_lexicon {
    char lang[16];            /* the language code, "pt-BR" */
    tm_list lists[TM_LIST_COUNT];
    tm_filler_rules filler_rules; /* filler_rules.txt */
} tm_lexicon;

/* File name of a list without ".txt" ("fillers"). */
const char *tm_list_name(tm_list_id id);
/* Reads every list and the filler rules of lang; a missing or unreadable
 * file is an error naming it. */
int tm_lexicon_load(const char *data_dir, const char *lang, tm_lexicon **out, char *err,
                    size_t errlen);
void tm_lexicon_free(tm_lexicon *lex);
/* 1 when word is a one-word entry of the list. */
int tm_list_has(const tm_list *l, const char *word);
/* Number of words of the longest entry that matches w[i..n), 0 if none;
 * *entry (may be NULL) gets its index. */
size_t tm_list_match(const tm_list *l, const tm_word *w, size_t n, size_t i, size_t *entry);

#endif
