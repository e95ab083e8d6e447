/* The dead letters of interview.dlq as isim dlq lists and replays them:
 * each message parsed from its key and headers, and the replay markers
 * (messages on interview.dlq itself that record a replay) folded in. */
#ifndef ISIM_DLQ_ENTRY_H
#define ISIM_DLQ_ENTRY_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>
#include <stdint.h>

#include "isim_util.h"

/* On a replayed message and on its marker: "<dlq partition>:<dlq offset>" of
 * the dead letter it replays. A message of interview.dlq that carries it is
 * a marker (empty value), not a dead letter. */
#define DLQ_HEADER_REPLAY_OF "x-isim-replay-of"

typedef struct dlq_entry {
    int32_t partition; /* where the dead letter is in interview.dlq */
    int64_t offset;
    int64_t time_ms;                      /* when it was dead-lettered; -1: unknown */
    char interview_id[ISIM_UUID_LEN + 1]; /* the key, lower case; "" when the key is not a UUID */
    char *stage;                          /* each NULL when its header is missing */
    char *source_topic;
    char *reason;
    char *traceparent;
    int32_t source_partition; /* -1: unknown */
    int64_t source_offset;    /* -1: unknown */
    int attempts;             /* 0: unknown (x-isim-attempts missing) */
    void *value;              /* the original message's bytes */
    size_t len;
    int replayed;             /* a marker names it, or a dead letter of the same source message */
    int64_t replayed_ms;      /* the marker's time; -1: unknown */
    long duplicate_of;        /* index of an earlier entry of the same source message, or -1 */
} dlq_entry;

typedef struct dlq_mark {
    int32_t partition; /* of the dead letter replayed */
    int64_t offset;
    int64_t time_ms;
} dlq_mark;

typedef struct dlq_list {
    dlq_entry *entries;
    size_t n, cap;
    dlq_mark *marks;
    size_t n_marks, cap_marks;
} dlq_list;

/* One message read from interview.dlq. */
typedef struct dlq_raw {
    int32_t partition;
    int64_t offset;
    int64_t time_ms;
    const void *key;
    size_t key_len;
    const void *value;
    size_t len;
    const rd_kafka_headers_t *headers; /* NULL: none */
} dlq_raw;

typedef struct dlq_filter {
    const char *interview_id; /* NULL: any; else equal, in any case */
    const char *reason;       /* NULL: any; else found in the reason, in any case */
} dlq_filter;

/* What replay does with an entry. */
typedef enum {
    DLQ_PLAN_REPLAY = 0,
    DLQ_PLAN_ALREADY,      /* replayed before */
    DLQ_PLAN_NO_INTERVIEW, /* the key is not an interview id */
    DLQ_PLAN_NO_SOURCE,    /* x-isim-source-topic missing, or not a topic the stages read */
} dlq_plan;

dlq_list *dlq_list_new(void);
void dlq_list_free(dlq_list *l);

/* Adds m as a dead letter, or as a marker when it carries
 * DLQ_HEADER_REPLAY_OF (a marker whose value is not "<p>:<o>" is ignored).
 * Copies what it keeps. 0, or -1 with err (out of memory). */
int dlq_list_add(dlq_list *l, const dlq_raw *m, char *err, size_t errlen);

/* Once every message is added: orders the entries by time (then partition
 * and offset), marks those a marker names as replayed, and so every dead
 * letter of the same source message (same topic, partition, offset and
 * bytes: a worker that dead-lettered one message twice), and sets
 * duplicate_of. */
void dlq_list_fold(dlq_list *l);

int dlq_entry_matches(const dlq_entry *e, const dlq_filter *f);
dlq_plan dlq_entry_plan(const dlq_entry *e);

/* "<partition>:<offset>" into out; 0, or -1 when s (len bytes) is not one. */
int dlq_ref_parse(const char *s, size_t len, int32_t *partition, int64_t *offset);

#endif
