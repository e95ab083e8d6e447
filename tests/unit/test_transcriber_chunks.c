/* Long audio: the energy-based chunker, and word times after splitting,
 * parallel decoding and stitching, on real recorded speech (the
 * pocketsphinx-testdata clips) joined with known silences. */
#include "transcribe.h"
#include "vad_chunker.h"

#include <criterion/criterion.h>

#include "test_support.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define LIBRIVOX "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-"
#define RATE 16000
#define GAP_S 2.0

static char err[1024];

/* The samples of a testdata clip (plain 44-byte header). */
static int16_t *read_clip(const char *id, size_t *n)
{
    char path[256];
    snprintf(path, sizeof path, LIBRIVOX "%s.wav", id);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s: install pocketsphinx-testdata", path);
    fseek(fp, 0, SEEK_END);
    *n = (size_t)(ftell(fp) - 44) / 2;
    fseek(fp, 44, SEEK_SET);
    int16_t *s = malloc(*n * sizeof *s);
    cr_assert_eq(fread(s, 2, *n, fp), *n);
    fclose(fp);
    return s;
}

typedef struct collected {
    size_t count;
    uint64_t next_start;
    int16_t *all;
    size_t starts[64];
    int speech[64];
} collected;

static int collect(vad_chunk *c, void *user)
{
    collected *col = user;
    cr_assert_eq(c->index, col->count);
    cr_assert_eq(c->start, col->next_start, "chunks must tile the stream");
    memcpy(col->all + c->start, c->samples, c->n * sizeof *c->samples);
    col->starts[col->count] = (size_t)c->start;
    col->speech[col->count] = c->has_speech;
    col->count++;
    col->next_start += c->n;
    vad_chunk_free(c);
    return 0;
}

/* 3 s tone bursts with 1 s pauses of faint noise: cuts fall in the pauses. */
Test(chunker, cuts_in_pauses_and_keeps_every_sample)
{
    size_t burst = 3 * RATE, pause = RATE, n = 4 * (burst + pause);
    int16_t *s = malloc(n * sizeof *s);
    srand(1);
    for (size_t i = 0; i < n; i++) {
        int in_burst = i % (burst + pause) < burst;
        s[i] = (int16_t)(in_burst ? 8000.0 * sin(2 * M_PI * 220.0 * i / RATE) : rand() % 61 - 30);
    }
    collected col = {.all = calloc(n, sizeof(int16_t))};
    vad_chunker v;
    cr_assert_eq(vad_chunker_init(&v, 2.0, 30.0, collect, &col, err, sizeof err), 0, "%s", err);
    for (size_t i = 0; i < n; i += 1000) /* odd block sizes across frame borders */
        cr_assert_eq(vad_chunker_push(&v, s + i, n - i < 1000 ? n - i : 1000), 0);
    cr_assert_eq(vad_chunker_finish(&v), 0);
    vad_chunker_release(&v);
    cr_assert_eq(col.next_start, n);
    cr_assert_eq(memcmp(col.all, s, n * sizeof *s), 0);
    /* Four bursts, and the last pause's second half alone. */
    cr_assert_eq(col.count, 5, "%zu chunks", col.count);
    for (size_t k = 1; k < col.count; k++) {
        double cut = (double)col.starts[k] / RATE, pause_start = k * 4.0 - 1.0;
        cr_assert(cut > pause_start + 0.1 && cut < pause_start + 0.9,
                  "cut %zu at %.2f s, pause %.1f-%.1f s", k, cut, pause_start, pause_start + 1);
    }
    for (size_t k = 0; k < 4; k++)
        cr_assert(col.speech[k], "chunk %zu has the tone", k);
    cr_assert_not(col.speech[4]);
    free(col.all);
    free(s);
}

/* No pause at all: chunks end at max length, at their quietest moment. */
Test(chunker, long_speech_without_pause_is_bounded)
{
    size_t n = 10 * RATE;
    int16_t *s = malloc(n * sizeof *s);
    for (size_t i = 0; i < n; i++) { /* 150 Hz, its loudness swinging at 0.7 Hz */
        double envelope = (1.2 + sin(2 * M_PI * 0.7 * i / RATE)) / 2.2;
        s[i] = (int16_t)(6000.0 * envelope * sin(2 * M_PI * 150.0 * i / RATE));
    }
    collected col = {.all = calloc(n, sizeof(int16_t))};
    vad_chunker v;
    cr_assert_eq(vad_chunker_init(&v, 1.0, 3.0, collect, &col, err, sizeof err), 0, "%s", err);
    cr_assert_eq(vad_chunker_push(&v, s, n), 0);
    cr_assert_eq(vad_chunker_finish(&v), 0);
    vad_chunker_release(&v);
    cr_assert_eq(col.next_start, n);
    cr_assert_eq(memcmp(col.all, s, n * sizeof *s), 0);
    cr_assert_geq(col.count, 4);
    for (size_t k = 1; k < col.count; k++)
        cr_assert_leq(col.starts[k] - col.starts[k - 1], (size_t)3 * RATE);
    free(col.all);
    free(s);
}

Test(chunker, rejects_bad_lengths)
{
    vad_chunker v;
    cr_assert_eq(vad_chunker_init(&v, 5.0, 2.0, collect, NULL, err, sizeof err), -1);
    cr_assert(strstr(err, "invalid"), "%s", err);
}

