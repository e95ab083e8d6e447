#include "isim_admin.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "config_params.h"
#include "gw_reaper.h"
#include "isim_config.h"
#include "isim_lang.h"
#include "isim_log.h"
#include "isim_signal.h"
#include "kafka_conf.h"
#include "kafka_topics.h"
#include "pg_db.h"
#include "question_bank.h"
#include "s3_client.h"

/* How long a command waits for a store that is still starting. */
#define ADMIN_WAIT_S 60

typedef int (*admin_fn)(const isim_config *cfg, char *err, size_t errlen);

/* check: only names the missing migrations; else applies them, then adds
 * the shipped question bank's new questions. */
static int admin_migrations(const isim_config *cfg, int check, char *err, size_t errlen)
{
    int rc = -1, applied = 0, added = 0, updated = 0;
    lang_table langs = {0};
    PGconn *c = pg_connect(cfg->pg_dsn, ADMIN_WAIT_S, err, errlen);
    if (!c || (check ? pg_migrate_check(c, cfg->migrations_dir, err, errlen)
                     : pg_migrate(c, cfg->migrations_dir, &applied, err, errlen)) != 0)
        goto out;
    if (check) {
        printf("database: every migration of %s is applied\n", cfg->migrations_dir);
        rc = 0;
        goto out;
    }
    printf("database: %d migration(s) applied, schema up to date (%s)\n", applied, cfg->migrations_dir);
    if (lang_table_load(cfg->data_dir, &langs, err, errlen) != 0 ||
        question_bank_sync(c, cfg->data_dir, &langs, &added, &updated, err, errlen) != 0)
        goto out;
    printf("question bank: %d shipped question(s) added, %d updated (%s/<language>/questions.json)\n", added, updated,
           cfg->data_dir);
    rc = 0;
out:
    lang_table_release(&langs);
    if (c)
        PQfinish(c);
    return rc;
}

static int admin_migrate(const isim_config *cfg, char *err, size_t errlen)
{
    return admin_migrations(cfg, 0, err, errlen);
}

static int admin_migrate_check(const isim_config *cfg, char *err, size_t errlen)
{
    return admin_migrations(cfg, 1, err, errlen);
}

static int admin_topics(const isim_config *cfg, char *err, size_t errlen)
{
    kafka_topic_plan plan[KAFKA_TOPIC_COUNT];
    if (kafka_topics_plan(cfg, plan, err, errlen) != 0)
        return -1;
    return kafka_topics_ensure(cfg, plan, ADMIN_WAIT_S * 1000, stdout, err, errlen);
}

/* The CORS document of ISIM_S3_CORS_ORIGINS into *xml (NULL when none is
 * asked for); -1 with err naming the setting when an origin is not one. */
static int admin_cors_xml(const isim_config *cfg, char **xml, char *err, size_t errlen)
{
    char why[512];
    *xml = NULL;
    if (!cfg->s3_cors_origins[0])
        return 0;
    if (!(*xml = s3_cors_xml_new(cfg->s3_cors_origins, why, sizeof(why)))) {
        snprintf(err, errlen, "ISIM_S3_CORS_ORIGINS: %s", why);
        return -1;
    }
    return 0;
}

static int admin_bucket(const isim_config *cfg, char *err, size_t errlen)
{
    int rc = -1;
    char code[64];
    char *xml = NULL;
    s3_client *s3 = NULL;
    s3_params p = config_s3_params(cfg);
    if (admin_cors_xml(cfg, &xml, err, errlen) != 0) /* checked before anything is created */
        goto out;
    if (s3_bucket_ensure(&p, ADMIN_WAIT_S, err, errlen) != 0)
        goto out;
    printf("bucket %s: present at %s\n", cfg->s3_bucket, cfg->s3_endpoint);
    if (!xml) {
        printf("bucket %s: no CORS rules set (ISIM_S3_CORS_ORIGINS is empty)\n", cfg->s3_bucket);
        rc = 0;
        goto out;
    }
    s3 = s3_client_new(&p, err, errlen);
    if (!s3)
        goto out;
    if (s3_put_bucket_cors(s3, xml, code, sizeof(code), err, errlen) != S3_OK) {
        if (strcmp(code, "NotImplemented") != 0)
            goto out;
        /* S3Proxy and MinIO keep CORS in their own configuration, not per bucket. */
        printf("bucket %s: WARNING: this store does not take bucket CORS rules (%s); allow the origins %s "
               "in the store's own configuration\n", cfg->s3_bucket, err, cfg->s3_cors_origins);
        rc = 0;
        goto out;
    }
    printf("bucket %s: CORS rules set: GET, HEAD, PUT from %s\n", cfg->s3_bucket, cfg->s3_cors_origins);
    rc = 0;
out:
    s3_client_free(s3);
    free(xml);
    return rc;
}

