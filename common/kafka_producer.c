#include "kafka_producer.h"

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isim_log.h"
#include "kafka_conf.h"

struct kafka_producer {
    rd_kafka_t *rk;
};

typedef struct kp_delivery {
    atomic_int done;
    rd_kafka_resp_err_t err;
} kp_delivery;

static void kp_on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    (void)opaque;
    kp_delivery *d = m->_private;
    if (!d)
        return;
    d->err = m->err;
    atomic_store(&d->done, 1);
}

kafka_producer *kafka_producer_new(const char *brokers, const char *const *extra_conf,
                                   char *err, size_t errlen)
{
    kafka_producer *p = calloc(1, sizeof(*p));
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (!p || !conf)
        goto fail;
    const char *settings[] = {
        "bootstrap.servers", brokers,
        "enable.idempotence", "true", /* off by default in librdkafka 2.0 */
        "acks", "all",
        "linger.ms", "5",
        "message.timeout.ms", "30000",
        NULL};
    if (kafka_conf_set_pairs(conf, settings, err, errlen) != 0 || kafka_conf_set_pairs(conf, extra_conf, err, errlen) != 0)
        goto fail;
    rd_kafka_conf_set_dr_msg_cb(conf, kp_on_delivery);
    p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
    if (!p->rk)
        goto fail;
    return p; /* conf is owned by rk now */
fail:
    if (conf && (!p || !p->rk))
        rd_kafka_conf_destroy(conf);
    free(p);
    return NULL;
}

void kafka_producer_free(kafka_producer *p)
{
    if (!p)
        return;
    if (rd_kafka_flush(p->rk, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        log_warn("kafka producer: %d messages not delivered at exit", rd_kafka_outq_len(p->rk));
    rd_kafka_destroy(p->rk);
    free(p);
}

int kafka_producer_send_raw(kafka_producer *p, const char *topic, const char *key,
                            const void *payload, size_t len, const char *traceparent,
                            const char *const *headers, int timeout_ms, char *err, size_t errlen)
{
    int rc = -1;
    /* On the heap: if the broker never answers, the report may come after we return. */
    kp_delivery *d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    atomic_init(&d->done, 0);
    d->err = RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_headers_t *hdrs = rd_kafka_headers_new(4);
    if (traceparent && *traceparent)
        rd_kafka_header_add(hdrs, "traceparent", -1, traceparent, -1);
    for (int i = 0; headers && headers[i]; i += 2)
        rd_kafka_header_add(hdrs, headers[i], -1, headers[i + 1], -1);

    rd_kafka_resp_err_t e = rd_kafka_producev(
        p->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
        RD_KAFKA_V_VALUE((void *)payload, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_OPAQUE(d), RD_KAFKA_V_END);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_headers_destroy(hdrs); /* only owned by the message on success */
        snprintf(err, errlen, "produce to %s: %s", topic, rd_kafka_err2str(e));
        goto out;
    }
    /* Wait for our own delivery report; another thread's poll may serve it. */
    int waited = 0;
    while (!atomic_load(&d->done) && waited < timeout_ms) {
        rd_kafka_poll(p->rk, 10);
        waited += 10;
    }
    if (!atomic_load(&d->done)) {
        d = NULL; /* still referenced by the in-flight message: leak it rather than dangle */
        snprintf(err, errlen, "produce to %s: no acknowledgement within %d ms", topic, timeout_ms);
        goto out;
    }
    if (d->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        snprintf(err, errlen, "produce to %s: %s", topic, rd_kafka_err2str(d->err));
        goto out;
    }
    rc = 0;
out:
    free(d);
    return rc;
}

int kafka_producer_send(kafka_producer *p, const char *topic, const char *key, const json_t *body,
                        const char *traceparent, const char *const *headers, int timeout_ms,
                        char *err, size_t errlen)
{
    char *text = json_dumps(body, JSON_COMPACT);
    if (!text) {
        snprintf(err, errlen, "cannot serialise message for %s", topic);
        return -1;
    }
    int rc = kafka_producer_send_raw(p, topic, key, text, strlen(text), traceparent, headers,
                                     timeout_ms, err, errlen);
    free(text);
    return rc;
}
