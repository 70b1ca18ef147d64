package dev.vigil.net.ssh;

import dev.vigil.model.net.SshRecord;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Hashes;
import dev.vigil.net.app.StreamDecoder;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * Reads an SSH connection up to its first key exchange: each side's version banner, each side's
 * KEXINIT (RFC 4253 section 7.1) from which the negotiated algorithms and HASSH fingerprints follow,
 * the server host key from the key exchange reply, and NEWKEYS, after which everything is encrypted.
 * The {@code ssh} record is emitted once both sides sent NEWKEYS (reporting {@code encrypted(true)}),
 * or when the connection ends first.
 *
 * <p>Per direction: {@code READ_BANNER} (lines up to {@value #MAX_LINE} bytes; a server may send up to
 * {@value #MAX_PRE_BANNER_LINES} other lines first), then {@code READ_PACKET} (binary packets of at
 * most {@value #MAX_PACKET_LENGTH} bytes, RFC 4253 section 6.1; only KEXINIT and the key exchange
 * reply are buffered, other packets are skipped), then {@code DONE}. SSH-1 connections stop after the
 * banners. Name-lists are kept up to {@value #MAX_NAME_LIST} bytes each.
 */
final class SshAnalyzer extends DecoderPair {

    static final int MAX_LINE = 1024;
    static final int MAX_PRE_BANNER_LINES = 32;
    static final int MAX_PACKET_LENGTH = 35000;
    static final int MAX_NAME_LIST = 4096;

    private static final int MSG_KEXINIT = 20;
    private static final int MSG_NEWKEYS = 21;
    private static final int MSG_KEX_REPLY = 31;
    private static final int MSG_KEX_DH_GEX_REPLY = 33;

    private static final int KEX = 0;
    private static final int HOST_KEY = 1;
    private static final int CIPHER_C2S = 2;
    private static final int CIPHER_S2C = 3;
    private static final int MAC_C2S = 4;
    private static final int MAC_S2C = 5;
    private static final int COMPRESSION_C2S = 6;
    private static final int COMPRESSION_S2C = 7;

    private final Side client = new Side(true);
    private final Side server = new Side(false);
    private String hostKey;

    SshAnalyzer(AppContext context) {
        super(context, "ssh", false);
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return direction == Direction.ORIG ? client : server;
    }

    @Override
    public void end(long tsMicros) {
        if (analysisStopped()) {
            return;
        }
        if (client.newKeys || server.newKeys || (client.banner != null && server.banner != null
                && client.kexinit != null && server.kexinit != null)) {
            context.encrypted(true);
        }
        if (client.banner != null || server.banner != null) {
            emit();
        }
    }

    private void emit() {
        stopAnalysis();
        String[] c = client.kexinit;
        String[] s = server.kexinit;
        boolean both = c != null && s != null;
        context.emit(new SshRecord(firstMicros / 1_000_000d, context.uid(), context.id(), majorVersion(),
                client.banner, server.banner,
                both ? bidirectional(c[CIPHER_C2S], s[CIPHER_C2S], c[CIPHER_S2C], s[CIPHER_S2C]) : null,
                both ? bidirectional(c[MAC_C2S], s[MAC_C2S], c[MAC_S2C], s[MAC_S2C]) : null,
                both ? bidirectional(c[COMPRESSION_C2S], s[COMPRESSION_C2S], c[COMPRESSION_S2C], s[COMPRESSION_S2C]) : null,
                both ? negotiate(c[KEX], s[KEX]) : null, both ? negotiate(c[HOST_KEY], s[HOST_KEY]) : null, hostKey,
                c == null ? null : hassh(c, CIPHER_C2S, MAC_C2S, COMPRESSION_C2S),
                s == null ? null : hassh(s, CIPHER_S2C, MAC_S2C, COMPRESSION_S2C)));
    }

    /** SSH-1.99 servers speak both; the client's banner decides. */
    private Integer majorVersion() {
        String v = client.protocolVersion != null ? client.protocolVersion : server.protocolVersion;
        if (v == null) {
            return null;
        }
        if (v.equals("1.99") || v.startsWith("2.")) {
            return 2;
        }
        return v.startsWith("1.") ? 1 : null;
    }

    private static String hassh(String[] lists, int cipher, int mac, int compression) {
        return Hashes.md5(lists[KEX] + ';' + lists[cipher] + ';' + lists[mac] + ';' + lists[compression]);
    }

    /** The first client algorithm the server also offers (RFC 4253 section 7.1), as Zeek logs it. */
    static String negotiate(String clientList, String serverList) {
        for (String c : clientList.split(",", -1)) {
            for (String s : serverList.split(",", -1)) {
                if (c.equals(s)) {
                    return c;
                }
            }
        }
        return "Algorithm negotiation failed";
    }

    private static String bidirectional(String clientC2s, String serverC2s, String clientS2c, String serverS2c) {
        String toServer = negotiate(clientC2s, serverC2s);
        String toClient = negotiate(clientS2c, serverS2c);
        return toServer.equals(toClient) ? toServer : "To server: " + toServer + ", to client: " + toClient;
    }

    private void newKeys() {
        if (client.newKeys && server.newKeys) {
            context.encrypted(true);
            emit();
        }
    }

    /** The banner and binary-packet framing of one direction. */
    private final class Side extends StreamDecoder {
        private enum State { READ_BANNER, READ_PACKET, DONE }

        private final boolean isClient;
        private State state = State.READ_BANNER;
        private int preBannerLines;
        String banner;
        String protocolVersion;
        String[] kexinit;
        boolean newKeys;

        Side(boolean isClient) {
            super(MAX_PACKET_LENGTH + 4);
            this.isClient = isClient;
        }

        String name() {
            return isClient ? "client" : "server";
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            return switch (state) {
                case READ_BANNER -> decodeBanner(in, offset, length);
                case READ_PACKET -> decodePacket(in, offset, length);
                case DONE -> {
                    stop();
                    yield length;
                }
            };
        }

        private int decodeBanner(MemorySegment in, long offset, int length) {
            long newline = Bytes.indexOf(in, offset, offset + Math.min(length, MAX_LINE), '\n');
            if (newline < 0) {
                if (length >= MAX_LINE) {
                    context.anomaly("ssh_banner_too_long", "no end of line in the first " + MAX_LINE + " bytes of the "
                            + name() + " banner; parsing stops");
                    stop();
                    return length;
                }
                return needMore(length + 1);
            }
            int lineLength = (int) (newline - offset);
            int textLength = lineLength > 0 && Bytes.u8(in, newline - 1) == '\r' ? lineLength - 1 : lineLength;
            if (textLength >= 4 && Bytes.equalsAscii(in, offset, 4, "SSH-")) {
                banner = Bytes.latin1(in, offset, textLength, MAX_LINE);
                int dash = banner.indexOf('-', 4);
                protocolVersion = dash > 4 ? banner.substring(4, dash) : banner.substring(4);
                confirm();
                state = protocolVersion.equals("1.99") || protocolVersion.startsWith("2.") ? State.READ_PACKET : State.DONE;
            } else if (isClient || ++preBannerLines > MAX_PRE_BANNER_LINES) {
                context.anomaly("ssh_no_banner", "the " + name() + " sent " + (isClient ? "a line" : preBannerLines + " lines")
                        + " not starting with SSH-; parsing stops");
                stop();
            }
            return lineLength + 1;
        }

        private int decodePacket(MemorySegment in, long offset, int length) {
            if (length < 6) {
                return needMore(6);
            }
            long packetLength = Bytes.u32(in, offset);
            int padding = Bytes.u8(in, offset + 4);
            int type = Bytes.u8(in, offset + 5);
            if (packetLength < 5 || packetLength > MAX_PACKET_LENGTH || padding >= packetLength) {
                context.anomaly("ssh_bad_packet", "packet length " + packetLength + " (limit " + MAX_PACKET_LENGTH
                        + ") padding " + padding + " in the " + name() + " direction; parsing stops");
                stop();
                return length;
            }
            int total = 4 + (int) packetLength;
            boolean wanted = type == MSG_KEXINIT || (!isClient && (type == MSG_KEX_REPLY || type == MSG_KEX_DH_GEX_REPLY));
            if (!wanted) {
                if (type == MSG_NEWKEYS) {
                    newKeys = true;
                    state = State.DONE;
                    newKeys();
                    return Math.min(length, total);
                }
                skip(total - 6);
                return 6;
            }
            if (length < total) {
                return needMore(total);
            }
            long payload = offset + 5;
            int payloadLength = (int) packetLength - 1 - padding;
            if (type == MSG_KEXINIT) {
                kexinit(in, payload, payloadLength);
            } else {
                kexReply(type, in, payload, payloadLength);
            }
            return total;
        }

        private void kexinit(MemorySegment in, long payload, int payloadLength) {
            if (kexinit != null) {
                return;
            }
            String[] lists = new String[10];
            long at = payload + 17;
            long end = payload + payloadLength;
            for (int i = 0; i < lists.length; i++) {
                if (at + 4 > end) {
                    context.anomaly("ssh_malformed_kexinit", "the " + name() + " KEXINIT ends before name-list " + i);
                    return;
                }
                long len = Bytes.u32(in, at);
                if (len > end - at - 4) {
                    context.anomaly("ssh_malformed_kexinit", "the " + name() + " KEXINIT name-list " + i + " length "
                            + len + " overruns the packet");
                    return;
                }
                lists[i] = Bytes.latin1(in, at + 4, (int) len, MAX_NAME_LIST);
                at += 4 + len;
            }
            kexinit = lists;
        }

        private void kexReply(int type, MemorySegment in, long payload, int payloadLength) {
            if (hostKey != null || client.kexinit == null || server.kexinit == null) {
                return;
            }
            boolean groupExchange = negotiate(client.kexinit[KEX], server.kexinit[KEX]).startsWith("diffie-hellman-group-exchange");
            if ((type == MSG_KEX_DH_GEX_REPLY) != groupExchange || payloadLength < 5) {
                return;
            }
            long keyLength = Bytes.u32(in, payload + 1);
            if (keyLength > payloadLength - 5) {
                context.anomaly("ssh_malformed_kex_reply", "host key length " + keyLength + " overruns the packet");
                return;
            }
            String hex = HexFormat.ofDelimiter(":").formatHex(
                    Hashes.digest("MD5", Bytes.copy(in, payload + 5, (int) keyLength)));
            hostKey = hex;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("ssh_framing", detail);
        }
    }
}
