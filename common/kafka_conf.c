#include "kafka_conf.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <string.h>

typedef struct kafka_conf_entry {
    const char *env;      /* the ISIM_ variable, for error messages */
    const char *property; /* the librdkafka property it sets */
    size_t offset;        /* its char * in isim_config */
} kafka_conf_entry;

#define F(field) offsetof(isim_config, field)

static const kafka_conf_entry kafka_conf_table[] = {
    {"ISIM_KAFKA_SECURITY_PROTOCOL", "security.protocol", F(kafka_security_protocol)},
    {"ISIM_KAFKA_SASL_MECHANISM", "sasl.mechanisms", F(kafka_sasl_mechanism)},
    {"ISIM_KAFKA_SASL_USERNAME", "sasl.username", F(kafka_sasl_username)},
    {"ISIM_KAFKA_SASL_PASSWORD", "sasl.password", F(kafka_sasl_password)},
    {"ISIM_KAFKA_CA_FILE", "ssl.ca.location", F(kafka_ca_file)},
};

#define KAFKA_CONF_COUNT (sizeof(kafka_conf_table) / sizeof(kafka_conf_table[0]))
_Static_assert(2 * KAFKA_CONF_COUNT + 1 <= KAFKA_CONF_PAIRS_MAX, "KAFKA_CONF_PAIRS_MAX too small");

int kafka_conf_set_pairs(rd_kafka_conf_t *conf, const char *const *pairs, char *err, size_t errlen)
{
    for (int i = 0; pairs && pairs[i]; i += 2)
        if (rd_kafka_conf_set(conf, pairs[i], pairs[i + 1], err, errlen) != RD_KAFKA_CONF_OK)
            return -1;
    return 0;
}

int kafka_conf_pairs(const isim_config *cfg, const char *out[KAFKA_CONF_PAIRS_MAX], char *err,
                     size_t errlen)
{
    int rc = -1;
    size_t n = 0;
    char why[512];
    /* A scratch configuration checks each value now, so that the error names
     * the variable to fix rather than a librdkafka property. */
    rd_kafka_conf_t *scratch = rd_kafka_conf_new();
    if (!scratch) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < KAFKA_CONF_COUNT; i++) {
        const kafka_conf_entry *e = &kafka_conf_table[i];
        const char *v = *(char *const *)((const char *)cfg + e->offset);
        if (!v || !v[0])
            continue;
        if (rd_kafka_conf_set(scratch, e->property, v, why, sizeof(why)) != RD_KAFKA_CONF_OK) {
            snprintf(err, errlen, "%s: %s", e->env, why);
            goto out;
        }
        out[n++] = e->property;
        out[n++] = v;
    }
    rc = 0;
out:
    out[n] = NULL;
    if (scratch)
        rd_kafka_conf_destroy(scratch);
    return rc;
}
