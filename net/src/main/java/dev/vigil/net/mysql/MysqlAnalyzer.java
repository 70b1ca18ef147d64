package dev.vigil.net.mysql;

import dev.vigil.model.net.MysqlRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.StreamDecoder;
import dev.vigil.net.tls.TlsProtocol;
import java.lang.foreign.MemorySegment;

/**
 * Follows the MySQL client/server protocol (MySQL "Client/Server Protocol" reference; MariaDB
 * speaks the same) and emits Zeek's {@code mysql} records: the login (user, outcome) and each
 * command with its outcome.
 *
 * <p>Phases: {@code GREETING} (server handshake: version, capabilities), {@code LOGIN} (client
 * HandshakeResponse; with CLIENT_SSL set and no user it is an SSLRequest and the connection goes to
 * the TLS analyzer), {@code AUTH} (auth switch and more-data rounds until OK or ERR), {@code COMMAND}
 * (client packets with sequence 0 start a command; the server's answer is an OK, ERR, EOF, a
 * statement-prepare answer, a LOCAL INFILE request, or a result set read as column count, column
 * definitions, rows and a terminator, repeated while the server flags more results), {@code DONE}
 * (compressed protocol or a broken stream). Packets of 2^24-1 bytes continue in the next packet.
 *
 * <p>Limits: at most {@value #MAX_CAPTURE} bytes of a packet are read (rows and column definitions:
 * only their first byte), the rest is skipped; record strings keep at most {@value #MAX_TEXT} bytes.
 */
final class MysqlAnalyzer extends DecoderPair {

    static final int MAX_CAPTURE = 8192;
    static final int MAX_TEXT = 4096;

    static final int MAX_PAYLOAD = 0xffffff;
    static final int CLIENT_PROTOCOL_41 = 0x0200;
    static final int CLIENT_SSL = 0x0800;
    static final int CLIENT_COMPRESS = 0x0020;
    static final int CLIENT_DEPRECATE_EOF = 0x0100_0000;
    private static final int SERVER_MORE_RESULTS_EXISTS = 0x0008;

    static final int COM_QUIT = 1;
    static final int COM_QUERY = 3;
    private static final int COM_FIELD_LIST = 4;
    private static final int COM_STATISTICS = 9;
    private static final int COM_PROCESS_KILL = 12;
    private static final int COM_STMT_PREPARE = 22;
    private static final int COM_STMT_EXECUTE = 23;
    private static final int COM_STMT_SEND_LONG_DATA = 24;
    private static final int COM_STMT_CLOSE = 25;
    private static final int COM_STMT_RESET = 26;
    private static final int COM_STMT_FETCH = 28;

    private static final String[] COMMANDS = {"sleep", "quit", "init_db", "query", "field_list", "create_db",
            "drop_db", "refresh", "shutdown", "statistics", "process_info", "connect", "process_kill", "debug", "ping",
            "time", "delayed_insert", "change_user", "binlog_dump", "table_dump", "connect_out", "register_slave",
            "stmt_prepare", "stmt_execute", "stmt_send_long_data", "stmt_close", "stmt_reset", "set_option",
            "stmt_fetch", "daemon", "binlog_dump_gtid", "reset_connection"};

    private enum Phase { GREETING, LOGIN, AUTH, COMMAND, DONE }

    /** What the server's next packet means for the current command. */
    private enum Expect { FIRST, COLUMN_DEFS, COLUMNS_EOF, ROWS, FIELD_LIST, PREPARE_DEFS, INFILE }

    private final Side client = new Side(true);
    private final Side server = new Side(false);
    private Phase phase = Phase.GREETING;
    private String serverVersion;
    private int serverCapabilities;
    private int clientCapabilities;
    private MemorySegment currentInput;
    private AppAnalyzer successor;
    private long successorFrom = -1;

    private Command current;
    private Expect expect = Expect.FIRST;
    private long remainingDefs;
    private int remainingEofs;

    /** The command waiting for its answer. */
    private static final class Command {
        final String name;
        final int code;
        final String arg;
        final double ts;
        Boolean success;
        Long rows;
        String response;
        long resultRows;
        boolean resultSet;

        Command(String name, int code, String arg, double ts) {
            this.name = name;
            this.code = code;
            this.arg = arg;
            this.ts = ts;
        }
    }

    MysqlAnalyzer(AppContext context) {
        super(context, "mysql", true);
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return direction == Direction.ORIG ? client : server;
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        currentInput = bytes;
        super.data(direction, bytes, offset, length, tsMicros);
        currentInput = null;
        if (successor != null && successorFrom >= 0) {
            long from = successorFrom;
            successorFrom = -1;
            if (offset + length > from) {
                successor.data(direction, bytes, from, (int) (offset + length - from), tsMicros);
            }
        }
    }

