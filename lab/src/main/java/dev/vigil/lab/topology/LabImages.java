package dev.vigil.lab.topology;

import dev.vigil.lab.image.ImageConfig;
import dev.vigil.lab.image.ImageSpec;
import dev.vigil.lab.image.LayerContent;
import dev.vigil.lab.command.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The lab's images, packed from this machine's Debian packages: each server and client is the
 * real Debian binary with the shared libraries it loads. Layers are shared where images share
 * content ({@code base}: static busybox and the lab users; {@code clients}: redis-cli and psql).
 */
public final class LabImages {

    public static final String DNSMASQ = "vigil.test/kube-system/dnsmasq:2.90";
    public static final String FRONTEND = "vigil.test/shop/frontend:1.4.2";
    public static final String API = "vigil.test/shop/api:2.1.0";
    public static final String REDIS = "vigil.test/library/redis:7.0";
    public static final String POSTGRES = "vigil.test/library/postgres:15";
    public static final String LOADGEN = "vigil.test/tools/loadgen:1.0";
    public static final String LEDGER = "vigil.test/shop/ledger:3.2.1";

    static final String PG_BIN = "/usr/lib/postgresql/15/bin";
    private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String RESOURCES = "/dev/vigil/lab/images/";
    /**
     * The web servers run busybox's httpd under its applet name, as images run their server binary, so
     * the kernel names the server process {@code httpd} (not {@code busybox}) and a shell it spawns has
     * a server among its parents.
     */
    private static final String HTTPD = "/usr/sbin/httpd";
    private static final String HTTPD_TARGET = "../bin/busybox";

    private LabImages() {
    }

    /** Every image the default topology uses. */
    public static List<ImageSpec> specs() {
        LayerContent base = base();
        LayerContent clients = new LayerContent("clients: redis-cli, psql")
                .binary("/usr/bin/redis-cli")
                .binary(PG_BIN + "/psql")
                .symlink("/usr/local/bin/psql", PG_BIN + "/psql");
        LayerContent curl = new LayerContent("http client: curl").binary("/usr/bin/curl");
        return List.of(
                spec(DNSMASQ, List.of(base, new LayerContent("dnsmasq").binary("/usr/sbin/dnsmasq")),
                        config(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/etc/dnsmasq.conf"), "0:0", "/",
                                List.of("53/udp", "53/tcp"))),
                spec(FRONTEND, List.of(base, curl, new LayerContent("frontend app")
                                .symlink("/usr/sbin/httpd", HTTPD_TARGET)
                                .file("/www/index.html", resource("frontend/index.html"), 0644)
                                .file("/www/cgi-bin/products", resource("frontend/products.cgi"), 0755)),
                        config(List.of(HTTPD, "-f", "-v", "-p", "80", "-h", "/www"), "0:0", "/www",
                                List.of("80/tcp"))),
                spec(API, List.of(base, clients, new LayerContent("api app")
                                .symlink("/usr/sbin/httpd", HTTPD_TARGET)
                                .file("/srv/api/index.html", "shop api\n", 0644)
                                .file("/srv/api/cgi-bin/products", resource("api/products.cgi"), 0755)
                                .file("/srv/api/cgi-bin/health", resource("api/health.cgi"), 0755)
                                .file("/srv/api/cgi-bin/diag", resource("api/diag.cgi"), 0755)
                                .file("/srv/api/cgi-bin/product", resource("api/product.cgi"), 0755)),
                        config(List.of(HTTPD, "-f", "-v", "-p", "8080", "-u", "33:33", "-h", "/srv/api"), "0:0",
                                "/srv/api", List.of("8080/tcp"))),
                spec(REDIS, List.of(base, new LayerContent("redis").binary("/usr/bin/redis-server").binary("/usr/bin/redis-cli")
                                .dir("/data", 0750, 998, 998)),
                        config(List.of("/usr/bin/redis-server", "--bind", "0.0.0.0", "--port", "6379", "--protected-mode", "no",
                                "--save", "", "--appendonly", "no"), "998:998", "/data", List.of("6379/tcp"))),
                spec(POSTGRES, List.of(base, postgres()),
                        config(List.of("/usr/local/bin/postgres-entrypoint"), "999:999", "/var/lib/postgresql", List.of("5432/tcp"),
                                "PATH=" + PG_BIN + ":" + PATH.substring(5), "PGDATA=/var/lib/postgresql/data", "TZ=UTC")),
                spec(LOADGEN, List.of(base, clients, curl, new LayerContent("load generators: openssl, scripts")
                                .binary("/usr/bin/openssl")
                                .hostPath("/usr/lib/ssl/openssl.cnf")
                                .file("/usr/local/bin/loadgen-web", resource("loadgen/loadgen-web"), 0755)
                                .file("/usr/local/bin/loadgen-dns", resource("loadgen/loadgen-dns"), 0755)
                                .file("/usr/local/bin/loadgen-internet", resource("loadgen/loadgen-internet"), 0755)
                                .file("/usr/local/bin/loadgen-kube", resource("loadgen/loadgen-kube"), 0755)),
                        config(List.of("/bin/sh"), "0:0", "/", List.of())),
                spec(LEDGER, List.of(base, new LayerContent("ledger app")
                                .symlink("/usr/sbin/httpd", HTTPD_TARGET)
                                .file("/srv/ledger/index.html", resource("ledger/index.html"), 0644)),
                        config(List.of(HTTPD, "-f", "-v", "-p", "8080", "-u", "33:33", "-h", "/srv/ledger"), "0:0",
                                "/srv/ledger", List.of("8080/tcp"))));
    }

