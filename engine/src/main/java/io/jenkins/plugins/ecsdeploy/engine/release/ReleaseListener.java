package io.jenkins.plugins.ecsdeploy.engine.release;

/** Told about every change of a release (a service's event, a wave's state, the outcome); must not block. */
public interface ReleaseListener {
    void onChange(String what, ReleaseSnapshot snapshot);
}