    @Override
    protected boolean pairedInOrder() {
        return true;
    }

    @Override
    public void end(long tsMicros) {
        nowMicros = tsMicros;
        finish();
    }

    private void finish() {
        if (current != null) {
            emit(current);
            current = null;
        }
    }

    private void emit(Command c) {
        context.emit(new MysqlRecord(c.ts, context.uid(), context.id(), c.name, c.arg, c.success, c.rows, c.response,
                c.code < 0 ? serverVersion : null, c.resultSet ? c.resultRows : null));
    }

    private void done(Command c, Boolean success) {
        c.success = success;
        if (Boolean.TRUE.equals(success) && c.rows == null) {
            c.rows = 0L;
        }
        emit(c);
        current = null;
        expect = Expect.FIRST;
    }

    private boolean deprecateEof() {
        return (serverCapabilities & clientCapabilities & CLIENT_DEPRECATE_EOF) != 0;
    }

    private boolean protocol41() {
        return (clientCapabilities & CLIENT_PROTOCOL_41) != 0;
    }

    static long lenenc(MemorySegment in, long at, long end) {
        if (at >= end) {
            return -1;
        }
        int first = Bytes.u8(in, at);
        int width = switch (first) {
            case 0xfc -> 2;
            case 0xfd -> 3;
            case 0xfe -> 8;
            case 0xfb, 0xff -> -1;
            default -> 0;
        };
        if (width == 0) {
            return first;
        }
        if (width < 0 || at + 1 + width > end) {
            return -1;
        }
        long v = 0;
        for (int i = width; i >= 1; i--) {
            v = (v << 8) | Bytes.u8(in, at + i);
        }
        return v;
    }

    private static int lenencWidth(MemorySegment in, long at) {
        return switch (Bytes.u8(in, at)) {
            case 0xfc -> 3;
            case 0xfd -> 4;
            case 0xfe -> 9;
            default -> 1;
        };
    }

    // ---- server packets

    private void serverPacket(int sequence, MemorySegment in, long at, long end, int payloadLength) {
        switch (phase) {
            case GREETING -> greeting(in, at, end);
            case AUTH -> authResult(in, at, end);
            case COMMAND -> response(in, at, end, payloadLength);
            default -> {
            }
        }
    }

    private void greeting(MemorySegment in, long at, long end) {
        int protocol = end > at ? Bytes.u8(in, at) : -1;
        if (protocol == 0xff) {
            confirm();
            Command login = new Command("login", -1, null, now());
            login.response = errorMessage(in, at, end, false);
            done(login, Boolean.FALSE);
            phase = Phase.DONE;
            return;
        }
        long versionEnd = protocol == 10 || protocol == 9 ? Bytes.indexOf(in, at + 1, end, 0) : -1;
        if (versionEnd < 0) {
            context.anomaly("mysql_bad_greeting", "server greeting with protocol " + protocol + " and no version;"
                    + " parsing stops");
            client.stop();
            server.stop();
            phase = Phase.DONE;
            return;
        }
        serverVersion = Bytes.latin1(in, at + 1, (int) (versionEnd - at - 1), MAX_TEXT);
        long p = versionEnd + 1 + 4 + 8 + 1;
        if (p + 2 <= end) {
            serverCapabilities = Bytes.u16le(in, p);
        }
        if (p + 2 + 1 + 2 + 2 <= end) {
            serverCapabilities |= Bytes.u16le(in, p + 5) << 16;
        }
        confirm();
        phase = Phase.LOGIN;
    }

    private void authResult(MemorySegment in, long at, long end) {
        if (current == null || end <= at) {
            return;
        }
        int header = Bytes.u8(in, at);
        if (header == 0x00) {
            current.rows = Math.max(0, lenenc(in, at + 1, end));
            done(current, Boolean.TRUE);
            phase = (clientCapabilities & serverCapabilities & CLIENT_COMPRESS) != 0 ? Phase.DONE : Phase.COMMAND;
            if (phase == Phase.DONE) {
                client.stop();
                server.stop();
            }
        } else if (header == 0xff) {
            current.response = errorMessage(in, at, end, protocol41());
            done(current, Boolean.FALSE);
            phase = Phase.COMMAND;
        }
    }

