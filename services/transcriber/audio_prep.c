#include "audio_prep.h"

#include <math.h>
#include <stdlib.h>

#define PREP_RATE 16000.0

static int16_t clip16(double v)
{
    if (v > 32767.0)
        return 32767;
    if (v < -32768.0)
        return -32768;
    return (int16_t)lrint(v);
}

void audio_prep_highpass(int16_t *s, size_t n, double cutoff_hz)
{
    /* RBJ cookbook biquad, Q = 1/sqrt(2). */
    double w = 2.0 * M_PI * cutoff_hz / PREP_RATE, cw = cos(w), alpha = sin(w) / sqrt(2.0);
    double a0 = 1.0 + alpha;
    double b0 = (1.0 + cw) / 2.0 / a0, b1 = -(1.0 + cw) / a0, b2 = b0;
    double a1 = -2.0 * cw / a0, a2 = (1.0 - alpha) / a0;
    double x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = s[i];
        double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = x;
        y2 = y1;
        y1 = y;
        s[i] = clip16(y);
    }
}

double audio_prep_normalise(int16_t *s, size_t n, double peak, double max_gain)
{
    int maxabs = 0;
    for (size_t i = 0; i < n; i++) {
        int a = abs((int)s[i]);
        if (a > maxabs)
            maxabs = a;
    }
    if (maxabs == 0)
        return 1.0;
    double gain = peak / maxabs;
    if (gain > max_gain)
        gain = max_gain;
    for (size_t i = 0; i < n; i++)
        s[i] = clip16(s[i] * gain);
    return gain;
}
