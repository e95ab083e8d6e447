/* Text-metrics stage: transcript JSON (as transcribe_wav makes it) and the
 * language's word lists in, delivery and content metrics out. */
#ifndef ISIM_TMETRICS_H
#define ISIM_TMETRICS_H

#include <stddef.h>
#include <jansson.h>

#include "tm_lexicon.h"

/* *out = {"language","word_count","duration_s","speaking_s","wpm",
 *         "articulation_wpm","pace_windows":[{start,end,words,wpm}],
 *         "pauses":{count,total_s,longest_s,long:[{start,end,duration_s}]},
 *         "filler_count","fillers_per_100_words","fillers":[{word,start,end,index}],
 *         "hedges"|"action_verbs"|"quantified"|"noninclusive":{count,per_100_words,items},
 *         "star":{situation|task|action|result:{cues:[{cue,start,end,index,by}],share,first_s},
 *                 present,order,in_order} (tm_star.h),
 *         "sentences":{segmented_by,count,mean_words,max_words,items},
 *         "vocabulary":{mattr,window,words},"top_words":[...],"repeated_phrases":[...]}
 * wpm = word_count / speaking_s * 60, where speaking_s runs from the first
 * word's start to the last word's end; articulation_wpm leaves out pauses of
 * TM_PAUSE_S (0.25 s) or more. Words must be in time order. Returns 0 or -1
 * with err (a sentence naming the bad field). */
int tmetrics_compute(const tm_lexicon *lex, const json_t *transcript, json_t **out, char *err,
                     size_t errlen);

#endif
