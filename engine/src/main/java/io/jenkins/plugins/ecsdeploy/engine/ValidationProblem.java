package io.jenkins.plugins.ecsdeploy.engine;

/** One problem with a request: the field, the value given, and what is allowed. */
public record ValidationProblem(String field, String value, String allowed) {
    /**
     * {@code "<field>: '<value>' is not allowed; <allowed>"}. The value is shortened and its control and invisible
     * characters shown as escapes ({@link SafeText#value}), so a refusal is always one safe line.
     */
    public String message() {
        // The field may hold a container name and the allowed text ECS's own words: both untrusted too.
        return SafeText.line(field, 200) + ": '" + SafeText.value(value) + "' is not allowed; " + SafeText.line(allowed, 1000);
    }

    @Override
    public String toString() {
        return message();
    }
}
