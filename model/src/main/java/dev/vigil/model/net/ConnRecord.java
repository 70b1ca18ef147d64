package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One connection summary, Zeek's {@code conn.log} record, written when the flow ends (close, timeout,
 * eviction or end of input). Field names are Zeek's; {@code community_id}, {@code vlan},
 * {@code inner_vlan} and {@code encrypted} are the extras Zeek adds with its policy scripts or Vigil
 * adds itself.
 *
 * @param ts           time of the first packet (the packet's own clock)
 * @param duration     seconds between first and last packet; null for a single packet
 * @param service      confirmed application protocols in Zeek order ({@code http,ssl}), or null
 * @param origBytes    payload bytes the originator sent (TCP: from sequence numbers, as Zeek)
 * @param connState    Zeek's {@code conn_state} ({@code S0}, {@code SF}, {@code REJ} …)
 * @param history      Zeek's {@code history} letters; empty when nothing was recorded
 * @param vlan         outer VLAN id or -1
 * @param innerVlan    inner (QinQ) VLAN id or -1
 * @param encrypted    true when an analyzer identified an encrypted protocol, false for cleartext, null when unknown
 */
public record ConnRecord(
        double ts,
        String uid,
        ConnId id,
        String service,
        Double duration,
        long origBytes,
        long respBytes,
        String connState,
        long missedBytes,
        String history,
        long origPkts,
        long origIpBytes,
        long respPkts,
        long respIpBytes,
        String communityId,
        int vlan,
        int innerVlan,
        Boolean encrypted) implements LogRecord {

    @Override
    public String log() {
        return "conn";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("service", service);
        if (duration != null) {
            sink.decimal("duration", duration);
        }
        sink.number("orig_bytes", origBytes).number("resp_bytes", respBytes)
                .string("conn_state", connState).number("missed_bytes", missedBytes)
                .string("history", history.isEmpty() ? null : history)
                .number("orig_pkts", origPkts).number("orig_ip_bytes", origIpBytes)
                .number("resp_pkts", respPkts).number("resp_ip_bytes", respIpBytes)
                .string("community_id", communityId);
        if (vlan >= 0) {
            sink.number("vlan", vlan);
        }
        if (innerVlan >= 0) {
            sink.number("inner_vlan", innerVlan);
        }
        sink.bool("encrypted", encrypted);
    }
}
