/* The context rules of the fillers that are also ordinary words ("like",
 * "tipo"), read from <data_dir>/<lang>/filler_rules.txt:
 *   <phrase> | <when> [| before: w1 w2 ...] [| after: w1 w2 ...]
 * when: set-off (a pause before or after it, or an always-filler next to it),
 * set-off-after (the pause must come after it), unless (a filler wherever it
 * occurs but in the contexts listed). before/after: words that, right next to
 * the phrase with no pause between, make it content. See data/en/README.md. */
#ifndef ISIM_TM_FILLER_RULES_H
#define ISIM_TM_FILLER_RULES_H

#include <stddef.h>

#define TM_RULE_MAX_WORDS 3

typedef enum { TM_WHEN_SET_OFF, TM_WHEN_SET_OFF_AFTER, TM_WHEN_UNLESS } tm_rule_when;

typedef struct tm_filler_rule {
    char *words[TM_RULE_MAX_WORDS];
    size_t nwords;
    tm_rule_when when;
    char **before, **after; /* NULL-terminated, may be empty */
} tm_filler_rule;

typedef struct tm_filler_rules {
    tm_filler_rule *v;
    size_t n;
} tm_filler_rules;

/* A missing file or a malformed line is an error naming the file and line. */
int tm_filler_rules_load(const char *path, tm_filler_rules *r, char *err, size_t errlen);
void tm_filler_rules_release(tm_filler_rules *r);

#endif
