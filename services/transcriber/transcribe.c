#include "transcribe.h"

#include "ps_setup.h"
#include "ps_word.h"
#include "wav_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SAMPLES 4096
#define WORD_MAX 128

typedef struct transcript_acc {
    json_t *words;
    char *text;
    size_t textlen;
} transcript_acc;

static json_t *word_json(const char *word, double start, double end, double conf)
{
    return json_pack("{s:s, s:f, s:f, s:f}", "word", word, "start", start, "end", end,
                     "confidence", conf);
}

static int append_word(transcript_acc *acc, const char *word, double start, double end,
                       double conf)
{
    json_t *w = word_json(word, start, end, conf);
    size_t wl = strlen(word);
    char *grown = realloc(acc->text, acc->textlen + wl + 2);
    if (grown)
        acc->text = grown;
    if (!w || !grown) {
        json_decref(w);
        return -1;
    }
    if (json_array_append_new(acc->words, w) < 0)
        return -1;
    if (acc->textlen > 0)
        acc->text[acc->textlen++] = ' ';
    memcpy(acc->text + acc->textlen, word, wl + 1);
    acc->textlen += wl;
    return 0;
}

/* Ends the utterance and appends its best hypothesis' words. */
static int end_utterance(ps_decoder_t *ps, int frate, transcript_acc *acc, char *err,
                         size_t errlen)
{
    if (ps_end_utt(ps) < 0) {
        snprintf(err, errlen, "pocketsphinx could not end the utterance");
        return -1;
    }
    logmath_t *lmath = ps_get_logmath(ps);
    for (ps_seg_t *seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
        char word[WORD_MAX];
        int sf, ef;
        int32 ascr, lscr, lback;
        if (!ps_word_normalise(ps_seg_word(seg), word, sizeof word))
            continue;
        ps_seg_frames(seg, &sf, &ef);
        double conf = logmath_exp(lmath, ps_seg_prob(seg, &ascr, &lscr, &lback));
        conf = conf > 1.0 ? 1.0 : conf < 0.0 ? 0.0 : conf;
        /* ef is inclusive: the word lasts until the end of that frame. */
        if (append_word(acc, word, (double)sf / frate, (double)(ef + 1) / frate, conf) < 0) {
            ps_seg_free(seg);
            snprintf(err, errlen, "out of memory building the transcript");
            return -1;
        }
    }
    return 0;
}

/* Feeds the data chunk to the decoder in CHUNK_SAMPLES pieces, as one
 * utterance. (The decoder's voice activity detector only runs with
 * -remove_silence, which ps_setup must leave off, so it cannot split.) */
static int decode_stream(ps_decoder_t *ps, wav_reader *wav, int frate, transcript_acc *acc,
                         char *err, size_t errlen)
{
    int16_t buf[CHUNK_SAMPLES];
    size_t got;
    if (ps_start_utt(ps) < 0) {
        snprintf(err, errlen, "pocketsphinx could not start an utterance");
        return -1;
    }
    for (;;) {
        if (wav_reader_read(wav, buf, CHUNK_SAMPLES, &got, err, errlen) < 0)
            return -1;
        if (got == 0)
            break;
        if (ps_process_raw(ps, buf, got, FALSE, FALSE) < 0) {
            snprintf(err, errlen, "pocketsphinx failed to process audio");
            return -1;
        }
    }
    return end_utterance(ps, frate, acc, err, errlen);
}

int transcribe_wav(const char *wav_path, const transcribe_opts *opts, json_t **out,
                   char *err, size_t errlen)
{
    int rc = -1;
    wav_reader wav = {0};
    ps_decoder_t *ps = NULL;
    cmd_ln_t *config = NULL;
    transcript_acc acc = {json_array(), calloc(1, 1), 0};
    int frate;

    *out = NULL;
    if (!acc.words || !acc.text) {
        snprintf(err, errlen, "out of memory building the transcript");
        goto out;
    }
    if (!wav_path) {
        snprintf(err, errlen, "no WAV path given");
        goto out;
    }
    if (wav_reader_open(&wav, wav_path, err, errlen) < 0)
        goto out;
    if (ps_setup_new(opts ? opts->model_dir : NULL, &ps, &config, &frate, err, errlen) < 0)
        goto out;
    if (decode_stream(ps, &wav, frate, &acc, err, errlen) < 0)
        goto out;
    *out = json_pack("{s:s, s:f, s:s, s:O}", "engine", "pocketsphinx", "duration_s",
                     (double)wav.samples_read / WAV_READER_RATE, "text", acc.text, "words",
                     acc.words);
    if (!*out) {
        snprintf(err, errlen, "out of memory building the transcript");
        goto out;
    }
    rc = 0;
out:
    json_decref(acc.words);
    free(acc.text);
    ps_setup_free(ps, config);
    wav_reader_close(&wav);
    return rc;
}
