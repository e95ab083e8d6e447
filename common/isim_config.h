/* One configuration struct for every service, filled from environment
 * variables through a table (isim_config.c); defaults work for the local
 * stack that `make up` starts. */
#ifndef ISIM_CONFIG_H
#define ISIM_CONFIG_H

#include <stddef.h>
#include <stdio.h>

typedef struct isim_config {
    char *kafka_brokers;
    char *kafka_security_protocol; /* plaintext, ssl, sasl_plaintext, sasl_ssl */
    char *kafka_sasl_mechanism;
    char *kafka_sasl_username;
    char *kafka_sasl_password;
    char *kafka_ca_file;
    int kafka_partitions;          /* isim admin topics: partitions of a new topic */
    char *kafka_topic_partitions;  /* isim admin topics: "topic=n,..." overrides */
    int kafka_replication_factor;  /* isim admin topics: 0 = the broker's default */
    int kafka_personal_retention_h; /* isim admin topics: retention of topics carrying transcripts; 0 broker's */
    char *pg_dsn;
    int migrate_at_start;          /* gateway: 1 applies migrations, 0 only checks them */
    int reap_interval_s;           /* gateway: how often objects without an interview are deleted; 0 never */
    int retention_days;            /* gateway: interviews older than this are erased; 0 never */
    char *redis_host;
    int redis_port;
    char *redis_username;
    char *redis_password;
    int redis_tls;
    char *redis_ca_file;
    char *s3_endpoint;        /* in-cluster endpoint the services use */
    char *s3_public_endpoint; /* endpoint the browser uses for presigned URLs */
    char *s3_region;
    char *s3_bucket;
    char *s3_access_key;
    char *s3_secret_key;
    char *s3_ca_file;         /* PEM bundle that verifies an https S3 endpoint; empty: system CAs */
    char *s3_cors_origins;    /* isim admin bucket: origins allowed to use presigned URLs from a browser */
    int http_port;            /* gateway API port, or a worker's health/metrics port; 0 = service default */
    char *log_level;
    char *work_dir;           /* temporary files of a stage run */
    long long max_upload_bytes;
    int uploads_at_once;          /* gateway: recordings received through it at the same time */
    long long upload_spool_bytes; /* gateway: their announced sizes together, spooled in ISIM_WORK_DIR */
    int max_duration_s;
    int stage_timeout_s;
    long long message_max_bytes;
    int presign_expires_s;
    char *model_dir;          /* pocketsphinx acoustic model, dictionary, LM */
    char *transcribe_engine;  /* transcriber: pocketsphinx or openai */
    int transcribe_threads;   /* transcriber: parallel pocketsphinx decoders; 0 = one per core */
    char *transcribe_ps_args; /* transcriber: extra pocketsphinx "-name value" pairs */
    char *transcribe_url;     /* transcriber: OpenAI-compatible API base of the openai engine */
    char *transcribe_model;
    char *transcribe_api_key;
    char *transcribe_language;
    char *transcribe_prompt;
    int transcribe_timeout_s; /* one request to the openai engine */
    int transcribe_piece_s;   /* longer recordings go to the openai engine in pieces */
    int transcribe_attempts;  /* tries on 5xx, 429, timeouts */
    int transcribe_fallback;  /* 1: pocketsphinx when the openai engine fails */
    char *migrations_dir;
    int max_attempts;         /* transient failures tried this many times at least... */
    int retry_deadline_s;     /* ...and on until this long after the first try */
    char *bootstrap_admin_key; /* gateway: upserted at start as an admin API key (empty: none) */
    int rate_limit_per_min;   /* gateway: requests per API key per minute (0: unlimited) */
    char *webhook_allow_nets; /* gateway: private CIDR blocks webhooks may reach */
    char *cors_origins;       /* gateway: comma-separated allowed origins, "*" for any, empty for no CORS */
    char *openapi_path;       /* gateway: the OpenAPI document served at /v1/openapi.json */
    char *web_dir;            /* gateway: the built web app served at / */
    int session_ttl_s;        /* gateway: lifetime of a signed-in session */
    int cookie_secure;        /* gateway: 1 marks the session cookie Secure on every response */
    int invite_ttl_s;         /* gateway: lifetime of an invitation link */
    int signin_failures_account; /* gateway: failed sign-ins per account per 15 minutes */
    int signin_failures_address; /* gateway: failed sign-ins per client address per 15 minutes */
    int auth_failures_address;   /* gateway: unknown keys or sessions per client address per minute */
    char *data_dir;           /* word lists per language (data/en/...) and rubrics */
    char *rubric_path;        /* scoring rubric JSON */
    char *llm_url;            /* OpenAI-compatible API base for the AI review; empty = off */
    char *llm_model;
    char *llm_api_key;
    int llm_timeout_s;        /* whole AI review, all attempts */
    int llm_retries;
    char *embed_url;          /* OpenAI-compatible API base for sentence embeddings; empty = off */
    char *embed_model;
    int embed_timeout_s;
    int vm_sample_fps;        /* video-metrics: pictures analysed per second of video */
    char *vm_cascade_dir;     /* video-metrics: OpenCV Haar cascades (opencv-data) */
} isim_config;

/* Returns 0, or -1 with err filled (e.g. a number that does not parse). */
int config_load(isim_config *cfg, char *err, size_t errlen);
void config_release(isim_config *cfg);
/* The documentation table: variable, default, meaning. */
void config_print_markdown(FILE *out);

#endif
