package dev.vigil.cli.net;

import dev.vigil.net.analysis.NoAnalyzer;
import dev.vigil.net.app.AppAnalyzerFactory;
import java.util.ServiceLoader;

/**
 * Finds the application-protocol detection factory on the class path ({@code ServiceLoader} of
 * {@link AppAnalyzerFactory}, registered in {@code META-INF/services}); without one, connections get
 * {@code conn} records only.
 */
public final class AnalyzerDiscovery {

    private AnalyzerDiscovery() {
    }

    public static AppAnalyzerFactory factory() {
        return ServiceLoader.load(AppAnalyzerFactory.class).findFirst().orElse(NoAnalyzer.FACTORY);
    }
}
