/* Video-metrics stage: a video file in, per-second on-camera measurements out. */
#ifndef ISIM_VMETRICS_H
#define ISIM_VMETRICS_H

#include <stddef.h>
#include <jansson.h>

typedef struct vmetrics_opts {
    double sample_fps; /* frames analysed per second; 0 = 5 */
} vmetrics_opts;

/* *out = {"has_video":true,"duration_s":D,"frames_analysed":N,
 *         "seconds":[{"t":0,"brightness":B,"motion":M},...],
 *         "summary":{"mean_brightness":B,"mean_motion":M}}
 * brightness: mean luma 0..255; motion: mean absolute luma difference between
 * consecutive sampled frames, 0..255. One entry per started second of video.
 * A file without a video stream gives has_video false and no seconds.
 * Returns 0 or -1 with err (a sentence a candidate understands). */
int vmetrics_run(const char *video_path, const vmetrics_opts *opts, json_t **out,
                 char *err, size_t errlen);

#endif
