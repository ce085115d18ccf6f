package hudson.model;

import hudson.security.ACL;
import jenkins.model.Jenkins;

/** Stand-in: a named job under the root. Tests subclass it (the real constructor is protected too). */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable implements Item {
    private final String name;

    protected Job(ItemGroup parent, String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public final String getFullName() {
        return name;
    }

    public String getDisplayName() {
        return name;
    }

    public final String getFullDisplayName() {
        return name;
    }

    @Override
    public final String getUrl() {
        return "job/" + name + "/";
    }

    @Override
    public ACL getACL() {
        return Jenkins.get().getACL();
    }

    @Override
    public String toString() {
        return getClass().getName() + "[" + name + "]";
    }
}
