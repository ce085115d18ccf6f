package hudson.model;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;

/** Stand-in: a user is an id (and a full name the test may set). */
public class User {
    private final String id;
    private final String fullName;

    private User(String id, String fullName) {
        this.id = id;
        this.fullName = fullName;
    }

    /** The user the test made current with {@link StandInJenkins#setCurrentUser}; null when anonymous/SYSTEM. */
    public static User current() {
        String id = StandInJenkins.currentUserId();
        return id == null ? null : getById(id, true);
    }

    public static User getById(String id, boolean create) {
        if (id == null) {
            return null;
        }
        return new User(id, StandInJenkins.fullNameOf(id));
    }

    public String getId() {
        return id;
    }

    public String getFullName() {
        return fullName;
    }

    /** The groups a test gave the user with StandInJenkins.setGroups. */
    public java.util.List<String> getAuthorities() {
        return StandInJenkins.groupsOf(id);
    }

    public String getDisplayName() {
        return getFullName();
    }

    @Override
    public String toString() {
        return fullName;
    }
}
