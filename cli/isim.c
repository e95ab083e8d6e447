/* isim: the whole pipeline in one process on a local file, with no
 * infrastructure. `isim analyze [--question TEXT] [--engine NAME] FILE` (options
 * in any order) prints the report JSON the gateway returns for a completed
 * interview. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "isim_args.h"
#include "isim_admin.h"
#include "isim_config.h"
#include "isim_dlq.h"
#include "isim_avlog.h"
#include "isim_log.h"
#include "isim_times.h"
#include "isim_util.h"
#include "llm_review.h"
#include "relevance_semantic.h"
#include "report.h"
#include "report_score.h"
#include "report_langs.h"
#include "tm_languages.h"
#include "tmetrics.h"
#include "transcribe.h"
#include "transcribe_langs.h"
#include "vmetrics.h"

static int isim_usage(FILE *out)
{
    fprintf(out,
            "usage: isim analyze [--question TEXT] [--language CODE|auto] [--engine auto|pocketsphinx|openai]\n"
            "                    [--times] FILE\n"
            "       isim transcribe [--language CODE|auto] [--engine auto|pocketsphinx|openai] FILE\n"
            "       isim config-table\n");
    isim_admin_usage(out);
    isim_dlq_usage(out);
    fprintf(out, "\n"
            "analyze   runs convert, transcribe, video and text metrics and the report on FILE\n"
            "          and prints the report JSON (the same the gateway returns). Options may\n"
            "          come before or after FILE.\n"
            "  --question TEXT  the interview question (default: \"Tell me about yourself.\")\n"
            "  --language CODE  the answer's language, a code of data/languages.txt (en, pt-BR), or\n"
            "                   auto to detect it (default: ISIM_TRANSCRIBE_LANGUAGE)\n"
            "  --engine NAME    speech recognition: auto (default, ISIM_TRANSCRIBE_ENGINE) uses the\n"
            "                   speech-to-text server when ISIM_TRANSCRIBE_URL is set and pocketsphinx\n"
            "                   otherwise; pocketsphinx; openai (the server at ISIM_TRANSCRIBE_URL)\n"
            "  --times          also prints, on stderr, one JSON line of each stage's wall and CPU\n"
            "                   seconds in this process ({\"stage_times\": {\"converter\": ...}}; the\n"
            "                   speech server's own CPU is not in it)\n"
            "transcribe  converts FILE and prints only its transcript JSON (engine, model, words\n"
            "          with times): what the accuracy benchmark measures.\n"
            "config-table  prints the environment variables as a Markdown table.\n"
            "admin     the work before the services start (the Helm chart's hook Jobs run it).\n"
            "dlq       lists the messages the stages dead-lettered, and replays them once repaired\n"
            "          (isim dlq --help).\n");
    return out == stderr ? 2 : 0;
}

static int isim_transcript_in(const isim_config *cfg, const char *path, const char *engine,
                              const transcribe_call *call, const char *dir, convert_result *conv, json_t **probe,
                              json_t **transcript, json_t *times, char *err, size_t errlen);

/* Converts path in dir (a fresh temporary folder) and transcribes its sound
 * track with the configured engine, or engine when not NULL, in language (a
 * code of data/languages.txt or auto; NULL: ISIM_TRANSCRIBE_LANGUAGE); the
 * two stages' times go to times when not NULL. */
