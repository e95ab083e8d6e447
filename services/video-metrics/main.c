/* video-metrics: interview.converted (normalised video + 16 kHz WAV) -> interview.video-metrics */
#include <stdio.h>
#include <stdlib.h>

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
    char dir[4096] = "", video_buf[4200], audio_buf[4200];
    const char *video = NULL, *audio = NULL;
    json_t *metrics = NULL, *out = NULL;
    if (util_tempdir_new(ctx->cfg.work_dir, dir, sizeof(dir), err, errlen) != 0) {
        dir[0] = '\0';
        r = KW_RETRY;
        goto out;
    }
    r = stage_fetch_media(ctx, m, "video_key", dir, "video", "video", video_buf, sizeof(video_buf), &video, err, errlen);
    if (r == KW_OK)
        r = stage_fetch_media(ctx, m, "audio_key", dir, "audio.wav", "sound track", audio_buf, sizeof(audio_buf),
                  &audio, err, errlen);
    if (r != KW_OK)
        goto out;
    r = KW_FAIL;
    if (vmetrics_run_configured(&ctx->cfg, video, audio, &metrics, err, errlen) != 0)
        goto out;
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
