package dev.vigil.net.kafka;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * Kafka identified by a request header: a plausible size, a known API key, a version Kafka could
 * have, and a client id that is null or printable text within the request. Either direction is
 * judged, so a connection seen from the broker's side first is recognised by the client's request;
 * responder bytes of a plausible response size that are no request wait for the client's. On the
 * responder's side a request without a client id is too weak to decide: a server that speaks first
 * (an HTTP/2 SETTINGS frame: length, type 4, stream 0) has exactly that shape, so it waits too.
 */
public final class KafkaProtocol implements AppProtocol {

    private static final int MAX_PROBE_CLIENT_ID = 1024;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        Verdict request = probeRequest(bytes, offset, length, direction == Direction.ORIG);
        if (request != Verdict.NO_MATCH || direction != Direction.RESP) {
            return request;
        }
        int size = length >= 4 ? Bytes.i32(bytes, offset) : 4;
        return size >= 4 && size <= KafkaAnalyzer.MAX_RESPONSE ? Verdict.NEED_MORE : Verdict.NO_MATCH;
    }

    private static Verdict probeRequest(MemorySegment bytes, long offset, int length, boolean fromOriginator) {
        if (length < 14) {
            return length >= 4 && !plausibleSize(Bytes.i32(bytes, offset)) ? Verdict.NO_MATCH : Verdict.NEED_MORE;
        }
        int size = Bytes.i32(bytes, offset);
        int apiKey = (short) Bytes.u16(bytes, offset + 4);
        int version = (short) Bytes.u16(bytes, offset + 6);
        int clientIdLength = (short) Bytes.u16(bytes, offset + 12);
        if (!plausibleSize(size) || !KafkaApis.known(apiKey) || version < 0 || version > KafkaApis.MAX_VERSION
                || clientIdLength < -1 || clientIdLength > Math.min(size - 10, MAX_PROBE_CLIENT_ID)) {
            return Verdict.NO_MATCH;
        }
        if (clientIdLength <= 0) {
            return fromOriginator ? Verdict.MATCH : Verdict.NEED_MORE;
        }
        if (length < 14 + clientIdLength) {
            return Verdict.NEED_MORE;
        }
        return Bytes.printable(bytes, offset + 14, offset + 14 + clientIdLength) ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    private static boolean plausibleSize(int size) {
        return size >= 10 && size <= KafkaAnalyzer.MAX_REQUEST;
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new KafkaAnalyzer(context);
    }
}
