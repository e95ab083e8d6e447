/* Transcriber benchmark: word error rate and real-time factor per engine on
 * the evaluation set (the read-speech clips of Debian's pocketsphinx-testdata,
 * with their transcripts), next to pocketsphinx's stock settings measured in
 * the same run. Built and run by run.sh. */
#include "transcribe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIPS 64
#define MAX_WORDS 512
#define GAP_S 1.0

typedef struct clip {
    char path[1024];
    char ref[2048];
} clip;

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t split_words(char *s, char **w, size_t max)
{
    size_t n = 0;
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    for (char *t = strtok(s, " \t\n"); t && n < max; t = strtok(NULL, " \t\n"))
        if (strcmp(t, "<s>") != 0 && strcmp(t, "</s>") != 0)
            w[n++] = t;
    return n;
}

static size_t edits(const char *ref_text, const char *hyp_text, size_t *nref)
{
    static size_t prev[MAX_WORDS + 1], cur[MAX_WORDS + 1];
    char *r = strdup(ref_text), *h = strdup(hyp_text), *rw[MAX_WORDS], *hw[MAX_WORDS];
    size_t nr = split_words(r, rw, MAX_WORDS), nh = split_words(h, hw, MAX_WORDS);
    for (size_t j = 0; j <= nh; j++)
        prev[j] = j;
    for (size_t i = 1; i <= nr; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nh; j++) {
            size_t sub = prev[j - 1] + (strcmp(rw[i - 1], hw[j - 1]) != 0);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof cur);
    }
    *nref = nr;
    free(r);
    free(h);
    return prev[nh];
}

/* Reads "<s> words </s> (id)" lines of dir/transcription. */
static size_t load_clips(const char *dir, clip *clips)
{
    char path[1200], line[2048];
    snprintf(path, sizeof path, "%s/transcription", dir);
    FILE *fp = fopen(path, "r");
    size_t n = 0;
    if (!fp) {
        fprintf(stderr, "bench: cannot read %s (install pocketsphinx-testdata)\n", path);
        exit(1);
    }
    while (n < MAX_CLIPS && fgets(line, sizeof line, fp)) {
        char *open = strrchr(line, '('), *close = strrchr(line, ')');
        if (!open || !close || close < open)
            continue;
        *close = '\0';
        snprintf(clips[n].path, sizeof clips[n].path, "%s/%s.wav", dir, open + 1);
        *open = '\0';
        snprintf(clips[n].ref, sizeof clips[n].ref, "%s", line);
        n++;
    }
    fclose(fp);
    return n;
}

typedef struct result {
    size_t edits, ref;
    double audio_s, wall_s, cpu_s;
    char model[128]; /* the model the engine names, if it names one */
} result;

static int run_clip(transcriber *t, const char *path, const char *ref, result *r, int verbose)
{
    char err[1024];
    json_t *out = NULL;
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (transcriber_run(t, path, &out, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s: %s\n", path, err);
        return -1;
    }
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    size_t nref, e = edits(ref, json_string_value(json_object_get(out, "text")), &nref);
    double dur = json_number_value(json_object_get(out, "duration_s"));
    if (verbose)
        printf("    %-46s WER %5.1f %% (%zu/%zu)  \"%s\"\n", strrchr(path, '/') + 1,
               100.0 * e / nref, e, nref, json_string_value(json_object_get(out, "text")));
    const char *model = json_string_value(json_object_get(out, "model"));
    if (model)
        snprintf(r->model, sizeof r->model, "%s", model);
    r->edits += e;
    r->ref += nref;
    r->audio_s += dur;
    r->wall_s += wall;
    r->cpu_s += cpu;
    json_decref(out);
    return 0;
}

/* The clips joined with GAP_S of silence: one long recording. */
static int write_joined(const clip *clips, size_t n, const char *out, char *ref, size_t reflen)
{
    FILE *o = fopen(out, "wb");
    if (!o)
        return -1;
    unsigned char hdr[44] = {0};
    fwrite(hdr, 1, 44, o);
    uint32_t bytes = 0;
    int16_t zeros[1600] = {0};
    ref[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        FILE *in = fopen(clips[i].path, "rb");
        unsigned char buf[8192];
        size_t got;
        if (!in)
            return -1;
        fseek(in, 44, SEEK_SET); /* the testdata WAVs have the plain 44-byte header */
        while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
            fwrite(buf, 1, got, o);
            bytes += (uint32_t)got;
        }
        fclose(in);
        for (int k = 0; k < (int)(GAP_S * 10); k++) {
            fwrite(zeros, 2, 1600, o);
            bytes += 3200;
        }
        strncat(ref, clips[i].ref, reflen - strlen(ref) - 1);
    }
    uint32_t v[] = {36 + bytes, 16, 16000, 32000, bytes};
    memcpy(hdr, "RIFF", 4);
    memcpy(hdr + 4, &v[0], 4);
    memcpy(hdr + 8, "WAVEfmt ", 8);
    memcpy(hdr + 16, &v[1], 4);
    hdr[20] = 1, hdr[22] = 1;
    memcpy(hdr + 24, &v[2], 4);
    memcpy(hdr + 28, &v[3], 4);
    hdr[32] = 2, hdr[34] = 16;
    memcpy(hdr + 36, "data", 4);
    memcpy(hdr + 40, &v[4], 4);
    fseek(o, 0, SEEK_SET);
    fwrite(hdr, 1, 44, o);
    return fclose(o);
}

