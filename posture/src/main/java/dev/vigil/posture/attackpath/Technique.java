package dev.vigil.posture.attackpath;

/** The MITRE ATT&CK (Enterprise and Containers matrices) technique each kind of step uses. */
public enum Technique {
    EXPLOIT_PUBLIC_FACING("T1190", "Exploit Public-Facing Application"),
    STEAL_TOKEN("T1528", "Steal Application Access Token"),
    ESCAPE_TO_HOST("T1611", "Escape to Host"),
    CONTAINER_ADMIN_COMMAND("T1609", "Container Administration Command"),
    DEPLOY_CONTAINER("T1610", "Deploy Container"),
    ADDITIONAL_CLUSTER_ROLES("T1098.006", "Account Manipulation: Additional Container Cluster Roles"),
    VALID_ACCOUNTS("T1078", "Valid Accounts"),
    CONTAINER_API_CREDENTIALS("T1552.007", "Unsecured Credentials: Container API"),
    CREDENTIALS_IN_FILES("T1552.001", "Unsecured Credentials: Credentials In Files"),
    FORGE_CERTIFICATES("T1649", "Steal or Forge Authentication Certificates");

    private final String id;
    private final String title;

    Technique(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }
}
