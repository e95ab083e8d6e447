#include "isim_dlq.h"

#include <stdlib.h>
#include <string.h>

#include "dlq_db.h"
#include "dlq_print.h"
#include "dlq_read.h"
#include "dlq_replay.h"
#include "isim_args.h"
#include "isim_config.h"
#include "isim_log.h"
#include "kafka_conf.h"
#include "kafka_worker.h"
#include "pg_db.h"

#define DLQ_KAFKA_TIMEOUT_MS 15000
#define DLQ_SEND_TIMEOUT_MS 30000
#define DLQ_PG_WAIT_S 10

typedef struct dlq_args {
    int replay; /* else list */
    dlq_filter filter;
    int all, json, dry_run, help;
} dlq_args;

void isim_dlq_usage(FILE *out)
{
    fprintf(out,
            "       isim dlq list [--interview ID] [--reason TEXT] [--json]\n"
            "       isim dlq replay (--interview ID | --reason TEXT | --all) [--dry-run]\n");
}

static void isim_dlq_help(FILE *out)
{
    fprintf(out, "usage:\n");
    isim_dlq_usage(out);
    fprintf(out, "\n"
            "list    every message dead-lettered to interview.dlq that Kafka still keeps, one line each:\n"
            "        its place in interview.dlq (partition:offset), when, the interview, the stage, where\n"
            "        it came from (topic:partition:offset), the attempts, whether it was replayed, the reason.\n"
            "  --interview ID  only this interview's\n"
            "  --reason TEXT   only those whose reason contains TEXT (any case)\n"
            "  --json          one JSON object per line\n"
            "replay  puts the chosen messages not yet replayed back on the topic they came from (a failed\n"
            "        interview is set back to processing first), and records each replay on interview.dlq\n"
            "        so that no later replay sends it again. Repair what made them fail first.\n"
            "        Interviews erased since, or complete, are skipped.\n"
            "  --interview ID, --reason TEXT  choose as list does (both: messages matching both)\n"
            "  --all           every message not yet replayed\n"
            "  --dry-run       says what would be replayed; changes nothing\n"
            "Settings from the ISIM_* environment, as the services (ISIM_KAFKA_*, ISIM_PG_DSN).\n");
}

static int dlq_args_parse(int argc, char **argv, dlq_args *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof(*a));
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        a->help = 1;
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "list") && strcmp(argv[1], "replay"))) {
        if (argc < 2)
            snprintf(err, errlen, "name a command: list or replay");
        else
            snprintf(err, errlen, "unknown command %s: list or replay", argv[1]);
        return -1;
    }
    a->replay = !strcmp(argv[1], "replay");
    for (int i = 2; i < argc; i++) {
        int missing = 0;
        const char *v;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            a->help = 1;
        } else if ((v = isim_option(argc, argv, &i, "--interview", &missing))) {
            if (!util_uuid_valid(v)) {
                snprintf(err, errlen, "--interview %s: not an interview id", v);
                return -1;
            }
            a->filter.interview_id = v;
        } else if (!missing && (v = isim_option(argc, argv, &i, "--reason", &missing))) {
            if (!v[0]) {
                snprintf(err, errlen, "--reason needs some text");
                return -1;
            }
            a->filter.reason = v;
        } else if (missing) {
            snprintf(err, errlen, "%s needs a value", argv[i]);
            return -1;
        } else if (!a->replay && !strcmp(argv[i], "--json")) {
            a->json = 1;
        } else if (a->replay && !strcmp(argv[i], "--all")) {
            a->all = 1;
        } else if (a->replay && !strcmp(argv[i], "--dry-run")) {
            a->dry_run = 1;
        } else {
            snprintf(err, errlen, "%s: unknown option for %s", argv[i], argv[1]);
            return -1;
        }
    }
    int chosen = a->filter.interview_id || a->filter.reason;
    if (a->replay && !a->help && chosen == a->all) {
        snprintf(err, errlen, "%s", a->all ? "--all replays every message: give it alone"
                                           : "choose what to replay: --interview ID, --reason TEXT or --all");
        return -1;
    }
    return 0;
}

static int dlq_list_run(const dlq_list *l, const dlq_args *a, char *err, size_t errlen)
{
    if (!a->json)
        dlq_print_header(stdout);
    for (size_t i = 0; i < l->n; i++) {
        const dlq_entry *e = &l->entries[i];
        if (dlq_entry_matches(e, &a->filter) && (a->json ? dlq_print_json(stdout, e) : dlq_print_line(stdout, e)) != 0) {
            snprintf(err, errlen, "cannot write the list");
            return -1;
        }
    }
    if (fflush(stdout) != 0) {
        snprintf(err, errlen, "cannot write the list");
        return -1;
    }
    return 0;
}

/* What one replay run counts. */
typedef struct dlq_tally {
    int replayed, skipped, already;
} dlq_tally;

/* Why an entry is left, or NULL when it is to be replayed. */
static const char *dlq_skip_reason(const dlq_list *l, const dlq_entry *e, const unsigned char *sent, char *buf,
                                   size_t len)
{
    switch (dlq_entry_plan(e)) {
    case DLQ_PLAN_NO_INTERVIEW:
        return "its key is not an interview id";
    case DLQ_PLAN_NO_SOURCE:
        return "no topic of the pipeline to put it back on (x-isim-source-topic)";
    default:
        break;
    }
    if (e->duplicate_of >= 0 && sent[e->duplicate_of]) {
        char ref[40];
        dlq_ref_format(&l->entries[e->duplicate_of], ref);
        snprintf(buf, len, "the same message as %s, replayed just now", ref);
        return buf;
    }
    return NULL;
}