Test(chunker, silence_only_is_not_a_failure)
{
    char path[] = "/tmp/isim-trchunk-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    size_t n = 45 * RATE;
    int16_t *s = malloc(n * sizeof *s);
    srand(2);
    for (size_t i = 0; i < n; i++) /* room noise, about -60 dBFS */
        s[i] = (int16_t)(rand() % 41 - 20);
    ts_write_wav(path, s, n, RATE);
    free(s);
    json_t *t = NULL;
    transcribe_opts o = {.min_chunk_s = 5, .max_chunk_s = 10};
    cr_assert_eq(transcribe_wav(path, &o, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(json_array_size(json_object_get(t, "words")), 0);
    cr_assert_eq(json_array_size(json_object_get(t, "segments")), 0);
    cr_assert(json_is_true(json_object_get(t, "no_speech")));
    cr_assert_str_eq(json_string_value(json_object_get(t, "note")), "no speech detected");
    cr_assert_float_eq(json_number_value(json_object_get(t, "duration_s")), 45.0, 1e-9);
    json_decref(t);
    unlink(path);
}

/* First and last sample above -40 dBFS in 10 ms frames: where speech is. */
static void speech_span(const int16_t *s, size_t n, double *b, double *e)
{
    size_t first = SIZE_MAX, last = 0;
    for (size_t f = 0; f + 160 <= n; f += 160)
        if (vad_frame_db(s + f, 160) > 50.0) {
            if (first == SIZE_MAX)
                first = f;
            last = f + 160;
        }
    cr_assert_neq(first, SIZE_MAX);
    *b = (double)first / RATE;
    *e = (double)last / RATE;
}

typedef struct sentence {
    const char *id, *first_word, *last_word;
} sentence;

/* Recorded sentences joined with GAP_S of digital silence: the times at which
 * each sentence's speech starts and ends are known, and so are the start of
 * its first word and the end of its last. Where the recogniser found that
 * word, its time must be within 0.3 s of the truth, after the audio was cut
 * into chunks and decoded on two threads. No word may lie in a silence. */
Test(chunks, word_times_after_split_and_stitch, .timeout = 600)
{
    static const sentence all[] = {{"0880", "he", "man"},
                                   {"0890", "unless", "disposed"},
                                   {"0930", "he", "himself"}};
    /* Under valgrind (about 50x slower) two short sentences only. */
    static const sentence vg[] = {{"0880", "he", "man"}, {"0930", "he", "himself"}};
    const sentence *sent = RUNNING_ON_VALGRIND ? vg : all;
    size_t nid = RUNNING_ON_VALGRIND ? 2 : 3, total = 0, gap = (size_t)(GAP_S * RATE);
    size_t checked = 0;
    double span_b[3], span_e[3];
    int16_t *joined = calloc((size_t)60 * RATE, sizeof *joined);
    for (size_t k = 0; k < nid; k++) {
        size_t n;
        int16_t *s = read_clip(sent[k].id, &n);
        double b, e;
        speech_span(s, n, &b, &e);
        span_b[k] = (double)total / RATE + b;
        span_e[k] = (double)total / RATE + e;
        memcpy(joined + total, s, n * sizeof *s);
        total += n + gap;
        free(s);
    }
    char path[] = "/tmp/isim-trjoin-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    ts_write_wav(path, joined, total, RATE);
    free(joined);

    transcribe_opts o = {.threads = 2, .min_chunk_s = 2.0};
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(path, &o, &t, err, sizeof err), 0, "%s", err);
    const json_t *words = json_object_get(t, "words"), *w;
    printf("joined %zu sentences: \"%s\"\n", nid, json_string_value(json_object_get(t, "text")));
    double first[3], last[3];
    const char *first_w[3] = {0}, *last_w[3] = {0};
    for (size_t k = 0; k < nid; k++)
        first[k] = -1.0, last[k] = -1.0;
    size_t i;
    double prev_end = 0.0;
    json_array_foreach(words, i, w) {
        double s = json_number_value(json_object_get(w, "start"));
        double e = json_number_value(json_object_get(w, "end"));
        cr_assert(s >= prev_end - 1e-9 && e > s, "word %zu out of order", i);
        prev_end = e;
        size_t k = 0;
        while (k < nid && !(s >= span_b[k] - 0.3 && e <= span_e[k] + 0.3))
            k++;
        cr_assert_lt(k, nid, "word %zu '%s' %.2f-%.2f lies in a known silence", i,
                     json_string_value(json_object_get(w, "word")), s, e);
        if (first[k] < 0) {
            first[k] = s;
            first_w[k] = json_string_value(json_object_get(w, "word"));
        }
        last[k] = e;
        last_w[k] = json_string_value(json_object_get(w, "word"));
    }
    for (size_t k = 0; k < nid; k++) {
        printf("sentence %s: speech %.2f-%.2f s, words %s %.2f - %s %.2f s\n", sent[k].id,
               span_b[k], span_e[k], first_w[k], first[k], last_w[k], last[k]);
        cr_assert(first[k] >= 0, "no word recognised in sentence %s", sent[k].id);
        if (strcmp(first_w[k], sent[k].first_word) == 0) {
            cr_assert(fabs(first[k] - span_b[k]) <= 0.3, "sentence %s: '%s' starts at %.2f s, "
                      "speech at %.2f s", sent[k].id, first_w[k], first[k], span_b[k]);
            checked++;
        }
        if (strcmp(last_w[k], sent[k].last_word) == 0) {
            cr_assert(fabs(last[k] - span_e[k]) <= 0.3, "sentence %s: '%s' ends at %.2f s, "
                      "speech at %.2f s", sent[k].id, last_w[k], last[k], span_e[k]);
            checked++;
        }
    }
    /* Most boundary words are recognised: the check above is not vacuous. */
    cr_assert_geq(checked, nid + 1, "only %zu boundary words recognised", checked);
    /* The 2 s silences separate segments. */
    const json_t *segs = json_object_get(t, "segments");
    cr_assert_eq(json_array_size(segs), nid, "%zu segments", json_array_size(segs));
    fflush(stdout);

    json_decref(t);
    unlink(path);
}
