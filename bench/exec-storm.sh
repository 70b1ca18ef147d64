#!/usr/bin/env bash
# Exec storm against the host sensor: launches a known number of execs per second inside a container
# for a given time and prints the execs launched, the execve events received, the loss and the CPU
# time the sensor (vigil host watch) used.
#
#   sudo bench/exec-storm.sh [RATE_PER_SECOND] [SECONDS] [SPAWNERS] [WARMUP_SECONDS]
#                                                            (defaults: 4500 30 2 0)
#
# With WARMUP_SECONDS > 0 a storm at the same rate runs first, unmeasured (its execs are not counted
# either), so that the measured window shows the sensor in steady state, after the JIT compiled it.
#
# Where: VIGIL_BENCH_TARGET=lab (the default when this build has `vigil lab`) runs the storm in the
# lab's shop-api/api container — bringing a lab up, and down again, when none is running — with the
# sensor resolving pods through the lab's API server; VIGIL_BENCH_TARGET=own uses a runc container of
# its own (busybox-static image on overlayfs, kubelet-style cgroup /kubepods/besteffort/pod<uid>/<id>,
# a network namespace vigilbench-*), removed at the end.
# Each spawner is the static test probe (host/src/test/resources/dev/vigil/host/probe.c), copied into
# the container, doing vfork+execve of busybox `true` at RATE/SPAWNERS per second. Needs root, runc,
# gcc (static libc), ip.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
rate=${1:-4500}
seconds=${2:-30}
spawners=${3:-2}
warmup=${4:-0}
[ "$(id -u)" -eq 0 ] || { echo "exec-storm: needs root (runc, cgroups, the sensor): sudo $0 $*" >&2; exit 1; }
for c in runc gcc ip mount; do
  command -v "$c" >/dev/null || { echo "exec-storm: missing $c: apt-get install runc gcc libc6-dev iproute2" >&2; exit 1; }
done
per=$((rate / spawners))
target=${VIGIL_BENCH_TARGET:-}
if [ -z "$target" ]; then
  if "$root/vigil" lab --help >/dev/null 2>&1; then target=lab; else target=own; fi
fi
lab_started=""
copied=()
runc_root=()
kube_opts=()

work=$(mktemp -d /tmp/vigil-bench.XXXXXX)
id=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
uid="vigil-bench-${id:0:8}"
netns="vigilbench-${id:0:8}"   # not "vigil-*": the lab sweeps those
sensor_pid=""
cleanup() {
  set +e
  [ -n "$sensor_pid" ] && kill -TERM "$sensor_pid" 2>/dev/null && wait "$sensor_pid" 2>/dev/null
  for f in "${copied[@]}"; do rm -f "$f"; done
  [ -n "$lab_started" ] && "$root/vigil" lab down >/dev/null 2>&1
  [ "$target" = own ] && runc delete -f "$id" >/dev/null 2>&1
  for ctl in /sys/fs/cgroup/*/kubepods/besteffort/pod"$uid"; do
    [ -d "$ctl/$id" ] && rmdir "$ctl/$id" 2>/dev/null
    [ -d "$ctl" ] && rmdir "$ctl" 2>/dev/null
  done
  umount -l "$work/merged" 2>/dev/null
  ip netns del "$netns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work"
gcc -static -O2 -o "$work/probe" "$root/host/src/test/resources/dev/vigil/host/probe.c"
if [ "$target" = lab ]; then
  if ! "$root/vigil" lab status --json >"$work/lab.json" 2>/dev/null; then
    echo "exec-storm: bringing the lab up …" >&2
    "$root/vigil" lab up >&2
    lab_started=1
    "$root/vigil" lab status --json >"$work/lab.json"
  fi
  read -r kubeconfig id cpid < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
pod = next(p for p in s["pods"] if p["namespace"] == "shop-api")
c = pod["containers"][0]
print(s["kubeconfig"], c["id"], c["pid"])' "$work/lab.json")
  runc_root=(--root /run/vigil-lab/runc)
  kube_opts=(--kubeconfig "$kubeconfig")
  croot="/proc/$cpid/root"
  storm=/tmp/vigil-storm
  warm=/tmp/vigil-warmup
  true_bin=$( [ -e "$croot/bin/true" ] && echo /bin/true || echo /usr/bin/true )
  cp "$work/probe" "$croot$storm"; copied+=("$croot$storm")
  cp "$work/probe" "$croot$warm"; copied+=("$croot$warm")   # another name: its execs are not counted
  echo "exec-storm: target: lab pod shop-api, container ${id:0:12}" >&2
else
  echo "exec-storm: building the image and the container …" >&2
  storm=/bin/probe
  warm=/bin/warmup
  true_bin=/bin/true
  mkdir -p "$work"/image/{bin,etc,proc,dev,sys,tmp} "$work"/{upper,work,merged}
  cp /usr/bin/busybox "$work/image/bin/busybox"
  cp "$work/probe" "$work/image/bin/probe"
  cp "$work/probe" "$work/image/bin/warmup"   # another name: its execs are not counted
  ln -s busybox "$work/image/bin/true"
  ln -s busybox "$work/image/bin/sleep"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$work/image/etc/passwd"
  mount -t overlay overlay -o "lowerdir=$work/image,upperdir=$work/upper,workdir=$work/work" "$work/merged"
  ip netns add "$netns"
  cat > "$work/config.json" <<EOF
{"ociVersion":"1.0.2-dev",
 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":["/bin/sleep","3600"],"env":["PATH=/bin"],"cwd":"/"},
 "root":{"path":"$work/merged","readonly":false},
 "hostname":"exec-storm",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
   {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","mode=755","size=65536k"]}],
 "linux":{"cgroupsPath":"/kubepods/besteffort/pod$uid/$id",
   "namespaces":[{"type":"pid"},{"type":"network","path":"/var/run/netns/$netns"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]}}
EOF
  runc run -d --bundle "$work" "$id" </dev/null >/dev/null 2>"$work/runc.err" || { cat "$work/runc.err" >&2; exit 1; }
fi

echo "exec-storm: starting the sensor (vigil host watch) …" >&2
"$root/vigil" --version >/dev/null   # builds the jar when needed, outside the measurement
mkfifo "$work/events"
"$root/vigil" host watch "${kube_opts[@]}" --jsonl "$work/events" --stats-interval 0 2>"$work/sensor.err" &
sensor_pid=$!
# Count execve events of the storm (children of the probe) in this container as they stream by.
tee >(grep -F '"log":"host_stats"' >"$work/stats") <"$work/events" | grep -F '"evt.type":"execve"' \
  | grep -F "\"container.full_id\":\"$id\"" | grep -cF "\"proc.pname\":\"${storm##*/}\"" >"$work/received" &
