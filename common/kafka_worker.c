#include "kafka_worker.h"

#include <librdkafka/rdkafka.h>
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

#define KW_SEND_TIMEOUT_MS 30000
#define KW_BACKOFF_MAX_MS 30000

struct kafka_worker {
    kafka_worker_opts opts;
    rd_kafka_t *consumer;
    kafka_producer *producer;
    atomic_int stop;
    atomic_int ready;
};

static void kw_on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t e,
                            rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    kafka_worker *w = opaque;
    if (e == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        rd_kafka_assign(rk, parts);
        atomic_store(&w->ready, 1);
        log_info("assigned %d partitions", parts->cnt);
    } else {
        rd_kafka_assign(rk, NULL);
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
    char group[128], poll_ms[32];
    snprintf(group, sizeof(group), "isim-%s", o->service);
    /* A stage run must fit inside max.poll.interval.ms or the group evicts us. */
    snprintf(poll_ms, sizeof(poll_ms), "%d", (o->stage_timeout_s > 0 ? o->stage_timeout_s : 900) * 1000 + 120000);
    const char *settings[] = {
        "bootstrap.servers", o->brokers,
        "group.id", group,
        "enable.auto.commit", "true",
        "enable.auto.offset.store", "false", /* stored by hand once outputs are acked */
        "auto.offset.reset", "earliest",
        "max.poll.interval.ms", poll_ms,
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
    free(w);
    return NULL;
}

void kafka_worker_free(kafka_worker *w)
{
    if (!w)
        return;
    rd_kafka_consumer_close(w->consumer); /* commits stored offsets */
    rd_kafka_destroy(w->consumer);
    kafka_producer_free(w->producer);
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

static int kw_should_stop(kafka_worker *w)
{
    return atomic_load(&w->stop) || signal_stop_requested();
}

int kafka_worker_emit(kafka_worker *w, const kw_message *m, const char *topic, json_t *body,
                      char *err, size_t errlen)
{
    if (!json_object_get(body, "version"))
        json_object_set_new(body, "version", json_integer(1));
    if (m->interview_id && !json_object_get(body, "interview_id"))
        json_object_set_new(body, "interview_id", json_string(m->interview_id));
    char tp[56];
    util_traceparent_child(m->traceparent, tp);
    return kafka_producer_send(w->producer, topic, m->interview_id, body, tp, NULL,
                               KW_SEND_TIMEOUT_MS, err, errlen);
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
    int rc = kafka_worker_emit(w, m, KW_TOPIC_STATUS, body, err, errlen);
    json_decref(body);
    return rc;
}

/* Dead letter: original bytes, reason and origin in headers. */
static int kw_dead_letter(kafka_worker *w, const rd_kafka_message_t *rm, const kw_message *m,
                          const char *reason)
{
    char err[512], offset[32], partition[16];
    snprintf(offset, sizeof(offset), "%lld", (long long)rm->offset);
    snprintf(partition, sizeof(partition), "%d", rm->partition);
    const char *headers[] = {"x-isim-reason", reason,
                             "x-isim-stage", w->opts.stage ? w->opts.stage : w->opts.service,
                             "x-isim-source-topic", rd_kafka_topic_name(rm->rkt),
                             "x-isim-source-partition", partition,
                             "x-isim-source-offset", offset, NULL};
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
    for (int slept = 0; slept < ms && !kw_should_stop(w); slept += 100)
        usleep(100 * 1000);
}

/* Returns 0 when the message is finished with (offset may be stored), -1 to leave it. */
static int kw_process(kafka_worker *w, const rd_kafka_message_t *rm)
{
    char err[1024] = "", serr[512];
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

    json_t *body = json_loadb(rm->payload, rm->len, 0, &jerr);
    const char *iid = body ? json_string_value(json_object_get(body, "interview_id")) : NULL;
    m.body = body;
    m.interview_id = iid && util_uuid_valid(iid) ? iid : NULL;
    log_set_context(trace_id, m.interview_id);

    int rc = -1;
    if (!body || !json_is_object(body) || !m.interview_id) {
        snprintf(err, sizeof(err), "malformed message on %s: %s", m.topic,
                 body ? "no valid interview_id" : jerr.text);
        log_error("%s", err);
        metrics_counter_add("isim_messages_dead_lettered_total", "Messages sent to the dead-letter topic", 1);
        rc = kw_dead_letter(w, rm, &m, err);
        goto out;
    }

    kafka_worker_status(w, &m, "started", NULL, serr, sizeof(serr));
    double t0 = util_now_s();
    kw_result r = KW_RETRY;
    /* A transient failure (storage or database down) is tried max_attempts
     * times, then on until retry_deadline_s: an outage of minutes is waited
     * out here, holding this partition, rather than failing interviews. The
     * wait doubles from 0.5 s up to KW_BACKOFF_MAX_MS, with jitter so that
     * replicas do not retry in step. */
    for (m.attempt = 1; !kw_should_stop(w); m.attempt++) {
        err[0] = '\0';
        r = w->opts.handler(w, &m, w->opts.user, err, sizeof(err));
        if (r != KW_RETRY)
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

    if (r == KW_OK) {
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
        if (kw_dead_letter(w, rm, &m, reason) != 0)
            goto out;
        if (kafka_worker_status(w, &m, "failed", reason, serr, sizeof(serr)) != 0) {
            log_error("status failed not sent: %s", serr);
            goto out;
        }
        rc = 0;
    }
out:
    json_decref(body);
    log_clear_context();
    return rc;
}

int kafka_worker_run(kafka_worker *w)
{
    log_info("worker %s started", w->opts.service);
    while (!kw_should_stop(w)) {
        rd_kafka_message_t *rm = rd_kafka_consumer_poll(w->consumer, 200);
        if (!rm)
            continue;
        if (rm->err) {
            if (rm->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                log_warn("consumer: %s", rd_kafka_message_errstr(rm));
            rd_kafka_message_destroy(rm);
            continue;
        }
        if (kw_process(w, rm) == 0) {
            kw_store_offset(w, rm);
        } else if (!kw_should_stop(w)) {
            /* Outputs not acknowledged: rewind so this message is tried again. */
            rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
            rd_kafka_topic_partition_list_add(l, rd_kafka_topic_name(rm->rkt), rm->partition)->offset = rm->offset;
            rd_kafka_seek_partitions(w->consumer, l, 5000);
            rd_kafka_topic_partition_list_destroy(l);
            kw_sleep_interruptible(w, 1000);
        }
        rd_kafka_message_destroy(rm);
    }
    log_info("worker %s stopping", w->opts.service);
    return 0;
}
