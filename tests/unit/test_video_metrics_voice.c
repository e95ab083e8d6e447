/* Voice metrics on sound with known ground truth: sine tones of known pitch
 * and silences of known length (lavfi), espeak-ng speech for loudness and
 * pauses, and FFmpeg's own ebur128 filter as the loudness reference. */
#include <criterion/criterion.h>

#include "test_support.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm_voice.h"
#include "vmetrics.h"

static char dir[256];
static char err[512];

#define FFMPEG TS_FFMPEG
#define WAV " -ac 1 -ar 16000 -c:a pcm_s16le "
#define SINE(f, d) "-f lavfi -i sine=f=" #f ":d=" #d ":sample_rate=16000 "
#define GAP(d) "-f lavfi -i anullsrc=r=16000:cl=mono:d=" #d " "

static void setup(void)
{
    ts_dir_new("vmvoice-test", dir, sizeof(dir));
    err[0] = '\0';
}

static void teardown(void)
{
    ts_dir_free(dir);
}

static const char *media(const char *name)
{
    return ts_path(dir, name);
}


/* Speech clips are the heaviest (pitch on every voiced 20 ms): under valgrind
 * only the short tone clips run. */
#define SKIP_UNDER_VALGRIND() TS_SKIP_UNDER_VALGRIND("speech clip too heavy for valgrind")

static json_t *run(const char *path)
{
    json_t *out = NULL;
    cr_assert_eq(vm_voice_run(path, &out, err, sizeof(err)), 0, "vm_voice_run: %s", err);
    return out;
}

static json_t *metric(const json_t *out, const char *name)
{
    json_t *m = json_object_get(out, name);
    cr_assert(json_is_object(m), "no %s", name);
    return m;
}

static double value(const json_t *out, const char *name)
{
    json_t *v = json_object_get(metric(out, name), "value");
    cr_assert(json_is_number(v), "%s has no value", name);
    return json_number_value(v);
}

static double num(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_number(v), "%s is not a number", key);
    return json_number_value(v);
}

/* A figure of FFmpeg's ebur128 summary of a file: "I:" (integrated
 * loudness, LUFS) or "LRA:" (loudness range, LU). */
static double ffmpeg_ebur128(const char *path, const char *key)
{
    const char *log = media("ebur128.txt");
    ts_sh("ffmpeg -nostdin -hide_banner -nostats -i '%s' -af ebur128 -f null - 2> '%s'", path, log);
    FILE *f = fopen(log, "r");
    cr_assert_not_null(f);
    char line[512];
    double v = NAN;
    int in_summary = 0;
    while (fgets(line, sizeof(line), f)) {
        if (strstr(line, "Summary:"))
            in_summary = 1;
        const char *i = in_summary ? strstr(line, key) : NULL;
        if (i) {
            v = atof(i + strlen(key));
            break;
        }
    }
    fclose(f);
    cr_assert(!isnan(v), "no %s in ffmpeg's ebur128 summary", key);
    return v;
}

static double ffmpeg_integrated(const char *path)
{
    return ffmpeg_ebur128(path, "I:");
}

TestSuite(voice, .init = setup, .fini = teardown, .timeout = 60);

Test(voice, pitch_of_a_steady_tone_has_no_variation)
{
    const char *path = media("tone.wav");
    ts_sh(FFMPEG SINE(220, 3) "-af volume=0.3" WAV "'%s'", path);
    json_t *out = run(path);
    cr_assert_float_eq(value(out, "pitch"), 220, 220 * 0.02, "pitch %f", value(out, "pitch"));
    cr_assert_lt(value(out, "pitch_variation"), 0.5);
    json_t *sec = json_array_get(json_object_get(out, "seconds"), 1);
    cr_assert_float_eq(num(sec, "pitch_hz"), 220, 220 * 0.02);
    json_decref(out);
}

/* 150 Hz and 300 Hz alternating each second: one octave apart, so the
 * spread is 6 semitones either side of the middle. */
