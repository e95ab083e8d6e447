#include "dlq_read.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isim_log.h"
#include "isim_util.h"
#include "kafka_conf.h"

/* How long every broker may stay unreachable before we say so (librdkafka
 * reports "all brokers down" at the first refused connection). */
#define DLQ_DOWN_GRACE_MS 3000
#define DLQ_POLL_MS 500

/* What the client's error callback saw. */
typedef struct dlq_reader_state {
    rd_kafka_resp_err_t fatal; /* a refused login or certificate: waiting does not cure it */
    int all_down;
    char why[512];
} dlq_reader_state;

static void dlq_on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)rk;
    dlq_reader_state *s = opaque;
    if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION || err == RD_KAFKA_RESP_ERR__SSL) {
        if (!s->fatal)
            s->fatal = err;
    } else if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        s->all_down = 1;
    } else if (err != RD_KAFKA_RESP_ERR__TRANSPORT && err != RD_KAFKA_RESP_ERR__RESOLVE) {
        return;
    }
    if (!s->fatal || err == (int)s->fatal)
        snprintf(s->why, sizeof(s->why), "%s", reason);
}

/* librdkafka's own lines go to the debug log (ISIM_LOG_LEVEL=debug): what
 * matters reaches the error callback and is said once, in the error. */
static void dlq_on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    log_debug("librdkafka %d %s: %s", level, fac, buf);
}

static int dlq_ms_since(double t0)
{
    return (int)((util_now_s() - t0) * 1000);
}

/* 1 when waiting longer than waited_ms is pointless; err says why. */
static int dlq_give_up(rd_kafka_t *rk, dlq_reader_state *s, const dlq_read_opts *o, int waited_ms,
                       char *err, size_t errlen)
{
    rd_kafka_poll(rk, 0); /* serves the error callback */
    if (s->fatal)
        snprintf(err, errlen, "Kafka at %s refused us: %s", o->brokers, s->why);
    else if ((s->all_down && waited_ms >= DLQ_DOWN_GRACE_MS) || waited_ms >= o->timeout_ms)
        snprintf(err, errlen, "cannot reach Kafka at %s: %s", o->brokers,
                 s->why[0] ? s->why : "no answer");
    else
        return 0;
    return 1;
}

static rd_kafka_t *dlq_consumer_new(const dlq_read_opts *o, dlq_reader_state *s, char *err, size_t errlen)
{
    rd_kafka_t *rk = NULL;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    /* A group id is required by the consumer API, but neither joined nor
     * committed to: partitions are assigned by hand. */
    const char *settings[] = {"bootstrap.servers", o->brokers,
                              "group.id", "isim-dlq",
                              "enable.auto.commit", "false",
                              "enable.auto.offset.store", "false",
                              "enable.partition.eof", "true",
                              "auto.offset.reset", "earliest", /* when retention passed our start */
                              NULL};
    if (!conf) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (kafka_conf_set_pairs(conf, settings, err, errlen) != 0 || kafka_conf_set_pairs(conf, o->conf, err, errlen) != 0)
        goto out;
    rd_kafka_conf_set_error_cb(conf, dlq_on_error);
    rd_kafka_conf_set_log_cb(conf, dlq_on_log);
    rd_kafka_conf_set_opaque(conf, s);
    rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
    if (rk)
        conf = NULL; /* rk owns it */
out:
    if (conf)
        rd_kafka_conf_destroy(conf);
    return rk;
}

/* The topic's partition ids into *ids (to free) and *n. */
static int dlq_partitions(rd_kafka_t *rk, dlq_reader_state *s, const dlq_read_opts *o, int32_t **ids,
                          int *n, char *err, size_t errlen)
{
    int rc = -1;
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR__TIMED_OUT;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, NULL);
    *ids = NULL;
    if (!rkt) {
        snprintf(err, errlen, "topic %s: %s", o->topic, rd_kafka_err2str(rd_kafka_last_error()));
        goto out;
    }
    for (double t0 = util_now_s();;) {
        e = rd_kafka_metadata(rk, 0, rkt, &md, 1000);
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
            break;
        if (e != RD_KAFKA_RESP_ERR__TIMED_OUT && e != RD_KAFKA_RESP_ERR__TRANSPORT) {
            snprintf(err, errlen, "metadata of %s from Kafka at %s: %s", o->topic, o->brokers, rd_kafka_err2str(e));
            goto out;
        }
        if (dlq_give_up(rk, s, o, dlq_ms_since(t0), err, errlen))
            goto out;
    }
    const rd_kafka_metadata_topic_t *t = md->topic_cnt == 1 ? &md->topics[0] : NULL;
    if (!t || t->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        snprintf(err, errlen, "topic %s does not exist on Kafka at %s (isim admin topics creates it)", o->topic,
                 o->brokers);
        goto out;
    }
    if (t->err) {
        snprintf(err, errlen, "topic %s: %s", o->topic, rd_kafka_err2str(t->err));
        goto out;
    }
    *ids = calloc((size_t)t->partition_cnt + 1, sizeof(**ids));
    if (!*ids) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (int i = 0; i < t->partition_cnt; i++)
        (*ids)[i] = t->partitions[i].id;
    *n = t->partition_cnt;
    rc = 0;
out:
    if (md)
        rd_kafka_metadata_destroy(md);
    if (rkt)
        rd_kafka_topic_destroy(rkt);
    return rc;
}

/* Where each partition ends for this read: its high watermark now. */
typedef struct dlq_part {
    int32_t id;
    int64_t end;
    int done;
} dlq_part;

