package dev.vigil.net.capture;

import dev.vigil.net.pcap.Frame;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One libpcap capture handle on a network interface, through Vigil's FFM binding: created with
 * {@code pcap_create}, configured (snap length, promiscuous mode, timeout, immediate mode, buffer
 * size), activated, optionally filtered with a compiled BPF program, and read with
 * {@code pcap_next_ex}.
 *
 * <p>Zero copy: {@link #next(Frame)} points the frame at libpcap's own buffer (through one unbounded
 * native segment and the packet's address as offset, so nothing is allocated per packet); the bytes
 * are valid until the next call. Errors are rendered with {@code pcap_geterr} and turned into
 * {@link CaptureException}s that name the fix. {@link #breakLoop()} may be called from another
 * thread; everything else belongs to the reading thread.
 */
public final class LiveCapture implements AutoCloseable {

    /** {@link #next} result: a packet is in the frame. */
    public static final int PACKET = 1;
    /**
     * {@link #next} result: the read timeout passed without a packet (the handle reads without
     * blocking and waits for the next block with {@code poll(2)} bounded by the timeout, so an idle
     * interface still gives its reader a turn every timeout).
     */
    public static final int TIMEOUT = 0;
    /** {@link #next} result: the capture ended ({@link #breakLoop()} or the interface went away). */
    public static final int END = -1;

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final Libpcap pcap;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment headerSlot;
    private final MemorySegment dataSlot;
    private final MemorySegment statBuffer;
    private final MemorySegment pollFd;
    private final int timeoutMs;
    private final String iface;
    private final int linkType;
    private volatile boolean stopping;
    private String lastError;
    private boolean closed;

    private LiveCapture(Libpcap pcap, MemorySegment handle, String iface, int timeoutMs) {
        this.pcap = pcap;
        this.handle = handle;
        this.iface = iface;
        this.timeoutMs = timeoutMs;
        this.headerSlot = arena.allocate(ValueLayout.ADDRESS);
        this.dataSlot = arena.allocate(ValueLayout.ADDRESS);
        this.statBuffer = arena.allocate(Libpcap.PCAP_STAT_SIZE, 8);
        this.linkType = call(() -> (int) pcap.datalink.invokeExact(handle));
        this.pollFd = arena.allocate(8, 4);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errbuf = tmp.allocate(Libpcap.ERRBUF_SIZE);
            if ((int) pcap.setnonblock.invokeExact(handle, 1, errbuf) != 0) {
                throw new CaptureException("pcap_setnonblock on " + iface + " failed: " + errbuf.getString(0));
            }
            int fd = (int) pcap.getSelectableFd.invokeExact(handle);
            if (fd < 0) {
                throw new CaptureException("capture on " + iface + " has no selectable descriptor");
            }
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, (short) 1);
        } catch (CaptureException e) {
            throw e;
        } catch (Throwable t) {
            throw new CaptureException("configuring capture on " + iface + " failed: " + t);
        }
    }

    /** Opens and activates a capture on {@code iface}. */
    public static LiveCapture open(String iface, CaptureOptions options) {
        Libpcap pcap = Libpcap.get();
        MemorySegment handle;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errbuf = tmp.allocate(Libpcap.ERRBUF_SIZE);
            handle = (MemorySegment) pcap.create.invokeExact(tmp.allocateFrom(iface), errbuf);
            if (handle.equals(MemorySegment.NULL)) {
                throw new CaptureException("cannot capture on " + iface + ": " + errbuf.getString(0));
            }
        } catch (CaptureException e) {
            throw e;
        } catch (Throwable t) {
            throw new CaptureException("pcap_create(" + iface + ") failed: " + t);
        }
        try {
            configure(pcap, handle, iface, options);
            LiveCapture capture = new LiveCapture(pcap, handle, iface, options.timeoutMs());
            if (options.filter() != null && !options.filter().isBlank()) {
                capture.setFilter(options.filter());
            }
            return capture;
        } catch (RuntimeException e) {
            try {
                pcap.close.invokeExact(handle);
            } catch (Throwable ignored) {
                // already failing; the first error is the one to report
            }
            throw e;
        }
    }

    private static void configure(Libpcap pcap, MemorySegment h, String iface, CaptureOptions o) {
        int status;
        try {
            check(pcap, h, (int) pcap.setSnaplen.invokeExact(h, o.snaplen()), iface, "pcap_set_snaplen");
            check(pcap, h, (int) pcap.setPromisc.invokeExact(h, o.promiscuous() ? 1 : 0), iface, "pcap_set_promisc");
            check(pcap, h, (int) pcap.setTimeout.invokeExact(h, o.timeoutMs()), iface, "pcap_set_timeout");
            check(pcap, h, (int) pcap.setImmediateMode.invokeExact(h, o.immediate() ? 1 : 0), iface,
                    "pcap_set_immediate_mode");
            check(pcap, h, (int) pcap.setBufferSize.invokeExact(h, o.bufferBytes()), iface, "pcap_set_buffer_size");
            status = (int) pcap.activate.invokeExact(h);
        } catch (CaptureException e) {
            throw e;
        } catch (Throwable t) {
            throw new CaptureException("configuring capture on " + iface + " failed: " + t);
        }
        if (status < 0) {
            String detail = error(pcap, h);
            throw new CaptureException(switch (status) {
                case Libpcap.PCAP_ERROR_PERM_DENIED, Libpcap.PCAP_ERROR_PROMISC_PERM_DENIED ->
                        "permission denied capturing on " + iface + " (" + detail + "): run as root (sudo vigil …) or grant"
                                + " capture rights: sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))";
                case Libpcap.PCAP_ERROR_NO_SUCH_DEVICE -> "no interface named " + iface + " (" + detail
                        + "); list interfaces with: ip link";
                case Libpcap.PCAP_ERROR_IFACE_NOT_UP -> "interface " + iface + " is down; bring it up with: sudo ip link set "
                        + iface + " up";
                default -> "cannot capture on " + iface + ": " + detail;
            });
        }
    }

    private static void check(Libpcap pcap, MemorySegment h, int status, String iface, String what) {
        if (status != 0) {
            throw new CaptureException(what + " on " + iface + " failed: " + statusText(pcap, status));
        }
    }

    private static String statusText(Libpcap pcap, int status) {
        try {
            return Libpcap.string((MemorySegment) pcap.statustostr.invokeExact(status));
        } catch (Throwable t) {
            return "status " + status;
        }
    }

    private static String error(Libpcap pcap, MemorySegment h) {
        try {
            return Libpcap.string((MemorySegment) pcap.geterr.invokeExact(h));
        } catch (Throwable t) {
            return t.toString();
        }
    }

    /** Compiles and installs a BPF filter (tcpdump syntax). */
    public void setFilter(String expression) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment program = tmp.allocate(Libpcap.BPF_PROGRAM_SIZE, 8);
            int status = (int) pcap.compile.invokeExact(handle, program, tmp.allocateFrom(expression), 1, 0);
            if (status != 0) {
                throw new CaptureException("bad capture filter '" + expression + "': " + error(pcap, handle));
            }
            try {
                status = (int) pcap.setfilter.invokeExact(handle, program);
                if (status != 0) {
                    throw new CaptureException("cannot install filter on " + iface + ": " + error(pcap, handle));
                }
            } finally {
                pcap.freecode.invokeExact(program);
            }
        } catch (CaptureException e) {
            throw e;
        } catch (Throwable t) {
            throw new CaptureException("filter on " + iface + " failed: " + t);
        }
    }

    /**
     * Waits for the next packet (up to the read timeout) and points {@code frame} at it.
     *
     * @return {@link #PACKET}, {@link #TIMEOUT} or {@link #END}
     */
    public int next(Frame frame) {
        if (stopping) {
            return END;
        }
        int status;
        try {
            status = (int) pcap.nextEx.invokeExact(handle, headerSlot, dataSlot);
            if (status == 0) {
                // Non-blocking: nothing ready. Wait for the kernel to hand over a block, at most the
                // read timeout: libpcap itself would wait forever on an idle interface (TPACKET_V3
                // retires only blocks that hold packets), and then no idle flow would ever expire.
                pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                int ready = (int) pcap.poll.invokeExact(pollFd, 1L, timeoutMs);
                if (ready > 0 && !stopping) {
                    status = (int) pcap.nextEx.invokeExact(handle, headerSlot, dataSlot);
                }
            }
        } catch (Throwable t) {
            lastError = t.toString();
            return END;
        }
        if (status == 1) {
            long header = headerSlot.get(ValueLayout.ADDRESS, 0).address();
            long seconds = ALL.get(ValueLayout.JAVA_LONG, header);
            long micros = ALL.get(ValueLayout.JAVA_LONG, header + 8);
            int caplen = ALL.get(ValueLayout.JAVA_INT, header + 16);
            int len = ALL.get(ValueLayout.JAVA_INT, header + 20);
            long data = dataSlot.get(ValueLayout.ADDRESS, 0).address();
            frame.set(ALL, data, caplen, len, seconds * 1_000_000L + micros, linkType, 0);
            return PACKET;
        }
        if (status == 0) {
            return stopping ? END : TIMEOUT;
        }
        if (status != Libpcap.PCAP_ERROR_BREAK) {
            lastError = error(pcap, handle);
        }
        return END;
    }

    /** The handle's link type. */
    public int linkType() {
        return linkType;
    }

    /** The interface name. */
    public String iface() {
        return iface;
    }

    /** Why the capture ended, or null when it was asked to stop. */
    public String lastError() {
        return lastError;
    }

    /** Kernel counters from {@code pcap_stats}. */
    public record Stats(long received, long dropped, long interfaceDropped) {
    }

    /** Packets received and dropped by the kernel for this handle. */
    public Stats stats() {
        try {
            int status = (int) pcap.stats.invokeExact(handle, statBuffer);
            if (status != 0) {
                throw new CaptureException("pcap_stats on " + iface + " failed: " + error(pcap, handle));
            }
        } catch (CaptureException e) {
            throw e;
        } catch (Throwable t) {
            throw new CaptureException("pcap_stats on " + iface + " failed: " + t);
        }
        return new Stats(Integer.toUnsignedLong(statBuffer.get(ValueLayout.JAVA_INT, 0)),
                Integer.toUnsignedLong(statBuffer.get(ValueLayout.JAVA_INT, 4)),
                Integer.toUnsignedLong(statBuffer.get(ValueLayout.JAVA_INT, 8)));
    }

    /** Makes the reading thread's {@link #next} return {@link #END}; safe from any thread. */
    public void breakLoop() {
        stopping = true;
        try {
            pcap.breakloop.invokeExact(handle);
        } catch (Throwable ignored) {
            // the flag alone ends the loop at the next timeout
        }
    }

    /** Closes the handle; call from the reading thread after the loop ended. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pcap.close.invokeExact(handle);
        } catch (Throwable ignored) {
            // nothing left to release on failure
        }
        arena.close();
    }

    private interface IntCall {
        int call() throws Throwable;
    }

    private static int call(IntCall c) {
        try {
            return c.call();
        } catch (Throwable t) {
            throw new CaptureException("libpcap call failed: " + t);
        }
    }
}
