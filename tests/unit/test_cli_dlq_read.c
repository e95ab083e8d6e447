/* isim dlq on librdkafka's mock cluster: every partition of the dead-letter
 * topic read to its end, markers folded in; a replay puts the original
 * bytes back on their topic with the trace and a reference, and its marker
 * makes the next read see it replayed; a missing topic and brokers that
 * cannot be reached are said. */
#include <criterion/criterion.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <string.h>

#include "dlq_read.h"
#include "dlq_replay.h"
#include "kafka_producer.h"
#include "kafka_worker.h"

#define IID "0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10"
#define IID2 "5d1e7a3c-0f4b-4d2e-8a6b-9c0d1e2f3a4b"
#define TRACE "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
#define BODY "{\"version\":1,\"interview_id\":\"" IID "\",\"raw_key\":\"raw/" IID "/recording\"}"

static rd_kafka_t *mock_rk;
static rd_kafka_mock_cluster_t *mock;
static char brokers[256];

static void mock_setup(void)
{
    char err[256];
    mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), err, sizeof(err));
    cr_assert_not_null(mock_rk, "%s", err);
    mock = rd_kafka_mock_cluster_new(mock_rk, 1);
    cr_assert_not_null(mock);
    snprintf(brokers, sizeof(brokers), "%s", rd_kafka_mock_cluster_bootstraps(mock));
    cr_assert_eq(rd_kafka_mock_topic_create(mock, KW_TOPIC_DLQ, 3, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
    cr_assert_eq(rd_kafka_mock_topic_create(mock, KW_TOPIC_UPLOADED, 2, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
}

static void mock_teardown(void)
{
    rd_kafka_mock_cluster_destroy(mock);
    rd_kafka_destroy(mock_rk);
}

TestSuite(dlq_read, .init = mock_setup, .fini = mock_teardown, .timeout = 60);

/* One message on topic's partition, as a stage's dead letter or a marker
 * would be; headers: NULL-terminated pairs. */
static void produce(const char *topic, int32_t partition, const char *key, const char *value,
                    const char *const *headers)
{
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    cr_assert_eq(rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err)), RD_KAFKA_CONF_OK);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    cr_assert_not_null(p, "%s", err);
    rd_kafka_headers_t *h = rd_kafka_headers_new(8);
    for (int i = 0; headers && headers[i]; i += 2)
        cr_assert_eq(rd_kafka_header_add(h, headers[i], -1, headers[i + 1], -1), RD_KAFKA_RESP_ERR_NO_ERROR);
    cr_assert_eq(rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                   RD_KAFKA_V_KEY(key, key ? strlen(key) : 0),
                                   RD_KAFKA_V_VALUE((void *)value, strlen(value)),
                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END),
                 RD_KAFKA_RESP_ERR_NO_ERROR);
    cr_assert_eq(rd_kafka_flush(p, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_destroy(p);
}

static void dead_letter(int32_t partition, const char *key, const char *reason, const char *source_offset)
{
    const char *const headers[] = {"x-isim-reason", reason, "x-isim-stage", "converter",
                                   "x-isim-source-topic", KW_TOPIC_UPLOADED, "x-isim-source-partition", "1",
                                   "x-isim-source-offset", source_offset, "traceparent", TRACE, NULL};
    produce(KW_TOPIC_DLQ, partition, key, BODY, headers);
}

static dlq_list *read_dlq(const char *topic)
{
    char err[512] = "";
    dlq_list *l = NULL;
    dlq_read_opts o = {.brokers = brokers, .topic = topic, .timeout_ms = 10000};
    cr_assert_eq(dlq_read(&o, &l, err, sizeof(err)), 0, "%s", err);
    cr_assert_not_null(l);
    return l;
}

static const dlq_entry *entry_at(const dlq_list *l, int32_t partition, int64_t offset)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->entries[i].partition == partition && l->entries[i].offset == offset)
            return &l->entries[i];
    cr_assert_fail("no entry at %d:%lld", (int)partition, (long long)offset);
    return NULL;
}

Test(dlq_read, an_empty_topic_is_an_empty_list)
{
    dlq_list *l = read_dlq(KW_TOPIC_DLQ);
    cr_assert_eq(l->n, 0);
    cr_assert_eq(l->n_marks, 0);
    dlq_list_free(l);
}

Test(dlq_read, every_partition_to_its_end)
{
    const char *const mark[] = {DLQ_HEADER_REPLAY_OF, "2:1", NULL};
    dead_letter(0, IID, "The recording could not be found in storage.", "10");
    dead_letter(2, IID2, "The uploaded file is not a video or audio recording we can read.", "11");
    dead_letter(2, IID, "The recording could not be found in storage.", "12");
    produce(KW_TOPIC_DLQ, 1, IID, "", mark); /* partition 1 holds only the marker */
    dlq_list *l = read_dlq(KW_TOPIC_DLQ);
    cr_assert_eq(l->n, 3);
    cr_assert_eq(l->n_marks, 1);
    const dlq_entry *a = entry_at(l, 0, 0), *b = entry_at(l, 2, 0), *c = entry_at(l, 2, 1);
    cr_assert_str_eq(a->interview_id, IID);
    cr_assert_str_eq(b->interview_id, IID2);
    cr_assert_eq(c->source_offset, 12);
    cr_assert_str_eq(b->reason, "The uploaded file is not a video or audio recording we can read.");
    cr_assert_str_eq(a->traceparent, TRACE);
    cr_assert_eq(a->len, strlen(BODY));
    cr_assert(a->time_ms > 0);
    cr_assert_not(a->replayed);
    cr_assert_not(b->replayed);
    cr_assert(c->replayed, "the marker names 2:1");
    dlq_list_free(l);
}

