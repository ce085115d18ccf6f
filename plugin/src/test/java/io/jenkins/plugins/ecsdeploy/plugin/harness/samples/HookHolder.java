package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import hudson.util.Secret;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** Two constructor parameters (so no sole key), an abstract nested type, a primitive and a char parameter. */
public class HookHolder {
    private final String cluster;
    private final int count;
    private AbstractHook hook;
    private Secret token;
    private String[] stages;

    @DataBoundConstructor
    public HookHolder(String cluster, int count) {
        if ("boom".equals(cluster)) {
            throw new IllegalArgumentException("cluster must not be boom");
        }
        this.cluster = cluster;
        this.count = count;
    }

    public String getCluster() {
        return cluster;
    }

    public int getCount() {
        return count;
    }

    public AbstractHook getHook() {
        return hook;
    }

    @DataBoundSetter
    public void setHook(AbstractHook hook) {
        this.hook = hook;
    }

    public Secret getToken() {
        return token;
    }

    @DataBoundSetter
    public void setToken(Secret token) {
        this.token = token;
    }

    public String[] getStages() {
        return stages;
    }

    @DataBoundSetter
    public void setStages(String[] stages) {
        this.stages = stages;
    }
}
