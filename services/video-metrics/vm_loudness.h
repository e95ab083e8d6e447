/* EBU R128 / ITU-R BS.1770 loudness: the K-weighting pre-filter for any
 * sample rate, and the gated integrated loudness and loudness range. */
#ifndef ISIM_VM_LOUDNESS_H
#define ISIM_VM_LOUDNESS_H

#include <stddef.h>

typedef struct vm_kweight {
    double b[2][3], a[2][3]; /* shelving stage, high-pass stage */
    double z[2][2];          /* transposed direct form II state */
} vm_kweight;

void vm_kweight_init(vm_kweight *k, double rate);
double vm_kweight_run(vm_kweight *k, double x);

/* Loudness (LUFS) of a mean square of K-weighted samples; -inf for 0. */
double vm_lufs(double mean_square);
/* Integrated loudness of 400 ms blocks (mean squares), gated at -70 LUFS and
 * 10 LU below the ungated mean. -inf when every block is below the gate. */
double vm_loudness_integrated(const double *blocks, size_t n);
/* Loudness range (LU) of 3 s short-term windows: gated at -70 LUFS and
 * 20 LU below their mean, 95th minus 10th percentile. 0 with too few. */
double vm_loudness_range(const double *windows, size_t n);

#endif
