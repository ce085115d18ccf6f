package io.jenkins.plugins.ecsdeploy.engine;

/** One problem with a request: the field, the value given (null or empty: none), and what is allowed. */
public record ValidationProblem(String field, String value, String allowed) {
    /**
     * The one template for every refusal, e.g. {@code --canary-percent '150': a multiple of 0.1 from 0.1 to 100},
     * {@code --region: a region is required, e.g. us-east-1}, {@code --sandbox: only with deploy, plan --check-service
     * and demo}, {@code --colour: not an option of 'ecs-deploy deploy'}: the field, the value given in quotes (left
     * out when none was given, or when it only repeats the field), then what is allowed. So it reads right whether the
     * value is missing, out of range, not allowed with another setting or unknown — {@code allowed} says which. The
     * value is shortened and its control and invisible characters shown as escapes ({@link SafeText#value}), so a
     * refusal is always one safe line.
     */
    public String message() {
        // The field may hold a container name and the allowed text ECS's own words: both untrusted too.
        String f = SafeText.line(field, 200);
        boolean given = value != null && !value.isEmpty() && !value.equals(field);
        return f + (given ? " '" + SafeText.value(value) + "'" : "") + ": " + SafeText.line(allowed, 1000);
    }

    @Override
    public String toString() {
        return message();
    }
}
