package hudson.model;

import hudson.EnvVars;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import jenkins.model.RunAction2;

/** Stand-in: holds actions (calling {@link RunAction2#onAttached}), number and result. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements AccessControlled {
    protected final JobT project;
    public int number;
    protected volatile Result result;
    protected long timestamp;
    protected String description;

    protected Run(JobT job) {
        this.project = job;
        this.timestamp = System.currentTimeMillis();
    }

    protected Run(JobT job, long timestamp) {
        this.project = job;
        this.timestamp = timestamp;
    }

    public JobT getParent() {
        return project;
    }

    public int getNumber() {
        return number;
    }

    public String getId() {
        return Integer.toString(number);
    }

    public String getDisplayName() {
        return "#" + number;
    }

    public String getFullDisplayName() {
        return project.getFullDisplayName() + " " + getDisplayName();
    }

    public String getUrl() {
        return project.getUrl() + number + "/";
    }

    public String getExternalizableId() {
        return project.getFullName() + "#" + number;
    }

    public Result getResult() {
        return result;
    }

    /** As core: the result only gets worse. */
    public void setResult(Result r) {
        if (r == null) {
            return;
        }
        result = result == null ? r : result.combine(r);
    }

    public boolean isBuilding() {
        return result == null;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) throws java.io.IOException {
        this.description = description;
    }

    public final long getStartTimeInMillis() {
        return timestamp;
    }

    public final long getTimeInMillis() {
        return timestamp;
    }

    public EnvVars getEnvironment(TaskListener listener) throws java.io.IOException, InterruptedException {
        EnvVars env = new EnvVars();
        env.put("BUILD_NUMBER", getId());
        env.put("JOB_NAME", project.getFullName());
        env.put("BUILD_URL", getUrl());
        return env;
    }

    /** Real: the causes of the build's CauseAction, empty without one (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/Run.java:582-586). */
    public java.util.List<Cause> getCauses() {
        CauseAction a = getAction(CauseAction.class);
        return a == null ? java.util.Collections.emptyList() : java.util.Collections.unmodifiableList(a.getCauses());
    }

    /** Real: the first cause of the type, or null (Run.java:593-598). */
    public <T extends Cause> T getCause(Class<T> type) {
        for (Cause c : getCauses()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Override
    public void addAction(Action a) {
        super.addAction(a);
        if (a instanceof RunAction2) {
            ((RunAction2) a).onAttached(this);
        }
    }

    /** No persistence in the stand-in. */
    public void save() throws java.io.IOException {
    }

    @Override
    public ACL getACL() {
        return project.getACL();
    }

    @Override
    public String toString() {
        return getFullDisplayName();
    }
}
