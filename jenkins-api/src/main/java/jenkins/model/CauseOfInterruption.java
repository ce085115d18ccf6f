package jenkins.model;

import hudson.model.TaskListener;
import hudson.model.User;

/** Stand-in. */
public abstract class CauseOfInterruption implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public CauseOfInterruption() {
    }

    public abstract String getShortDescription();

    public void print(TaskListener listener) {
        listener.getLogger().println(getShortDescription());
    }

    /** "Aborted by &lt;user id&gt;" (docs/jenkins-behaviour.md "Stopping a step"). */
    public static final class UserInterruption extends CauseOfInterruption {
        private static final long serialVersionUID = 1L;
        private final String user;

        public UserInterruption(User user) {
            this.user = user.getId();
        }

        public UserInterruption(String userId) {
            this.user = userId;
        }

        public String getUserId() {
            return user;
        }

        public User getUser() {
            return User.getById(user, true);
        }

        public User getUserOrNull() {
            return User.getById(user, false);
        }

        @Override
        public String getShortDescription() {
            return "Aborted by " + user;
        }

        @Override
        public void print(TaskListener listener) {
            listener.getLogger().println(getShortDescription());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserInterruption && ((UserInterruption) o).user.equals(user);
        }

        @Override
        public int hashCode() {
            return user.hashCode();
        }
    }
}
