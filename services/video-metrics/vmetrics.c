/* Video-metrics stage: decode the stream, measure a few frames per second. */
#include "vmetrics.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <libavutil/frame.h>

#include "vm_face.h"
#include "vm_frame_queue.h"
#include "vm_gray.h"
#include "vm_look.h"
#include "vm_series.h"
#include "vm_source.h"

#define VM_DEFAULT_SAMPLE_FPS 5.0
/* Faces are searched on a half-size copy of this: 320 pixels wide. */
#define VM_ANALYSIS_WIDTH 640
/* Decoded frames waiting to be measured: enough to ride out a slow frame,
 * few enough to bound memory (a 1080p frame is 3 MB). */
#define VM_QUEUED_FRAMES 4

typedef struct analysis {
    vm_gray *thumb, *pic;
    vm_faces *faces;
    vm_look look;
    vm_camera *camera;
} analysis;

static int measure(analysis *an, const AVFrame *frame, double t, vm_series *series, char *err,
                   size_t errlen)
{
    double brightness, motion, unused;
    int w, h;
    vm_face_obs obs;
    vm_sample s = {.t = t};
    if (vm_gray_measure(an->thumb, frame, &brightness, &motion, err, errlen) < 0 ||
        vm_series_add(series, t, brightness, motion, err, errlen) < 0 ||
        vm_gray_measure(an->pic, frame, &unused, &unused, err, errlen) < 0)
        return -1;
    const uint8_t *img = vm_gray_last(an->pic, &w, &h);
    if (vm_faces_find(an->faces, img, w, h, &obs, err, errlen) < 0)
        return -1;
    if (vm_look_measure(&an->look, img, w, h, &obs, &s) < 0) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        return -1;
    }
    return vm_camera_add(an->camera, &s, err, errlen);
}

/* The measuring side of the pipeline: takes sampled frames in order. */
typedef struct measurer {
    analysis *an;
    vm_series *series;
    vm_frame_queue *queue;
    int rc;
    char err[512];
} measurer;

static void *measure_frames(void *arg)
{
    measurer *m = arg;
    AVFrame *frame = av_frame_alloc();
    double t;
    m->rc = -1;
    if (!frame) {
        snprintf(m->err, sizeof(m->err), "The video could not be analysed (out of memory).");
        goto out;
    }
    while (vm_frame_queue_pop(m->queue, frame, &t) == 1)
        if (measure(m->an, frame, t, m->series, m->err, sizeof(m->err)) < 0)
            goto out;
    m->rc = 0;
out:
    /* On an error the decoder must not wait on a queue nobody empties. */
    vm_frame_queue_stop(m->queue);
    av_frame_free(&frame);
    return NULL;
}

/* Decodes the whole stream and hands the first frame of each 1/fps slot of
 * presentation time to a measuring thread, so decoding and measuring overlap
 * on two cores. Only sampled frames are converted and measured. */
static int analyse(vm_source *src, double fps, analysis *an, vm_series *series, char *err,
                   size_t errlen)
{
    int rc = -1;
    bool started = false;
    pthread_t thread;
    measurer m = {.an = an, .series = series};
    AVFrame *frame = av_frame_alloc();
    if (!frame || vm_frame_queue_new(&m.queue, VM_QUEUED_FRAMES) < 0) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    if (pthread_create(&thread, NULL, measure_frames, &m) != 0) {
        snprintf(err, errlen, "The video could not be analysed (no thread could be started).");
        goto out;
    }
    started = true;
    int64_t last_slot = -1;
    for (;;) {
        double t;
        int got = vm_source_next(src, frame, &t, err, errlen);
        if (got < 0)
            goto out;
        if (got == 0)
            break;
        int64_t slot = (int64_t)floor(t * fps + 1e-6);
        if (slot <= last_slot)
            continue;
        last_slot = slot;
        if (vm_frame_queue_push(m.queue, frame, t) < 0)
            break; /* the measurer failed: its error is reported below */
    }
    rc = 0;
out:
    if (started) {
        vm_frame_queue_finish(m.queue);
        pthread_join(thread, NULL);
        if (rc == 0 && m.rc < 0) {
            snprintf(err, errlen, "%s", m.err);
            rc = -1;
        }
    }
    vm_frame_queue_free(m.queue);
    av_frame_free(&frame);
    return rc;
}

static json_t *build_result(bool has_video, double duration, const vm_series *series,
                            const analysis *an, double fps)
{
    json_t *seconds = has_video ? vm_series_seconds_json(series) : json_array();
    json_t *summary = vm_series_summary_json(series);
    json_t *camera = has_video && seconds ? vm_camera_json(an->camera, fps, seconds) : json_null();
    json_t *out = NULL;
    if (seconds && summary && camera)
        out = json_pack("{s:b, s:f, s:I, s:f, s:O, s:O, s:O}", "has_video", has_video, "duration_s",
                        round(duration * 1000) / 1000, "frames_analysed",
                        (json_int_t)series->samples, "sample_fps", fps, "seconds", seconds,
                        "summary", summary, "on_camera", camera);
    json_decref(seconds);
    json_decref(summary);
    json_decref(camera);
    return out;
}

static int analysis_new(analysis *an, const vmetrics_opts *opts, char *err, size_t errlen)
{
    const char *dir = opts && opts->cascade_dir ? opts->cascade_dir : VMETRICS_CASCADE_DIR;
    int every = opts && opts->full_scan_every > 0 ? opts->full_scan_every : 5;
    if (vm_gray_new(&an->thumb, err, errlen) < 0 ||
        vm_gray_new_width(&an->pic, VM_ANALYSIS_WIDTH, err, errlen) < 0 ||
        vm_camera_new(&an->camera, err, errlen) < 0 ||
        vm_faces_new(&an->faces, dir, every, err, errlen) < 0)
        return -1;
    return 0;
}

static void analysis_free(analysis *an)
{
    vm_gray_free(an->thumb);
    vm_gray_free(an->pic);
    vm_faces_free(an->faces);
    vm_look_free(&an->look);
    vm_camera_free(an->camera);
}

int vmetrics_run(const char *video_path, const vmetrics_opts *opts, json_t **out,
                 char *err, size_t errlen)
{
    int rc = -1;
    vm_source *src = NULL;
    vm_series series = {0};
    analysis an = {0};
    double fps = opts && opts->sample_fps > 0 ? opts->sample_fps : VM_DEFAULT_SAMPLE_FPS;
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (vm_source_open(&src, video_path, fps, err, errlen) < 0)
        goto out;
    if (vm_source_has_video(src) &&
        (analysis_new(&an, opts, err, errlen) < 0 || analyse(src, fps, &an, &series, err, errlen) < 0))
        goto out;
    /* A video track that never produced a picture (e.g. camera off) is no video. */
    bool has_video = series.samples > 0;
    double duration = vm_source_header_duration(src);
    if (duration <= 0)
        duration = vm_source_packets_end(src);
    *out = build_result(has_video, duration, &series, &an, fps);
    if (!*out) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    if (opts && opts->audio_path) {
        json_t *voice = NULL;
        if (vm_voice_run(opts->audio_path, &voice, err, errlen) < 0 ||
            json_object_set_new(*out, "voice", voice) < 0) {
            json_decref(*out);
            *out = NULL;
            goto out;
        }
    }
    rc = 0;
out:
    analysis_free(&an);
    vm_series_free(&series);
    vm_source_close(src);
    return rc;
}
