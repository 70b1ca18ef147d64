package dev.vigil.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import dev.vigil.testkit.Requirements;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class PcapAnalyzeCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static String pcap(String relative) {
        Path p = Requirements.corpora().resolve("pcaps").resolve(relative);
        return p.toString();
    }

    @Test
    void printsZeekRecordsAsJsonLinesInEmissionOrder() {
        int code = run("pcap", "analyze", "--quiet", "--uid-seed", "1",
                pcap("zeek/testing/btest/Traces/http/connect-with-smtp.pcap"));
        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"log\":\"http\"", "\"method\":\"CONNECT\"");
        assertThat(lines.get(1)).contains("\"log\":\"smtp\"", "\"helo\":\"208.191.73.21\"");
        JsonNode conn = new ObjectMapper().readTree(lines.get(2));
        assertThat(conn.get("log").asString()).isEqualTo("conn");
        assertThat(conn.get("ts").asDouble()).isEqualTo(1078232251.833846);
        assertThat(conn.get("uid").asString()).matches("C[0-9A-Za-z]{17}");
        assertThat(conn.get("id.orig_h").asString()).isEqualTo("79.26.245.236");
        assertThat(conn.get("id.resp_p").asInt()).isEqualTo(8240);
        assertThat(conn.get("proto").asString()).isEqualTo("tcp");
        assertThat(conn.get("conn_state").asString()).isEqualTo("SF");
        assertThat(conn.get("history").asString()).isEqualTo("ShADadtTfF");
        assertThat(conn.get("orig_bytes").asLong()).isEqualTo(1685);
        assertThat(conn.get("community_id").asString()).startsWith("1:");
        assertThat(conn.get("service").asString()).isEqualTo("http,smtp");
    }

    @Test
    void logsFilterAndScanOptions() {
        int code = run("pcap", "analyze", "--quiet", "--logs", "notice", "--scan-ports", "5",
                pcap("bro-simple-scan/testing/pcaps/port_scan.pcap"));
        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l).contains("\"log\":\"notice\"", "\"note\":\"Scan::Port_Scan\"", "\"src\":\"192.168.2.154\"");
        });
    }

    @Test
    void tableFormatPrintsAlignedColumnsPerLog() {
        int code = run("pcap", "analyze", "--quiet", "--format", "table",
                pcap("zeek/testing/btest/Traces/communityid/udp.pcap"));
        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        int conn = lines.indexOf("# conn");
        assertThat(conn).isNotNegative();
        assertThat(lines.get(conn + 1)).startsWith("ts ").contains("id.orig_h", "conn_state");
        assertThat(lines.get(conn + 2)).contains("192.168.1.52", "8.8.8.8", "SF");
        assertThat(lines).contains("# dns");
    }

    @Test
    void summaryGoesToStderr() {
        run("pcap", "analyze", pcap("zeek/testing/btest/Traces/communityid/udp.pcap"));
        assertThat(err.toString()).startsWith("vigil: 2 packets, 1 flows, ");
    }

    @Test
    void threadsGiveTheSameRecordsAsOneThread() {
        String[] files = {pcap("bro-simple-scan/testing/pcaps/port_scan.pcap"),
                pcap("zeek/testing/btest/Traces/http/connect-with-smtp.pcap"),
                pcap("zeek/testing/btest/Traces/communityid/udp.pcap")};
        List<List<String>> outputs = new java.util.ArrayList<>();
        for (String threads : new String[] {"1", "3"}) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            List<String> args = new java.util.ArrayList<>(List.of("pcap", "analyze", "--threads", threads,
                    "--uid-seed", "5", "--scan-ports", "5", "--logs",
                    "conn,http,smtp,dns,notice,weird"));
            args.addAll(List.of(files));
            assertThat(run(args.toArray(String[]::new))).isZero();
            assertThat(err.toString()).contains(threads.equals("1") ? ", 1 flow thread)" : ", 3 flow threads)");
            outputs.add(out.toString().lines().sorted().toList());
        }
        assertThat(outputs.getFirst()).anyMatch(l -> l.contains("\"note\":\"Scan::Port_Scan\""))
                .anyMatch(l -> l.contains("\"log\":\"smtp\"")).anyMatch(l -> l.contains("\"log\":\"dns\""));
        assertThat(outputs.get(1)).isEqualTo(outputs.getFirst());
    }

    /** Run as a process: the real standard output gets the records as bytes, not through picocli's writer. */
    @Test
    void standardOutputGetsTheSameBytesAsAWriter(@TempDir Path dir) throws Exception {
        String[] args = {"pcap", "analyze", "--quiet", "--threads", "1", "--uid-seed", "3", "--logs",
                "conn,http,smtp,dns,notice,weird", pcap("zeek/testing/btest/Traces/http/connect-with-smtp.pcap"),
                pcap("bro-simple-scan/testing/pcaps/port_scan.pcap")};
        assertThat(run(args)).isZero();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Vigil.class.getName()));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("stdout");
        Process vigil = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(dir.resolve("stderr").toFile()).start();
        assertThat(vigil.waitFor(120, TimeUnit.SECONDS)).as("vigil did not end").isTrue();
        assertThat(vigil.exitValue()).as(Files.readString(dir.resolve("stderr"))).isZero();
        assertThat(out.toString()).contains("\"log\":\"smtp\"");
        assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).isEqualTo(out.toString());
    }

    /** {@code vigil pcap analyze big.pcap | head}: when the reader goes away, vigil ends quietly, as tcpdump does. */
    @Test
    void aClosedPipeEndsTheRunQuietly(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Vigil.class.getName(),
                "pcap", "analyze", "--quiet"));
        for (int i = 0; i < 1000; i++) {
            // about 2 MB of records: more than the 1 MiB output buffer, so writes fail during the analysis
            command.add(pcap("zeek/testing/btest/Traces/http/connect-with-smtp.pcap"));
        }
        Process vigil = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile()).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(vigil.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).startsWith("{\"log\":");
        }
        assertThat(vigil.waitFor(120, TimeUnit.SECONDS)).as("vigil did not end").isTrue();
        assertThat(Files.readString(dir.resolve("stderr"))).isEmpty();
        assertThat(vigil.exitValue()).isEqualTo(PcapAnalyzeCommand.EXIT_CLOSED_PIPE);
    }

    @Test
    void userErrorsSayWhatToDo() {
        assertThat(run("pcap", "analyze", "/nonexistent.pcap")).isEqualTo(1);
        assertThat(err.toString()).contains("vigil: /nonexistent.pcap: no such readable file");
        err.getBuffer().setLength(0);
        assertThat(run("pcap", "analyze", "--logs", "gopher", pcap("zeek/testing/btest/Traces/communityid/udp.pcap")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--logs: unknown log 'gopher'; choose from [conn, dns,");
        err.getBuffer().setLength(0);
        assertThat(run("pcap", "analyze", "--scan-window", "soon", pcap("zeek/testing/btest/Traces/communityid/udp.pcap")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--scan-window: cannot read duration 'soon'; write e.g. 30s, 5m or 1h");
        err.getBuffer().setLength(0);
        assertThat(run("pcap", "analyze", "--threads", "0", pcap("zeek/testing/btest/Traces/communityid/udp.pcap")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--threads: 0 is outside 1..64");
        err.getBuffer().setLength(0);
        assertThat(run("pcap", "analyze", pcap("INDEX.md"))).isEqualTo(1);
        assertThat(err.toString()).contains("not a pcap or pcapng file (magic 0x");
    }
}
