/* Redis publisher for live progress (pub/sub); reconnects on failure.
 * Progress is best effort: losing Redis loses no record. Not thread-safe. */
#ifndef ISIM_REDIS_PUB_H
#define ISIM_REDIS_PUB_H

#include <stddef.h>

#include "redis_conn.h"

typedef struct redis_pub redis_pub;

/* Copies p. NULL when out of memory. */
redis_pub *redis_pub_new(const redis_params *p);
void redis_pub_free(redis_pub *r);
int redis_pub_publish(redis_pub *r, const char *channel, const char *message, char *err,
                      size_t errlen);

#endif
