package dev.vigil.net.scan;

/** bro-simple-scan's baselines through {@link dev.vigil.net.analysis.ParallelPipeline}: each scanner's attempts spread over three flow tables. */
class ParallelScanConformanceTest extends ScanConformanceTest {

    @Override
    int workers() {
        return 3;
    }
}
