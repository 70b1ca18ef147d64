package dev.vigil.lab;

import dev.vigil.lab.api.ApiServer;
import dev.vigil.lab.api.Kubeconfig;
import dev.vigil.lab.api.LabPki;
import dev.vigil.lab.image.BuiltImage;
import dev.vigil.lab.image.ImageStore;
import dev.vigil.lab.netns.Netns;
import dev.vigil.lab.runc.Cgroups;
import dev.vigil.lab.runc.ContainerSpec;
import dev.vigil.lab.runc.Mounts;
import dev.vigil.lab.runc.Runc;
import dev.vigil.lab.topology.AddressPlan;
import dev.vigil.lab.topology.DnsmasqConfig;
import dev.vigil.lab.topology.LabImages;
import dev.vigil.lab.topology.Topology;
import dev.vigil.lab.topology.Topology.ContainerDef;
import dev.vigil.lab.topology.Topology.InternetHost;
import dev.vigil.lab.topology.Topology.PodDef;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Brings the lab up inside the lab daemon, step by step, recording each thing in {@link LabState}
 * before creating it: images, PKI, API server with its TLS front, the bridge and the node
 * namespace, the simulated internet, pods and their runc containers, the API objects, then
 * readiness checks from inside the namespaces.
 */
final class LabRuntime implements AutoCloseable {

    /** Where built images and unpacked layers are cached between labs. */
    static final Path IMAGE_CACHE = Path.of("/var/cache/vigil-lab");
    /** Longest wait for every server of the lab to accept connections. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final String SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** The node's network namespace: the node IP, the kubernetes ClusterIP and the API server endpoint. */
    static final String NODE_NETNS = Netns.PREFIX + "node";

    private static final String K8S_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final Path dir;
    private final LabState state;
    private final Consumer<String> progress;
    private final BooleanSupplier stopping;
    private final Topology topology;
    private final SecureRandom random = new SecureRandom();
    private final List<Process> processes = new ArrayList<>();
    private ApiServer api;

    LabRuntime(Path dir, LabState state, Topology topology, Consumer<String> progress, BooleanSupplier stopping) {
        this.dir = dir;
        this.state = state;
        this.topology = topology;
        this.progress = progress;
        this.stopping = stopping;
    }

    void up() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        state.mounts.add(dir.resolve("pods").toString());
        state.save();
        Mounts.tmpfs(dir.resolve("pods"));

        step("building images (cached in " + IMAGE_CACHE + ")");
        ImageStore store = new ImageStore(IMAGE_CACHE);
        Map<String, BuiltImage> images = new LinkedHashMap<>();
        for (BuiltImage img : store.build(LabImages.specs())) {
            images.put(img.reference(), img);
        }
        step("images signed; verify with: vigil audit images --key " + store.signer().publicKey()
                + " --layout " + store.layout().dir());

