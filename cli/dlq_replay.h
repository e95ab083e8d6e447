/* Putting one dead letter back: its original bytes on its source topic,
 * then a marker on the dead-letter topic that records the replay for good. */
#ifndef ISIM_DLQ_REPLAY_H
#define ISIM_DLQ_REPLAY_H

#include <stddef.h>

#include "dlq_entry.h"
#include "kafka_producer.h"

/* On a marker: the topic the dead letter was put back on. */
#define DLQ_HEADER_REPLAYED_TO "x-isim-replayed-to"

/* "<partition>:<offset>" of e in interview.dlq. */
void dlq_ref_format(const dlq_entry *e, char out[40]);

/* e's bytes on e->source_topic, keyed by its interview id, with its
 * traceparent and DLQ_HEADER_REPLAY_OF. Returns once the brokers have it:
 * 0, or -1 with err. */
int dlq_replay_send(kafka_producer *p, const dlq_entry *e, int timeout_ms, char *err, size_t errlen);

/* The marker for e on dlq_topic: empty value, same key and traceparent,
 * DLQ_HEADER_REPLAY_OF and DLQ_HEADER_REPLAYED_TO. 0, or -1 with err. */
int dlq_mark_send(kafka_producer *p, const char *dlq_topic, const dlq_entry *e, int timeout_ms, char *err,
                  size_t errlen);

#endif
