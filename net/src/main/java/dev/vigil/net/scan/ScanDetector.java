package dev.vigil.net.scan;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.NoticeRecord;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Detects scans from connection outcomes, after Zeek's scan scripts (bro-simple-scan): only failed
 * or unanswered attempts count, so busy services and backscatter (SYN-ACKs, resets to spoofed
 * sources) do not trigger it.
 *
 * <p>An attempt is a connection whose originator sent:
 * <ul>
 *   <li>a SYN that went unanswered or was rejected (history {@code S}, {@code Sr}, with zero-window
 *       {@code W}) or was answered and then reset without completing the handshake ({@code ShR}:
 *       a half-open SYN scan);</li>
 *   <li>FIN, NULL or Xmas probes (no SYN, no ACK, no data) answered at most by a reset;</li>
 *   <li>UDP datagrams to a unicast address that never answered;</li>
 *   <li>ICMP echo requests (counted for ping sweeps).</li>
 * </ul>
 * Per scanner, distinct (host, port) attempts within the sliding window are counted:
 * {@code Scan::Port_Scan} when one host saw {@link ScanConfig#ports()} ports, {@code Scan::Address_Scan}
 * when {@link ScanConfig#hosts()} hosts were tried on one port (or on at most five ports),
 * {@code Scan::Ping_Sweep} when that many hosts were pinged. A notice is suppressed for
 * {@link #SUPPRESS_MICROS} per scanner and type. Messages follow Zeek's wording.
 *
 * <p>Limits: {@link #MAX_SCANNERS} tracked sources (least recently active dropped),
 * {@link #MAX_ATTEMPTS} attempts per source (oldest dropped). Not thread-safe.
 */
public final class ScanDetector {

    /** Sources tracked at once. */
    public static final int MAX_SCANNERS = 100_000;
    /** Attempts remembered per source. */
    public static final int MAX_ATTEMPTS = 10_000;
    /** How long a notice of one type is not repeated for the same scanner: one hour, as Zeek's known_scanners. */
    public static final long SUPPRESS_MICROS = 3_600_000_000L;

    public static final String PORT_SCAN = "Scan::Port_Scan";
    public static final String ADDRESS_SCAN = "Scan::Address_Scan";
    public static final String PING_SWEEP = "Scan::Ping_Sweep";

    private final ScanConfig config;
    private final long windowMicros;
    private final Map<String, Scanner> scanners = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Scanner> eldest) {
            return size() > MAX_SCANNERS;
        }
    };
    private long attempts;

    public ScanDetector(ScanConfig config) {
        this.config = config;
        this.windowMicros = config.window().toNanos() / 1000;
    }

    private record Attempt(long mono, String victim, String port, boolean ping) {
    }

    private static final class Scanner {
        final ArrayDeque<Attempt> attempts = new ArrayDeque<>();
        final Map<String, Map<String, Integer>> portsByVictim = new HashMap<>();
        final Map<String, Map<String, Integer>> victimsByPort = new HashMap<>();
        final Map<String, Integer> victims = new HashMap<>();
        final Map<String, Integer> ports = new HashMap<>();
        final Map<String, Integer> pinged = new HashMap<>();
        final Map<String, Long> suppressedUntil = new HashMap<>();
    }

    /**
     * Looks at a finished connection; emits notices through {@code out}.
     *
     * @param mono monotone clock (microseconds) when the connection ended
     */
    public void observe(ConnRecord conn, long mono, Consumer<NoticeRecord> out) {
        ConnId id = conn.id();
        boolean ping = false;
        switch (id.proto()) {
            case "tcp" -> {
                if (!tcpProbe(conn.history(), conn.origPkts())) {
                    return;
                }
            }
            case "udp" -> {
                if (conn.respPkts() > 0 || conn.origPkts() == 0 || !unicast(id.respH())) {
                    return;
                }
            }
            case "icmp" -> {
                if (!(id.origP() == 8 || id.origP() == 128) || !unicast(id.respH())) {
                    return;
                }
                ping = true;
            }
            default -> {
                return;
            }
        }
        attempts++;
        String port = ping ? "" : id.respP() + "/" + id.proto();
        Scanner s = scanners.computeIfAbsent(id.origH(), k -> new Scanner());
        prune(s, mono);
        if (ping ? s.pinged.containsKey(id.respH())
                : s.portsByVictim.getOrDefault(id.respH(), Map.of()).containsKey(port)) {
            return;
        }
        add(s, new Attempt(mono, id.respH(), port, ping));
        check(s, conn, port, ping, mono, out);
    }

    /**
     * Looks at an ARP request: on a shared segment a sweep of unused addresses never gets as far as
     * ICMP (the kernel asks ARP for each target and gives up), and {@code nmap -sn} on a local subnet
     * sends ARP alone, so each distinct address asked for counts as one ping attempt. Gratuitous ARP
     * (sender asks for itself) and ARP probes (sender 0.0.0.0, RFC 5227) are not attempts.
     *
     * @param tsMicros capture time of the request
     */
    public void observeArpRequest(String sender, String target, long tsMicros, long mono, Consumer<NoticeRecord> out) {
        if (sender.equals(target) || sender.equals("0.0.0.0")) {
            return;
        }
        Scanner s = scanners.computeIfAbsent(sender, k -> new Scanner());
        prune(s, mono);
        if (s.pinged.containsKey(target)) {
            return;
        }
        attempts++;
        add(s, new Attempt(mono, target, "", true));
        pingSweep(s, tsMicros / 1e6, null, new ConnId(sender, 0, target, 0, "arp"), mono, out);
    }

    /** Attempts counted so far. */
    public long attempts() {
        return attempts;
    }

    static boolean tcpProbe(String history, long origPkts) {
        if (origPkts == 0 || history.indexOf('^') >= 0) {
            return false;
        }
        boolean syn = false;
        boolean synAck = false;
        boolean origReset = false;
        for (int i = 0; i < history.length(); i++) {
            char c = history.charAt(i);
            switch (c) {
                case 'S' -> syn = true;
                case 'W', 'F', 'Q', 'I', 'r' -> {
                }
                case 'h' -> synAck = true;
                case 'R' -> origReset = true;
                default -> {
                    return false;
                }
            }
        }
        if (syn) {
            return !synAck || origReset;
        }
        return !synAck && !origReset;
    }

    private static boolean unicast(String address) {
        if (address.indexOf(':') >= 0) {
            return !address.startsWith("ff");
        }
        int first = Integer.parseInt(address.substring(0, address.indexOf('.')));
        return first < 224 && !address.endsWith(".255");
    }

    private void add(Scanner s, Attempt a) {
        if (s.attempts.size() >= MAX_ATTEMPTS) {
            remove(s, s.attempts.pollFirst());
        }
        s.attempts.addLast(a);
        if (a.ping) {
            s.pinged.merge(a.victim, 1, Integer::sum);
            return;
        }
        s.portsByVictim.computeIfAbsent(a.victim, k -> new HashMap<>()).merge(a.port, 1, Integer::sum);
        s.victimsByPort.computeIfAbsent(a.port, k -> new HashMap<>()).merge(a.victim, 1, Integer::sum);
        s.victims.merge(a.victim, 1, Integer::sum);
        s.ports.merge(a.port, 1, Integer::sum);
    }

    private void prune(Scanner s, long mono) {
        while (!s.attempts.isEmpty() && mono - s.attempts.peekFirst().mono > windowMicros) {
            remove(s, s.attempts.pollFirst());
        }
    }

    private static void remove(Scanner s, Attempt a) {
        if (a.ping) {
            decrement(s.pinged, a.victim);
            return;
        }
        decrementNested(s.portsByVictim, a.victim, a.port);
        decrementNested(s.victimsByPort, a.port, a.victim);
        decrement(s.victims, a.victim);
        decrement(s.ports, a.port);
    }

    private static void decrement(Map<String, Integer> m, String key) {
        m.computeIfPresent(key, (k, v) -> v == 1 ? null : v - 1);
    }

    private static void decrementNested(Map<String, Map<String, Integer>> m, String outer, String inner) {
        Map<String, Integer> in = m.get(outer);
        if (in != null) {
            decrement(in, inner);
            if (in.isEmpty()) {
                m.remove(outer);
            }
        }
    }

    private void check(Scanner s, ConnRecord conn, String port, boolean ping, long mono,
                       Consumer<NoticeRecord> out) {
        ConnId id = conn.id();
        String scanner = id.origH();
        String took = minsSecs(mono - s.attempts.peekFirst().mono);
        double ts = conn.ts() + (conn.duration() != null ? conn.duration() : 0);
        if (ping) {
            pingSweep(s, ts, conn.uid(), id, mono, out);
            return;
        }
        int ports = s.portsByVictim.get(id.respH()).size();
        if (ports >= config.ports() && allowed(s, PORT_SCAN, mono)) {
            out.accept(new NoticeRecord(ts, conn.uid(), id, PORT_SCAN, scanner + " scanned at least " + ports
                    + " unique ports on host " + id.respH() + " in " + took, scanner, id.respH(), null, ports));
        }
        int hostsOnPort = s.victimsByPort.get(port).size();
        if (hostsOnPort >= config.hosts() && allowed(s, ADDRESS_SCAN, mono)) {
            out.accept(new NoticeRecord(ts, conn.uid(), id, ADDRESS_SCAN, scanner + " scanned at least " + hostsOnPort
                    + " unique hosts on port " + port + " in " + took, scanner, null, id.respP(), hostsOnPort));
            return;
        }
        int hosts = s.victims.size();
        if (hosts >= config.hosts() && s.ports.size() <= 5 && allowed(s, ADDRESS_SCAN, mono)) {
            String list = String.join(", ", new TreeSet<>(s.ports.keySet()));
            out.accept(new NoticeRecord(ts, conn.uid(), id, ADDRESS_SCAN, scanner + " scanned at least " + hosts
                    + " unique hosts on ports " + list + " in " + took, scanner, null, null, hosts));
        }
    }

    private void pingSweep(Scanner s, double ts, String uid, ConnId id, long mono, Consumer<NoticeRecord> out) {
        int n = s.pinged.size();
        if (n >= config.hosts() && allowed(s, PING_SWEEP, mono)) {
            String took = minsSecs(mono - s.attempts.peekFirst().mono);
            out.accept(new NoticeRecord(ts, uid, id, PING_SWEEP,
                    id.origH() + " pinged at least " + n + " unique hosts in " + took, id.origH(), null, null, n));
        }
    }

    private static boolean allowed(Scanner s, String note, long mono) {
        Long until = s.suppressedUntil.get(note);
        if (until != null && mono < until) {
            return false;
        }
        s.suppressedUntil.put(note, mono + SUPPRESS_MICROS);
        return true;
    }

    /** Zeek's {@code duration_to_mins_secs}: {@code 2m5s}. */
    static String minsSecs(long micros) {
        long seconds = Math.max(0, micros) / 1_000_000;
        return (seconds / 60) + "m" + (seconds % 60) + "s";
    }

    /** Sources tracked now. */
    public int scanners() {
        return scanners.size();
    }

    /** Drops state of sources idle beyond the window (call now and then to bound memory over time). */
    public void sweep(long mono) {
        for (Iterator<Scanner> it = scanners.values().iterator(); it.hasNext(); ) {
            Scanner s = it.next();
            prune(s, mono);
            if (s.attempts.isEmpty() && s.suppressedUntil.values().stream().allMatch(u -> u <= mono)) {
                it.remove();
            }
        }
    }
}
