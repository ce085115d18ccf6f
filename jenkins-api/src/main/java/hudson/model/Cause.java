package hudson.model;

/**
 * Stand-in: why a build started. Only what the plugin reads: the user who started it ({@link UserIdCause}), used by the
 * approval policy's {@code notBy: 'starter'} (docs/approvals.md "Approval policy").
 * Real: jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/Cause.java:77 (abstract getShortDescription).
 */
public abstract class Cause {
    public Cause() {
    }

    public abstract String getShortDescription();

    /**
     * A build started by a user: holds the user's id, null when unknown
     * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/Cause.java:417-443).
     */
    public static class UserIdCause extends Cause {
        private String userId;

        /** Real: the current user's id (Cause.java:425-428). */
        public UserIdCause() {
            User u = User.current();
            this.userId = u == null ? null : u.getId();
        }

        public UserIdCause(String userId) {
            this.userId = userId;
        }

        public String getUserId() {
            return userId;
        }

        /** Real: the user's display name, "anonymous" for an unknown user (Cause.java:455-458). */
        public String getUserName() {
            User u = userId == null ? null : User.getById(userId, false);
            return u == null ? "anonymous" : u.getDisplayName();
        }

        /** Real: the localized "Started by user X" (Cause.java:475-477; Messages Cause_UserIdCause_ShortDescription). */
        @Override
        public String getShortDescription() {
            return "Started by user " + getUserName();
        }
    }
}
