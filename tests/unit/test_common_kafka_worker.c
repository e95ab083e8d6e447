/* The worker loop on librdkafka's mock cluster: outputs and status events are
 * produced, offsets committed only after them, failures dead-lettered with
 * their reason, transient failures retried, unusable messages set aside,
 * failed sends and seeks never pass over a message, a stuck handler given
 * up. */
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
    const char *topics[] = {"in", KW_TOPIC_STATUS, KW_TOPIC_DLQ, "out", KW_TOPIC_UPLOADED};
    for (int i = 0; i < 5; i++)
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
    const char *stop_on;   /* stop once the message with this "x" is handled */
    int stuck_s;           /* sleep this long in the first call */
    int alive_when_stuck;  /* kafka_worker_alive() after that sleep */
    int emit_rc_when_stuck;
} handler_state;

static kw_result test_handler(kafka_worker *w, const kw_message *m, void *user, char *err, size_t errlen)
{
    handler_state *s = user;
    s->calls++;
    s->last_attempt = m->attempt;
    if (s->stuck_s && s->calls == 1) {
        sleep((unsigned)s->stuck_s);
        s->alive_when_stuck = kafka_worker_alive(w);
        json_t *out = json_pack("{s:s}", "echo", "late");
        s->emit_rc_when_stuck = kafka_worker_emit(w, m, "out", out, err, errlen);
        json_decref(out);
        kafka_worker_stop(w);
        return KW_OK;
    }
    kw_result r = s->calls == 1 ? s->first_result : s->then_result;
    if (r == KW_OK) {
        json_t *out = json_pack("{s:s?}", "echo", json_string_value(json_object_get(m->body, "x")));
        int rc = kafka_worker_emit(w, m, "out", out, err, errlen);
        json_decref(out);
        if (rc != 0)
            r = KW_RETRY;
    } else {
        snprintf(err, errlen, "%s", r == KW_FAIL ? "The recording cannot be read." : "store down");
    }
    const char *x = json_string_value(json_object_get(m->body, json_object_get(m->body, "x") ? "x" : "question"));
    if (s->calls >= s->stop_after || (s->stop_on && x && strcmp(x, s->stop_on) == 0))
        kafka_worker_stop(w);
    return r;
}

static void produce_to(const char *topic, const char *payload, size_t len)
{
    char err[256];
    kafka_producer *p = kafka_producer_new(brokers, NULL, err, sizeof(err));
    cr_assert_not_null(p, "%s", err);
    cr_assert_eq(kafka_producer_send_raw(p, topic, IID, payload, len,
                                         "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                                         NULL, 10000, err, sizeof(err)), 0, "%s", err);
    kafka_producer_free(p);
}

static void produce_input(const char *payload) { produce_to("in", payload, strlen(payload)); }

/* How many times needle occurs in haystack. */
static int count_of(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
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

static int64_t committed_offset_of(const char *topic)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err));
    rd_kafka_conf_set(conf, "group.id", "isim-test", err, sizeof(err));
    rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, topic, 0);
    rd_kafka_committed(c, l, 5000);
    int64_t off = l->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_destroy(c);
    return off;
}

static int64_t committed_offset(void) { return committed_offset_of("in"); }

typedef struct stop_timer {
    kafka_worker *w;
    int after_s; /* the message is dead-lettered by then */
} stop_timer;

static void *stop_later(void *arg)
{
    stop_timer *t = arg;
    sleep((unsigned)t->after_s);
    kafka_worker_stop(t->w);
    return NULL;
}

static const char *const in_topics[] = {"in", NULL};

static kafka_worker_opts test_opts(handler_state *s, int max_attempts, int retry_deadline_s)
{
    return (kafka_worker_opts){.service = "test", .brokers = brokers, .topics = in_topics,
                               .stage = "converter", .handler = test_handler, .user = s,
                               .max_attempts = max_attempts, .retry_deadline_s = retry_deadline_s,
                               .stage_timeout_s = 10};
}

/* stop_in_s: stopped from outside that many seconds after the start (a
 * handler that stops the worker itself ends the retries early); 0: by the
 * handler; seek_failures: injected before the run. */
