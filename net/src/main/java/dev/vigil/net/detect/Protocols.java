package dev.vigil.net.detect;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.dns.DnsProtocol;
import dev.vigil.net.http.HttpProtocol;
import dev.vigil.net.http2.Http2Protocol;
import dev.vigil.net.smtp.SmtpProtocol;
import java.util.List;

/**
 * The registry: every application protocol Vigil identifies by content, in one list. Order matters
 * only when several protocols claim the same bytes in one probe round and none of them owns the
 * responder's port: the earlier entry wins, so keep more specific protocols first. Each entry names
 * the protocol's well-known ports, used only to break such ties.
 */
public final class Protocols {

    private Protocols() {
    }

    /** A protocol and the well-known responder ports that break ties in its favour. */
    public record Entry(AppProtocol protocol, int... ports) {

        public Entry {
            ports = ports.clone();
        }

        /** Whether {@code port} is one of this protocol's well-known ports. */
        public boolean onPort(int port) {
            for (int p : ports) {
                if (p == port) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int[] ports() {
            return ports.clone();
        }
    }

    /** Every protocol, most specific first. */
    public static List<Entry> all() {
        return List.of(
                new Entry(new Http2Protocol(), 80, 8080),
                new Entry(new HttpProtocol(), 80, 81, 631, 1080, 3128, 8000, 8080, 8888),
                new Entry(new SmtpProtocol(), 25, 465, 587),
                new Entry(DnsProtocol.overTcp(), 53),
                new Entry(DnsProtocol.overUdp(), 53, 5353, 5355));
    }
}
