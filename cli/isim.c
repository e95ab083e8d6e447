/* isim: the whole pipeline in one process on a local file, with no
 * infrastructure. `isim analyze FILE [--question TEXT]` prints the report JSON
 * the gateway returns for a completed interview. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "isim_config.h"
#include "isim_avlog.h"
#include "isim_log.h"
#include "isim_util.h"
#include "report.h"
#include "tmetrics.h"
#include "transcribe.h"
#include "vmetrics.h"

static int isim_usage(FILE *out)
{
    fprintf(out,
            "usage: isim analyze FILE [--question TEXT]\n"
            "       isim config-table\n\n"
            "analyze   runs convert, transcribe, video and text metrics and the report on FILE\n"
            "          and prints the report JSON (the same the gateway returns).\n"
            "config-table  prints the environment variables as a Markdown table.\n");
    return out == stderr ? 2 : 0;
}

static int isim_analyze(const char *path, const char *question)
{
    int rc = 1;
    char err[1024] = "", dir[4096] = "";
    isim_config cfg;
    int cfg_loaded = 0;
    convert_result conv;
    json_t *transcript = NULL, *tm = NULL, *vm = NULL, *probe = NULL, *report = NULL;

    if (config_load(&cfg, err, sizeof(err)) != 0)
        goto out;
    cfg_loaded = 1;
    log_init("isim", getenv("ISIM_LOG_LEVEL") ? cfg.log_level : "warn");
    log_set_output(stderr);
    avlog_route_to_json();
    if (util_tempdir_new(cfg.work_dir, dir, sizeof(dir), err, sizeof(err)) != 0) {
        dir[0] = '\0';
        goto out;
    }
    convert_limits lim = {.max_bytes = cfg.max_upload_bytes, .max_duration_s = cfg.max_duration_s,
                          .max_height = 720};
    if (convert_run(path, dir, &lim, &conv, err, sizeof(err)) != 0)
        goto out;
    probe = convert_probe_to_json(&conv.probe);
    if (conv.audio_path[0]) {
        transcribe_opts topts = {.model_dir = cfg.model_dir};
        if (transcribe_wav(conv.audio_path, &topts, &transcript, err, sizeof(err)) != 0)
            goto out;
    } else {
        transcript = json_pack("{s:s, s:f, s:s, s:[]}", "engine", "none", "duration_s",
                               conv.probe.duration_s, "text", "", "words");
    }
    if (tmetrics_compute(transcript, &tm, err, sizeof(err)) != 0)
        goto out;
    if (conv.video_path[0]) {
        vmetrics_opts vopts = {.sample_fps = 5};
        if (vmetrics_run(conv.video_path, &vopts, &vm, err, sizeof(err)) != 0)
            goto out;
    } else {
        vm = json_pack("{s:b, s:i, s:[]}", "has_video", 0, "frames_analysed", 0, "seconds");
    }
    report = report_build(question, probe, transcript, tm, vm);
    if (!report || json_dumpf(report, stdout, JSON_INDENT(2)) != 0) {
        snprintf(err, sizeof(err), "cannot write the report");
        goto out;
    }
    fputc('\n', stdout);
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "isim: %s\n", err[0] ? err : "analysis failed");
    json_decref(report);
    json_decref(probe);
    json_decref(transcript);
    json_decref(tm);
    json_decref(vm);
    if (dir[0])
        util_tempdir_free(dir);
    if (cfg_loaded)
        config_release(&cfg);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "config-table") == 0) {
        config_print_markdown(stdout);
        return 0;
    }
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
        return isim_usage(stdout);
    if (argc < 3 || strcmp(argv[1], "analyze") != 0)
        return isim_usage(stderr);
    const char *question = "Tell me about yourself.";
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--question") == 0 && i + 1 < argc)
            question = argv[++i];
        else
            return isim_usage(stderr);
    }
    return isim_analyze(argv[2], question);
}
