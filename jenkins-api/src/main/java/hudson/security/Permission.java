package hudson.security;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stand-in: the few core permissions, reached through {@link #fromId}. */
public final class Permission {
    private static final Map<String, Permission> ALL = new LinkedHashMap<>();

    static {
        define("hudson.model.Hudson", "Overall", "Administer");
        define("hudson.model.Hudson", "Overall", "Read");
        for (String n : new String[] {"Read", "Discover", "Configure", "ExtendedRead", "Build", "Workspace", "Cancel", "Create", "Delete"}) {
            define("hudson.model.Item", "Job", n);
        }
        define("com.cloudbees.plugins.credentials.CredentialsProvider", "Credentials", "UseItem");
        for (String n : new String[] {"Update", "Delete", "Replay"}) {
            define("hudson.model.Run", "Run", n);
        }
    }

    private static void define(String owner, String group, String name) {
        Permission p = new Permission(owner, group, name);
        ALL.put(p.getId(), p);
    }

    private final String owner;
    private final String groupTitle;
    public final String name;

    private Permission(String owner, String groupTitle, String name) {
        this.owner = owner;
        this.groupTitle = groupTitle;
        this.name = name;
    }

    String group() {
        return groupTitle;
    }

    public String getId() {
        return owner + "." + name;
    }

    public static Permission fromId(String id) {
        return ALL.get(id);
    }

    @Override
    public String toString() {
        return "Permission[" + owner + "," + name + "]";
    }
}