Test(voice, alternating_pitch_is_not_monotone)
{
    const char *path = media("alt.wav");
    ts_sh(FFMPEG SINE(150, 1) SINE(300, 1) SINE(150, 1) SINE(300, 1)
       "-filter_complex '[0][1][2][3]concat=n=4:v=0:a=1,volume=0.3'" WAV "'%s'", path);
    json_t *out = run(path);
    json_t *sec = json_object_get(out, "seconds");
    cr_assert_float_eq(num(json_array_get(sec, 0), "pitch_hz"), 150, 150 * 0.02);
    cr_assert_float_eq(num(json_array_get(sec, 1), "pitch_hz"), 300, 300 * 0.02);
    cr_assert_float_eq(value(out, "pitch_variation"), 6.0, 0.6, "%f st", value(out, "pitch_variation"));
    /* one 10 s window holding the whole clip, with the same spread */
    json_t *w = json_object_get(metric(out, "pitch_variation"), "windows");
    cr_assert_eq(json_array_size(w), 1);
    cr_assert_float_eq(num(json_array_get(w, 0), "value"), 6.0, 0.6);
    json_decref(out);
}

/* Tone 1 s, silence 0.8 s, tone 1 s, silence 0.3 s (not a pause),
 * tone 0.5 s, silence 1.2 s, tone 1 s: pauses at 1.0-1.8 and 3.6-4.8. */
Test(voice, pauses_have_their_true_boundaries)
{
    const char *path = media("pauses.wav");
    ts_sh(FFMPEG SINE(220, 1) GAP(0.8) SINE(220, 1) GAP(0.3) SINE(220, 0.5) GAP(1.2) SINE(220, 1)
       "-filter_complex '[0][1][2][3][4][5][6]concat=n=7:v=0:a=1,volume=0.3'" WAV "'%s'", path);
    json_t *out = run(path);
    json_t *p = metric(out, "pauses");
    cr_assert_eq(num(p, "count"), 2.0);
    json_t *list = json_object_get(p, "list");
    double truth[2][2] = {{1.0, 1.8}, {3.6, 4.8}};
    for (size_t i = 0; i < 2; i++) {
        json_t *e = json_array_get(list, i);
        cr_assert_float_eq(num(e, "start"), truth[i][0], 0.1, "pause %zu starts at %f", i, num(e, "start"));
        cr_assert_float_eq(num(e, "end"), truth[i][1], 0.1, "pause %zu ends at %f", i, num(e, "end"));
    }
    cr_assert_float_eq(value(out, "pauses"), 1.2, 0.1);
    cr_assert_float_eq(num(p, "total_s"), 2.0, 0.2);
    cr_assert_float_eq(value(out, "speaking_ratio"), 3.8 / 5.8, 0.03);
    json_decref(out);
}

/* A loud 5 kHz tone (where K-weighting's shelf adds 4 dB) then a quiet
 * 1 kHz one that the relative gate must leave out. */
Test(voice, loudness_matches_ffmpeg_ebur128_where_weighting_and_gating_matter)
{
    const char *path = media("gate.wav");
    ts_sh(FFMPEG SINE(5000, 2) SINE(1000, 4)
       "-filter_complex '[0]volume=0.5[a];[1]volume=0.02[b];[a][b]concat=n=2:v=0:a=1'" WAV "'%s'", path);
    double ref = ffmpeg_integrated(path);
    json_t *out = run(path);
    cr_assert_float_eq(value(out, "loudness"), ref, 1.0, "ours %f, ffmpeg %f", value(out, "loudness"), ref);
    json_decref(out);
}

