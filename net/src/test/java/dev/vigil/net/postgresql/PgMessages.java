package dev.vigil.net.postgresql;

import dev.vigil.net.app.Wire;

/** PostgreSQL protocol-3 messages built for tests. */
final class PgMessages {

    private PgMessages() {
    }

    static byte[] startup(String... pairs) {
        Wire body = Wire.create().u32(196608);
        for (String p : pairs) {
            body.cstring(p);
        }
        body.u8(0);
        byte[] b = body.toByteArray();
        return Wire.create().u32(b.length + 4).bytes(b).toByteArray();
    }

    static byte[] sslRequest() {
        return Wire.create().u32(8).u32(PostgresqlAnalyzer.SSL_REQUEST).toByteArray();
    }

    static byte[] message(char type, Wire body) {
        byte[] b = body.toByteArray();
        return Wire.create().u8(type).u32(b.length + 4).bytes(b).toByteArray();
    }

    static byte[] query(String sql) {
        return message('Q', Wire.create().cstring(sql));
    }

    static byte[] parse(String name, String sql) {
        return message('P', Wire.create().cstring(name).cstring(sql).u16(0));
    }

    static byte[] bind(String portal, String statement) {
        return message('B', Wire.create().cstring(portal).cstring(statement).u16(0).u16(0).u16(0));
    }

    static byte[] execute(String portal) {
        return message('E', Wire.create().cstring(portal).u32(0));
    }

    static byte[] sync() {
        return message('S', Wire.create());
    }

    static byte[] terminate() {
        return message('X', Wire.create());
    }

    static byte[] auth(int code) {
        return message('R', Wire.create().u32(code));
    }

    static byte[] parameter(String name, String value) {
        return message('S', Wire.create().cstring(name).cstring(value));
    }

    static byte[] ready(char status) {
        return message('Z', Wire.create().u8(status));
    }

    static byte[] dataRow() {
        return message('D', Wire.create().u16(1).u32(1).ascii("1"));
    }

    static byte[] complete(String tag) {
        return message('C', Wire.create().cstring(tag));
    }

    static byte[] error(String code, String text) {
        return message('E', Wire.create().u8('S').cstring("ERROR").u8('C').cstring(code).u8('M').cstring(text).u8(0));
    }

    static byte[] parseComplete() {
        return message('1', Wire.create());
    }

    static byte[] bindComplete() {
        return message('2', Wire.create());
    }

    static byte[] concat(byte[]... parts) {
        Wire w = Wire.create();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toByteArray();
    }
}
