package dev.vigil.cli.startup;

import dev.vigil.net.pcap.LinkType;
import dev.vigil.net.pcap.PcapWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the synthetic capture that the {@code ./vigil} launcher analyses once per build to train the
 * JVM's AOT cache (JEP 483/514/515): classes of {@code vigil pcap analyze} loaded and linked ahead of
 * time, and method profiles that let the JIT compile the hot paths early. The traffic is shaped like
 * the real thing, so the profiles are: complete TCP connections with handshakes and teardowns,
 * MSS-sized segments, HTTP/1.1 (fixed-length, chunked and bulk bodies), DNS over UDP, TLS 1.3
 * handshakes with SNI and ALPN, Redis, PostgreSQL, SSH banners, unidentified TCP, IPv4 and IPv6,
 * and a port scan.
 *
 * <p>Usage: {@code java -cp vigil.jar dev.vigil.cli.startup.TrainingCapture OUT.pcap [CONNECTIONS]}.
 */
public final class TrainingCapture {

    /** Connections written when the command line names no count. */
    public static final int DEFAULT_CONNECTIONS = 10_000;
    private static final int MSS = 1448;
    private static final int KINDS = 10;

    private final PcapWriter out;
    private final SplittableRandom random = new SplittableRandom(20_251_126L);
    private final ByteBuffer frame = ByteBuffer.allocate(1 << 16);
    private long ts = 1_764_000_000_000_000L;

