package dev.vigil.net.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.RecordingProxy;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL server (initdb'd in a temporary directory, run as {@code nobody} on loopback)
 * talked to through a recording relay: by {@code psql} (SSLRequest refused, simple queries, an error)
 * and by a hand-written extended-protocol client (Parse/Bind/Execute/Sync, a failing Parse), whose
 * answers come from the server itself.
 */
class PostgresServerTest {

    @TempDir
    static Path dir;
    private static Process server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommands("initdb", "postgres", "psql", "setpriv");
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        run(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "initdb", "-D",
                dir.resolve("data").toString(), "-U", "vigil", "--auth=trust", "-E", "UTF8", "--no-sync"));
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        server = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "postgres", "-D",
                dir.resolve("data").toString(), "-p", String.valueOf(port), "-k", dir.toString(), "-c",
                "listen_addresses=127.0.0.1", "-c", "fsync=off").redirectErrorStream(true)
                .redirectOutput(dir.resolve("postgres.log").toFile()).start();
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("postgres did not listen on 127.0.0.1:" + port + ": " + Files.readString(dir.resolve("postgres.log")));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            new ProcessBuilder("kill", "-INT", String.valueOf(server.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void psqlSimpleQueries() throws Exception {
        Transcript t;
        try (RecordingProxy proxy = new RecordingProxy(port)) {
            run(List.of("psql", "host=127.0.0.1 port=" + proxy.port() + " user=vigil dbname=postgres sslmode=prefer"
                    + " application_name=vigil-test", "-c", "create table pets (name text)", "-c",
                    "insert into pets values ('rex'), ('tom')", "-c", "select * from pets", "-c", "select * from missing"));
            t = proxy.transcripts().getFirst();
        }
        CapturingContext context = analyze(t);
        List<PostgresqlRecord> records = context.records(PostgresqlRecord.class);
        assertThat(records).extracting(PostgresqlRecord::frontend, PostgresqlRecord::frontendArg, PostgresqlRecord::success,
                PostgresqlRecord::rows).containsExactly(
                tuple("ssl_request", null, false, null),
                tuple("startup", null, true, null),
                tuple("simple_query", "create table pets (name text)", true, 0L),
                tuple("simple_query", "insert into pets values ('rex'), ('tom')", true, 2L),
                tuple("simple_query", "select * from pets", true, 2L),
                tuple("simple_query", "select * from missing", false, null),
                tuple("terminate", null, null, null));
        assertThat(records.get(1)).satisfies(r -> {
            assertThat(r.user()).isEqualTo("vigil");
            assertThat(r.database()).isEqualTo("postgres");
            assertThat(r.applicationName()).isEqualTo("vigil-test");
            assertThat(r.serverVersion()).startsWith("15.");
        });
        assertThat(records.get(5).backendArg()).contains("Code=42P01").contains("relation \"missing\" does not exist");
    }

    @Test
    void extendedProtocolAgainstTheRealServer() throws Exception {
        Transcript t;
        try (RecordingProxy proxy = new RecordingProxy(port);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(PgMessages.startup("user", "vigil", "database", "postgres", "application_name", "extended"));
            awaitReady(in, 1);
            out.write(PgMessages.concat(PgMessages.parse("answer", "select 41 + 1"), PgMessages.bind("", "answer"),
                    PgMessages.execute(""), PgMessages.bind("", "answer"), PgMessages.execute(""), PgMessages.sync()));
            awaitReady(in, 1);
            out.write(PgMessages.concat(PgMessages.parse("", "selec broken"), PgMessages.bind("", ""),
                    PgMessages.execute(""), PgMessages.sync()));
            awaitReady(in, 1);
            out.write(PgMessages.terminate());
            out.flush();
            socket.shutdownOutput();
            in.readAllBytes();
            t = proxy.transcripts().getFirst();
        }
        CapturingContext context = analyze(t);
        assertThat(context.records(PostgresqlRecord.class)).extracting(PostgresqlRecord::frontend,
                PostgresqlRecord::frontendArg, PostgresqlRecord::success, PostgresqlRecord::rows).containsExactly(
                tuple("startup", null, true, null),
                tuple("execute", "select 41 + 1", true, 1L),
                tuple("execute", "select 41 + 1", true, 1L),
                tuple("parse", "selec broken", false, null),
                tuple("execute", "selec broken", false, null),
                tuple("terminate", null, null, null));
    }

    private static CapturingContext analyze(Transcript t) {
        CapturingContext context = new CapturingContext(t.id());
        t.feed(context, new PostgresqlProtocol().create(context));
        assertThat(context.anomalies).isEmpty();
        assertThat(context.services).containsExactly("postgresql");
        assertThat(context.encrypted).isFalse();
        return context;
    }

    /** Reads backend messages until {@code count} ReadyForQuery messages arrived. */
    private static void awaitReady(InputStream in, int count) throws IOException {
        int seen = 0;
        while (seen < count) {
            int type = in.read();
            byte[] length = in.readNBytes(4);
            if (type < 0 || length.length < 4) {
                throw new IOException("the server closed the connection");
            }
            int n = ((length[0] & 0xff) << 24 | (length[1] & 0xff) << 16 | (length[2] & 0xff) << 8 | (length[3] & 0xff)) - 4;
            in.readNBytes(n);
            if (type == 'Z') {
                seen++;
            }
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
    }
}
