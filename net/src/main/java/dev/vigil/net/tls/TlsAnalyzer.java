package dev.vigil.net.tls;

import dev.vigil.model.net.SslRecord;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.StreamDecoder;
import java.lang.foreign.MemorySegment;

/**
 * Follows a TLS handshake in both directions and emits one {@code ssl} record when it is
 * established, or when the connection ends first.
 *
 * <p>Each direction has two framing layers: the record layer ({@link RecordLayer}) reads 5-byte
 * record headers, streams plaintext handshake records into the handshake layer and skips everything
 * else without copying; the handshake layer ({@link HandshakeLayer}) reassembles handshake messages
 * that span records or segments and parses ClientHello, ServerHello, Certificate and
 * ServerKeyExchange. Once a direction sends ChangeCipherSpec its later handshake records are
 * encrypted (the Finished message). The handshake counts as established when both directions sent
 * an encrypted Finished (TLS 1.2 and earlier) or application data after a TLS 1.3 ServerHello; the
 * record is then emitted, {@code encrypted(true)} reported, and the analyzer stops looking at the
 * connection. An SSLv2-compatible ClientHello (RFC 5246 appendix E.2) is read for its version.
 *
 * <p>Limits: records of at most {@value #MAX_RECORD_LENGTH} bytes (2^14 + 2048, RFC 5246 section
 * 6.2.3), handshake messages of at most {@value #MAX_HANDSHAKE_LENGTH} bytes buffered (longer ones are
 * skipped with {@code tls_handshake_too_long}); ClientHello list limits are in {@link ClientHello}.
 */
final class TlsAnalyzer extends DecoderPair {

    static final int MAX_RECORD_LENGTH = 16384 + 2048;
    static final int MAX_HANDSHAKE_LENGTH = 65536;

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int HEARTBEAT = 24;

    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 2;
    private static final int CERTIFICATE = 11;
    private static final int SERVER_KEY_EXCHANGE = 12;
    private static final int CLIENT_KEY_EXCHANGE = 16;

    private Side orig;
    private Side resp;

    private ClientHello clientHello;
    private ServerHello serverHello;
    private String subject;
    private String issuer;
    private int curve = -1;
    private String lastAlert;
    private int sslv2Version = -1;
    private boolean tls13;
    private boolean sawCertificate;
    private boolean sawClientKeyExchange;
    private boolean resumedAbbreviated;

    TlsAnalyzer(AppContext context) {
        super(context, "ssl", false);
        this.orig = new Side(true);
        this.resp = new Side(false);
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return side(direction).records;
    }

    @Override
    protected String gapAnomaly() {
        return "tls_gap";
    }

    @Override
    public void end(long tsMicros) {
        if (analysisStopped()) {
            return;
        }
        nowMicros = tsMicros;
        if (encryptionStarted()) {
            context.encrypted(!nullCipher());
        }
        if (clientHello != null || serverHello != null || sslv2Version >= 0) {
            emit(false);
        }
    }

    private Side side(Direction direction) {
        return direction == Direction.ORIG ? orig : resp;
    }

    private boolean encryptionStarted() {
        return orig.encrypted || resp.encrypted || orig.applicationData || resp.applicationData || tls13;
    }

    private boolean nullCipher() {
        if (serverHello == null || serverHello.cipher < 0) {
            return false;
        }
        String name = TlsNames.cipher(serverHello.cipher);
        return name.contains("_WITH_NULL_") || name.equals("TLS_NULL_WITH_NULL_NULL");
    }

    private void checkEstablished() {
        boolean done = tls13
                ? orig.applicationData && resp.applicationData
                : (orig.finished && resp.finished) || (orig.applicationData && resp.applicationData);
        if (done && (clientHello != null || serverHello != null)) {
            context.encrypted(!nullCipher());
            emit(true);
        }
    }

    private void emit(boolean established) {
        stopAnalysis();
        String version = null;
        String cipher = null;
        String nextProtocol = null;
        String ja3s = null;
        Boolean resumed = null;
        if (serverHello != null && serverHello.cipher >= 0) {
            version = TlsNames.version(serverHello.negotiatedVersion());
            cipher = TlsNames.cipher(serverHello.cipher);
            nextProtocol = serverHello.alpn;
            ja3s = TlsFingerprints.ja3s(serverHello);
            resumed = resumed();
        } else if (sslv2Version >= 0) {
            version = TlsNames.version(sslv2Version);
        }
        ClientHello c = clientHello;
        double ts = (firstMicros >= 0 ? firstMicros : nowMicros) / 1_000_000d;
        context.emit(new SslRecord(ts, context.uid(), context.id(), version, cipher,
                curve >= 0 ? TlsNames.group(curve) : null, c == null ? null : c.serverName,
                resumed == null ? Boolean.FALSE : resumed, lastAlert, nextProtocol, established,
                c == null || c.alpn.isEmpty() ? null : c.alpn, c == null ? null : TlsFingerprints.ja3(c), ja3s,
                c == null ? null : TlsFingerprints.ja4(c), subject, issuer));
    }

