/* Works on 10 ms hops of a 16 kHz mono stream: per hop it keeps the
 * K-weighted and plain energy and, every other hop, a YIN pitch estimate;
 * everything else is computed from those arrays at the end (a few hundred
 * bytes per second of sound, never the samples themselves). */
#include "vm_voice.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_audio.h"
#include "vm_loudness.h"
#include "vm_pitch.h"

#define RATE 16000
#define HOP 160           /* 10 ms */
#define HOPS_S 100
#define YIN_W 320         /* 20 ms window */
#define FMIN 60.0
#define FMAX 500.0
#define HIST (YIN_W + RATE / 60 + 2) /* 60: FMIN */
#define MAX_HOPS (6L * 3600 * HOPS_S)
/* A silence at least this long between speech is a pause (a definition, not
 * a verdict: how many pauses are too many is the rubric's). */
#define PAUSE_MIN_S 0.5
/* A sample this close to full scale is clipped; a hop with CLIP_RUN of them
 * counts as clipped (one stray peak is not heard). */
#define CLIP_LEVEL 0.999
#define CLIP_RUN 2
/* Pitch variation is also given per window of this many seconds, so advice
 * can point at the flat stretches. */
#define PITCH_WINDOW_S 10

typedef struct voice {
    vm_kweight kw;
    float hist[HIST], hop[HOP];
    int filled, in_hop;
    double k_acc, p_acc;
    int clip_acc;
    double *k, *p, *f0; /* per hop: K-weighted sum of squares, plain mean square, pitch (Hz, 0) */
    unsigned char *clipped; /* per hop: 1 if it holds CLIP_RUN full-scale samples */
    long n, cap;
} voice;

static int end_hop(voice *v)
{
    if (v->n == v->cap) {
        long cap = v->cap ? v->cap * 2 : 1024;
        if (cap > MAX_HOPS)
            return -1;
        double *k = realloc(v->k, sizeof(double) * cap);
        if (k)
            v->k = k;
        double *p = k ? realloc(v->p, sizeof(double) * cap) : NULL;
        if (p)
            v->p = p;
        double *f = p ? realloc(v->f0, sizeof(double) * cap) : NULL;
        if (f)
            v->f0 = f;
        unsigned char *c = f ? realloc(v->clipped, (size_t)cap) : NULL;
        if (!c)
            return -1;
        v->clipped = c;
        v->cap = cap;
    }
    memmove(v->hist, v->hist + HOP, sizeof(float) * (HIST - HOP));
    memcpy(v->hist + HIST - HOP, v->hop, sizeof(v->hop));
    v->filled = v->filled + HOP < HIST ? v->filled + HOP : HIST;
    double f0 = 0;
    /* Pitch on every other hop, on voiced-loud-enough windows only. */
    if (v->filled >= HIST && (v->n % 2 == 0) && v->p_acc / HOP > 1e-6)
        f0 = vm_pitch_yin(v->hist, YIN_W, RATE, FMIN, FMAX);
    else if (v->n % 2 == 1 && v->n > 0)
        f0 = v->f0[v->n - 1];
    v->k[v->n] = v->k_acc;
    v->p[v->n] = v->p_acc / HOP;
    v->f0[v->n] = f0;
    v->clipped[v->n] = v->clip_acc >= CLIP_RUN;
    v->n++;
    v->k_acc = v->p_acc = 0;
    v->clip_acc = 0;
    v->in_hop = 0;
    return 0;
}

static int feed(const float *x, int n, void *user)
{
    voice *v = user;
    for (int i = 0; i < n; i++) {
        double y = vm_kweight_run(&v->kw, x[i]);
        v->k_acc += y * y;
        v->p_acc += (double)x[i] * x[i];
        v->clip_acc += fabs(x[i]) >= CLIP_LEVEL;
        v->hop[v->in_hop] = x[i];
        if (++v->in_hop == HOP && end_hop(v) < 0)
            return -1;
    }
    return 0;
}

