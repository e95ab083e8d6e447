#include "tm_parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

double tm_round3(double v)
{
    return round(v * 1000.0) / 1000.0;
}

/* One entry per started TM_WINDOW_S of the recording; a word counts in the
 * window where it starts, and a shorter last window is scaled to its length. */
static json_t *tm_pace_windows(const tm_word *w, size_t n, double total)
{
    json_t *arr = json_array();
    size_t nwin = (size_t)ceil(total / TM_WINDOW_S - 1e-9);
    size_t *count = calloc(nwin ? nwin : 1, sizeof(*count));
    if (!arr || !count)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)(w[i].start / TM_WINDOW_S);
        if (k < nwin)
            count[k]++;
    }
    for (size_t k = 0; k < nwin; k++) {
        double a = (double)k * TM_WINDOW_S, b = fmin(total, a + TM_WINDOW_S);
        double wpm = b > a ? (double)count[k] / (b - a) * 60.0 : 0.0;
        if (json_array_append_new(arr, json_pack("{s:f, s:f, s:I, s:f}", "start", a, "end",
                                                 tm_round3(b), "words", (json_int_t)count[k],
                                                 "wpm", tm_round3(wpm))) != 0)
            goto fail;
    }
    free(count);
    return arr;
fail:
    free(count);
    json_decref(arr);
    return NULL;
}

int tm_pace_add(const tm_word *w, size_t n, double duration, json_t *out, char *err,
                size_t errlen)
{
    double first = n ? w[0].start : 0.0, last = n ? w[0].end : 0.0, paused = 0.0, longest = 0.0;
    size_t npause = 0;
    json_t *long_pauses = json_array();
    for (size_t i = 0; i < n; i++) {
        first = fmin(first, w[i].start);
        last = fmax(last, w[i].end);
        double gap = i + 1 < n ? w[i + 1].start - w[i].end : 0.0;
        if (gap < TM_PAUSE_S)
            continue;
        npause++;
        paused += gap;
        longest = fmax(longest, gap);
        if (gap >= TM_LONG_PAUSE_S)
            json_array_append_new(long_pauses,
                                  json_pack("{s:f, s:f, s:f}", "start", tm_round3(w[i].end), "end",
                                            tm_round3(w[i + 1].start), "duration_s", tm_round3(gap)));
    }
    double speaking = last - first, speech = speaking - paused;
    double wpm = speaking > 0 ? (double)n / speaking * 60.0 : 0.0;
    double art = speech > 0 ? (double)n / speech * 60.0 : 0.0;
    int bad = !long_pauses;
    bad |= json_object_set_new(out, "speaking_s", json_real(tm_round3(speaking)));
    bad |= json_object_set_new(out, "wpm", json_real(tm_round3(wpm)));
    bad |= json_object_set_new(out, "articulation_wpm", json_real(tm_round3(art)));
    bad |= json_object_set_new(out, "pace_windows",
                               tm_pace_windows(w, n, fmax(duration, last)));
    bad |= json_object_set_new(out, "pauses",
                               json_pack("{s:I, s:f, s:f, s:O}", "count", (json_int_t)npause,
                                         "total_s", tm_round3(paused), "longest_s",
                                         tm_round3(longest), "long", long_pauses));
    json_decref(long_pauses);
    if (bad) {
        snprintf(err, errlen, "out of memory computing pace");
        return -1;
    }
    return 0;
}
