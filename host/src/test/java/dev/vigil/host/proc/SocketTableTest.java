package dev.vigil.host.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SocketTableTest {

    static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
               1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 23456 1 0000000000000000 20 4 30 10 -1
               2: garbage line
            """;
    static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0
               1: 0000000000000000FFFF00000100007F:0050 0000000000000000FFFF00000200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 778 1 0000000000000000 100 0 0 10 0
            """;

    @Test
    void parsesIpv4() {
        var all = SocketTable.parse(TCP, "tcp");
        assertThat(all).hasSize(2);
        assertThat(all.getFirst()).isEqualTo(new SocketTable.Socket("tcp", false, "127.0.0.1", 8080, "0.0.0.0", 0,
                SocketTable.LISTEN, 12345));
        assertThat(all.get(1)).isEqualTo(new SocketTable.Socket("tcp", false, "127.0.0.1",
                50000, "127.0.0.1", 8080, SocketTable.ESTABLISHED, 23456));
    }

    @Test
    void parsesIpv6AndMappedIpv4() {
        var all = SocketTable.parse(TCP6, "tcp6");
        assertThat(all.get(0).localIp()).isEqualTo("::1");
        SocketTable.Socket mapped = all.get(1);
        assertThat(mapped.localIp()).isEqualTo("127.0.0.1");
        assertThat(mapped.remoteIp()).isEqualTo("127.0.0.2");
        assertThat(mapped.remotePort()).isEqualTo(0xD431);
        assertThat(SocketTable.address("000080FE00000000FFDDCCBB00000001".toLowerCase(), true)).isEqualTo("fe80::bbcc:ddff:100:0");
    }

    @Test
    void atMostMaxSocketsPerTable() {
        String line = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n";
        assertThat(SocketTable.parse(line.repeat(SocketTable.MAX_SOCKETS + 1), "tcp")).hasSize(SocketTable.MAX_SOCKETS);
    }

    @Test
    void toleratesNullAndGarbage() {
        assertThat(SocketTable.parse(null, "udp")).isEmpty();
        assertThat(SocketTable.parse("x\ny z\n 0: 1:2 3:4 zz", "udp")).isEmpty();
    }
}