Test(voice, loudness_matches_ffmpeg_ebur128_on_speech)
{
    SKIP_UNDER_VALGRIND();
    const char *speech = media("speech.wav"), *quiet = media("quiet.wav");
    ts_sh("espeak-ng -w '%s' 'Tell me about a time you solved a hard problem at work. "
       "I had to ship a release in two weeks, so I split the work and we made it.'", media("raw.wav"));
    ts_sh(FFMPEG "-i '%s/raw.wav'" WAV "'%s'", dir, speech);
    ts_sh(FFMPEG "-i '%s' -af volume=-12dB" WAV "'%s'", speech, quiet);
    for (int i = 0; i < 2; i++) {
        const char *path = i ? quiet : speech;
        double ref = ffmpeg_integrated(path);
        json_t *out = run(path);
        cr_assert_float_eq(value(out, "loudness"), ref, 1.0, "ours %f, ffmpeg %f", value(out, "loudness"), ref);
        cr_assert_gt(value(out, "speaking_ratio"), 0.5);
        cr_assert(json_is_true(json_object_get(metric(out, "pitch"), "valid")));
        json_decref(out);
    }
}

/* Two sentences with a one-second silence between them. */
Test(voice, a_pause_in_speech_is_found)
{
    SKIP_UNDER_VALGRIND();
    const char *path = media("two.wav");
    ts_sh("espeak-ng -w '%s/a.wav' 'I led the project from the start.' && "
       "espeak-ng -w '%s/b.wav' 'Then we shipped it on time.'", dir, dir);
    ts_sh(FFMPEG "-i '%s/a.wav' -i '%s/b.wav' -filter_complex "
              "'[0]aresample=16000,aformat=channel_layouts=mono[a];[1]aresample=16000,aformat=channel_layouts=mono[b];"
              "anullsrc=r=16000:cl=mono:d=1[g];[a][g][b]concat=n=3:v=0:a=1'" WAV "'%s'",
       dir, dir, path);
    json_t *out = run(path);
    json_t *p = metric(out, "pauses");
    cr_assert_geq(num(p, "count"), 1.0);
    cr_assert_geq(value(out, "pauses"), 1.0, "longest pause %f", value(out, "pauses"));
    cr_assert_lt(value(out, "pauses"), 1.5, "longest pause %f", value(out, "pauses"));
    json_decref(out);
}

Test(voice, silence_is_not_measured_and_says_why)
{
    const char *path = media("silence.wav");
    ts_sh(FFMPEG GAP(2) WAV "'%s'", path);
    json_t *out = NULL;
    cr_assert_eq(vm_voice_run(path, &out, err, sizeof(err)), 0, "%s", err);
    json_t *l = metric(out, "loudness");
    cr_assert(json_is_false(json_object_get(l, "valid")));
    cr_assert_str_eq(json_string_value(json_object_get(l, "reason")),
                     "no speech found: the recording is silent");
    cr_assert(json_is_null(json_object_get(l, "value")));
    json_decref(out);
}

Test(voice, not_audio_is_an_error_with_a_reason)
{
    const char *path = media("junk.wav");
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (int i = 0; i < 4096; i++)
        fputc("not a sound "[i % 12], f);
    fclose(f);
    json_t *out = NULL;
    cr_assert_eq(vm_voice_run(path, &out, err, sizeof(err)), -1);
    cr_assert_null(out);
    cr_assert(strstr(err, "sound track"), "%s", err);
}

Test(voice, the_stage_adds_voice_when_given_the_wav)
{
    const char *video = media("v.mp4"), *audio = media("a.wav");
    ts_sh(FFMPEG "-f lavfi -i color=c=gray:s=320x240:r=10:d=2 -c:v libx264 -preset ultrafast '%s'", video);
    ts_sh(FFMPEG SINE(200, 2) "-af volume=0.3" WAV "'%s'", audio);
    json_t *out = NULL;
    vmetrics_opts opts = {.audio_path = audio};
    cr_assert_eq(vmetrics_run(video, &opts, &out, err, sizeof(err)), 0, "%s", err);
    json_t *voice = json_object_get(out, "voice");
    cr_assert(json_is_object(voice));
    cr_assert_float_eq(value(voice, "pitch"), 200, 4);
    json_decref(out);
}

/* A tone driven past full scale (the 16-bit WAV saturates) for its first second, then clean for two:
 * a third of the speech is clipped, and the list says where (the clean
 * part at half scale, well within the speech gate). */
