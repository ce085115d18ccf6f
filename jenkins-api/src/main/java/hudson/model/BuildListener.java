package hudson.model;

/** Stand-in. */
public interface BuildListener extends TaskListener {
    default void finished(Result result) {
        getLogger().println("Finished: " + result);
    }
}
