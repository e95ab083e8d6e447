/* STAR structure of an answer (situation, task, action, result) from the
 * language's cue lists and the position of sentences; see tm_star.c. */
#ifndef ISIM_TM_STAR_H
#define ISIM_TM_STAR_H

#include <jansson.h>
#include <stddef.h>

#include "tm_parts.h"

enum {
    TM_STAR_SITUATION_PART,
    TM_STAR_TASK_PART,
    TM_STAR_ACTION_PART,
    TM_STAR_RESULT_PART,
    TM_STAR_PARTS
};

/* {situation|task|action|result:{cues:[{cue,start,end,index,by}],share,first_s},
 *  present,order,in_order}; by is "cue", "first_sentence" or "last_sentence".
 * NULL when out of memory. */
json_t *tm_star_new(const tm_lexicon *lex, const tm_word *w, size_t n);

#endif
