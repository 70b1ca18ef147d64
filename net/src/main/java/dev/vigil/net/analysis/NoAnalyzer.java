package dev.vigil.net.analysis;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/** The analyzer used when no application analysis is configured: it ignores payload. */
public final class NoAnalyzer implements AppAnalyzer {

    /** The single instance (stateless). */
    public static final NoAnalyzer INSTANCE = new NoAnalyzer();

    /** A factory handing out {@link #INSTANCE}. */
    public static final AppAnalyzerFactory FACTORY = context -> INSTANCE;

    private NoAnalyzer() {
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
    }

    @Override
    public void gap(Direction direction, long length) {
    }

    @Override
    public void end(long tsMicros) {
    }
}
