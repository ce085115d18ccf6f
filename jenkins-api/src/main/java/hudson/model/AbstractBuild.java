package hudson.model;

/** Stand-in: only the type. */
public abstract class AbstractBuild<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Run<P, R> {
    protected AbstractBuild(P job) throws java.io.IOException {
        super(job);
    }
}
