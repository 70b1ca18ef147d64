package dev.vigil.net.tls;

import java.util.List;

/** Complete TLS hello records for tests of other packages that hand connections to TLS. */
public final class TlsTestHellos {

    private TlsTestHellos() {
    }

    public static byte[] clientHelloRecord(String serverName) {
        return TlsMessages.record(22, TlsMessages.clientHello(serverName, List.of(), new int[] {0x1301},
                new int[] {29}, new int[] {0x0403}));
    }

    public static byte[] serverHelloRecord() {
        return TlsMessages.record(22, TlsMessages.serverHello(0x0304, 0x1301, null));
    }
}
