/* The project's Kafka topics, and making them exist with the partition counts
 * the configuration asks for (isim admin topics, the Helm chart's topic Job). */
#ifndef ISIM_KAFKA_TOPICS_H
#define ISIM_KAFKA_TOPICS_H

#include <stddef.h>
#include <stdio.h>

#include "isim_config.h"

#define KAFKA_TOPIC_COUNT 8
#define KAFKA_PARTITIONS_MAX 1000

typedef struct kafka_topic_plan {
    const char *name;
    int partitions;
    long long retention_ms; /* 0: the brokers' default */
} kafka_topic_plan;

/* Every topic with its partitions: ISIM_KAFKA_PARTITIONS, or the topic's
 * entry in ISIM_KAFKA_TOPIC_PARTITIONS ("topic=n,..."); and the topics that
 * carry what candidates said with ISIM_KAFKA_PERSONAL_RETENTION_H. 0, or -1
 * with err (an unknown topic, a count outside 1..KAFKA_PARTITIONS_MAX). */
int kafka_topics_plan(const isim_config *cfg, kafka_topic_plan plan[KAFKA_TOPIC_COUNT], char *err,
                      size_t errlen);

/* Creates the missing topics and adds partitions to those that have fewer
 * than planned (Kafka cannot take partitions away: a topic with more is left
 * as it is and reported), sets the planned retention (on existing topics
 * too: AlterConfigs, which replaces their other dynamic settings), then
 * waits until every partition has a leader.
 * Writes one line per topic to out. 0, or -1 with err. */
int kafka_topics_ensure(const isim_config *cfg, const kafka_topic_plan plan[KAFKA_TOPIC_COUNT],
                        int timeout_ms, FILE *out, char *err, size_t errlen);

/* 1 when name is one of the project's topics. */
int kafka_topic_known(const char *name);

#endif
