package dev.vigil.host.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** How a connected socket is known to be an accepted one: a listener on its local port in the process's namespace. */
class SocketPeerTest {

    @Test
    void aListenerOnThePortMakesItsConnectionsAccepted() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        int port;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = server.getLocalPort();
            assertThat(SocketPeer.listening(self, port)).isTrue();
        }
        assertThat(SocketPeer.listening(self, port)).as("after the listener closed").isFalse();
        assertThat(SocketPeer.listening(Integer.MAX_VALUE, port)).as("a process that does not exist").isFalse();
    }
}
