/* One configuration struct for every service, filled from environment
 * variables through a table (isim_config.c); defaults work for the local
 * stack that `make up` starts. */
#ifndef ISIM_CONFIG_H
#define ISIM_CONFIG_H

#include <stddef.h>
#include <stdio.h>

typedef struct isim_config {
    char *kafka_brokers;
    char *pg_dsn;
    char *redis_host;
    int redis_port;
    char *s3_endpoint;        /* in-cluster endpoint the services use */
    char *s3_public_endpoint; /* endpoint the browser uses for presigned URLs */
    char *s3_region;
    char *s3_bucket;
    char *s3_access_key;
    char *s3_secret_key;
    int http_port;            /* gateway API port, or a worker's health/metrics port; 0 = service default */
    char *log_level;
    char *work_dir;           /* temporary files of a stage run */
    long long max_upload_bytes;
    int max_duration_s;
    int stage_timeout_s;
    int presign_expires_s;
    char *model_dir;          /* pocketsphinx acoustic model, dictionary, LM */
    char *migrations_dir;
    int max_attempts;         /* transient failures retried this many times before dead-lettering */
} isim_config;

/* Returns 0, or -1 with err filled (e.g. a number that does not parse). */
int config_load(isim_config *cfg, char *err, size_t errlen);
void config_release(isim_config *cfg);
/* The documentation table: variable, default, meaning. */
void config_print_markdown(FILE *out);

#endif
