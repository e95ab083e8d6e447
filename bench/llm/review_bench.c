/* Runs the result-writer's real AI review code (services/result-writer/llm_review.c)
 * on written interview answers against the server named by ISIM_LLM_URL, and
 * writes one JSON line per answer: whether a valid review came back, attempts,
 * wall time, the error, the review with each span's words, and the transcript.
 *
 *   review_bench QUESTIONS_TSV OUT_JSONL ANSWER.txt...
 *
 * Word times are synthetic (165 words a minute, 0.4 s more after a sentence):
 * what is measured is whether the spans the model cites fall inside the
 * answer and point at the words that support the claim, not timing. */
#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm_review.h"

#define BENCH_WORD_S (60.0 / 165.0)
#define BENCH_SENTENCE_PAUSE_S 0.4

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

/* The question for answer id from lines "id<TAB>question"; NULL if none. */
static char *question_for(const char *tsv, const char *id)
{
    char line[1024], *found = NULL;
    FILE *f = fopen(tsv, "r");
    if (!f)
        return NULL;
    while (!found && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        if (strcmp(line, id) == 0) {
            tab[1 + strcspn(tab + 1, "\r\n")] = '\0';
            found = strdup(tab + 1);
        }
    }
    fclose(f);
    return found;
}

/* Words of text as an ASR transcript has them: lower case, no punctuation,
 * with start/end seconds. */
static json_t *words_new(const char *text)
{
    json_t *words = json_array();
    char *copy = strdup(text), *save = NULL;
    double t = 0.0;
    for (char *tok = strtok_r(copy, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
        char w[128];
        size_t n = 0;
        int sentence_end = 0;
        for (const char *p = tok; *p && n + 1 < sizeof w; p++) {
            if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '\'')
                w[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            else if (*p == '.' || *p == '?' || *p == '!')
                sentence_end = 1;
        }
        w[n] = '\0';
        if (!n)
            continue;
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", w, "start", t, "end",
                                               t + BENCH_WORD_S * 0.85));
        t += BENCH_WORD_S + (sentence_end ? BENCH_SENTENCE_PAUSE_S : 0.0);
    }
    free(copy);
    return words;
}

static char *file_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
        buf[n] = '\0';
    else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_one(const llm_opts *o, const char *tsv, const char *path, FILE *out)
{
    int rc = -1;
    char id[256], pathcopy[1024], err[512] = "";
    char *text = file_read(path), *question = NULL;
    json_t *report = NULL, *review = NULL, *line = NULL;
    if (!text) {
        fprintf(stderr, "review_bench: cannot read %s: %s\n", path, strerror(errno));
        goto out;
    }
    snprintf(pathcopy, sizeof pathcopy, "%s", path);
    snprintf(id, sizeof id, "%s", basename(pathcopy));
    id[strcspn(id, ".")] = '\0';
    question = question_for(tsv, id);
    if (!question) {
        fprintf(stderr, "review_bench: %s has no question in %s\n", id, tsv);
        goto out;
    }
    report = json_pack("{s:s, s:{s:o}}", "question", question, "transcript", "words", words_new(text));
    int attempts = 0;
    double t0 = now_s();
    int ok = llm_review_run(o, report, &review, &attempts, err, sizeof err) == 0;
    double took = now_s() - t0;
    line = json_pack("{s:s, s:s, s:s, s:b, s:i, s:f, s:s, s:O, s:O}", "id", id, "model",
                     o->model ? o->model : "", "question", question, "valid", ok, "attempts", attempts,
                     "seconds", took, "error", ok ? "" : err, "review", review ? review : json_null(),
                     "words", json_object_get(json_object_get(report, "transcript"), "words"));
    if (!line || json_dumpf(line, out, JSON_COMPACT) != 0 || fputc('\n', out) == EOF)
        goto out;
    fflush(out);
    fprintf(stderr, "%-14s %s attempts=%d %.1f s %s\n", id, ok ? "valid  " : "INVALID", attempts, took, err);
    rc = 0;
out:
    json_decref(line);
    json_decref(review);
    json_decref(report);
    free(question);
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: review_bench QUESTIONS_TSV OUT_JSONL ANSWER.txt...\n");
        return 2;
    }
    llm_opts o = {.url = env_or("ISIM_LLM_URL", "http://127.0.0.1:8089/v1"),
                  .model = env_or("ISIM_LLM_MODEL", "smollm2-135m"),
                  .api_key = env_or("ISIM_LLM_API_KEY", ""),
                  .timeout_s = atoi(env_or("ISIM_LLM_TIMEOUT_S", "20")),
                  .retries = atoi(env_or("ISIM_LLM_RETRIES", "1"))};
    FILE *out = fopen(argv[2], "a");
    if (!out) {
        fprintf(stderr, "review_bench: cannot write %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    int failed = 0;
    for (int i = 3; i < argc; i++)
        failed |= bench_one(&o, argv[1], argv[i], out) != 0;
    fclose(out);
    return failed;
}
