#!/usr/bin/env bash
# RBAC analysis at scale: generates a synthetic cluster of 10,000 roles (2,000 ClusterRoles, some
# aggregated, and 8,000 Roles in 200 namespaces) and 50,000 bindings (5,000 ClusterRoleBindings,
# 45,000 RoleBindings, 1-3 subjects each), then runs `vigil audit rbac` on it in a 512 MB heap and
# reports read, index and audit times, peak heap after GC, and a who-can query's time.
# Usage: bench/posture-rbac.sh [ROLES] [BINDINGS]   (defaults 10000 50000)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
roles=${1:-10000}
bindings=${2:-50000}
work=$(mktemp -d /tmp/vigil-bench-rbac.XXXXXX)
trap 'rm -rf "$work"' EXIT
cluster="$work/cluster.yaml"

awk -v roles="$roles" -v bindings="$bindings" 'BEGIN {
  srand(42);
  split("get list watch create update patch delete deletecollection bind escalate impersonate *", verbs, " ");
  split("pods pods/exec pods/log secrets configmaps services deployments deployments/scale */scale nodes serviceaccounts serviceaccounts/token roles rolebindings *", res, " ");
  split("- apps batch rbac.authorization.k8s.io *", groups, " "); groups[1] = "";
  cr = int(roles / 5); nsn = 200;
  for (i = 0; i < roles; i++) {
    cluster = (i < cr);
    print "---";
    print "apiVersion: rbac.authorization.k8s.io/v1";
    if (cluster) {
      print "kind: ClusterRole";
      print "metadata: {name: cr-" i ", labels: {bench/agg-" (i % 50) ": \"true\"}}";
      if (i % 100 == 0) { print "aggregationRule:"; print "  clusterRoleSelectors: [{matchLabels: {bench/agg-" (i % 50 + 1) % 50 ": \"true\"}}]"; print "rules: []"; continue }
    } else {
      print "kind: Role";
      print "metadata: {name: r-" i ", namespace: ns-" (i % nsn) "}";
    }
    print "rules:";
    n = 1 + int(rand() * 5);
    for (k = 0; k < n; k++) {
      if (cluster && rand() < 0.05) { print "- {nonResourceURLs: [\"/healthz\", \"/logs/*\"], verbs: [get]}"; continue }
      names = (rand() < 0.1) ? ", resourceNames: [obj-" int(rand() * 10) "]" : "";
      print "- {apiGroups: [\"" groups[1 + int(rand() * 5)] "\"], resources: [\"" res[1 + int(rand() * 15)] "\", \"" res[1 + int(rand() * 15)] "\"], verbs: [\"" verbs[1 + int(rand() * 12)] "\", \"" verbs[1 + int(rand() * 12)] "\"]" names "}";
    }
  }
  crb = int(bindings / 10);
  for (i = 0; i < bindings; i++) {
    print "---";
    print "apiVersion: rbac.authorization.k8s.io/v1";
    if (i < crb) {
      print "kind: ClusterRoleBinding"; print "metadata: {name: crb-" i "}";
      print "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr-" int(rand() * cr) "}";
    } else {
      ns = int(rand() * nsn);
      print "kind: RoleBinding"; print "metadata: {name: rb-" i ", namespace: ns-" ns "}";
      if (rand() < 0.5) { print "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr-" int(rand() * cr) "}" }
      else { print "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r-" (cr + ns + nsn * int(rand() * ((roles - cr) / nsn))) "}" }
    }
    print "subjects:";
    s = 1 + int(rand() * 3);
    for (k = 0; k < s; k++) {
      t = rand();
      if (t < 0.4) print "- {kind: User, name: user-" int(rand() * 5000) "}";
      else if (t < 0.6) print "- {kind: Group, name: group-" int(rand() * 500) "}";
      else print "- {kind: ServiceAccount, name: sa-" int(rand() * 50) ", namespace: ns-" int(rand() * nsn) "}";
    }
  }
}' > "$cluster"
echo "posture-rbac: generated $roles roles and $bindings bindings ($(du -h "$cluster" | cut -f1)) in $cluster" >&2

(cd "$root" && ./vigil --version >/dev/null)
export VIGIL_JAVA_OPTS="-Xmx512m -Xlog:gc:file=$work/gc.log"
start=$(date +%s%N)
/usr/bin/time -f "%U %S %M" -o "$work/time.txt" "$root/vigil" audit rbac -f "$cluster" --format json > "$work/findings.json" 2> "$work/err.txt"
end=$(date +%s%N)
cat "$work/err.txt" >&2
peak=$(grep -oE '[0-9]+M->[0-9]+M' "$work/gc.log" | sed -E 's/M->.*//' | sort -n | tail -1)
read -r user sys rss < "$work/time.txt"
echo "posture-rbac: findings=$(wc -l < "$work/findings.json") wall=$(( (end - start) / 1000000 )) ms cpu=${user}s user + ${sys}s sys (JVM start, YAML parsing, analysis, JSON output) max-rss=$((rss / 1024))M heap-limit=512M peak-heap-before-gc=${peak:-?}M load=$(cut -d' ' -f1 /proc/loadavg)"

export VIGIL_JAVA_OPTS="-Xmx512m"
start=$(date +%s%N)
"$root/vigil" audit rbac who-can get secrets -n ns-7 -f "$cluster" --format json > "$work/who.json" 2>/dev/null
end=$(date +%s%N)
echo "posture-rbac: who-can get secrets -n ns-7: $(grep -o '"kind"' "$work/who.json" | wc -l) subjects, wall=$(( (end - start) / 1000000 )) ms including load"