Test(voice, clipping_is_measured_where_it_happens)
{
    const char *path = media("clipped.wav");
    ts_sh(FFMPEG SINE(220, 1) SINE(220, 2)
       "-filter_complex '[0]volume=20[c];[1]volume=4[d];[c][d]concat=n=2:v=0:a=1'" WAV "'%s'", path);
    json_t *out = run(path);
    cr_assert_float_eq(value(out, "clipping"), 1.0 / 3, 0.05, "clipping %f", value(out, "clipping"));
    json_t *list = json_object_get(metric(out, "clipping"), "list");
    cr_assert_geq(json_array_size(list), 1);
    cr_assert_lt(num(json_array_get(list, 0), "start"), 0.1);
    cr_assert_float_eq(num(json_array_get(list, json_array_size(list) - 1), "end"), 1.0, 0.1);
    json_decref(out);
    /* the clean tone alone has none */
    const char *clean = media("clean.wav");
    ts_sh(FFMPEG SINE(220, 2) "-af volume=0.3" WAV "'%s'", clean);
    out = run(clean);
    cr_assert_float_eq(value(out, "clipping"), 0, 1e-9);
    json_decref(out);
}

/* The 16-bit samples of a mono WAV file (its "data" chunk), malloc'd. */
static int16_t *wav_samples(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char id[4];
    uint32_t len;
    int16_t *s = NULL;
    cr_assert(fseek(f, 12, SEEK_SET) == 0);
    while (fread(id, 1, 4, f) == 4 && fread(&len, 4, 1, f) == 1) {
        if (memcmp(id, "data", 4) != 0) {
            cr_assert(fseek(f, len + (len & 1), SEEK_CUR) == 0);
            continue;
        }
        s = malloc(len ? len : 1);
        cr_assert(s && fread(s, 1, len, f) == len);
        *n = len / 2;
        break;
    }
    fclose(f);
    cr_assert_not_null(s, "%s has no data chunk", path);
    return s;
}

/* Real read speech (Debian's pocketsphinx-testdata: five LibriVox sentences,
 * 25 s) at three levels: integrated loudness and loudness range against
 * FFmpeg's ebur128 filter, the reference implementation of EBU R128. */
#define LIBRIVOX "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-"

static void librivox_joined(const char *out, const char *gain)
{
    ts_sh(FFMPEG "-i " LIBRIVOX "0870.wav -i " LIBRIVOX "0880.wav -i " LIBRIVOX "0890.wav -i " LIBRIVOX
              "0920.wav -i " LIBRIVOX "0930.wav -filter_complex '[0][1][2][3][4]concat=n=5:v=0:a=1,volume=%s'"
              WAV "'%s'", gain, out);
}

Test(voice, loudness_and_its_range_match_ebur128_on_real_speech)
{
    SKIP_UNDER_VALGRIND();
    static const char *const gains[] = {"0dB", "-12dB", "-24dB"};
    for (size_t i = 0; i < 3; i++) {
        const char *path = media("librivox.wav");
        librivox_joined(path, gains[i]);
        double ref_i = ffmpeg_ebur128(path, "I:"), ref_lra = ffmpeg_ebur128(path, "LRA:");
        json_t *out = run(path);
        double i_err = value(out, "loudness") - ref_i, lra_err = value(out, "loudness_range") - ref_lra;
        cr_log_info("gain %s: integrated %.2f (ebur128 %.2f, %+.2f LU), range %.2f (ebur128 %.2f, %+.2f LU)",
                    gains[i], value(out, "loudness"), ref_i, i_err, value(out, "loudness_range"), ref_lra, lra_err);
        cr_assert_float_eq(i_err, 0, 0.5, "integrated %+.2f LU off ebur128 at %s", i_err, gains[i]);
        cr_assert_float_eq(lra_err, 0, 1.0, "range %+.2f LU off ebur128 at %s", lra_err, gains[i]);
        json_decref(out);
    }
}

