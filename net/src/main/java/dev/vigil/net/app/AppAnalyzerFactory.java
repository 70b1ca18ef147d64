package dev.vigil.net.app;

/**
 * Creates the analyzer for a new connection. The flow engine calls it once per TCP connection or
 * UDP flow; the usual implementation is protocol detection by content, which buffers the first
 * bytes of each direction until one protocol claims them.
 */
@FunctionalInterface
public interface AppAnalyzerFactory {

    /** An analyzer for a new {@code tcp} or {@code udp} connection; never null (a no-op analyzer when nothing applies). */
    AppAnalyzer create(AppContext context);
}
