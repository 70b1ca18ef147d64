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
 * The UDP flows of a corpus capture as tshark decodes them: datagrams with their capture times,
 * the first packet's sender as originator. Used for traffic the packet decoder does not unwrap
 * (PPPoE), so analyzers are still checked on it through the real detector.
 */
final class CapturedConnections {

    /** One connection: its endpoints (the first packet's sender is the originator) and its payload. */
    record Connection(ConnId id, List<Feed.Chunk> chunks) {
    }

    private CapturedConnections() {
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

    static List<Connection> udp(String relative) {
        Map<String, Connection> flows = new LinkedHashMap<>();
        Path file = Requirements.corpora().resolve("pcaps").resolve(relative);
        for (String line : tshark(file, "-Y", "udp", "-T", "fields", "-E", "separator=/t", "-e", "frame.time_epoch",
                "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport",
                "-e", "udp.payload")) {
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
