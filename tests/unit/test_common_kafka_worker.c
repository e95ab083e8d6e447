/* The worker loop on librdkafka's mock cluster: outputs and status events are
 * produced, offsets committed only after them, failures dead-lettered with
 * their reason, transient failures retried. */
#include <criterion/criterion.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "kafka_producer.h"
#include "kafka_worker.h"

#define IID "0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10"

static rd_kafka_t *mock_rk;
static rd_kafka_mock_cluster_t *mock;
static char brokers[256];

static void mock_setup(void)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    cr_assert_not_null(mock_rk, "%s", err);
    mock = rd_kafka_mock_cluster_new(mock_rk, 1);
    cr_assert_not_null(mock);
    snprintf(brokers, sizeof(brokers), "%s", rd_kafka_mock_cluster_bootstraps(mock));
    const char *topics[] = {"in", KW_TOPIC_STATUS, KW_TOPIC_DLQ, "out"};
    for (int i = 0; i < 4; i++)
        rd_kafka_mock_topic_create(mock, topics[i], 1, 1);
}

static void mock_teardown(void)
{
    rd_kafka_mock_cluster_destroy(mock);
    rd_kafka_destroy(mock_rk);
}

TestSuite(kafka_worker, .init = mock_setup, .fini = mock_teardown, .timeout = 60);

typedef struct handler_state {
    int calls;
    kw_result first_result, then_result;
    int stop_after;
    int last_attempt;
} handler_state;

static kw_result test_handler(kafka_worker *w, const kw_message *m, void *user, char *err, size_t errlen)
{
    handler_state *s = user;
    s->calls++;
    s->last_attempt = m->attempt;
    kw_result r = s->calls == 1 ? s->first_result : s->then_result;
    if (r == KW_OK) {
        json_t *out = json_pack("{s:s}", "echo", json_string_value(json_object_get(m->body, "x")));
        int rc = kafka_worker_emit(w, m, "out", out, err, errlen);
        json_decref(out);
        if (rc != 0)
            r = KW_RETRY;
    } else {
        snprintf(err, errlen, "%s", r == KW_FAIL ? "The recording cannot be read." : "store down");
    }
    if (s->calls >= s->stop_after)
        kafka_worker_stop(w);
    return r;
}

static void produce_input(const char *payload)
{
    char err[256];
    kafka_producer *p = kafka_producer_new(brokers, NULL, err, sizeof(err));
    cr_assert_not_null(p, "%s", err);
    cr_assert_eq(kafka_producer_send_raw(p, "in", IID, payload, strlen(payload),
                                         "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                                         NULL, 10000, err, sizeof(err)), 0, "%s", err);
    kafka_producer_free(p);
}

/* Reads every message of a topic from the start: payloads joined by '\n', headers of the last. */
static int read_topic(const char *topic, char *payloads, size_t len, char *reason, size_t rlen)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err));
    rd_kafka_conf_set(conf, "group.id", "reader", err, sizeof(err));
    rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    int64_t lo = 0, hi = 0;
    rd_kafka_query_watermark_offsets(c, topic, 0, &lo, &hi, 5000);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(c, l);
    rd_kafka_topic_partition_list_destroy(l);
    int n = 0;
    payloads[0] = '\0';
    while (n < hi - lo) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 5000);
        cr_assert_not_null(m, "timed out reading %s", topic);
        if (!m->err) {
            strncat(payloads, (const char *)m->payload, m->len < len - strlen(payloads) - 2 ? m->len : 0);
            strcat(payloads, "\n");
            rd_kafka_headers_t *h;
            const void *v;
            size_t vlen;
            if (reason && rd_kafka_message_headers(m, &h) == 0 &&
                rd_kafka_header_get_last(h, "x-isim-reason", &v, &vlen) == 0)
                snprintf(reason, rlen, "%.*s", (int)vlen, (const char *)v);
            n++;
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(c);
    rd_kafka_destroy(c);
    return n;
}

static int64_t committed_offset(void)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err));
    rd_kafka_conf_set(conf, "group.id", "isim-test", err, sizeof(err));
    rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, "in", 0);
    rd_kafka_committed(c, l, 5000);
    int64_t off = l->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_destroy(c);
    return off;
}

static void *stop_later(void *w)
{
    sleep(6); /* the message is dead-lettered by then */
    kafka_worker_stop(w);
    return NULL;
}

/* stop_in_6_s: stopped from outside (a handler that stops the worker itself
 * ends the retries early). */
