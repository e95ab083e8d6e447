#include "kafka_topics.h"

#include <librdkafka/rdkafka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kafka_conf.h"
#include "kafka_worker.h"

static const char *const kafka_topic_names[KAFKA_TOPIC_COUNT] = {
    KW_TOPIC_UPLOADED,      KW_TOPIC_AUDIO_EXTRACTED, KW_TOPIC_CONVERTED, KW_TOPIC_TRANSCRIBED,
    KW_TOPIC_VIDEO_METRICS, KW_TOPIC_TEXT_METRICS,    KW_TOPIC_STATUS,    KW_TOPIC_DLQ,
};

/* Topics whose messages hold what a candidate said (transcripts, the words
 * counted, dead letters of any stage). */
static int kafka_topic_personal(const char *name)
{
    return !strcmp(name, KW_TOPIC_TRANSCRIBED) || !strcmp(name, KW_TOPIC_TEXT_METRICS) || !strcmp(name, KW_TOPIC_DLQ);
}

int kafka_topic_known(const char *name)
{
    for (int i = 0; name && i < KAFKA_TOPIC_COUNT; i++)
        if (!strcmp(name, kafka_topic_names[i]))
            return 1;
    return 0;
}

static int kafka_topics_count_ok(long n) { return n >= 1 && n <= KAFKA_PARTITIONS_MAX; }

int kafka_topics_plan(const isim_config *cfg, kafka_topic_plan plan[KAFKA_TOPIC_COUNT], char *err,
                      size_t errlen)
{
    if (!kafka_topics_count_ok(cfg->kafka_partitions)) {
        snprintf(err, errlen, "ISIM_KAFKA_PARTITIONS=%d: a topic has 1 to %d partitions",
                 cfg->kafka_partitions, KAFKA_PARTITIONS_MAX);
        return -1;
    }
    for (int i = 0; i < KAFKA_TOPIC_COUNT; i++)
        plan[i] = (kafka_topic_plan){kafka_topic_names[i], cfg->kafka_partitions,
                                     kafka_topic_personal(kafka_topic_names[i])
                                         ? (long long)cfg->kafka_personal_retention_h * 3600000LL
                                         : 0};
    for (const char *p = cfg->kafka_topic_partitions ? cfg->kafka_topic_partitions : ""; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ",");
        if (!n)
            break;
        const char *eq = memchr(p, '=', n);
        char *end = NULL;
        long count = eq ? strtol(eq + 1, &end, 10) : 0;
        int found = -1;
        for (int i = 0; eq && i < KAFKA_TOPIC_COUNT; i++)
            if (strlen(kafka_topic_names[i]) == (size_t)(eq - p) && !strncmp(p, kafka_topic_names[i], eq - p))
                found = i;
        if (!eq || found < 0 || end != p + n || !kafka_topics_count_ok(count)) {
            snprintf(err, errlen,
                     "ISIM_KAFKA_TOPIC_PARTITIONS: \"%.*s\" is not topic=count with one of the project's "
                     "topics (interview.uploaded, ...) and 1 to %d partitions",
                     (int)n, p, KAFKA_PARTITIONS_MAX);
            return -1;
        }
        plan[found].partitions = (int)count;
        p += n;
    }
    return 0;
}

/* Waits for the one result event of an admin request on q and checks every
 * topic's error; ok_err (e.g. "already exists") counts as success. */
static int kafka_topics_admin_wait(rd_kafka_queue_t *q, int timeout_ms, const char *what,
                                   rd_kafka_resp_err_t ok_err, char *err, size_t errlen)
{
    int rc = -1;
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 5000);
    if (!ev) {
        snprintf(err, errlen, "%s: no answer from the brokers in %d ms", what, timeout_ms + 5000);
        goto out;
    }
    if (rd_kafka_event_error(ev)) {
        snprintf(err, errlen, "%s: %s", what, rd_kafka_event_error_string(ev));
        goto out;
    }
    const rd_kafka_topic_result_t **res = NULL;
    size_t n = 0;
    if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_ALTERCONFIGS_RESULT) {
        size_t nr = 0;
        const rd_kafka_ConfigResource_t **rs =
            rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev), &nr);
        for (size_t i = 0; i < nr; i++)
            if (rd_kafka_ConfigResource_error(rs[i])) {
                snprintf(err, errlen, "%s %s: %s", what, rd_kafka_ConfigResource_name(rs[i]),
                         rd_kafka_ConfigResource_error_string(rs[i]));
                goto out;
            }
    }
    if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_CREATETOPICS_RESULT)
        res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    else if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_CREATEPARTITIONS_RESULT)
        res = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(ev), &n);
    for (size_t i = 0; i < n; i++) {
        rd_kafka_resp_err_t e = rd_kafka_topic_result_error(res[i]);
        if (e && e != ok_err) {
            const char *s = rd_kafka_topic_result_error_string(res[i]);
            snprintf(err, errlen, "%s %s: %s", what, rd_kafka_topic_result_name(res[i]),
                     s && s[0] ? s : rd_kafka_err2str(e));
            goto out;
        }
    }
    rc = 0;
