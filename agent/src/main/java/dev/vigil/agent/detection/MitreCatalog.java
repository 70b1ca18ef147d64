package dev.vigil.agent.detection;

import dev.vigil.model.alert.Mitre;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MITRE ATT&amp;CK (Enterprise) techniques that Vigil's and Falco's rule files tag, with their names
 * and the tactics they serve, so that an alert raised by a Falco-format rule carries the same
 * {@code mitre} array as the built-in detectors' alerts. A rule's tags give technique ids
 * ({@code T1059.004}) and tactics ({@code mitre_execution}) separately; each technique is paired with
 * the first of its tactics that the rule names, else its first tactic. A technique missing here keeps
 * its id as its name.
 */
public final class MitreCatalog {

    private record Technique(String name, List<String> tactics) {
    }

    private static Technique t(String name, String... tactics) {
        return new Technique(name, List.of(tactics));
    }

    private static final Map<String, Technique> TECHNIQUES = Map.ofEntries(
            Map.entry("T1003.008", t("/etc/passwd and /etc/shadow", "credential-access")),
            Map.entry("T1005", t("Data from Local System", "collection")),
            Map.entry("T1018", t("Remote System Discovery", "discovery")),
            Map.entry("T1020", t("Automated Exfiltration", "exfiltration")),
            Map.entry("T1021", t("Remote Services", "lateral-movement")),
            Map.entry("T1036", t("Masquerading", "defense-evasion")),
            Map.entry("T1040", t("Network Sniffing", "credential-access", "discovery")),
            Map.entry("T1041", t("Exfiltration Over C2 Channel", "exfiltration")),
            Map.entry("T1046", t("Network Service Discovery", "discovery")),
            Map.entry("T1048", t("Exfiltration Over Alternative Protocol", "exfiltration")),
            Map.entry("T1053.003", t("Cron", "execution", "persistence", "privilege-escalation")),
            Map.entry("T1055.008", t("Ptrace System Calls", "defense-evasion", "privilege-escalation")),
            Map.entry("T1059", t("Command and Scripting Interpreter", "execution")),
            Map.entry("T1059.004", t("Unix Shell", "execution")),
            Map.entry("T1070", t("Indicator Removal", "defense-evasion")),
            Map.entry("T1071", t("Application Layer Protocol", "command-and-control")),
            Map.entry("T1071.004", t("DNS", "command-and-control")),
            Map.entry("T1072", t("Software Deployment Tools", "execution", "lateral-movement")),
            Map.entry("T1083", t("File and Directory Discovery", "discovery")),
            Map.entry("T1090", t("Proxy", "command-and-control")),
            Map.entry("T1095", t("Non-Application Layer Protocol", "command-and-control")),
            Map.entry("T1098", t("Account Manipulation", "persistence", "privilege-escalation")),
            Map.entry("T1098.004", t("SSH Authorized Keys", "persistence", "privilege-escalation")),
            Map.entry("T1105", t("Ingress Tool Transfer", "command-and-control")),
            Map.entry("T1132", t("Data Encoding", "command-and-control")),
            Map.entry("T1190", t("Exploit Public-Facing Application", "initial-access")),
            Map.entry("T1195.002", t("Compromise Software Supply Chain", "initial-access")),
            Map.entry("T1204", t("User Execution", "execution")),
            Map.entry("T1205.001", t("Port Knocking", "defense-evasion", "persistence", "command-and-control")),
            Map.entry("T1222.002", t("Linux and Mac File and Directory Permissions Modification", "defense-evasion")),
            Map.entry("T1485", t("Data Destruction", "impact")),
            Map.entry("T1496", t("Resource Hijacking", "impact")),
            Map.entry("T1505", t("Server Software Component", "persistence")),
            Map.entry("T1505.003", t("Web Shell", "persistence")),
            Map.entry("T1528", t("Steal Application Access Token", "credential-access")),
            Map.entry("T1543", t("Create or Modify System Process", "persistence", "privilege-escalation")),
            Map.entry("T1546.004", t("Unix Shell Configuration Modification", "persistence", "privilege-escalation")),
            Map.entry("T1547.006", t("Kernel Modules and Extensions", "persistence", "privilege-escalation")),
            Map.entry("T1548.001", t("Setuid and Setgid", "privilege-escalation", "defense-evasion")),
            Map.entry("T1548.003", t("Sudo and Sudo Caching", "privilege-escalation", "defense-evasion")),
            Map.entry("T1552", t("Unsecured Credentials", "credential-access")),
            Map.entry("T1552.001", t("Credentials In Files", "credential-access")),
            Map.entry("T1552.005", t("Cloud Instance Metadata API", "credential-access")),
            Map.entry("T1552.007", t("Container API", "credential-access")),
            Map.entry("T1555", t("Credentials from Password Stores", "credential-access")),
            Map.entry("T1556", t("Modify Authentication Process", "credential-access", "defense-evasion", "persistence")),
            Map.entry("T1557", t("Adversary-in-the-Middle", "credential-access", "collection")),
            Map.entry("T1557.002", t("ARP Cache Poisoning", "credential-access", "collection")),
            Map.entry("T1564.001", t("Hidden Files and Directories", "defense-evasion")),
            Map.entry("T1565", t("Data Manipulation", "impact")),
            Map.entry("T1565.001", t("Stored Data Manipulation", "impact")),
            Map.entry("T1571", t("Non-Standard Port", "command-and-control")),
            Map.entry("T1610", t("Deploy Container", "defense-evasion", "execution")),
            Map.entry("T1611", t("Escape to Host", "privilege-escalation")),
            Map.entry("T1613", t("Container and Resource Discovery", "discovery")),
            Map.entry("T1620", t("Reflective Code Loading", "defense-evasion")),
            Map.entry("T1622", t("Debugger Evasion", "defense-evasion", "discovery")));

    private static final Pattern TECHNIQUE_ID = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    private MitreCatalog() {
    }

    /**
     * The techniques a rule's tags name ({@code T…}), each with the tactic it serves here (from the
     * rule's {@code mitre_…} tags when it names one of the technique's tactics).
     */
    public static List<Mitre> fromTags(Collection<String> tags) {
        List<String> ruleTactics = new ArrayList<>();
        for (String tag : tags) {
            if (tag.startsWith("mitre_")) {
                ruleTactics.add(tag.substring("mitre_".length()).replace('_', '-'));
            }
        }
        List<Mitre> out = new ArrayList<>();
        for (String tag : tags) {
            if (!TECHNIQUE_ID.matcher(tag).matches()) {
                continue;
            }
            Technique known = TECHNIQUES.get(tag);
            String tactic = null;
            if (known != null) {
                for (String candidate : known.tactics()) {
                    if (ruleTactics.contains(candidate)) {
                        tactic = candidate;
                        break;
                    }
                }
                if (tactic == null) {
                    tactic = known.tactics().getFirst();
                }
            } else if (!ruleTactics.isEmpty()) {
                tactic = ruleTactics.getFirst();
            }
            if (tactic != null) {
                out.add(new Mitre(tag, known != null ? known.name() : tag, tactic));
            }
        }
        return out;
    }
}
