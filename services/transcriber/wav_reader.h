/* Streaming reader for 16 kHz mono 16-bit PCM WAV files. */
#ifndef ISIM_WAV_READER_H
#define ISIM_WAV_READER_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#define WAV_READER_RATE 16000

typedef struct wav_reader {
    FILE *fp;
    uint64_t data_left; /* bytes of the data chunk not yet read */
    uint64_t samples_read;
} wav_reader;

/* Opens path, checks the RIFF/WAVE header and the fmt chunk and positions the
 * reader at the start of the data chunk. Anything but 16 kHz mono s16le PCM
 * is rejected. Returns 0 or -1 with err (and nothing left open). */
int wav_reader_open(wav_reader *r, const char *path, char *err, size_t errlen);

/* Reads up to max samples into buf; *got is 0 at the end of the data.
 * Returns 0 or -1 with err. */
int wav_reader_read(wav_reader *r, int16_t *buf, size_t max, size_t *got, char *err,
                    size_t errlen);

void wav_reader_close(wav_reader *r);

#endif