out:
    if (ev)
        rd_kafka_event_destroy(ev);
    return rc;
}

/* What the client's error callback saw that waiting longer cannot cure: a
 * refused login or a certificate that does not verify. */
typedef struct kafka_topics_fatal {
    rd_kafka_resp_err_t err;
    char why[512];
} kafka_topics_fatal;

static void kafka_topics_on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)rk;
    kafka_topics_fatal *f = opaque;
    if ((err == RD_KAFKA_RESP_ERR__AUTHENTICATION || err == RD_KAFKA_RESP_ERR__SSL) && !f->err) {
        f->err = err;
        snprintf(f->why, sizeof(f->why), "%s", reason);
    }
}

/* Partitions of each planned topic now: 0 when missing; -1 on a metadata
 * error. *leaderless counts partitions without a leader yet. Brokers that do
 * not answer yet are asked again until timeout_ms, unless the login or the
 * certificate was refused. */
static int kafka_topics_current(rd_kafka_t *rk, const kafka_topics_fatal *fatal,
                                const kafka_topic_plan plan[KAFKA_TOPIC_COUNT], int have[KAFKA_TOPIC_COUNT],
                                int *leaderless, int timeout_ms, char *err, size_t errlen)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR__TIMED_OUT;
    for (int waited = 0; waited < timeout_ms; waited += 2000) {
        e = rd_kafka_metadata(rk, 1, NULL, &md, 2000);
        rd_kafka_poll(rk, 0); /* serves the error callback */
        if ((e != RD_KAFKA_RESP_ERR__TIMED_OUT && e != RD_KAFKA_RESP_ERR__TRANSPORT) || fatal->err)
            break;
    }
    if (fatal->err) {
        snprintf(err, errlen, "%s", fatal->why);
        if (!e)
            rd_kafka_metadata_destroy(md);
        return -1;
    }
    if (e) {
        snprintf(err, errlen, "metadata from the brokers: %s", rd_kafka_err2str(e));
        return -1;
    }
    *leaderless = 0;
    for (int i = 0; i < KAFKA_TOPIC_COUNT; i++) {
        have[i] = 0;
        for (int t = 0; t < md->topic_cnt; t++) {
            const rd_kafka_metadata_topic_t *mt = &md->topics[t];
            if (strcmp(mt->topic, plan[i].name) || mt->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
                continue;
            have[i] = mt->partition_cnt;
            for (int p = 0; p < mt->partition_cnt; p++)
                if (mt->partitions[p].leader < 0)
                    (*leaderless)++;
            if (mt->partition_cnt == 0) /* being created */
                (*leaderless)++;
        }
    }
    rd_kafka_metadata_destroy(md);
    return 0;
}

