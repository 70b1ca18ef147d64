package dev.vigil.net.stratum;

import dev.vigil.model.net.StratumRecord;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.StreamDecoder;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * Follows a Stratum mining connection: newline-delimited JSON-RPC where the miner subscribes and
 * authorizes (Stratum v1 {@code mining.*}, XMRig/Monero {@code login}, Ethereum {@code eth_submitLogin})
 * and then submits shares while the pool pushes jobs. Each session request becomes one {@code stratum}
 * record when its answer (same {@code id}) arrives, carrying the worker/wallet and the miner's agent;
 * share submissions and pool notifications are only counted. Passwords are never logged.
 *
 * <p>Limits: lines of at most {@value #MAX_LINE} bytes (a longer line is skipped to its end with
 * {@code stratum_line_too_long}), {@value #MAX_PENDING} requests awaiting answers. Lines that are not
 * JSON objects are reported as {@code stratum_bad_message}.
 */
final class StratumAnalyzer extends DecoderPair {

    static final int MAX_LINE = 16384;
    static final int MAX_PENDING = 64;

    /** High-rate methods that are counted, not logged. */
    private static final Set<String> COUNTED = Set.of("mining.submit", "submit", "eth_submitWork", "eth_submitHashrate",
            "eth_getWork", "keepalived");
    private static final Set<String> SUBMITS = Set.of("mining.submit", "submit", "eth_submitWork");

    private final Lines client = new Lines(true);
    private final Lines server = new Lines(false);
    private final JsonRpc json = new JsonRpc();
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private String user;
    private String agent;
    private long submits;

    private record Pending(double ts, String method, String user, String agent) {
    }

    StratumAnalyzer(AppContext context) {
        super(context, "stratum", true);
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return direction == Direction.ORIG ? client : server;
    }

    /** A line protocol finds its place again: skip to the next line instead of stopping. */
    @Override
    public void gap(Direction direction, long length) {
        (direction == Direction.ORIG ? client : server).resynchronize();
    }

    @Override
    public void end(long tsMicros) {
        for (Pending p : pending.values()) {
            emit(p, null, null);
        }
        pending.clear();
    }

    private void emit(Pending p, Boolean success, String error) {
        context.emit(new StratumRecord(p.ts, context.uid(), context.id(), p.method, p.user, p.agent, success, error,
                submits));
    }

    private void clientMessage() {
        String method = json.method;
        if (method == null) {
            return;
        }
        confirm();
        if (SUBMITS.contains(method)) {
            submits++;
        }
        if (COUNTED.contains(method)) {
            return;
        }
        switch (method) {
            case "mining.subscribe" -> agent = json.param0 != null ? json.param0 : agent;
            case "mining.authorize", "eth_submitLogin", "eth_login" -> user = json.param0 != null ? json.param0 : user;
            case "login" -> {
                user = json.login != null ? json.login : user;
                agent = json.agent != null ? json.agent : agent;
            }
            default -> {
            }
        }
        Pending p = new Pending(now(), method, user, agent);
        if (json.id == null || json.id.equals("null")) {
            emit(p, null, null);
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            String oldest = pending.keySet().iterator().next();
            context.anomaly("stratum_pending_overflow", MAX_PENDING + " requests await answers; the oldest ("
                    + pending.get(oldest).method + ") is logged unanswered");
            emit(pending.remove(oldest), null, null);
        }
        Pending previous = pending.put(json.id, p);
        if (previous != null) {
            emit(previous, null, null);
        }
    }

    private void serverMessage() {
        if (json.method != null || json.id == null) {
            return;
        }
        Pending p = pending.remove(json.id);
        if (p != null) {
            boolean ok = json.hasResult && json.resultTruthy && !json.hasError;
            emit(p, ok, json.error);
        }
    }

    /** One direction's lines. */
    private final class Lines extends StreamDecoder {
        private final boolean fromClient;
        private boolean skippingLine;

        Lines(boolean fromClient) {
            super(MAX_LINE);
            this.fromClient = fromClient;
        }

        void resynchronize() {
            discard();
            skippingLine = true;
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            long lf = Bytes.indexOf(in, offset, offset + Math.min(length, MAX_LINE), '\n');
            if (skippingLine) {
                if (lf < 0) {
                    return Math.min(length, MAX_LINE);
                }
                skippingLine = false;
                return (int) (lf - offset + 1);
            }
            if (lf < 0) {
                if (length >= MAX_LINE) {
                    context.anomaly("stratum_line_too_long", "a " + (fromClient ? "miner" : "pool") + " line exceeds "
                            + MAX_LINE + " bytes; skipped to its end");
                    skippingLine = true;
                    return MAX_LINE;
                }
                return needMore(length + 1);
            }
            long textEnd = lf;
            if (textEnd > offset && Bytes.u8(in, textEnd - 1) == '\r') {
                textEnd--;
            }
            if (textEnd > offset) {
                if (json.parse(in, offset, textEnd)) {
                    if (fromClient) {
                        clientMessage();
                    } else {
                        serverMessage();
                    }
                } else {
                    context.anomaly("stratum_bad_message", "a " + (fromClient ? "miner" : "pool")
                            + " line is not a JSON object");
                }
            }
            return (int) (lf - offset + 1);
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("stratum_framing", detail);
        }
    }
}
