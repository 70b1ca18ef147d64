#!/usr/bin/env bash
# Whole-program throughput on one capture file: Vigil (`vigil pcap analyze`, every log on, output
# discarded) against tshark extracting the same Layer-7 fields with -T fields, and against
# `tcpdump -r FILE -w /dev/null` (reading and writing packets only). Prints wall time, MB/s, peak RSS
# and the ratios the acceptance criteria name (Vigil/tshark >= 20, Vigil/tcpdump >= 0.3). Ratios are
# computed on CPU time (user + system) as well as wall time: on a shared machine CPU time is the
# fair measure, wall time the one a user sees when the machine is idle.
# usage: bench/pcap-throughput.sh FILE.pcap [--no-tshark]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
file=${1:?usage: bench/pcap-throughput.sh FILE.pcap [--no-tshark]}
run_tshark=1
[ "${2:-}" = "--no-tshark" ] && run_tshark=0
for c in tcpdump /usr/bin/time; do
  command -v "$c" >/dev/null || { echo "pcap-throughput: missing $c: install the packages in scripts/system-packages.txt" >&2; exit 1; }
done
. "$root/scripts/find-jdk.sh"
"$root/vigil" --version >/dev/null   # builds the jar when sources changed
jar="$root/cli/target/vigil.jar"
bytes=$(stat -c %s "$file")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
cat "$file" > /dev/null              # same page-cache state for every tool

# measure NAME COMMAND... : wall and CPU seconds and peak RSS into $secs, $cpu, $rss
measure() {
  local name=$1; shift
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >/dev/null 2>/dev/null || { echo "$name failed: $*" >&2; rm -f "$t"; exit 1; }
  read -r secs user sys rss < <(tail -1 "$t"); rm -f "$t"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf "%-8s wall %7.2f s %8.1f MB/s   cpu %7.2f s %8.1f MB/s   peak RSS %6d MiB\n" "$name" "$secs" \
    "$(awk -v m="$mb" -v s="$secs" 'BEGIN { print m / (s > 0 ? s : 0.01) }')" "$cpu" \
    "$(awk -v m="$mb" -v s="$cpu" 'BEGIN { print m / (s > 0 ? s : 0.01) }')" $((rss / 1024))
}

ratio() {
  awk -v name="$1" -v vw="$2" -v vc="$3" -v ow="$4" -v oc="$5" -v target="$6" 'BEGIN {
    printf "%-14s wall %6.2fx  cpu %6.2fx  (target >= %s)\n", name, ow / vw, oc / (vc > 0 ? vc : 0.01), target }'
}

echo "file: $file ($mb MB, $(tcpdump -r "$file" 2>/dev/null | wc -l) packets)"
measure vigil "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${VIGIL_JAVA_OPTS:-} -jar "$jar" pcap analyze --quiet --logs conn,http,http2,dns,ssl,ssh,postgresql,mysql,redis,kafka,mongodb,notice,weird "$file"
vigil_s=$secs; vigil_c=$cpu
measure tcpdump tcpdump -r "$file" -w /dev/null
tcpdump_s=$secs; tcpdump_c=$cpu
if [ "$run_tshark" = 1 ]; then
  command -v tshark >/dev/null || { echo "pcap-throughput: missing tshark: sudo apt-get install tshark" >&2; exit 1; }
  measure tshark tshark -r "$file" -T fields -E separator=/t \
    -e frame.time_epoch -e ip.src -e ipv6.src -e tcp.srcport -e udp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport \
    -e udp.dstport -e tcp.stream -e udp.stream \
    -e http.request.method -e http.host -e http.request.uri -e http.request.version -e http.user_agent -e http.response.code \
    -e dns.id -e dns.qry.name -e dns.qry.type -e dns.flags.rcode -e dns.a -e dns.aaaa -e dns.resp.ttl \
    -e tls.handshake.version -e tls.handshake.ciphersuite -e tls.handshake.extensions_server_name \
    -e tls.handshake.extensions_alpn_str -e tls.handshake.ja3 \
    -e ssh.protocol -e pgsql.query -e mysql.query
  ratio vigil/tshark "$vigil_s" "$vigil_c" "$secs" "$cpu" 20
fi
ratio vigil/tcpdump "$vigil_s" "$vigil_c" "$tcpdump_s" "$tcpdump_c" 0.3
