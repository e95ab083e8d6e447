/* Pitch of real speech against a reference pitch tracker: Praat's
 * autocorrelation pitch (praat-parselmouth, tests/media/pitch_reference.py,
 * installed by deploy/deps.sh into .deps/pitch-ref; the test's preparation
 * only). Two voices no pitch setting was tuned on: a male reader (the five
 * LibriVox sentences of Debian's pocketsphinx-testdata, 24.7 s) and a female
 * speaker (Asterisk's demo-congrats prompt, Debian asterisk-core-sounds-en-g722,
 * 30 s). Checked:
 *   - vm_pitch_yin on the frames Praat finds voiced, centred where Praat's are:
 *     how many it misses, its error in semitones, its octave errors;
 *   - the voice stage's median pitch, pitch variation and per-second pitch_hz
 *     against the same statistics of Praat's track.
 * The figures are printed; docs/accuracy.md has them. */
#include <criterion/criterion.h>

#include "test_support.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm_pitch.h"
#include "vmetrics.h"

#define RATE 16000
#define YIN_W 320 /* vm_voice's window: 20 ms */
#define FMIN 60.0
#define FMAX 500.0
#define MAX_FRAMES 10000
#define GROSS_ST 3.16 /* 20 % off: a gross pitch error */
#define OCTAVE_ST 6.0 /* nearer an octave (or more) than the true pitch */

static char dir[256];
static char err[512];

typedef struct track {
    double t[MAX_FRAMES], hz[MAX_FRAMES];
    int n;
} track;

static void setup(void)
{
    ts_dir_new("vmpitch-truth", dir, sizeof(dir));
    err[0] = '\0';
}

static void teardown(void)
{
    ts_dir_free(dir);
}

TestSuite(pitch_truth, .init = setup, .fini = teardown, .timeout = 120);

static const char *deps_dir(void)
{
    const char *d = getenv("ISIM_DEPS_DIR");
    return d && *d ? d : ISIM_SOURCE_DIR "/.deps";
}

static double st(double f, double ref)
{
    return 12 * log2(f / ref);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, int n)
{
    cr_assert_gt(n, 0);
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return v[n / 2];
}

/* Standard deviation in semitones around the median, as vm_voice defines
 * pitch variation. */
static double spread_st(const double *hz, int n)
{
    double *v = malloc(sizeof(double) * (size_t)n);
    cr_assert_not_null(v);
    memcpy(v, hz, sizeof(double) * (size_t)n);
    double med = median(v, n), s = 0, sq = 0;
    for (int i = 0; i < n; i++) {
        double d = st(hz[i], med);
        s += d;
        sq += d * d;
    }
    free(v);
    return sqrt(fmax(0, sq / n - (s / n) * (s / n)));
}

/* The clip as 16 kHz mono: WAV for the stage and Praat, raw floats for YIN. */
static float *prepare(const char *input, const char *name, long *n)
{
    const char *wav = ts_path(dir, name), *raw = ts_path(dir, "clip.f32");
    ts_sh(TS_FFMPEG "%s -ac 1 -ar 16000 -c:a pcm_s16le '%s'", input, wav);
    ts_sh(TS_FFMPEG "-i '%s' -f f32le -ac 1 -ar 16000 '%s'", wav, raw);
    FILE *f = fopen(raw, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *n = ftell(f) / (long)sizeof(float);
    fseek(f, 0, SEEK_SET);
    float *x = malloc(sizeof(float) * (size_t)*n);
    cr_assert_not_null(x);
    cr_assert_eq(fread(x, sizeof(float), (size_t)*n, f), (size_t)*n);
    fclose(f);
    return x;
}

static void reference(const char *wav, track *ref)
{
    char py[512];
    snprintf(py, sizeof(py), "%s/pitch-ref/venv/bin/python", deps_dir());
    cr_assert(access(py, X_OK) == 0, "no %s: run deploy/deps.sh (it installs the reference pitch tracker)", py);
    const char *tsv = ts_path(dir, "ref.tsv");
    ts_sh("'%s' '%s/tests/media/pitch_reference.py' '%s' '%s'", py, ISIM_SOURCE_DIR, wav, tsv);
    FILE *f = fopen(tsv, "r");
    cr_assert_not_null(f);
    ref->n = 0;
    while (ref->n < MAX_FRAMES && fscanf(f, "%lf %lf", &ref->t[ref->n], &ref->hz[ref->n]) == 2)
        ref->n++;
    fclose(f);
    cr_assert_gt(ref->n, 100, "reference track too short");
}

typedef struct frame_errors {
    int voiced, missed, both, gross, octave;
    double median_abs_st;
} frame_errors;

/* vm_pitch_yin on a 20 ms window centred on each frame Praat finds voiced. */
static frame_errors frames_vs_reference(const float *x, long n, const track *ref)
{
    static double abs_err[MAX_FRAMES];
    frame_errors e = {0};
    int tau_max = (int)(RATE / FMIN);
    for (int i = 0; i < ref->n; i++) {
        long start = lround(ref->t[i] * RATE) - YIN_W / 2;
        if (ref->hz[i] <= 0 || start < 0 || start + YIN_W + tau_max + 2 > n)
            continue;
        e.voiced++;
        double f = vm_pitch_yin(x + start, YIN_W, RATE, FMIN, FMAX);
        if (f <= 0) {
            e.missed++;
            continue;
        }
        double d = fabs(st(f, ref->hz[i]));
        abs_err[e.both++] = d;
        e.gross += d > GROSS_ST;
        e.octave += d > OCTAVE_ST;
    }
    e.median_abs_st = e.both ? median(abs_err, e.both) : 0;
    return e;
}

typedef struct stage_errors {
    double median_hz, ref_median_hz, variation_st, ref_variation_st;
    int seconds, gross_seconds, octave_seconds;
    double second_median_abs_st;
} stage_errors;

static double num(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_number(v), "%s is not a number", key);
    return json_number_value(v);
}

