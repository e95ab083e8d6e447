/* Reads a dead-letter topic whole: every partition from its oldest message
 * to its high watermark as the call found it, with no consumer group offsets
 * committed, into a dlq_list (folded). */
#ifndef ISIM_DLQ_READ_H
#define ISIM_DLQ_READ_H

#include <stddef.h>

#include "dlq_entry.h"

typedef struct dlq_read_opts {
    const char *brokers;
    const char *const *conf; /* NULL-terminated librdkafka name, value pairs (TLS, SASL); may be NULL */
    const char *topic;
    int timeout_ms;          /* for reaching the brokers, and for each wait on a message */
} dlq_read_opts;

/* *out: a new list (dlq_list_free) on success. 0, or -1 with err: the
 * brokers unreachable or refusing us, the topic missing, a read stalled. */
int dlq_read(const dlq_read_opts *o, dlq_list **out, char *err, size_t errlen);

#endif
