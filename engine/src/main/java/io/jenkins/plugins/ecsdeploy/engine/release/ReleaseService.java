package io.jenkins.plugins.ecsdeploy.engine.release;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;

/**
 * One service of a release: its name in the release (what {@code waves} lists), the deployment to make, and the role
 * to assume for it ({@code null}: the caller's own credentials) — so the services of one release may live in different
 * clusters, regions and accounts (docs/releases.md).
 */
public record ReleaseService(String name, DeploymentRequest request, String roleArn) {
    public ReleaseService(String name, DeploymentRequest request) {
        this(name, request, null);
    }

    /** "api (prod/api in eu-west-1)". */
    public String describe() {
        return name + " (" + request.clusterOrDefault() + "/" + request.service() + " in " + request.region() + ")";
    }
}