    private void response(MemorySegment in, long at, long end, int payloadLength) {
        Command c = current;
        if (c == null || end <= at) {
            return;
        }
        int header = Bytes.u8(in, at);
        if (header == 0xff && expect != Expect.INFILE) {
            c.response = errorMessage(in, at, end, protocol41());
            done(c, Boolean.FALSE);
            return;
        }
        switch (expect) {
            case FIRST -> first(c, header, in, at, end, payloadLength);
            case COLUMN_DEFS -> {
                if (--remainingDefs <= 0) {
                    expect = deprecateEof() ? Expect.ROWS : Expect.COLUMNS_EOF;
                }
            }
            case COLUMNS_EOF -> expect = Expect.ROWS;
            case ROWS -> {
                if (header == 0xfe && payloadLength < MAX_PAYLOAD) {
                    terminator(c, in, at, end, payloadLength);
                } else {
                    c.resultRows++;
                }
            }
            case FIELD_LIST -> {
                if (header == 0xfe && payloadLength < 9) {
                    done(c, Boolean.TRUE);
                }
            }
            case PREPARE_DEFS -> {
                if (--remainingDefs <= 0) {
                    done(c, Boolean.TRUE);
                }
            }
            case INFILE -> {
                if (header == 0x00) {
                    c.rows = Math.max(0, lenenc(in, at + 1, end));
                    done(c, Boolean.TRUE);
                } else if (header == 0xff) {
                    c.response = errorMessage(in, at, end, protocol41());
                    done(c, Boolean.FALSE);
                }
            }
        }
    }

    private void first(Command c, int header, MemorySegment in, long at, long end, int payloadLength) {
        if (c.code == COM_STMT_PREPARE && header == 0x00 && payloadLength >= 12) {
            int columns = Bytes.u16le(in, at + 5);
            int params = Bytes.u16le(in, at + 7);
            int eofs = deprecateEof() ? 0 : (columns > 0 ? 1 : 0) + (params > 0 ? 1 : 0);
            remainingDefs = columns + params + eofs;
            if (remainingDefs == 0) {
                done(c, Boolean.TRUE);
            } else {
                expect = Expect.PREPARE_DEFS;
            }
            return;
        }
        if (header == 0x00 && payloadLength >= 7) {
            c.rows = Math.max(0, lenenc(in, at + 1, end));
            if ((okStatus(in, at, end) & SERVER_MORE_RESULTS_EXISTS) == 0) {
                done(c, Boolean.TRUE);
            }
            return;
        }
        if (header == 0xfe && payloadLength < 9) {
            done(c, Boolean.TRUE);
            return;
        }
        if (header == 0xfb && c.code == COM_QUERY) {
            expect = Expect.INFILE;
            return;
        }
        if (c.code == COM_FIELD_LIST) {
            expect = Expect.FIELD_LIST;
            return;
        }
        if (c.code == COM_STATISTICS) {
            c.response = Bytes.latin1(in, at, (int) (end - at), MAX_TEXT);
            done(c, Boolean.TRUE);
            return;
        }
        long columns = lenenc(in, at, end);
        if (columns <= 0) {
            context.anomaly("mysql_bad_response", "unexpected answer 0x" + Integer.toHexString(header) + " to " + c.name);
            done(c, null);
            return;
        }
        c.resultSet = true;
        c.rows = 0L;
        remainingDefs = columns;
        expect = Expect.COLUMN_DEFS;
    }

    private void terminator(Command c, MemorySegment in, long at, long end, int payloadLength) {
        int status;
        if (payloadLength < 9 && !deprecateEof()) {
            status = at + 5 <= end ? Bytes.u16le(in, at + 3) : 0;
        } else {
            status = okStatus(in, at, end);
        }
        if ((status & SERVER_MORE_RESULTS_EXISTS) != 0) {
            expect = Expect.FIRST;
        } else {
            done(c, Boolean.TRUE);
        }
    }

    /** The status flags of an OK packet: after the header and two length-encoded integers. */
    private static int okStatus(MemorySegment in, long at, long end) {
        long p = at + 1;
        for (int i = 0; i < 2 && p < end; i++) {
            p += lenencWidth(in, p);
        }
        return p + 2 <= end ? Bytes.u16le(in, p) : 0;
    }

    /** The text of an ERR packet, after its code and (protocol 4.1) {@code #} and SQL state. */
    private static String errorMessage(MemorySegment in, long at, long end, boolean sqlState) {
        long p = at + 3;
        if (sqlState && p < end && Bytes.u8(in, p) == '#') {
            p += 6;
        }
        return p < end ? Bytes.utf8(in, p, (int) (end - p), MAX_TEXT) : "";
    }

    // ---- client packets

