#!/usr/bin/env python3
"""Invariants every rendering of the chart must hold, whatever the values.

Usage: check_manifests.py REPO MANIFEST.yaml   (the output of helm template;
REPO: the repository, for the topics each worker reads, from its main.c)

Prints one "ok" or "FAIL" line per invariant (with what broke it) and exits 1
when any failed. Checked:
  pod security    every pod (Deployments, Jobs): runAsNonRoot, RuntimeDefault
                  seccomp, no service account token; every container:
                  read-only root filesystem, no privilege escalation, drop ALL,
                  cpu and memory requests, a memory limit
  autoscaling     a Deployment an HPA or a ScaledObject owns has no replicas
                  (and only one owner); the others have replicas
  partitions      a worker's replicas (or autoscaler maximum) do not exceed the
                  largest partition count of the topics it reads (ConfigMap)
  hooks           Jobs are pre-install,pre-upgrade hooks deleted before
                  re-creation and on success, with backoffLimit,
                  activeDeadlineSeconds, restartPolicy Never, `isim admin ...`;
                  everything they read exists before them (hook objects of a
                  lower weight or objects the chart does not create) and the
                  hook ConfigMap/Secret hold exactly the release's settings
  grace           a worker's terminationGracePeriodSeconds exceeds the stage
                  timeout its container sees
  pdb             each PodDisruptionBudget selects one Deployment's pods;
                  every Deployment with replicas > 1 or an autoscaler has one
  network policy  (when rendered) every pod is selected by a policy for
                  Ingress and Egress; ingress rules name ports; egress rules
                  name ports except the gateway's webhook rule (ipBlock only)
  ca files        every *_CA_FILE / PGSSLROOTCERT the ConfigMap names is a
                  read-only Secret mount in every pod of the isim image
  keda            ScaledObjects: group isim-<component>, earliest offsets,
                  an existing TriggerAuthentication that carries what the
                  triggers' sasl/tls need, min <= max
  secret          no empty value in a Secret (optional keys only when set)
"""
import sys

import yaml

from check_sources import source_workers

WORKERS = {"converter", "transcriber", "video-metrics", "text-metrics", "result-writer"}
HOOK = "helm.sh/hook"


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def by_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def name(d):
    return d["metadata"]["name"]


def component(d):
    return d["metadata"].get("labels", {}).get("app.kubernetes.io/component", "")


def annotations(d):
    return d["metadata"].get("annotations") or {}


def is_hook(d):
    return HOOK in annotations(d)


def weight(d):
    return int(annotations(d).get("helm.sh/hook-weight", "0"))


def pods(docs):
    """(owner, pod spec, pod labels) of every workload."""
    for d in docs:
        if d["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
            t = d["spec"]["template"]
            yield d, t["spec"], t["metadata"].get("labels", {})


def config(docs):
    """The release's ConfigMap data (the one without a hook annotation and with ISIM_KAFKA_BROKERS)."""
    for d in by_kind(docs, "ConfigMap"):
        if not is_hook(d) and "ISIM_KAFKA_BROKERS" in d.get("data", {}):
            return d["data"]
    raise SystemExit("check_manifests.py: no release ConfigMap")


def selects(selector, labels):
    ok = all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())
    for e in selector.get("matchExpressions") or []:
        if e["operator"] == "In":
            ok = ok and labels.get(e["key"]) in e["values"]
        else:
            raise SystemExit(f"check_manifests.py: operator {e['operator']} not handled")
    return ok


