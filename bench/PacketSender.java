import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends UDP datagrams at a fixed rate for bench/live-capture.sh (run with the JDK's source launcher,
 * inside the sending namespace): java PacketSender.java HOST PORT PACKETS_PER_SECOND SECONDS [SIZE].
 * Paces in 1 ms slices; prints how many datagrams it sent and the rate it reached.
 */
public class PacketSender {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long rate = Long.parseLong(args[2]);
        long seconds = Long.parseLong(args[3]);
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        long sent = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress(host, port));
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long now;
            while ((now = System.nanoTime()) < end) {
                long due = (now - start) * rate / 1_000_000_000L;
                while (sent < due) {
                    payload.clear();
                    payload.putLong(0, sent);
                    try {
                        ch.write(payload);
                    } catch (java.io.IOException e) {
                        // ICMP port unreachable reported back on the connected socket: keep sending
                    }
                    sent++;
                }
                if (sent >= due) {
                    Thread.onSpinWait();
                }
            }
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf("sent %d datagrams in %.2f s (%.0f/s)%n", sent, took, sent / took);
        }
    }
}
