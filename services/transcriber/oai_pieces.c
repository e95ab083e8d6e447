#include "oai_pieces.h"

#include "vad_chunker.h"
#include "wav_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OAI_READ_SAMPLES 16000
#define WAV_HEADER_BYTES 44

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The bytes of a 16 kHz mono 16-bit PCM WAV file holding n samples. */
static char *wav_bytes(const int16_t *s, size_t n, size_t *len)
{
    size_t data = n * 2;
    unsigned char *w = malloc(WAV_HEADER_BYTES + data);
    if (!w)
        return NULL;
    memcpy(w, "RIFF", 4);
    put_le(w + 4, (uint32_t)(36 + data), 4);
    memcpy(w + 8, "WAVEfmt ", 8);
    put_le(w + 16, 16, 4);                       /* fmt chunk size */
    put_le(w + 20, 1, 2);                        /* PCM */
    put_le(w + 22, 1, 2);                        /* mono */
    put_le(w + 24, WAV_READER_RATE, 4);
    put_le(w + 28, WAV_READER_RATE * 2, 4);      /* bytes per second */
    put_le(w + 32, 2, 2);                        /* block align */
    put_le(w + 34, 16, 2);                       /* bits */
    memcpy(w + 36, "data", 4);
    put_le(w + 40, (uint32_t)data, 4);
    for (size_t i = 0; i < n; i++)
        put_le(w + WAV_HEADER_BYTES + 2 * i, (uint16_t)s[i], 2);
    *len = WAV_HEADER_BYTES + data;
    return (char *)w;
}

/* vad_chunker callback: the chunk becomes the next piece. */
static int add_piece(vad_chunk *c, void *user)
{
    oai_pieces *p = user;
    int rc = -1;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        oai_piece *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            goto out;
        p->v = v;
        p->cap = cap;
    }
    oai_piece *piece = &p->v[p->n];
    piece->wav = wav_bytes(c->samples, c->n, &piece->wav_len);
    if (!piece->wav)
        goto out;
    piece->start_s = (double)c->start / WAV_READER_RATE;
    piece->len_s = (double)c->n / WAV_READER_RATE;
    p->n++;
    rc = 0;
out:
    vad_chunk_free(c);
    return rc;
}

int oai_pieces_cut(const char *wav_path, double piece_s, oai_pieces *out, char *err, size_t errlen)
{
    wav_reader wav = {0};
    vad_chunker vc = {0};
    int16_t *buf = malloc(OAI_READ_SAMPLES * sizeof *buf);
    int rc = -1, opened = 0, chunking = 0;
    size_t got;
    memset(out, 0, sizeof *out);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (wav_reader_open(&wav, wav_path, err, errlen) < 0)
        goto out;
    opened = 1;
    if (vad_chunker_init(&vc, piece_s / 2, piece_s, add_piece, out, err, errlen) < 0)
        goto out;
    chunking = 1;
    for (;;) {
        if (wav_reader_read(&wav, buf, OAI_READ_SAMPLES, &got, err, errlen) < 0)
            goto out;
        if (got == 0)
            break;
        if (vad_chunker_push(&vc, buf, got) != 0)
            goto oom;
    }
    if (vad_chunker_finish(&vc) != 0)
        goto oom;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, "out of memory cutting the audio into pieces");
out:
    if (chunking)
        vad_chunker_release(&vc);
    if (opened)
        wav_reader_close(&wav);
    free(buf);
    return rc;
}

void oai_pieces_release(oai_pieces *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].wav);
    free(p->v);
    memset(p, 0, sizeof *p);
}
