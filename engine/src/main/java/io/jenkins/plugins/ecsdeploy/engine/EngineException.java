package io.jenkins.plugins.ecsdeploy.engine;

/**
 * The engine could not do what was asked for a reason other than a bad request: ECS refused a write, the new
 * service deployment did not appear, a deployment ARN is unknown. The message says what happened and what to do.
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
