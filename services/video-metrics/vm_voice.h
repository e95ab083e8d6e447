/* Voice metrics of a recording's sound track: loudness (EBU R128 integrated
 * and short-term range), volume variation, pitch track and its variation in
 * semitones, pauses and speaking time, with a per-second timeline. */
#ifndef ISIM_VM_VOICE_H
#define ISIM_VM_VOICE_H

#include <stddef.h>
#include <jansson.h>

/* {"has_audio":b,"duration_s":D,"loudness":metric (integrated, LUFS),
 *  "loudness_range":metric (LU),"volume_variation":metric (LU),
 *  "pitch":metric (median, Hz),"pitch_variation":metric (semitones)
 *    +{windows:[{start,end,value}]} (per 10 s),
 *  "clipping":metric (share of speech with clipped samples)+{list:[{start,end}]},
 *  "pauses":metric (longest, s)+{count,total_s,min_pause_s,list:[{start,end}]},
 *  "speaking_ratio":metric,"seconds":[{t,loudness,pitch_hz,speaking}]}
 * where metric is {"value":v,"valid":true} or {"value":null,"valid":false,
 * "reason":r}. Measurements only: the rubric judges them.
 * Returns 0 or -1 with err (a sentence a candidate understands). */
int vm_voice_run(const char *audio_path, json_t **out, char *err, size_t errlen);

#endif
