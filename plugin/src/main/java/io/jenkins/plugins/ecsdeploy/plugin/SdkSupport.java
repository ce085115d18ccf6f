package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;

/**
 * The AWS SDK found at run time must know PAUSE hooks and ContinueServiceDeployment (docs/ecs-facts.md "SDK versions":
 * ECS SDK 2.44.8 or newer). We bundle 2.59.1 (decision D5), but a class-loader setting such as
 * {@code PluginFirstClassLoader=false} with an older aws-java-sdk2-ecs plugin could shadow it: then fail
 * with a message naming the version, never with a NoSuchMethodError in the middle of a deployment.
 */
final class SdkSupport {
    private SdkSupport() {}

    static final String REQUIRED = "software.amazon.awssdk.services.ecs.model.ContinueServiceDeploymentRequest";
    static final String MINIMUM_VERSION = "2.44.8";

    private static volatile Boolean present;

    static void requirePauseHooks() throws AbortException {
        Boolean p = present;
        if (p == null) {
            p = isPresent(SdkSupport.class.getClassLoader(), REQUIRED);
            present = p;
        }
        if (!p) {
            throw new AbortException(message());
        }
    }

    static boolean isPresent(ClassLoader loader, String className) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static String message() {
        return "The AWS SDK for Java v2 ECS client loaded by Jenkins has no ContinueServiceDeployment (PAUSE hooks): "
                + "software.amazon.awssdk:ecs " + MINIMUM_VERSION + " or newer is needed. Amazon ECS Deployments bundles "
                + "2.59.1; if an older aws-java-sdk2-ecs plugin shadows it, update that plugin to " + MINIMUM_VERSION + " or newer.";
    }
}
