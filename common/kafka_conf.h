/* The librdkafka settings every Kafka client of the project shares: how to
 * reach and authenticate to the brokers (TLS, SASL), from the configuration. */
#ifndef ISIM_KAFKA_CONF_H
#define ISIM_KAFKA_CONF_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>

#include "isim_config.h"

/* Room for every pair kafka_conf_pairs may fill, and the terminating NULL. */
#define KAFKA_CONF_PAIRS_MAX 11

/* Fills out with NULL-terminated name, value pairs for rd_kafka_conf_set
 * (pointers into cfg: valid while cfg is) for the settings that are set.
 * Returns 0, or -1 with err naming the ISIM_ variable librdkafka refused. */
int kafka_conf_pairs(const isim_config *cfg, const char *out[KAFKA_CONF_PAIRS_MAX], char *err,
                     size_t errlen);

/* rd_kafka_conf_set for each NULL-terminated name, value pair (pairs may be
 * NULL). 0, or -1 with librdkafka's err. */
int kafka_conf_set_pairs(rd_kafka_conf_t *conf, const char *const *pairs, char *err, size_t errlen);

#endif
