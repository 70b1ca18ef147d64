package dev.vigil.net.detect;

import dev.vigil.model.net.ConnId;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.RecordingContext;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application payload of each connection of a corpus capture, as tshark reassembles it: TCP
 * streams in arrival order ({@code -z follow,tcp,raw}, which has no timestamps, so chunks get
 * increasing synthetic ones), UDP datagrams with their capture times. This stands in for the flow
 * engine, so analyzers are checked against real traffic through the real detector.
 */
final class CapturedConnections {

    /** One connection: its endpoints (the first packet's sender is the originator) and its payload. */
    record Connection(ConnId id, List<Feed.Chunk> chunks) {
    }

    private CapturedConnections() {
    }

    static Path pcap(String relative) {
        return Requirements.corpora().resolve("pcaps").resolve(relative);
    }

    /** Runs one connection through {@code factory} and ends it. */
    static RecordingContext analyze(Connection c, AppAnalyzerFactory factory) {
        RecordingContext ctx = new RecordingContext(c.id());
        AppAnalyzer a = factory.create(ctx);
        Feed.whole(a, c.chunks());
        long last = c.chunks().isEmpty() ? 0 : c.chunks().getLast().tsMicros();
        a.end(last + 1);
        return ctx;
    }

    static List<Connection> tcp(String relative) {
        Path file = pcap(relative);
        List<String> streams = tshark(file, "-T", "fields", "-e", "tcp.stream", "-Y", "tcp").stream().distinct().toList();
        List<String> args = new ArrayList<>(List.of("-q"));
        for (String s : streams) {
            args.add("-z");
            args.add("follow,tcp,raw," + s);
        }
        List<Connection> out = new ArrayList<>();
        String[] nodes = new String[2];
        List<Feed.Chunk> chunks = null;
        long ts = 1_000_000;
        for (String line : tshark(file, args.toArray(String[]::new))) {
            if (line.startsWith("Node 0: ") || line.startsWith("Node 1: ")) {
                nodes[line.charAt(5) - '0'] = line.substring(8);
                if (line.startsWith("Node 1: ")) {
                    chunks = new ArrayList<>();
                    out.add(new Connection(new ConnId(host(nodes[0]), port(nodes[0]), host(nodes[1]), port(nodes[1]), "tcp"),
                            chunks));
                }
            } else if (chunks != null && !line.isBlank() && !line.startsWith("=")) {
                boolean resp = line.startsWith("\t");
                chunks.add(new Feed.Chunk(resp ? Direction.RESP : Direction.ORIG, HexFormat.of().parseHex(line.strip()),
                        ts += 1000));
            }
        }
        return out;
    }

    static List<Connection> udp(String relative) {
        Map<String, Connection> flows = new LinkedHashMap<>();
        for (String line : tshark(pcap(relative), "-Y", "udp", "-T", "fields", "-E", "separator=/t", "-e",
                "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "ipv6.dst",
                "-e", "udp.dstport", "-e", "udp.payload")) {
            String[] f = line.split("\t", -1);
            String src = f[1].isEmpty() ? f[2] : f[1];
            String dst = f[4].isEmpty() ? f[5] : f[4];
            int sport = Integer.parseInt(f[3]);
            int dport = Integer.parseInt(f[6]);
            String key = src + "|" + sport + "|" + dst + "|" + dport;
            String reverse = dst + "|" + dport + "|" + src + "|" + sport;
            Connection c = flows.get(reverse);
            Direction d = Direction.RESP;
            if (c == null) {
                c = flows.computeIfAbsent(key, k -> new Connection(new ConnId(src, sport, dst, dport, "udp"), new ArrayList<>()));
                d = Direction.ORIG;
            }
            long ts = Math.round(Double.parseDouble(f[0]) * 1e6);
            c.chunks().add(new Feed.Chunk(d, HexFormat.of().parseHex(f[7]), ts));
        }
        return new ArrayList<>(flows.values());
    }

    private static String host(String endpoint) {
        String h = endpoint.substring(0, endpoint.lastIndexOf(':'));
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static List<String> tshark(Path file, String... args) {
        Requirements.requireCommands("tshark");
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("tshark failed on " + file + " (exit " + p.exitValue() + ")");
            }
            return new String(out, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