    /** Zeek's three cases: session id echoed (before TLS 1.3), abbreviated handshake, PSK accepted (TLS 1.3). */
    private boolean resumed() {
        if (tls13) {
            return serverHello.pskAccepted;
        }
        if (clientHello != null && clientHello.sessionIdLength > 0
                && java.util.Arrays.equals(clientHello.sessionId, serverHello.sessionId)) {
            return true;
        }
        return resumedAbbreviated;
    }

    /**
     * ChangeCipherSpec switches a direction to encrypted only after a TLS 1.2 (or older) ServerHello;
     * in TLS 1.3 it is the middlebox-compatibility dummy (RFC 8446 appendix D.4), which may come before
     * a HelloRetryRequest's second ClientHello and the real ServerHello, both still in clear.
     */
    private void changeCipherSpec(Side side) {
        if (serverHello == null || tls13) {
            return;
        }
        side.encrypted = true;
        if (!side.client && !sawCertificate && !sawClientKeyExchange) {
            resumedAbbreviated = true;
        }
    }

    private void handshake(Side side, int type, MemorySegment s, long at, int length) {
        switch (type) {
            case CLIENT_HELLO -> {
                if (!side.client && clientHello == null && serverHello == null) {
                    flipRoles();
                }
                if (!side.client) {
                    context.anomaly("tls_client_hello_from_server", "ClientHello sent by the responder after the handshake began");
                    return;
                }
                if (clientHello != null) {
                    return;
                }
                ClientHello hello = new ClientHello();
                String problem = hello.parse(s, at, length);
                clientHello = hello;
                if (problem != null) {
                    context.anomaly("tls_malformed_client_hello", problem);
                } else {
                    confirm();
                }
                if (hello.truncated) {
                    context.anomaly("tls_list_truncated", "ClientHello lists cut at " + ClientHello.MAX_LIST
                            + " values or " + ClientHello.MAX_ALPN + " ALPN protocols");
                }
            }
            case SERVER_HELLO -> {
                if (side.client && clientHello == null && serverHello == null) {
                    flipRoles();
                }
                if (side.client) {
                    context.anomaly("tls_server_hello_from_client", "ServerHello sent by the originator");
                    return;
                }
                ServerHello hello = new ServerHello();
                String problem = hello.parse(s, at, length);
                if (problem != null) {
                    context.anomaly("tls_malformed_server_hello", problem);
                }
                if (hello.cipher < 0) {
                    return;
                }
                confirm();
                if (hello.helloRetry) {
                    if (hello.keyShareGroup >= 0) {
                        curve = hello.keyShareGroup;
                    }
                    return;
                }
                serverHello = hello;
                int v = hello.negotiatedVersion();
                tls13 = v == 0x0304 || (v >> 8) == 0x7f || v == 0xfb1a || v == 0xfb17;
                if (tls13 && hello.keyShareGroup >= 0) {
                    curve = hello.keyShareGroup;
                }
            }
            case CERTIFICATE -> {
                if (side.client) {
                    return;
                }
                sawCertificate = true;
                if (subject == null && length >= 6) {
                    int listLength = Bytes.u24(s, at);
                    int certLength = Bytes.u24(s, at + 3);
                    if (listLength + 3 > length || certLength + 6 > length) {
                        context.anomaly("tls_malformed_certificate", "certificate list length " + listLength
                                + " or first certificate length " + certLength + " exceeds the message length " + length);
                        return;
                    }
                    X509Names names = X509Names.parse(s, at + 6, certLength);
                    if (names == null) {
                        context.anomaly("tls_malformed_certificate", "the leaf certificate's DER names could not be read");
                    } else {
                        subject = names.subject;
                        issuer = names.issuer;
                    }
                }
            }
            case SERVER_KEY_EXCHANGE -> {
                sawCertificate = true;
                if (!side.client && serverHello != null && length >= 3 && Bytes.u8(s, at) == 3) {
                    String cipher = TlsNames.cipher(serverHello.cipher);
                    if (cipher.contains("ECDHE") || cipher.contains("ECDH_anon")) {
                        curve = Bytes.u16(s, at + 1);
                    }
                }
            }
            case CLIENT_KEY_EXCHANGE -> sawClientKeyExchange = true;
            default -> {
            }
        }
    }

    /** The first hello came from the side the flow engine took for the other one: swap, as Zeek's {@code ^}. */
    private void flipRoles() {
        context.flipRoles();
        Side formerOrig = orig;
        orig = resp;
        resp = formerOrig;
        orig.client = true;
        resp.client = false;
    }

    /** Reads an SSLv2 CLIENT-HELLO (msg 1) or SERVER-HELLO (msg 4) record body for its version. */
    private void sslv2(Side side, MemorySegment s, long at, int length) {
        int type = length > 0 ? Bytes.u8(s, at) : -1;
        if (side.client && type == 1 && length >= 9) {
            sslv2Version = Bytes.u16(s, at + 1);
            confirm();
        } else if (!side.client && type == 4 && length >= 11) {
            sslv2Version = Bytes.u16(s, at + 3);
            confirm();
            context.encrypted(true);
            emit(false);
        } else {
            context.anomaly("tls_malformed_sslv2", "SSLv2 message type " + type + " with length " + length);
            side.records.stop();
        }
    }

