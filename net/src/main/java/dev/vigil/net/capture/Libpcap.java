package dev.vigil.net.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Vigil's own FFM binding to the libpcap functions live capture needs, loaded from Debian's
 * {@code libpcap.so.0.8} (package {@code libpcap0.8}). Loaded once, on first use; a missing library
 * is reported with the command that installs it.
 */
final class Libpcap {

    static final String LIBRARY = "libpcap.so.0.8";
    static final int ERRBUF_SIZE = 256;

    static final int PCAP_ERROR = -1;
    static final int PCAP_ERROR_BREAK = -2;
    static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    static final int PCAP_ERROR_PERM_DENIED = -8;
    static final int PCAP_ERROR_IFACE_NOT_UP = -9;
    static final int PCAP_ERROR_PROMISC_PERM_DENIED = -11;

    /** {@code struct bpf_program}: {@code u_int bf_len} then a pointer, 16 bytes on LP64. */
    static final long BPF_PROGRAM_SIZE = 16;
    /** {@code struct pcap_stat}: three {@code u_int}s. */
    static final long PCAP_STAT_SIZE = 12;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    final MethodHandle create;
    final MethodHandle setSnaplen;
    final MethodHandle setPromisc;
    final MethodHandle setTimeout;
    final MethodHandle setImmediateMode;
    final MethodHandle setBufferSize;
    final MethodHandle activate;
    final MethodHandle datalink;
    final MethodHandle compile;
    final MethodHandle setfilter;
    final MethodHandle freecode;
    final MethodHandle nextEx;
    final MethodHandle stats;
    final MethodHandle breakloop;
    final MethodHandle close;
    final MethodHandle geterr;
    final MethodHandle statustostr;
    final MethodHandle setnonblock;
    final MethodHandle getSelectableFd;
    /** libc's {@code poll(2)}, to wait for the next block with a timeout the kernel does not apply itself. */
    final MethodHandle poll;

    private static volatile Libpcap instance;

    private Libpcap(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        create = bind(linker, lib, "pcap_create", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        setSnaplen = bind(linker, lib, "pcap_set_snaplen", FunctionDescriptor.of(INT, ADDRESS, INT));
        setPromisc = bind(linker, lib, "pcap_set_promisc", FunctionDescriptor.of(INT, ADDRESS, INT));
        setTimeout = bind(linker, lib, "pcap_set_timeout", FunctionDescriptor.of(INT, ADDRESS, INT));
        setImmediateMode = bind(linker, lib, "pcap_set_immediate_mode", FunctionDescriptor.of(INT, ADDRESS, INT));
        setBufferSize = bind(linker, lib, "pcap_set_buffer_size", FunctionDescriptor.of(INT, ADDRESS, INT));
        activate = bind(linker, lib, "pcap_activate", FunctionDescriptor.of(INT, ADDRESS));
        datalink = bind(linker, lib, "pcap_datalink", FunctionDescriptor.of(INT, ADDRESS));
        compile = bind(linker, lib, "pcap_compile", FunctionDescriptor.of(INT, ADDRESS, ADDRESS, ADDRESS, INT, INT));
        setfilter = bind(linker, lib, "pcap_setfilter", FunctionDescriptor.of(INT, ADDRESS, ADDRESS));
        freecode = bind(linker, lib, "pcap_freecode", FunctionDescriptor.ofVoid(ADDRESS));
        nextEx = bind(linker, lib, "pcap_next_ex", FunctionDescriptor.of(INT, ADDRESS, ADDRESS, ADDRESS));
        stats = bind(linker, lib, "pcap_stats", FunctionDescriptor.of(INT, ADDRESS, ADDRESS));
        breakloop = bind(linker, lib, "pcap_breakloop", FunctionDescriptor.ofVoid(ADDRESS));
        close = bind(linker, lib, "pcap_close", FunctionDescriptor.ofVoid(ADDRESS));
        geterr = bind(linker, lib, "pcap_geterr", FunctionDescriptor.of(ADDRESS, ADDRESS));
        statustostr = bind(linker, lib, "pcap_statustostr", FunctionDescriptor.of(ADDRESS, INT));
        setnonblock = bind(linker, lib, "pcap_setnonblock", FunctionDescriptor.of(INT, ADDRESS, INT, ADDRESS));
        getSelectableFd = bind(linker, lib, "pcap_get_selectable_fd", FunctionDescriptor.of(INT, ADDRESS));
        poll = linker.downcallHandle(linker.defaultLookup().find("poll").orElseThrow(),
                FunctionDescriptor.of(INT, ADDRESS, ValueLayout.JAVA_LONG, INT));
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new CaptureException(
                LIBRARY + " lacks " + name + " (libpcap older than 1.5?); install a current one: sudo apt-get install libpcap0.8"));
        return linker.downcallHandle(symbol, fd);
    }

    /** The binding; throws {@link CaptureException} naming the package when libpcap is missing. */
    static Libpcap get() {
        Libpcap l = instance;
        if (l == null) {
            synchronized (Libpcap.class) {
                l = instance;
                if (l == null) {
                    SymbolLookup lib;
                    try {
                        lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
                    } catch (IllegalArgumentException e) {
                        throw new CaptureException(LIBRARY + " not found: install it with: sudo apt-get install libpcap0.8");
                    }
                    l = new Libpcap(lib);
                    instance = l;
                }
            }
        }
        return l;
    }

    /** A C string returned by libpcap, read as text. */
    static String string(MemorySegment cString) {
        if (cString.equals(MemorySegment.NULL)) {
            return "";
        }
        return cString.reinterpret(4096).getString(0);
    }
}
