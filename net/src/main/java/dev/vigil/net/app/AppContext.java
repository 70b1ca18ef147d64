package dev.vigil.net.app;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.record.LogRecord;

/**
 * What an {@link AppAnalyzer} knows about its connection and may tell the flow engine. Implemented
 * by the flow engine, one per connection.
 */
public interface AppContext {

    /** The connection's endpoints, oriented originator → responder. */
    ConnId id();

    /** Zeek-style connection uid ({@code C} followed by base62), shared by every record of the connection. */
    String uid();

    /** The outer VLAN id, or -1 when untagged. */
    int vlan();

    /** Emits an application record ({@code http}, {@code dns}, …); records of a connection keep emission order. */
    void emit(LogRecord record);

    /** Adds a protocol to the connection's {@code service} list (Zeek order: first confirmed first, e.g. {@code http,ssl}). */
    void addService(String service);

    /** Records whether the connection's payload is encrypted from now on ({@code conn.encrypted}). */
    void encrypted(boolean encrypted);

    /** Reports malformed or unexpected input, e.g. {@code dns_compression_loop}; counted, never fatal. */
    void anomaly(String name, String detail);

    /**
     * Declares that the originator is really the responder, e.g. when the first DNS message seen is a
     * response (Zeek's {@code flip_roles}). The flow engine swaps the connection's orientation,
     * counters and history; {@link #id()} answers the new orientation afterwards.
     */
    void flipRoles();

    /**
     * Hands the rest of the connection to another analyzer, e.g. after HTTP {@code CONNECT} succeeds
     * (pass {@code null}: protocol detection runs again) or after {@code Upgrade: h2c} (pass the HTTP/2
     * analyzer). Later data goes to the returned analyzer; the caller forwards to it the bytes of the
     * current call that follow the switch point.
     *
     * @return the analyzer now in charge of the connection
     */
    AppAnalyzer switchTo(AppAnalyzer next);
}