Test(dlq_read, a_replay_is_put_back_once_and_recorded)
{
    char err[512] = "";
    dead_letter(1, IID, "The recording could not be found in storage.", "10");
    dlq_list *l = read_dlq(KW_TOPIC_DLQ);
    cr_assert_eq(l->n, 1);
    cr_assert_eq(dlq_entry_plan(&l->entries[0]), DLQ_PLAN_REPLAY);
    kafka_producer *p = kafka_producer_new(brokers, NULL, err, sizeof(err));
    cr_assert_not_null(p, "%s", err);
    cr_assert_eq(dlq_replay_send(p, &l->entries[0], 10000, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(dlq_mark_send(p, KW_TOPIC_DLQ, &l->entries[0], 10000, err, sizeof(err)), 0, "%s", err);
    kafka_producer_free(p);
    dlq_list_free(l);

    /* The source topic has the original bytes, key, trace and reference. The
     * dead-letter reader reads any topic: replayed messages are not markers
     * there, but they carry the reference as markers do. */
    l = read_dlq(KW_TOPIC_UPLOADED);
    cr_assert_eq(l->n, 0, "a replayed message carries %s", DLQ_HEADER_REPLAY_OF);
    cr_assert_eq(l->n_marks, 1);
    cr_assert_eq(l->marks[0].partition, 1);
    cr_assert_eq(l->marks[0].offset, 0);
    dlq_list_free(l);

    l = read_dlq(KW_TOPIC_DLQ);
    cr_assert_eq(l->n, 1, "the marker is not a dead letter");
    cr_assert(l->entries[0].replayed);
    cr_assert(l->entries[0].replayed_ms > 0);
    cr_assert_eq(dlq_entry_plan(&l->entries[0]), DLQ_PLAN_ALREADY);
    dlq_list_free(l);
}

Test(dlq_read, the_replayed_message_is_the_original)
{
    char err[512] = "";
    dead_letter(0, IID, "The recording could not be found in storage.", "10");
    dlq_list *l = read_dlq(KW_TOPIC_DLQ);
    kafka_producer *p = kafka_producer_new(brokers, NULL, err, sizeof(err));
    cr_assert_not_null(p, "%s", err);
    cr_assert_eq(dlq_replay_send(p, &l->entries[0], 10000, err, sizeof(err)), 0, "%s", err);
    kafka_producer_free(p);
    dlq_list_free(l);

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err));
    rd_kafka_conf_set(conf, "group.id", "check", err, sizeof(err));
    rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", err, sizeof(err));
    rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    cr_assert_not_null(c, "%s", err);
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(2);
    rd_kafka_topic_partition_list_add(parts, KW_TOPIC_UPLOADED, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_topic_partition_list_add(parts, KW_TOPIC_UPLOADED, 1)->offset = RD_KAFKA_OFFSET_BEGINNING;
    cr_assert_eq(rd_kafka_assign(c, parts), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_message_t *m = NULL;
    for (int i = 0; i < 20 && !m; i++) {
        m = rd_kafka_consumer_poll(c, 500);
        if (m && m->err) {
            rd_kafka_message_destroy(m);
            m = NULL;
        }
    }
    cr_assert_not_null(m, "nothing on %s", KW_TOPIC_UPLOADED);
    cr_assert_eq(m->len, strlen(BODY));
    cr_assert_eq(memcmp(m->payload, BODY, m->len), 0);
    cr_assert_eq(m->key_len, strlen(IID));
    cr_assert_eq(memcmp(m->key, IID, m->key_len), 0);
    rd_kafka_headers_t *h = NULL;
    const void *v;
    size_t vlen;
    cr_assert_eq(rd_kafka_message_headers(m, &h), RD_KAFKA_RESP_ERR_NO_ERROR);
    cr_assert_eq(rd_kafka_header_get_last(h, "traceparent", &v, &vlen), RD_KAFKA_RESP_ERR_NO_ERROR);
    cr_assert_str_eq((const char *)v, TRACE);
    cr_assert_eq(rd_kafka_header_get_last(h, DLQ_HEADER_REPLAY_OF, &v, &vlen), RD_KAFKA_RESP_ERR_NO_ERROR);
    cr_assert_str_eq((const char *)v, "0:0");
    rd_kafka_message_destroy(m);
    rd_kafka_consumer_close(c);
    rd_kafka_destroy(c);
}

Test(dlq_read, a_missing_topic_is_named)
{
    char err[512] = "";
    dlq_list *l = NULL;
    dlq_read_opts o = {.brokers = brokers, .topic = "no.such.topic", .timeout_ms = 10000};
    /* The mock brokers create any topic asked about; the stack's do not
     * (auto.create.topics.enable=false), as this says. */
    rd_kafka_mock_topic_set_error(mock, "no.such.topic", RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
    cr_assert_neq(dlq_read(&o, &l, err, sizeof(err)), 0);
    cr_assert_null(l);
    cr_assert(strstr(err, "no.such.topic does not exist"), "%s", err);
}

Test(dlq_read, unreachable_brokers_are_said)
{
    char err[512] = "";
    dlq_list *l = NULL;
    dlq_read_opts o = {.brokers = "127.0.0.1:1", .topic = KW_TOPIC_DLQ, .timeout_ms = 10000};
    cr_assert_neq(dlq_read(&o, &l, err, sizeof(err)), 0);
    cr_assert_null(l);
    cr_assert(strstr(err, "cannot reach Kafka at 127.0.0.1:1"), "%s", err);
}
