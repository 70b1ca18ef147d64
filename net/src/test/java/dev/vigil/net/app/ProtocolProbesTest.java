package dev.vigil.net.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.kafka.KafkaProtocol;
import dev.vigil.net.mongodb.MongodbProtocol;
import dev.vigil.net.mysql.MysqlProtocol;
import dev.vigil.net.postgresql.PostgresqlProtocol;
import dev.vigil.net.redis.RedisProtocol;
import dev.vigil.net.ssh.SshProtocol;
import dev.vigil.net.stratum.StratumProtocol;
import dev.vigil.net.tls.TlsProtocol;
import dev.vigil.net.tls.TlsTestHellos;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The probes of TLS, SSH, PostgreSQL, MySQL, Redis, Kafka, MongoDB and Stratum side by side: each
 * claims its own first bytes and no other protocol's (HTTP and DNS over TCP included; a responder's
 * bytes may leave a client-first protocol waiting for the client), random bytes are almost never
 * claimed, and probing allocates nothing.
 */
class ProtocolProbesTest {

    static final List<AppProtocol> PROTOCOLS = List.of(new TlsProtocol(), new SshProtocol(), new PostgresqlProtocol(),
            new MysqlProtocol(), new RedisProtocol(), new KafkaProtocol(), new MongodbProtocol(), new StratumProtocol());

    /** First bytes of a client (or, for MySQL, the server's greeting), keyed by the protocol that must claim them. */
    static Map<String, Map.Entry<Direction, byte[]>> samples() {
        Map<String, Map.Entry<Direction, byte[]>> s = new LinkedHashMap<>();
        s.put("ssl", Map.entry(Direction.ORIG, TlsTestHellos.clientHelloRecord("example.com")));
        s.put("ssh", Map.entry(Direction.ORIG, ascii("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n")));
        byte[] startup = Wire.create().u32(196608).cstring("user").cstring("app").cstring("database").cstring("orders")
                .u8(0).toByteArray();
        s.put("postgresql", Map.entry(Direction.ORIG, Wire.create().u32(startup.length + 4).bytes(startup).toByteArray()));
        s.put("mysql", Map.entry(Direction.RESP, Wire.create().u24le(74).u8(0).u8(10).cstring("8.0.36").i32le(9)
                .zeros(8).u8(0).u16le(0xffff).u8(255).u16le(2).u16le(0xdfff).u8(21).zeros(10).zeros(13)
                .cstring("caching_sha2_password").toByteArray()));
        s.put("redis", Map.entry(Direction.ORIG, ascii("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")));
        s.put("kafka", Map.entry(Direction.ORIG, Wire.create().u32(23).u16(18).u16(3).u32(1).u16(7).ascii("rdkafka")
                .u8(0).u8(0).u8(0).toByteArray()));
        s.put("mongodb", Map.entry(Direction.ORIG, Wire.create().i32le(44).i32le(1).i32le(0).i32le(2013).i32le(0).u8(0)
                .i32le(23).u8(0x10).cstring("ping").i32le(1).u8(0x02).cstring("$db").i32le(1).u8(0).u8(0).toByteArray()));
        s.put("stratum", Map.entry(Direction.ORIG, ascii("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n")));
        return s;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void eachProtocolClaimsOnlyItsOwnBytes() {
        Map<String, Map.Entry<Direction, byte[]>> samples = samples();
        samples.put("http", Map.entry(Direction.ORIG, ascii("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n")));
        samples.put("dns", Map.entry(Direction.ORIG, Wire.create().u16(29).u16(0x1234).u16(0x0100).u16(1).u16(0).u16(0)
                .u16(0).u8(7).ascii("example").u8(3).ascii("com").u8(0).u16(1).u16(1).toByteArray()));
        for (var sample : samples.entrySet()) {
            byte[] b = sample.getValue().getValue();
            Direction d = sample.getValue().getKey();
            for (AppProtocol p : PROTOCOLS) {
                Verdict v = p.probe(d, MemorySegment.ofArray(b), 0, b.length, 443);
                if (p.name().equals(sample.getKey())) {
                    assertThat(v).as("%s probing its own bytes", p.name()).isEqualTo(Verdict.MATCH);
                } else if (d == Direction.ORIG) {
                    assertThat(v).as("%s probing %s bytes", p.name(), sample.getKey()).isEqualTo(Verdict.NO_MATCH);
                } else {
                    assertThat(v).as("%s probing %s's responder bytes", p.name(), sample.getKey())
                            .isNotEqualTo(Verdict.MATCH);
                }
            }
        }
    }

    @Test
    void randomBytesAreRarelyClaimed() {
        SplittableRandom random = new SplittableRandom(42);
        int[] matches = new int[PROTOCOLS.size()];
        for (int i = 0; i < 20_000; i++) {
            byte[] b = dev.vigil.testkit.Mutations.randomBytes(random, 1 + random.nextInt(64));
            for (int k = 0; k < PROTOCOLS.size(); k++) {
                for (Direction d : Direction.values()) {
                    if (PROTOCOLS.get(k).probe(d, MemorySegment.ofArray(b), 0, b.length, 1234) == Verdict.MATCH) {
                        matches[k]++;
                    }
                }
            }
        }
        for (int k = 0; k < PROTOCOLS.size(); k++) {
            assertThat(matches[k]).as("%s claimed random bytes (seed 42)", PROTOCOLS.get(k).name()).isLessThan(20);
        }
    }

    @Test
    void probingAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        MemorySegment[] inputs = samples().values().stream().map(e -> MemorySegment.ofArray(e.getValue()))
                .toArray(MemorySegment[]::new);
        AppProtocol[] protocols = PROTOCOLS.toArray(AppProtocol[]::new);
        long sink = 0;
        long allocated = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 20_000; i++) {
                for (AppProtocol p : protocols) {
                    for (MemorySegment in : inputs) {
                        sink += p.probe(Direction.ORIG, in, 0, (int) in.byteSize(), 443).ordinal();
                        sink += p.probe(Direction.RESP, in, 0, (int) in.byteSize(), 443).ordinal();
                    }
                }
            }
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertThat(allocated).as("bytes allocated by 2.56 million warm probes (sink %d)", sink).isLessThan(64 * 1024);
    }
}
