/* Upload limits, told to the candidate in plain words. */
#include <math.h>
#include <stdio.h>

#include "convert_internal.h"

/* Container durations are rounded; half a second over is not "too long". */
#define DURATION_SLACK_S 0.5

static void say_duration(long secs, char *buf, size_t len)
{
    long m = secs / 60, s = secs % 60;
    if (m == 0)
        snprintf(buf, len, "%ld second%s", s, s == 1 ? "" : "s");
    else if (s == 0)
        snprintf(buf, len, "%ld minute%s", m, m == 1 ? "" : "s");
    else
        snprintf(buf, len, "%ld minute%s %ld second%s", m, m == 1 ? "" : "s", s, s == 1 ? "" : "s");
}

static void say_size(double bytes, int round_up, char *buf, size_t len)
{
    double mb = bytes / 1e6;
    mb = round_up ? ceil(mb * 10) / 10 : floor(mb * 10) / 10;
    snprintf(buf, len, "%.1f MB", mb);
}

int conv_check_limits(const convert_probe *p, const convert_limits *lim, char *err, size_t errlen)
{
    char have[64], limit[64];
    if (lim && lim->max_bytes > 0 && p->size_bytes > lim->max_bytes) {
        say_size((double)p->size_bytes, 1, have, sizeof(have));
        say_size((double)lim->max_bytes, 0, limit, sizeof(limit));
        conv_err(err, errlen, "The file is %s; the limit is %s.", have, limit);
        return -1;
    }
    if (lim && lim->max_duration_s > 0 && p->duration_s > lim->max_duration_s + DURATION_SLACK_S) {
        long have_s = lround(p->duration_s), limit_s = lround(lim->max_duration_s);
        say_duration(have_s > limit_s ? have_s : limit_s + 1, have, sizeof(have));
        say_duration(limit_s, limit, sizeof(limit));
        conv_err(err, errlen, "The recording is %s long; the limit is %s.", have, limit);
        return -1;
    }
    return 0;
}
