package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Cluster;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Service;
import io.jenkins.plugins.ecsdeploy.simulator.Model.TaskDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * TagResource, UntagResource and ListTagsForResource on services, clusters and task definitions, as the ECS API
 * reference describes them (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TagResource.html,
 * API_UntagResource.html, API_ListTagsForResource.html, API_Tag.html):
 * <ul>
 *   <li>resources: a service by its <b>long</b> ARN {@code …:service/<cluster>/<name>} (a short ARN
 *       {@code …:service/<name>} → InvalidParameterException, as the page says), a cluster ARN, a task definition ARN;
 *       other ARNs (service deployments, service revisions, …) → InvalidParameterException (TagResource supports
 *       "capacity providers, tasks, services, task definitions, clusters, and container instances");</li>
 *   <li>a tag: key 1–128 and value 0–256 characters of {@code [\p{L}\p{Z}\p{N}_.:/=+\-@]}; no {@code aws:} prefix
 *       (any case); at most 50 tags per resource; an existing key gets the new value, other tags are left alone;</li>
 *   <li>an unknown resource → ResourceNotFoundException, an unknown cluster → ClusterNotFoundException.</li>
 * </ul>
 * Which exception ECS raises for 51 tags, a bad character or an {@code aws:} key is not published; the simulator's
 * choice is InvalidParameterException (a modelled error of all three operations). Runs under the controller's lock.
 */
final class Tagging {
    static final Set<String> OPERATIONS = Set.of("TagResource", "UntagResource", "ListTagsForResource");
    static final int MAX_TAGS = 50;
    private static final Pattern CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private final Controller c;

    Tagging(Controller c) {
        this.c = c;
    }

    ObjectNode handle(String op, ObjectNode req) {
        return switch (op) {
            case "TagResource" -> tag(req);
            case "UntagResource" -> untag(req);
            case "ListTagsForResource" -> list(req);
            default -> throw new AwsError("UnknownOperationException", 400, "Operation " + op + " is not supported.");
        };
    }

    private ObjectNode tag(ObjectNode req) {
        Target t = target(Json.text(req, "resourceArn"));
        JsonNode tags = req.get("tags");
        if (tags == null || !tags.isArray() || tags.isEmpty()) {
            throw AwsError.invalid("tags: at least one tag is required.");
        }
        Map<String, String> now = asMap(t.tags());
        for (JsonNode tag : tags) {
            String key = tag.path("key").asText(null);
            String value = tag.path("value").asText("");
            if (key == null || key.isEmpty() || key.length() > 128 || !CHARS.matcher(key).matches()) {
                throw AwsError.invalid("tags.key: '" + key + "' must be 1-128 letters, numbers, spaces and + - = . _ : / @.");
            }
            if (value.codePointCount(0, value.length()) > 256 || !CHARS.matcher(value).matches()) {
                throw AwsError.invalid("tags.value: the value of '" + key
                        + "' must be at most 256 letters, numbers, spaces and + - = . _ : / @.");
            }
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw AwsError.invalid("tags.key: '" + key + "' uses the reserved prefix aws:.");
            }
            now.put(key, value);
        }
        if (now.size() > MAX_TAGS) {
            throw AwsError.invalid("tags: a resource can have at most " + MAX_TAGS + " tags; this would make " + now.size() + ".");
        }
        t.set(toArray(now));
        return Json.obj();
    }

    private ObjectNode untag(ObjectNode req) {
        Target t = target(Json.text(req, "resourceArn"));
        JsonNode keys = req.get("tagKeys");
        if (keys == null || !keys.isArray()) {
            throw AwsError.invalid("tagKeys: a list of tag keys is required.");
        }
        Map<String, String> now = asMap(t.tags());
        keys.forEach(k -> now.remove(k.asText()));
        t.set(toArray(now));
        return Json.obj();
    }

    private ObjectNode list(ObjectNode req) {
        Target t = target(Json.text(req, "resourceArn"));
        ObjectNode out = Json.obj();
        out.set("tags", toArray(asMap(t.tags())));
        return out;
    }

    /** A taggable resource: where its tags live. */
    private record Target(ArrayNode current, java.util.function.Consumer<ArrayNode> setter) {
        ArrayNode tags() {
            return current == null ? Json.arr() : current;
        }

        void set(ArrayNode n) {
            setter.accept(n);
        }
    }

    private Target target(String arn) {
        if (arn == null || arn.isEmpty()) {
            throw AwsError.invalid("resourceArn: an ARN is required.");
        }
        String[] p = arn.split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !p[2].equals("ecs")) {
            throw AwsError.invalid("resourceArn: '" + arn + "' is not an Amazon ECS ARN.");
        }
        String resource = p[5];
        if (resource.startsWith("service/")) {
            String[] parts = resource.substring("service/".length()).split("/");
            if (parts.length != 2) {
                throw AwsError.invalid("resourceArn: '" + arn + "' is a short service ARN; migrate the service to the "
                        + "long ARN format (…:service/<cluster>/<service>) to tag it.");
            }
            Cluster cl = c.clusters.get(parts[0]);
            if (cl == null) {
                throw AwsError.clusterNotFound();
            }
            Service s = cl.services.get(parts[1]);
            if (s == null) {
                throw notFound(arn);
            }
            return new Target(s.spec.has("tags") ? (ArrayNode) s.spec.get("tags") : null, n -> s.spec.set("tags", n));
        }
        if (resource.startsWith("cluster/")) {
            Cluster cl = c.clusters.get(resource.substring("cluster/".length()));
            if (cl == null) {
                throw AwsError.clusterNotFound();
            }
            return new Target(cl.tags, n -> cl.tags = n);
        }
        if (resource.startsWith("task-definition/")) {
            String fr = resource.substring("task-definition/".length());
            int colon = fr.lastIndexOf(':');
            List<TaskDef> list = colon < 0 ? null : c.taskDefs.get(fr.substring(0, colon));
            if (list != null) {
                for (TaskDef td : list) {
                    if (String.valueOf(td.revision).equals(fr.substring(colon + 1))) {
                        return new Target(td.tags, n -> td.tags = n);
                    }
                }
            }
            throw notFound(arn);
        }
        throw AwsError.invalid("resourceArn: '" + arn + "' cannot be tagged; supported resources are capacity providers, "
                + "tasks, services, task definitions, clusters and container instances.");
    }

    private static AwsError notFound(String arn) {
        return new AwsError("ResourceNotFoundException", 400, "The specified resource could not be found: " + arn);
    }

    private static Map<String, String> asMap(ArrayNode tags) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonNode t : tags) {
            m.put(t.path("key").asText(), t.path("value").asText(""));
        }
        return m;
    }

    private static ArrayNode toArray(Map<String, String> m) {
        ArrayNode a = Json.arr();
        List<String> keys = new ArrayList<>(m.keySet());
        for (String k : keys) {
            ObjectNode t = a.addObject();
            t.put("key", k);
            t.put("value", m.get(k));
        }
        return a;
    }
}
