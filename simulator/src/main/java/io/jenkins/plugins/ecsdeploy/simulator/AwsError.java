package io.jenkins.plugins.ecsdeploy.simulator;

/** An error answered in the AWS JSON shape: {@code {"__type": type, "message": message}} with an HTTP status. */
final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;
    final int status;

    AwsError(String type, int status, String message) {
        super(message);
        this.type = type;
        this.status = status;
    }

    static AwsError invalid(String message) {
        return new AwsError("InvalidParameterException", 400, message);
    }

    static AwsError client(String message) {
        return new AwsError("ClientException", 400, message);
    }

    static AwsError clusterNotFound() {
        return new AwsError("ClusterNotFoundException", 400, "Cluster not found.");
    }

    static AwsError serviceNotFound() {
        return new AwsError("ServiceNotFoundException", 400, "Service not found.");
    }

    static AwsError serviceNotActive() {
        return new AwsError("ServiceNotActiveException", 400, "Service was not ACTIVE.");
    }

    static AwsError deploymentNotFound(String arn) {
        // The troubleshooting guide's text ("Service deployment not found").
        return new AwsError("ServiceDeploymentNotFoundException", 400, "The service deployment does not exist.");
    }

    static AwsError conflict(String message) {
        return new AwsError("ConflictException", 400, message);
    }

    static AwsError unsupported(String message) {
        return new AwsError("UnsupportedFeatureException", 400, message);
    }
}
