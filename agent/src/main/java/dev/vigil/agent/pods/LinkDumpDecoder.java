package dev.vigil.agent.pods;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the answer to an rtnetlink {@code RTM_GETLINK} dump (rtnetlink(7)): a sequence of datagrams,
 * each holding whole netlink messages — one {@code RTM_NEWLINK} per interface, then
 * {@code NLMSG_DONE} — into {@link Link}s with the attributes the pod follower needs: index, name,
 * kind ({@code IFLA_INFO_KIND}), the peer's index ({@code IFLA_LINK}) and whether the peer lives in
 * another namespace ({@code IFLA_LINK_NETNSID}).
 *
 * <p>Each datagram is fed to {@link #decode} as it arrives; the decoder walks it message by message
 * with an explicit state ({@link State}) and never throws: a message or attribute whose length runs
 * past its container, a message of a kind it does not expect, or a limit reached moves it to
 * {@link State#BAD_MESSAGE} with the reason in {@link #anomaly()}, keeping the links decoded so far.
 *
 * <p>Limits: {@link #MAX_LINKS} interfaces per dump, {@link #MAX_ATTRIBUTES} attributes per message,
 * {@link #MAX_NAME} bytes of an interface name or kind.
 */
final class LinkDumpDecoder {

    /** Interfaces decoded from one dump; more is an anomaly. */
    static final int MAX_LINKS = 4096;
    /** Attributes read from one message (nested ones included); more is an anomaly. */
    static final int MAX_ATTRIBUTES = 512;
    /** Bytes of an interface name or kind (IFNAMSIZ is 16; kinds are short words). */
    static final int MAX_NAME = 64;

    static final int NLMSG_HDRLEN = 16;
    static final int IFINFOMSG_LEN = 16;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINK = 5;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_LINK_NETNSID = 37;
    private static final int NLA_TYPE_MASK = 0x3fff;
    /** Netlink speaks the host's byte order. */
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /**
     * One network interface of the namespace the dump was taken in.
     *
     * @param index          its ifindex
     * @param name           its name ({@code eth0})
     * @param kind           its link kind ({@code veth}, {@code bridge}), or null for physical and loopback
     * @param peerIndex      {@code IFLA_LINK}: for a veth, the peer's ifindex (in the peer's namespace); 0 when none
     * @param peerElsewhere  {@code IFLA_LINK_NETNSID} present: the peer is in another network namespace
     */
    record Link(int index, String name, String kind, int peerIndex, boolean peerElsewhere) {
    }

    enum State { READ_MESSAGE, DONE, BAD_MESSAGE }

    private final List<Link> links = new ArrayList<>();
    private State state = State.READ_MESSAGE;
    private String anomaly;
    private int attributes;

    /** Decodes the messages of one datagram of {@code length} bytes; returns the state after it. */
    State decode(byte[] buf, int length) {
        int at = 0;
        while (state == State.READ_MESSAGE && at < length) {
            at = decodeMessage(buf, at, length);
        }
        return state;
    }

    private int decodeMessage(byte[] buf, int at, int length) {
        if (length - at < NLMSG_HDRLEN) {
            return bad("netlink header cut at " + (length - at) + " of " + NLMSG_HDRLEN + " bytes");
        }
        int len = u32(buf, at);
        int type = u16(buf, at + 4);
        if (len < NLMSG_HDRLEN || len > length - at) {
            return bad("netlink message length " + len + " outside " + NLMSG_HDRLEN + ".." + (length - at));
        }
        switch (type) {
            case NLMSG_DONE -> state = State.DONE;
            case NLMSG_NOOP -> {
            }
            case NLMSG_ERROR -> {
                int error = len >= NLMSG_HDRLEN + 4 ? -u32(buf, at + NLMSG_HDRLEN) : 0;
                return bad("the kernel answered the link dump with error " + error);
            }
            case RTM_NEWLINK -> decodeLink(buf, at + NLMSG_HDRLEN, at + len);
            default -> {
                return bad("unexpected netlink message type " + type + " in a link dump");
            }
        }
        return at + align(len);
    }

    private void decodeLink(byte[] buf, int from, int end) {
        if (end - from < IFINFOMSG_LEN) {
            bad("ifinfomsg cut at " + (end - from) + " of " + IFINFOMSG_LEN + " bytes");
            return;
        }
        if (links.size() >= MAX_LINKS) {
            bad("max links: " + MAX_LINKS + " reached in one dump");
            return;
        }
        int index = u32(buf, from + 4);
        attributes = 0;
        String[] name = new String[1];
        String[] kind = new String[1];
        int[] peer = new int[1];
        boolean[] elsewhere = new boolean[1];
        int at = from + IFINFOMSG_LEN;
        while (at + 4 <= end) {
            int alen = u16(buf, at);
            int atype = u16(buf, at + 2) & NLA_TYPE_MASK;
            if (alen < 4 || alen > end - at) {
                bad("attribute " + atype + " of link " + index + " has length " + alen + " outside 4.." + (end - at));
                return;
            }
            if (++attributes > MAX_ATTRIBUTES) {
                bad("max attributes: " + MAX_ATTRIBUTES + " reached in link " + index);
                return;
            }
            int value = at + 4;
            int vlen = alen - 4;
            switch (atype) {
                case IFLA_IFNAME -> name[0] = string(buf, value, vlen);
                case IFLA_LINK -> peer[0] = vlen >= 4 ? u32(buf, value) : 0;
                case IFLA_LINK_NETNSID -> elsewhere[0] = true;
                case IFLA_LINKINFO -> {
                    if (!decodeLinkInfo(buf, value, value + vlen, index, kind)) {
                        return;
                    }
                }
                default -> {
                }
            }
            at += align(alen);
        }
        if (name[0] == null) {
            bad("link " + index + " has no name");
            return;
        }
        links.add(new Link(index, name[0], kind[0], peer[0], elsewhere[0]));
    }

    private boolean decodeLinkInfo(byte[] buf, int at, int end, int index, String[] kind) {
        while (at + 4 <= end) {
            int alen = u16(buf, at);
            int atype = u16(buf, at + 2) & NLA_TYPE_MASK;
            if (alen < 4 || alen > end - at) {
                bad("link info attribute " + atype + " of link " + index + " has length " + alen + " outside 4.." + (end - at));
                return false;
            }
            if (++attributes > MAX_ATTRIBUTES) {
                bad("max attributes: " + MAX_ATTRIBUTES + " reached in link " + index);
                return false;
            }
            if (atype == IFLA_INFO_KIND) {
                kind[0] = string(buf, at + 4, alen - 4);
            }
            at += align(alen);
        }
        return true;
    }

    private int bad(String why) {
        if (state != State.BAD_MESSAGE) {
            anomaly = why;
        }
        state = State.BAD_MESSAGE;
        return Integer.MAX_VALUE;
    }

    /** A NUL-terminated string attribute, cut at {@link #MAX_NAME} bytes. */
    private static String string(byte[] buf, int at, int len) {
        int n = 0;
        int max = Math.min(len, MAX_NAME);
        while (n < max && buf[at + n] != 0) {
            n++;
        }
        return new String(buf, at, n, StandardCharsets.UTF_8);
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    private static int u16(byte[] b, int at) {
        return (short) U16.get(b, at) & 0xffff;
    }

    private static int u32(byte[] b, int at) {
        return (int) U32.get(b, at);
    }

    State state() {
        return state;
    }

    /** Why the dump was cut short, or null. */
    String anomaly() {
        return anomaly;
    }

    /** The links decoded so far. */
    List<Link> links() {
        return List.copyOf(links);
    }
}
