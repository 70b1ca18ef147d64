#!/usr/bin/env bash
# Checks that `vigil pcap analyze` gives the same records on one thread and on several: runs every log
# with a fixed --uid-seed at --threads 1 and at each count given, and compares the sorted outputs (the
# multiset of records, uids included; the order differs by design). Exits 1 on any difference and
# prints the first differing lines. Used on the large mixed capture, which the tests cannot carry.
# usage: bench/pcap-parallel-check.sh FILE.pcap [THREADS...]   (default: 2 3)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
file=${1:?usage: bench/pcap-parallel-check.sh FILE.pcap [THREADS...]}
shift
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(2 3)
logs=conn,http,http2,dns,smtp,ssl,ssh,postgresql,mysql,redis,kafka,mongodb,stratum,notice,weird
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/vigil" pcap analyze --quiet --threads 1 --uid-seed 7 --logs "$logs" "$file" | LC_ALL=C sort > "$tmp/1"
echo "threads 1: $(wc -l < "$tmp/1") records"
status=0
for n in "${counts[@]}"; do
  "$root/vigil" pcap analyze --quiet --threads "$n" --uid-seed 7 --logs "$logs" "$file" | LC_ALL=C sort > "$tmp/$n"
  if cmp -s "$tmp/1" "$tmp/$n"; then
    echo "threads $n: $(wc -l < "$tmp/$n") records, the same multiset as threads 1"
  else
    echo "threads $n: $(wc -l < "$tmp/$n") records, DIFFERENT from threads 1:"
    diff "$tmp/1" "$tmp/$n" | head -10
    status=1
  fi
done
exit $status
