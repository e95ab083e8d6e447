#!/usr/bin/env bash
# Offline checks of the Helm chart in helm/isim, no cluster:
#   helm lint --strict with the default values and every ci/*-values.yaml;
#   helm template of each for the oldest and newest Kubernetes the chart
#   supports, validated by kubeconform -strict against Kubernetes' JSON
#   schemas and the KEDA and Prometheus Operator CRDs' (unknown fields fail);
#   check_manifests.py's invariants on every rendering (pod security, hooks,
#   autoscaling, partitions, grace periods, budgets, network policies...);
#   check_sources.py: topics and metric names as in the services' code;
#   expectations per values file, and the values the chart must refuse.
# Each check can fail: the checkers are also run on broken input, which they
# must reject. Tools are installed once, when missing (helm/check-tools.sh):
# the first run compiles helm (about 2 minutes on 2 cores), later runs about 11 s.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHART=$ROOT/helm/isim
DEPS=${ISIM_DEPS_DIR:-$ROOT/.deps}
# Oldest (Chart.yaml kubeVersion) and newest Kubernetes the schemas cover.
read -r -a KUBE_VERSIONS <<<"${ISIM_KUBE_VERSIONS:-1.25.0 1.37.0}"
start=$(date +%s)
# shellcheck source=helm/check-tools.sh
source "$ROOT/helm/check-tools.sh"
install_tools

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
NEWEST=${KUBE_VERSIONS[-1]}
# Value sets: "default" and each ci/<name>-values.yaml.
SETS=(default)
for f in "$CHART"/ci/*-values.yaml; do
  n=$(basename "$f")
  SETS+=("${n%-values.yaml}")
done
# "default": the chart's values, with the development flag its published
# default credentials need (a check below shows they are refused without it).
values_args() {
  if [[ $1 == default ]]; then printf -- '--set\ndevelopment.allowDefaultCredentials=true\n'; else printf -- '-f\n%s\n' "$CHART/ci/$1-values.yaml"; fi
}
# With the development flag: the chart's default credentials are refused without it.
render() {
  "$HELM" template isim "$CHART" --namespace isim --kube-version "$NEWEST" \
    --set development.allowDefaultCredentials=true "$@"
}

fails=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then printf '   ok   %s\n' "$1"; else printf '   FAIL %s\n' "$1"; fails=$((fails + 1)); fi
}
count() { grep -c "^kind: $2\$" "$1" || true; }
# The one document of KIND named NAME.
doc() { awk -v k="kind: $2" -v n="  name: $3" 'BEGIN{RS="\n---\n"} index($0, k "\n") && index($0, n "\n") {print}' "$1"; }
has() { grep -qF -- "$2" <<<"$1"; }

for s in "${SETS[@]}"; do
  say "helm lint --strict ($s)"
  mapfile -t args < <(values_args "$s")
  "$HELM" lint --strict --quiet "$CHART" "${args[@]}" --kube-version "$NEWEST"
done

for v in "${KUBE_VERSIONS[@]}"; do
  say "helm template + kubeconform -strict, Kubernetes $v: ${SETS[*]}"
  files=()
  for s in "${SETS[@]}"; do
    mapfile -t args < <(values_args "$s")
    "$HELM" template isim "$CHART" --namespace isim --kube-version "$v" "${args[@]}" >"$OUT/$s-$v.yaml"
    files+=("$OUT/$s-$v.yaml")
  done
  "$KUBECONFORM" -strict -summary -output text -kubernetes-version "$v" "${SCHEMA_LOCATIONS[@]}" "${files[@]}"
done

D=$OUT/default-$NEWEST.yaml
K=$OUT/keda-$NEWEST.yaml
S=$OUT/scaled-out-$NEWEST.yaml
E=$OUT/external-tls-$NEWEST.yaml
A=$OUT/all-features-$NEWEST.yaml
T=$OUT/trial-$NEWEST.yaml

say "the checkers reject broken input"
kubeconform_rejects() { # FILE SED-EXPRESSION: kubeconform fails on the edited file
  sed "$2" "$1" >"$OUT/broken.yaml"
  ! cmp -s "$1" "$OUT/broken.yaml" &&
    ! "$KUBECONFORM" -strict -kubernetes-version "$NEWEST" "${SCHEMA_LOCATIONS[@]}" "$OUT/broken.yaml" >/dev/null
}
manifests_reject() { # FILE SED-EXPRESSION: check_manifests.py fails on the edited file
  sed "$2" "$1" >"$OUT/broken.yaml"
  ! cmp -s "$1" "$OUT/broken.yaml" && ! "$PY" "$ROOT/helm/check_manifests.py" "$ROOT" "$OUT/broken.yaml" >/dev/null
}
metrics_reject() { # a dashboard naming a metric no service exports
  sed 's/isim_stage_retries_total/isim_stage_retrys_total/' "$CHART/dashboards/isim.json" >"$OUT/broken.json"
  ! "$PY" "$ROOT/helm/check_sources.py" metrics "$ROOT" "$K" "$OUT/broken.json" >/dev/null
}
check "kubeconform: a string replicas" kubeconform_rejects "$D" 's/^  replicas: 2$/  replicas: two/'
check "kubeconform: a misspelt ScaledObject field (CRD schema applied)" kubeconform_rejects "$K" 's/minReplicaCount:/minReplicas:/'
check "kubeconform: a misspelt PodMonitor field (CRD schema applied)" kubeconform_rejects "$K" 's/podMetricsEndpoints:/podMetricEndpoints:/'
check "invariants: a writable root filesystem" manifests_reject "$D" '0,/readOnlyRootFilesystem: true/s//readOnlyRootFilesystem: false/'
check "invariants: a hook Job that mounts a service account token" manifests_reject "$D" '/^kind: Job$/,/^---/s/automountServiceAccountToken: false/automountServiceAccountToken: true/'
check "invariants: a container without a memory limit" manifests_reject "$D" '0,/limits:/s//limitz:/'
check "invariants: a Job reading the release's ConfigMap (created after the hooks)" manifests_reject "$D" 's/^\(                name: \)isim-hooks$/\1isim/'
check "invariants: replicas on a Deployment KEDA owns" manifests_reject "$K" '0,/^  revisionHistoryLimit/s//  replicas: 3\n  revisionHistoryLimit/'
check "invariants: a worker grace period below its stage timeout" manifests_reject "$D" 's/terminationGracePeriodSeconds: 960/terminationGracePeriodSeconds: 600/'
check "sources: a dashboard metric no service exports" metrics_reject

say "invariants of every rendering (helm/check_manifests.py: pod security, hooks, autoscaling, partitions, grace, budgets, network policies, CA mounts, KEDA, secrets)"
invariants() { # prints check_manifests.py's report only when something failed
  local out
  out=$("$PY" "$ROOT/helm/check_manifests.py" "$ROOT" "$1") || { printf '%s\n' "$out"; return 1; }
}
for s in "${SETS[@]}"; do
  check "every invariant holds: $s" invariants "$OUT/$s-$NEWEST.yaml"
done

say "the chart and the services' code agree"
# The settings each rendering gives the pods (the release's ConfigMap and
# Secret, as env) must be read without error by the real binary.
ISIM_BIN=${ISIM_BUILD_DIR:-$ROOT/build}/isim
[[ -x $ISIM_BIN ]] || die "$ISIM_BIN is missing: build first (make build), the check runs it on the chart's settings"
settings_accepted() { # FILE: isim admin check-config with exactly the pods' ConfigMap and Secret
  local envs out
  mapfile -t envs < <("$PY" - "$1" <<'PY'
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d.get("kind") in ("ConfigMap", "Secret") and d["metadata"]["name"] in ("isim",) :
        for k, v in (d.get("data") or d.get("stringData") or {}).items():
            print(f"{k}={v}")
PY
)
  [[ ${#envs[@]} -gt 10 ]] || { echo "    no settings found in $1"; return 1; }
  out=$(env -i PATH=/usr/bin:/bin "${envs[@]}" "$ISIM_BIN" admin check-config 2>&1) || { echo "    $out"; return 1; }
}
for s in "${SETS[@]}"; do
  check "isim admin check-config accepts every setting the pods get: $s" settings_accepted "$OUT/$s-$NEWEST.yaml"
done
check "...and refuses a setting the services cannot read (a negative replication factor)" \
  bash -c '! env -i ISIM_KAFKA_REPLICATION_FACTOR=-1 "$1" admin check-config >/dev/null 2>&1' _ "$ISIM_BIN"
check "each worker's ScaledObject reads the topics its main.c subscribes to, as group isim-<name>" \
  "$PY" "$ROOT/helm/check_sources.py" topics "$ROOT" "$K"
check "every metric in the alerts and the dashboard is exported (or documented as outside)" \
  "$PY" "$ROOT/helm/check_sources.py" metrics "$ROOT" "$K" "$CHART/dashboards/isim.json"
knows_topics() { # every topic of common/kafka_worker.h is accepted in kafka.topicPartitions
  local t sets=()
  for t in $("$PY" "$ROOT/helm/check_sources.py" source-topics "$ROOT"); do sets+=(--set "kafka.topicPartitions.${t//./\\.}=4"); done
  [[ ${#sets[@]} == 16 ]] && render "${sets[@]}" | grep -q 'interview.video-metrics=4"$'
}
check "the chart knows the eight topics of common/kafka_worker.h" knows_topics

say "default values"
service_ok() { # service_ok NAME PORT: that service's Deployment as expected
  local d
  d=$(doc "$D" Deployment "isim-$1")
  has "$d" "command: [\"/usr/local/bin/isim-$1\"]" && has "$d" "containerPort: $2" &&
    grep -A1 'name: ISIM_HTTP_PORT' <<<"$d" | grep -q "value: \"$2\"" &&
    has "$d" 'path: /livez' && has "$d" 'path: /readyz' && has "$d" "prometheus.io/port: \"$2\"" &&
    has "$d" 'mountPath: /tmp'
}
for pair in gateway:8080 converter:9101 transcriber:9102 video-metrics:9103 text-metrics:9104 result-writer:9105; do
  check "${pair%%:*}: runs isim-${pair%%:*}, ISIM_HTTP_PORT=${pair##*:}, probes, scrape annotations" \
    service_ok "${pair%%:*}" "${pair##*:}"
done
stt_ok() {
  local d
  d=$(doc "$D" Deployment isim-stt)
  has "$d" 'image: "isim-stt:' && has "$d" 'containerPort: 29200' && has "$d" 'path: /readyz' &&
    grep -A1 'name: ISIM_STT_MODEL_DIR' <<<"$d" | grep -q 'value: "/opt/isim-stt/model/whisper-base"' &&
    grep -A1 'name: ISIM_STT_MODELS' <<<"$d" | grep -q 'value: ""' &&
    grep -A1 'name: ISIM_STT_DETECT_LANGUAGES' <<<"$d" | grep -q 'value: "en,pt"' &&
    grep -q 'ISIM_TRANSCRIBE_URL: "http://isim-stt:29200"' "$D" && ! render --set stt.enabled=false | grep -q 'isim-stt'
}
check "stt: Deployment, Service, the models in the image, the transcriber's URL; none when disabled" stt_ok
embed_ok() {
  local d off
  d=$(doc "$D" Deployment isim-stt)
  grep -A1 'name: ISIM_STT_EMBED_MODEL_DIR' <<<"$d" | grep -q 'value: "/opt/isim-stt/model/all-MiniLM-L6-v2-int8"' &&
    grep -q 'ISIM_EMBED_URL: "http://isim-stt:29200/v1"' "$D" &&
    render --set stt.embedModel= >"$OUT/embed-off.yaml" && grep -q 'ISIM_EMBED_URL: ""' "$OUT/embed-off.yaml" &&
    off=$(doc "$OUT/embed-off.yaml" NetworkPolicy isim-stt) && has "$off" 'component: transcriber' &&
    ! has "$off" 'component: result-writer'
}
check "stt: the embedding model in the image, the result-writer's ISIM_EMBED_URL; off without the model" embed_ok
check "7 Deployments, 3 hook Jobs, 2 Services, 2 ConfigMaps and 2 Secrets (release's and hooks' copies)" \
  test "$(count "$D" Deployment)$(count "$D" Job)$(count "$D" Service)$(count "$D" ConfigMap)$(count "$D" Secret)" = 73222
check "8 NetworkPolicies (7 components, the hooks), 3 PodDisruptionBudgets (the components with 2 replicas)" \
  test "$(count "$D" NetworkPolicy)$(count "$D" PodDisruptionBudget)" = 83
check "no Ingress, HPA, ScaledObject or monitoring objects" \
  test "$(grep -cE '^kind: (Ingress|HorizontalPodAutoscaler|ScaledObject|ServiceMonitor|PodMonitor|PrometheusRule)$' "$D")" = 0
jobs_ok() {
  local j
  for j in migrate:0 topics:1 bucket:2; do
    local d
    d=$(doc "$D" Job "isim-${j%%:*}")
    has "$d" "command: [\"/usr/local/bin/isim\",\"admin\",\"${j%%:*}\"]" &&
      has "$d" "helm.sh/hook-weight: \"${j##*:}\"" && has "$d" 'serviceAccountName: default' || return 1
  done
  [[ $(grep -c 'helm.sh/hook-weight: "-10"' "$D") == 3 ]]
}
check "Jobs run isim admin migrate, topics, bucket (weights 0, 1, 2) after the hooks' ConfigMap, Secret, NetworkPolicy (-10)" jobs_ok
config_ok() {
  grep -q 'ISIM_MIGRATE_AT_START: "0"' "$D" && grep -q 'ISIM_KAFKA_PARTITIONS: "4"' "$D" &&
    grep -q 'ISIM_KAFKA_REPLICATION_FACTOR: "0"' "$D" && grep -q 'ISIM_KAFKA_SECURITY_PROTOCOL: "plaintext"' "$D" &&
    ! grep -qE 'ISIM_(KAFKA_SASL|REDIS_PASSWORD|REDIS_USERNAME|KAFKA_CA_FILE|S3_CA_FILE)|PGSSL' "$D" &&
    has "$(doc "$D" Secret isim)" 'ISIM_PG_DSN:' && has "$(doc "$D" Secret isim)" 'ISIM_S3_ACCESS_KEY:' &&
    has "$(doc "$D" Secret isim)" 'ISIM_S3_SECRET_KEY:'
}
check "settings: gateway does not migrate, 4 partitions, broker replication default; the Secret's three keys, no optional credentials" config_ok
check "worker grace period: stage timeout 900 + 60 s" test "$(grep -c 'terminationGracePeriodSeconds: 960$' "$D")" = 5
check "migrations.job=false: the gateway migrates, no migrate Job" \
  bash -c '! grep -q "name: isim-migrate" <<<"$1" && grep -q "ISIM_MIGRATE_AT_START: \"1\"" <<<"$1"' _ \
  "$(render --set migrations.job=false)"
check "no hook enabled: no Job, no hook ConfigMap, Secret or NetworkPolicy" \
  test "$(render --set migrations.job=false,kafka.createTopics=false,s3.createBucket=false | grep -c 'helm.sh/hook' || true)" = 0
check "networkPolicy.enabled=false: no NetworkPolicy" \
  test "$(render --set networkPolicy.enabled=false | grep -c '^kind: NetworkPolicy$' || true)" = 0
webhooks_ok() {
  has "$(doc "$D" NetworkPolicy isim-gateway)" 'cidr: 0.0.0.0/0' &&
    ! render --set networkPolicy.egress.webhooks.enabled=false | grep -q 'cidr: 0.0.0.0/0'
}
check "the gateway may reach public addresses (webhooks), unless networkPolicy.egress.webhooks.enabled=false" webhooks_ok
stt_ingress_ok() {
  local d
  d=$(doc "$D" NetworkPolicy isim-stt)
  has "$d" 'app.kubernetes.io/component: transcriber' && has "$d" 'app.kubernetes.io/component: result-writer' &&
    has "$d" 'egress: []' &&
    [[ $(grep -c 'app.kubernetes.io/component:' <<<"$d") == 4 ]] # its labels, its selector, the transcriber, the result-writer
}
check "stt: reached only from the transcriber and the result-writer (embeddings) (and the metrics scraper), calls nothing" stt_ingress_ok

say "keda-values.yaml"
check "5 ScaledObjects, the gateway's HPA, no TriggerAuthentication (plaintext)" \
  test "$(count "$K" ScaledObject)$(count "$K" HorizontalPodAutoscaler)$(count "$K" TriggerAuthentication)" = 510
check "only the stt Deployment has replicas (autoscalers own the others)" test "$(grep -c '^  replicas:' "$K")" = 1
check "a ServiceMonitor (gateway, stt), a PodMonitor (workers), a PrometheusRule" \
  test "$(count "$K" ServiceMonitor)$(count "$K" PodMonitor)$(count "$K" PrometheusRule)" = 111
dashboard_ok() {
  "$PY" - "$K" "$CHART/dashboards/isim.json" <<'PY'
import json, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
cm = [d for d in docs if d["kind"] == "ConfigMap" and "isim.json" in d.get("data", {})]
assert len(cm) == 1 and cm[0]["metadata"]["labels"].get("grafana_dashboard") == "1"
assert json.loads(cm[0]["data"]["isim.json"]) == json.load(open(sys.argv[2]))
PY
}
check "the dashboard ConfigMap (grafana_dashboard label) holds dashboards/isim.json" dashboard_ok

say "scaled-out-values.yaml"
scaled_ok() {
  grep -q 'ISIM_KAFKA_TOPIC_PARTITIONS: "interview.audio-extracted=12,interview.converted=8,interview.status=8,interview.uploaded=12"' "$S" &&
    has "$(doc "$S" Deployment isim-converter)" 'replicas: 12' && has "$(doc "$S" Deployment isim-result-writer)" 'replicas: 8' &&
    [[ $(count "$S" PodDisruptionBudget) == 7 ]]
}
check "12 converters on 12 partitions, 8 result-writers, per-topic partitions in the ConfigMap, 7 budgets" scaled_ok

say "external-tls-values.yaml"
tls_config_ok() {
  local c
  c=$(doc "$E" ConfigMap isim)
  has "$c" 'ISIM_KAFKA_SECURITY_PROTOCOL: "sasl_ssl"' && has "$c" 'ISIM_KAFKA_SASL_MECHANISM: "SCRAM-SHA-512"' &&
    has "$c" 'ISIM_KAFKA_SASL_USERNAME: "isim"' && has "$c" 'ISIM_KAFKA_CA_FILE: "/etc/isim/ca/kafka/ca.crt"' &&
    has "$c" 'ISIM_REDIS_USERNAME: "isim"' && has "$c" 'ISIM_REDIS_TLS: "1"' &&
    has "$c" 'ISIM_REDIS_CA_FILE: "/etc/isim/ca/redis/ca.crt"' && has "$c" 'PGSSLMODE: "verify-full"' &&
    has "$c" 'PGSSLROOTCERT: "/etc/isim/ca/postgresql/ca.crt"' && has "$c" 'ISIM_S3_CA_FILE: "/etc/isim/ca/s3/ca.crt"' &&
    has "$c" 'ISIM_S3_CORS_ORIGINS: "https://isim.example.com,https://www.isim.example.com"' &&
    has "$c" 'ISIM_S3_PUBLIC_ENDPOINT: "https://media.example.com"'
}
check "ConfigMap: SASL_SSL with SCRAM-SHA-512, Redis ACL user over TLS, verify-full, the four CA files, CORS origins, public S3 address" tls_config_ok
check "Secret: ISIM_KAFKA_SASL_PASSWORD and ISIM_REDIS_PASSWORD" \
  bash -c 'grep -q "ISIM_KAFKA_SASL_PASSWORD:" <<<"$1" && grep -q "ISIM_REDIS_PASSWORD:" <<<"$1"' _ "$(doc "$E" Secret isim)"
keda_auth_ok() {
  local a
  a=$(doc "$E" TriggerAuthentication isim-kafka)
  has "$a" 'parameter: username' && has "$a" 'parameter: password' && has "$a" 'parameter: ca' &&
    has "$a" 'name: kafka-ca' && [[ $(grep -c 'sasl: scram_sha512' "$E") == 9 && $(grep -c 'tls: enable' "$E") == 9 ]]
}
check "KEDA: a TriggerAuthentication (username, password, CA); 9 triggers with sasl scram_sha512 and tls" keda_auth_ok
check "egress on the services' own ports: Kafka 9096, Redis 6380, S3 443" \
  bash -c 'grep -q "port: 9096" <<<"$1" && grep -q "port: 6380" <<<"$1" && grep -q "port: 443" <<<"$1"' _ \
  "$(doc "$E" NetworkPolicy isim-gateway)"

say "all-features-values.yaml, trial-values.yaml"
check "6 HPAs, 1 Ingress, no Secret (existingSecret), the hooks read it and run as serviceAccountName isim-hooks" \
  bash -c 'test "$(grep -c "^kind: HorizontalPodAutoscaler$" "$1")$(grep -c "^kind: Ingress$" "$1")$(grep -c "^kind: Secret$" "$1" || true)" = 610 &&
    grep -q "serviceAccountName: isim-hooks" "$1" && grep -A1 "secretRef:" "$1" | grep -q "name: isim-credentials"' _ "$A"
check "a converter whose extraEnv sets ISIM_STAGE_TIMEOUT_S 1200 gets 1260 s to stop" \
  has "$(doc "$A" Deployment isim-converter)" 'terminationGracePeriodSeconds: 1260'
check "trial: single replicas, no budgets, replication factor 1" \
  bash -c 'test "$(grep -c "^kind: PodDisruptionBudget$" "$1" || true)" = 0 && grep -q "ISIM_KAFKA_REPLICATION_FACTOR: \"1\"" "$1"' _ "$T"

say "values the chart refuses"
refused() { # refused MESSAGE HELM-ARGS...: rendering fails, saying MESSAGE
  local out
  if out=$(render "${@:2}" 2>&1); then return 1; fi
  has "$out" "$1" || { printf '          got: %s\n' "$out" | head -3; return 1; }
}
accepted() { render "$@" >/dev/null; }
check "replicas above the partitions" refused \
  "services.converter.replicas is 5 but converter (consumer group isim-converter) reads interview.uploaded, which has 4 partitions" \
  --set services.converter.replicas=5
check "...accepted once the topic has as many partitions" accepted \
  --set services.converter.replicas=5 --set 'kafka.topicPartitions.interview\.uploaded=5'
check "HPA maxReplicas above the partitions" refused \
  "services.transcriber.autoscaling.maxReplicas is 6 but transcriber (consumer group isim-transcriber) reads interview.audio-extracted, which has 4 partitions" \
  --set services.transcriber.autoscaling.enabled=true --set services.transcriber.autoscaling.maxReplicas=6
check "KEDA maxReplicas above the largest partition count of the result-writer's five topics" refused \
  "services.resultWriter.autoscaling.maxReplicas is 9 but result-writer (consumer group isim-result-writer) reads 5 topics, the largest interview.status with 8 partitions" \
  --set keda.enabled=true --set services.resultWriter.autoscaling.maxReplicas=9 --set 'kafka.topicPartitions.interview\.status=8'
check "the published default credentials without the development flag" refused \
  "holds the chart's published default credentials" --set development.allowDefaultCredentials=false
check "...and accepted with credentials of one's own" accepted --set development.allowDefaultCredentials=false \
  --set secrets.pgDsn=postgresql://isim:s3cret@db:5432/isim --set secrets.s3AccessKey=ak --set secrets.s3SecretKey=sk
check "an empty secrets.pgDsn without existingSecret" refused "secrets.pgDsn is required" --set secrets.pgDsn=
check "a SASL protocol without a username" refused "needs kafka.sasl.username" --set kafka.securityProtocol=sasl_ssl
check "an unknown Kafka security protocol" refused 'kafka.securityProtocol "tls": use one of' --set kafka.securityProtocol=tls
check "verify-full without a CA Secret" refused "postgresql.sslmode verify-full needs postgresql.caSecret" \
  --set postgresql.sslmode=verify-full
check "partitions for an unknown topic" refused 'kafka.topicPartitions: "interview.uploads" is not one of the topics' \
  --set 'kafka.topicPartitions.interview\.uploads=8'

[[ $fails == 0 ]] || die "$fails check(s) failed"
say "helm/check.sh: all checks passed in $(($(date +%s) - start)) s"
