/* Pace against true words per minute: speech of known word count whose
 * speaking time is known by construction, through the CLI's offline path
 * (pocketsphinx in-process, then text-metrics), compared with the truth
 * under tm_pace.c's own definitions:
 *   wpm              = words / (first word's start to last word's end) * 60
 *   articulation_wpm = words / (that span less pauses of 0.25 s or more) * 60
 * Each part is cut to its speech (its first and last 10 ms frame within
 * 35 dB of its loudest) and the parts are joined with digital silences of
 * known length, so the span is known to 10 ms; the pauses are those
 * silences plus the runs of 0.25 s or more of quieter frames inside a part
 * (an energy measure, so articulation's truth is approximate).
 * Speech: two prompts of Asterisk's female speaker (Debian
 * asterisk-core-sounds-en-g722, installed by deploy/deps.sh for the pitch
 * test), nothing tuned on them, and the five LibriVox sentences of
 * pocketsphinx-testdata (pocketsphinx's settings were chosen on those: a
 * regression guard, not an accuracy figure). The figures are printed;
 * docs/accuracy.md has them. */
#include <criterion/criterion.h>

#include "test_support.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmetrics.h"
#include "transcribe.h"

#define RATE 16000
#define FRAME 160       /* 10 ms */
#define QUIET_DB 35.0   /* a frame this far under the part's loudest is silence */
#define PAUSE_FRAMES 25 /* 0.25 s: tm_pace.c's TM_PAUSE_S */
#define PAUSE_S (PAUSE_FRAMES * FRAME / (double)RATE)
#define LIBRIVOX "/usr/share/pocketsphinx/test/data/librivox/"
#define ALLISON "/pitch-ref/asterisk/usr/share/asterisk/sounds/en_US_f_Allison/"

static char dir[256];
static char err[1024];

static void setup(void)
{
    ts_dir_new("pace-truth", dir, sizeof(dir));
    err[0] = '\0';
}

static void teardown(void)
{
    ts_dir_free(dir);
}

TestSuite(pace_truth, .init = setup, .fini = teardown, .timeout = 180);

typedef struct truth {
    size_t words;
    double span_s, paused_s; /* first speech frame to last; pauses of PAUSE_S or more in it */
} truth;

/* Words as spoken: runs of letters and apostrophes ("Inter-Asterisk" is two). */
static size_t count_words(const char *s)
{
    size_t n = 0;
    for (int in = 0; *s; s++) {
        int letter = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '\'';
        n += letter && !in;
        in = letter;
    }
    return n;
}

/* A file ffmpeg reads (with its input options before -i), as 16 kHz mono floats. */
static float *load(const char *input, long *n)
{
    const char *raw = ts_path(dir, "part.f32");
    ts_sh(TS_FFMPEG "%s -f f32le -ac 1 -ar 16000 '%s'", input, raw);
    FILE *f = fopen(raw, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *n = ftell(f) / (long)sizeof(float);
    fseek(f, 0, SEEK_SET);
    float *x = malloc(sizeof(float) * (size_t)(*n ? *n : 1));
    cr_assert_not_null(x);
    cr_assert_eq(fread(x, sizeof(float), (size_t)*n, f), (size_t)*n);
    fclose(f);
    return x;
}

static double frame_db(const float *x)
{
    double s = 0;
    for (int i = 0; i < FRAME; i++)
        s += (double)x[i] * x[i];
    return 10 * log10(s / FRAME + 1e-12);
}

/* Joins the parts, each cut to its speech, with gaps[i] s of digital silence
 * after part i (and 1.5 s before the first and after the last, so that the
 * recording's length is not the speaking time) into a WAV;
 * fills the truth's span and pauses. */
static void join(const char *const *inputs, const double *gaps, int nparts, const char *wav, truth *t)
{
    size_t cap = 0, len = 0;
    int16_t *out = NULL;
    long lead = 3 * RATE / 2;
    t->span_s = t->paused_s = 0;
    for (int p = 0; p < nparts; p++) {
        long n = 0;
        float *x = load(inputs[p], &n);
        long nf = n / FRAME, fa = 0, fb = nf - 1, quiet = 0;
        double loud = -120;
        for (long f = 0; f < nf; f++)
            loud = fmax(loud, frame_db(x + f * FRAME));
        while (fa < nf && frame_db(x + fa * FRAME) < loud - QUIET_DB)
            fa++;
        while (fb > fa && frame_db(x + fb * FRAME) < loud - QUIET_DB)
            fb--;
        cr_assert_lt(fa, fb, "no speech in %s", inputs[p]);
        for (long f = fa; f <= fb; f++) {
            quiet = frame_db(x + f * FRAME) < loud - QUIET_DB ? quiet + 1 : 0;
            if (quiet == PAUSE_FRAMES)
                t->paused_s += PAUSE_S;
            else if (quiet > PAUSE_FRAMES)
                t->paused_s += FRAME / (double)RATE;
        }
        long a = fa * FRAME, b = (fb + 1) * FRAME;
        long gap = p + 1 < nparts ? lround(gaps[p] * RATE) : 3 * RATE / 2;
        size_t need = len + (size_t)(lead + (b - a) + gap);
        if (need > cap) {
            cap = need * 2;
            out = realloc(out, cap * sizeof(*out));
            cr_assert_not_null(out);
        }
        memset(out + len, 0, (size_t)lead * sizeof(*out));
        len += (size_t)lead;
        for (long i = a; i < b; i++)
            out[len++] = (int16_t)lrintf(fmaxf(-1.f, fminf(1.f, x[i])) * 32767.f);
        t->span_s += (b - a) / (double)RATE;
        if (p + 1 < nparts) {
            t->span_s += gaps[p];
            t->paused_s += gaps[p] >= PAUSE_S ? gaps[p] : 0;
        }
        memset(out + len, 0, (size_t)gap * sizeof(*out));
        len += (size_t)gap;
        lead = 0;
        free(x);
    }
    ts_write_wav(wav, out, len, RATE);
    free(out);
}

static double num(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_number(v), "%s is not a number", key);
    return json_number_value(v);
}

