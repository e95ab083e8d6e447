/* Fundamental frequency of a short window by YIN (de Cheveigné & Kawahara
 * 2002): cumulative-mean-normalised difference, absolute threshold,
 * parabolic interpolation. */
#ifndef ISIM_VM_PITCH_H
#define ISIM_VM_PITCH_H

/* x holds w + rate/fmin + 1 samples. Returns Hz, or 0 when unvoiced. */
double vm_pitch_yin(const float *x, int w, double rate, double fmin, double fmax);

#endif
