/* A long recording cut into pieces at pauses, each a WAV in memory, for the
 * openai engine to send one request per piece: a 10-minute answer fits the
 * request timeout, and a retry redoes one piece, not the whole answer. */
#ifndef ISIM_OAI_PIECES_H
#define ISIM_OAI_PIECES_H

#include <stddef.h>

typedef struct oai_piece {
    double start_s; /* where the piece starts in the recording */
    double len_s;
    char *wav; /* a 16 kHz mono 16-bit WAV file's bytes */
    size_t wav_len;
} oai_piece;

typedef struct oai_pieces {
    oai_piece *v;
    size_t n, cap;
} oai_pieces;

/* Cuts wav_path into pieces of at most piece_s seconds, each ending at the
 * first pause after piece_s / 2 (else at the quietest moment before
 * piece_s). Returns 0 or -1 with err; release *out either way. */
int oai_pieces_cut(const char *wav_path, double piece_s, oai_pieces *out, char *err, size_t errlen);
void oai_pieces_release(oai_pieces *p);

#endif
