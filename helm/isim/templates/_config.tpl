{{/*
The services' settings, one source for the release's ConfigMap and Secret and
for the copies the pre-install/pre-upgrade hook Jobs read (hooks-config.yaml).
*/}}

{{/* Non-secret ISIM_* settings (and libpq's PG*), as YAML map lines. */}}
{{- define "isim.configData" -}}
{{- $v := .Values -}}
{{- with $v.config -}}
ISIM_KAFKA_BROKERS: {{ required "config.kafkaBrokers is required" .kafkaBrokers | quote }}
ISIM_REDIS_HOST: {{ required "config.redisHost is required" .redisHost | quote }}
ISIM_REDIS_PORT: {{ .redisPort | int64 | toString | quote }}
ISIM_S3_ENDPOINT: {{ required "config.s3Endpoint is required" .s3Endpoint | quote }}
ISIM_S3_PUBLIC_ENDPOINT: {{ .s3PublicEndpoint | default "" | quote }}
ISIM_S3_REGION: {{ .s3Region | quote }}
ISIM_S3_BUCKET: {{ .s3Bucket | quote }}
ISIM_LOG_LEVEL: {{ .logLevel | quote }}
ISIM_MAX_UPLOAD_BYTES: {{ .maxUploadBytes | int64 | toString | quote }}
ISIM_MAX_DURATION_S: {{ .maxDurationS | int64 | toString | quote }}
ISIM_STAGE_TIMEOUT_S: {{ .stageTimeoutS | int64 | toString | quote }}
ISIM_PRESIGN_EXPIRES_S: {{ .presignExpiresS | int64 | toString | quote }}
ISIM_MAX_ATTEMPTS: {{ .maxAttempts | int64 | toString | quote }}
ISIM_MODEL_DIR: {{ .modelDir | quote }}
ISIM_MIGRATIONS_DIR: {{ .migrationsDir | quote }}
ISIM_WEBHOOK_ALLOW_NETS: {{ .webhookAllowNets | default "" | quote }}
ISIM_WEB_DIR: {{ .webDir | quote }}
{{- if $v.stt.enabled }}
ISIM_TRANSCRIBE_URL: {{ printf "http://%s-stt:%d" (include "isim.fullname" $) ($v.stt.port | int) | quote }}
{{- else }}
ISIM_TRANSCRIBE_URL: {{ .transcribeUrl | default "" | quote }}
{{- end }}
{{- if and $v.stt.enabled $v.stt.embedModel }}
ISIM_EMBED_URL: {{ printf "http://%s-stt:%d/v1" (include "isim.fullname" $) ($v.stt.port | int) | quote }}
{{- else }}
ISIM_EMBED_URL: {{ .embedUrl | default "" | quote }}
{{- end }}
ISIM_EMBED_TIMEOUT_S: {{ .embedTimeoutS | int64 | toString | quote }}
ISIM_COOKIE_SECURE: {{ .cookieSecure | int64 | toString | quote }}
ISIM_SESSION_TTL_S: {{ .sessionTtlS | int64 | toString | quote }}
ISIM_INVITE_TTL_S: {{ .inviteTtlS | int64 | toString | quote }}
ISIM_SIGNIN_FAILURES_PER_ACCOUNT: {{ .signinFailuresPerAccount | int64 | toString | quote }}
ISIM_SIGNIN_FAILURES_PER_ADDRESS: {{ .signinFailuresPerAddress | int64 | toString | quote }}
ISIM_AUTH_FAILURES_PER_ADDRESS: {{ .authFailuresPerAddress | int64 | toString | quote }}
ISIM_RETENTION_DAYS: {{ .retentionDays | int64 | toString | quote }}
ISIM_REAP_INTERVAL_S: {{ .reapIntervalS | int64 | toString | quote }}
ISIM_UPLOADS_AT_ONCE: {{ .uploadsAtOnce | int64 | toString | quote }}
ISIM_UPLOAD_SPOOL_BYTES: {{ .uploadSpoolBytes | int64 | toString | quote }}
{{- end }}
ISIM_KAFKA_PERSONAL_RETENTION_H: {{ $v.kafka.personalRetentionHours | int64 | toString | quote }}
ISIM_WORK_DIR: {{ $v.workDir.path | quote }}
ISIM_MIGRATE_AT_START: {{ ternary "0" "1" (eq (toString $v.migrations.job) "true") | quote }}
ISIM_KAFKA_PARTITIONS: {{ $v.kafka.partitions | int | toString | quote }}
ISIM_KAFKA_TOPIC_PARTITIONS: {{ include "isim.topicPartitionsEnv" . | quote }}
ISIM_KAFKA_REPLICATION_FACTOR: {{ $v.kafka.replicationFactor | int | toString | quote }}
ISIM_KAFKA_SECURITY_PROTOCOL: {{ $v.kafka.securityProtocol | quote }}
{{- if hasPrefix "sasl_" $v.kafka.securityProtocol }}
ISIM_KAFKA_SASL_MECHANISM: {{ $v.kafka.sasl.mechanism | quote }}
ISIM_KAFKA_SASL_USERNAME: {{ $v.kafka.sasl.username | quote }}
{{- end }}
{{- if $v.kafka.tls.caSecret }}
ISIM_KAFKA_CA_FILE: {{ printf "%s/ca.crt" (include "isim.caDir" "kafka") | quote }}
{{- end }}
{{- with $v.redis.username }}
ISIM_REDIS_USERNAME: {{ . | quote }}
{{- end }}
{{- if $v.redis.tls.enabled }}
ISIM_REDIS_TLS: "1"
{{- if $v.redis.tls.caSecret }}
ISIM_REDIS_CA_FILE: {{ printf "%s/ca.crt" (include "isim.caDir" "redis") | quote }}
{{- end }}
{{- end }}
{{- with $v.postgresql.sslmode }}
PGSSLMODE: {{ . | quote }}
{{- end }}
{{- if $v.postgresql.caSecret }}
PGSSLROOTCERT: {{ printf "%s/ca.crt" (include "isim.caDir" "postgresql") | quote }}
{{- end }}
ISIM_S3_CORS_ORIGINS: {{ join "," $v.s3.corsOrigins | quote }}
{{- if $v.s3.caSecret }}
ISIM_S3_CA_FILE: {{ printf "%s/ca.crt" (include "isim.caDir" "s3") | quote }}
{{- end }}
{{- end }}

{{/* Secret settings, as YAML map lines (the chart's Secret, unless secrets.existingSecret). */}}
{{- define "isim.secretData" -}}
{{- with .Values.secrets -}}
ISIM_PG_DSN: {{ required "secrets.pgDsn is required (or set secrets.existingSecret)" .pgDsn | quote }}
ISIM_S3_ACCESS_KEY: {{ required "secrets.s3AccessKey is required (or set secrets.existingSecret)" .s3AccessKey | quote }}
ISIM_S3_SECRET_KEY: {{ required "secrets.s3SecretKey is required (or set secrets.existingSecret)" .s3SecretKey | quote }}
{{- with .kafkaSaslPassword }}
ISIM_KAFKA_SASL_PASSWORD: {{ . | quote }}
{{- end }}
{{- with .redisPassword }}
ISIM_REDIS_PASSWORD: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Where the Secret named by <dependency>.caSecret is mounted: kafka, redis, postgresql or s3. */}}
{{- define "isim.caDir" -}}
/etc/isim/ca/{{ . }}
{{- end }}
