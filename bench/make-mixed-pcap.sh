#!/usr/bin/env bash
# Generates a large mixed-protocol pcap from real traffic: real servers (Python's HTTP server, Redis,
# dnsmasq, an OpenSSL TLS server, PostgreSQL) in one namespace, over IPv4 and IPv6, real clients (bench/mixed-traffic.py) in another,
# captured by tcpdump on the server's host-side veth. Everything runs in vigilbench-* namespaces and
# is removed on exit.
# usage: sudo bench/make-mixed-pcap.sh OUT.pcap [FLOWS=20000] [BIG_MB=200]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
. "$here/netns-pair.sh"
out=${1:?usage: sudo bench/make-mixed-pcap.sh OUT.pcap [FLOWS] [BIG_MB]}
flows=${2:-20000}
big_mb=${3:-200}
require_root "$@"
require_commands ip tcpdump redis-server dnsmasq openssl /usr/bin/python3 runuser
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/postgres" ] || { echo "make-mixed-pcap: PostgreSQL server missing: sudo apt-get install postgresql" >&2; exit 1; }
out=$(readlink -f "$out")
work=$(mktemp -d)
tcpdump_pid=
chmod 755 "$work"
cleanup() {
  [ -n "$tcpdump_pid" ] && kill "$tcpdump_pid" 2>/dev/null && wait "$tcpdump_pid" 2>/dev/null || true
  pair_down
  rm -rf "$work"
}
trap cleanup EXIT
pair_up gen 10.252.1

# content: 20 small pages and a 2 MB file
mkdir -p "$work/www"
for i in $(seq 0 19); do head -c $((500 + i * 300)) /dev/urandom | base64 > "$work/www/page$i.html"; done
head -c $((2 * 1024 * 1024)) /dev/urandom > "$work/www/big.bin"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench.test \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

ns() { ip netns exec "$PAIR_S" "$@"; }
(cd "$work/www" && ns /usr/bin/python3 -m http.server 8080 --bind "$PAIR_S_IP" >/dev/null 2>&1 &)
(cd "$work/www" && ns /usr/bin/python3 -m http.server 8080 --bind "$PAIR_S_IP6" >/dev/null 2>&1 &)
ns redis-server --bind "$PAIR_S_IP" --port 6379 --save '' --appendonly no --protected-mode no \
  --daemonize yes --dir "$work" --pidfile "$work/redis.pid" --logfile "$work/redis.log"
ns dnsmasq --no-resolv --no-hosts --listen-address="$PAIR_S_IP" --bind-interfaces --port 53 \
  --listen-address="$PAIR_S_IP6" --address=/bench.test/"$PAIR_S_IP" --address=/bench.test/"$PAIR_S_IP6" \
  --pid-file="$work/dnsmasq.pid" --cache-size=0 --log-facility=/dev/null
(ns openssl s_server -quiet -accept 443 -www -cert "$work/cert.pem" -key "$work/key.pem" >/dev/null 2>&1 &)
mkdir -p "$work/pg" "$work/pgsock" && chown postgres "$work/pg" "$work/pgsock"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
echo "host all all $PAIR_C_IP/32 trust" >> "$work/pg/pg_hba.conf"
(ns runuser -u postgres -- "$pg_bin/postgres" -D "$work/pg" -c listen_addresses="$PAIR_S_IP" -p 5432 \
  -c unix_socket_directories="$work/pgsock" -c max_connections=50 -c fsync=off >"$work/pg.log" 2>&1 &)
for _ in $(seq 1 50); do ip netns exec "$PAIR_C" bash -c "echo >/dev/tcp/$PAIR_S_IP/5432" 2>/dev/null && break; sleep 0.2; done

tcpdump -i "$PAIR_S_IF" -s 0 -B 65536 -w "$out" -U >/dev/null 2>"$work/tcpdump.err" &
tcpdump_pid=$!
sleep 1
echo "make-mixed-pcap: $flows flows, ${big_mb} MB of downloads from $PAIR_C_IP to $PAIR_S_IP …" >&2
ip netns exec "$PAIR_C" /usr/bin/python3 "$here/mixed-traffic.py" "$PAIR_S_IP" "$flows" "$big_mb" "$PAIR_S_IP6"
sleep 1
kill "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true; tcpdump_pid=
cat "$work/tcpdump.err" | grep -E "captured|dropped" >&2 || true
ls -l "$out" >&2
