package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * The one write path of the build's decision endpoints — a gate decision ({@code ecs-approval/approve|rollback}) and
 * "Roll back now" ({@code ecs-deployments/rollbackNow}): read the request (form fields, or a JSON body of at most
 * {@link #MAX_BODY} bytes), check that the build is loaded and visible, let the action decide, answer JSON or text
 * (never HTML), and leave a line in the Jenkins log for every refusal with who, where and why (docs/approvals.md
 * "Refused requests").
 */
final class DecisionRequests {
    private static final Logger LOGGER = Logger.getLogger(DecisionRequests.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest JSON body taken: a decision is a hook id, an id and a comment of at most 1000 characters. */
    static final int MAX_BODY = 16 * 1024;

    private DecisionRequests() {}

    /** A refused request: the HTTP status and the message for the user. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The named fields, from query/form parameters first, then from a JSON body. */
    /**
     * A live snapshot as JSON: UTF-8, never cached (the pages poll it; a cached copy would show a gate that is gone).
     * One place for the progress, cutover and release pages.
     */
    static void sendJson(org.kohsuke.stapler.StaplerResponse2 rsp, String body) throws IOException {
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-store");
        try (java.io.OutputStream out = rsp.getOutputStream()) {
            out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static Map<String, String> fields(StaplerRequest2 req, String... names) throws Refused, IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, req.getParameter(n));
        }
        String type = req.getContentType();
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            JsonNode body = parse(req.getInputStream());
            if (body != null && !body.isNull()) {
                if (!body.isObject()) {
                    throw new Refused(400, "The request body must be a JSON object such as {\"hookId\": \"…\", \"comment\": \"…\"}.");
                }
                for (String n : names) {
                    if (out.get(n) == null && body.hasNonNull(n)) {
                        JsonNode v = body.get(n);
                        if (!v.isTextual()) {
                            throw new Refused(400, "The JSON member \"" + n + "\" must be a string.");
                        }
                        out.put(n, v.asText());
                    }
                }
            }
        }
        return out;
    }

    /** Reads at most {@link #MAX_BODY} bytes: a larger body or malformed JSON is a 400 with a clear message. */
    static JsonNode parse(InputStream in) throws Refused, IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new Refused(400, "The request body is larger than " + MAX_BODY + " bytes; a decision needs only a hook id and a comment of at most 1000 characters.");
        }
        if (bytes.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Refused(400, "The request body is not valid JSON (" + SafeText.line(e.getOriginalMessage(), 200) + ").");
        }
    }

    /**
     * The whole endpoint: {@code decide} gets the request's fields and returns the reply; every refusal (4xx/5xx) is
     * logged with the user, the build, the endpoint and the reason.
     */
    static void answer(Run<?, ?> run, String endpoint, StaplerRequest2 req, StaplerResponse2 rsp, String[] names,
                       Function<Map<String, String>, EcsApprovalAction.Reply> decide, boolean redirectOnSuccess) throws IOException {
        EcsApprovalAction.Reply reply;
        if (run == null) {
            reply = new EcsApprovalAction.Reply(404, "This build is not loaded.");
        } else if (!run.getParent().hasPermission(Item.READ)) {
            reply = new EcsApprovalAction.Reply(403, "You may not see this job.");
        } else {
            try {
                reply = decide.apply(fields(req, names));
            } catch (Refused r) {
                reply = new EcsApprovalAction.Reply(r.status, r.getMessage());
            }
        }
        if (!reply.ok()) {
            LOGGER.log(Level.WARNING, "Amazon ECS Deployments refused {0} by {1} on {2}: HTTP {3}, {4}", new Object[] {
                endpoint, SafeText.line(Jenkins.getAuthentication2().getName(), 100),
                run == null ? "?" : run.getExternalizableId(), reply.status(), SafeText.line(reply.message(), 300)});
        }
        String accept = req.getHeader("Accept");
        if (redirectOnSuccess && reply.ok() && (accept == null || !accept.contains("application/json"))) {
            rsp.sendRedirect2(".");
            return;
        }
        reply.write(req, rsp);
    }
}
