/* Per-second aggregation of sampled measurements, and its JSON form. */
#ifndef ISIM_VM_SERIES_H
#define ISIM_VM_SERIES_H

#include <stddef.h>
#include <jansson.h>

/* Longest video analysed; also bounds the memory of the series. */
#define VM_MAX_SECONDS (6 * 3600)

typedef struct vm_second {
    double brightness_sum, motion_sum;
    int samples;
} vm_second;

typedef struct vm_series {
    vm_second *sec;
    size_t len, cap; /* len: seconds up to the last sample's */
    long samples;
    double brightness_sum, motion_sum;
} vm_series;

/* Adds a sample at time t (s). Returns 0 or -1 with err. */
int vm_series_add(vm_series *s, double t, double brightness, double motion, char *err,
                  size_t errlen);
/* The "seconds" array: one entry per second up to the last sample's; a second
 * without a sample (variable frame rate) repeats the previous brightness with
 * motion 0, since the picture did not change. NULL on allocation failure. */
json_t *vm_series_seconds_json(const vm_series *s);
/* {"mean_brightness":B,"mean_motion":M}, null values without samples. */
json_t *vm_series_summary_json(const vm_series *s);
void vm_series_free(vm_series *s);

#endif