    /** The two framing layers of one direction. */
    private final class Side {
        boolean client;
        boolean encrypted;
        boolean finished;
        boolean applicationData;
        final RecordLayer records = new RecordLayer(this);
        final HandshakeLayer handshakes = new HandshakeLayer(this);

        Side(boolean client) {
            this.client = client;
        }
    }

    /** Record layer: {@code READ_HEADER} then {@code READ_HANDSHAKE} (streamed), a small buffered body, or a skip. */
    private final class RecordLayer extends StreamDecoder {
        private enum State { READ_HEADER, READ_HANDSHAKE, READ_SMALL_BODY }

        private final Side side;
        private State state = State.READ_HEADER;
        private int contentType;
        private int remaining;
        private boolean first = true;

        RecordLayer(Side side) {
            super(MAX_RECORD_LENGTH + 5);
            this.side = side;
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            return switch (state) {
                case READ_HEADER -> decodeHeader(in, offset, length);
                case READ_HANDSHAKE -> decodeHandshake(in, offset, length);
                case READ_SMALL_BODY -> decodeSmallBody(in, offset, length);
            };
        }

        private int decodeHeader(MemorySegment in, long offset, int length) {
            int b0 = Bytes.u8(in, offset);
            if (first && (b0 & 0x80) != 0) {
                if (length < 2) {
                    return needMore(2);
                }
                int bodyLength = ((b0 & 0x7f) << 8) | Bytes.u8(in, offset + 1);
                if (length < 2 + bodyLength) {
                    return needMore(2 + bodyLength);
                }
                first = false;
                sslv2(side, in, offset + 2, bodyLength);
                return 2 + bodyLength;
            }
            if (length < 5) {
                return needMore(5);
            }
            int type = b0;
            int version = Bytes.u16(in, offset + 1);
            int recordLength = Bytes.u16(in, offset + 3);
            if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT || (version >> 8) != 3) {
                context.anomaly("tls_bad_record", "record type " + type + " version 0x" + Integer.toHexString(version)
                        + " in the " + (side.client ? "client" : "server") + " direction; parsing stops");
                stop();
                return length;
            }
            if (recordLength > MAX_RECORD_LENGTH) {
                context.anomaly("tls_record_too_long", "record length " + recordLength + " over the limit "
                        + MAX_RECORD_LENGTH + " (type " + type + "); parsing stops");
                stop();
                return length;
            }
            first = false;
            contentType = type;
            remaining = recordLength;
            if (type == HANDSHAKE && !side.encrypted) {
                state = recordLength > 0 ? State.READ_HANDSHAKE : State.READ_HEADER;
            } else if ((type == ALERT || type == CHANGE_CIPHER_SPEC) && !side.encrypted && recordLength <= 2
                    && recordLength > 0) {
                state = State.READ_SMALL_BODY;
            } else {
                skip(recordLength);
                opaque(type);
            }
            return 5;
        }

        private void opaque(int type) {
            switch (type) {
                case APPLICATION_DATA -> {
                    side.applicationData = true;
                    confirm();
                    checkEstablished();
                }
                case HANDSHAKE -> {
                    side.finished = true;
                    checkEstablished();
                }
                case CHANGE_CIPHER_SPEC -> changeCipherSpec(side);
                default -> {
                }
            }
        }

        private int decodeHandshake(MemorySegment in, long offset, int length) {
            int n = Math.min(length, remaining);
            side.handshakes.feed(in, offset, n);
            remaining -= n;
            if (remaining == 0) {
                state = State.READ_HEADER;
            }
            return n;
        }

        private int decodeSmallBody(MemorySegment in, long offset, int length) {
            if (length < remaining) {
                return needMore(remaining);
            }
            if (contentType == ALERT && remaining == 2) {
                lastAlert = TlsNames.alert(Bytes.u8(in, offset + 1));
            } else if (contentType == CHANGE_CIPHER_SPEC) {
                changeCipherSpec(side);
            }
            state = State.READ_HEADER;
            return remaining;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("tls_framing", detail);
        }
    }

    /** Handshake layer: 4-byte header, then the whole message when within {@link #MAX_HANDSHAKE_LENGTH}. */
    private final class HandshakeLayer extends StreamDecoder {
        private final Side side;

        HandshakeLayer(Side side) {
            super(MAX_HANDSHAKE_LENGTH + 4);
            this.side = side;
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            if (length < 4) {
                return needMore(4);
            }
            int type = Bytes.u8(in, offset);
            int messageLength = Bytes.u24(in, offset + 1);
            if (messageLength > MAX_HANDSHAKE_LENGTH) {
                context.anomaly("tls_handshake_too_long", "handshake message type " + type + " length "
                        + messageLength + " over the limit " + MAX_HANDSHAKE_LENGTH + "; skipped");
                skip(messageLength);
                return 4;
            }
            if (length < 4 + messageLength) {
                return needMore(4 + messageLength);
            }
            handshake(side, type, in, offset + 4, messageLength);
            return 4 + messageLength;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("tls_framing", detail);
        }
    }
}