static void run_worker_opts(const kafka_worker_opts *o, int stop_in_s, int seek_failures)
{
    pthread_t t;
    char err[256];
    kafka_worker *w = kafka_worker_new(o, err, sizeof(err));
    cr_assert_not_null(w, "%s", err);
    kafka_worker_inject_seek_failures(w, seek_failures);
    stop_timer timer = {.w = w, .after_s = stop_in_s};
    if (stop_in_s)
        cr_assert_eq(pthread_create(&t, NULL, stop_later, &timer), 0);
    cr_assert_eq(kafka_worker_run(w), 0);
    if (stop_in_s)
        pthread_join(t, NULL);
    kafka_worker_free(w); /* commits stored offsets */
}

static void run_worker_until(handler_state *s, int max_attempts, int retry_deadline_s, int stop_in_s)
{
    kafka_worker_opts o = test_opts(s, max_attempts, retry_deadline_s);
    run_worker_opts(&o, stop_in_s, 0);
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

/* A store down for a while: after max_attempts (2) tries the worker goes on
 * trying until the deadline (5 s), then dead-letters. The waits are 0.5, 1,
 * 2, 4 s, +-20 %: a third try starts by 1.8 s, a fourth by 4.2 s if the
 * machine is not too slow for it, a fifth never (2.8 + 3.2 s > 5 s). A
 * bound of exactly three tries with a 2 s deadline failed under valgrind on
 * a loaded machine. Five quick tries failed interviews during a 30 s storage
 * outage. */
Test(kafka_worker, transient_failure_is_retried_until_the_deadline)
{
    char buf[8192], reason[256] = "";
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"down\"}");
    handler_state s = {.first_result = KW_RETRY, .then_result = KW_RETRY, .stop_after = 100};
    run_worker_until(&s, 2, 5, 15); /* joining the group takes a few seconds */
    cr_assert(s.calls >= 3 && s.calls <= 4, "tried %d times", s.calls);
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

/* The "started" event is part of a stage's output: when it cannot be sent,
 * the message is tried again rather than processed without it (its result
 * used to be dropped). Kafka answers the first send with an error here. */
Test(kafka_worker, unsent_started_status_means_the_message_is_tried_again)
{
    char buf[8192];
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"a\"}");
    rd_kafka_mock_push_request_errors(mock, 0 /* Produce */, 1, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 1};
    run_worker(&s);
    cr_assert_eq(s.calls, 1);
    cr_assert_eq(read_topic(KW_TOPIC_STATUS, buf, sizeof(buf), NULL, 0), 2, "%s", buf);
    cr_assert_eq(count_of(buf, "\"state\":\"started\""), 1, "%s", buf);
    cr_assert_eq(count_of(buf, "\"state\":\"finished\""), 1, "%s", buf);
    cr_assert_eq(committed_offset(), 1);
}

/* The output of "a" is not acknowledged (its "finished" event fails), so the
 * worker rewinds to it, and that seek fails too. "b", already fetched, must
 * not be processed and stored past "a": "a" would be lost. */
Test(kafka_worker, a_failed_rewind_does_not_pass_over_the_message)
{
    char buf[8192];
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"a\"}");
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"b\"}");
    /* sends: started(a), out(a), finished(a) refused */
    rd_kafka_mock_push_request_errors(mock, 0 /* Produce */, 3, RD_KAFKA_RESP_ERR_NO_ERROR,
                                      RD_KAFKA_RESP_ERR_NO_ERROR, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 100, .stop_on = "b"};
    kafka_worker_opts o = test_opts(&s, 3, 0);
    run_worker_opts(&o, 0, 1);
    cr_assert_eq(read_topic("out", buf, sizeof(buf), NULL, 0), 3, "%s", buf);
    cr_assert_eq(count_of(buf, "\"echo\":\"a\""), 2, "a processed again: %s", buf);
    cr_assert_eq(count_of(buf, "\"echo\":\"b\""), 1, "%s", buf);
    read_topic(KW_TOPIC_STATUS, buf, sizeof(buf), NULL, 0);
    cr_assert_eq(count_of(buf, "\"state\":\"finished\""), 2, "a and b finished: %s", buf);
    cr_assert_eq(committed_offset(), 2);
}

/* cooperative-sticky (settable through extra conf) hands out partitions
 * incrementally; a plain assign is refused there, which used to go
 * unnoticed: the worker said it was ready and consumed nothing. */
Test(kafka_worker, cooperative_assignment_consumes)
{
    char buf[8192];
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"coop\"}");
    const char *extra[] = {"partition.assignment.strategy", "cooperative-sticky", NULL};
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 1};
    kafka_worker_opts o = test_opts(&s, 3, 0);
    o.extra_conf = extra;
    run_worker_opts(&o, 6, 0);
    cr_assert_eq(s.calls, 1, "the message was consumed");
    cr_assert_eq(read_topic("out", buf, sizeof(buf), NULL, 0), 1);
}

