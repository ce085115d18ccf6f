package io.jenkins.plugins.ecsdeploy.engine.release;

import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.RequestValidator;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a release before anything is written to AWS: names, waves, each deployment (with its field path). */
public final class ReleaseValidator {
    /** Names as the waves list them: letters, digits, '-', '_', '.', 1-64 characters. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** ECS gives at most 1,000 services per cluster; a release of more than this many is not one release any more. */
    public static final int MAX_SERVICES = 20;

    private ReleaseValidator() {}

    public static List<ValidationProblem> validate(ReleaseRequest r) {
        List<ValidationProblem> p = new ArrayList<>();
        if (r.name() != null && (r.name().length() > 100 || SafeText.hasUnsafeCharacters(r.name()))) {
            p.add(new ValidationProblem("name", r.name(), "at most 100 printable characters"));
        }
        if (r.services().isEmpty()) {
            p.add(new ValidationProblem("services", "", "at least one service, each with a name"));
        }
        if (r.services().size() > MAX_SERVICES) {
            p.add(new ValidationProblem("services", Integer.toString(r.services().size()), "at most " + MAX_SERVICES + " services"));
        }
        Set<String> names = new HashSet<>();
        Set<String> targets = new HashSet<>();
        for (ReleaseService s : r.services()) {
            if (s.name() == null || !NAME.matcher(s.name()).matches()) {
                p.add(new ValidationProblem("services", s.name(), "a name of 1-64 letters, digits, '.', '-' or '_' for each service"));
                continue;
            }
            if (!names.add(s.name())) {
                p.add(new ValidationProblem("services." + s.name(), s.name(), "each name once"));
            }
            if (s.request() == null) {
                p.add(new ValidationProblem("services." + s.name(), null, "a deployment (cluster, service, image or task definition)"));
                continue;
            }
            String target = s.request().region() + "/" + s.request().clusterOrDefault() + "/" + s.request().service() + "/" + s.roleArn();
            if (!targets.add(target)) {
                p.add(new ValidationProblem("services." + s.name() + ".service", s.request().service(),
                        "a service not deployed twice in one release (ECS runs one deployment per service at a time)"));
            }
            for (ValidationProblem q : RequestValidator.validate(s.request())) {
                p.add(new ValidationProblem("services." + s.name() + "." + q.field(), q.value(), q.allowed()));
            }
        }
        if (r.waves().isEmpty()) {
            p.add(new ValidationProblem("waves", "", "at least one wave, e.g. [['api', 'worker'], ['web']]"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.waves().size(); i++) {
            List<String> w = r.waves().get(i);
            if (w.isEmpty()) {
                p.add(new ValidationProblem("waves[" + i + "]", "[]", "at least one service name per wave"));
            }
            for (String n : w) {
                if (!names.contains(n)) {
                    p.add(new ValidationProblem("waves[" + i + "]", n, "a name of services: " + String.join(", ", names.stream().sorted().toList())));
                } else if (!seen.add(n)) {
                    p.add(new ValidationProblem("waves[" + i + "]", n, "each service in one wave only"));
                }
            }
        }
        for (String n : names) {
            if (!seen.contains(n) && !r.waves().isEmpty()) {
                p.add(new ValidationProblem("waves", n, "every service in a wave: " + n + " is in none"));
            }
        }
        if (r.gate() != null && (r.gate().timeoutMinutes() < RequestValidator.MIN_HOOK_TIMEOUT
                || r.gate().timeoutMinutes() > RequestValidator.MAX_HOOK_TIMEOUT)) {
            p.add(new ValidationProblem("gate.timeoutMinutes", Integer.toString(r.gate().timeoutMinutes()),
                    "minutes from " + RequestValidator.MIN_HOOK_TIMEOUT + " to " + RequestValidator.MAX_HOOK_TIMEOUT));
        }
        if (r.approval() != null) {
            for (ValidationProblem q : r.approval().validate()) {
                p.add(new ValidationProblem("approval." + q.field(), q.value(), q.allowed()));
            }
        }
        return p;
    }

    public static void check(ReleaseRequest r) {
        List<ValidationProblem> p = validate(r);
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
    }
}
