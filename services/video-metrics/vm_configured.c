#include <stdio.h>

#include "isim_config.h"
#include "vmetrics.h"

int vmetrics_run_configured(const isim_config *cfg, const char *video, const char *audio,
                            json_t **out, char *err, size_t errlen)
{
    json_t *voice = NULL;
    *out = NULL;
    vmetrics_opts opts = {.sample_fps = cfg->vm_sample_fps, .cascade_dir = cfg->vm_cascade_dir,
                          .audio_path = audio};
    if (video)
        return vmetrics_run(video, &opts, out, err, errlen);
    if (audio && vm_voice_run(audio, &voice, err, errlen) != 0)
        return -1;
    *out = json_pack("{s:b, s:i, s:[], s:s, s:o}", "has_video", 0, "frames_analysed", 0, "seconds",
                     "note", "The recording has no picture: nothing on camera was analysed.",
                     "voice", voice ? voice : json_null());
    return *out ? 0 : -1;
}