/* The voice stage's pitch figures against the same statistics of Praat's
 * track; per second, seconds where Praat has at least 0.1 s voiced. */
static stage_errors stage_vs_reference(const char *wav, const track *ref)
{
    static double voiced[MAX_FRAMES], sec_err[MAX_FRAMES / 100 + 1], in_sec[100];
    stage_errors e = {0};
    json_t *out = NULL;
    vmetrics_opts opts = {.sample_fps = 0, .cascade_dir = NULL, .audio_path = wav};
    cr_assert_eq(vmetrics_run(wav, &opts, &out, err, sizeof(err)), 0, "vmetrics_run: %s", err);
    json_t *voice = json_object_get(out, "voice");
    json_t *pitch = json_object_get(voice, "pitch"), *var = json_object_get(voice, "pitch_variation");
    if (!json_is_true(json_object_get(pitch, "valid"))) {
        json_decref(out);
        return e; /* median_hz 0: too little voiced speech */
    }
    e.median_hz = num(pitch, "value");
    e.variation_st = num(var, "value");
    int k = 0;
    for (int i = 0; i < ref->n; i++)
        if (ref->hz[i] > 0)
            voiced[k++] = ref->hz[i];
    e.ref_variation_st = spread_st(voiced, k);
    e.ref_median_hz = median(voiced, k);
    json_t *secs = json_object_get(voice, "seconds");
    for (size_t s = 0; s < json_array_size(secs); s++) {
        json_t *hz = json_object_get(json_array_get(secs, s), "pitch_hz");
        int m = 0;
        for (int i = 0; i < ref->n; i++)
            if (ref->hz[i] > 0 && ref->t[i] >= (double)s && ref->t[i] < (double)s + 1)
                in_sec[m++] = ref->hz[i];
        if (m < 10 || !json_is_number(hz))
            continue;
        double d = fabs(st(json_number_value(hz), median(in_sec, m)));
        sec_err[e.seconds++] = d;
        if (e.seconds == MAX_FRAMES / 100 + 1)
            break;
        e.gross_seconds += d > GROSS_ST;
        e.octave_seconds += d > OCTAVE_ST;
    }
    e.second_median_abs_st = e.seconds ? median(sec_err, e.seconds) : 0;
    json_decref(out);
    return e;
}

/* Runs both comparisons on one clip and prints the figures. */
static void measure_voice(const char *label, const char *input, frame_errors *f, stage_errors *s)
{
    long n = 0;
    float *x = prepare(input, "clip.wav", &n);
    const char *wav = ts_path(dir, "clip.wav");
    static track ref;
    reference(wav, &ref);
    *f = frames_vs_reference(x, n, &ref);
    *s = stage_vs_reference(wav, &ref);
    free(x);
    double both = f->both ? f->both : 1;
    printf("pitch truth %s: frames voiced by Praat %d, missed by YIN %.1f %%; on %d frames both voiced: "
           "median |error| %.2f st, gross (>20 %%) %.1f %%, octave (>6 st) %.1f %%\n",
           label, f->voiced, 100.0 * f->missed / (f->voiced ? f->voiced : 1), f->both, f->median_abs_st,
           100 * f->gross / both, 100 * f->octave / both);
    if (s->median_hz > 0)
        printf("pitch truth %s: median pitch %.1f Hz (Praat %.1f Hz, %+.2f st); pitch variation %.2f st "
               "(Praat %.2f st); per second (%d s): median |error| %.2f st, gross %d, octave %d\n",
               label, s->median_hz, s->ref_median_hz, st(s->median_hz, s->ref_median_hz), s->variation_st,
               s->ref_variation_st, s->seconds, s->second_median_abs_st, s->gross_seconds, s->octave_seconds);
    fflush(stdout);
}

