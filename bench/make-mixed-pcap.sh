#!/usr/bin/env bash
# Generates a large mixed-protocol pcap from real traffic: real servers (Python's HTTP server, Redis,
# dnsmasq, an OpenSSL TLS server, PostgreSQL, MariaDB, OpenSSH, nghttpd for cleartext HTTP/2, Python's
# SMTP server) in one namespace, over IPv4 and IPv6, real clients (bench/mixed-traffic.py, ssh,
# mariadb, nghttp) in another, captured by tcpdump on the server's host-side veth. Segmentation
# offloads are off, so frames are wire-sized (at most 1514 bytes) as on a physical link. Protocols
# without a server in Debian (Kafka, MongoDB) are appended from the corpus captures
# (../shared/corpora/pcaps/ndpi) when that folder is present. Everything runs in vigilbench-*
# namespaces and is removed on exit.
# usage: sudo bench/make-mixed-pcap.sh OUT.pcap [FLOWS=20000] [BIG_MB=200]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
. "$here/netns-pair.sh"
out=${1:?usage: sudo bench/make-mixed-pcap.sh OUT.pcap [FLOWS] [BIG_MB]}
flows=${2:-20000}
big_mb=${3:-200}
require_root "$@"
require_commands ip ethtool tcpdump redis-server dnsmasq openssl /usr/bin/python3 runuser /usr/sbin/sshd ssh ssh-keygen \
  mariadb-install-db mariadbd mariadb nghttpd nghttp mergecap
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
for ns in "$PAIR_C" "$PAIR_S"; do
  ip netns exec "$ns" ethtool -K eth0 tso off gso off gro off >/dev/null 2>&1 || true
done
for ifc in "$PAIR_C_IF" "$PAIR_S_IF"; do ethtool -K "$ifc" tso off gso off gro off >/dev/null 2>&1 || true; done

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
# MariaDB: user bench without password, reachable from the client
mkdir -p "$work/mysql" "$work/mysqlrun" && chown mysql "$work/mysql" "$work/mysqlrun"
mariadb-install-db --user=mysql --datadir="$work/mysql" --auth-root-authentication-method=socket >/dev/null 2>&1
(ns mariadbd --user=mysql --datadir="$work/mysql" --bind-address="$PAIR_S_IP" --port=3306 \
  --socket="$work/mysqlrun/mysql.sock" --pid-file="$work/mysqlrun/mysql.pid" --skip-log-bin --skip-name-resolve \
  >"$work/mysql.log" 2>&1 &)
# OpenSSH: a throw-away host key; clients get as far as authentication (none is configured)
ssh-keygen -q -t ed25519 -N '' -f "$work/ssh_host_ed25519_key"
mkdir -p /run/sshd
ns /usr/sbin/sshd -f /dev/null -h "$work/ssh_host_ed25519_key" -o ListenAddress="$PAIR_S_IP" -o PidFile="$work/sshd.pid" \
  -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o UsePAM=no -o MaxStartups=100:30:200
# cleartext HTTP/2 (prior knowledge)
(ns nghttpd --no-tls -d "$work/www" -a "$PAIR_S_IP" 8081 >/dev/null 2>&1 &)
# SMTP
(ns /usr/bin/python3 -W ignore -m smtpd -n -c DebuggingServer "$PAIR_S_IP:25" >/dev/null 2>&1 &)
for port in 5432 3306 22 8081 25; do
  for _ in $(seq 1 100); do ip netns exec "$PAIR_C" bash -c "echo >/dev/tcp/$PAIR_S_IP/$port" 2>/dev/null && break; sleep 0.2; done
done
for _ in $(seq 1 50); do [ -S "$work/mysqlrun/mysql.sock" ] && break; sleep 0.2; done
mariadb --socket="$work/mysqlrun/mysql.sock" -u root -e "CREATE USER 'bench'@'%' IDENTIFIED BY ''; GRANT SELECT ON *.* TO 'bench'@'%';"

tcpdump -i "$PAIR_S_IF" -s 0 -B 65536 -w "$out" -U >/dev/null 2>"$work/tcpdump.err" &
tcpdump_pid=$!
sleep 1
echo "make-mixed-pcap: $flows flows, ${big_mb} MB of downloads from $PAIR_C_IP to $PAIR_S_IP …" >&2
ip netns exec "$PAIR_C" /usr/bin/python3 "$here/mixed-traffic.py" "$PAIR_S_IP" "$flows" "$big_mb" "$PAIR_S_IP6"
sleep 1
kill "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true; tcpdump_pid=
cat "$work/tcpdump.err" | grep -E "captured|dropped" >&2 || true
corpus="$here/../../shared/corpora/pcaps/ndpi/pcap"
if [ -d "$corpus" ]; then
  mergecap -a -F pcap -w "$work/merged.pcap" "$out" "$corpus/kafka.pcapng" "$corpus/mongodb.pcap" && mv "$work/merged.pcap" "$out"
  echo "make-mixed-pcap: appended Kafka and MongoDB from $corpus" >&2
fi
ls -l "$out" >&2