static void run_worker_until(handler_state *s, int max_attempts, int retry_deadline_s, int stop_in_6_s)
{
    pthread_t t;
    char err[256];
    const char *topics[] = {"in", NULL};
    kafka_worker_opts o = {.service = "test", .brokers = brokers, .topics = topics,
                           .stage = "converter", .handler = test_handler, .user = s,
                           .max_attempts = max_attempts, .retry_deadline_s = retry_deadline_s,
                           .stage_timeout_s = 10};
    kafka_worker *w = kafka_worker_new(&o, err, sizeof(err));
    cr_assert_not_null(w, "%s", err);
    if (stop_in_6_s)
        cr_assert_eq(pthread_create(&t, NULL, stop_later, w), 0);
    cr_assert_eq(kafka_worker_run(w), 0);
    if (stop_in_6_s)
        pthread_join(t, NULL);
    kafka_worker_free(w); /* commits stored offsets */
}

static void run_worker(handler_state *s) { run_worker_until(s, 3, 0, 0); }

Test(kafka_worker, output_status_then_offset)
{
    char buf[8192];
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"hello\"}");
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 1};
    run_worker(&s);
    cr_assert_eq(s.calls, 1);
    cr_assert_eq(read_topic("out", buf, sizeof(buf), NULL, 0), 1);
    cr_assert(strstr(buf, "\"echo\":\"hello\""), "%s", buf);
    cr_assert(strstr(buf, "\"interview_id\":\"" IID "\""), "%s", buf);
    cr_assert(strstr(buf, "\"version\":1"), "%s", buf);
    cr_assert_eq(read_topic(KW_TOPIC_STATUS, buf, sizeof(buf), NULL, 0), 2);
    cr_assert(strstr(buf, "\"state\":\"started\""), "%s", buf);
    cr_assert(strstr(buf, "\"state\":\"finished\""), "%s", buf);
    cr_assert_eq(committed_offset(), 1);
}

Test(kafka_worker, permanent_failure_dead_letters_with_reason)
{
    char buf[8192], reason[256] = "";
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"bad\"}");
    handler_state s = {.first_result = KW_FAIL, .then_result = KW_FAIL, .stop_after = 1};
    run_worker(&s);
    cr_assert_eq(read_topic(KW_TOPIC_DLQ, buf, sizeof(buf), reason, sizeof(reason)), 1);
    cr_assert(strstr(buf, "\"x\":\"bad\""), "original bytes kept: %s", buf);
    cr_assert_str_eq(reason, "The recording cannot be read.");
    read_topic(KW_TOPIC_STATUS, buf, sizeof(buf), NULL, 0);
    cr_assert(strstr(buf, "\"state\":\"failed\""), "%s", buf);
    cr_assert(strstr(buf, "The recording cannot be read."), "%s", buf);
    cr_assert_eq(read_topic("out", buf, sizeof(buf), NULL, 0), 0);
    cr_assert_eq(committed_offset(), 1, "a dead-lettered message is done with");
}

Test(kafka_worker, transient_failure_is_retried)
{
    char buf[8192];
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"again\"}");
    handler_state s = {.first_result = KW_RETRY, .then_result = KW_OK, .stop_after = 2};
    run_worker(&s);
    cr_assert_eq(s.calls, 2);
    cr_assert_eq(s.last_attempt, 2);
    cr_assert_eq(read_topic("out", buf, sizeof(buf), NULL, 0), 1);
    cr_assert_eq(read_topic(KW_TOPIC_DLQ, buf, sizeof(buf), NULL, 0), 0);
    cr_assert_eq(committed_offset(), 1);
}

/* A store down for a while: after max_attempts tries the worker goes on
 * trying until the deadline (the waits 0.5, 1, 2 s, +-20 %: a third try
 * fits in 2 s, a fourth does not), then dead-letters. Five quick tries
 * failed interviews during a 30 s storage outage. */
Test(kafka_worker, transient_failure_is_retried_until_the_deadline)
{
    char buf[8192], reason[256] = "";
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"down\"}");
    handler_state s = {.first_result = KW_RETRY, .then_result = KW_RETRY, .stop_after = 100};
    run_worker_until(&s, 2, 2, 1);
    cr_assert_eq(s.calls, 3, "tried %d times", s.calls);
    cr_assert_eq(read_topic(KW_TOPIC_DLQ, buf, sizeof(buf), reason, sizeof(reason)), 1);
    cr_assert_eq(committed_offset(), 1);
}

Test(kafka_worker, malformed_message_goes_to_dead_letters)
{
    char buf[8192], reason[256] = "";
    produce_input("{not json");
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"after\"}");
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 1};
    run_worker(&s);
    cr_assert_eq(s.calls, 1, "the malformed message never reaches the handler");
    cr_assert_eq(read_topic(KW_TOPIC_DLQ, buf, sizeof(buf), reason, sizeof(reason)), 1);
    cr_assert(strstr(reason, "malformed"), "%s", reason);
    cr_assert_eq(read_topic("out", buf, sizeof(buf), NULL, 0), 1);
    cr_assert_eq(committed_offset(), 2);
}