def check_pod_security(docs):
    fails = []
    for d, spec, _ in pods(docs):
        where = f"{d['kind']} {name(d)}"
        psc = spec.get("securityContext") or {}
        if psc.get("runAsNonRoot") is not True:
            fails.append(f"{where}: runAsNonRoot")
        if (psc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
            fails.append(f"{where}: seccompProfile RuntimeDefault")
        if spec.get("automountServiceAccountToken") is not False:
            fails.append(f"{where}: automountServiceAccountToken false")
        for c in spec.get("containers", []) + spec.get("initContainers", []):
            cw = f"{where} container {c['name']}"
            sc = c.get("securityContext") or {}
            if sc.get("readOnlyRootFilesystem") is not True:
                fails.append(f"{cw}: readOnlyRootFilesystem")
            if sc.get("allowPrivilegeEscalation") is not False:
                fails.append(f"{cw}: allowPrivilegeEscalation false")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                fails.append(f"{cw}: capabilities drop ALL")
            res = c.get("resources") or {}
            req, lim = res.get("requests") or {}, res.get("limits") or {}
            if "cpu" not in req or "memory" not in req:
                fails.append(f"{cw}: cpu and memory requests")
            if "memory" not in lim:
                fails.append(f"{cw}: memory limit")
    return fails


def owners(docs):
    """{Deployment name: [autoscaler kinds]}"""
    own = {}
    for d in by_kind(docs, "HorizontalPodAutoscaler") + by_kind(docs, "ScaledObject"):
        own.setdefault(d["spec"]["scaleTargetRef"]["name"], []).append(d["kind"])
    return own


def check_autoscaling(docs):
    fails, own = [], owners(docs)
    names = {name(d) for d in by_kind(docs, "Deployment")}
    for target, kinds in own.items():
        if target not in names:
            fails.append(f"{kinds} target {target}, which is not rendered")
        if len(kinds) > 1:
            fails.append(f"{target} has several autoscalers: {kinds}")
    for d in by_kind(docs, "Deployment"):
        if name(d) in own and "replicas" in d["spec"]:
            fails.append(f"{name(d)}: replicas set although {own[name(d)][0]} owns it")
        if name(d) not in own and "replicas" not in d["spec"]:
            fails.append(f"{name(d)}: no replicas and no autoscaler")
    return fails


def partitions(docs):
    cfg = config(docs)
    default = int(cfg["ISIM_KAFKA_PARTITIONS"])
    per = dict(p.split("=") for p in cfg["ISIM_KAFKA_TOPIC_PARTITIONS"].split(",") if p)
    return lambda topic: int(per.get(topic, default))


def check_partitions(docs, workers):
    fails, parts, own = [], partitions(docs), owners(docs)
    limits = {}
    for d in by_kind(docs, "HorizontalPodAutoscaler"):
        limits[d["spec"]["scaleTargetRef"]["name"]] = d["spec"]["maxReplicas"]
    for d in by_kind(docs, "ScaledObject"):
        limits[d["spec"]["scaleTargetRef"]["name"]] = d["spec"]["maxReplicaCount"]
    for d in by_kind(docs, "Deployment"):
        comp = component(d)
        if comp not in WORKERS:
            continue
        ceiling = max(parts(t) for t in workers[comp])
        n = limits[name(d)] if name(d) in own else d["spec"]["replicas"]
        if n > ceiling:
            fails.append(f"{name(d)}: up to {n} replicas, its topics have at most {ceiling} partitions")
    return fails


def check_hooks(docs):
    fails = []
    rendered = {(d["kind"], name(d)): d for d in docs}
    jobs = by_kind(docs, "Job")
    if not jobs:
        return fails
    for j in jobs:
        a, where = annotations(j), f"Job {name(j)}"
        if a.get(HOOK) != "pre-install,pre-upgrade":
            fails.append(f"{where}: helm.sh/hook pre-install,pre-upgrade")
        policies = set(a.get("helm.sh/hook-delete-policy", "").split(","))
        if not {"before-hook-creation", "hook-succeeded"} <= policies:
            fails.append(f"{where}: hook-delete-policy before-hook-creation,hook-succeeded")
        if "helm.sh/hook-weight" not in a:
            fails.append(f"{where}: hook-weight")
        s = j["spec"]
        if not isinstance(s.get("backoffLimit"), int) or not isinstance(s.get("activeDeadlineSeconds"), int):
            fails.append(f"{where}: backoffLimit and activeDeadlineSeconds")
        pod = s["template"]["spec"]
        if pod.get("restartPolicy") != "Never":
            fails.append(f"{where}: restartPolicy Never")
        for c in pod["containers"]:
            if c.get("command", [])[:2] != ["/usr/local/bin/isim", "admin"]:
                fails.append(f"{where}: runs {c.get('command')}, not isim admin")
            refs = [("ConfigMap", e["configMapRef"]["name"]) for e in c.get("envFrom", []) if "configMapRef" in e]
            refs += [("Secret", e["secretRef"]["name"]) for e in c.get("envFrom", []) if "secretRef" in e]
            if not refs:
                fails.append(f"{where}: reads no settings")
            for v in pod.get("volumes", []):
                if "secret" in v:
                    refs.append(("Secret", v["secret"]["secretName"]))
                if "configMap" in v:
                    refs.append(("ConfigMap", v["configMap"]["name"]))
            refs.append(("ServiceAccount", pod.get("serviceAccountName", "default")))
            for ref in refs:
                d = rendered.get(ref)
                if d is not None and not (is_hook(d) and weight(d) < weight(j)):
                    fails.append(f"{where}: reads {ref[0]} {ref[1]}, which is created after the hooks run")
    # The hook copies hold exactly what the services read.
    for kind, field in (("ConfigMap", "data"), ("Secret", "stringData")):
        hooks = [d for d in by_kind(docs, kind) if is_hook(d)]
        release = [d for d in by_kind(docs, kind) if not is_hook(d) and name(d) + "-hooks" in {name(h) for h in hooks}]
        for h in hooks:
            same = [r for r in release if name(r) + "-hooks" == name(h)]
            if same and same[0].get(field) != h.get(field):
                fails.append(f"hook {kind} {name(h)} differs from {name(same[0])}")
    for d in by_kind(docs, "NetworkPolicy"):
        if is_hook(d) and any(weight(d) >= weight(j) for j in jobs):
            fails.append(f"hook NetworkPolicy {name(d)} is not created before the Jobs")
    return fails


def env_value(container, cfg, key):
    for e in container.get("env", []):
        if e["name"] == key and "value" in e:
            return e["value"]
    return cfg.get(key)


def check_grace(docs):
    fails, cfg = [], config(docs)
    for d in by_kind(docs, "Deployment"):
        if component(d) not in WORKERS:
            continue
        spec = d["spec"]["template"]["spec"]
        timeout = int(env_value(spec["containers"][0], cfg, "ISIM_STAGE_TIMEOUT_S"))
        if spec.get("terminationGracePeriodSeconds", 30) <= timeout:
            fails.append(f"{name(d)}: terminationGracePeriodSeconds {spec.get('terminationGracePeriodSeconds')} <= stage timeout {timeout}")
    return fails


def check_pdb(docs):
    fails, own = [], owners(docs)
    covered = set()
    for p in by_kind(docs, "PodDisruptionBudget"):
        if "maxUnavailable" not in p["spec"] and "minAvailable" not in p["spec"]:
            fails.append(f"PDB {name(p)}: neither maxUnavailable nor minAvailable")
        hit = [d for d in by_kind(docs, "Deployment")
               if selects(p["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])]
        if len(hit) != 1:
            fails.append(f"PDB {name(p)} selects {len(hit)} Deployments")
        covered.update(name(d) for d in hit)
    for d in by_kind(docs, "Deployment"):
        if (d["spec"].get("replicas", 0) > 1 or name(d) in own) and name(d) not in covered:
            fails.append(f"{name(d)}: several pods but no PodDisruptionBudget")
    return fails


def check_network_policy(docs):
    policies = by_kind(docs, "NetworkPolicy")
    if not policies:
        return []
    fails = []
    for d, _, labels in pods(docs):
        mine = [p for p in policies if selects(p["spec"]["podSelector"], labels)]
        types = {t for p in mine for t in p["spec"].get("policyTypes", [])}
        if not {"Ingress", "Egress"} <= types:
            fails.append(f"{d['kind']} {name(d)}: not isolated for Ingress and Egress")
    for p in policies:
        for r in p["spec"].get("ingress", []):
            if not r.get("ports"):
                fails.append(f"{name(p)}: an ingress rule without ports")
        for r in p["spec"].get("egress", []):
            if r.get("ports"):
                continue
            webhook = component(p) == "gateway" and r.get("to") and all("ipBlock" in t for t in r["to"])
            if not webhook:
                fails.append(f"{name(p)}: an egress rule without ports")
    return fails


def check_ca_files(docs):
    fails, cfg = [], config(docs)
    dirs = {v.rsplit("/", 1)[0] for k, v in cfg.items() if k.endswith("_CA_FILE") or k == "PGSSLROOTCERT"}
    for d, spec, _ in pods(docs):
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for c in spec["containers"]:
            if c["name"] == "stt":
                continue
            mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
            for path in dirs:
                m = mounts.get(path)
                if not m or not m.get("readOnly") or "secret" not in volumes.get(m["name"], {}):
                    fails.append(f"{d['kind']} {name(d)}: no read-only Secret at {path}")
    return fails


def check_keda(docs):
    fails = []
    auths = {name(d): d for d in by_kind(docs, "TriggerAuthentication")}
    for so in by_kind(docs, "ScaledObject"):
        comp, s = component(so), so["spec"]
        if s["minReplicaCount"] > s["maxReplicaCount"]:
            fails.append(f"{name(so)}: minReplicaCount > maxReplicaCount")
        for t in s["triggers"]:
            m = t["metadata"]
            if t["type"] != "kafka" or m.get("consumerGroup") != f"isim-{comp}":
                fails.append(f"{name(so)}: trigger {t['type']} group {m.get('consumerGroup')}")
            if m.get("offsetResetPolicy") != "earliest":
                fails.append(f"{name(so)}: offsetResetPolicy earliest")
            needs = set()
            if m.get("sasl"):
                needs |= {"username", "password"}
            ref = (t.get("authenticationRef") or {}).get("name")
            if needs and ref not in auths:
                fails.append(f"{name(so)}: sasl without a TriggerAuthentication")
            if ref:
                a = auths.get(ref)
                if not a:
                    fails.append(f"{name(so)}: TriggerAuthentication {ref} not rendered")
                    continue
                params = {p["parameter"] for k in ("secretTargetRef", "configMapTargetRef")
                          for p in a["spec"].get(k, [])}
                if not needs <= params:
                    fails.append(f"{ref}: lacks {sorted(needs - params)}")
    return fails


def check_secret(docs):
    return [f"Secret {name(d)}: {k} is empty" for d in by_kind(docs, "Secret")
            for k, v in (d.get("stringData") or {}).items() if v in ("", None)]


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    workers = source_workers(argv[0])
    docs = load(argv[1])
    checks = [("pod security", check_pod_security(docs)),
              ("autoscaling owns replicas", check_autoscaling(docs)),
              ("replicas within partitions", check_partitions(docs, workers)),
              ("hooks", check_hooks(docs)),
              ("worker grace period above stage timeout", check_grace(docs)),
              ("pod disruption budgets", check_pdb(docs)),
              ("network policies", check_network_policy(docs)),
              ("CA files mounted", check_ca_files(docs)),
              ("KEDA", check_keda(docs)),
              ("no empty secret value", check_secret(docs))]
    failed = 0
    for title, fails in checks:
        print(f"   {'ok  ' if not fails else 'FAIL'} {title}")
        for f in fails:
            print(f"          {f}")
        failed += bool(fails)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