/* Readiness follows the assignment: after the partitions are revoked (here
 * by leaving the group) the worker is not ready any more. */
Test(kafka_worker, not_ready_once_its_partitions_are_revoked)
{
    char err[256];
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"r\"}");
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 1};
    kafka_worker_opts o = test_opts(&s, 3, 0);
    kafka_worker *w = kafka_worker_new(&o, err, sizeof(err));
    cr_assert_not_null(w, "%s", err);
    cr_assert_eq(kafka_worker_run(w), 0);
    cr_assert_eq(kafka_worker_ready(w), 1, "joined and assigned while it ran");
    cr_assert_eq(kafka_worker_close(w, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(kafka_worker_ready(w), 0, "revoked on close");
    kafka_worker_free(w);
    cr_assert_eq(committed_offset(), 1);
}

/* A handler stuck past the stage timeout: the watchdog fails the interview
 * with a reason, sets the message aside, and /livez (kafka_worker_alive)
 * says so; what the stuck call sends later is refused. */
Test(kafka_worker, a_stuck_stage_fails_the_interview_after_its_timeout)
{
    char buf[8192], reason[512] = "";
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"slow\"}");
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 100, .stuck_s = 4};
    kafka_worker_opts o = test_opts(&s, 3, 0);
    o.stage_timeout_s = 2;
    run_worker_opts(&o, 0, 0);
    cr_assert_eq(s.alive_when_stuck, 0, "not alive while stuck past the timeout");
    cr_assert_neq(s.emit_rc_when_stuck, 0, "a late output is refused");
    cr_assert_eq(read_topic("out", buf, sizeof(buf), NULL, 0), 0);
    cr_assert_eq(read_topic(KW_TOPIC_DLQ, buf, sizeof(buf), reason, sizeof(reason)), 1);
    cr_assert(strstr(reason, "took longer than its timeout of 2 s"), "%s", reason);
    read_topic(KW_TOPIC_STATUS, buf, sizeof(buf), NULL, 0);
    cr_assert(strstr(buf, "\"state\":\"failed\""), "%s", buf);
    cr_assert(strstr(buf, "took longer than the 1-minute limit"), "%s", buf);
    cr_assert_eq(committed_offset(), 1, "not run again after a restart");
}

/* Poison on a topic with a schema: an unknown version, a message not
 * matching the schema, one over the size limit and one that is not JSON
 * (its interview known from the key) are each dead-lettered with their
 * origin in headers, and each fails the interview; the consumer goes on to
 * the good message after them. */
