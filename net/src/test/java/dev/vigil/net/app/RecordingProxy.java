package dev.vigil.net.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loopback TCP relay between a real client and a real server that records what each side sent,
 * chunk by chunk, as a {@link Transcript}: tests of analyzers against real programs (redis-cli,
 * psql, …) without capture privileges. Relays every connection it accepts; each becomes one transcript.
 */
public final class RecordingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<List<Transcript.Segment>> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Thread acceptor;

    public RecordingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        try {
            while (!listener.isClosed()) {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                List<Transcript.Segment> segments = new ArrayList<>();
                synchronized (connections) {
                    connections.add(segments);
                }
                synchronized (threads) {
                    threads.add(Thread.ofVirtual().start(() -> pump(client, server, Direction.ORIG, segments)));
                    threads.add(Thread.ofVirtual().start(() -> pump(server, client, Direction.RESP, segments)));
                }
            }
        } catch (IOException closed) {
            // the listener was closed: no more connections
        }
    }

    private static void pump(Socket from, Socket to, Direction direction, List<Transcript.Segment> segments) {
        byte[] buffer = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                synchronized (segments) {
                    segments.add(new Transcript.Segment(direction, Arrays.copyOf(buffer, n)));
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException ended) {
            // either side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** The transcripts of all connections so far, after waiting for their relays to finish. */
    public List<Transcript> transcripts() throws InterruptedException {
        List<Thread> running;
        synchronized (threads) {
            running = List.copyOf(threads);
        }
        for (Thread t : running) {
            t.join(10_000);
        }
        synchronized (connections) {
            return connections.stream().map(s -> {
                synchronized (s) {
                    return Transcript.of(s.toArray(Transcript.Segment[]::new));
                }
            }).toList();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        acceptor.interrupt();
    }
}
