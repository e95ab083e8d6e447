/* Preprocessing of a chunk of 16 kHz samples before recognition. */
#ifndef ISIM_AUDIO_PREP_H
#define ISIM_AUDIO_PREP_H

#include <stddef.h>
#include <stdint.h>

/* Second-order Butterworth high-pass at cutoff_hz, in place (removes DC,
 * rumble and hum below the voice). */
void audio_prep_highpass(int16_t *s, size_t n, double cutoff_hz);

/* Scales s so its peak reaches peak (of 32767), by at most max_gain; in
 * place, clipped. Returns the gain applied. */
double audio_prep_normalise(int16_t *s, size_t n, double peak, double max_gain);

#endif
