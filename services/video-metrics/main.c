/* video-metrics: interview.converted (normalised video) -> interview.video-metrics */
#include <stdio.h>

#include "isim_log.h"
#include "isim_util.h"
#include "service_main.h"
#include "stage_io.h"
#include "vmetrics.h"

static kw_result video_metrics_handle(kafka_worker *w, const kw_message *m, void *user, char *err,
                                      size_t errlen)
{
    service_ctx *ctx = user;
    kw_result r = KW_FAIL;
    char dir[4096] = "", video[4200];
    json_t *metrics = NULL, *out = NULL;
    int invalid;
    const char *key = stage_media_key(m, "video_key", &invalid);
    if (invalid) {
        snprintf(err, errlen, "The video reference is invalid.");
        goto out;
    }
    if (!key) {
        metrics = json_pack("{s:b, s:i, s:[], s:s}", "has_video", 0, "frames_analysed", 0,
                            "seconds", "note", "The recording has no picture: nothing on camera was analysed.");
    } else {
        if (util_tempdir_new(ctx->cfg.work_dir, dir, sizeof(dir), err, errlen) != 0) {
            dir[0] = '\0';
            r = KW_RETRY;
            goto out;
        }
        snprintf(video, sizeof(video), "%s/video", dir);
        r = stage_download(ctx, key, video, 0, "video", err, errlen);
        if (r != KW_OK)
            goto out;
        vmetrics_opts opts = {.sample_fps = 5};
        if (vmetrics_run(video, &opts, &metrics, err, errlen) != 0) {
            r = KW_FAIL;
            goto out;
        }
    }
    out = json_pack("{s:O}", "metrics", metrics);
    if (kafka_worker_emit(w, m, KW_TOPIC_VIDEO_METRICS, out, err, errlen) != 0) {
        r = KW_RETRY;
        goto out;
    }
    log_info("video metrics for %zu seconds", json_array_size(json_object_get(metrics, "seconds")));
    r = KW_OK;
out:
    json_decref(metrics);
    json_decref(out);
    if (dir[0])
        util_tempdir_free(dir);
    return r;
}

int main(void)
{
    static const char *const topics[] = {KW_TOPIC_CONVERTED, NULL};
    service_def def = {.name = "video-metrics", .stage = "video-metrics", .default_port = 9103,
                       .topics = topics, .needs_s3 = 1, .handler = video_metrics_handle};
    return service_main(&def);
}
