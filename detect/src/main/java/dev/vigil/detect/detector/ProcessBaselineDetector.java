package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.alert.BuiltinRule;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.Verdict;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.WorkloadRef;
import java.util.List;

/**
 * Checks what runs in a workload's containers against its baseline: executables with their argument
 * shapes ({@code execve}, and {@code process}: what already ran when the sensor started), directories files are written in ({@code open} for writing, as the host
 * sensor reports writes below system directories) and the processes that read the service-account
 * token ({@code open} for reading). In learn mode this learns; in monitor mode something new raises
 * an alert; in protect mode a new process is also to be killed.
 *
 * <p>Events of processes that ended before the sensor could read them (no executable path, no
 * arguments) are not judged: nothing is known of the program they ran. Programs are named by argv[0]
 * ({@link #programName}).
 *
 * <p>The token read is judged by the workload's own habits rather than a list of tools: an
 * application whose client library reads its token every few minutes is normal, a shell or
 * {@code cat} reading it is not — whichever executable it is, if the workload never did it while
 * learning. Token files are those below {@code …/secrets/kubernetes.io/serviceaccount/} (including the
 * {@code ..data} and timestamped directories of projected volumes), {@code /var/run/secrets/tokens/}
 * and {@code …/secrets/eks.amazonaws.com/serviceaccount/}.
 */
public final class ProcessBaselineDetector {

    public static final BuiltinRule UNEXPECTED_PROCESS = new BuiltinRule("Unexpected process in workload",
            Priority.WARNING, Alert.SOURCE_SYSCALL,
            List.of(new Mitre("T1059", "Command and Scripting Interpreter", "execution")),
            List.of("process", "baseline"));
    public static final BuiltinRule UNEXPECTED_FILE_WRITE = new BuiltinRule("Unexpected file write in workload",
            Priority.WARNING, Alert.SOURCE_SYSCALL,
            List.of(new Mitre("T1565.001", "Stored Data Manipulation", "impact")), List.of("filesystem", "baseline"));
    public static final BuiltinRule TOKEN_READ = new BuiltinRule("Service account token read by unexpected process",
            Priority.WARNING, Alert.SOURCE_SYSCALL,
            List.of(new Mitre("T1528", "Steal Application Access Token", "credential-access"),
                    new Mitre("T1552.007", "Container API", "credential-access")),
            List.of("kubernetes", "baseline"));

    private final AlertFactory alerts;
    private final Baselines baselines;

    public ProcessBaselineDetector(AlertFactory alerts, Baselines baselines) {
        this.alerts = alerts;
        this.baselines = baselines;
    }

    /** An event of a process in a container; events without a known pod are not baselined. */
    public void event(HostEvent e, Detections out) {
        ContainerIdentity c = e.container() == null ? null : e.container().identity();
        if (c == null || c.workload() == null) {
            return;
        }
        switch (e.type()) {
            case "execve", "execveat", "process" -> exec(e, c, out);
            case "open" -> open(e, c, out);
            default -> {
            }
        }
    }

    private void exec(HostEvent e, ContainerIdentity c, Detections out) {
        HostEvent.Process p = e.proc();
        if (p.exepath() == null && (p.args() == null || p.args().isEmpty())) {
            return;
        }
        String exe = executable(p);
        String name = programName(p, exe);
        WorkloadRef w = c.workload();
        Verdict v = baselines.exec(w, c.container(), exe, name, p.args(), e.timeNanos());
        if (!v.deviates()) {
            return;
        }
        boolean knownExe = baselines.knowsExecutable(w, c.container(), exe, name);
        Alert alert = process(alerts.alert(UNEXPECTED_PROCESS, e.timeNanos()).inContainer(c), p)
                .subject(exe)
                .because((knownExe ? "new arguments for " + exe : "new executable " + exe) + "; "
                        + Deviations.notInBaseline(w, v))
                .field("vigil.args.shape", dev.vigil.detect.baseline.ArgShape.text(p.args()))
                .evidence(e)
                .build();
        out.alert(alert);
        if (v == Verdict.BLOCK && p.pid() > 1) {
            out.decide(new Decision.KillProcess(UNEXPECTED_PROCESS.name(), alert.output(), p.pid(), p.startNanos(),
                    e.container().id()));
        }
    }

