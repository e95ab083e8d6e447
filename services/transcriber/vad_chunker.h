/* Energy-based speech detector that cuts a stream of 16 kHz samples into
 * chunks at pauses, for decoding the chunks independently. (pocketsphinx's own
 * detector only runs with -remove_silence, which would shift word times.) */
#ifndef ISIM_VAD_CHUNKER_H
#define ISIM_VAD_CHUNKER_H

#include <stddef.h>
#include <stdint.h>

#define VAD_FRAME 160 /* 10 ms at 16 kHz */

typedef struct vad_chunk {
    size_t index;     /* 0, 1, 2, ... in stream order */
    uint64_t start;   /* first sample's position in the stream */
    int16_t *samples; /* owned by the chunk: vad_chunk_free */
    size_t n;
    int has_speech;   /* at least VAD_MIN_SPEECH_FRAMES speech frames */
} vad_chunk;

/* Called with each finished chunk; takes ownership of it. Non-zero stops. */
typedef int (*vad_chunk_cb)(vad_chunk *c, void *user);

typedef struct vad_chunker {
    size_t min_len, max_len, min_pause; /* in frames */
    vad_chunk_cb cb;
    void *user;
    int16_t *buf;   /* the chunk being built, max_len frames */
    float *energy;  /* dB of each whole frame of buf */
    unsigned char *speech; /* whether each whole frame of buf is speech */
    size_t n;       /* samples in buf */
    size_t pause_frames;
    double floor_db;
    uint64_t start;
    size_t next_index;
} vad_chunker;

/* Returns 0 or -1 with err. min_s <= max_s; both > 0. */
int vad_chunker_init(vad_chunker *v, double min_s, double max_s, vad_chunk_cb cb, void *user,
                     char *err, size_t errlen);
/* Returns 0, or the callback's non-zero result. */
int vad_chunker_push(vad_chunker *v, const int16_t *s, size_t n);
/* Emits what is left. Returns 0, or the callback's non-zero result. */
int vad_chunker_finish(vad_chunker *v);
void vad_chunker_release(vad_chunker *v);

/* Frame level in dB (0 for digital silence, about 90 for a full-scale sine). */
double vad_frame_db(const int16_t *s, size_t n);

void vad_chunk_free(vad_chunk *c);

#endif