/* Replays (or, dry, describes) entry i; counts it. 0, or -1 with err. */
static int dlq_replay_one(const dlq_list *l, size_t i, const dlq_args *a, PGconn *pg, kafka_producer *p,
                          unsigned char *sent, dlq_tally *t, char *err, size_t errlen)
{
    const dlq_entry *e = &l->entries[i];
    char ref[40], why[128], status[32], stage[64], reason[512], kerr[512];
    dlq_db_state st = DLQ_DB_AS_IS;
    dlq_ref_format(e, ref);
    const char *iid = e->interview_id[0] ? e->interview_id : "-";
    const char *skip = dlq_skip_reason(l, e, sent, why, sizeof(why));
    if (!skip) {
        if (dlq_interview_prepare(pg, e->interview_id, a->dry_run, &st, status, sizeof(status), err, errlen) != 0)
            return -1;
        skip = st == DLQ_DB_GONE       ? "the interview no longer exists"
               : st == DLQ_DB_COMPLETE ? "the interview is complete"
                                       : NULL;
    }
    if (skip) {
        printf("skipped %s interview %s: %s\n", ref, iid, skip);
        t->skipped++;
        return 0;
    }
    if (!a->dry_run && dlq_replay_send(p, e, DLQ_SEND_TIMEOUT_MS, kerr, sizeof(kerr)) != 0) {
        snprintf(err, errlen, "%s not put back: %s%s", ref, kerr,
                 st == DLQ_DB_RESET ? " (its interview is set to processing already: replay it again once Kafka "
                                      "takes it)" : "");
        return -1;
    }
    if (!a->dry_run && dlq_mark_send(p, KW_TOPIC_DLQ, e, DLQ_SEND_TIMEOUT_MS, kerr, sizeof(kerr)) != 0) {
        snprintf(err, errlen, "%s was put back on %s, but its replay could not be recorded (%s): a later "
                 "replay would send it again", ref, e->source_topic, kerr);
        return -1;
    }
    if (st != DLQ_DB_RESET)
        snprintf(why, sizeof(why), "is %s, left so", status);
    else
        snprintf(why, sizeof(why), "%s", a->dry_run ? "is failed: would be set to processing" : "was failed, now processing");
    printf("%s %s interview %s to %s (%s: %s); the interview %s\n", a->dry_run ? "would replay" : "replayed", ref,
           iid, e->source_topic, dlq_print_flat(e->stage, stage, sizeof(stage)),
           dlq_print_flat(e->reason, reason, sizeof(reason)), why);
    sent[i] = 1;
    t->replayed++;
    return 0;
}

static int dlq_replay_run(const isim_config *cfg, const char *const *pairs, const dlq_list *l, const dlq_args *a,
                          char *err, size_t errlen)
{
    int rc = -1;
    dlq_tally t = {0};
    kafka_producer *p = NULL;
    unsigned char *sent = calloc(l->n + 1, 1);
    PGconn *pg = sent ? pg_connect(cfg->pg_dsn, DLQ_PG_WAIT_S, err, errlen) : NULL;
    if (!sent)
        snprintf(err, errlen, "out of memory");
    if (!pg)
        goto out;
    if (!a->dry_run && !(p = kafka_producer_new(cfg->kafka_brokers, pairs, err, errlen)))
        goto out;
    for (size_t i = 0; i < l->n; i++) {
        const dlq_entry *e = &l->entries[i];
        if (!dlq_entry_matches(e, &a->filter))
            continue;
        if (e->replayed)
            t.already++;
        else if (dlq_replay_one(l, i, a, pg, p, sent, &t, err, errlen) != 0)
            goto out;
    }
    rc = 0;
out:
    if (rc == 0 || t.replayed)
        printf("%d message(s) %s, %d skipped, %d replayed before\n", t.replayed,
               a->dry_run ? "would be replayed" : "replayed", t.skipped, t.already);
    kafka_producer_free(p);
    if (pg)
        PQfinish(pg);
    free(sent);
    return rc;
}

int isim_dlq_main(int argc, char **argv)
{
    int rc = 2, loaded = 0;
    char err[1024] = "";
    const char *pairs[KAFKA_CONF_PAIRS_MAX];
    const char *cmd = argc >= 2 ? argv[1] : "";
    dlq_args a;
    isim_config cfg;
    dlq_list *l = NULL;
    if (dlq_args_parse(argc, argv, &a, err, sizeof(err)) != 0) {
        int named = !strcmp(cmd, "list") || !strcmp(cmd, "replay");
        fprintf(stderr, "isim dlq%s%s: %s\n", named ? " " : "", named ? cmd : "", err);
        isim_dlq_usage(stderr);
        return 2;
    }
    if (a.help) {
        isim_dlq_help(stdout);
        return 0;
    }
    if (config_load(&cfg, err, sizeof(err)) != 0)
        goto out;
    loaded = 1;
    if (kafka_conf_pairs(&cfg, pairs, err, sizeof(err)) != 0)
        goto out;
    log_init("isim-dlq", getenv("ISIM_LOG_LEVEL") ? cfg.log_level : "warn");
    log_set_output(stderr);
    rc = 1;
    dlq_read_opts o = {.brokers = cfg.kafka_brokers, .conf = pairs, .topic = KW_TOPIC_DLQ,
                       .timeout_ms = DLQ_KAFKA_TIMEOUT_MS};
    if (dlq_read(&o, &l, err, sizeof(err)) != 0 ||
        (a.replay ? dlq_replay_run(&cfg, pairs, l, &a, err, sizeof(err)) : dlq_list_run(l, &a, err, sizeof(err))) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "isim dlq %s: %s%s\n", cmd, rc == 2 ? "configuration: " : "", err);
    dlq_list_free(l);
    if (loaded)
        config_release(&cfg);
    return rc;
}
