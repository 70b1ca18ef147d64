package dev.vigil.posture.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML for CI dashboards: one {@code testsuite} per check, one {@code testcase} per finding
 * (named after the resource) holding a {@code failure} whose type is the severity, or {@code skipped}
 * with the waiver reason when waived. Checks the audit declared that found nothing get one passing
 * test case, so a clean run still shows what was checked.
 */
public final class JunitWriter implements ReportWriter {

    private final Writer out;
    private final AuditInfo info;
    private final Map<String, List<Finding>> byCheck = new LinkedHashMap<>();
    private final Map<String, String> titles = new LinkedHashMap<>();

    public JunitWriter(Writer out, AuditInfo info) {
        this.out = out;
        this.info = info;
        for (Rule r : info.rules()) {
            byCheck.put(r.id(), new ArrayList<>());
            titles.put(r.id(), r.title());
        }
    }

    @Override
    public void finding(Finding finding) {
        byCheck.computeIfAbsent(finding.check(), c -> new ArrayList<>()).add(finding);
        titles.putIfAbsent(finding.check(), finding.title());
    }

    @Override
    public void finish(Summary summary) {
        long tests = 0;
        long failures = 0;
        long skipped = 0;
        StringBuilder suites = new StringBuilder();
        for (Map.Entry<String, List<Finding>> e : byCheck.entrySet()) {
            List<Finding> list = e.getValue();
            long f = list.stream().filter(x -> !x.waived()).count();
            long s = list.size() - f;
            long t = Math.max(1, list.size());
            tests += t;
            failures += f;
            skipped += s;
            suites.append("  <testsuite name=\"").append(xml(e.getKey())).append("\" tests=\"").append(t)
                    .append("\" failures=\"").append(f).append("\" errors=\"0\" skipped=\"").append(s).append("\">\n");
            suites.append("    <properties><property name=\"title\" value=\"").append(xml(titles.get(e.getKey())))
                    .append("\"/></properties>\n");
            if (list.isEmpty()) {
                suites.append("    <testcase classname=\"").append(xml(e.getKey()))
                        .append("\" name=\"no findings\"/>\n");
            }
            for (Finding x : list) {
                suites.append("    <testcase classname=\"").append(xml(e.getKey())).append("\" name=\"")
                        .append(xml(x.resource().display())).append("\"");
                if (x.resource().location() != null) {
                    suites.append(" file=\"").append(xml(x.resource().file())).append('"');
                    if (x.resource().line() > 0) {
                        suites.append(" line=\"").append(x.resource().line()).append('"');
                    }
                }
                suites.append(">\n");
                if (x.waived()) {
                    suites.append("      <skipped message=\"").append(xml("waived: " + x.waiver().reason()
                            + " (" + x.waiver().source() + ")")).append("\"/>\n");
                } else {
                    suites.append("      <failure type=\"").append(x.severity().label()).append("\" message=\"")
                            .append(xml(x.message())).append("\">").append(xml(detail(x))).append("</failure>\n");
                }
                suites.append("    </testcase>\n");
            }
            suites.append("  </testsuite>\n");
        }
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuites name=\"").append(xml("vigil " + info.audit() + ": " + info.title())).append("\" tests=\"")
                .append(tests).append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"")
                .append(skipped).append("\">\n").append(suites).append("</testsuites>\n");
        try {
            out.append(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String detail(Finding f) {
        StringBuilder b = new StringBuilder(f.message());
        if (f.remediation() != null) {
            b.append("\nfix: ").append(f.remediation());
        }
        if (!f.references().isEmpty()) {
            b.append("\nreferences: ").append(String.join(", ", f.references()));
        }
        if (!f.mitre().isEmpty()) {
            b.append("\nMITRE ATT&CK: ").append(String.join(", ", f.mitre()));
        }
        return b.toString();
    }

    /** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
    static String xml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\n' -> b.append("&#10;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