static dlq_part *dlq_part_of(dlq_part *parts, int n, int32_t id)
{
    for (int i = 0; i < n; i++)
        if (parts[i].id == id)
            return &parts[i];
    return NULL;
}

/* Assigns every partition that holds messages, from its oldest. *left: how many. */
static int dlq_assign(rd_kafka_t *rk, const dlq_read_opts *o, dlq_part *parts, int n, int *left, char *err,
                      size_t errlen)
{
    int rc = -1;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n > 0 ? n : 1);
    *left = 0;
    for (int i = 0; i < n; i++) {
        int64_t lo = 0, hi = 0;
        rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, o->topic, parts[i].id, &lo, &hi, o->timeout_ms);
        if (e) {
            snprintf(err, errlen, "offsets of %s [%d]: %s", o->topic, (int)parts[i].id, rd_kafka_err2str(e));
            goto out;
        }
        parts[i].end = hi;
        parts[i].done = hi <= lo;
        if (!parts[i].done) {
            rd_kafka_topic_partition_list_add(l, o->topic, parts[i].id)->offset = lo;
            (*left)++;
        }
    }
    rd_kafka_resp_err_t e = rd_kafka_assign(rk, l);
    if (e) {
        snprintf(err, errlen, "assign %s: %s", o->topic, rd_kafka_err2str(e));
        goto out;
    }
    rc = 0;
out:
    rd_kafka_topic_partition_list_destroy(l);
    return rc;
}

/* Adds one message, or notes a partition's end. 0, or -1 with err. */
static int dlq_take(dlq_list *list, dlq_part *parts, int n, const rd_kafka_message_t *m, int *left,
                    char *err, size_t errlen)
{
    dlq_part *p = dlq_part_of(parts, n, m->partition);
    if (!p || p->done)
        return 0;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (m->offset >= p->end) {
            p->done = 1;
            (*left)--;
        }
        return 0;
    }
    if (m->offset >= p->end) /* dead-lettered after this read began */
        return 0;
    rd_kafka_headers_t *h = NULL;
    rd_kafka_resp_err_t e = rd_kafka_message_headers(m, &h);
    if (e && e != RD_KAFKA_RESP_ERR__NOENT) {
        snprintf(err, errlen, "headers of %s [%d] at %lld: %s", rd_kafka_topic_name(m->rkt), (int)m->partition,
                 (long long)m->offset, rd_kafka_err2str(e));
        return -1;
    }
    dlq_raw raw = {.partition = m->partition, .offset = m->offset, .time_ms = rd_kafka_message_timestamp(m, NULL),
                   .key = m->key, .key_len = m->key_len, .value = m->payload, .len = m->len,
                   .headers = e ? NULL : h};
    if (dlq_list_add(list, &raw, err, errlen) != 0)
        return -1;
    if (m->offset >= p->end - 1) {
        p->done = 1;
        (*left)--;
    }
    return 0;
}

static int dlq_consume(rd_kafka_t *rk, dlq_reader_state *s, const dlq_read_opts *o, dlq_list *list,
                       dlq_part *parts, int n, int left, char *err, size_t errlen)
{
    char last[512] = "";
    double progress = util_now_s();
    while (left > 0) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, DLQ_POLL_MS);
        int rc = 0;
        if (m && m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            snprintf(last, sizeof(last), "%s", rd_kafka_message_errstr(m)); /* librdkafka retries */
        } else if (m) {
            rc = dlq_take(list, parts, n, m, &left, err, errlen);
            progress = util_now_s();
            s->all_down = 0; /* reached since */
        }
        if (m)
            rd_kafka_message_destroy(m);
        if (rc != 0)
            return -1;
        int idle = dlq_ms_since(progress);
        if (left > 0 && idle >= DLQ_POLL_MS && dlq_give_up(rk, s, o, idle, err, errlen)) {
            if (!s->fatal && !s->all_down)
                snprintf(err, errlen, "reading %s: nothing came for %d ms with %d partition(s) unread%s%s",
                         o->topic, idle, left, last[0] ? "; last error: " : "", last);
            return -1;
        }
    }
    return 0;
}

int dlq_read(const dlq_read_opts *o, dlq_list **out, char *err, size_t errlen)
{
    int rc = -1, n = 0, left = 0;
    dlq_reader_state state = {0};
    int32_t *ids = NULL;
    dlq_part *parts = NULL;
    dlq_list *list = NULL;
    *out = NULL;
    rd_kafka_t *rk = dlq_consumer_new(o, &state, err, errlen);
    if (!rk || dlq_partitions(rk, &state, o, &ids, &n, err, errlen) != 0)
        goto out;
    parts = calloc((size_t)n + 1, sizeof(*parts));
    list = dlq_list_new();
    if (!parts || !list) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++)
        parts[i].id = ids[i];
    if (dlq_assign(rk, o, parts, n, &left, err, errlen) != 0 ||
        dlq_consume(rk, &state, o, list, parts, n, left, err, errlen) != 0)
        goto out;
    dlq_list_fold(list);
    *out = list;
    list = NULL;
    rc = 0;
out:
    if (rk) {
        rd_kafka_resp_err_t e = rd_kafka_consumer_close(rk);
        if (e && rc == 0) {
            snprintf(err, errlen, "closing the reader of %s: %s", o->topic, rd_kafka_err2str(e));
            dlq_list_free(*out);
            *out = NULL;
            rc = -1;
        }
        rd_kafka_destroy(rk);
    }
    dlq_list_free(list);
    free(parts);
    free(ids);
    return rc;
}
