#!/usr/bin/env bash
# Generates a synthetic cluster (100,000 pods as one kind: List, in YAML and in JSON) and times
# `vigil audit pss` over each with a 512 MB heap. Usage: bench/posture-pss.sh [PODS]
# Acceptance: under 5 s per run with -Xmx512m. Wall time depends on what else runs on the machine;
# the CPU time (user + sys) is printed beside it.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
pods=${1:-100000}
work=$(mktemp -d /tmp/vigil-pss-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$pods" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
def pod(i):
    restricted = i % 3 == 0
    sc = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}} if restricted else \
         ({"privileged": True} if i % 50 == 1 else {})
    spec = {"containers": [{"name": "app", "image": "registry.local/app:1.%d" % (i % 40), "securityContext": sc,
                            "ports": [{"containerPort": 8080}]}],
            "serviceAccountName": "app"}
    if restricted:
        spec["securityContext"] = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
    if i % 97 == 5:
        spec["hostNetwork"] = True
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "pod-%d" % i, "namespace": "ns-%d" % (i % 200), "labels": {"app": "a%d" % (i % 40)}},
            "spec": spec}
items = [pod(i) for i in range(n)]
with open(work + "/cluster.json", "w") as f:
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
def y(v, ind):
    pad = "  " * ind
    if isinstance(v, dict):
        out = []
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append("%s%s:\n%s" % (pad, k, y(x, ind + 1)))
            else:
                out.append("%s%s: %s" % (pad, k, json.dumps(x)))
        return "\n".join(out)
    out = []
    for x in v:
        body = y(x, ind + 1).lstrip() if isinstance(x, dict) else json.dumps(x)
        out.append("%s- %s" % (pad, body))
    return "\n".join(out)
with open(work + "/cluster.yaml", "w") as f:
    f.write("apiVersion: v1\nitems:\n")
    for p in items:
        f.write(y([p], 0) + "\n")
    f.write("kind: List\nmetadata: {}\n")
PY
ls -l "$work"/cluster.* | awk '{print $5, $9}'
"$root/vigil" --version >/dev/null   # builds on first use
for f in cluster.json cluster.yaml; do
  for level in baseline restricted; do
    start=$(date +%s.%N)
    VIGIL_JAVA_OPTS="-Xmx512m" /usr/bin/time -f "%M %U %S" -o "$work/rss" \
      "$root/vigil" audit pss --level "$level" --format json -f "$work/$f" >"$work/out.jsonl" 2>"$work/err"
    end=$(date +%s.%N)
    read -r rss user sys <"$work/rss"
    printf '%-13s %-10s wall %6.2f s  cpu %6.2f s  max RSS %4d MB  %d lines  %s\n' "$f" "$level" \
      "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$(( rss / 1024 ))" "$(wc -l <"$work/out.jsonl")" \
      "$(tail -1 "$work/err")"
  done
done
