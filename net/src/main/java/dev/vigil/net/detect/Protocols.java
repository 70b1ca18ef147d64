package dev.vigil.net.detect;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.dns.DnsProtocol;
import dev.vigil.net.http.HttpProtocol;
import dev.vigil.net.http2.Http2Protocol;
import dev.vigil.net.kafka.KafkaProtocol;
import dev.vigil.net.mongodb.MongodbProtocol;
import dev.vigil.net.mysql.MysqlProtocol;
import dev.vigil.net.postgresql.PostgresqlProtocol;
import dev.vigil.net.redis.RedisProtocol;
import dev.vigil.net.smtp.SmtpProtocol;
import dev.vigil.net.ssh.SshProtocol;
import dev.vigil.net.stratum.StratumProtocol;
import dev.vigil.net.tls.TlsProtocol;
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
                new Entry(new TlsProtocol(), 443, 465, 636, 853, 993, 995, 5671, 6443, 8443),
                new Entry(new SshProtocol(), 22),
                new Entry(new PostgresqlProtocol(), 5432),
                new Entry(new MysqlProtocol(), 3306),
                new Entry(new RedisProtocol(), 6379),
                new Entry(new MongodbProtocol(), 27017),
                new Entry(new KafkaProtocol(), 9092),
                new Entry(new StratumProtocol(), 3333, 4444, 14444),
                new Entry(DnsProtocol.overTcp(), 53),
                new Entry(DnsProtocol.overUdp(), 53, 5353, 5355));
    }
}
