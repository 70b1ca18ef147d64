package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.List;

/**
 * One DNS query and its response, as a line of Zeek's {@code dns.log}: fields, names and rendering
 * of answers follow Zeek's {@code base/protocols/dns} scripts. A query never answered, or a response
 * whose query was not seen, is a record too, with the other half's fields absent.
 *
 * @param rtt seconds from the query to the first answer, absent when either is missing
 * @param answers the answer section rendered as Zeek does (addresses, names, {@code TXT n text} …)
 * @param ttls the TTL of each answer, in seconds (Zeek's {@code TTLs})
 */
public record DnsRecord(double ts, String uid, ConnId id, int transId, Double rtt, String query,
        Integer qclass, String qclassName, Integer qtype, String qtypeName, Integer rcode, String rcodeName,
        boolean aa, boolean tc, boolean rd, boolean ra, int z, List<String> answers, long[] ttls,
        boolean rejected, int opcode, String opcodeName) implements LogRecord {

    public DnsRecord {
        answers = answers == null ? null : List.copyOf(answers);
        ttls = ttls == null ? null : ttls.clone();
    }

    @Override
    public String log() {
        return "dns";
    }

    @Override
    public long[] ttls() {
        return ttls == null ? null : ttls.clone();
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.number("trans_id", transId);
        if (rtt != null) {
            sink.decimal("rtt", rtt);
        }
        sink.string("query", query)
                .number("qclass", qclass == null ? null : Long.valueOf(qclass)).string("qclass_name", qclassName)
                .number("qtype", qtype == null ? null : Long.valueOf(qtype)).string("qtype_name", qtypeName)
                .number("rcode", rcode == null ? null : Long.valueOf(rcode)).string("rcode_name", rcodeName)
                .bool("AA", aa).bool("TC", tc).bool("RD", rd).bool("RA", ra).number("Z", z)
                .strings("answers", answers).numbers("TTLs", ttls).bool("rejected", rejected)
                .number("opcode", opcode).string("opcode_name", opcodeName);
    }
}