/* The same speech 24 dB too loud: the 16-bit file saturates. Which 10 ms
 * hops hold two or more full-scale samples is read from the file itself; the
 * measure's clipped stretches must cover those hops and no others. */
Test(voice, clipped_stretches_of_real_speech_are_the_saturated_hops)
{
    SKIP_UNDER_VALGRIND();
    const char *path = media("loud.wav");
    librivox_joined(path, "24dB");
    size_t n = 0, hops = 0, truth = 0, found = 0, extra = 0;
    int16_t *s = wav_samples(path, &n);
    json_t *out = run(path);
    json_t *list = json_object_get(metric(out, "clipping"), "list");
    for (size_t h = 0; (h + 1) * 160 <= n; h++, hops++) {
        int full = 0;
        for (size_t k = h * 160; k < (h + 1) * 160; k++)
            full += s[k] >= 32767 || s[k] <= -32767;
        double t = h * 0.01 + 0.005;
        int listed = 0;
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e)
            listed |= t >= num(e, "start") && t < num(e, "end");
        truth += full >= 2;
        found += full >= 2 && listed;
        extra += full < 2 && listed;
    }
    free(s);
    cr_log_info("clipped hops: %zu true, %zu found, %zu listed wrongly, of %zu", truth, found, extra, hops);
    cr_assert_gt(truth, 50, "the gain did not clip the speech (%zu hops)", truth);
    cr_assert_eq(found, truth);
    cr_assert_eq(extra, 0);
    cr_assert_gt(value(out, "clipping"), 0.01);
    json_decref(out);
}

/* Three spoken sentences with silences of 0.8 s and 3.0 s between them
 * (espeak-ng's own leading and trailing silence cut at the first and last
 * non-zero sample after resampling, so the inserted silence is the gap): the pauses
 * found are those two, with their lengths. */
Test(voice, silences_of_known_length_between_sentences_are_the_pauses)
{
    SKIP_UNDER_VALGRIND();
    const char *path = media("gaps.wav");
    static const char *const said[] = {"I led the migration to the new billing system.",
                                       "It took three months and two people.",
                                       "We cut the monthly cost by a third."};
    for (int i = 0; i < 3; i++) {
        char raw[300], cut[300];
        snprintf(raw, sizeof(raw), "%s/s%d.16k.wav", dir, i);
        snprintf(cut, sizeof(cut), "%s/s%d.wav", dir, i);
        ts_sh("espeak-ng -w '%s/s%d.raw.wav' '%s' && " FFMPEG "-i '%s/s%d.raw.wav'" WAV "'%s'", dir, i, said[i],
              dir, i, raw);
        size_t n = 0, a = 0, b;
        int16_t *s = wav_samples(raw, &n);
        while (a < n && s[a] == 0)
            a++;
        for (b = n; b > a && s[b - 1] == 0; b--)
            ;
        ts_write_wav(cut, s + a, b - a, 16000);
        free(s);
    }
    ts_sh(FFMPEG "-i '%s/s0.wav' " GAP(0.8) "-i '%s/s1.wav' " GAP(3.0) "-i '%s/s2.wav' "
                 "-filter_complex '[0][1][2][3][4]concat=n=5:v=0:a=1'" WAV "'%s'",
          dir, dir, dir, path);
    json_t *out = run(path);
    json_t *list = json_object_get(metric(out, "pauses"), "list");
    double truth[] = {0.8, 3.0};
    size_t matched = 0;
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        double len = num(e, "end") - num(e, "start");
        for (int k = 0; k < 2; k++)
            if (fabs(len - truth[k]) <= 0.15) {
                matched++;
                cr_log_info("pause %.2f s found as %.2f s", truth[k], len);
            }
    }
    cr_assert_eq(matched, 2, "%zu of the 2 silences found", matched);
    cr_assert_float_eq(value(out, "pauses"), 3.0, 0.15, "longest %.2f s", value(out, "pauses"));
    json_decref(out);
}
