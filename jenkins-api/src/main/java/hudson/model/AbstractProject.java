package hudson.model;

/** Stand-in: only the type (BuildStepDescriptor.isApplicable takes it). */
public abstract class AbstractProject<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Job<P, R> {
    protected AbstractProject(ItemGroup parent, String name) {
        super(parent, name);
    }
}