    private void clientPacket(int sequence, MemorySegment in, long at, long end, int payloadLength) {
        switch (phase) {
            case GREETING, LOGIN -> {
                if (sequence == 0 && phase == Phase.GREETING) {
                    phase = Phase.COMMAND;
                    command(in, at, end, payloadLength);
                } else {
                    login(in, at, end, payloadLength);
                }
            }
            case COMMAND -> {
                if (sequence == 0) {
                    command(in, at, end, payloadLength);
                }
            }
            default -> {
            }
        }
    }

    private void login(MemorySegment in, long at, long end, int payloadLength) {
        if (end - at < 4) {
            return;
        }
        int capabilities = Bytes.u16le(in, at);
        long user;
        if ((capabilities & CLIENT_PROTOCOL_41) != 0) {
            if (end - at < 32) {
                return;
            }
            capabilities = Bytes.i32le(in, at);
            clientCapabilities = capabilities;
            if ((capabilities & CLIENT_SSL) != 0 && payloadLength == 32) {
                confirm();
                Command ssl = new Command("ssl_request", -2, null, now());
                done(ssl, Boolean.TRUE);
                client.stop();
                server.stop();
                phase = Phase.DONE;
                successor = context.switchTo(new TlsProtocol().create(context));
                successorFrom = in == currentInput ? end : -1;
                return;
            }
            user = at + 32;
        } else {
            clientCapabilities = capabilities;
            user = at + 5;
        }
        long userEnd = Bytes.indexOf(in, user, end, 0);
        String name = Bytes.utf8(in, user, (int) ((userEnd < 0 ? end : userEnd) - user), MAX_TEXT);
        confirm();
        current = new Command("login", -1, name, now());
        phase = Phase.AUTH;
    }

    private void command(MemorySegment in, long at, long end, int payloadLength) {
        if (current != null) {
            finish();
        }
        if (end <= at) {
            return;
        }
        int code = Bytes.u8(in, at);
        String name = code < COMMANDS.length ? COMMANDS[code] : "unknown-" + code;
        String arg = switch (code) {
            case COM_QUIT -> "";
            case COM_PROCESS_KILL, COM_STMT_EXECUTE, COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE, COM_STMT_RESET,
                 COM_STMT_FETCH -> end - at >= 5 ? Long.toString(Bytes.i32le(in, at + 1) & 0xFFFF_FFFFL) : null;
            default -> {
                long stop = end;
                while (stop > at + 1 && Bytes.u8(in, stop - 1) == 0) {
                    stop--;
                }
                yield Bytes.utf8(in, at + 1, (int) (stop - at - 1), MAX_TEXT);
            }
        };
        confirm();
        Command c = new Command(name, code, arg, now());
        expect = Expect.FIRST;
        if (code == COM_QUIT || code == COM_STMT_CLOSE || code == COM_STMT_SEND_LONG_DATA) {
            emit(c);
        } else {
            current = c;
        }
    }

    /** Packet framing of one direction: 3-byte little-endian length, sequence number, payload. */
    private final class Side extends StreamDecoder {
        private final boolean isClient;
        private boolean continuation;

        Side(boolean isClient) {
            super(MAX_CAPTURE + 4);
            this.isClient = isClient;
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            if (length < 4) {
                return needMore(4);
            }
            int payloadLength = Bytes.u24le(in, offset);
            int sequence = Bytes.u8(in, offset + 3);
            if (continuation) {
                continuation = payloadLength == MAX_PAYLOAD;
                skip(payloadLength);
                return 4;
            }
            continuation = payloadLength == MAX_PAYLOAD;
            int capture = Math.min(payloadLength, captureLimit(in, offset, length, payloadLength));
            if (capture < 0) {
                return needMore(5);
            }
            if (length < 4 + capture) {
                return needMore(4 + capture);
            }
            long at = offset + 4;
            if (isClient) {
                clientPacket(sequence, in, at, at + capture, payloadLength);
            } else {
                serverPacket(sequence, in, at, at + capture, payloadLength);
            }
            skip(payloadLength - capture);
            return 4 + capture;
        }

        /** How much of the payload to read: rows and column definitions only need their first byte. */
        private int captureLimit(MemorySegment in, long offset, int length, int payloadLength) {
            boolean bulk = !isClient && phase == Phase.COMMAND
                    && (expect == Expect.ROWS || expect == Expect.COLUMN_DEFS || expect == Expect.FIELD_LIST
                    || expect == Expect.PREPARE_DEFS);
            if (!bulk || payloadLength == 0) {
                return MAX_CAPTURE;
            }
            if (length < 5) {
                return -1;
            }
            int header = Bytes.u8(in, offset + 4);
            return header == 0xfe || header == 0xff ? MAX_CAPTURE : 1;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("mysql_framing", detail);
        }
    }
}
