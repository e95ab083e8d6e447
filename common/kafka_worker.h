/* The Kafka worker loop every stage service runs: consume, hand the parsed
 * message to the stage's handler, let it emit outputs (acknowledged before
 * the handler returns), then store the input offset. At-least-once: a crash
 * before the store redelivers the message, and handlers are idempotent.
 * Transient failures are retried with backoff; permanent ones (or retries
 * exhausted) go to the dead-letter topic with the reason in headers, and a
 * "failed" status tells result-writer why the interview failed. Messages that
 * can never be processed (over the size limit, not JSON, an unknown version,
 * not matching their topic's schema in proto/) are set aside the same way
 * without reaching the handler. A watchdog gives up a handler call that runs
 * past stage_timeout_s: the interview fails, and kafka_worker_alive() turns
 * false until the call returns. */
#ifndef ISIM_KAFKA_WORKER_H
#define ISIM_KAFKA_WORKER_H

#include <stddef.h>
#include <jansson.h>

#define KW_TOPIC_UPLOADED "interview.uploaded"
#define KW_TOPIC_AUDIO_EXTRACTED "interview.audio-extracted"
#define KW_TOPIC_CONVERTED "interview.converted"
#define KW_TOPIC_TRANSCRIBED "interview.transcribed"
#define KW_TOPIC_VIDEO_METRICS "interview.video-metrics"
#define KW_TOPIC_TEXT_METRICS "interview.text-metrics"
#define KW_TOPIC_STATUS "interview.status"
#define KW_TOPIC_DLQ "interview.dlq"
#define KW_MESSAGE_VERSION 1 /* the message format version this build reads */

typedef enum { KW_OK = 0, KW_RETRY = 1, KW_FAIL = 2 } kw_result;

typedef struct kafka_worker kafka_worker;

typedef struct kw_message {
    const char *topic;
    int partition;
    long long offset;
    const json_t *body;
    const char *interview_id;
    const char *traceparent;
    int attempt; /* 1 on first try */
} kw_message;

/* On KW_FAIL, err is the reason shown to the candidate. */
typedef kw_result (*kw_handler)(kafka_worker *w, const kw_message *m, void *user,
                                char *err, size_t errlen);

/* For a worker without a stage (the result-writer, which reads the status
 * topic itself): records that the interview failed, for reason; 0 when
 * recorded, else the message is tried again. */
typedef int (*kw_fail_fn)(kafka_worker *w, const kw_message *m, void *user, const char *reason,
                          char *err, size_t errlen);

typedef struct kafka_worker_opts {
    const char *service;             /* consumer group "isim-<service>" */
    const char *brokers;
    const char *const *topics;       /* NULL-terminated */
    const char *stage;               /* name in status messages; NULL: send none */
    kw_fail_fn on_failed;            /* without a stage: how a failed interview is recorded */
    kw_handler handler;
    void *user;
    int max_attempts;                /* tries of a transient failure at least, before dead-lettering */
    int retry_deadline_s;            /* ...and more, until this long after the first (0: no more) */
    int stage_timeout_s;             /* a handler call is given up after this (0: 900 s) */
    long long max_message_bytes;     /* larger inputs are set aside unread (0: 1 MiB) */
    const char *const *extra_conf;   /* NULL-terminated pairs for consumer and producer */
} kafka_worker_opts;

kafka_worker *kafka_worker_new(const kafka_worker_opts *o, char *err, size_t errlen);
/* Runs until signal_stop_requested() or kafka_worker_stop(); returns 0 on a clean stop. */
int kafka_worker_run(kafka_worker *w);
void kafka_worker_stop(kafka_worker *w);
/* Leaves the group: partitions revoked, stored offsets committed. Optional
 * before kafka_worker_free, which closes too. */
int kafka_worker_close(kafka_worker *w, char *err, size_t errlen);
void kafka_worker_free(kafka_worker *w);
/* Has joined its group and taken its assignment (a replica beyond the
 * partition count is ready with none); 0 again once revoked or closed. */
int kafka_worker_ready(const kafka_worker *w);
/* For /livez: the loop polls, or a handler call is within its timeout. */
int kafka_worker_alive(kafka_worker *w);
/* Fault injection for tests: the next n partition seeks fail. */
void kafka_worker_inject_seek_failures(kafka_worker *w, int n);

/* Inside a handler: produce an output for the current message, keyed by the
 * interview id, carrying the trace on; returns after the broker's ack. Adds
 * "version":1 and "interview_id" when absent. Does not take ownership of body. */
int kafka_worker_emit(kafka_worker *w, const kw_message *m, const char *topic, json_t *body,
                      char *err, size_t errlen);
/* A status event: state is "started", "finished" or "failed". */
int kafka_worker_status(kafka_worker *w, const kw_message *m, const char *state,
                        const char *reason, char *err, size_t errlen);

#endif