static int isim_transcript(const isim_config *cfg, const char *path, const char *engine, const char *language,
                           const char *dir, convert_result *conv, json_t **probe, json_t **transcript,
                           json_t *times, char *err, size_t errlen)
{
    transcribe_langs *langs = NULL;
    transcribe_call call;
    int rc = -1;
    if (transcribe_langs_load(cfg->data_dir, cfg->transcribe_prompt, &langs, err, errlen) != 0)
        return -1;
    const char *asked = language ? language : transcribe_langs_code_of(langs, cfg->transcribe_language);
    if (!asked) {
        snprintf(err, errlen, "ISIM_TRANSCRIBE_LANGUAGE=%s is not a language of data/languages.txt",
                 cfg->transcribe_language);
        goto out;
    }
    if (transcribe_langs_call(langs, asked, &call, err, errlen) != 0)
        goto out;
    rc = isim_transcript_in(cfg, path, engine, &call, dir, conv, probe, transcript, times, err, errlen);
    if (rc == 0 && transcribe_langs_finish(langs, asked, *transcript) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
out:
    transcribe_langs_free(langs);
    return rc;
}

static int isim_transcript_in(const isim_config *cfg, const char *path, const char *engine,
                              const transcribe_call *call, const char *dir, convert_result *conv, json_t **probe,
                              json_t **transcript, json_t *times, char *err, size_t errlen)
{
    convert_limits lim = {.max_bytes = cfg->max_upload_bytes, .max_duration_s = cfg->max_duration_s,
                          .max_height = 720};
    isim_stamp at;
    isim_stamp_now(&at);
    if (convert_run(path, dir, &lim, conv, err, errlen) != 0)
        return -1;
    isim_times_add(times, "converter", &at);
    *probe = convert_probe_to_json(&conv->probe);
    if (!conv->audio_path[0]) {
        *transcript = json_pack("{s:s, s:f, s:s, s:[]}", "engine", "none", "duration_s", conv->probe.duration_s,
                                "text", "", "words");
        return 0;
    }
    transcribe_opts topts = transcribe_opts_from_config(cfg);
    if (engine)
        topts.engine = engine;
    transcriber *t = NULL;
    if (transcriber_new(&topts, &t, err, errlen) != 0)
        return -1;
    int rc = transcriber_run_call(t, conv->audio_path, call, transcript, err, errlen);
    transcriber_free(t);
    isim_times_add(times, "transcriber", &at);
    return rc;
}

/* What every command holds while it runs: the configuration and a scratch folder. */
typedef struct isim_run {
    isim_config cfg;
    int cfg_loaded;
    char dir[4096];
} isim_run;

static int isim_run_init(isim_run *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    if (config_load(&r->cfg, err, errlen) != 0)
        return -1;
    r->cfg_loaded = 1;
    log_init("isim", getenv("ISIM_LOG_LEVEL") ? r->cfg.log_level : "warn");
    log_set_output(stderr);
    avlog_route_to_json();
    if (util_tempdir_new(r->cfg.work_dir, r->dir, sizeof(r->dir), err, errlen) != 0) {
        r->dir[0] = '\0';
        return -1;
    }
    return 0;
}

static void isim_run_release(isim_run *r)
{
    if (r->dir[0])
        util_tempdir_free(r->dir);
    if (r->cfg_loaded)
        config_release(&r->cfg);
}

/* Prints j on stdout, indented; 0 or -1 with err naming what. */
static int isim_print(const json_t *j, const char *what, char *err, size_t errlen)
{
    if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) != 0) {
        snprintf(err, errlen, "cannot write the %s", what);
        return -1;
    }
    fputc('\n', stdout);
    return 0;
}

static int isim_transcribe(const char *path, const char *engine, const char *language)
{
    int rc = 1;
    char err[1024] = "";
    isim_run run;
    convert_result conv;
    json_t *probe = NULL, *transcript = NULL;
    if (isim_run_init(&run, err, sizeof(err)) != 0 ||
        isim_transcript(&run.cfg, path, engine, language, run.dir, &conv, &probe, &transcript, NULL, err,
                        sizeof(err)) != 0 ||
        isim_print(transcript, "transcript", err, sizeof(err)) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "isim: %s\n", err[0] ? err : "transcription failed");
    json_decref(probe);
    json_decref(transcript);
    isim_run_release(&run);
    return rc;
}