counter=$!
for _ in $(seq 1 300); do
  grep -q "sensors started" "$work/sensor.err" 2>/dev/null && break
  kill -0 "$sensor_pid" 2>/dev/null || { cat "$work/sensor.err" >&2; exit 1; }
  sleep 0.1
done
# The launcher execs java: the sensor's pid is the JVM's.
cpu() { awk '{print $14 + $15}' "/proc/$sensor_pid/stat"; }
ticks=$(getconf CLK_TCK)

if [ "$warmup" -gt 0 ]; then
  echo "exec-storm: warming up for $warmup s (not measured) …" >&2
  warm_pids=()
  for i in $(seq 1 "$spawners"); do
    runc "${runc_root[@]}" exec "$id" "$warm" storm "$per" "$warmup" "$true_bin" >/dev/null 2>&1 &
    warm_pids+=($!)
  done
  wait "${warm_pids[@]}" || true
  sleep 1
fi
echo "exec-storm: $spawners spawners × $per execs/s for $seconds s …" >&2
cpu_before=$(cpu)
start=$(date +%s.%N)
spawner_pids=()
for i in $(seq 1 "$spawners"); do
  runc "${runc_root[@]}" exec "$id" "$storm" storm "$per" "$seconds" "$true_bin" >"$work/spawner.$i" 2>&1 &
  spawner_pids+=($!)
done
wait "${spawner_pids[@]}" || echo "exec-storm: a spawner failed: $(cat "$work"/spawner.* | grep -v "^[0-9]")" >&2
end=$(date +%s.%N)
sleep 2
cpu_after=$(cpu)
for t in /proc/$sensor_pid/task/*; do
  printf '%s %s\n' "$(awk '{print $14 + $15}' "$t/stat")" "$(cat "$t/comm")"
done | sort -rn | head -6 >"$work/threads"
cp "/proc/$sensor_pid/stat" "$work/final.stat"
kill -TERM "$sensor_pid"
wait "$sensor_pid" 2>/dev/null || true
sensor_pid=""
wait "$counter" 2>/dev/null || true

launched=$(awk '{s += $1} END {print s + 0}' "$work"/spawner.*)
received=$(cat "$work/received")
elapsed=$(echo "$end - $start" | bc -l)
[ "$launched" -gt 0 ] || { echo "exec-storm: no exec was launched" >&2; exit 1; }
cpu_s=$(echo "($cpu_after - $cpu_before) / $ticks" | bc -l)
window=$(echo "$elapsed + 2" | bc -l)
lost=$((launched - received))
printf 'execs launched:      %d in %.1f s (%.0f/s)\n' "$launched" "$elapsed" "$(echo "$launched / $elapsed" | bc -l)"
printf 'execve events:       %d\n' "$received"
printf 'lost:                %d (%.4f%%)\n' "$lost" "$(echo "100 * $lost / $launched" | bc -l)"
printf 'sensor CPU:          %.2f s over %.1f s = %.1f%% of one core\n' "$cpu_s" "$window" "$(echo "100 * $cpu_s / $window" | bc -l)"
printf "sensor user/system: %s\n" "$(awk -v t="$ticks" '{printf "%.2f s user, %.2f s system", $14/t, $15/t}' "$work/final.stat")"
printf 'busiest threads (ticks, whole run): %s\n' "$(tr '\n' ';' <"$work/threads")"
printf 'sensor counters:     %s\n' "$(sed -e 's/^{"log":"host_stats","ts":[0-9.]*,//' -e 's/}$//' "$work/stats" | tail -1)"
