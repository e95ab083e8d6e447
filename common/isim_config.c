#include "isim_config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum { CFG_STR, CFG_INT, CFG_LL } cfg_type;

typedef struct cfg_entry {
    const char *env;
    const char *def;
    cfg_type type;
    size_t offset;
    const char *doc;
} cfg_entry;

#define F(field) offsetof(isim_config, field)

/* The single table of settings: README's configuration table is printed from it. */
static const cfg_entry cfg_table[] = {
    {"ISIM_KAFKA_BROKERS", "127.0.0.1:29092", CFG_STR, F(kafka_brokers), "Kafka bootstrap servers"},
    {"ISIM_KAFKA_SECURITY_PROTOCOL", "plaintext", CFG_STR, F(kafka_security_protocol), "Kafka: plaintext, ssl, sasl_plaintext or sasl_ssl"},
    {"ISIM_KAFKA_SASL_MECHANISM", "", CFG_STR, F(kafka_sasl_mechanism), "Kafka: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with a sasl_ protocol (empty: none)"},
    {"ISIM_KAFKA_SASL_USERNAME", "", CFG_STR, F(kafka_sasl_username), "Kafka: SASL user name"},
    {"ISIM_KAFKA_SASL_PASSWORD", "", CFG_STR, F(kafka_sasl_password), "Kafka: SASL password (keep it in a Secret)"},
    {"ISIM_KAFKA_CA_FILE", "", CFG_STR, F(kafka_ca_file), "Kafka: PEM file of the CA that signed the brokers' certificates (empty: the system's CAs)"},
    {"ISIM_KAFKA_PARTITIONS", "4", CFG_INT, F(kafka_partitions), "isim admin topics: partitions of each topic (the ceiling on a worker's useful replicas)"},
    {"ISIM_KAFKA_TOPIC_PARTITIONS", "", CFG_STR, F(kafka_topic_partitions), "isim admin topics: per-topic partitions overriding ISIM_KAFKA_PARTITIONS, e.g. interview.uploaded=8,interview.converted=8"},
    {"ISIM_KAFKA_REPLICATION_FACTOR", "0", CFG_INT, F(kafka_replication_factor), "isim admin topics: replicas of each new topic's partitions (0: the broker's default.replication.factor)"},
    {"ISIM_KAFKA_PERSONAL_RETENTION_H", "24", CFG_INT, F(kafka_personal_retention_h), "isim admin topics: how long Kafka keeps the topics that carry what candidates said (interview.transcribed, interview.text-metrics, interview.dlq), hours: an erase cannot reach a message before it expires (0: the brokers' log.retention)"},
    {"ISIM_PG_DSN", "", CFG_STR, F(pg_dsn), "PostgreSQL connection string, e.g. postgresql://user:password@host:5432/isim (libpq's PGSSLMODE, PGSSLROOTCERT... apply too; no default: the local stack's script sets it)"},
    {"ISIM_MIGRATE_AT_START", "1", CFG_INT, F(migrate_at_start), "Gateway: 1 applies the database migrations at start (under a lock), 0 only checks that `isim admin migrate` applied them all"},
    {"ISIM_REAP_INTERVAL_S", "3600", CFG_INT, F(reap_interval_s), "Gateway: how often stored objects no interview points to are deleted (metric isim_orphan_objects_deleted_total), seconds (0: never; isim admin reap does it once)"},
    {"ISIM_RETENTION_DAYS", "0", CFG_INT, F(retention_days), "Gateway: interviews (recording, media, report) older than this many days are erased, checked every ISIM_REAP_INTERVAL_S (0: kept until deleted)"},
    {"ISIM_REDIS_HOST", "127.0.0.1", CFG_STR, F(redis_host), "Redis host"},
    {"ISIM_REDIS_PORT", "26379", CFG_INT, F(redis_port), "Redis port"},
    {"ISIM_REDIS_USERNAME", "", CFG_STR, F(redis_username), "Redis ACL user (empty: AUTH with the password alone)"},
    {"ISIM_REDIS_PASSWORD", "", CFG_STR, F(redis_password), "Redis password, sent with AUTH on every new connection (empty: no AUTH)"},
    {"ISIM_REDIS_TLS", "0", CFG_INT, F(redis_tls), "1: Redis over TLS, its certificate checked against ISIM_REDIS_HOST"},
    {"ISIM_REDIS_CA_FILE", "", CFG_STR, F(redis_ca_file), "With ISIM_REDIS_TLS=1: PEM file of the CA that signed Redis's certificate (empty: the system's CAs)"},
    {"ISIM_S3_ENDPOINT", "http://127.0.0.1:29000", CFG_STR, F(s3_endpoint), "S3 endpoint the services use"},
    {"ISIM_S3_PUBLIC_ENDPOINT", "", CFG_STR, F(s3_public_endpoint), "S3 endpoint in presigned URLs given to browsers (empty: ISIM_S3_ENDPOINT)"},
    {"ISIM_S3_REGION", "us-east-1", CFG_STR, F(s3_region), "S3 region used in signatures"},
    {"ISIM_S3_BUCKET", "isim", CFG_STR, F(s3_bucket), "Bucket for raw and normalised media"},
    {"ISIM_S3_ACCESS_KEY", "", CFG_STR, F(s3_access_key), "S3 access key id (no default: the local stack's script sets it)"},
    {"ISIM_S3_SECRET_KEY", "", CFG_STR, F(s3_secret_key), "S3 secret key (no default)"},
    {"ISIM_S3_CA_FILE", "", CFG_STR, F(s3_ca_file), "PEM file of the CA that signed an https S3 endpoint's certificate (empty: the system's CAs)"},
    {"ISIM_S3_CORS_ORIGINS", "", CFG_STR, F(s3_cors_origins), "isim admin bucket: comma-separated origins whose pages may upload and play media by presigned URL (empty: no CORS rules)"},
    {"ISIM_HTTP_PORT", "0", CFG_INT, F(http_port), "Gateway API port / worker health port (0: 8080 gateway, 9101-9105 workers)"},
    {"ISIM_LOG_LEVEL", "info", CFG_STR, F(log_level), "debug, info, warn or error"},
    {"ISIM_WORK_DIR", "/tmp", CFG_STR, F(work_dir), "Folder for a stage's temporary files"},
    {"ISIM_MAX_UPLOAD_BYTES", "536870912", CFG_LL, F(max_upload_bytes), "Largest accepted upload, bytes"},
    {"ISIM_UPLOADS_AT_ONCE", "4", CFG_INT, F(uploads_at_once), "Gateway: recordings it receives (PUT .../recording) at the same time; more get 503 with Retry-After"},
    {"ISIM_UPLOAD_SPOOL_BYTES", "1073741824", CFG_LL, F(upload_spool_bytes), "Gateway: the sizes of the recordings it receives at once, together (each spooled in ISIM_WORK_DIR before S3; one without Content-Length counts as ISIM_MAX_UPLOAD_BYTES); more get 503 with Retry-After"},
    {"ISIM_MAX_DURATION_S", "600", CFG_INT, F(max_duration_s), "Longest accepted recording, seconds"},
    {"ISIM_STAGE_TIMEOUT_S", "900", CFG_INT, F(stage_timeout_s), "Longest one try of a stage on one message, seconds: past it the interview fails with a reason, the message is dead-lettered and /livez turns false until the stuck call returns"},
    {"ISIM_MESSAGE_MAX_BYTES", "1048576", CFG_LL, F(message_max_bytes), "Workers: a consumed message larger than this is dead-lettered unread (the interview fails), bytes"},
    {"ISIM_PRESIGN_EXPIRES_S", "900", CFG_INT, F(presign_expires_s), "Lifetime of presigned upload/playback URLs, seconds"},
    {"ISIM_MODEL_DIR", "/usr/share/pocketsphinx/model/en-us", CFG_STR, F(model_dir), "pocketsphinx model folder"},
    {"ISIM_TRANSCRIBE_ENGINE", "auto", CFG_STR, F(transcribe_engine), "Transcriber engine: auto (openai when ISIM_TRANSCRIBE_URL is set, else pocketsphinx), pocketsphinx (embedded, offline) or openai (an OpenAI-compatible POST /v1/audio/transcriptions service: the stack's speech-to-text server, services/stt)"},
    {"ISIM_TRANSCRIBE_THREADS", "0", CFG_INT, F(transcribe_threads), "pocketsphinx decoders working in parallel on the chunks of one recording (0: one per core)"},
    {"ISIM_TRANSCRIBE_PS_ARGS", "", CFG_STR, F(transcribe_ps_args), "Extra pocketsphinx arguments overriding the tuned ones, e.g. `-lw 10 -beam 1e-60` (empty: tuned settings)"},
    {"ISIM_TRANSCRIBE_URL", "", CFG_STR, F(transcribe_url), "openai engine: API base, e.g. http://127.0.0.1:29200, the local stack's speech-to-text server (/v1/audio/transcriptions is appended unless the URL names it; empty: no remote engine)"},
    {"ISIM_TRANSCRIBE_MODEL", "whisper-1", CFG_STR, F(transcribe_model), "openai engine: model name sent"},
    {"ISIM_TRANSCRIBE_API_KEY", "", CFG_STR, F(transcribe_api_key), "openai engine: Bearer token (empty: none sent)"},
    {"ISIM_TRANSCRIBE_LANGUAGE", "en", CFG_STR, F(transcribe_language), "isim analyze/transcribe: the language of the speech when --language is not given (a code of data/languages.txt, its ISO 639-1 code, or auto); the services take each interview's own"},
    {"ISIM_TRANSCRIBE_PROMPT", "Um, uh, so, like, you know, I mean... I was, uh, thinking.", CFG_STR, F(transcribe_prompt), "openai engine: prompt; its fillers make the model keep them. Left at this default, each language uses data/<code>/transcribe_prompt.txt (this text is English's); another text is sent for every language; empty: no prompt (docs/accuracy.md measures both)"},
    {"ISIM_TRANSCRIBE_TIMEOUT_S", "120", CFG_INT, F(transcribe_timeout_s), "openai engine: longest one request may take, seconds"},
    {"ISIM_TRANSCRIBE_PIECE_S", "120", CFG_INT, F(transcribe_piece_s), "openai engine: a recording longer than this is sent in pieces of at most this length, cut at pauses, one request each (so a long answer fits ISIM_TRANSCRIBE_TIMEOUT_S and a retry redoes one piece), seconds (0: whole)"},
    {"ISIM_TRANSCRIBE_ATTEMPTS", "3", CFG_INT, F(transcribe_attempts), "openai engine: tries on a 5xx, 429, timeout or connection failure, with backoff 0.5 s, 1 s, 2 s..."},
    {"ISIM_TRANSCRIBE_FALLBACK", "1", CFG_INT, F(transcribe_fallback), "openai engine: 1 transcribes with pocketsphinx when the service fails, 0 fails the stage"},
    {"ISIM_MIGRATIONS_DIR", ISIM_SOURCE_DIR "/deploy/migrations", CFG_STR, F(migrations_dir), "Numbered SQL migrations applied at gateway start"},
    {"ISIM_MAX_ATTEMPTS", "5", CFG_INT, F(max_attempts), "Tries of a transient failure (storage or database unreachable) at least, before the message is dead-lettered"},
    {"ISIM_RETRY_DEADLINE_S", "300", CFG_INT, F(retry_deadline_s), "...and more tries, the wait doubling up to 30 s, until this long after the first: an outage of minutes is waited out (keep it below ISIM_STAGE_TIMEOUT_S)"},
    {"ISIM_BOOTSTRAP_ADMIN_KEY", "", CFG_STR, F(bootstrap_admin_key), "Gateway: API key (at least 32 characters) upserted at start as the key of an admin user named bootstrap-admin (empty: none)"},
    {"ISIM_RATE_LIMIT_PER_MIN", "600", CFG_INT, F(rate_limit_per_min), "Gateway: requests per API key per minute, unless the user has its own limit (0: unlimited)"},
    {"ISIM_WEBHOOK_ALLOW_NETS", "", CFG_STR, F(webhook_allow_nets), "Gateway: CIDR blocks webhooks may reach although private or internal, e.g. 127.0.0.1/32 for a receiver on this machine (empty: public addresses only)"},
    {"ISIM_CORS_ORIGINS", "", CFG_STR, F(cors_origins), "Gateway: comma-separated origins allowed by CORS, * for any (empty: no CORS headers)"},
    {"ISIM_OPENAPI_PATH", ISIM_SOURCE_DIR "/services/gateway/openapi.json", CFG_STR, F(openapi_path), "Gateway: OpenAPI document served at /v1/openapi.json"},
    {"ISIM_WEB_DIR", ISIM_SOURCE_DIR "/web/dist", CFG_STR, F(web_dir), "Gateway: the built web app served at / (make build writes it; a missing folder serves a page saying so)"},
    {"ISIM_SESSION_TTL_S", "604800", CFG_INT, F(session_ttl_s), "Gateway: how long a web sign-in lasts, seconds"},
    {"ISIM_COOKIE_SECURE", "0", CFG_INT, F(cookie_secure), "Gateway: 1 marks the session cookie Secure always (0: when the request came over HTTPS, directly or by X-Forwarded-Proto)"},
    {"ISIM_INVITE_TTL_S", "604800", CFG_INT, F(invite_ttl_s), "Gateway: how long an invitation link stays valid, seconds"},
    {"ISIM_SIGNIN_FAILURES_PER_ACCOUNT", "10", CFG_INT, F(signin_failures_account), "Gateway: failed sign-ins allowed per account per 15 minutes, then 429"},
    {"ISIM_AUTH_FAILURES_PER_ADDRESS", "100", CFG_INT, F(auth_failures_address), "Gateway: requests with an unknown API key or session per client address per minute; beyond, keys not recently seen get 429 (0: no limit)"},
    {"ISIM_SIGNIN_FAILURES_PER_ADDRESS", "100", CFG_INT, F(signin_failures_address), "Gateway: failed sign-ins allowed per client address per 15 minutes, then 429"},
    {"ISIM_DATA_DIR", ISIM_SOURCE_DIR "/data", CFG_STR, F(data_dir), "Language data: <dir>/languages.txt and per language <dir>/<code>/ (word lists, filler rules, prompt, report texts), read at start by the gateway, transcriber, text-metrics and result-writer (data/README.md)"},
    {"ISIM_RUBRIC", ISIM_SOURCE_DIR "/data/rubric/v2.json", CFG_STR, F(rubric_path), "Scoring rubric (thresholds, weights) result-writer and the CLI use; see docs/rubric.md"},
    {"ISIM_LLM_URL", "", CFG_STR, F(llm_url), "OpenAI-compatible API base for the optional AI review, e.g. http://127.0.0.1:11434/v1 (empty: off)"},
    {"ISIM_LLM_MODEL", "llama3.1", CFG_STR, F(llm_model), "Model name sent to the AI review API"},
    {"ISIM_LLM_API_KEY", "", CFG_STR, F(llm_api_key), "Bearer token for the AI review API (empty: none sent)"},
    {"ISIM_LLM_TIMEOUT_S", "20", CFG_INT, F(llm_timeout_s), "Longest the AI review may take, all attempts together; then the rule-based report stands alone, seconds"},
    {"ISIM_LLM_RETRIES", "1", CFG_INT, F(llm_retries), "Extra AI review attempts after a failed or invalid answer"},
    {"ISIM_EMBED_URL", "", CFG_STR, F(embed_url), "OpenAI-compatible API base whose POST /embeddings gives relevance a measure that understands paraphrase, e.g. the speech-to-text server's http://127.0.0.1:29200/v1 (empty: off, the lexical measure alone)"},
    {"ISIM_EMBED_MODEL", "all-MiniLM-L6-v2-int8", CFG_STR, F(embed_model), "Model name sent to the embeddings API (the speech-to-text server has one and ignores it)"},
    {"ISIM_EMBED_TIMEOUT_S", "10", CFG_INT, F(embed_timeout_s), "Longest the embeddings request may take; then relevance.semantic says why it is missing, seconds"},
    {"ISIM_VM_SAMPLE_FPS", "5", CFG_INT, F(vm_sample_fps), "video-metrics: pictures analysed per second of video (faces, lighting, motion)"},
    {"ISIM_VM_CASCADE_DIR", "/usr/share/opencv4/haarcascades", CFG_STR, F(vm_cascade_dir), "video-metrics: folder of OpenCV's Haar cascades (Debian's opencv-data)"},
};

