#!/usr/bin/env bash
# Live capture under load: a sender in one namespace blasts UDP datagrams at a fixed rate to another
# through an address-less bridge; Vigil (`vigil capture`) and tcpdump capture the receiver's host-side
# veth at the same time, so both see the same load. Prints packets sent, and packets received and
# dropped by the kernel for Vigil and for tcpdump. Namespaces vigilbench-live-* are removed on exit.
# usage: sudo bench/live-capture.sh [PACKETS_PER_SECOND=200000] [SECONDS=10] [SIZE=64]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/netns-pair.sh"
rate=${1:-200000}
seconds=${2:-10}
size=${3:-64}
require_root "$@"
require_commands ip tcpdump
. "$root/scripts/find-jdk.sh"
"$root/vigil" --version >/dev/null
work=$(mktemp -d)
tcpdump_pid=; vigil_pid=
cleanup() {
  [ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null || true
  [ -n "$vigil_pid" ] && kill "$vigil_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  pair_down
  rm -rf "$work"
}
trap cleanup EXIT
pair_up live 10.252.2

tcpdump -i "$PAIR_S_IF" -n -B 32768 -w /dev/null 2>"$work/tcpdump.err" &
tcpdump_pid=$!
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${VIGIL_JAVA_OPTS:-} -jar "$root/cli/target/vigil.jar" \
  capture --iface "$PAIR_S_IF" --jsonl /dev/null --buffer-size 33554432 \
  2>"$work/vigil.err" &
vigil_pid=$!
for _ in $(seq 1 100); do grep -q "capturing on" "$work/vigil.err" 2>/dev/null && break; sleep 0.1; done
sleep 1
echo "live-capture: $rate packets/s of $size-byte UDP for $seconds s, $PAIR_C_IP -> $PAIR_S_IP:9" >&2
sent=$(ip netns exec "$PAIR_C" "$JAVA_HOME/bin/java" "$here/PacketSender.java" "$PAIR_S_IP" 9 "$rate" "$seconds" "$size")
sleep 1
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true; tcpdump_pid=
kill -TERM "$vigil_pid" 2>/dev/null || true; wait "$vigil_pid" 2>/dev/null || true; vigil_pid=

echo "sender:  $sent"
v_line=$(grep -E "^vigil: $PAIR_S_IF: .* packets received" "$work/vigil.err" | tail -1)
v_recv=$(echo "$v_line" | sed -E 's/.*: ([0-9,]+) packets received.*/\1/' | tr -d ,)
v_drop=$(echo "$v_line" | sed -E 's/.*received, ([0-9,]+) dropped by the kernel.*/\1/' | tr -d ,)
t_capt=$(grep -E "packets captured" "$work/tcpdump.err" | awk '{print $1}')
t_recv=$(grep -E "received by filter" "$work/tcpdump.err" | awk '{print $1}')
t_drop=$(grep -E "dropped by kernel" "$work/tcpdump.err" | awk '{print $1}')
printf "vigil:   %12s received %12s dropped by the kernel\n" "${v_recv:-?}" "${v_drop:-?}"
printf "tcpdump: %12s received %12s dropped by the kernel (%s written)\n" "${t_recv:-?}" "${t_drop:-?}" "${t_capt:-?}"
if [ -n "${v_drop:-}" ] && [ -n "${t_drop:-}" ]; then
  if [ "$v_drop" -le "$t_drop" ]; then echo "result: vigil dropped no more than tcpdump"; else echo "result: vigil dropped MORE than tcpdump"; fi
fi
