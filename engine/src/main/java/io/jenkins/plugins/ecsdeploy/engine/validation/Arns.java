package io.jenkins.plugins.ecsdeploy.engine.validation;

import java.util.regex.Pattern;

/**
 * ARNs split into their parts: {@code arn:partition:service:region:account-id:resource}
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). IAM ARNs have an empty region.
 */
public final class Arns {
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");

    private Arns() {}

    /** The parts of an ARN. */
    public record Arn(String partition, String service, String region, String account, String resource) {}

    /** Null when {@code s} is not of the ARN form at all. */
    public static Arn parse(String s) {
        if (s == null || !s.startsWith("arn:")) {
            return null;
        }
        String[] p = s.split(":", 6);
        if (p.length != 6 || !PARTITION.matcher(p[1]).matches() || p[2].isEmpty() || p[5].isEmpty()) {
            return null;
        }
        return new Arn(p[1], p[2], p[3], p[4], p[5]);
    }

    /** The account of an ARN if it is a 12-digit account id, else null. */
    public static String account(String arn) {
        Arn a = parse(arn);
        return a != null && ACCOUNT.matcher(a.account()).matches() ? a.account() : null;
    }
}
