/* Video-metrics stage: a video file (and its 16 kHz WAV) in, per-second
 * on-camera and voice measurements out. */
#ifndef ISIM_VMETRICS_H
#define ISIM_VMETRICS_H

#include <stddef.h>
#include <jansson.h>

#include "vm_camera.h"
#include "vm_voice.h"

#define VMETRICS_CASCADE_DIR "/usr/share/opencv4/haarcascades"

typedef struct vmetrics_opts {
    double sample_fps;       /* frames analysed per second; 0 = 5 */
    const char *cascade_dir; /* OpenCV Haar cascades; NULL = VMETRICS_CASCADE_DIR */
    int full_scan_every;     /* samples between full face scans while tracking; 0 = 5 */
    const char *audio_path;  /* the 16 kHz WAV; NULL = no voice metrics */
} vmetrics_opts;

/* *out = {"has_video":true,"duration_s":D,"frames_analysed":N,
 *         "seconds":[{"t":0,"brightness":B,"motion":M, camera fields...},...],
 *         "summary":{"mean_brightness":B,"mean_motion":M},
 *         "on_camera":{metric:{"value","valid"[,"reason"]},...},
 *         "voice":{...} (see vm_voice.h; only with opts->audio_path)}
 * brightness: mean luma 0..255; motion: mean absolute luma difference between
 * consecutive sampled frames, 0..255. One entry per started second of video.
 * A file without a video stream gives has_video false and no seconds.
 * Returns 0 or -1 with err (a sentence a candidate understands). */
int vmetrics_run(const char *video_path, const vmetrics_opts *opts, json_t **out,
                 char *err, size_t errlen);

/* As the service runs it: sampling and cascades from the ISIM_VM_* settings;
 * video and audio may each be NULL (audio-only answer, silent video).
 * Measurements only: the rubric (data/rubric/) judges them.
 * The CLI calls it too, so both give the same metrics. */
struct isim_config;
int vmetrics_run_configured(const struct isim_config *cfg, const char *video, const char *audio,
                            json_t **out, char *err, size_t errlen);

#endif
