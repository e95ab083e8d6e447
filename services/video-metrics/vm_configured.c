#include <stdio.h>

#include "isim_config.h"
#include "isim_log.h"
#include "vm_limits.h"
#include "vmetrics.h"

int vmetrics_run_configured(const isim_config *cfg, const char *video, const char *audio,
                            json_t **out, char *err, size_t errlen)
{
    vm_camera_limits cam;
    vm_voice_limits voice_limits;
    char cfg_err[256];
    json_t *voice = NULL;
    *out = NULL;
    vm_camera_default_limits(&cam);
    vm_voice_default_limits(&voice_limits);
    if (vm_limits_parse(cfg->vm_thresholds, &cam, &voice_limits, cfg_err, sizeof(cfg_err)) < 0) {
        /* An operator's typo must not fail candidates' interviews. */
        log_error("%s; using the default thresholds", cfg_err);
        vm_camera_default_limits(&cam);
        vm_voice_default_limits(&voice_limits);
    }
    vmetrics_opts opts = {.sample_fps = cfg->vm_sample_fps, .cascade_dir = cfg->vm_cascade_dir,
                          .camera = &cam, .audio_path = audio, .voice = &voice_limits};
    if (video)
        return vmetrics_run(video, &opts, out, err, errlen);
    if (audio && vm_voice_run(audio, &voice_limits, &voice, err, errlen) != 0)
        return -1;
    *out = json_pack("{s:b, s:i, s:[], s:s, s:o}", "has_video", 0, "frames_analysed", 0, "seconds",
                     "note", "The recording has no picture: nothing on camera was analysed.",
                     "voice", voice ? voice : json_null());
    return *out ? 0 : -1;
}