    private TrainingCapture(PcapWriter out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TrainingCapture OUT.pcap [CONNECTIONS]");
            System.exit(2);
        }
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_CONNECTIONS;
        write(Path.of(args[0]), connections);
    }

    /** Writes {@code connections} connections (and a port scan) to {@code file}. */
    public static void write(Path file, int connections) throws IOException {
        try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET, PcapWriter.DEFAULT_SNAPLEN)) {
            TrainingCapture t = new TrainingCapture(writer);
            for (int i = 0; i < connections; i++) {
                t.connection(i);
            }
            t.portScan();
        }
    }

    private void connection(int i) {
        boolean v6 = (i / KINDS) % 5 == 4;
        Endpoints e = new Endpoints(v6, client(i), 0x0a00_0001 + (i % 16), 20_000 + (i % 40_000));
        switch (i % KINDS) {
            case 0, 1 -> http(e, i);
            case 2, 3 -> dns(e, i);
            case 4 -> tls(e, i);
            case 5 -> redis(e, i);
            case 6 -> postgres(e, i);
            case 7 -> ssh(e, i);
            case 8 -> unknownTcp(e);
            default -> {
                if (i % 100 == 9) {
                    bulkHttp(e);
                } else {
                    http(e, i);
                }
            }
        }
    }

    private static int client(int i) {
        return 0x0a01_0000 + (i % 4000);
    }

    private void http(Endpoints e, int i) {
        String request = "GET /page" + (i % 97) + ".html?q=" + i + " HTTP/1.1\r\nHost: train.test\r\n"
                + "User-Agent: vigil-train/1\r\nAccept: */*\r\n\r\n";
        byte[] body = bytes(300 + random.nextInt(3000));
        String head = i % 7 == 0
                ? "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] response = i % 7 == 0 ? concat(ascii(head), chunked(body)) : concat(ascii(head), body);
        tcp(e, 80, ascii(request), response);
    }

    private void bulkHttp(Endpoints e) {
        byte[] body = bytes(200_000);
        tcp(e, 8080, ascii("GET /big.bin HTTP/1.1\r\nHost: train.test\r\nUser-Agent: vigil-train/1\r\n\r\n"),
                concat(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"), body));
    }

    private void dns(Endpoints e, int i) {
        byte[] name = dnsName("host" + (i % 500) + ".train.test");
        int type = i % 3 == 0 ? 28 : 1;
        ByteBuffer q = ByteBuffer.allocate(512);
        q.putShort((short) i).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putInt(0);
        q.put(name).putShort((short) type).putShort((short) 1);
        byte[] query = copy(q);
        ByteBuffer r = ByteBuffer.allocate(512);
        r.putShort((short) i).putShort((short) 0x8180).putShort((short) 1).putShort((short) 2).putInt(0);
        r.put(name).putShort((short) type).putShort((short) 1);
        for (int a = 0; a < 2; a++) {
            r.putShort((short) 0xc00c).putShort((short) type).putShort((short) 1).putInt(300 + a);
            if (type == 1) {
                r.putShort((short) 4).putInt(0x0a00_0100 + a);
            } else {
                r.putShort((short) 16).putLong(0xfd00_0000_0000_0000L).putLong(a + 1);
            }
        }
        byte[] response = copy(r);
        int port = 30_000 + i % 30_000;
        udp(e, port, 53, query, true);
        ts += 300;
        udp(e, port, 53, response, false);
        ts += 1000;
    }

    private void tls(Endpoints e, int i) {
        byte[] sni = ascii("site" + (i % 50) + ".train.test");
        ByteBuffer ext = ByteBuffer.allocate(1024);
        ext.putShort((short) 0).putShort((short) (sni.length + 5)).putShort((short) (sni.length + 3)).put((byte) 0)
                .putShort((short) sni.length).put(sni);
        ext.putShort((short) 10).putShort((short) 8).putShort((short) 6).putShort((short) 29).putShort((short) 23)
                .putShort((short) 24);
        ext.putShort((short) 11).putShort((short) 2).put((byte) 1).put((byte) 0);
        ext.putShort((short) 13).putShort((short) 8).putShort((short) 6).putShort((short) 0x0403)
                .putShort((short) 0x0804).putShort((short) 0x0401);
        ext.putShort((short) 16).putShort((short) 14).putShort((short) 12).put((byte) 2).put(ascii("h2"))
                .put((byte) 8).put(ascii("http/1.1"));
        ext.putShort((short) 43).putShort((short) 5).put((byte) 4).putShort((short) 0x0304).putShort((short) 0x0303);
        ext.putShort((short) 51).putShort((short) 38).putShort((short) 36).putShort((short) 29).putShort((short) 32)
                .put(bytes(32));
        byte[] extensions = copy(ext);
        ByteBuffer hello = ByteBuffer.allocate(2048);
        hello.putShort((short) 0x0303).put(bytes(32)).put((byte) 32).put(bytes(32));
        hello.putShort((short) 8).putShort((short) 0x1301).putShort((short) 0x1302).putShort((short) 0xc02b)
                .putShort((short) 0xc02f);
        hello.put((byte) 1).put((byte) 0).putShort((short) extensions.length).put(extensions);
        byte[] clientHello = handshake(1, copy(hello));

        ByteBuffer sext = ByteBuffer.allocate(128);
        sext.putShort((short) 43).putShort((short) 2).putShort((short) 0x0304);
        sext.putShort((short) 51).putShort((short) 36).putShort((short) 29).putShort((short) 32).put(bytes(32));
        byte[] serverExtensions = copy(sext);
        ByteBuffer server = ByteBuffer.allocate(512);
        server.putShort((short) 0x0303).put(bytes(32)).put((byte) 0).putShort((short) 0x1301).put((byte) 0)
                .putShort((short) serverExtensions.length).put(serverExtensions);
        byte[] serverFlight = concat(handshake(2, copy(server)), new byte[] {0x14, 3, 3, 0, 1, 1},
                record(0x17, bytes(2000 + random.nextInt(2000))));
        byte[] clientFinish = concat(new byte[] {0x14, 3, 3, 0, 1, 1}, record(0x17, bytes(80)), record(0x17, bytes(300)));
        tcp(e, 443, clientHello, serverFlight, clientFinish, record(0x17, bytes(4000)));
    }

    private void redis(Endpoints e, int i) {
        String key = "key:" + i;
        byte[] set = ascii("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$5\r\nvalue\r\n");
        byte[] get = ascii("*2\r\n$3\r\nGET\r\n$" + key.length() + "\r\n" + key + "\r\n");
        tcp(e, 6379, set, ascii("+OK\r\n"), get, ascii("$5\r\nvalue\r\n"));
    }

    private void postgres(Endpoints e, int i) {
        byte[] params = ascii("user\0bench\0database\0bench\0application_name\0vigil-train\0\0");
        byte[] startup = ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196_608).put(params)
                .array();
        byte[] ready = pgMessage('Z', ascii("I"));
        byte[] hello = concat(pgMessage('R', new byte[4]), pgMessage('S', ascii("server_version\u000015.4\0")),
                pgMessage('K', bytes(8)), ready);
        byte[] query = pgMessage('Q', ascii("select " + i + ", now()\0"));
        ByteBuffer desc = ByteBuffer.allocate(64).putShort((short) 1).put(ascii("?column?\0")).putInt(0)
                .putShort((short) 0).putInt(23).putShort((short) 4).putInt(-1).putShort((short) 0);
        byte[] value = ascii(Integer.toString(i));
        byte[] row = ByteBuffer.allocate(6 + value.length).putShort((short) 1).putInt(value.length).put(value).array();
        byte[] result = concat(pgMessage('T', copy(desc)), pgMessage('D', row), pgMessage('C', ascii("SELECT 1\0")),
                ready);
        tcp(e, 5432, startup, hello, query, result, pgMessage('X', new byte[0]), new byte[0]);
    }

    private void ssh(Endpoints e, int i) {
        byte[] client = concat(ascii("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), kexInit());
        byte[] server = concat(ascii("SSH-2.0-OpenSSH_9.6\r\n"), kexInit());
        byte[] newKeys = sshPacket(21, new byte[0]);
        tcp(e, 22, client, server, concat(sshPacket(30, bytes(36)), newKeys), concat(sshPacket(31, bytes(500)), newKeys),
                bytes(3000), bytes(6000));
    }

    /** An SSH_MSG_KEXINIT (RFC 4253 section 7.1) offering what OpenSSH offers. */
    private byte[] kexInit() {
        String[] lists = {"curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256,ext-info-c",
            "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512", "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com",
            "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com", "hmac-sha2-256-etm@openssh.com,hmac-sha2-256",
            "hmac-sha2-256-etm@openssh.com,hmac-sha2-256", "none,zlib@openssh.com", "none,zlib@openssh.com", "", ""};
        ByteBuffer b = ByteBuffer.allocate(1024).put(bytes(16));
        for (String list : lists) {
            b.putInt(list.length()).put(ascii(list));
        }
        return sshPacket(20, copy(b.put((byte) 0).putInt(0)));
    }

    private void unknownTcp(Endpoints e) {
        tcp(e, 9000 + random.nextInt(100), bytes(100 + random.nextInt(900)), bytes(100 + random.nextInt(4000)));
    }

    /** One source trying 40 closed ports of one host: SYNs answered by resets. */
    private void portScan() {
        Endpoints e = new Endpoints(false, 0x0a09_0909, 0x0a00_0001, 50_000);
        for (int port = 1; port <= 40; port++) {
            segment(e, port, true, 2, 1000, 0, new byte[0]);
            ts += 50;
            segment(e, port, false, 4 | 16, 0, 1001, new byte[0]);
            ts += 50;
        }
    }

    /**
     * A whole TCP connection: handshake, then {@code messages} alternately from client and server (each
     * cut into MSS-sized segments, each answered by an ACK), then a FIN exchange.
     */
    private void tcp(Endpoints e, int port, byte[]... messages) {
        int clientSeq = random.nextInt();
        int serverSeq = random.nextInt();
        segment(e, port, true, 2, clientSeq, 0, new byte[0]);
        ts += 100;
        segment(e, port, false, 2 | 16, serverSeq, clientSeq + 1, new byte[0]);
        ts += 100;
        clientSeq++;
        serverSeq++;
        segment(e, port, true, 16, clientSeq, serverSeq, new byte[0]);
        for (int m = 0; m < messages.length; m++) {
            boolean fromClient = m % 2 == 0;
            byte[] message = messages[m];
            for (int at = 0; at < message.length; at += MSS) {
                int n = Math.min(MSS, message.length - at);
                byte[] piece = new byte[n];
                System.arraycopy(message, at, piece, 0, n);
                ts += 20;
                if (fromClient) {
                    segment(e, port, true, 8 | 16, clientSeq, serverSeq, piece);
                    clientSeq += n;
                } else {
                    segment(e, port, false, 8 | 16, serverSeq, clientSeq, piece);
                    serverSeq += n;
                }
                if ((at / MSS) % 2 == 1 || at + n == message.length) {
                    segment(e, port, !fromClient, 16, fromClient ? serverSeq : clientSeq,
                            fromClient ? clientSeq : serverSeq, new byte[0]);
                }
            }
        }
        ts += 200;
        segment(e, port, true, 1 | 16, clientSeq, serverSeq, new byte[0]);
        segment(e, port, false, 1 | 16, serverSeq, clientSeq + 1, new byte[0]);
        segment(e, port, true, 16, clientSeq + 1, serverSeq + 1, new byte[0]);
        ts += 500;
    }

    private void segment(Endpoints e, int port, boolean fromClient, int flags, int seq, int ack, byte[] payload) {
        ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
        t.putShort((short) (fromClient ? e.port : port)).putShort((short) (fromClient ? port : e.port));
        t.putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flags).putShort((short) 64_240).putInt(0).put(payload);
        packet(e, fromClient, 6, t.array());
    }

    private void udp(Endpoints e, int clientPort, int serverPort, byte[] payload, boolean fromClient) {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) (fromClient ? clientPort : serverPort)).putShort((short) (fromClient ? serverPort : clientPort));
        u.putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        packet(e, fromClient, 17, u.array());
    }

    private void packet(Endpoints e, boolean fromClient, int protocol, byte[] transport) {
        frame.clear();
        frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        int src = fromClient ? e.client : e.server;
        int dst = fromClient ? e.server : e.client;
        if (e.v6) {
            frame.putShort((short) 0x86dd).putInt(0x6000_0000).putShort((short) transport.length)
                    .put((byte) protocol).put((byte) 64);
            frame.putLong(0xfd00_7669_6769_6c00L).putLong(src).putLong(0xfd00_7669_6769_6c00L).putLong(dst);
        } else {
            frame.putShort((short) 0x0800).put((byte) 0x45).put((byte) 0).putShort((short) (20 + transport.length))
                    .putInt(0).put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(src).putInt(dst);
        }
        frame.put(transport);
        int length = frame.position();
        out.write(MemorySegment.ofArray(frame.array()), 0, length, length, ts);
    }

    private record Endpoints(boolean v6, int client, int server, int port) {
    }

    private static byte[] handshake(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + body.length);
        b.putInt(type << 24 | body.length).put(body);
        return record(0x16, b.array());
    }

    private static byte[] record(int type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putShort((short) 0x0303)
                .putShort((short) body.length).put(body).array();
    }

    private static byte[] pgMessage(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** A binary packet before encryption: length, padding length, type, payload, padding to a multiple of 8. */
    private byte[] sshPacket(int type, byte[] payload) {
        int padding = 8 - (5 + 1 + payload.length) % 8;
        padding += padding < 4 ? 8 : 0;
        return ByteBuffer.allocate(5 + 1 + payload.length + padding).putInt(1 + 1 + payload.length + padding)
                .put((byte) padding).put((byte) type).put(payload).put(new byte[padding]).array();
    }

    private static byte[] chunked(byte[] body) {
        int half = body.length / 2;
        return concat(ascii(Integer.toHexString(half) + "\r\n"), java.util.Arrays.copyOf(body, half), ascii("\r\n"),
                ascii(Integer.toHexString(body.length - half) + "\r\n"),
                java.util.Arrays.copyOfRange(body, half, body.length), ascii("\r\n0\r\n\r\n"));
    }

    private static byte[] dnsName(String name) {
        ByteBuffer b = ByteBuffer.allocate(name.length() + 2);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(ascii(label));
        }
        return copy(b.put((byte) 0));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] copy(ByteBuffer b) {
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
