package hudson.model.listeners;

import hudson.ExtensionPoint;

/**
 * Stand-in: only the shutdown hook. Core calls {@code onBeforeShutdown()} of every ItemListener at the beginning of the
 * orderly shutdown sequence (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/listeners/ItemListener.java:161-167,
 * called from Jenkins.java:3702).
 */
public class ItemListener implements ExtensionPoint {
    public ItemListener() {
    }

    public void onBeforeShutdown() {
    }
}
