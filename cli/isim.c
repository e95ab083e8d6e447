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
#include "llm_review.h"
#include "report.h"
#include "report_score.h"
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
    json_t *rubric = NULL, *stopwords = NULL;
    tm_lexicon *lex = NULL;
    char stop_path[4096];

    if (config_load(&cfg, err, sizeof(err)) != 0)
        goto out;
    cfg_loaded = 1;
    snprintf(stop_path, sizeof(stop_path), "%s/en/stopwords.txt", cfg.data_dir);
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
        transcribe_opts topts = transcribe_opts_from_config(&cfg);
        if (transcribe_wav(conv.audio_path, &topts, &transcript, err, sizeof(err)) != 0)
            goto out;
    } else {
        transcript = json_pack("{s:s, s:f, s:s, s:[]}", "engine", "none", "duration_s",
                               conv.probe.duration_s, "text", "", "words");
    }
    if (tm_lexicon_load(cfg.data_dir, "en", &lex, err, sizeof(err)) != 0 ||
        score_rubric_load(cfg.rubric_path, &rubric, err, sizeof(err)) != 0 ||
        report_wordset_load(stop_path, &stopwords, err, sizeof(err)) != 0)
        goto out;
    if (tmetrics_compute(lex, transcript, &tm, err, sizeof(err)) != 0)
        goto out;
    if (vmetrics_run_configured(&cfg, conv.video_path[0] ? conv.video_path : NULL,
                                conv.audio_path[0] ? conv.audio_path : NULL, &vm, err,
                                sizeof(err)) != 0)
        goto out;
    report_input in = {.question = question, .probe = probe, .transcript = transcript,
                       .text_metrics = tm, .video_metrics = vm, .rubric = rubric,
                       .stopwords = stopwords};
    report = report_build(&in);
    llm_opts llm = {.url = cfg.llm_url, .model = cfg.llm_model, .api_key = cfg.llm_api_key,
                    .timeout_s = cfg.llm_timeout_s, .retries = cfg.llm_retries};
    if (report)
        llm_review_attach(&llm, report);
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
    json_decref(rubric);
    json_decref(stopwords);
    tm_lexicon_free(lex);
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