static int bench_engine(const char *label, const transcribe_opts *o, const clip *clips, size_t n,
                        const char *joined, const char *joined_ref, result *per, result *join)
{
    char err[1024];
    transcriber *t = NULL;
    result warm = {0};
    if (transcriber_new(o, &t, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s: %s\n", label, err);
        return -1;
    }
    printf("  %s\n", label);
    /* Loads the decoders (not timed: the service keeps them loaded; the
     * joined recording's chunks keep every thread busy). With min_chunk_s 2
     * every sentence of the joined recording is a chunk. */
    int rc = run_clip(t, joined, joined_ref, &warm, 0);
    /* BENCH_JOINED_ONLY=1: the joined recording only (the RTF), not each clip. */
    if (getenv("BENCH_JOINED_ONLY"))
        n = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = run_clip(t, clips[i].path, clips[i].ref, per, 1);
    if (rc == 0)
        rc = run_clip(t, joined, joined_ref, join, 0);
    transcriber_free(t);
    return rc;
}

/* --wer: the tuned engine on the clips only, one line, for sweeping
 * ISIM_TRANSCRIBE_PS_ARGS (BENCH_NO_PREP=1 or BENCH_STOCK=1 change the base). */
static int wer_only(const clip *clips, size_t n)
{
    transcribe_opts o = {.threads = 1, .ps_args = getenv("ISIM_TRANSCRIBE_PS_ARGS"),
                         .ps_no_prep = getenv("BENCH_NO_PREP") != NULL,
                         .ps_stock = getenv("BENCH_STOCK") != NULL};
    transcriber *t = NULL;
    char err[1024];
    result r = {0};
    if (transcriber_new(&o, &t, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    int fresh = getenv("BENCH_FRESH") != NULL; /* a new decoder for each clip */
    run_clip(t, clips[0].path, clips[0].ref, &r, 0); /* loads the decoder */
    r = (result){0};
    for (size_t i = 0; i < n; i++) {
        if (fresh) {
            transcriber_free(t);
            if (transcriber_new(&o, &t, err, sizeof err) < 0)
                return 1;
        }
        if (run_clip(t, clips[i].path, clips[i].ref, &r, getenv("BENCH_VERBOSE") != NULL) < 0)
            return 1;
    }
    printf("WER %5.1f %% (%zu/%zu)  CPU RTF %.3f  stock=%d prep=%d args=\"%s\"\n",
           100.0 * r.edits / r.ref, r.edits, r.ref, r.cpu_s / r.audio_s, o.ps_stock,
           !o.ps_stock && !o.ps_no_prep, o.ps_args ? o.ps_args : "");
    transcriber_free(t);
    return 0;
}

/* BENCH_TSV=FILE: appends each engine's wall RTF on the joined recording,
 * next to the stock settings', as rows of bench/tsv.sh's columns. */
static int write_tsv(const char *path, const char *const *labels, const char *const *targets,
                     const result *join, size_t n)
{
    FILE *fp = fopen(path, "a");
    if (!fp) {
        perror(path);
        return -1;
    }
    double stock = join[0].wall_s / join[0].audio_s;
    for (size_t i = 1; i < n; i++) {
        double rtf = join[i].wall_s / join[i].audio_s;
        fprintf(fp, "transcriber\t%s%s%s, %.1f s of read speech\t%.3f\tRTF (wall)\t%s\t%.3f\t%.2f\t%s\n",
                labels[i], join[i].model[0] ? ", model " : "", join[i].model, join[i].audio_s, rtf,
                "pocketsphinx stock settings, 1 thread, same audio", stock, rtf / stock, targets[i]);
    }
    return fclose(fp) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/usr/share/pocketsphinx/test/data/librivox";
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    static clip clips[MAX_CLIPS];
    static char joined_ref[MAX_CLIPS * 2048];
    char joined[1200];
    size_t n = load_clips(dir, clips);
    if (argc > 2 && strcmp(argv[2], "--wer") == 0)
        return wer_only(clips, n);
    snprintf(joined, sizeof joined, "%s/isim-bench-joined-%d.wav", tmp, (int)getpid());
    if (n == 0 || write_joined(clips, n, joined, joined_ref, sizeof joined_ref) < 0) {
        fprintf(stderr, "bench: no clips in %s\n", dir);
        return 1;
    }
    const char *url = getenv("ISIM_TRANSCRIBE_URL"), *ps_args = getenv("ISIM_TRANSCRIBE_PS_ARGS");
    int threads = getenv("ISIM_TRANSCRIBE_THREADS") ? atoi(getenv("ISIM_TRANSCRIBE_THREADS")) : 0;
    struct {
        const char *label;
        transcribe_opts o;
    } runs[] = {
        {"pocketsphinx, stock settings (baseline), 1 thread",
         {.ps_stock = 1, .threads = 1, .min_chunk_s = 2}},
        {"pocketsphinx, tuned, 1 thread", {.threads = 1, .ps_args = ps_args, .min_chunk_s = 2}},
        {"pocketsphinx, tuned, one thread per core",
         {.threads = threads, .ps_args = ps_args, .min_chunk_s = 2}},
        {"openai", {.engine = "openai", .url = url, .model = getenv("ISIM_TRANSCRIBE_MODEL"),
                    .api_key = getenv("ISIM_TRANSCRIBE_API_KEY"),
                    .language = getenv("ISIM_TRANSCRIBE_LANGUAGE")}},
    };
    size_t nruns = url && url[0] ? 4 : 3;
    result per[4] = {0}, join[4] = {0};
    printf("evaluation set: %zu clips in %s; joined: the same with %.1f s of silence between\n",
           n, dir, GAP_S);
    for (size_t i = 0; i < nruns; i++)
        if (bench_engine(runs[i].label, &runs[i].o, clips, n, joined, joined_ref, &per[i],
                         &join[i]) < 0) {
            remove(joined);
            return 1;
        }
    remove(joined);
    printf("\n%-50s %9s %9s %9s %9s %11s\n", "engine", "WER clips", "WER join", "CPU RTF",
           "wall RTF", "wall/stock");
    for (size_t i = 0; i < nruns; i++) {
        char wer_clips[16] = "-";
        if (per[i].ref > 0)
            snprintf(wer_clips, sizeof wer_clips, "%.1f%%", 100.0 * per[i].edits / per[i].ref);
        printf("%-50s %9s %8.1f%% %9.3f %9.3f %11.2f\n", runs[i].label, wer_clips,
               100.0 * join[i].edits / join[i].ref, join[i].cpu_s / join[i].audio_s,
               join[i].wall_s / join[i].audio_s, join[i].wall_s / join[0].wall_s);
    }
    printf("(RTF = processing time / audio duration on the joined recording, decoders loaded)\n");
    const char *labels[4], *tsv = getenv("BENCH_TSV");
    /* Targets of the figure: docs/accuracy.md (the server, for a 2-minute
     * answer) and bench/transcriber/README.md (pocketsphinx on every core). */
    const char *targets[4] = {"", "", "RTF <= 0.30", "RTF <= 0.15"};
    for (size_t i = 0; i < nruns; i++)
        labels[i] = i == 3 ? "openai engine (the server at ISIM_TRANSCRIBE_URL)" : runs[i].label;
    if (tsv && tsv[0] && write_tsv(tsv, labels, targets, join, nruns) < 0)
        return 1;
    return 0;
}
