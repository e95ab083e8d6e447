/* Time each stage of `isim analyze --times` took, in wall and CPU seconds
 * (this process's threads, user + sys): the in-process baseline `make bench`
 * sets the pipeline's latency beside. */
#ifndef ISIM_TIMES_H
#define ISIM_TIMES_H

#include <jansson.h>

typedef struct isim_stamp {
    double wall_s, cpu_s;
} isim_stamp;

void isim_stamp_now(isim_stamp *s);
/* Adds name: {"wall_s", "cpu_s"} since *from to times (nothing when times is
 * NULL) and moves *from to now, so consecutive stages chain. */
void isim_times_add(json_t *times, const char *name, isim_stamp *from);

#endif
