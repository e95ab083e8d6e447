/* Voice metrics of a recording's sound track: loudness (EBU R128 integrated
 * and short-term range), volume variation, pitch track and its variation in
 * semitones, pauses and speaking time, with a per-second timeline. */
#ifndef ISIM_VM_VOICE_H
#define ISIM_VM_VOICE_H

#include <stddef.h>
#include <jansson.h>

typedef struct vm_voice_limits {
    double loudness_min, loudness_max; /* integrated, LUFS */
    double loudness_range_min;         /* LU */
    double volume_variation_min;       /* std of 400 ms speech blocks, LU */
    double pitch_variation_min;        /* std in semitones; below: monotone */
    double pause_min_s;                /* a silence at least this long is a pause */
    double longest_pause_max_s;
    double speaking_ratio_min;
} vm_voice_limits;

void vm_voice_default_limits(vm_voice_limits *l);

/* {"has_audio":b,"duration_s":D,"loudness":metric,"loudness_range":metric,
 *  "volume_variation":metric,"pitch":metric,"pitch_variation":metric+"monotone",
 *  "pauses":metric+{count,total_s,min_pause_s,list:[{start,end}]},
 *  "speaking_ratio":metric,"seconds":[{t,loudness,pitch_hz,speaking}]}
 * Returns 0 or -1 with err (a sentence a candidate understands). */
int vm_voice_run(const char *audio_path, const vm_voice_limits *limits, json_t **out, char *err,
                 size_t errlen);

#endif