static double r3(double v)
{
    return round(v * 1000) / 1000;
}

/* {"value":v,"valid":true} or {"value":null,"valid":false,"reason":r}. */
static json_t *metric(double value, const char *invalid)
{
    if (invalid)
        return json_pack("{s:n, s:b, s:s}", "value", "valid", 0, "reason", invalid);
    return json_pack("{s:f, s:b}", "value", r3(value), "valid", 1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Speech hops: louder than 30 dB under the loud (95th percentile) level and
 * than -55 dBFS. Writes 0/1 per hop into speech. */
static void find_speech(const voice *v, unsigned char *speech)
{
    double *lv = malloc(sizeof(double) * (v->n ? v->n : 1));
    double gate = -55;
    if (lv) {
        for (long i = 0; i < v->n; i++)
            lv[i] = 10 * log10(v->p[i] + 1e-12);
        qsort(lv, (size_t)v->n, sizeof(double), cmp_double);
        if (v->n && lv[(long)(0.95 * (v->n - 1))] - 30 > gate)
            gate = lv[(long)(0.95 * (v->n - 1))] - 30;
        free(lv);
    }
    for (long i = 0; i < v->n; i++)
        speech[i] = 10 * log10(v->p[i] + 1e-12) > gate;
}

/* Mean square of K-weighted samples over hops [a, b). */
static double kpower(const voice *v, long a, long b)
{
    double s = 0;
    for (long i = a; i < b; i++)
        s += v->k[i];
    return b > a ? s / ((b - a) * (double)HOP) : 0;
}

static json_t *loudness_json(const voice *v, json_t *out, const char *silent)
{
    /* 400 ms blocks every 100 ms, 3 s windows every 100 ms. */
    long nb = v->n >= 40 ? (v->n - 40) / 10 + 1 : 0, nw = v->n >= 300 ? (v->n - 300) / 10 + 1 : 0;
    double *blk = malloc(sizeof(double) * (nb ? nb : 1)), *win = malloc(sizeof(double) * (nw ? nw : 1));
    if (!blk || !win) {
        free(blk);
        free(win);
        return NULL;
    }
    for (long i = 0; i < nb; i++)
        blk[i] = kpower(v, i * 10, i * 10 + 40);
    for (long i = 0; i < nw; i++)
        win[i] = kpower(v, i * 10, i * 10 + 300);
    double integrated = vm_loudness_integrated(blk, (size_t)nb);
    double lra = vm_loudness_range(win, (size_t)nw);
    /* Volume variation: spread of the blocks that count for the integrated value. */
    double sum = 0, sq = 0;
    long cnt = 0;
    for (long i = 0; i < nb && isfinite(integrated); i++) {
        double b = vm_lufs(blk[i]);
        if (b > -70 && b > integrated - 10) {
            sum += b;
            sq += b * b;
            cnt++;
        }
    }
    double sd = cnt > 1 ? sqrt(fmax(0, sq / cnt - (sum / cnt) * (sum / cnt))) : 0;
    const char *bad = silent ? silent : !isfinite(integrated) ? "the sound is too quiet to measure" : NULL;
    json_object_set_new(out, "loudness", metric(integrated, bad));
    json_object_set_new(out, "loudness_range",
                        metric(lra, bad ? bad : nw < 2 ? "the recording is shorter than 3 seconds" : NULL));
    json_object_set_new(out, "volume_variation", metric(sd, bad));
    free(blk);
    free(win);
    return out;
}

/* Spread of the pitch values f[0..k) around their median, in semitones
 * (f is sorted in place); *median gets the median. */
static double semitone_sd(double *f, long k, double *median)
{
    double s = 0, sq = 0;
    qsort(f, (size_t)k, sizeof(double), cmp_double);
    *median = f[k / 2];
    for (long i = 0; i < k; i++) {
        double st = 12 * log2(f[i] / *median);
        s += st;
        sq += st * st;
    }
    return sqrt(fmax(0, sq / k - (s / k) * (s / k)));
}

/* The voiced pitch values of speech hops [a, b) into f; returns how many. */
static long voiced_pitch(const voice *v, const unsigned char *speech, long a, long b, double *f)
{
    long k = 0;
    for (long i = a + (a % 2); i < b; i += 2)
        if (speech[i] && v->f0[i] > 0)
            f[k++] = v->f0[i];
    return k;
}

/* Half a second of voiced sound (pitch every 20 ms) before a pitch counts. */
#define PITCH_MIN_VALUES 25

static int pitch_json(const voice *v, const unsigned char *speech, json_t *out, const char *silent)
{
    double *f = malloc(sizeof(double) * (v->n ? v->n : 1)), median = 0, sd = 0;
    json_t *windows = json_array();
    if (!f || !windows) {
        free(f);
        json_decref(windows);
        return -1;
    }
    long k = voiced_pitch(v, speech, 0, v->n, f);
    if (k > 0)
        sd = semitone_sd(f, k, &median);
    const char *bad = silent ? silent : k < PITCH_MIN_VALUES ? "too little voiced speech to measure pitch" : NULL;
    for (long a = 0; !bad && a < v->n; a += PITCH_WINDOW_S * HOPS_S) {
        long b = a + PITCH_WINDOW_S * HOPS_S < v->n ? a + PITCH_WINDOW_S * HOPS_S : v->n;
        double wm, wsd;
        long wk = voiced_pitch(v, speech, a, b, f);
        if (wk < PITCH_MIN_VALUES)
            continue;
        wsd = semitone_sd(f, wk, &wm);
        json_array_append_new(windows, json_pack("{s:f, s:f, s:f}", "start", a / (double)HOPS_S, "end",
                                                 b / (double)HOPS_S, "value", r3(wsd)));
    }
    free(f);
    json_object_set_new(out, "pitch", metric(median, bad));
    json_t *pv = metric(sd, bad);
    if (pv)
        json_object_set_new(pv, "windows", windows);
    else
        json_decref(windows);
    json_object_set_new(out, "pitch_variation", pv);
    return 0;
}

/* Share of speech hops with clipped samples, and the clipped stretches. */
static void clipping_json(const voice *v, const unsigned char *speech, json_t *out, const char *silent)
{
    long n_speech = 0, n_clipped = 0;
    json_t *list = json_array();
    for (long i = 0; i < v->n; i++) {
        n_speech += speech[i];
        n_clipped += speech[i] && v->clipped[i];
        if (!v->clipped[i] || (i > 0 && v->clipped[i - 1]))
            continue;
        long j = i;
        while (j < v->n && v->clipped[j])
            j++;
        json_array_append_new(list, json_pack("{s:f, s:f}", "start", i / (double)HOPS_S, "end", j / (double)HOPS_S));
    }
    json_t *m = metric(n_speech ? (double)n_clipped / n_speech : 0, silent);
    if (m)
        json_object_set_new(m, "list", list);
    else
        json_decref(list);
    json_object_set_new(out, "clipping", m);
}

static void pauses_json(const voice *v, const unsigned char *speech, json_t *out, const char *silent)
{
    long first = -1, last = -1, min_hops = (long)lround(PAUSE_MIN_S * HOPS_S);
    for (long i = 0; i < v->n; i++)
        if (speech[i]) {
            if (first < 0)
                first = i;
            last = i;
        }
    json_t *list = json_array();
    long count = 0, total = 0, longest = 0;
    for (long i = first; first >= 0 && i <= last;) {
        if (speech[i]) {
            i++;
            continue;
        }
        long j = i;
        while (j <= last && !speech[j])
            j++;
        if (j - i >= min_hops) {
            count++;
            total += j - i;
            if (j - i > longest)
                longest = j - i;
            json_array_append_new(list, json_pack("{s:f, s:f}", "start", i / (double)HOPS_S,
                                                  "end", j / (double)HOPS_S));
        }
        i = j;
    }
    double longest_s = longest / (double)HOPS_S;
    json_t *p = metric(longest_s, silent);
    if (p) {
        json_object_set_new(p, "count", json_integer(count));
        json_object_set_new(p, "total_s", json_real(total / (double)HOPS_S));
        json_object_set_new(p, "min_pause_s", json_real(PAUSE_MIN_S));
        json_object_set_new(p, "list", list);
    } else {
        json_decref(list);
    }
    json_object_set_new(out, "pauses", p);
    double speaking = first >= 0 ? (last + 1 - first - total) / (double)HOPS_S : 0;
    double ratio = v->n ? speaking / (v->n / (double)HOPS_S) : 0;
    json_object_set_new(out, "speaking_ratio", metric(ratio, silent));
}

static json_t *seconds_json(const voice *v, const unsigned char *speech)
{
    json_t *arr = json_array();
    for (long s = 0; arr && s * HOPS_S < v->n; s++) {
        long a = s * HOPS_S, b = a + HOPS_S < v->n ? a + HOPS_S : v->n, sp = 0, k = 0;
        double f[HOPS_S];
        for (long i = a; i < b; i++) {
            sp += speech[i];
            if (i % 2 == 0 && speech[i] && v->f0[i] > 0)
                f[k++] = v->f0[i];
        }
        double lufs = vm_lufs(kpower(v, a, b));
        qsort(f, (size_t)k, sizeof(double), cmp_double);
        json_t *e = json_pack("{s:I, s:o, s:o, s:f}", "t", (json_int_t)s,
                              "loudness", lufs > -70 ? json_real(round(lufs * 10) / 10) : json_null(),
                              "pitch_hz", k ? json_real(round(f[k / 2] * 10) / 10) : json_null(),
                              "speaking", r3(sp / (double)(b - a)));
        if (!e || json_array_append_new(arr, e) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int vm_voice_run(const char *audio_path, json_t **out, char *err, size_t errlen)
{
    int rc = -1, has_audio = 0;
    voice *v = calloc(1, sizeof(*v));
    unsigned char *speech = NULL;
    json_t *o = NULL;
    *out = NULL;
    if (!v)
        goto oom;
    vm_kweight_init(&v->kw, RATE);
    int r = vm_audio_read(audio_path, RATE, feed, v, &has_audio, err, errlen);
    if (r < 0)
        goto out;
    if (r > 0) {
        snprintf(err, errlen, "The sound track is longer than we can analyse.");
        goto out;
    }
    speech = calloc((size_t)(v->n ? v->n : 1), 1);
    o = json_pack("{s:b, s:f}", "has_audio", has_audio, "duration_s", v->n / (double)HOPS_S);
    if (!speech || !o)
        goto oom;
    find_speech(v, speech);
    long n_speech = 0;
    for (long i = 0; i < v->n; i++)
        n_speech += speech[i];
    double peak = 0;
    for (long i = 0; i < v->n; i++)
        peak = fmax(peak, v->p[i]);
    const char *silent = !has_audio ? "the recording has no sound track"
                         : v->n == 0 || 10 * log10(peak + 1e-12) < -60 ? "no speech found: the recording is silent"
                         : n_speech == 0 ? "no speech found" : NULL;
    json_t *sec = seconds_json(v, speech);
    if (!sec || json_object_set_new(o, "seconds", sec) < 0 || !loudness_json(v, o, silent) ||
        pitch_json(v, speech, o, silent) < 0)
        goto oom;
    clipping_json(v, speech, o, silent);
    pauses_json(v, speech, o, silent);
    *out = o;
    o = NULL;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, "The sound could not be analysed (out of memory).");
out:
    json_decref(o);
    free(speech);
    if (v) {
        free(v->k);
        free(v->p);
        free(v->f0);
        free(v->clipped);
        free(v);
    }
    return rc;
}