Test(kafka_worker, unusable_messages_are_set_aside_and_fail_their_interview)
{
    char buf[65536], headers[1024];
    const char *good = "{\"version\":1,\"interview_id\":\"" IID "\",\"raw_key\":\"raw/" IID "\",\"question\":\"good\"}";
    const char *poison[] = {
        "{\"version\":2,\"interview_id\":\"" IID "\",\"raw_key\":\"raw/" IID "\",\"question\":\"Why?\"}",
        "{\"version\":1,\"interview_id\":\"" IID "\",\"question\":\"Why?\"}",
        "{\"version\":1,\"interview_id\":\"" IID "\",\"raw_key\":\"raw/x\",\"question\":\"PADDING\"}",
        "{\"version\":1,\"interview_id\"",
        NULL};
    const char *why[] = {"unsupported message version 2 on interview.uploaded",
                         "malformed message on interview.uploaded: $.raw_key: required but missing",
                         "over the limit of 2000 (ISIM_MESSAGE_MAX_BYTES)",
                         "malformed message on interview.uploaded: not JSON"};
    char huge[4096];
    for (int i = 0; poison[i]; i++) {
        if (i == 2) {
            snprintf(huge, sizeof(huge), "%s", poison[i]);
            char *pad = strstr(huge, "PADDING");
            memset(pad, 'x', 3000);
            strcpy(pad + 3000, "\"}");
            produce_to(KW_TOPIC_UPLOADED, huge, strlen(huge));
        } else {
            produce_to(KW_TOPIC_UPLOADED, poison[i], strlen(poison[i]));
        }
    }
    produce_to(KW_TOPIC_UPLOADED, good, strlen(good));
    const char *topics[] = {KW_TOPIC_UPLOADED, NULL};
    handler_state s = {.first_result = KW_OK, .then_result = KW_OK, .stop_after = 100, .stop_on = "good"};
    kafka_worker_opts o = test_opts(&s, 3, 0);
    o.topics = topics;
    o.max_message_bytes = 2000;
    run_worker_opts(&o, 0, 0);
    cr_assert_eq(s.calls, 1, "only the good message reaches the handler");
    int64_t committed = committed_offset_of(KW_TOPIC_UPLOADED);
    cr_assert_eq(committed, 5, "committed %lld", (long long)committed);
    cr_assert_eq(read_topic(KW_TOPIC_DLQ, buf, sizeof(buf), NULL, 0), 4, "%s", buf);
    /* each dead letter in turn: read them one by one through their reasons */
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char err[256];
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err));
    rd_kafka_conf_set(conf, "group.id", "dlq-reader", err, sizeof(err));
    rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, KW_TOPIC_DLQ, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(c, l);
    rd_kafka_topic_partition_list_destroy(l);
    for (int i = 0; i < 4;) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 5000);
        cr_assert_not_null(m);
        if (!m->err) {
            rd_kafka_headers_t *h;
            const void *v;
            size_t vlen;
            cr_assert_eq(rd_kafka_message_headers(m, &h), 0);
            cr_assert_eq(rd_kafka_header_get_last(h, "x-isim-reason", &v, &vlen), 0);
            snprintf(headers, sizeof(headers), "%.*s", (int)vlen, (const char *)v);
            cr_assert(strstr(headers, why[i]), "dead letter %d: %s", i, headers);
            char want[128];
            const char *names[] = {"x-isim-source-topic", "x-isim-source-partition", "x-isim-source-offset", "x-isim-attempts", "x-isim-stage"};
            char offset[16];
            snprintf(offset, sizeof(offset), "%d", i);
            const char *values[] = {KW_TOPIC_UPLOADED, "0", offset, "1", "converter"};
            for (int k = 0; k < 5; k++) {
                cr_assert_eq(rd_kafka_header_get_last(h, names[k], &v, &vlen), 0, "%s", names[k]);
                snprintf(want, sizeof(want), "%.*s", (int)vlen, (const char *)v);
                cr_assert_str_eq(want, values[k], "%s", names[k]);
            }
            i++;
        }
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(c);
    rd_kafka_destroy(c);
    read_topic(KW_TOPIC_STATUS, buf, sizeof(buf), NULL, 0);
    cr_assert_eq(count_of(buf, "\"state\":\"failed\""), 4, "each fails the interview: %s", buf);
    cr_assert_eq(count_of(buf, "set aside for the operators"), 4, "%s", buf);
}

typedef struct fail_hook_state {
    int calls, refuse_first;
    char reason[512];
} fail_hook_state;

static fail_hook_state fail_hook;

static int record_failure(kafka_worker *w, const kw_message *m, void *user, const char *reason, char *err,
                          size_t errlen)
{
    (void)user;
    cr_assert_str_eq(m->interview_id, IID);
    snprintf(fail_hook.reason, sizeof(fail_hook.reason), "%s", reason);
    if (++fail_hook.calls == 1 && fail_hook.refuse_first) {
        snprintf(err, errlen, "database down");
        return -1;
    }
    kafka_worker_stop(w);
    return 0;
}

/* A worker without a stage (the result-writer) records a failed interview
 * through its hook; while the hook cannot record it, the message is tried
 * again rather than passed over. */
Test(kafka_worker, without_a_stage_the_hook_records_the_failure)
{
    char buf[8192];
    produce_input("{\"version\":1,\"interview_id\":\"" IID "\",\"x\":\"bad\"}");
    fail_hook = (fail_hook_state){.refuse_first = 1};
    handler_state s = {.first_result = KW_FAIL, .then_result = KW_FAIL, .stop_after = 100};
    kafka_worker_opts o = test_opts(&s, 3, 0);
    o.stage = NULL;
    o.on_failed = record_failure;
    run_worker_opts(&o, 0, 0);
    cr_assert_eq(fail_hook.calls, 2, "tried again after the hook failed");
    cr_assert_eq(s.calls, 2);
    cr_assert_str_eq(fail_hook.reason, "The recording cannot be read.");
    cr_assert_eq(read_topic(KW_TOPIC_STATUS, buf, sizeof(buf), NULL, 0), 0, "no status events: %s", buf);
    cr_assert_eq(committed_offset(), 1);
}
