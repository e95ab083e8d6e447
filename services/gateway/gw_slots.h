/* Counted slots per key (a user id): how many of something one user holds
 * at once, e.g. open progress streams, so that one user cannot take every
 * slot of the gateway. A fixed table: keys that collide share a count, which
 * errs on the side of refusing. */
#ifndef ISIM_GW_SLOTS_H
#define ISIM_GW_SLOTS_H

#include <pthread.h>

#define GW_SLOTS_TABLE 1024

typedef struct gw_slots {
    pthread_mutex_t lock;
    int max_per_key;
    unsigned short count[GW_SLOTS_TABLE];
} gw_slots;

void gw_slots_init(gw_slots *s, int max_per_key);
void gw_slots_release(gw_slots *s);
/* 1 and a slot taken for key, or 0 when key already holds max_per_key. */
int gw_slots_take(gw_slots *s, const char *key);
void gw_slots_give(gw_slots *s, const char *key);

#endif
