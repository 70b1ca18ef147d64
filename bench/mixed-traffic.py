#!/usr/bin/python3
"""Client side of bench/make-mixed-pcap.sh: real protocol clients talking to real servers.

Each unit of work opens its own connection (or UDP socket), so the number of flows is controlled:
HTTP/1.1 GETs of small pages (a fifth over IPv6) and of a large file (for volume), DNS queries over
UDP (a fifth over IPv6), TLS handshakes with SNI followed by an encrypted request, Redis SET/GET
sessions, PostgreSQL sessions (startup, simple query, terminate; the server trusts the client), and
a few in a hundred: MariaDB queries (the mariadb client), SSH key exchanges (the ssh client, refused at
authentication), cleartext HTTP/2 (nghttp with prior knowledge) and SMTP mail (smtplib).
Runs inside the client namespace; every address is the server namespace's.
"""
import smtplib, socket, ssl, subprocess, sys, threading, random, struct

server, flows, megabytes, server6 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
counts = {"http": 0, "http_big": 0, "dns": 0, "tls": 0, "redis": 0, "pgsql": 0, "mysql": 0, "ssh": 0, "http2": 0,
          "smtp": 0, "errors": 0}

def count(kind):
    with lock:
        counts[kind] += 1

def http(path, host=None):
    with socket.create_connection((host or server, 8080), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: bench.test\r\nUser-Agent: vigil-bench/1\r\nConnection: close\r\n\r\n".encode())
        while s.recv(65536):
            pass

def dns(i):
    q = struct.pack(">HHHHHH", i & 0xffff, 0x0100, 1, 0, 0, 0)
    for label in (f"host{i % 500}", "bench", "test"):
        q += bytes([len(label)]) + label.encode()
    q += b"\x00" + struct.pack(">HH", 1 if i % 3 else 28, 1)
    v6 = i % 5 == 0
    with socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(q, (server6 if v6 else server, 53))
        try:
            s.recv(2048)
        except socket.timeout:
            pass

ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(["http/1.1"])

def tls(i):
    with socket.create_connection((server, 443), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname=f"site{i % 50}.bench.test") as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            while s.recv(65536):
                pass

def redis(i):
    with socket.create_connection((server, 6379), timeout=10) as s:
        key = f"key:{i}"
        s.sendall(f"*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n${len(key)}\r\n{key}\r\n".encode())
        data = b""
        while data.count(b"\r\n") < 3:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk

def pgsql(i):
    with socket.create_connection((server, 5432), timeout=10) as s:
        params = b"user\0postgres\0database\0postgres\0application_name\0vigil-bench\0\0"
        s.sendall(struct.pack(">ii", 8 + len(params), 196608) + params)
        def until_ready():
            data = b""
            while True:
                while len(data) >= 5:
                    kind, length = data[0:1], struct.unpack(">i", data[1:5])[0]
                    if len(data) < 1 + length:
                        break
                    data = data[1 + length:]
                    if kind == b"Z":
                        return
                    if kind == b"E":
                        raise IOError("server error")
                chunk = s.recv(65536)
                if not chunk:
                    raise IOError("closed")
                data += chunk
        until_ready()
        query = f"select {i}, now(), repeat('x', {i % 100})\0".encode()
        s.sendall(b"Q" + struct.pack(">i", 4 + len(query)) + query)
        until_ready()
        s.sendall(b"X" + struct.pack(">i", 4))

def run(*command):
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)

def mysql(i):
    run("mariadb", "-h", server, "-u", "bench", "--skip-ssl", "-e", f"select {i}, now(), repeat('y', {i % 50})")

def ssh(i):
    run("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "ConnectTimeout=5", f"bench{i % 10}@{server}", "true")

def http2(i):
    base = f"http://{server}:8081"
    run("nghttp", "-n", f"{base}/page{i % 20}.html", f"{base}/page{(i + 1) % 20}.html")

def smtp(i):
    with smtplib.SMTP(server, 25, timeout=10) as s:
        s.sendmail(f"sender{i}@bench.test", [f"rcpt{i % 7}@bench.test"],
                   f"Subject: bench {i}\r\n\r\nmessage {i}\r\n")

work = []
big = max(0, megabytes // 2)
work += [("http_big", lambda i: http("/big.bin"))] * big
small = max(0, flows - big)
for i in range(small):
    r = i % 10
    if r < 3:
        work.append(("http", lambda i: http(f"/page{i % 20}.html", server6 if i % 5 == 0 else None)))
    elif r < 6:
        work.append(("dns", dns))
    elif r < 8:
        work.append(("redis", redis))
    elif r < 9:
        work.append(("pgsql", pgsql))
    elif i % 100 < 40:
        k = (i // 10) % 4
        work.append((("mysql", "ssh", "http2", "smtp")[k], (mysql, ssh, http2, smtp)[k]))
    else:
        work.append(("tls", tls))
random.Random(7).shuffle(work)

def worker(items):
    for n, (kind, fn) in items:
        try:
            fn(n)
            count(kind)
        except Exception:
            count("errors")

threads = []
per = 8
for t in range(per):
    items = [(n, w) for n, w in enumerate(work) if n % per == t]
    th = threading.Thread(target=worker, args=(items,))
    th.start()
    threads.append(th)
for th in threads:
    th.join()
print(" ".join(f"{k}={v}" for k, v in counts.items()), file=sys.stderr)
