package dev.vigil.net.mysql;

import dev.vigil.net.app.Wire;

/** MySQL packets built for tests. */
final class MysqlMessages {

    static final int CAPABILITIES = 0x0200 | 0x8000 | 0x0008 | 0x0002_0000 | 0x0008_0000;

    private MysqlMessages() {
    }

    static byte[] packet(int sequence, Wire payload) {
        byte[] p = payload.toByteArray();
        return Wire.create().u24le(p.length).u8(sequence).bytes(p).toByteArray();
    }

    static byte[] greeting(String version, int capabilities) {
        return packet(0, Wire.create().u8(10).cstring(version).i32le(7).ascii("abcdefgh").u8(0)
                .u16le(capabilities & 0xffff).u8(33).u16le(2).u16le(capabilities >>> 16).u8(21).zeros(10)
                .ascii("ijklmnopqrst").u8(0).cstring("mysql_native_password"));
    }

    static byte[] login(String user, int capabilities) {
        return packet(1, Wire.create().i32le(capabilities).i32le(1 << 24).u8(33).zeros(23).cstring(user)
                .prefixed(1, Wire.create().zeros(20)).cstring("mysql_native_password"));
    }

    static byte[] ok(int sequence, int affected, int status) {
        return packet(sequence, Wire.create().u8(0).u8(affected).u8(0).u16le(status).u16le(0));
    }

    static byte[] err(int sequence, int code, String message) {
        return packet(sequence, Wire.create().u8(0xff).u16le(code).ascii("#42S02").ascii(message));
    }

    static byte[] eof(int sequence, int status) {
        return packet(sequence, Wire.create().u8(0xfe).u16le(0).u16le(status));
    }

    static byte[] command(int code, String arg) {
        return packet(0, Wire.create().u8(code).ascii(arg));
    }

    static byte[] columnDef(int sequence, String name) {
        return packet(sequence, Wire.create().prefixed(1, Wire.create().ascii("def")).u8(0).u8(0).u8(0)
                .prefixed(1, Wire.create().ascii(name)).u8(0).u8(0x0c).u16le(33).i32le(11).u8(3).u16le(0).u8(0).u16le(0));
    }

    static byte[] row(int sequence, String... values) {
        Wire w = Wire.create();
        for (String v : values) {
            w.prefixed(1, Wire.create().ascii(v));
        }
        return packet(sequence, w);
    }

    /** A one-column text result set with {@code rows} rows, terminated by EOF with {@code status}. */
    static byte[] resultSet(int rows, int status) {
        Wire w = Wire.create().bytes(packet(1, Wire.create().u8(1))).bytes(columnDef(2, "c")).bytes(eof(3, 0));
        for (int i = 0; i < rows; i++) {
            w.bytes(row(4 + i, "v" + i));
        }
        return w.bytes(eof(4 + rows, status)).toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        Wire w = Wire.create();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toByteArray();
    }
}