static int isim_analyze(const char *path, const char *question, const char *engine, const char *language,
                        int print_times)
{
    int rc = 1;
    char err[1024] = "";
    isim_run run;
    convert_result conv;
    json_t *transcript = NULL, *tm = NULL, *vm = NULL, *probe = NULL, *report = NULL;
    json_t *rubric = NULL, *semantic = NULL;
    tm_languages *tml = NULL;
    report_langs *rl = NULL;
    json_t *times = print_times ? json_object() : NULL;
    isim_stamp at;

    if (isim_run_init(&run, err, sizeof(err)) != 0)
        goto out;
    const isim_config *cfg = &run.cfg;
    if (isim_transcript(cfg, path, engine, language, run.dir, &conv, &probe, &transcript, times, err,
                        sizeof(err)) != 0)
        goto out;
    if (tm_languages_load(cfg->data_dir, &tml, err, sizeof(err)) != 0 ||
        score_rubric_load(cfg->rubric_path, &rubric, err, sizeof(err)) != 0 ||
        report_langs_load(cfg->data_dir, &rl, err, sizeof(err)) != 0 ||
        report_langs_check_rubric(rl, rubric, err, sizeof(err)) != 0)
        goto out;
    /* The stages one after another here; the pipeline runs video metrics
     * beside the transcriber and text metrics. */
    isim_stamp_now(&at);
    const tm_lexicon *lex = tm_languages_pick(tml, transcript, err, sizeof(err));
    if (!lex || tmetrics_compute(lex, transcript, &tm, err, sizeof(err)) != 0)
        goto out;
    isim_times_add(times, "text-metrics", &at);
    size_t li = report_langs_pick(rl, lex->lang);
    if (vmetrics_run_configured(cfg, conv.video_path[0] ? conv.video_path : NULL,
                                conv.audio_path[0] ? conv.audio_path : NULL, &vm, err,
                                sizeof(err)) != 0)
        goto out;
    isim_times_add(times, "video-metrics", &at);
    report_input in = {.question = question, .probe = probe, .transcript = transcript,
                       .text_metrics = tm, .video_metrics = vm, .rubric = rubric,
                       .stopwords = rl->stopwords[li], .suffixes = rl->suffixes[li], .behavioural_cues = rl->cues[li], .msgs = rl->msgs[li], .language = rl->table.v[li].code};
    embed_opts embed = {.url = cfg->embed_url, .model = cfg->embed_model, .timeout_s = cfg->embed_timeout_s};
    semantic = semantic_relevance_new(&embed, question, NULL, json_object_get(transcript, "words"));
    in.semantic = semantic;
    report = report_build(&in);
    llm_opts llm = {.url = cfg->llm_url, .model = cfg->llm_model, .api_key = cfg->llm_api_key,
                    .timeout_s = cfg->llm_timeout_s, .retries = cfg->llm_retries};
    if (report)
        llm_review_attach(&llm, report);
    isim_times_add(times, "result-writer", &at);
    if (isim_print(report, "report", err, sizeof(err)) != 0)
        goto out;
    if (times) {
        json_t *line = json_pack("{s:O}", "stage_times", times);
        if (!line || json_dumpf(line, stderr, JSON_COMPACT) != 0) {
            json_decref(line);
            snprintf(err, sizeof(err), "cannot write the stage times");
            goto out;
        }
        json_decref(line);
        fputc('\n', stderr);
    }
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
    json_decref(semantic);
    json_decref(times);
    tm_languages_free(tml);
    report_langs_free(rl);
    isim_run_release(&run);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "config-table") == 0) {
        config_print_markdown(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "admin") == 0)
        return isim_admin_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "dlq") == 0)
        return isim_dlq_main(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
        return isim_usage(stdout);
    int analyze = argc >= 2 && strcmp(argv[1], "analyze") == 0;
    if (!analyze && !(argc >= 2 && strcmp(argv[1], "transcribe") == 0))
        return isim_usage(stderr);
    const char *question = "Tell me about yourself.", *engine = NULL, *language = NULL, *file = NULL, *v;
    int options_done = 0, print_times = 0;
    for (int i = 2; i < argc; i++) {
        int missing = 0;
        if (!options_done && strcmp(argv[i], "--") == 0) {
            options_done = 1;
        } else if (!options_done && (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)) {
            return isim_usage(stdout);
        } else if (!options_done && analyze && strcmp(argv[i], "--times") == 0) {
            print_times = 1;
        } else if (!options_done && analyze && (v = isim_option(argc, argv, &i, "--question", &missing))) {
            question = v;
        } else if (!options_done && (v = isim_option(argc, argv, &i, "--engine", &missing))) {
            engine = v;
        } else if (!options_done && (v = isim_option(argc, argv, &i, "--language", &missing))) {
            language = v;
        } else if (missing) {
            fprintf(stderr, "isim: %s needs a value\n", argv[i]);
            return 2;
        } else if (!options_done && argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "isim: unknown option %s (try isim --help)\n", argv[i]);
            return 2;
        } else if (file) {
            fprintf(stderr, "isim: one file at a time (%s and %s given)\n", file, argv[i]);
            return 2;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        fprintf(stderr, "isim: name the recording to %s (try isim --help)\n", argv[1]);
        return 2;
    }
    if (engine && strcmp(transcriber_engine_name(&(transcribe_opts){.engine = engine, .url = "x"}), "unknown") == 0) {
        fprintf(stderr, "isim: unknown engine %s: auto, pocketsphinx or openai\n", engine);
        return 2;
    }
    return analyze ? isim_analyze(file, question, engine, language, print_times)
                   : isim_transcribe(file, engine, language);
}
