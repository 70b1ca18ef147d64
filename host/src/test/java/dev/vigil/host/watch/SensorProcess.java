package dev.vigil.host.watch;

import dev.vigil.host.enforce.NetworkQuarantine;
import dev.vigil.model.identity.IdentityResolver;

/**
 * A separate JVM for the cleanup test: runs the host sensor on ftrace instance {@code args[0]} and,
 * given a pid and container id, quarantines that pod; prints {@code ready} and waits for SIGTERM.
 */
public final class SensorProcess {

    private SensorProcess() {
    }

    public static void main(String[] args) throws Exception {
        HostSensor sensor = new HostSensor(HostSensor.Config.DEFAULT.withInstance(args[0]), IdentityResolver.NONE,
                r -> { });
        sensor.start();
        Runtime.getRuntime().addShutdownHook(new Thread(sensor::close));
        if (args.length >= 3) {
            NetworkQuarantine q = new NetworkQuarantine(a -> System.out.println(a.toJson()), false);
            q.quarantine(Integer.parseInt(args[1]), args[2], "vigil-test/term", NetworkQuarantine.Options.DEFAULT, "test");
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