int kafka_topics_ensure(const isim_config *cfg, const kafka_topic_plan plan[KAFKA_TOPIC_COUNT],
                        int timeout_ms, FILE *out, char *err, size_t errlen)
{
    int rc = -1, have[KAFKA_TOPIC_COUNT], leaderless = 0;
    char why[512];
    const char *pairs[KAFKA_CONF_PAIRS_MAX];
    rd_kafka_t *rk = NULL;
    rd_kafka_queue_t *q = NULL;
    rd_kafka_AdminOptions_t *opts = NULL;
    rd_kafka_NewTopic_t *create[KAFKA_TOPIC_COUNT] = {0};
    rd_kafka_NewPartitions_t *grow[KAFKA_TOPIC_COUNT] = {0};
    rd_kafka_ConfigResource_t *retain[KAFKA_TOPIC_COUNT] = {0};
    size_t n_create = 0, n_grow = 0, n_retain = 0;
    char retention[KAFKA_TOPIC_COUNT][24];
    kafka_topics_fatal fatal = {0};
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (!conf || kafka_conf_pairs(cfg, pairs, err, errlen) != 0)
        goto out;
    const char *brokers[] = {"bootstrap.servers", cfg->kafka_brokers, NULL};
    if (kafka_conf_set_pairs(conf, brokers, err, errlen) != 0 || kafka_conf_set_pairs(conf, pairs, err, errlen) != 0)
        goto out;
    rd_kafka_conf_set_error_cb(conf, kafka_topics_on_error);
    rd_kafka_conf_set_opaque(conf, &fatal);
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
    if (!rk)
        goto out;
    conf = NULL; /* rk owns it */
    q = rd_kafka_queue_new(rk);
    opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ANY);
    if (!q || !opts ||
        rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, why, sizeof(why)) ||
        rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, why, sizeof(why))) {
        snprintf(err, errlen, "admin client: %s", q && opts ? why : "out of memory");
        goto out;
    }
    if (kafka_topics_current(rk, &fatal, plan, have, &leaderless, timeout_ms, err, errlen) != 0)
        goto out;
    int replication = cfg->kafka_replication_factor > 0 ? cfg->kafka_replication_factor : -1;
    for (int i = 0; i < KAFKA_TOPIC_COUNT; i++) {
        if (have[i] == 0) {
            create[n_create] = rd_kafka_NewTopic_new(plan[i].name, plan[i].partitions, replication, why, sizeof(why));
            if (!create[n_create]) {
                snprintf(err, errlen, "topic %s: %s", plan[i].name, why);
                goto out;
            }
            if (plan[i].retention_ms > 0) {
                snprintf(retention[i], sizeof(retention[i]), "%lld", plan[i].retention_ms);
                if (rd_kafka_NewTopic_set_config(create[n_create], "retention.ms", retention[i])) {
                    snprintf(err, errlen, "topic %s: retention.ms refused", plan[i].name);
                    n_create++;
                    goto out;
                }
            }
            n_create++;
            fprintf(out, "%s: creating with %d partitions\n", plan[i].name, plan[i].partitions);
        } else if (have[i] < plan[i].partitions) {
            grow[n_grow] = rd_kafka_NewPartitions_new(plan[i].name, (size_t)plan[i].partitions, why, sizeof(why));
            if (!grow[n_grow]) {
                snprintf(err, errlen, "topic %s: %s", plan[i].name, why);
                goto out;
            }
            n_grow++;
            fprintf(out, "%s: growing from %d to %d partitions\n", plan[i].name, have[i], plan[i].partitions);
        } else if (have[i] > plan[i].partitions) {
            fprintf(out, "%s: has %d partitions, more than the %d asked for; left as it is (Kafka cannot "
                         "remove partitions)\n", plan[i].name, have[i], plan[i].partitions);
        } else {
            fprintf(out, "%s: %d partitions, as asked\n", plan[i].name, have[i]);
        }
    }
    if (n_create) {
        rd_kafka_CreateTopics(rk, create, n_create, opts, q);
        if (kafka_topics_admin_wait(q, timeout_ms, "create topic", RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS, err,
                                    errlen) != 0)
            goto out;
    }
    if (n_grow) {
        rd_kafka_CreatePartitions(rk, grow, n_grow, opts, q);
        if (kafka_topics_admin_wait(q, timeout_ms, "add partitions to", RD_KAFKA_RESP_ERR_NO_ERROR, err, errlen) != 0)
            goto out;
    }
    /* Existing topics that carry what candidates said get their retention too. */
    for (int i = 0; i < KAFKA_TOPIC_COUNT; i++) {
        if (have[i] == 0 || plan[i].retention_ms <= 0)
            continue;
        snprintf(retention[i], sizeof(retention[i]), "%lld", plan[i].retention_ms);
        retain[n_retain] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, plan[i].name);
        if (!retain[n_retain] ||
            rd_kafka_ConfigResource_set_config(retain[n_retain], "retention.ms", retention[i])) {
            snprintf(err, errlen, "topic %s: retention.ms refused", plan[i].name);
            n_retain += retain[n_retain] != NULL;
            goto out;
        }
        n_retain++;
    }
    if (n_retain) {
        rd_kafka_AlterConfigs(rk, retain, n_retain, opts, q);
        if (kafka_topics_admin_wait(q, timeout_ms, "set the retention of", RD_KAFKA_RESP_ERR_NO_ERROR, err, errlen) != 0)
            goto out;
    }
    for (int i = 0; i < KAFKA_TOPIC_COUNT; i++)
        if (plan[i].retention_ms > 0)
            fprintf(out, "%s: messages kept %lld h (they hold what candidates said)\n", plan[i].name,
                    plan[i].retention_ms / 3600000);
    /* A new partition takes a moment to get a leader: wait, so that the
     * services started next can produce at once. */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (kafka_topics_current(rk, &fatal, plan, have, &leaderless, timeout_ms, err, errlen) != 0)
            goto out;
        int short_of = 0;
        for (int i = 0; i < KAFKA_TOPIC_COUNT; i++)
            short_of += have[i] < plan[i].partitions;
        if (!leaderless && !short_of)
            break;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms) {
            snprintf(err, errlen, "after %d ms, %d partition(s) still have no leader and %d topic(s) are short "
                     "of partitions", timeout_ms, leaderless, short_of);
            goto out;
        }
        usleep(200 * 1000);
    }
    fprintf(out, "%d topics ready\n", KAFKA_TOPIC_COUNT);
    rc = 0;
out:
    for (size_t i = 0; i < n_create; i++)
        rd_kafka_NewTopic_destroy(create[i]);
    for (size_t i = 0; i < n_grow; i++)
        rd_kafka_NewPartitions_destroy(grow[i]);
    for (size_t i = 0; i < n_retain; i++)
        rd_kafka_ConfigResource_destroy(retain[i]);
    if (opts)
        rd_kafka_AdminOptions_destroy(opts);
    if (q)
        rd_kafka_queue_destroy(q);
    if (rk)
        rd_kafka_destroy(rk);
    if (conf)
        rd_kafka_conf_destroy(conf);
    return rc;
}