typedef struct pace {
    double wpm, art, words;
} pace;

/* The CLI's offline path: pocketsphinx, then text-metrics. */
static pace measure(const char *wav)
{
    json_t *tr = NULL, *m = NULL;
    tm_lexicon *lex = NULL;
    transcribe_opts o = {.engine = "pocketsphinx"};
    cr_assert_eq(transcribe_wav(wav, &o, &tr, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(tm_lexicon_load(ISIM_SOURCE_DIR "/data", "en", &lex, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(tmetrics_compute(lex, tr, &m, err, sizeof(err)), 0, "%s", err);
    pace p = {num(m, "wpm"), num(m, "articulation_wpm"), num(m, "word_count")};
    json_decref(m);
    json_decref(tr);
    tm_lexicon_free(lex);
    return p;
}

/* Prints the figures; returns the relative wpm error, *art_err articulation's. */
static double report(const char *label, const truth *t, const pace *p, double *art_err)
{
    double wpm = t->words / t->span_s * 60, art = t->words / (t->span_s - t->paused_s) * 60;
    *art_err = (p->art - art) / art;
    printf("pace truth %s: %zu words in %.2f s (%.2f s of pauses): true wpm %.1f, measured %.1f (%+.1f %%); "
           "true articulation %.1f, measured %.1f (%+.1f %%); words recognised %.0f\n",
           label, t->words, t->span_s, t->paused_s, wpm, p->wpm, 100 * (p->wpm - wpm) / wpm, art, p->art,
           100 * *art_err, p->words);
    fflush(stdout);
    return (p->wpm - wpm) / wpm;
}

/* The skip keeps valgrind runs short: pocketsphinx on 30 to 40 s of speech. */
#define SKIP_UNDER_CHECKERS() TS_SKIP_ACCURACY_UNDER_CHECKERS()

/* Two studio-recorded prompts, 3 s apart; their words as the package's
 * prompt list writes them. */
Test(pace_truth, asterisk_speaker)
{
    SKIP_UNDER_CHECKERS();
    static const char *const texts[] = {
        "You are about to enter an echo test. In this mode everything you say will be repeated back to you "
        "just as soon as it is received. The purpose of this test is to give you an audible sense of the "
        "latency between you and the machine that is running the echo test application. You may end the "
        "test by hanging up or by pressing the pound key.",
        "I am about to attempt an Inter-Asterisk Exchange connection to a demonstration server located at "
        "Digium. In order for this to work you must already be connected to the Internet. Please wait a "
        "moment while I attempt to make the connection.",
    };
    static const char *const names[] = {"demo-echotest", "demo-abouttotry"};
    static const double gaps[] = {3.0};
    const char *deps = getenv("ISIM_DEPS_DIR");
    char paths[2][1024];
    const char *inputs[2];
    truth t = {0};
    for (int i = 0; i < 2; i++) {
        snprintf(paths[i], sizeof(paths[i]), "-f g722 -i '%s" ALLISON "%s.g722'",
                 deps && *deps ? deps : ISIM_SOURCE_DIR "/.deps", names[i]);
        inputs[i] = paths[i];
        t.words += count_words(texts[i]);
    }
    const char *wav = ts_path(dir, "answer.wav");
    join(inputs, gaps, 2, wav, &t);
    pace p = measure(wav);
    double art_err, e = report("Asterisk speaker", &t, &p, &art_err);
    /* Measured -1.5 % and -2.3 %. */
    cr_expect_lt(fabs(e), 0.05, "wpm %.1f off by %.1f %%", p.wpm, 100 * e);
    cr_expect_lt(fabs(art_err), 0.10, "articulation off by %.1f %%", 100 * art_err);
}

/* Regression guard: pocketsphinx was tuned on these five sentences. */
Test(pace_truth, librivox_reader)
{
    SKIP_UNDER_CHECKERS();
    static const char *const ids[] = {"0870", "0880", "0890", "0920", "0930"};
    static const double gaps[] = {0.8, 2.0, 0.4, 1.2};
    char paths[5][300];
    const char *inputs[5];
    truth t = {0};
    FILE *f = fopen(LIBRIVOX "transcription", "r");
    cr_assert_not_null(f, "pocketsphinx-testdata is not installed");
    char line[2048];
    while (fgets(line, sizeof(line), f)) {
        char *s = strstr(line, "<s>"), *e = strstr(line, "</s>");
        for (int i = 0; s && e && i < 5; i++)
            if (strstr(line, ids[i])) {
                *e = '\0';
                t.words += count_words(s + 3);
            }
    }
    fclose(f);
    for (int i = 0; i < 5; i++) {
        snprintf(paths[i], sizeof(paths[i]), "-i '" LIBRIVOX "sense_and_sensibility_01_austen_64kb-%s.wav'", ids[i]);
        inputs[i] = paths[i];
    }
    const char *wav = ts_path(dir, "answer.wav");
    join(inputs, gaps, 5, wav, &t);
    pace p = measure(wav);
    double art_err, e = report("LibriVox reader (tuned on)", &t, &p, &art_err);
    cr_expect_eq(t.words, 71, "the five sentences have 71 words");
    /* Measured -1.2 %. */
    cr_expect_lt(fabs(e), 0.05, "wpm %.1f off by %.1f %%", p.wpm, 100 * e);
}
