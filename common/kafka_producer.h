/* Idempotent Kafka producer (acks=all) sending JSON messages with a W3C
 * traceparent header; sends are synchronous: they return once the broker
 * acknowledged the message, so callers store offsets or answer HTTP only
 * after their output is safe. Thread-safe. */
#ifndef ISIM_KAFKA_PRODUCER_H
#define ISIM_KAFKA_PRODUCER_H

#include <stddef.h>
#include <jansson.h>

typedef struct kafka_producer kafka_producer;

/* extra_conf: NULL-terminated name, value pairs (e.g. for the mock cluster), may be NULL. */
kafka_producer *kafka_producer_new(const char *brokers, const char *const *extra_conf,
                                   char *err, size_t errlen);
void kafka_producer_free(kafka_producer *p); /* flushes */

/* headers: NULL-terminated name, value pairs added after traceparent; may be NULL. */
int kafka_producer_send(kafka_producer *p, const char *topic, const char *key, const json_t *body,
                        const char *traceparent, const char *const *headers, int timeout_ms,
                        char *err, size_t errlen);
/* Same, with raw payload bytes (dead letters keep the original bytes). */
int kafka_producer_send_raw(kafka_producer *p, const char *topic, const char *key,
                            const void *payload, size_t len, const char *traceparent,
                            const char *const *headers, int timeout_ms, char *err, size_t errlen);

#endif
