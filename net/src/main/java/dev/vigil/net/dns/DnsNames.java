package dev.vigil.net.dns;

/** Zeek's names for DNS type, class, rcode and opcode values ({@code base/protocols/dns/consts.zeek}). */
final class DnsNames {

    private static final String[] TYPES = new String[258];
    private static final String[] RCODES = new String[24];

    static {
        String[] low = {null, "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR",
            "HINFO", "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP-PTR", "SIG", "KEY",
            "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT", "A6",
            "DNAME", "SINK", "OPT", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY", "DHCID", "NSEC3",
            "NSEC3PARAM", "TLSA", "SMIMEA", null, "HIP", "NINFO", "RKEY", "TALINK", "CDS", "CDNSKEY",
            "OPENPGPKEY", "CSYNC", "ZONEMD", "SVCB", "HTTPS"};
        System.arraycopy(low, 0, TYPES, 0, low.length);
        String[] mid = {"SPF", "UINFO", "UID", "GID", "UNSPEC", "NID", "L32", "L64", "LP", "EUI48", "EUI64"};
        System.arraycopy(mid, 0, TYPES, 99, mid.length);
        String[] high = {"TKEY", "TSIG", "IXFR", "AXFR", "MAILB", "MAILA", "*", "URI", "CAA"};
        System.arraycopy(high, 0, TYPES, 249, high.length);
        String[] rcodes = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
            "YXRRSET", "NXRRSet", "NOTAUTH", "NOTZONE", "unassigned-11", "unassigned-12", "unassigned-13",
            "unassigned-14", "unassigned-15", "BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG",
            "BADTRUNC", "BADCOOKIE"};
        System.arraycopy(rcodes, 0, RCODES, 0, rcodes.length);
    }

    private DnsNames() {
    }

    static String type(int type) {
        if (type < TYPES.length && TYPES[type] != null) {
            return TYPES[type];
        }
        return switch (type) {
            case 32768 -> "TA";
            case 32769 -> "DLV";
            case 65281 -> "WINS";
            case 65282 -> "WINS-R";
            case 65422 -> "XPF";
            case 65521 -> "INTEGRITY";
            default -> "query-" + type;
        };
    }

    static String qclass(int qclass) {
        return switch (qclass) {
            case 1 -> "C_INTERNET";
            case 2 -> "C_CSNET";
            case 3 -> "C_CHAOS";
            case 4 -> "C_HESIOD";
            case 254 -> "C_NONE";
            case 255 -> "C_ANY";
            default -> "qclass-" + qclass;
        };
    }

    static String rcode(int rcode) {
        return rcode < RCODES.length ? RCODES[rcode] : "rcode-" + rcode;
    }

    static String opcode(int opcode) {
        return switch (opcode) {
            case 0 -> "query";
            case 1 -> "iquery";
            case 2 -> "server-status";
            case 4 -> "notify";
            case 5 -> "dynamic-update";
            case 6 -> "dso";
            default -> "opcode-" + opcode;
        };
    }
}
