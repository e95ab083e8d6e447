#include "vm_pitch.h"

#include <math.h>

#define YIN_THRESHOLD 0.15
/* When no dip reaches the threshold, the global minimum is taken if it is
 * below this (the paper's step 4 with a voicing limit): without it YIN
 * called unvoiced 38 % of the frames Praat finds voiced in a low male voice,
 * mostly lower-pitched ones, biasing the median up and the variation down
 * (docs/accuracy.md). */
#define YIN_FALLBACK 0.3
#define YIN_MAX_TAU 1024

double vm_pitch_yin(const float *x, int w, double rate, double fmin, double fmax)
{
    int tau_max = (int)(rate / fmin), tau_min = (int)(rate / fmax);
    double d[YIN_MAX_TAU + 2];
    if (tau_max > YIN_MAX_TAU)
        tau_max = YIN_MAX_TAU;
    if (tau_min < 2)
        tau_min = 2;
    double running = 0;
    d[0] = 1;
    for (int tau = 1; tau <= tau_max + 1; tau++) {
        double s = 0;
        for (int j = 0; j < w; j++) {
            double e = x[j] - x[j + tau];
            s += e * e;
        }
        running += s;
        d[tau] = running > 0 ? s * tau / running : 1;
    }
    int best = tau_min;
    for (int tau = tau_min + 1; tau <= tau_max; tau++)
        if (d[tau] < d[best])
            best = tau;
    for (int tau = tau_min; tau <= tau_max; tau++) {
        if (d[tau] >= YIN_THRESHOLD && !(tau == best && d[tau] < YIN_FALLBACK))
            continue;
        while (tau + 1 <= tau_max && d[tau + 1] < d[tau])
            tau++;
        double a = d[tau - 1], b = d[tau], c = d[tau + 1];
        double den = a - 2 * b + c, shift = den > 0 ? 0.5 * (a - c) / den : 0;
        if (shift > 1 || shift < -1)
            shift = 0;
        return rate / (tau + shift);
    }
    return 0;
}
