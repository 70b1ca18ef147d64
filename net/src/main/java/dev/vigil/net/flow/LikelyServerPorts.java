package dev.vigil.net.flow;

import dev.vigil.net.decode.Packet;

/**
 * Ports that are likely a server's, used only to orient flows whose first packet does not tell
 * (Zeek's {@code likely_server_ports}: the ports its analyzers register). Never used to label a
 * protocol.
 */
final class LikelyServerPorts {

    private static final boolean[] TCP = new boolean[65_536];
    private static final boolean[] UDP = new boolean[65_536];

    static {
        for (int p : new int[] {21, 22, 23, 25, 53, 80, 88, 110, 111, 135, 139, 143, 179, 389, 443, 445, 465, 502,
                587, 636, 873, 993, 995, 1080, 1433, 1521, 1883, 2049, 2181, 2375, 2376, 3128, 3306, 3389, 4369,
                5000, 5222, 5432, 5672, 5900, 5984, 6379, 6443, 6667, 8000, 8008, 8080, 8081, 8443, 8888, 9000,
                9042, 9092, 9200, 9300, 10250, 11211, 15672, 27017}) {
            TCP[p] = true;
        }
        for (int p : new int[] {53, 67, 68, 69, 88, 123, 137, 138, 161, 162, 443, 500, 514, 1812, 1813, 1900, 3478,
                4500, 4789, 5060, 5353, 5355, 8472, 11211}) {
            UDP[p] = true;
        }
    }

    private LikelyServerPorts() {
    }

    static boolean contains(int protocol, int port) {
        return protocol == Packet.TCP ? TCP[port] : protocol == Packet.UDP && UDP[port];
    }
}
