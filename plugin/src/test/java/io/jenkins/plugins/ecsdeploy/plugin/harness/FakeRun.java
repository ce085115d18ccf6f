package io.jenkins.plugins.ecsdeploy.plugin.harness;

import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;

/** A build of a {@link FakeJob}: holds actions (RunAction2.onAttached is called), number, result and env. */
public final class FakeRun extends Run<FakeJob, FakeRun> {
    private final EnvVars environment = new EnvVars();

    public FakeRun(FakeJob job, int number) {
        super(job);
        this.number = number;
    }

    /** Variables of the run's environment (what EnvironmentAction/Run.getEnvironment provides, docs/jenkins-behaviour.md "Bodies"). */
    public FakeRun env(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /** The last build.xml written by {@link #save()} (null: never saved). */
    private volatile String buildXml;
    private final java.util.concurrent.atomic.AtomicInteger saves = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * As core's Run.save() (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/Run.java:2001): the
     * build's persistable actions written with XStream; only this text survives a crash.
     */
    @Override
    public synchronized void save() {
        java.util.List<hudson.model.Action> persisted = new java.util.ArrayList<>();
        for (hudson.model.Action a : getAllActions()) {
            if (a.getClass().getName().startsWith("io.jenkins.plugins.ecsdeploy.")) {
                persisted.add(a);
            }
        }
        buildXml = JenkinsXStream.toXml(persisted);
        saves.incrementAndGet();
        bytesWritten.addAndGet(buildXml.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    /** Bytes of all build.xml files written so far (each save rewrites the whole file, as core's does). */
    private final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();

    public long bytesWritten() {
        return bytesWritten.get();
    }

    public String buildXml() {
        return buildXml;
    }

    public int saveCount() {
        return saves.get();
    }

    /** After a crash: the actions are those of the last build.xml (RunAction2.onLoad called), nothing else. */
    @SuppressWarnings("unchecked")
    synchronized void reloadFromBuildXml() {
        for (hudson.model.Action a : new java.util.ArrayList<>(getAllActions())) {
            if (a.getClass().getName().startsWith("io.jenkins.plugins.ecsdeploy.")) {
                removeAction(a);
            }
        }
        if (buildXml == null) {
            return;
        }
        for (hudson.model.Action a : (java.util.List<hudson.model.Action>) JenkinsXStream.fromXml(buildXml)) {
            getActions().add(a);   // as loading build.xml: no onAttached
            if (a instanceof jenkins.model.RunAction2 r) {
                r.onLoad(this);
            }
        }
    }

    @Override
    public EnvVars getEnvironment(TaskListener listener) throws java.io.IOException, InterruptedException {
        EnvVars env = super.getEnvironment(listener);
        env.putAll(environment);
        return env;
    }
}
