package dev.vigil.kube.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that run against a fresh mock cluster each: {@link #f} is ready, not yet started. */
public abstract class MockClusterTest {

    @TempDir
    protected Path dir;
    protected InventoryFixture f;

    @BeforeEach
    void startCluster() {
        f = new InventoryFixture(dir);
    }

    @AfterEach
    void stopCluster() {
        f.close();
    }
}
