/* Video-metrics stage: decode every frame, measure a few per second. */
#include "vmetrics.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <libavutil/frame.h>

#include "vm_gray.h"
#include "vm_series.h"
#include "vm_source.h"

#define VM_DEFAULT_SAMPLE_FPS 5.0

/* Decodes the whole stream and measures the first frame of each 1/fps slot of
 * presentation time. Every frame must be decoded (inter frames need their
 * references), but only sampled ones are converted. */
static int analyse(vm_source *src, double fps, vm_series *series, char *err, size_t errlen)
{
    int rc = -1;
    vm_gray *gray = NULL;
    AVFrame *frame = av_frame_alloc();
    if (!frame) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    if (vm_gray_new(&gray, err, errlen) < 0)
        goto out;
    int64_t last_slot = -1;
    for (;;) {
        double t, brightness, motion;
        int got = vm_source_next(src, frame, &t, err, errlen);
        if (got < 0)
            goto out;
        if (got == 0)
            break;
        int64_t slot = (int64_t)floor(t * fps + 1e-6);
        if (slot <= last_slot)
            continue;
        last_slot = slot;
        if (vm_gray_measure(gray, frame, &brightness, &motion, err, errlen) < 0 ||
            vm_series_add(series, t, brightness, motion, err, errlen) < 0)
            goto out;
    }
    rc = 0;
out:
    av_frame_free(&frame);
    vm_gray_free(gray);
    return rc;
}

static json_t *build_result(bool has_video, double duration, const vm_series *series)
{
    json_t *seconds = has_video ? vm_series_seconds_json(series) : json_array();
    json_t *summary = vm_series_summary_json(series);
    json_t *out = NULL;
    if (seconds && summary)
        out = json_pack("{s:b, s:f, s:I, s:O, s:O}", "has_video", has_video, "duration_s",
                        round(duration * 1000) / 1000, "frames_analysed",
                        (json_int_t)series->samples, "seconds", seconds, "summary", summary);
    json_decref(seconds);
    json_decref(summary);
    return out;
}

int vmetrics_run(const char *video_path, const vmetrics_opts *opts, json_t **out,
                 char *err, size_t errlen)
{
    int rc = -1;
    vm_source *src = NULL;
    vm_series series = {0};
    double fps = opts && opts->sample_fps > 0 ? opts->sample_fps : VM_DEFAULT_SAMPLE_FPS;
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (vm_source_open(&src, video_path, err, errlen) < 0)
        goto out;
    if (vm_source_has_video(src) && analyse(src, fps, &series, err, errlen) < 0)
        goto out;
    /* A video track that never produced a picture (e.g. camera off) is no video. */
    bool has_video = series.samples > 0;
    double duration = vm_source_header_duration(src);
    if (duration <= 0)
        duration = vm_source_packets_end(src);
    *out = build_result(has_video, duration, &series);
    if (!*out) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    rc = 0;
out:
    vm_series_free(&series);
    vm_source_close(src);
    return rc;
}
