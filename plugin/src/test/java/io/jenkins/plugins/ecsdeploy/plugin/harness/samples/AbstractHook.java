package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

/** An abstract parameter type: a nested map needs $class to pick the implementation. */
public abstract class AbstractHook implements hudson.model.Describable<AbstractHook> {
}
