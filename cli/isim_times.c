#include "isim_times.h"

#include <sys/resource.h>
#include <time.h>

static double timeval_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void isim_stamp_now(isim_stamp *s)
{
    struct timespec ts;
    struct rusage ru;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s->wall_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    s->cpu_s = getrusage(RUSAGE_SELF, &ru) == 0 ? timeval_s(ru.ru_utime) + timeval_s(ru.ru_stime) : 0.0;
}

void isim_times_add(json_t *times, const char *name, isim_stamp *from)
{
    isim_stamp now;
    isim_stamp_now(&now);
    if (times)
        json_object_set_new(times, name, json_pack("{s:f, s:f}", "wall_s", now.wall_s - from->wall_s, "cpu_s",
                                                   now.cpu_s - from->cpu_s));
    *from = now;
}