/* Measures one voice and asserts the bounds. */
static void check_voice(const char *label, const char *input)
{
    frame_errors f;
    stage_errors s;
    measure_voice(label, input, &f, &s);
    cr_assert_gt(s.median_hz, 0, "%s: the stage found too little voiced speech", label);
    double miss = f.missed / (double)f.voiced, gross = f.gross / (double)f.both, oct = f.octave / (double)f.both;
    /* Bounds: the errors measured on these clips (docs/accuracy.md) with a
     * margin; a halved or doubled pitch is 12 st off, far outside them.
     * Without the global-minimum fallback of vm_pitch.c YIN missed 38 % of
     * the male reader's voiced frames, put his median 0.47 st high and his
     * variation 0.90 st low: the first three bounds fail then. */
    cr_expect_lt(miss, 0.25, "%s: YIN misses %.1f %% of Praat's voiced frames", label, 100 * miss);
    cr_expect_lt(fabs(st(s.median_hz, s.ref_median_hz)), 0.25, "%s: median %.1f Hz, Praat %.1f Hz", label,
                 s.median_hz, s.ref_median_hz);
    cr_expect_lt(fabs(s.variation_st - s.ref_variation_st), 0.75, "%s: variation %.2f st, Praat %.2f st", label,
                 s.variation_st, s.ref_variation_st);
    cr_expect_lt(f.median_abs_st, 0.25, "%s: frame error %.2f st", label, f.median_abs_st);
    cr_expect_lt(gross, 0.03, "%s: %.1f %% gross errors", label, 100 * gross);
    cr_expect_lt(oct, 0.02, "%s: %.1f %% octave errors", label, 100 * oct);
    cr_expect_gt(s.seconds, 20, "%s: only %d seconds compared", label, s.seconds);
    cr_expect_lt(s.second_median_abs_st, 0.3, "%s: per-second error %.2f st", label, s.second_median_abs_st);
    cr_expect_leq(s.octave_seconds, 1, "%s: %d seconds an octave off", label, s.octave_seconds);
}

/* The speech clips take a few seconds of YIN each: not under valgrind. */
#define SKIP_UNDER_VALGRIND() TS_SKIP_UNDER_VALGRIND("speech clip too heavy for valgrind")

Test(pitch_truth, male_reader_matches_praat)
{
    SKIP_UNDER_VALGRIND();
    const char *src = "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-";
    char input[1024];
    snprintf(input, sizeof(input),
             "-i '%s0870.wav' -i '%s0880.wav' -i '%s0890.wav' -i '%s0920.wav' -i '%s0930.wav' "
             "-filter_complex '[0:a][1:a][2:a][3:a][4:a]concat=n=5:v=0:a=1'",
             src, src, src, src, src);
    check_voice("male (LibriVox)", input);
}

Test(pitch_truth, female_speaker_matches_praat)
{
    SKIP_UNDER_VALGRIND();
    char input[1024];
    snprintf(input, sizeof(input),
             "-f g722 -i '%s/pitch-ref/asterisk/usr/share/asterisk/sounds/en_US_f_Allison/demo-congrats.g722'",
             deps_dir());
    check_voice("female (Asterisk)", input);
}

/* Held-out clips named in ISIM_PITCH_TRUTH_CLIPS (16 kHz-convertible files,
 * separated by spaces), measured without bounds: how the figures move on
 * speech nothing was tuned on (docs/accuracy.md has the command). Skipped
 * when unset, as in make test. */
Test(pitch_truth, held_out_clips)
{
    const char *list = getenv("ISIM_PITCH_TRUTH_CLIPS");
    if (!list || !*list)
        cr_skip_test("ISIM_PITCH_TRUTH_CLIPS not set");
    char *copy = strdup(list), *save = NULL;
    cr_assert_not_null(copy);
    frame_errors all = {0};
    for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        char input[1200];
        snprintf(input, sizeof(input), "-i '%s'", p);
        frame_errors f;
        stage_errors s;
        const char *base = strrchr(p, '/');
        measure_voice(base ? base + 1 : p, input, &f, &s);
        all.voiced += f.voiced;
        all.missed += f.missed;
        all.both += f.both;
        all.gross += f.gross;
        all.octave += f.octave;
    }
    free(copy);
    cr_assert_gt(all.both, 0);
    printf("pitch truth held out, all clips: frames voiced by Praat %d, missed by YIN %.1f %%; on %d frames "
           "both voiced: gross (>20 %%) %.1f %%, octave (>6 st) %.1f %%\n",
           all.voiced, 100.0 * all.missed / all.voiced, all.both, 100.0 * all.gross / all.both,
           100.0 * all.octave / all.both);
}
