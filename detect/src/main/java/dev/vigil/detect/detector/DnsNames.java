package dev.vigil.detect.detector;

import dev.vigil.model.net.IpText;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a pod's own DNS answers gave to addresses, so that a connection to {@code 203.0.113.7}
 * is reported as one to {@code pool.minexmr.example}: the name the pod asked for (not a CNAME target),
 * from the answers of its queries. Kept per pod because the same address means different names to
 * different pods (shared hosting, CDNs). Bounded: {@link #DEFAULT_MAX_NAMES_PER_POD} addresses per pod
 * (least recently used dropped first) and {@link #DEFAULT_MAX_PODS} pods (oldest dropped first).
 * A lookup of a known pod allocates nothing. Thread-safe (the host and network sides share it).
 */
public final class DnsNames {

    public static final int DEFAULT_MAX_NAMES_PER_POD = 512;
    public static final int DEFAULT_MAX_PODS = 4096;

    private final int maxNamesPerPod;
    private final int maxPods;
    private final Map<String, Map<String, PodNames>> byNamespace = new HashMap<>();
    private final ArrayDeque<PodNames> age = new ArrayDeque<>();
    private long evictedPods;

    private final class PodNames extends LinkedHashMap<String, String> {
        final String namespace;
        final String pod;

        PodNames(String namespace, String pod) {
            super(16, 0.75f, true);
            this.namespace = namespace;
            this.pod = pod;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > maxNamesPerPod;
        }
    }

    public DnsNames() {
        this(DEFAULT_MAX_NAMES_PER_POD, DEFAULT_MAX_PODS);
    }

    public DnsNames(int maxNamesPerPod, int maxPods) {
        if (maxNamesPerPod < 1 || maxPods < 1) {
            throw new IllegalArgumentException("DNS names: max names per pod " + maxNamesPerPod + " and max pods "
                    + maxPods + " must be at least 1");
        }
        this.maxNamesPerPod = maxNamesPerPod;
        this.maxPods = maxPods;
    }

    /**
     * An answered query of a pod: each address among {@code answers} (Zeek renders A and AAAA answers
     * as the address, CNAMEs as the name) is named {@code query}, lower case without the trailing dot.
     */
    public synchronized void answered(String namespace, String pod, String query, List<String> answers) {
        if (query == null || answers == null || answers.isEmpty()) {
            return;
        }
        String name = null;
        PodNames names = null;
        for (String a : answers) {
            if (!looksLikeAddress(a)) {
                continue;
            }
            if (names == null) {
                names = podNames(namespace, pod, true);
            }
            String known = names.get(a);
            if (known != null && sameName(known, query)) {
                continue;
            }
            if (name == null) {
                name = normalize(query);
            }
            names.put(a, name);
        }
    }

    /** The name {@code ip} had in the pod's answers, or null. */
    public synchronized String name(String namespace, String pod, String ip) {
        PodNames names = podNames(namespace, pod, false);
        return names == null ? null : names.get(ip);
    }

    /** Pods dropped to make room. */
    public synchronized long evictedPods() {
        return evictedPods;
    }

    private PodNames podNames(String namespace, String pod, boolean create) {
        Map<String, PodNames> pods = byNamespace.get(namespace);
        PodNames names = pods == null ? null : pods.get(pod);
        if (names != null || !create) {
            return names;
        }
        if (age.size() >= maxPods) {
            PodNames oldest = age.pollFirst();
            Map<String, PodNames> of = byNamespace.get(oldest.namespace);
            of.remove(oldest.pod);
            if (of.isEmpty()) {
                byNamespace.remove(oldest.namespace);
            }
            evictedPods++;
        }
        names = new PodNames(namespace, pod);
        byNamespace.computeIfAbsent(namespace, k -> new HashMap<>()).put(pod, names);
        age.addLast(names);
        return names;
    }

    /** Whether a stored (normalized) name is {@code query}, without allocating. */
    private static boolean sameName(String known, String query) {
        int n = query.endsWith(".") ? query.length() - 1 : query.length();
        return known.length() == n && known.regionMatches(true, 0, query, 0, n);
    }

    private static String normalize(String query) {
        String q = query.endsWith(".") ? query.substring(0, query.length() - 1) : query;
        return q.toLowerCase(java.util.Locale.ROOT);
    }

    /** Zeek writes A and AAAA answers as addresses, everything else (CNAME, TXT …) as text. */
    private static boolean looksLikeAddress(String a) {
        return a != null && IpText.canonical(a) != null;
    }
}