#define CFG_COUNT (sizeof(cfg_table) / sizeof(cfg_table[0]))

#define CFG_FILE_MAX 65536

/* NAME_FILE: the value is that file's content (a mounted Secret), without
 * its trailing line break. 1 read into *out (malloc'd), 0 not set, -1 err. */
static int config_from_file(const char *env, char **out, char *err, size_t errlen)
{
    char name[128];
    snprintf(name, sizeof(name), "%s_FILE", env);
    const char *path = getenv(name);
    if (!path)
        return 0;
    if (getenv(env)) {
        snprintf(err, errlen, "both %s and %s are set: keep one", env, name);
        return -1;
    }
    int rc = -1;
    FILE *f = fopen(path, "rb");
    char *buf = malloc(CFG_FILE_MAX + 1);
    size_t n = f && buf ? fread(buf, 1, CFG_FILE_MAX + 1, f) : 0;
    if (!f || !buf || ferror(f)) {
        snprintf(err, errlen, "%s=%s: %s", name, path, f ? "cannot be read" : strerror(errno));
        goto out;
    }
    if (n > CFG_FILE_MAX) {
        snprintf(err, errlen, "%s=%s: larger than %d bytes", name, path, CFG_FILE_MAX);
        goto out;
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = '\0';
    *out = buf;
    buf = NULL;
    rc = 1;
out:
    if (f)
        fclose(f);
    free(buf);
    return rc;
}

/* Settings no longer read, and what replaced them: a deployment still
 * setting one is refused at start rather than silently ignored. */
static const struct {
    const char *env, *instead;
} cfg_retired[] = {
    {"ISIM_VM_THRESHOLDS", "every threshold lives in the scoring rubric (ISIM_RUBRIC, docs/rubric.md)"},
};

int config_load(isim_config *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < sizeof(cfg_retired) / sizeof(cfg_retired[0]); i++)
        if (getenv(cfg_retired[i].env)) {
            snprintf(err, errlen, "%s is no longer read: %s; unset it", cfg_retired[i].env,
                     cfg_retired[i].instead);
            return -1;
        }
    for (size_t i = 0; i < CFG_COUNT; i++) {
        const cfg_entry *e = &cfg_table[i];
        char *from_file = NULL;
        int ff = config_from_file(e->env, &from_file, err, errlen);
        if (ff < 0) {
            config_release(cfg);
            return -1;
        }
        const char *v = ff ? from_file : getenv(e->env);
        if (!v)
            v = e->def;
        void *slot = (char *)cfg + e->offset;
        if (e->type == CFG_STR) {
            *(char **)slot = strdup(v);
            free(from_file);
            continue;
        }
        char *end = NULL;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        int bad = errno || end == v || *end || n < 0 || (e->type == CFG_INT && n > 2147483647LL);
        if (bad)
            snprintf(err, errlen, "%s=\"%s\" is not a valid non-negative number", e->env, v);
        free(from_file);
        if (bad) {
            config_release(cfg);
            return -1;
        }
        if (e->type == CFG_INT)
            *(int *)slot = (int)n;
        else
            *(long long *)slot = n;
    }
    return 0;
}

void config_release(isim_config *cfg)
{
    for (size_t i = 0; i < CFG_COUNT; i++) {
        if (cfg_table[i].type != CFG_STR)
            continue;
        char **slot = (char **)((char *)cfg + cfg_table[i].offset);
        free(*slot);
        *slot = NULL;
    }
}

void config_print_markdown(FILE *out)
{
    fprintf(out, "| Variable | Default | Meaning |\n| --- | --- | --- |\n");
    const char *src = ISIM_SOURCE_DIR;
    for (size_t i = 0; i < CFG_COUNT; i++) {
        const char *def = cfg_table[i].def;
        int in_src = strncmp(def, src, strlen(src)) == 0; /* print paths portably */
        fprintf(out, "| `%s` | `%s%s` | %s |\n", cfg_table[i].env, in_src ? "<source>" : "",
                in_src ? def + strlen(src) : def, cfg_table[i].doc);
    }
}
