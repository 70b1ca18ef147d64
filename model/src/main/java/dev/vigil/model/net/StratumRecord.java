package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One session request of a Stratum mining connection (JSON-RPC over TCP: {@code mining.subscribe},
 * {@code mining.authorize}, XMRig's {@code login}, {@code eth_submitLogin} …) and the pool's answer
 * ({@code stratum} log; Zeek has none). Share submissions are counted, not logged one by one.
 *
 * @param user the worker or wallet the miner authorizes as
 * @param agent the mining software's self-description, e.g. {@code XMRig/6.21.0}
 * @param submits shares submitted on the connection so far
 */
public record StratumRecord(double ts, String uid, ConnId id, String method, String user, String agent,
        Boolean success, String error, long submits) implements LogRecord {

    @Override
    public String log() {
        return "stratum";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("method", method).string("user", user).string("agent", agent).bool("success", success)
                .string("error", error).number("submits", submits);
    }
}
