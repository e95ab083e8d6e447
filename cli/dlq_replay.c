#include "dlq_replay.h"

#include <stdio.h>

void dlq_ref_format(const dlq_entry *e, char out[40])
{
    snprintf(out, 40, "%d:%lld", (int)e->partition, (long long)e->offset);
}

int dlq_replay_send(kafka_producer *p, const dlq_entry *e, int timeout_ms, char *err, size_t errlen)
{
    char ref[40];
    dlq_ref_format(e, ref);
    const char *headers[] = {DLQ_HEADER_REPLAY_OF, ref, NULL};
    return kafka_producer_send_raw(p, e->source_topic, e->interview_id, e->value, e->len, e->traceparent, headers,
                                   timeout_ms, err, errlen);
}

int dlq_mark_send(kafka_producer *p, const char *dlq_topic, const dlq_entry *e, int timeout_ms, char *err,
                  size_t errlen)
{
    char ref[40];
    dlq_ref_format(e, ref);
    const char *headers[] = {DLQ_HEADER_REPLAY_OF, ref, DLQ_HEADER_REPLAYED_TO, e->source_topic, NULL};
    return kafka_producer_send_raw(p, dlq_topic, e->interview_id, "", 0, e->traceparent, headers, timeout_ms, err,
                                   errlen);
}