/* What can be checked without reaching anything: the numbers parsed (by
 * config_load, before this runs), the Kafka client settings librdkafka
 * accepts, the topic plan, the CORS origins. */
static int admin_check_config(const isim_config *cfg, char *err, size_t errlen)
{
    const char *pairs[KAFKA_CONF_PAIRS_MAX];
    kafka_topic_plan plan[KAFKA_TOPIC_COUNT];
    char *xml = NULL;
    if (kafka_conf_pairs(cfg, pairs, err, errlen) != 0 || kafka_topics_plan(cfg, plan, err, errlen) != 0 ||
        admin_cors_xml(cfg, &xml, err, errlen) != 0)
        return -1;
    free(xml);
    printf("configuration: every ISIM_ setting parses\n");
    return 0;
}

static int admin_reap(const isim_config *cfg, char *err, size_t errlen)
{
    int rc = -1, deleted = 0, orphans = 0;
    s3_params p = config_s3_params(cfg);
    PGconn *c = pg_connect(cfg->pg_dsn, ADMIN_WAIT_S, err, errlen);
    if (!c || gw_reap_orphans(c, &p, &deleted, &orphans, err, errlen) != 0)
        goto out;
    printf("reaper: %d object(s) of %d erased interview(s) deleted\n", deleted, orphans);
    rc = 0;
out:
    if (c)
        PQfinish(c);
    return rc;
}

static const struct admin_command {
    const char *name;
    admin_fn fn;
    const char *help;
} admin_commands[] = {
    {"migrate", admin_migrate, "applies the database migrations of ISIM_MIGRATIONS_DIR that are missing"},
    {"migrate-check", admin_migrate_check, "exits 1 naming the migrations the database lacks; changes nothing"},
    {"topics", admin_topics, "creates the Kafka topics, or adds partitions, as ISIM_KAFKA_PARTITIONS\n"
                             "                        and ISIM_KAFKA_TOPIC_PARTITIONS ask (never removes any)"},
    {"check-config", admin_check_config, "checks the settings as the services read them, reaching nothing"},
    {"reap", admin_reap, "deletes stored objects of erased interviews (the gateway does it every hour)"},
    {"bucket", admin_bucket, "creates ISIM_S3_BUCKET when missing and sets CORS rules for ISIM_S3_CORS_ORIGINS"},
};

#define ADMIN_COUNT (sizeof(admin_commands) / sizeof(admin_commands[0]))

void isim_admin_usage(FILE *out)
{
    fprintf(out, "       isim admin COMMAND   (settings from the ISIM_* environment, as the services)\n");
    for (size_t i = 0; i < ADMIN_COUNT; i++)
        fprintf(out, "         %-14s %s\n", admin_commands[i].name, admin_commands[i].help);
}

int isim_admin_main(int argc, char **argv)
{
    int rc = 2;
    char err[1024] = "";
    isim_config cfg;
    const struct admin_command *cmd = NULL;
    for (size_t i = 0; argc == 2 && i < ADMIN_COUNT; i++)
        if (!strcmp(argv[1], admin_commands[i].name))
            cmd = &admin_commands[i];
    if (!cmd) {
        fprintf(stderr, "isim admin: %s\nusage:\n", argc == 2 ? "unknown command" : "name one command");
        isim_admin_usage(stderr);
        return 2;
    }
    if (config_load(&cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "isim admin %s: configuration: %s\n", cmd->name, err);
        return 2;
    }
    log_init("isim-admin", cfg.log_level);
    signal_install();
    rc = cmd->fn(&cfg, err, sizeof(err)) == 0 ? 0 : 1;
    if (rc)
        fprintf(stderr, "isim admin %s: %s\n", cmd->name, err);
    config_release(&cfg);
    return rc;
}
