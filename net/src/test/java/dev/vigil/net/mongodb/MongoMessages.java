package dev.vigil.net.mongodb;

import dev.vigil.net.app.Wire;

/** BSON documents and MongoDB wire messages built for tests. */
final class MongoMessages {

    private MongoMessages() {
    }

    /** A BSON document from name/value pairs: String, Integer, Double, Boolean, or byte[] (a nested document). */
    static byte[] document(Object... pairs) {
        Wire body = Wire.create();
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            Object value = pairs[i + 1];
            switch (value) {
                case String s -> {
                    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    body.u8(0x02).cstring(name).i32le(b.length + 1).bytes(b).u8(0);
                }
                case Integer n -> body.u8(0x10).cstring(name).i32le(n);
                case Double d -> body.u8(0x01).cstring(name).i64le(Double.doubleToLongBits(d));
                case Boolean b -> body.u8(0x08).cstring(name).u8(b ? 1 : 0);
                case byte[] doc -> body.u8(0x03).cstring(name).bytes(doc);
                default -> throw new IllegalArgumentException(value.toString());
            }
        }
        byte[] b = body.toByteArray();
        return Wire.create().i32le(b.length + 5).bytes(b).u8(0).toByteArray();
    }

    static byte[] message(int requestId, int responseTo, int opCode, Wire body) {
        byte[] b = body.toByteArray();
        return Wire.create().i32le(b.length + 16).i32le(requestId).i32le(responseTo).i32le(opCode).bytes(b).toByteArray();
    }

    static byte[] msg(int requestId, int responseTo, int flags, byte[] document) {
        return message(requestId, responseTo, MongodbAnalyzer.OP_MSG, Wire.create().i32le(flags).u8(0).bytes(document));
    }

    static byte[] query(int requestId, String collection, byte[] document) {
        return message(requestId, 0, MongodbAnalyzer.OP_QUERY,
                Wire.create().i32le(0).cstring(collection).i32le(0).i32le(-1).bytes(document));
    }

    static byte[] reply(int requestId, int responseTo, int flags, byte[] document) {
        return message(requestId, responseTo, MongodbAnalyzer.OP_REPLY,
                Wire.create().i32le(flags).i64le(0).i32le(0).i32le(1).bytes(document));
    }

    static byte[] concat(byte[]... parts) {
        Wire w = Wire.create();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toByteArray();
    }
}
