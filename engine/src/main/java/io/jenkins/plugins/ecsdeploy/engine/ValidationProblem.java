package io.jenkins.plugins.ecsdeploy.engine;

/** One problem with a request: the field, the value given, and what is allowed. */
public record ValidationProblem(String field, String value, String allowed) {
    /** {@code "<field>: '<value>' is not allowed; <allowed>"}. */
    public String message() {
        return field + ": '" + (value == null ? "" : value) + "' is not allowed; " + allowed;
    }

    @Override
    public String toString() {
        return message();
    }
}
