#!/usr/bin/env python3
"""Checks that the chart speaks of what the services' code really has.

  topics REPO MANIFEST   every worker's ScaledObject triggers name exactly the
                         topics its main.c subscribes to, with its group
  source-topics REPO     prints the topic names of common/kafka_worker.h
  metrics REPO MANIFEST DASHBOARD
                         every metric named in the PrometheusRule and in the
                         Grafana dashboard is exported by a service (C:
                         metrics_*("name", ...); stt: prometheus_client
                         Counter/Gauge/...) or is one of the documented
                         outside exporters' metrics below; and every exported
                         metric has a dashboard panel

A renamed topic or metric in the code fails the check. Exit status 1 on a
mismatch; prints what differs.
"""
import glob
import json
import os
import re
import sys

import yaml

# Metrics the chart reads from other exporters (README.md "Monitoring").
OUTSIDE_METRICS = {
    "kafka_consumergroup_lag": "kafka-exporter",
    "kube_deployment_status_replicas_unavailable": "kube-state-metrics",
}
PROMQL_WORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
                "group_right", "bool", "offset", "inf", "nan"}


def source_topics(repo):
    """{macro: topic} from common/kafka_worker.h."""
    text = open(os.path.join(repo, "common/kafka_worker.h")).read()
    return dict(re.findall(r'#define\s+(KW_TOPIC_\w+)\s+"([^"]+)"', text))


def source_workers(repo):
    """{service name: [topics]} from each services/<name>/main.c that subscribes."""
    macros = source_topics(repo)
    workers = {}
    for path in glob.glob(os.path.join(repo, "services/*/main.c")):
        text = open(path).read()
        m = re.search(r"topics\[\]\s*=\s*\{([^}]*)\}", text)
        name = re.search(r'\.name\s*=\s*"([^"]+)"', text)
        if m and name:
            workers[name.group(1)] = [macros[t] for t in re.findall(r"KW_TOPIC_\w+", m.group(1))]
    return workers


def source_metrics(repo):
    """Every metric name the services export, as Prometheus shows it."""
    names = set()
    for path in glob.glob(os.path.join(repo, "common/*.c")) + glob.glob(os.path.join(repo, "services/*/*.c")):
        names.update(re.findall(r'\bmetrics_\w+\(\s*"(\w+)"', open(path).read()))
    for path in glob.glob(os.path.join(repo, "services/stt/isim_stt/*.py")):
        for kind, name in re.findall(r'\b(Counter|Gauge|Histogram|Summary)\(\s*"(\w+)"', open(path).read()):
            if kind == "Counter":
                names.add(name if name.endswith("_total") else name + "_total")
            elif kind == "Gauge":
                names.add(name)
            else:
                names.update(name + s for s in ("_count", "_sum", "_bucket"))
    return names


def promql_metrics(expr):
    """Metric names in a PromQL expression: identifiers that are not functions,
    keywords, labels (in {...}, by (...)), durations or template variables."""
    e = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\$\{?\w+\}?", " ", e)
    names = set()
    for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][\w:]*)(\s*\()?", e):
        if not m.group(2) and m.group(1).lower() not in PROMQL_WORDS:
            names.add(m.group(1))
    return names


def load(manifest):
    with open(manifest) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def check_topics(repo, manifest):
    workers = source_workers(repo)
    if not workers:
        sys.exit("check_sources.py: found no worker in services/*/main.c")
    fails = []
    scaled = {d["metadata"]["name"]: d for d in load(manifest) if d["kind"] == "ScaledObject"}
    for name, topics in sorted(workers.items()):
        so = next((d for n, d in scaled.items() if n.endswith("-" + name)), None)
        if not so:
            fails.append(f"{name}: no ScaledObject")
            continue
        triggers = so["spec"]["triggers"]
        chart = [t["metadata"]["topic"] for t in triggers]
        groups = {t["metadata"]["consumerGroup"] for t in triggers}
        if sorted(chart) != sorted(topics):
            fails.append(f"{name}: the chart has {chart}, main.c subscribes to {topics}")
        if groups != {f"isim-{name}"}:
            fails.append(f"{name}: consumer groups {sorted(groups)}, the code uses isim-{name}")
    extra = set(n for n in scaled) - {n for n in scaled for w in workers if n.endswith("-" + w)}
    if extra:
        fails.append(f"ScaledObjects for no worker: {sorted(extra)}")
    return fails


def check_metrics(repo, manifest, dashboard):
    exported = source_metrics(repo)
    if not exported:
        sys.exit("check_sources.py: found no metric in the sources")
    used = {}
    for d in load(manifest):
        if d["kind"] == "PrometheusRule":
            for g in d["spec"]["groups"]:
                for r in g["rules"]:
                    for n in promql_metrics(r["expr"]):
                        used.setdefault(n, set()).add("rule " + r.get("alert", r.get("record", "?")))
    if not used:
        return ["no PrometheusRule expressions in " + manifest]
    board = json.load(open(dashboard))
    panel_metrics = set()
    for p in board["panels"]:
        for t in p.get("targets", []):
            for n in promql_metrics(t["expr"]):
                used.setdefault(n, set()).add("panel " + p["title"])
                panel_metrics.add(n)
    for v in board.get("templating", {}).get("list", []):
        q = v.get("definition", "")
        for n in re.findall(r"label_values\(\s*(\w+)\s*,", q):
            used.setdefault(n, set()).add("variable " + v["name"])
    fails = []
    for n, where in sorted(used.items()):
        if n not in exported and n not in OUTSIDE_METRICS:
            fails.append(f"{n} (in {', '.join(sorted(where))}) is exported by no service and is not a known outside metric")
    for n in sorted(exported - panel_metrics):
        fails.append(f"{n} is exported but has no dashboard panel")
    print(f"   {len(used)} metric names checked against {len(exported)} exported ones")
    return fails


def main(argv):
    if len(argv) >= 2 and argv[0] == "source-topics":
        print(" ".join(sorted(source_topics(argv[1]).values())))
        return 0
    if len(argv) == 3 and argv[0] == "topics":
        fails = check_topics(argv[1], argv[2])
    elif len(argv) == 4 and argv[0] == "metrics":
        fails = check_metrics(argv[1], argv[2], argv[3])
    else:
        sys.exit(__doc__)
    for f in fails:
        print("   " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
