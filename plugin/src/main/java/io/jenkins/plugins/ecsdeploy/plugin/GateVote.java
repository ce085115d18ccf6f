package io.jenkins.plugins.ecsdeploy.plugin;

/**
 * One person's approval at a gate that needs several (docs/approvals.md "Approval policy"), kept in the gate's record
 * in build.xml so a partial approval survives a restart. A plain class, not a record: XStream writes build.xml by
 * reflection, which Java refuses for a record's final fields.
 */
public final class GateVote implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    String userId;
    String displayName;
    long at;
    String comment;

    GateVote() {
    }

    GateVote(String userId, String displayName, long at, String comment) {
        this.userId = userId;
        this.displayName = displayName;
        this.at = at;
        this.comment = comment;
    }

    public String getUserId() { return userId; }
    public String getDisplayName() { return displayName; }
    public long getAt() { return at; }
    public String getComment() { return comment; }
}
