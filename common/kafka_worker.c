#include "kafka_worker.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "isim_log.h"
#include "kafka_conf.h"
#include "isim_metrics.h"
#include "isim_signal.h"
#include "isim_util.h"
#include "kafka_producer.h"
#include "kw_rewind.h"
#include "kw_schema.h"

#define KW_SEND_TIMEOUT_MS 30000
#define KW_BACKOFF_MAX_MS 30000
/* /livez fails when the loop has not polled (or waited on purpose) for this
 * long outside a handler: longer than a few synchronous sends to a Kafka
 * that is restarting, so a broker restart does not restart every worker. */
#define KW_LOOP_STALL_MS 120000
#define KW_MESSAGE_MAX_BYTES_DEFAULT (1024 * 1024)

/* What a candidate reads when a message between services was unusable. */
#define KW_REASON_INTERNAL \
    "This interview could not be processed because of an internal error. It has been set " \
    "aside for the operators to look at; please record it again or ask them to retry it."

struct kafka_worker {
    kafka_worker_opts opts;
    rd_kafka_t *consumer;
    kafka_producer *producer;
    atomic_int stop;
    atomic_int ready;
    atomic_llong loop_at_ms;       /* last poll, or wait on purpose, of the loop */
    atomic_llong handler_since_ms; /* the running handler call began; 0: none */
    atomic_int abandoned;          /* the watchdog gave the current message up */
    atomic_int abandon_ok;         /* ...and set it aside (dead letter, status, offset) */
    atomic_int seek_failures;      /* fault injection: seeks left to fail */
    atomic_int watchdog_stop;
    /* The message in the handler, for the watchdog; guarded by current_lock. */
    pthread_mutex_t current_lock;
    const rd_kafka_message_t *current_rm;
    const kw_message *current_m;
    kw_rewinds rewinds;
};

static long long kw_now_ms(void)
{
    return (long long)(util_now_s() * 1000.0);
}

/* Eager protocols (range, roundrobin) take the whole assignment; cooperative
 * ones (cooperative-sticky, settable through extra conf) only increments: a
 * plain assign is refused there, and that refusal used to go unnoticed with
 * the worker saying it was ready while consuming nothing. */