    private static LayerContent base() {
        LayerContent base = new LayerContent("base: busybox, users")
                .symlink("/bin", "usr/bin")
                .symlink("/sbin", "usr/sbin")
                .symlink("/lib", "usr/lib")
                .symlink("/lib64", "usr/lib64")
                .dir("/usr/sbin", 0755, 0, 0)
                .dir("/usr/lib64", 0755, 0, 0)
                .dir("/usr/local/bin", 0755, 0, 0)
                .hostPath("/usr/bin/busybox")
                .dir("/tmp", 01777, 0, 0)
                .dir("/var/tmp", 01777, 0, 0)
                .dir("/root", 0700, 0, 0)
                .dir("/run", 0755, 0, 0)
                .dir("/proc", 0555, 0, 0)
                .dir("/sys", 0555, 0, 0)
                .dir("/dev", 0755, 0, 0)
                .dir("/home", 0755, 0, 0)
                .file("/etc/passwd", resource("base/passwd"), 0644)
                .file("/etc/group", resource("base/group"), 0644)
                .file("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n", 0644)
                .file("/etc/os-release", "PRETTY_NAME=\"Vigil lab image (Debian packages)\"\nID=vigil-lab\n", 0644)
                .file("/etc/hostname", "", 0644)
                .file("/etc/hosts", "", 0644)
                .file("/etc/resolv.conf", "", 0644);
        for (String applet : Command.of("/usr/bin/busybox", "--list").run().stdout().lines().toList()) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                base.symlink("/usr/bin/" + applet, "busybox");
            }
        }
        return base;
    }

    private static LayerContent postgres() {
        LayerContent pg = new LayerContent("postgresql 15");
        for (String b : List.of("postgres", "initdb", "pg_ctl", "psql", "pg_isready")) {
            pg.binary(PG_BIN + "/" + b);
        }
        pg.hostTree("/usr/lib/postgresql/15/lib", p -> p.endsWith(".so") && !p.contains("llvmjit"));
        for (String so : List.of("plpgsql.so", "dict_snowball.so", "libpqwalreceiver.so", "pgoutput.so")) {
            pg.binary("/usr/lib/postgresql/15/lib/" + so);
        }
        pg.hostTree("/usr/share/postgresql/15", p -> !p.contains("/man/"));
        pg.hostTree("/usr/share/zoneinfo", p -> !p.contains("/right/") && !p.contains("/posix/"));
        return pg
                .dir("/var/lib/postgresql", 0755, 999, 999)
                .dir("/var/run/postgresql", 02775, 999, 999)
                .file("/usr/local/bin/postgres-entrypoint", resource("postgres/entrypoint.sh"), 0755);
    }

    private static ImageSpec spec(String reference, List<LayerContent> layers, ImageConfig config) {
        int colon = reference.lastIndexOf(':');
        return new ImageSpec(reference.substring(0, colon), reference.substring(colon + 1), layers, config);
    }

    private static ImageConfig config(List<String> entrypoint, String user, String workdir, List<String> ports, String... env) {
        List<String> all = new java.util.ArrayList<>(List.of(env));
        if (all.stream().noneMatch(e -> e.startsWith("PATH="))) {
            all.addFirst(PATH);
        }
        return new ImageConfig(entrypoint, List.of(), all, user, workdir, ports);
    }

    static String resource(String name) {
        try (InputStream in = LabImages.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("lab image resource missing from the build: " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
