package dev.vigil.model.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden JSON lines of the TLS, SSH and database records: Zeek's field names, in Zeek's order, nulls left out. */
class ApplicationRecordsJsonTest {

    private static final ConnId ID = new ConnId("10.244.1.5", 40000, "10.96.0.10", 443, "tcp");
    private static final String HEAD = "\"uid\":\"CAbcdefghijk12345\",\"id.orig_h\":\"10.244.1.5\",\"id.orig_p\":40000,"
            + "\"id.resp_h\":\"10.96.0.10\",\"id.resp_p\":443,\"proto\":\"tcp\"";
    private static final double TS = 1_700_000_000.123456;
    private static final String UID = "CAbcdefghijk12345";

    private static String line(String log, String fields) {
        return "{\"log\":\"" + log + "\",\"ts\":1700000000.123456," + HEAD + fields + "}";
    }

    @Test
    void ssl() {
        assertThat(new SslRecord(TS, UID, ID, "TLSv13", "TLS_AES_128_GCM_SHA256", "x25519", "api.example.com", false,
                null, "h2", true, List.of("h2", "http/1.1"), "ja3x", "ja3sx", "t13d1516h2_8daaf6152771_02713d6af862",
                null, null).toJson()).isEqualTo(line("ssl", ",\"version\":\"TLSv13\",\"cipher\":\"TLS_AES_128_GCM_SHA256\","
                + "\"curve\":\"x25519\",\"server_name\":\"api.example.com\",\"resumed\":false,\"next_protocol\":\"h2\","
                + "\"established\":true,\"alpn\":[\"h2\",\"http/1.1\"],\"ja3\":\"ja3x\",\"ja3s\":\"ja3sx\","
                + "\"ja4\":\"t13d1516h2_8daaf6152771_02713d6af862\""));
    }

    @Test
    void ssh() {
        assertThat(new SshRecord(TS, UID, ID, 2, "SSH-2.0-OpenSSH_9.6", "SSH-2.0-OpenSSH_8.9", "aes128-ctr",
                "hmac-sha2-256", "none", "curve25519-sha256", "ssh-ed25519", "aa:bb", "h1", "h2").toJson())
                .isEqualTo(line("ssh", ",\"version\":2,\"client\":\"SSH-2.0-OpenSSH_9.6\",\"server\":\"SSH-2.0-OpenSSH_8.9\","
                        + "\"cipher_alg\":\"aes128-ctr\",\"mac_alg\":\"hmac-sha2-256\",\"compression_alg\":\"none\","
                        + "\"kex_alg\":\"curve25519-sha256\",\"host_key_alg\":\"ssh-ed25519\",\"host_key\":\"aa:bb\","
                        + "\"hassh\":\"h1\",\"hasshServer\":\"h2\""));
    }

    @Test
    void postgresql() {
        assertThat(new PostgresqlRecord(TS, UID, ID, "app", "orders", "psql", "simple_query", "select 1", null, null,
                true, 1L, "16.2", null).toJson()).isEqualTo(line("postgresql", ",\"user\":\"app\",\"database\":\"orders\","
                + "\"application_name\":\"psql\",\"frontend\":\"simple_query\",\"frontend_arg\":\"select 1\","
                + "\"success\":true,\"rows\":1,\"server_version\":\"16.2\""));
    }

    @Test
    void mysql() {
        assertThat(new MysqlRecord(TS, UID, ID, "query", "show tables", true, 0L, null, null, 3L).toJson())
                .isEqualTo(line("mysql", ",\"cmd\":\"query\",\"arg\":\"show tables\",\"success\":true,\"rows\":0,"
                        + "\"result_rows\":3"));
    }

    @Test
    void redis() {
        assertThat(new RedisRecord(TS, UID, ID, "SET", "k", "v", true, "OK").toJson()).isEqualTo(line("redis",
                ",\"cmd.name\":\"SET\",\"cmd.key\":\"k\",\"cmd.value\":\"v\",\"success\":true,\"reply.value\":\"OK\""));
    }

    @Test
    void kafka() {
        assertThat(new KafkaRecord(TS, UID, ID, "Produce", 9, 6, "console-producer", List.of("sampleTopic"), -1, 58L)
                .toJson()).isEqualTo(line("kafka", ",\"api_key\":\"Produce\",\"api_version\":9,\"correlation_id\":6,"
                + "\"client_id\":\"console-producer\",\"topics\":[\"sampleTopic\"],\"acks\":-1,\"response_bytes\":58"));
    }

    @Test
    void mongodb() {
        assertThat(new MongodbRecord(TS, UID, ID, "msg", 3, "find", "shop", "users", true, null).toJson())
                .isEqualTo(line("mongodb", ",\"op\":\"msg\",\"request_id\":3,\"command\":\"find\",\"database\":\"shop\","
                        + "\"collection\":\"users\",\"success\":true"));
    }

    @Test
    void stratum() {
        assertThat(new StratumRecord(TS, UID, ID, "login", "48edf", "XMRig/6.21.0", true, null, 4).toJson())
                .isEqualTo(line("stratum", ",\"method\":\"login\",\"user\":\"48edf\",\"agent\":\"XMRig/6.21.0\","
                        + "\"success\":true,\"submits\":4"));
    }
}
