#include "vad_chunker.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A frame is speech when it is this far above the noise floor and above an
 * absolute level (rms 100, about -50 dBFS). */
#define VAD_ABOVE_FLOOR_DB 15.0
#define VAD_ABS_MIN_DB 40.0
/* The floor follows quieter frames at once and louder ones at 1 dB/s, so a
 * long stretch of speech does not become the floor. */
#define VAD_FLOOR_RISE_DB 0.01
#define VAD_PAUSE_S 0.3
#define VAD_MIN_SPEECH_FRAMES 10

double vad_frame_db(const int16_t *s, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += (double)s[i] * s[i];
    return 10.0 * log10(sum / (n ? n : 1) + 1.0);
}

int vad_chunker_init(vad_chunker *v, double min_s, double max_s, vad_chunk_cb cb, void *user,
                     char *err, size_t errlen)
{
    memset(v, 0, sizeof *v);
    if (!(min_s > 0.0) || !(max_s >= min_s) || max_s > 3600.0) {
        snprintf(err, errlen, "chunk lengths %.1f-%.1f s are invalid", min_s, max_s);
        return -1;
    }
    v->min_len = (size_t)(min_s * 100.0);
    v->max_len = (size_t)(max_s * 100.0);
    if (v->min_len == 0)
        v->min_len = 1;
    if (v->max_len < v->min_len)
        v->max_len = v->min_len;
    v->min_pause = (size_t)(VAD_PAUSE_S * 100.0);
    v->cb = cb;
    v->user = user;
    v->floor_db = VAD_ABS_MIN_DB;
    v->buf = malloc(v->max_len * VAD_FRAME * sizeof *v->buf);
    v->energy = malloc(v->max_len * sizeof *v->energy);
    v->speech = malloc(v->max_len);
    if (!v->buf || !v->energy || !v->speech) {
        vad_chunker_release(v);
        snprintf(err, errlen, "out of memory for the audio chunk buffer");
        return -1;
    }
    return 0;
}

/* Emits the first cut samples of buf as a chunk and keeps the rest. */
static int emit(vad_chunker *v, size_t cut)
{
    size_t cut_frames = cut / VAD_FRAME;
    vad_chunk *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->samples = malloc((cut ? cut : 1) * sizeof *c->samples);
    if (!c->samples) {
        free(c);
        return -1;
    }
    memcpy(c->samples, v->buf, cut * sizeof *c->samples);
    c->n = cut;
    c->index = v->next_index++;
    c->start = v->start;
    size_t speech = 0, left_frames = v->n / VAD_FRAME - cut_frames;
    for (size_t f = 0; f < cut_frames; f++)
        speech += v->speech[f];
    c->has_speech = speech >= VAD_MIN_SPEECH_FRAMES;
    memmove(v->buf, v->buf + cut, (v->n - cut) * sizeof *v->buf);
    memmove(v->energy, v->energy + cut_frames, left_frames * sizeof *v->energy);
    memmove(v->speech, v->speech + cut_frames, left_frames);
    v->n -= cut;
    v->start += cut;
    return v->cb(c, v->user);
}

/* Index of the quietest frame in the second half of the buffer. */
static size_t quietest_frame(const vad_chunker *v)
{
    size_t frames = v->n / VAD_FRAME, best = frames - 1;
    for (size_t f = frames / 2; f < frames; f++)
        if (v->energy[f] < v->energy[best])
            best = f;
    return best;
}

/* Handles the frame just completed at the end of buf. */
static int on_frame(vad_chunker *v)
{
    size_t frames = v->n / VAD_FRAME;
    double e = vad_frame_db(v->buf + (frames - 1) * VAD_FRAME, VAD_FRAME);
    v->energy[frames - 1] = (float)e;
    /* The floor never sinks so low that faint noise would count as speech. */
    const double lowest = VAD_ABS_MIN_DB - VAD_ABOVE_FLOOR_DB;
    if (e < v->floor_db)
        v->floor_db = e < lowest ? lowest : e;
    else
        v->floor_db += VAD_FLOOR_RISE_DB;
    int speech = e > v->floor_db + VAD_ABOVE_FLOOR_DB && e > VAD_ABS_MIN_DB;
    v->speech[frames - 1] = (unsigned char)speech;
    if (speech) {
        v->pause_frames = 0;
    } else {
        v->pause_frames++;
    }
    /* Cut in the middle of the pause, so each side keeps some silence. */
    if (frames >= v->min_len && v->pause_frames == v->min_pause)
        return emit(v, (frames - v->min_pause / 2) * VAD_FRAME);
    if (frames >= v->max_len) {
        v->pause_frames = 0;
        return emit(v, (quietest_frame(v) + 1) * VAD_FRAME);
    }
    return 0;
}

int vad_chunker_push(vad_chunker *v, const int16_t *s, size_t n)
{
    while (n > 0) {
        size_t in_frame = v->n % VAD_FRAME, take = VAD_FRAME - in_frame;
        if (take > n)
            take = n;
        memcpy(v->buf + v->n, s, take * sizeof *s);
        v->n += take;
        s += take;
        n -= take;
        if (v->n % VAD_FRAME == 0) {
            int rc = on_frame(v);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

int vad_chunker_finish(vad_chunker *v)
{
    if (v->n == 0)
        return 0;
    return emit(v, v->n);
}

void vad_chunker_release(vad_chunker *v)
{
    free(v->buf);
    free(v->energy);
    free(v->speech);
    v->buf = NULL;
    v->energy = NULL;
    v->speech = NULL;
}

void vad_chunk_free(vad_chunk *c)
{
    if (!c)
        return;
    free(c->samples);
    free(c);
}
