#include "vm_series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(vm_series *s, size_t need, char *err, size_t errlen)
{
    if (need <= s->cap)
        return 0;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need)
        cap *= 2;
    vm_second *sec = realloc(s->sec, cap * sizeof(*sec));
    if (!sec) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        return -1;
    }
    memset(sec + s->cap, 0, (cap - s->cap) * sizeof(*sec));
    s->sec = sec;
    s->cap = cap;
    return 0;
}

int vm_series_add(vm_series *s, double t, double brightness, double motion, char *err,
                  size_t errlen)
{
    if (!(t >= 0) || t >= VM_MAX_SECONDS) {
        snprintf(err, errlen, "The video is longer than the %d hours we can analyse.",
                 VM_MAX_SECONDS / 3600);
        return -1;
    }
    size_t i = (size_t)floor(t);
    if (grow(s, i + 1, err, errlen) < 0)
        return -1;
    s->sec[i].brightness_sum += brightness;
    s->sec[i].motion_sum += motion;
    s->sec[i].samples++;
    if (i + 1 > s->len)
        s->len = i + 1;
    s->samples++;
    s->brightness_sum += brightness;
    s->motion_sum += motion;
    return 0;
}

/* Two decimals are plenty for 0..255 and keep the JSON short. */
static double round2(double v)
{
    return round(v * 100) / 100;
}

json_t *vm_series_seconds_json(const vm_series *s)
{
    json_t *arr = json_array();
    double last_brightness = 0;
    for (size_t i = 0; arr && i < s->len; i++) {
        const vm_second *sec = &s->sec[i];
        double b = last_brightness, m = 0;
        if (sec->samples) {
            b = sec->brightness_sum / sec->samples;
            m = sec->motion_sum / sec->samples;
        }
        last_brightness = b;
        json_t *e = json_pack("{s:I, s:f, s:f}", "t", (json_int_t)i, "brightness", round2(b),
                              "motion", round2(m));
        if (!e || json_array_append_new(arr, e) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

json_t *vm_series_summary_json(const vm_series *s)
{
    if (!s->samples)
        return json_pack("{s:n, s:n}", "mean_brightness", "mean_motion");
    return json_pack("{s:f, s:f}", "mean_brightness", round2(s->brightness_sum / s->samples),
                     "mean_motion", round2(s->motion_sum / s->samples));
}

void vm_series_free(vm_series *s)
{
    free(s->sec);
    memset(s, 0, sizeof(*s));
}
