/* The topic plan of isim admin topics and the shared Kafka security settings:
 * what the configuration asks for, and the errors that name what to fix. */
#include <criterion/criterion.h>
#include <string.h>

#include "isim_config.h"
#include "kafka_conf.h"
#include "kafka_topics.h"

static isim_config cfg_with(int partitions, const char *overrides)
{
    static char buf[256];
    snprintf(buf, sizeof(buf), "%s", overrides);
    return (isim_config){.kafka_partitions = partitions, .kafka_topic_partitions = buf};
}

static int partitions_of(const kafka_topic_plan *plan, const char *topic)
{
    for (int i = 0; i < KAFKA_TOPIC_COUNT; i++)
        if (!strcmp(plan[i].name, topic))
            return plan[i].partitions;
    cr_assert_fail("no topic %s in the plan", topic);
    return -1;
}

Test(kafka_topics, every_topic_gets_the_default_count)
{
    char err[256] = "";
    kafka_topic_plan plan[KAFKA_TOPIC_COUNT];
    isim_config c = cfg_with(4, "");
    cr_assert_eq(kafka_topics_plan(&c, plan, err, sizeof(err)), 0, "%s", err);
    for (int i = 0; i < KAFKA_TOPIC_COUNT; i++)
        cr_assert_eq(plan[i].partitions, 4);
    cr_assert_eq(partitions_of(plan, "interview.dlq"), 4);
    cr_assert_eq(partitions_of(plan, "interview.uploaded"), 4);
}

Test(kafka_topics, per_topic_overrides)
{
    char err[256] = "";
    kafka_topic_plan plan[KAFKA_TOPIC_COUNT];
    isim_config c = cfg_with(2, "interview.uploaded=8, interview.converted=12,");
    cr_assert_eq(kafka_topics_plan(&c, plan, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(partitions_of(plan, "interview.uploaded"), 8);
    cr_assert_eq(partitions_of(plan, "interview.converted"), 12);
    cr_assert_eq(partitions_of(plan, "interview.transcribed"), 2);
}

Test(kafka_topics, bad_plans_name_the_setting)
{
    const char *bad[] = {"interview.upload=8", "interview.uploaded", "interview.uploaded=0",
                         "interview.uploaded=8x", "interview.uploaded=1001", "=3"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        kafka_topic_plan plan[KAFKA_TOPIC_COUNT];
        isim_config c = cfg_with(4, bad[i]);
        cr_assert_eq(kafka_topics_plan(&c, plan, err, sizeof(err)), -1, "%s accepted", bad[i]);
        cr_assert(strstr(err, "ISIM_KAFKA_TOPIC_PARTITIONS"), "%s", err);
    }
    char err[256] = "";
    kafka_topic_plan plan[KAFKA_TOPIC_COUNT];
    isim_config c = cfg_with(0, "");
    cr_assert_eq(kafka_topics_plan(&c, plan, err, sizeof(err)), -1);
    cr_assert(strstr(err, "ISIM_KAFKA_PARTITIONS=0"), "%s", err);
}

Test(kafka_conf, only_the_settings_given_are_passed)
{
    char err[256] = "";
    const char *pairs[KAFKA_CONF_PAIRS_MAX];
    isim_config c = {.kafka_security_protocol = "plaintext", .kafka_sasl_mechanism = "",
                     .kafka_sasl_username = "", .kafka_sasl_password = "", .kafka_ca_file = ""};
    cr_assert_eq(kafka_conf_pairs(&c, pairs, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(pairs[0], "security.protocol");
    cr_assert_str_eq(pairs[1], "plaintext");
    cr_assert_null(pairs[2]);
}

Test(kafka_conf, sasl_over_tls)
{
    char err[256] = "";
    const char *pairs[KAFKA_CONF_PAIRS_MAX];
    isim_config c = {.kafka_security_protocol = "sasl_ssl", .kafka_sasl_mechanism = "SCRAM-SHA-512",
                     .kafka_sasl_username = "isim", .kafka_sasl_password = "pw",
                     .kafka_ca_file = "/etc/ssl/certs/ca-certificates.crt"};
    cr_assert_eq(kafka_conf_pairs(&c, pairs, err, sizeof(err)), 0, "%s", err);
    const char *want[] = {"security.protocol", "sasl_ssl", "sasl.mechanisms", "SCRAM-SHA-512", "sasl.username",
                          "isim", "sasl.password", "pw", "ssl.ca.location", "/etc/ssl/certs/ca-certificates.crt",
                          NULL};
    for (int i = 0; want[i]; i++)
        cr_assert_str_eq(pairs[i], want[i]);
    cr_assert_null(pairs[10]);
}

Test(kafka_conf, a_refused_value_names_its_variable)
{
    char err[256] = "";
    const char *pairs[KAFKA_CONF_PAIRS_MAX];
    isim_config c = {.kafka_security_protocol = "tls", .kafka_sasl_mechanism = "",
                     .kafka_sasl_username = "", .kafka_sasl_password = "", .kafka_ca_file = ""};
    cr_assert_eq(kafka_conf_pairs(&c, pairs, err, sizeof(err)), -1);
    cr_assert(strstr(err, "ISIM_KAFKA_SECURITY_PROTOCOL") && strstr(err, "tls"), "%s", err);
}
