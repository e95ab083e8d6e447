#include "gw_slots.h"

#include <string.h>

static unsigned gw_slots_index(const char *key)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 16777619u;
    return h % GW_SLOTS_TABLE;
}

void gw_slots_init(gw_slots *s, int max_per_key)
{
    memset(s, 0, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
    s->max_per_key = max_per_key;
}

void gw_slots_release(gw_slots *s)
{
    pthread_mutex_destroy(&s->lock);
}

int gw_slots_take(gw_slots *s, const char *key)
{
    unsigned i = gw_slots_index(key);
    pthread_mutex_lock(&s->lock);
    int ok = s->count[i] < s->max_per_key;
    if (ok)
        s->count[i]++;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

void gw_slots_give(gw_slots *s, const char *key)
{
    unsigned i = gw_slots_index(key);
    pthread_mutex_lock(&s->lock);
    if (s->count[i] > 0)
        s->count[i]--;
    pthread_mutex_unlock(&s->lock);
}