        step("creating the lab CA and certificates");
        List<String> internetTls = topology.internet().stream().filter(h -> h.kind().equals("tls"))
                .flatMap(h -> h.dnsNames().stream()).toList();
        LabPki pki = LabPki.create(dir.resolve("pki"),
                List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                        "kubernetes.default.svc." + AddressPlan.CLUSTER_DOMAIN, "localhost"),
                List.of("127.0.0.1", AddressPlan.KUBERNETES_SERVICE_IP, AddressPlan.NODE_IP), internetTls);
        long now = Instant.now().getEpochSecond();

        step("starting the API server");
        api = ApiServer.start();
        int tlsPort = freePort();
        Path socket = dir.resolve("run/apiserver.sock");
        hostProcess("apiserver-tls", List.of("socat", "OPENSSL-LISTEN:" + tlsPort + ",bind=127.0.0.1,reuseaddr,fork,cert="
                + pki.apiServerPem() + ",verify=0", "TCP:127.0.0.1:" + api.port()));
        hostProcess("apiserver-unix", List.of("socat", "UNIX-LISTEN:" + socket + ",fork,mode=600,unlink-early",
                "TCP:127.0.0.1:" + tlsPort));
        state.apiServer = "https://127.0.0.1:" + tlsPort;
        state.kubeconfig = dir.resolve("kubeconfig").toString();
        Kubeconfig.write(dir.resolve("kubeconfig"), state.apiServer, pki.caCert(), pki.adminToken(now));
        state.save();

        step("creating the bridge " + Netns.BRIDGE + " and the node namespace");
        Netns.createBridge();
        record(NODE_NETNS);
        Netns.create(NODE_NETNS, List.of(AddressPlan.NODE_IP + "/" + AddressPlan.POD_PREFIX,
                AddressPlan.KUBERNETES_SERVICE_IP + "/32"), AddressPlan.ON_LINK_ROUTES);
        for (String listen : List.of(AddressPlan.KUBERNETES_SERVICE_IP + ":" + AddressPlan.KUBERNETES_SERVICE_PORT,
                AddressPlan.NODE_IP + ":" + AddressPlan.API_SERVER_PORT)) {
            String[] hp = listen.split(":");
            hostProcess("node-" + hp[1], List.of("ip", "netns", "exec", NODE_NETNS, "socat",
                    "TCP-LISTEN:" + hp[1] + ",bind=" + hp[0] + ",reuseaddr,fork", "UNIX-CONNECT:" + socket));
        }

        step("starting the simulated internet");
        for (InternetHost h : topology.internet()) {
            record(h.netns());
            Netns.create(h.netns(), List.of(h.ip() + "/24"), AddressPlan.ON_LINK_ROUTES);
            if (h.attacker()) {
                continue;
            }
            Path www = dir.resolve("inet").resolve(h.name());
            Files.createDirectories(www);
            Files.writeString(www.resolve("index.html"), "<!doctype html><title>" + h.dnsNames().getFirst()
                    + "</title><h1>" + h.dnsNames().getFirst() + "</h1><p>A simulated internet host of the Vigil lab.</p>\n");
            List<String> argv = h.kind().equals("http")
                    ? List.of("busybox", "httpd", "-f", "-p", h.ip() + ":" + h.port(), "-h", www.toString())
                    : List.of("openssl", "s_server", "-quiet", "-accept", h.ip() + ":" + h.port(), "-cert",
                            pki.internetTlsCert().toString(), "-key", pki.internetTlsKey().toString(), "-www");
            List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", h.netns()));
            full.addAll(argv);
            hostProcess("inet-" + h.name(), full);
        }

        Map<String, String> saUids = new LinkedHashMap<>();
        for (String[] sa : ClusterObjects.serviceAccounts(topology)) {
            saUids.put(sa[0] + "/" + sa[1], UUID.randomUUID().toString());
        }
        List<ClusterObjects.Started> started = new ArrayList<>();
        progress.accept("cgroups: " + Cgroups.layout().description() + "; containers go to " + Cgroups.QOS_PARENT + "/pod<uid>/<id>");
        for (PodDef def : topology.pods()) {
            step("starting pod " + def.namespace() + "/" + def.workload());
            started.add(startPod(def, images, store, pki, saUids, now));
        }

        step("registering the lab in the API server");
        try (KubernetesClient client = api.client()) {
            new ClusterObjects(client, topology, images, Files.readString(pki.caCert()), saUids)
                    .createAll(started, kernel(), osImage());
        }

        step("waiting for every server to accept connections");
        awaitReady();
        state.phase = "ready";
        state.save();
    }

    private ClusterObjects.Started startPod(PodDef def, Map<String, BuiltImage> images, ImageStore store, LabPki pki,
                                            Map<String, String> saUids, long now) throws IOException {
        String hash = templateHash(def);
        String name = def.kind() == Topology.WorkloadKind.DEPLOYMENT
                ? def.workload() + "-" + hash + "-" + randomName(5) : def.workload() + "-0";
        String uid = UUID.randomUUID().toString();
        String netns = Netns.PREFIX + def.namespace() + "-" + name;
        Path podDir = dir.resolve("pods").resolve(def.namespace() + "_" + name + "_" + uid);
        state.podUids.add(uid);
        record(netns);

        List<String> addresses = new ArrayList<>(List.of(def.ip() + "/" + AddressPlan.POD_PREFIX));
        topology.services().stream().filter(s -> s.namespace().equals(def.namespace()) && s.workload().equals(def.workload()))
                .forEach(s -> addresses.add(s.clusterIp() + "/32"));
        Netns.create(netns, addresses, AddressPlan.ON_LINK_ROUTES);

        Path etc = Files.createDirectories(podDir.resolve("etc"));
        Files.writeString(etc.resolve("hostname"), name + "\n");
        Files.writeString(etc.resolve("hosts"), "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n" + def.ip() + "\t" + name + "\n");
        Files.writeString(etc.resolve("resolv.conf"), resolvConf(def.namespace()));
        Path sa = Files.createDirectories(podDir.resolve("serviceaccount"));
        Files.writeString(sa.resolve("token"), pki.serviceAccountToken(def.namespace(), def.serviceAccount(),
                saUids.get(def.namespace() + "/" + def.serviceAccount()), name, uid, now));
        Files.copy(pki.caCert(), sa.resolve("ca.crt"));
        Files.writeString(sa.resolve("namespace"), def.namespace());
        if (def.workload().equals("coredns")) {
            Files.writeString(etc.resolve("dnsmasq.conf"), DnsmasqConfig.render(topology, def.ip()));
        }

        List<LabStatus.Container> containers = new ArrayList<>();
        Instant startedAt = Instant.now();
        for (ContainerDef c : def.containers()) {
            BuiltImage image = images.get(c.image());
            if (image == null) {
                throw new LabException("container " + c.name() + " of " + def.workload() + " names image " + c.image()
                        + ", which the lab does not build");
            }
            String id = HexFormat.of().formatHex(randomBytes(32));
            Path cdir = podDir.resolve("containers").resolve(c.name());
            Path rootfs = cdir.resolve("rootfs");
            state.containers.add(id);
            state.mounts.add(rootfs.toString());
            state.save();
            Mounts.overlay(store.unpackedLayers(image), cdir.resolve("upper"), cdir.resolve("work"), rootfs);

            List<ContainerSpec.BindMount> binds = new ArrayList<>();
            binds.add(new ContainerSpec.BindMount(etc.resolve("hostname"), "/etc/hostname", false));
            binds.add(new ContainerSpec.BindMount(etc.resolve("hosts"), "/etc/hosts", false));
            binds.add(new ContainerSpec.BindMount(etc.resolve("resolv.conf"), "/etc/resolv.conf", false));
            binds.add(new ContainerSpec.BindMount(sa, SA_MOUNT, true));
            if (def.workload().equals("coredns")) {
                binds.add(new ContainerSpec.BindMount(etc.resolve("dnsmasq.conf"), "/etc/dnsmasq.conf", true));
            }
            for (var secret : c.secretMounts().entrySet()) {
                Path sdir = Files.createDirectories(podDir.resolve("secrets").resolve(secret.getKey()));
                Topology.SecretDef s = topology.secrets().stream()
                        .filter(x -> x.namespace().equals(def.namespace()) && x.name().equals(secret.getKey())).findFirst()
                        .orElseThrow(() -> new LabException("secret " + secret.getKey() + " missing in " + def.namespace()));
                for (var kv : s.data().entrySet()) {
                    Files.writeString(sdir.resolve(kv.getKey()), kv.getValue());
                    Files.setAttribute(sdir.resolve(kv.getKey()), "unix:mode", 0444);
                }
                binds.add(new ContainerSpec.BindMount(sdir, secret.getValue(), true));
            }
            for (var volume : c.memoryVolumes().entrySet()) {
                Path vdir = Files.createDirectories(podDir.resolve("volumes").resolve(volume.getKey()));
                Files.setAttribute(vdir, "unix:mode", 01777);
                binds.add(new ContainerSpec.BindMount(vdir, volume.getValue(), false));
            }

            List<String> args = new ArrayList<>();
            if (c.command().isEmpty()) {
                args.addAll(image.imageConfig().entrypoint());
                args.addAll(image.imageConfig().cmd());
            } else {
                args.addAll(c.command());
            }
            List<String> env = new ArrayList<>(image.imageConfig().env());
            env.add("HOSTNAME=" + name);
            env.add("KUBERNETES_SERVICE_HOST=" + AddressPlan.KUBERNETES_SERVICE_IP);
            env.add("KUBERNETES_SERVICE_PORT=" + AddressPlan.KUBERNETES_SERVICE_PORT);
            env.add("KUBERNETES_SERVICE_PORT_HTTPS=" + AddressPlan.KUBERNETES_SERVICE_PORT);
            env.add("KUBERNETES_PORT=tcp://" + AddressPlan.KUBERNETES_SERVICE_IP + ":" + AddressPlan.KUBERNETES_SERVICE_PORT);
            env.addAll(c.env());
            String cgroup = Cgroups.containerPath(uid, id);
            Map<String, String> annotations = Map.of(
                    "io.kubernetes.cri.container-type", "container",
                    "io.kubernetes.cri.container-name", c.name(),
                    "io.kubernetes.cri.sandbox-name", name,
                    "io.kubernetes.cri.sandbox-namespace", def.namespace(),
                    "io.kubernetes.cri.sandbox-uid", uid,
                    "io.kubernetes.cri.image-name", c.image());
            ContainerSpec spec = new ContainerSpec(id, name, args, env, image.imageConfig().workingDir().isEmpty()
                    ? "/" : image.imageConfig().workingDir(), image.imageConfig().uid(), image.imageConfig().gid(), rootfs,
                    Netns.path(netns), cgroup, binds, annotations);
            long pid = Runc.run(spec, cdir.resolve("bundle"), podDir.resolve(c.name() + ".log"));
            containers.add(new LabStatus.Container(c.name(), id, c.image(), image.digest(), pid, cgroup));
        }
        state.pods.add(new LabStatus.Pod(def.namespace(), name, uid, def.workload(),
                def.kind() == Topology.WorkloadKind.DEPLOYMENT ? "Deployment" : "StatefulSet", def.ip(), netns,
                Netns.hostVeth(netns), AddressPlan.NODE_NAME, containers));
        state.save();
        return new ClusterObjects.Started(def, name, uid, hash, startedAt, containers);
    }

    static String resolvConf(String namespace) {
        String d = AddressPlan.CLUSTER_DOMAIN;
        return "search " + namespace + ".svc." + d + " svc." + d + " " + d + "\nnameserver " + AddressPlan.DNS_SERVICE_IP
                + "\noptions ndots:5\n";
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        for (LabStatus.Pod pod : state.pods) {
            PodDef def = topology.pod(pod.namespace(), pod.workload());
            for (ContainerDef c : def.containers()) {
                for (Topology.Port port : c.ports()) {
                    if (port.protocol().equals("TCP")) {
                        Path log = dir.resolve("pods").resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid())
                                .resolve(c.name() + ".log");
                        awaitTcp(pod.netns(), pod.ip(), port.port(), deadline, pod.namespace() + "/" + pod.name() + " " + c.name(), log);
                    }
                }
            }
        }
        for (Topology.ServiceDef s : topology.services()) {
            for (Topology.Port port : s.ports()) {
                if (port.protocol().equals("TCP")) {
                    awaitTcp(NODE_NETNS, s.clusterIp(), port.port(), deadline, "service " + s.namespace() + "/" + s.name(), null);
                }
            }
        }
        for (InternetHost h : topology.internet().stream().filter(h -> !h.attacker()).toList()) {
            awaitTcp(h.netns(), h.ip(), h.port(), deadline, "internet host " + h.dnsNames().getFirst(),
                    dir.resolve("run").resolve("inet-" + h.name() + ".log"));
        }
        awaitTcp(NODE_NETNS, AddressPlan.KUBERNETES_SERVICE_IP, AddressPlan.KUBERNETES_SERVICE_PORT, deadline,
                "the kubernetes service", dir.resolve("run").resolve("node-443.log"));
    }

    private void awaitTcp(String netns, String ip, int port, Instant deadline, String what, Path log) throws Exception {
        while (true) {
            checkStopping();
            boolean ok = Netns.call(netns, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(ip, port), 500);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            if (ok) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new LabException(what + " does not accept connections on " + ip + ":" + port + " after "
                        + READY_TIMEOUT.toSeconds() + " s" + (log == null ? "" : "; the end of its log:\n" + tail(log)));
            }
            Thread.sleep(100);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "    " + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "    (no log at " + log + ")";
        }
    }

    private void hostProcess(String name, List<String> argv) throws IOException {
        Path log = dir.resolve("run").resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        processes.add(p);
    }

    private void record(String netns) {
        checkStopping();
        state.netns.add(netns);
        state.save();
    }

    private void step(String what) {
        checkStopping();
        progress.accept(what);
    }

    private void checkStopping() {
        if (stopping.getAsBoolean()) {
            throw new LabException("lab stopped while coming up");
        }
    }

    /** A stable 10-character hash of the pod template, in Kubernetes' alphabet, like pod-template-hash. */
    static String templateHash(PodDef def) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(def.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                sb.append(K8S_ALPHABET.charAt((d[i] & 0xff) % K8S_ALPHABET.length()));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomName(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(K8S_ALPHABET.charAt(random.nextInt(K8S_ALPHABET.length())));
        }
        return sb.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String osImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "Linux";
    }

    /** Stops the host processes and the API server this runtime started (the sweeper does the rest). */
    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (api != null) {
            api.close();
        }
    }

    static void ensureDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lab directory " + dir, e);
        }
    }
}