    private void open(HostEvent e, ContainerIdentity c, Detections out) {
        HostEvent.Fd fd = e.fd();
        if (fd == null || fd.name() == null || fd.openFlags() == null) {
            return;
        }
        WorkloadRef w = c.workload();
        if (fd.openFlags().indexOf('w') >= 0) {
            Verdict v = baselines.fileWrite(w, c.container(), fd.name(), e.timeNanos());
            if (v.deviates()) {
                out.alert(process(alerts.alert(UNEXPECTED_FILE_WRITE, e.timeNanos()).inContainer(c), e.proc())
                        .text(" wrote " + fd.name())
                        .subject(directory(fd.name()))
                        .because("no file was written in " + directory(fd.name()) + " while learning; "
                                + Deviations.notInBaselineAlertOnly(w, v))
                        .field("fd.name", fd.name())
                        .evidence(e)
                        .build());
            }
        }
        if (fd.openFlags().indexOf('r') >= 0 && isToken(fd.name()) && e.proc().exepath() != null) {
            String exe = executable(e.proc());
            Verdict v = baselines.tokenRead(w, c.container(), exe, e.timeNanos());
            if (v.deviates()) {
                out.alert(process(alerts.alert(TOKEN_READ, e.timeNanos()).inContainer(c), e.proc())
                        .text(" read " + fd.name())
                        .subject(exe)
                        .because(exe + " never read the token while learning; " + Deviations.notInBaselineAlertOnly(w, v))
                        .field("fd.name", fd.name())
                        .evidence(e)
                        .build());
            }
        }
    }

    /** ": cmdline (pid N, parent P, user U)" with the Falco process fields. */
    static AlertFactory.Builder process(AlertFactory.Builder a, HostEvent.Process p) {
        String cmdline = p.cmdline() != null ? p.cmdline() : p.name();
        a.text(": " + cmdline + " (pid " + p.pid() + (p.parentName() != null ? ", parent " + p.parentName() : "")
                + (p.userName() != null ? ", user " + p.userName() : p.uid() >= 0 ? ", uid " + p.uid() : "") + ")");
        return a.field("proc.name", p.name())
                .field("proc.exepath", p.exepath())
                .field("proc.cmdline", cmdline)
                .field("proc.pid", (long) p.pid())
                .field("proc.pname", p.parentName())
                .field("user.name", p.userName())
                .field("user.uid", p.uid() >= 0 ? (long) p.uid() : null);
    }

    /**
     * The program's name: the base name of argv[0] when known, else the kernel's {@code comm}. A
     * multi-call binary such as busybox runs its applets as {@code /proc/self/exe} and renames itself
     * afterwards, so {@code comm} read at the exec is {@code exe} or the applet's name depending on
     * timing, while argv[0] is the applet's name either way.
     */
    static String programName(HostEvent.Process p, String exe) {
        if (p.args() != null && !p.args().isEmpty() && !p.args().getFirst().isBlank()) {
            String argv0 = p.args().getFirst();
            return argv0.substring(argv0.lastIndexOf('/') + 1);
        }
        return p.name() != null ? p.name() : exe;
    }

    /** {@code proc.exepath}, else argv[0], else the name. */
    static String executable(HostEvent.Process p) {
        if (p.exepath() != null) {
            return p.exepath();
        }
        if (p.args() != null && !p.args().isEmpty()) {
            return p.args().getFirst();
        }
        return p.name();
    }

    static boolean isToken(String path) {
        return path.endsWith("/token") && (path.contains("/secrets/kubernetes.io/serviceaccount/")
                || path.startsWith("/var/run/secrets/tokens/") || path.startsWith("/run/secrets/tokens/")
                || path.contains("/secrets/eks.amazonaws.com/serviceaccount/"));
    }

    private static String directory(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
