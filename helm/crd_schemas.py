#!/usr/bin/env python3
"""Turns CustomResourceDefinition YAML files into JSON schemas kubeconform
loads from disk: OUT/<group>/<kind>_<version>.json (kubeconform's
{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json).

Strict like the Kubernetes schemas check.sh uses: an object that lists its
properties gets additionalProperties false (unless it allows unknown fields),
so a misspelt field in a ScaledObject fails as one in a Deployment does.

Usage: crd_schemas.py OUT CRD.yaml...
"""
import json
import os
import sys

import yaml


def strict(node):
    """additionalProperties: false wherever properties are listed and nothing else is allowed."""
    if isinstance(node, dict):
        if (node.get("type") == "object" and "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")):
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node


def main(out, paths):
    written = 0
    for path in paths:
        with open(path) as f:
            for crd in yaml.safe_load_all(f):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                group = crd["spec"]["group"]
                kind = crd["spec"]["names"]["kind"].lower()
                for version in crd["spec"]["versions"]:
                    schema = strict(version["schema"]["openAPIV3Schema"])
                    folder = os.path.join(out, group)
                    os.makedirs(folder, exist_ok=True)
                    with open(os.path.join(folder, f"{kind}_{version['name']}.json"), "w") as f:
                        json.dump(schema, f)
                    written += 1
    if not written:
        sys.exit("crd_schemas.py: no CustomResourceDefinition found")
    print(f"   {written} CRD schemas")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
