package dev.vigil.net.capture;

/**
 * Settings of one libpcap handle; validated, immutable.
 *
 * @param snaplen     bytes kept per packet (1..262144)
 * @param bufferBytes kernel ring buffer size
 * @param timeoutMs   read timeout, so the capture loop can check for shutdown and expire flows when idle
 * @param immediate   deliver packets as they arrive instead of in kernel blocks: lower latency, but a
 *                    wake-up per packet, so off by default (blocks still arrive within the timeout)
 * @param promiscuous capture traffic not addressed to the interface
 * @param filter      BPF filter expression (tcpdump syntax), or null for everything
 */
public record CaptureOptions(int snaplen, int bufferBytes, int timeoutMs, boolean immediate, boolean promiscuous,
                             String filter) {

    public static final int DEFAULT_SNAPLEN = 262_144;
    public static final int DEFAULT_BUFFER_BYTES = 32 * 1024 * 1024;
    public static final int DEFAULT_TIMEOUT_MS = 100;

    public CaptureOptions {
        if (snaplen < 1 || snaplen > 262_144) {
            throw new IllegalArgumentException("snaplen " + snaplen + " outside 1..262144");
        }
        if (bufferBytes < 65_536) {
            throw new IllegalArgumentException("buffer size " + bufferBytes + " below 65536 bytes");
        }
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("timeout " + timeoutMs + " ms must be positive");
        }
    }

    public static CaptureOptions defaults() {
        return new CaptureOptions(DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES, DEFAULT_TIMEOUT_MS, false, true, null);
    }

    public CaptureOptions withFilter(String bpf) {
        return new CaptureOptions(snaplen, bufferBytes, timeoutMs, immediate, promiscuous, bpf);
    }

    public CaptureOptions withImmediate(boolean on) {
        return new CaptureOptions(snaplen, bufferBytes, timeoutMs, on, promiscuous, filter);
    }

    public CaptureOptions withBufferBytes(int bytes) {
        return new CaptureOptions(snaplen, bytes, timeoutMs, immediate, promiscuous, filter);
    }
}