static void kw_on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t e,
                            rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    kafka_worker *w = opaque;
    int cooperative = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    rd_kafka_error_t *error = NULL;
    rd_kafka_resp_err_t rerr = RD_KAFKA_RESP_ERR_NO_ERROR;
    char what[256] = "";
    if (e == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (cooperative)
            error = rd_kafka_incremental_assign(rk, parts);
        else
            rerr = rd_kafka_assign(rk, parts);
    } else {
        /* Revoked, or a rebalance error: nothing is ours until the next
         * assignment. Rewinds pending on those partitions are moot: their
         * stored offsets never passed the failed message. */
        atomic_store(&w->ready, 0);
        kw_rewinds_clear(&w->rewinds);
        if (cooperative && e == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
            error = rd_kafka_incremental_unassign(rk, parts);
        else
            rerr = rd_kafka_assign(rk, NULL);
        if (e != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
            log_warn("rebalance error: %s", rd_kafka_err2str(e));
    }
    if (error) {
        snprintf(what, sizeof(what), "%s", rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
    } else if (rerr) {
        snprintf(what, sizeof(what), "%s", rd_kafka_err2str(rerr));
    }
    if (e == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        atomic_store(&w->ready, what[0] == '\0');
        if (what[0])
            log_error("taking %d partitions failed: %s", parts->cnt, what);
        else
            log_info("assigned %d partitions", parts->cnt);
    } else if (what[0]) {
        log_error("giving up %d partitions failed: %s", parts->cnt, what);
    } else {
        log_info("partitions revoked");
    }
}

kafka_worker *kafka_worker_new(const kafka_worker_opts *o, char *err, size_t errlen)
{
    kafka_worker *w = calloc(1, sizeof(*w));
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_topic_partition_list_t *subs = NULL;
    if (!w || !conf) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    w->opts = *o;
    if (w->opts.max_attempts <= 0)
        w->opts.max_attempts = 5;
    if (w->opts.stage_timeout_s <= 0)
        w->opts.stage_timeout_s = 900;
    if (w->opts.max_message_bytes <= 0)
        w->opts.max_message_bytes = KW_MESSAGE_MAX_BYTES_DEFAULT;
    pthread_mutex_init(&w->current_lock, NULL);
    atomic_store(&w->loop_at_ms, kw_now_ms());
    char group[128], poll_ms[32];
    snprintf(group, sizeof(group), "isim-%s", o->service);
    /* One message, retries included, must fit inside max.poll.interval.ms or
     * the group evicts us: the last try may start just before the deadline. */
    snprintf(poll_ms, sizeof(poll_ms), "%lld",
             ((long long)w->opts.stage_timeout_s + (o->retry_deadline_s > 0 ? o->retry_deadline_s : 0)) * 1000 + 120000);
    const char *settings[] = {
        "bootstrap.servers", o->brokers,
        "group.id", group,
        "enable.auto.commit", "true",
        "enable.auto.offset.store", "false", /* stored by hand once outputs are acked */
        "auto.offset.reset", "earliest",
        "max.poll.interval.ms", poll_ms,
        /* A replica killed mid-job holds its partitions until its session
         * times out: librdkafka's 45 s default kept a restarted worker idle
         * that long. Heartbeats come from a background thread, so a long
         * stage call does not end the session. */
        "session.timeout.ms", "10000",
        "heartbeat.interval.ms", "3000",
        NULL};
    if (kafka_conf_set_pairs(conf, settings, err, errlen) != 0 ||
        kafka_conf_set_pairs(conf, o->extra_conf, err, errlen) != 0)
        goto fail;
    rd_kafka_conf_set_opaque(conf, w);
    rd_kafka_conf_set_rebalance_cb(conf, kw_on_rebalance);
    w->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
    if (!w->consumer)
        goto fail;
    conf = NULL;
    rd_kafka_poll_set_consumer(w->consumer);

    subs = rd_kafka_topic_partition_list_new(4);
    for (int i = 0; o->topics[i]; i++)
        rd_kafka_topic_partition_list_add(subs, o->topics[i], RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(w->consumer, subs);
    if (e) {
        snprintf(err, errlen, "subscribe: %s", rd_kafka_err2str(e));
        goto fail;
    }
    rd_kafka_topic_partition_list_destroy(subs);
    subs = NULL;

    w->producer = kafka_producer_new(o->brokers, o->extra_conf, err, errlen);
    if (!w->producer)
        goto fail;
    return w;
fail:
    if (subs)
        rd_kafka_topic_partition_list_destroy(subs);
    if (conf)
        rd_kafka_conf_destroy(conf);
    if (w && w->consumer)
        rd_kafka_destroy(w->consumer);
    if (w)
        pthread_mutex_destroy(&w->current_lock);
    free(w);
    return NULL;
}

int kafka_worker_close(kafka_worker *w, char *err, size_t errlen)
{
    if (!w->consumer)
        return 0;
    /* Revokes the partitions (ready turns 0) and commits stored offsets. */
    rd_kafka_resp_err_t e = rd_kafka_consumer_close(w->consumer);
    rd_kafka_destroy(w->consumer);
    w->consumer = NULL;
    if (e) {
        snprintf(err, errlen, "closing the consumer: %s", rd_kafka_err2str(e));
        return -1;
    }
    return 0;
}

void kafka_worker_free(kafka_worker *w)
{
    char err[256];
    if (!w)
        return;
    if (kafka_worker_close(w, err, sizeof(err)) != 0)
        log_warn("%s", err);
    kafka_producer_free(w->producer);
    kw_rewinds_clear(&w->rewinds);
    pthread_mutex_destroy(&w->current_lock);
    free(w);
}

void kafka_worker_stop(kafka_worker *w)
{
    atomic_store(&w->stop, 1);
}

int kafka_worker_ready(const kafka_worker *w)
{
    return atomic_load(&w->ready);
}

int kafka_worker_alive(kafka_worker *w)
{
    if (atomic_load(&w->abandoned))
        return 0; /* a handler is stuck past its timeout */
    long long now = kw_now_ms(), since = atomic_load(&w->handler_since_ms);
    if (since)
        return now - since <= (long long)w->opts.stage_timeout_s * 1000 + 10000;
    return now - atomic_load(&w->loop_at_ms) <= KW_LOOP_STALL_MS;
}

void kafka_worker_inject_seek_failures(kafka_worker *w, int n)
{
    atomic_store(&w->seek_failures, n);
}

static int kw_should_stop(kafka_worker *w)
{
    return atomic_load(&w->stop) || signal_stop_requested();
}

static int kw_emit(kafka_worker *w, const kw_message *m, const char *topic, json_t *body,
                   char *err, size_t errlen)
{
    atomic_store(&w->loop_at_ms, kw_now_ms()); /* a send may wait out a broker restart */
    if (!json_object_get(body, "version"))
        json_object_set_new(body, "version", json_integer(1));
    if (m->interview_id && !json_object_get(body, "interview_id"))
        json_object_set_new(body, "interview_id", json_string(m->interview_id));
    char tp[56];
    util_traceparent_child(m->traceparent, tp);
    return kafka_producer_send(w->producer, topic, m->interview_id, body, tp, NULL,
                               KW_SEND_TIMEOUT_MS, err, errlen);
}

int kafka_worker_emit(kafka_worker *w, const kw_message *m, const char *topic, json_t *body,
                      char *err, size_t errlen)
{
    /* The watchdog failed this interview already: later outputs would
     * contradict what the candidate was told. */
    if (atomic_load(&w->abandoned)) {
        snprintf(err, errlen, "not sent: the message was given up after the stage timeout");
        return -1;
    }
    /* The interview's language goes through every stage (proto/README.md). */
    json_t *lang = json_object_get(m->body, "language");
    if (lang && !json_object_get(body, "language"))
        json_object_set(body, "language", lang);
    return kw_emit(w, m, topic, body, err, errlen);
}

static void kw_now_iso(char *out, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int kafka_worker_status(kafka_worker *w, const kw_message *m, const char *state,
                        const char *reason, char *err, size_t errlen)
{
    if (!w->opts.stage || !m->interview_id)
        return 0;
    char at[32];
    kw_now_iso(at, sizeof(at));
    json_t *body = json_pack("{s:i, s:s, s:s, s:s, s:s, s:i}", "version", 1, "interview_id",
                             m->interview_id, "stage", w->opts.stage, "state", state, "at", at,
                             "attempt", m->attempt);
    if (reason)
        json_object_set_new(body, "reason", json_string(reason));
    int rc = kw_emit(w, m, KW_TOPIC_STATUS, body, err, errlen);
    json_decref(body);
    return rc;
}

/* Dead letter: original bytes, reason and origin in headers. */
static int kw_dead_letter(kafka_worker *w, const rd_kafka_message_t *rm, const kw_message *m,
                          const char *reason)
{
    char err[512], offset[32], partition[16], attempts[16];
    snprintf(offset, sizeof(offset), "%lld", (long long)rm->offset);
    snprintf(partition, sizeof(partition), "%d", rm->partition);
    snprintf(attempts, sizeof(attempts), "%d", m->attempt);
    const char *headers[] = {"x-isim-reason", reason,
                             "x-isim-stage", w->opts.stage ? w->opts.stage : w->opts.service,
                             "x-isim-source-topic", rd_kafka_topic_name(rm->rkt),
                             "x-isim-source-partition", partition,
                             "x-isim-source-offset", offset,
                             "x-isim-attempts", attempts, NULL};
    atomic_store(&w->loop_at_ms, kw_now_ms());
    metrics_counter_add("isim_messages_dead_lettered_total", "Messages sent to the dead-letter topic", 1);
    int rc = kafka_producer_send_raw(w->producer, KW_TOPIC_DLQ, m->interview_id, rm->payload,
                                     rm->len, m->traceparent, headers, KW_SEND_TIMEOUT_MS, err,
                                     sizeof(err));
    if (rc != 0)
        log_error("dead-letter failed: %s", err);
    return rc;
}

static int kw_store_offset(kafka_worker *w, const rd_kafka_message_t *rm)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    /* librdkafka 2.0.2 has no rd_kafka_offset_store_message: store offset + 1 */
    rd_kafka_topic_partition_list_add(l, rd_kafka_topic_name(rm->rkt), rm->partition)->offset = rm->offset + 1;
    rd_kafka_resp_err_t e = rd_kafka_offsets_store(w->consumer, l);
    rd_kafka_topic_partition_list_destroy(l);
    if (e) {
        log_warn("offset store: %s", rd_kafka_err2str(e));
        return -1;
    }
    return 0;
}

static void kw_sleep_interruptible(kafka_worker *w, int ms)
{
    for (int slept = 0; slept < ms && !kw_should_stop(w); slept += 100) {
        atomic_store(&w->loop_at_ms, kw_now_ms());
        usleep(100 * 1000);
    }
}

/* The interview failed: a "failed" status event, or for a worker without a
 * stage its on_failed hook. */
static int kw_fail_interview(kafka_worker *w, const kw_message *m, const char *reason)
{
    char serr[512] = "";
    int rc = 0;
    if (!m->interview_id)
        return 0;
    if (w->opts.stage)
        rc = kafka_worker_status(w, m, "failed", reason, serr, sizeof(serr));
    else if (w->opts.on_failed)
        rc = w->opts.on_failed(w, m, w->opts.user, reason, serr, sizeof(serr));
    if (rc != 0)
        log_error("the interview's failure was not recorded, will try again: %s", serr);
    return rc;
}

/* Sets a message aside that can never be processed: dead letter with the
 * technical reason, and, when it names an interview, a "failed" status
 * telling the candidate in plain words. 0 when both are sent. */
static int kw_set_aside(kafka_worker *w, const rd_kafka_message_t *rm, const kw_message *m,
                        const char *why, const char *candidate_reason)
{
    log_error("%s", why);
    if (kw_dead_letter(w, rm, m, why) != 0)
        return -1;
    return kw_fail_interview(w, m, candidate_reason);
}

/* The watchdog: a handler call running past stage_timeout_s is given up.
 * The interview fails with a reason and the message is set aside and its
 * offset stored, so a restart does not run it again; /livez turns false
 * until the stuck call returns (an orchestrator restarts us if it never does).
 * A thread cannot be cancelled safely, so this is all it can do. */
static void kw_abandon_current(kafka_worker *w)
{
    const rd_kafka_message_t *rm = w->current_rm;
    const kw_message *m = w->current_m;
    char why[512], reason[512];
    int minutes = (w->opts.stage_timeout_s + 59) / 60;
    atomic_store(&w->abandoned, 1);
    log_set_context(NULL, m->interview_id);
    snprintf(why, sizeof(why), "%s took longer than its timeout of %d s (ISIM_STAGE_TIMEOUT_S) on %s [%d] at %lld",
             w->opts.stage ? w->opts.stage : w->opts.service, w->opts.stage_timeout_s, m->topic,
             m->partition, m->offset);
    snprintf(reason, sizeof(reason),
             "Processing this interview took longer than the %d-minute limit for one step, so it "
             "was stopped. Please try again; a shorter recording is processed faster.", minutes);
    metrics_counter_add("isim_stage_timeouts_total", "Handler calls given up after the stage timeout", 1);
    if (kw_set_aside(w, rm, m, why, reason) == 0 && kw_store_offset(w, rm) == 0)
        atomic_store(&w->abandon_ok, 1);
    log_clear_context();
}

static void *kw_watchdog_main(void *arg)
{
    kafka_worker *w = arg;
    long long limit = (long long)w->opts.stage_timeout_s * 1000;
    while (!atomic_load(&w->watchdog_stop)) {
        usleep(200 * 1000);
        long long since = atomic_load(&w->handler_since_ms);
        if (!since || atomic_load(&w->abandoned) || kw_now_ms() - since <= limit)
            continue;
        pthread_mutex_lock(&w->current_lock);
        if (w->current_rm && atomic_load(&w->handler_since_ms) == since)
            kw_abandon_current(w);
        pthread_mutex_unlock(&w->current_lock);
    }
    return NULL;
}

/* One handler call, watched. */
static kw_result kw_call_handler(kafka_worker *w, const rd_kafka_message_t *rm, kw_message *m,
                                 char *err, size_t errlen)
{
    pthread_mutex_lock(&w->current_lock);
    w->current_rm = rm;
    w->current_m = m;
    atomic_store(&w->handler_since_ms, kw_now_ms());
    pthread_mutex_unlock(&w->current_lock);
    kw_result r = w->opts.handler(w, m, w->opts.user, err, errlen);
    pthread_mutex_lock(&w->current_lock);
    atomic_store(&w->handler_since_ms, 0);
    w->current_rm = NULL;
    w->current_m = NULL;
    pthread_mutex_unlock(&w->current_lock);
    atomic_store(&w->loop_at_ms, kw_now_ms());
    return r;
}

/* The interview a message is about: its body's interview_id, else its key
 * (every producer keys by interview id), so that even a message whose body
 * cannot be read fails its interview instead of leaving it waiting. */
static const char *kw_message_interview(const rd_kafka_message_t *rm, const json_t *body,
                                        char *buf, size_t buflen)
{
    const char *iid = body ? json_string_value(json_object_get(body, "interview_id")) : NULL;
    if (iid && util_uuid_valid(iid))
        return iid;
    if (rm->key && rm->key_len > 0 && rm->key_len < buflen) {
        memcpy(buf, rm->key, rm->key_len);
        buf[rm->key_len] = '\0';
        if (util_uuid_valid(buf))
            return buf;
    }
    return NULL;
}

/* Why a message can never be processed, or 0 if it can: too large, not JSON,
 * an unknown version, not what its topic's schema says. */
static int kw_unusable(kafka_worker *w, const rd_kafka_message_t *rm, const json_t *body,
                       const json_error_t *jerr, char *why, size_t len)
{
    const char *topic = rd_kafka_topic_name(rm->rkt);
    if ((long long)rm->len > w->opts.max_message_bytes) {
        snprintf(why, len, "message on %s is %zu bytes, over the limit of %lld (ISIM_MESSAGE_MAX_BYTES)",
                 topic, rm->len, w->opts.max_message_bytes);
        return 1;
    }
    if (!body) {
        snprintf(why, len, "malformed message on %s: not JSON: %s", topic, jerr->text);
        return 1;
    }
    if (!json_is_object(body)) {
        snprintf(why, len, "malformed message on %s: not a JSON object", topic);
        return 1;
    }
    const json_t *version = json_object_get(body, "version");
    if (json_is_integer(version) && json_integer_value(version) != KW_MESSAGE_VERSION) {
        snprintf(why, len, "unsupported message version %lld on %s (this build reads version %d)",
                 (long long)json_integer_value(version), topic, KW_MESSAGE_VERSION);
        return 1;
    }
    char serr[400];
    if (kw_schema_check(topic, body, serr, sizeof(serr)) != 0) {
        snprintf(why, len, "malformed message on %s: %s", topic, serr);
        return 1;
    }
    return 0;
}

/* Returns 0 when the message is finished with (offset may be stored), -1 to leave it. */
static int kw_process(kafka_worker *w, const rd_kafka_message_t *rm)
{
    char err[1024] = "", serr[512], why[640], key_iid[64];
    json_error_t jerr;
    kw_message m = {.topic = rd_kafka_topic_name(rm->rkt), .partition = rm->partition,
                    .offset = rm->offset, .attempt = 1};
    const void *hval = NULL;
    size_t hlen = 0;
    char traceparent[64] = "";
    rd_kafka_headers_t *hdrs = NULL;
    if (rd_kafka_message_headers(rm, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        rd_kafka_header_get_last(hdrs, "traceparent", &hval, &hlen) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        hlen < sizeof(traceparent)) {
        memcpy(traceparent, hval, hlen);
        traceparent[hlen] = '\0';
    }
    char trace_id[33] = "";
    if (util_traceparent_trace_id(traceparent, trace_id) != 0) {
        util_traceparent_new(traceparent);
        util_traceparent_trace_id(traceparent, trace_id);
    }
    m.traceparent = traceparent;

    json_t *body = NULL;
    if ((long long)rm->len <= w->opts.max_message_bytes)
        body = json_loadb(rm->payload, rm->len, 0, &jerr);
    m.body = body;
    m.interview_id = kw_message_interview(rm, body, key_iid, sizeof(key_iid));
    log_set_context(trace_id, m.interview_id);

    int rc = -1;
    if (kw_unusable(w, rm, body, &jerr, why, sizeof(why))) {
        if (kw_set_aside(w, rm, &m, why, KW_REASON_INTERNAL) == 0)
            rc = 0;
        goto out;
    }

    /* The "started" event is part of the output: unsent, the message is tried again. */
    if (kafka_worker_status(w, &m, "started", NULL, serr, sizeof(serr)) != 0) {
        log_warn("status started not sent, will try again: %s", serr);
        goto out;
    }
    double t0 = util_now_s();
    kw_result r = KW_RETRY;
    /* A transient failure (storage or database down) is tried max_attempts
     * times, then on until retry_deadline_s: an outage of minutes is waited
     * out here, holding this partition, rather than failing interviews. The
     * wait doubles from 0.5 s up to KW_BACKOFF_MAX_MS, with jitter so that
     * replicas do not retry in step. */
    for (m.attempt = 1; !kw_should_stop(w); m.attempt++) {
        err[0] = '\0';
        r = kw_call_handler(w, rm, &m, err, sizeof(err));
        if (r != KW_RETRY || atomic_load(&w->abandoned))
            break;
        int backoff_ms = 500 << (m.attempt - 1 < 6 ? m.attempt - 1 : 6);
        if (backoff_ms > KW_BACKOFF_MAX_MS)
            backoff_ms = KW_BACKOFF_MAX_MS;
        backoff_ms = backoff_ms * 4 / 5 + (int)arc4random_uniform((uint32_t)(backoff_ms * 2 / 5 + 1));
        double spent = util_now_s() - t0;
        if (m.attempt >= w->opts.max_attempts && spent + backoff_ms / 1000.0 > w->opts.retry_deadline_s)
            break;
        log_warn("attempt %d failed, retrying in %d ms: %s", m.attempt, backoff_ms, err);
        metrics_counter_add("isim_stage_retries_total", "Transient failures retried", 1);
        kw_sleep_interruptible(w, backoff_ms);
    }
    double took = util_now_s() - t0;
    metrics_counter_add("isim_stage_seconds_total", "Time spent in the stage handler", took);

    if (atomic_load(&w->abandoned)) {
        /* The watchdog has set it aside already (or could not: then again). */
        rc = atomic_load(&w->abandon_ok) ? 0 : -1;
        log_warn("the handler returned %.0f s after it was given up", took);
        atomic_store(&w->abandon_ok, 0);
        atomic_store(&w->abandoned, 0);
    } else if (r == KW_OK) {
        if (kafka_worker_status(w, &m, "finished", NULL, serr, sizeof(serr)) != 0) {
            log_warn("status finished not sent: %s", serr);
            goto out; /* redeliver: status is part of the output */
        }
        metrics_counter_add("isim_messages_processed_total", "Messages processed successfully", 1);
        log_info("processed %s in %.2f s", m.topic, took);
        rc = 0;
    } else if (r == KW_RETRY && kw_should_stop(w)) {
        log_info("stopping before the message was finished; it will be redelivered");
    } else {
        const char *reason = err[0] ? err : "processing failed";
        log_error("failed: %s", reason);
        metrics_counter_add("isim_messages_failed_total", "Messages that failed permanently", 1);
        if (kw_dead_letter(w, rm, &m, reason) != 0 || kw_fail_interview(w, &m, reason) != 0)
            goto out;
        rc = 0;
    }
out:
    json_decref(body);
    log_clear_context();
    return rc;
}

static int kw_seek(kafka_worker *w, const char *topic, int32_t partition, int64_t offset,
                   char *err, size_t errlen)
{
    int rc = 0;
    if (atomic_load(&w->seek_failures) > 0) {
        atomic_fetch_sub(&w->seek_failures, 1);
        snprintf(err, errlen, "injected seek failure");
        return -1;
    }
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, topic, partition)->offset = offset;
    rd_kafka_error_t *e = rd_kafka_seek_partitions(w->consumer, l, 5000);
    if (e) {
        snprintf(err, errlen, "%s", rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
        rc = -1;
    } else if (l->elems[0].err) {
        snprintf(err, errlen, "%s", rd_kafka_err2str(l->elems[0].err));
        rc = -1;
    }
    rd_kafka_topic_partition_list_destroy(l);
    return rc;
}

/* Outputs of rm were not acknowledged: rewind its partition so it is tried
 * again. If the seek fails, the partition is marked: its later messages are
 * dropped unprocessed (their offsets never stored, so rm is not passed over)
 * and the seek tried again on each, until it takes. */
static int kw_rewind(kafka_worker *w, const char *topic, int32_t partition, int64_t offset)
{
    char err[256];
    if (kw_seek(w, topic, partition, offset, err, sizeof(err)) == 0) {
        kw_rewinds_remove(&w->rewinds, topic, partition);
        return 0;
    }
    log_warn("rewinding %s [%d] to %lld failed, will try again: %s", topic, partition,
             (long long)offset, err);
    return kw_rewinds_add(&w->rewinds, topic, partition, offset);
}

/* 1 when rm is past a rewind that has not taken yet: drop it. */
static int kw_behind_rewind(kafka_worker *w, const rd_kafka_message_t *rm)
{
    const char *topic = rd_kafka_topic_name(rm->rkt);
    int64_t want = kw_rewinds_find(&w->rewinds, topic, rm->partition);
    if (want < 0 || rm->offset <= want) {
        if (want == rm->offset)
            kw_rewinds_remove(&w->rewinds, topic, rm->partition);
        return 0;
    }
    kw_rewind(w, topic, rm->partition, want);
    kw_sleep_interruptible(w, 200);
    return 1;
}

int kafka_worker_run(kafka_worker *w)
{
    int rc = 0;
    pthread_t watchdog;
    if (pthread_create(&watchdog, NULL, kw_watchdog_main, w) != 0) {
        log_error("cannot start the stage watchdog");
        return -1;
    }
    log_info("worker %s started", w->opts.service);
    while (!kw_should_stop(w)) {
        atomic_store(&w->loop_at_ms, kw_now_ms());
        rd_kafka_message_t *rm = rd_kafka_consumer_poll(w->consumer, 200);
        if (!rm)
            continue;
        if (rm->err) {
            if (rm->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                log_warn("consumer: %s", rd_kafka_message_errstr(rm));
            rd_kafka_message_destroy(rm);
            continue;
        }
        if (kw_behind_rewind(w, rm)) {
            rd_kafka_message_destroy(rm);
            continue;
        }
        if (kw_process(w, rm) == 0) {
            kw_store_offset(w, rm);
        } else if (!kw_should_stop(w)) {
            if (kw_rewind(w, rd_kafka_topic_name(rm->rkt), rm->partition, rm->offset) != 0) {
                /* More partitions to rewind than we can track: exit, and the
                 * restart resumes from the committed offsets. */
                log_error("too many partitions could not be rewound; stopping");
                rc = -1;
                rd_kafka_message_destroy(rm);
                break;
            }
            kw_sleep_interruptible(w, 1000);
        }
        rd_kafka_message_destroy(rm);
    }
    atomic_store(&w->watchdog_stop, 1);
    pthread_join(watchdog, NULL);
    log_info("worker %s stopping", w->opts.service);
    return rc;
}
