#include "vm_loudness.h"

#include <math.h>
#include <stdlib.h>

/* BS.1770's two filters, defined at 48 kHz, re-derived for the actual rate
 * from their analogue prototypes (bilinear transform with pre-warping). */
void vm_kweight_init(vm_kweight *k, double rate)
{
    double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
    double K = tan(M_PI * f0 / rate), vh = pow(10, gain_db / 20), vb = pow(vh, 0.4996667741545416);
    double a0 = 1 + K / q + K * K;
    k->b[0][0] = (vh + vb * K / q + K * K) / a0;
    k->b[0][1] = 2 * (K * K - vh) / a0;
    k->b[0][2] = (vh - vb * K / q + K * K) / a0;
    k->a[0][0] = 1;
    k->a[0][1] = 2 * (K * K - 1) / a0;
    k->a[0][2] = (1 - K / q + K * K) / a0;
    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    K = tan(M_PI * f0 / rate);
    a0 = 1 + K / q + K * K;
    k->b[1][0] = 1;
    k->b[1][1] = -2;
    k->b[1][2] = 1;
    k->a[1][0] = 1;
    k->a[1][1] = 2 * (K * K - 1) / a0;
    k->a[1][2] = (1 - K / q + K * K) / a0;
    k->z[0][0] = k->z[0][1] = k->z[1][0] = k->z[1][1] = 0;
}

double vm_kweight_run(vm_kweight *k, double x)
{
    for (int s = 0; s < 2; s++) {
        double y = k->b[s][0] * x + k->z[s][0];
        k->z[s][0] = k->b[s][1] * x - k->a[s][1] * y + k->z[s][1];
        k->z[s][1] = k->b[s][2] * x - k->a[s][2] * y;
        x = y;
    }
    return x;
}

double vm_lufs(double mean_square)
{
    return mean_square > 0 ? -0.691 + 10 * log10(mean_square) : -INFINITY;
}

/* Mean of the blocks louder than gate (LUFS); sets *count. */
static double gated_mean(const double *b, size_t n, double gate, size_t *count)
{
    double sum = 0;
    *count = 0;
    for (size_t i = 0; i < n; i++)
        if (vm_lufs(b[i]) > gate) {
            sum += b[i];
            (*count)++;
        }
    return *count ? sum / *count : 0;
}

double vm_loudness_integrated(const double *blocks, size_t n)
{
    size_t cnt;
    double m = gated_mean(blocks, n, -70, &cnt);
    if (!cnt)
        return -INFINITY;
    m = gated_mean(blocks, n, vm_lufs(m) - 10, &cnt);
    return cnt ? vm_lufs(m) : -INFINITY;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double vm_loudness_range(const double *windows, size_t n)
{
    size_t cnt, k = 0;
    double m = gated_mean(windows, n, -70, &cnt);
    if (cnt < 2)
        return 0;
    double gate = vm_lufs(m) - 20;
    double *l = malloc(sizeof(double) * cnt);
    if (!l)
        return 0;
    for (size_t i = 0; i < n; i++) {
        double v = vm_lufs(windows[i]);
        if (v > -70 && v > gate)
            l[k++] = v;
    }
    double r = 0;
    if (k >= 2) {
        qsort(l, k, sizeof(double), cmp_double);
        r = l[(size_t)lround(0.95 * (k - 1))] - l[(size_t)lround(0.10 * (k - 1))];
    }
    free(l);
    return r;
}
