package dev.vigil.posture.waiver;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Resource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Accepted findings, from a waiver file and, when enabled, from annotations. A waived finding is
 * reported as waived with its reason and source, never dropped.
 *
 * <p>The file is YAML:
 * <pre>
 * waivers:
 *   - check: hostNamespaces          # check id, or * for every check (required)
 *     namespace: kube-system         # glob (optional)
 *     name: "calico-*"               # glob over the resource name (optional)
 *     kind: DaemonSet                # resource kind (optional)
 *     subject: "system:serviceaccount:ci:*"  # glob over an RBAC subject (optional)
 *     reason: the CNI needs the host network # why it is accepted (required)
 * </pre>
 * A subject is {@code system:serviceaccount:NS:NAME} for service accounts and the name for users and
 * groups; an entry with a subject matches only RBAC subjects. Mistakes (unknown key, missing check or
 * reason) fail loading with {@code file:line}. Annotation waivers, {@code vigil.dev/waive-<check>:
 * reason} on the object or its pod template, apply only when enabled
 * ({@code --allow-annotation-waivers}), since whoever deploys a workload could otherwise waive its findings.
 */
public final class Waivers {

    /** Prefix of annotation waivers: {@code vigil.dev/waive-hostNamespaces: "reason"}. */
    public static final String ANNOTATION_PREFIX = "vigil.dev/waive-";

    private static final Set<String> KEYS = Set.of("check", "namespace", "name", "kind", "subject", "reason");
    private static final Set<String> SUBJECT_KINDS = Set.of("User", "Group", "ServiceAccount");

    private record Entry(String source, String check, Pattern namespace, Pattern name, String kind, Pattern subject,
                         String reason) {

        boolean matches(Finding f) {
            Resource r = f.resource();
            if (!check.equals("*") && !check.equals(f.check())) {
                return false;
            }
            if (kind != null && !kind.equals(r.kind())) {
                return false;
            }
            if (namespace != null && !namespace.matcher(r.namespace() == null ? "" : r.namespace()).matches()) {
                return false;
            }
            if (name != null && !name.matcher(r.name()).matches()) {
                return false;
            }
            return subject == null || (SUBJECT_KINDS.contains(r.kind()) && subject.matcher(subjectOf(r)).matches());
        }
    }

    private final List<Entry> entries;
    private final boolean annotations;

    private Waivers(List<Entry> entries, boolean annotations) {
        this.entries = List.copyOf(entries);
        this.annotations = annotations;
    }

    /** No waivers at all. */
    public static Waivers none() {
        return new Waivers(List.of(), false);
    }

    /** This set with annotation waivers enabled or not. */
    public Waivers withAnnotations(boolean enabled) {
        return new Waivers(entries, enabled);
    }

    public int size() {
        return entries.size();
    }

    /** The RBAC subject a resource stands for: {@code system:serviceaccount:NS:NAME}, or the user or group name. */
    public static String subjectOf(Resource r) {
        return "ServiceAccount".equals(r.kind()) ? "system:serviceaccount:" + r.namespace() + ":" + r.name() : r.name();
    }

    /**
     * The finding, waived by the first matching file entry or, when enabled, by an annotation among
     * {@code objectAnnotations}; unchanged otherwise.
     */
    public Finding apply(Finding f, Map<String, String> objectAnnotations) {
        if (f.waived()) {
            return f;
        }
        for (Entry e : entries) {
            if (e.matches(f)) {
                return f.withWaiver(new Finding.Waiver(e.source(), e.reason()));
            }
        }
        if (annotations) {
            String key = ANNOTATION_PREFIX + f.check();
            String reason = objectAnnotations.get(key);
            if (reason != null && !reason.isBlank()) {
                return f.withWaiver(new Finding.Waiver("annotation " + key, reason));
            }
        }
        return f;
    }

    /** Loads a waiver file; a mistake throws {@link WaiverFileException} naming {@code file:line}. */
    public static Waivers load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), r);
        }
    }

    static Waivers parse(String file, Reader reader) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeReader(reader);
        } catch (YamlEngineException e) {
            throw new WaiverFileException(file + ": malformed YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root.isEmpty()) {
            return none();
        }
        if (!(root.get() instanceof MappingNode top)) {
            throw error(file, root.get(), "expected a mapping with a 'waivers' list");
        }
        List<Entry> entries = new ArrayList<>();
        for (NodeTuple t : top.getValue()) {
            String key = scalar(file, t.getKeyNode());
            if (!key.equals("waivers")) {
                throw error(file, t.getKeyNode(), "unknown key '" + key + "': the file holds only 'waivers'");
            }
            if (t.getValueNode() instanceof ScalarNode s && s.getValue().isEmpty()) {
                continue;
            }
            if (!(t.getValueNode() instanceof SequenceNode list)) {
                throw error(file, t.getValueNode(), "'waivers' must be a list of entries");
            }
            for (Node item : list.getValue()) {
                entries.add(entry(file, item));
            }
        }
        return new Waivers(entries, false);
    }

    private static Entry entry(String file, Node item) {
        if (!(item instanceof MappingNode map)) {
            throw error(file, item, "a waiver must be a mapping with check and reason");
        }
        String check = null;
        String namespace = null;
        String name = null;
        String kind = null;
        String subject = null;
        String reason = null;
        for (NodeTuple t : map.getValue()) {
            String key = scalar(file, t.getKeyNode());
            String value = scalar(file, t.getValueNode());
            switch (key) {
                case "check" -> check = value;
                case "namespace" -> namespace = value;
                case "name" -> name = value;
                case "kind" -> kind = value;
                case "subject" -> subject = value;
                case "reason" -> reason = value;
                default -> throw error(file, t.getKeyNode(), "unknown key '" + key + "': use one of " + KEYS.stream().sorted().toList());
            }
        }
        if (check == null || check.isBlank()) {
            throw error(file, item, "waiver without 'check': name the check id it accepts (or * for all)");
        }
        if (reason == null || reason.isBlank()) {
            throw error(file, item, "waiver of '" + check + "' without 'reason': every waiver must say why the finding is accepted");
        }
        String source = file + ":" + line(item);
        return new Entry(source, check, glob(namespace), glob(name), kind, glob(subject), reason.strip());
    }

    private static String scalar(String file, Node node) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        throw error(file, node, "expected a plain value here");
    }

    /** A glob with {@code *} (any run of characters) and {@code ?} (one character); null stays null. */
    static Pattern glob(String glob) {
        if (glob == null) {
            return null;
        }
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static WaiverFileException error(String file, Node node, String message) {
        return new WaiverFileException(file + ":" + line(node) + ": " + message);
    }
}
