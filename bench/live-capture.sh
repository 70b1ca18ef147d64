#!/usr/bin/env bash
# Live capture under load between two lab pods: trafgen (netsniff-ng) runs inside the load
# generator pod's network namespace and sends UDP datagrams at a fixed packet rate through the pod's
# own eth0 to the frontend pod (64 flows, one per source port, to the discard port). Vigil
# (`vigil capture --pod shop-web/frontend`) and tcpdump capture the frontend pod's host-side veth at the
# same time with the same kernel buffer, so both see the same load. Prints the packets sent, and for
# each capturer the packets the kernel handed it, those it dropped (pcap's kernel statistics), and
# for Vigil the packets its pipeline analyzed.
# --apart: one capturer at a time, each under its own run of the same load (for a machine that cannot
# generate the rate while both capture: on two cores the sender, which also runs the kernel's delivery
# and taps, reaches about 180,000 packets/s with both capturing and about 190,000 with one).
# Uses the running lab, or brings one up and takes it down again on exit.
# usage: sudo bench/live-capture.sh [--apart] [PACKETS_PER_SECOND=200000] [SECONDS=10] [FRAME_BYTES=64]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/netns-pair.sh"
apart=
if [ "${1:-}" = --apart ]; then apart=1; shift; fi
rate=${1:-200000}
seconds=${2:-10}
size=${3:-64}
buffer_kib=32768
require_root "$@"
require_commands ip tcpdump trafgen
[ "$size" -ge 60 ] && [ "$size" -le 1514 ] || { echo "live-capture: FRAME_BYTES must be 60..1514" >&2; exit 2; }
"$root/vigil" --version >/dev/null
work=$(mktemp -d)
tcpdump_pid=; vigil_pid=; started_lab=
cleanup() {
  [ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null || true
  [ -n "$vigil_pid" ] && kill "$vigil_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "$started_lab" ] && "$root/vigil" lab down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! "$root/vigil" lab status --json >"$work/lab.json" 2>/dev/null; then
  echo "live-capture: no lab running; bringing one up (taken down on exit) …" >&2
  "$root/vigil" lab up >&2
  started_lab=1
  "$root/vigil" lab status --json >"$work/lab.json"
fi
# pod NAMESPACE WORKLOAD FIELD: a field (netns, ip) of the workload's pod (named WORKLOAD-…), from the lab status
pod() {
  python3 - "$work/lab.json" "$@" <<'PY'
import json, sys
status, ns, workload, field = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
print(next(p[field] for p in status["pods"] if p["namespace"] == ns and p["name"].startswith(workload + "-")))
PY
}
# host_veth NETNS: the host-side interface paired with the namespace's eth0
host_veth() {
  local peer; peer=$(ip -n "$1" -o link show eth0 | grep -Eo 'eth0@if[0-9]+' | cut -d f -f2)
  grep -lx "$peer" /sys/class/net/*/ifindex | cut -d/ -f5
}
src_ns=$(pod loadgen loadgen netns); src_ip=$(pod loadgen loadgen ip)
dst_ns=$(pod shop-web frontend netns); dst_ip=$(pod shop-web frontend ip); dst_if=$(host_veth "$dst_ns")
mac() { ip -n "$1" -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2; }
cat > "$work/udp.cfg" <<CFG
{
  eth(da=$(mac "$dst_ns"), sa=$(mac "$src_ns")),
  ipv4(saddr=$src_ip, daddr=$dst_ip, ttl=64),
  udp(sp=dinc(40000, 40063), dp=9),
  fill(0x41, $((size - 42)))
}
CFG

start_tcpdump() {
  tcpdump -i "$dst_if" -n -B "$buffer_kib" -w /dev/null 2>"$work/tcpdump.err" &
  tcpdump_pid=$!
  sleep 1
}
stop_tcpdump() {
  kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true; tcpdump_pid=
}
start_vigil() {
  "$root/vigil" capture --pod shop-web/frontend --jsonl /dev/null --buffer-size $((buffer_kib * 1024)) 2>"$work/vigil.err" &
  vigil_pid=$!
  for _ in $(seq 1 300); do grep -q "capturing on" "$work/vigil.err" 2>/dev/null && break; sleep 0.1; done
  grep -q "capturing on" "$work/vigil.err" || { cat "$work/vigil.err" >&2; echo "live-capture: vigil did not start" >&2; exit 1; }
  sleep 1
}
stop_vigil() {
  kill -TERM "$vigil_pid" 2>/dev/null || true; wait "$vigil_pid" 2>/dev/null || true; vigil_pid=
}
count=$((rate * seconds))
# send LABEL: runs the load once and prints what was sent
send() {
  echo "live-capture: $rate packets/s of $size-byte UDP frames for $seconds s, $src_ip ($src_ns) -> $dst_ip:9, capturing on $dst_if ($1)" >&2
  local start elapsed sent
  start=$(date +%s.%N)
  ip netns exec "$src_ns" trafgen --dev eth0 --conf "$work/udp.cfg" --rate "${rate}pps" --num "$count" --cpus 1 -q \
    >"$work/trafgen.out" 2>&1
  elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  sent=$(grep -Eo '[0-9]+ packets outgoing' "$work/trafgen.out" | awk '{print $1}')
  printf "sent:    %12s packets in %s s (%s packets/s) while %s captured\n" "${sent:-?}" "$elapsed" \
    "$(awk -v n="${sent:-0}" -v s="$elapsed" 'BEGIN { printf "%.0f", n / s }')" "$1"
  sleep 2
}

if [ -n "$apart" ]; then
  start_vigil; send "vigil"; stop_vigil
  start_tcpdump; send "tcpdump"; stop_tcpdump
else
  start_tcpdump; start_vigil; send "vigil and tcpdump"; stop_tcpdump; stop_vigil
fi

v_line=$(grep -E "^vigil: $dst_if: .* packets received" "$work/vigil.err" | tail -1)
v_recv=$(echo "$v_line" | sed -E 's/.*: ([0-9,]+) packets received.*/\1/' | tr -d ,)
v_drop=$(echo "$v_line" | sed -E 's/.*received, ([0-9,]+) dropped by the kernel.*/\1/' | tr -d ,)
v_seen=$(grep -Eo '[0-9,]+ packets analyzed' "$work/vigil.err" | tail -1 | awk '{print $1}' | tr -d ,)
t_capt=$(grep -E "packets captured" "$work/tcpdump.err" | awk '{print $1}')
t_recv=$(grep -E "received by filter" "$work/tcpdump.err" | awk '{print $1}')
t_drop=$(grep -E "dropped by kernel" "$work/tcpdump.err" | awk '{print $1}')
printf "vigil:   %12s received %12s dropped by the kernel %12s analyzed\n" "${v_recv:-?}" "${v_drop:-?}" "${v_seen:-?}"
printf "tcpdump: %12s received %12s dropped by the kernel %12s written\n" "${t_recv:-?}" "${t_drop:-?}" "${t_capt:-?}"
if [ -n "${v_drop:-}" ] && [ -n "${t_drop:-}" ]; then
  if [ "$v_drop" -le "$t_drop" ]; then echo "result: vigil dropped no more than tcpdump"; else echo "result: vigil dropped MORE than tcpdump"; fi
fi
