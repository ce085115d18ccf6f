package io.jenkins.plugins.ecsdeploy.engine.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * A task definition file ({@code --task-definition-file}, the steps' {@code taskDefinitionFile}), checked before
 * anything is registered (docs/engine.md "1. Validation (offline)", "Task definition files"):
 * <ul>
 *   <li>{@link #read}: a regular file (not a device such as {@code /dev/zero}, a FIFO or a directory) of at most
 *       {@link #MAX_FILE_BYTES}, valid UTF-8 — never more than that many bytes are read;</li>
 *   <li>{@link #check}: a JSON object in the RegisterTaskDefinition shape (or a saved DescribeTaskDefinition answer,
 *       {@code {"taskDefinition": {...}}}), no member the API does not have (a typo would otherwise be dropped
 *       silently), a family, 1–10 container definitions (ECS quota "Containers per task definition: 10",
 *       https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html) each with a unique name and a
 *       valid {@link ImageReference image}, {@code taskRoleArn} / {@code executionRoleArn} an IAM role name or role
 *       ARN (RegisterTaskDefinition: "The short name or full Amazon Resource Name (ARN) of the IAM role",
 *       https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html), and at most
 *       {@link #MAX_JSON_CHARS} characters once compacted. Whether the roles are in the deployment's account is
 *       checked by {@link RequestConsistency}.</li>
 * </ul>
 * The member names come from the SDK's own model ({@code sdkFields()}), so they follow the API.
 */
public final class TaskDefinitionFile {
    /** The largest file read at all (our choice: a real task definition is a few KiB). */
    public static final int MAX_FILE_BYTES = 1024 * 1024;
    /** The largest task definition registered, compacted (our choice; ECS's own size limit is not published in its API reference). */
    public static final int MAX_JSON_CHARS = 64 * 1024;
    /** ECS quota: containers per task definition (not adjustable). */
    public static final int MAX_CONTAINERS = 10;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    private static final Set<String> WRITABLE = names(RegisterTaskDefinitionRequest.builder().sdkFields());
    private static final Set<String> READ_ONLY = names(TaskDefinition.builder().sdkFields());
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_FILE_BYTES).build())
            .build());

    private TaskDefinitionFile() {}

    private static Set<String> names(List<SdkField<?>> fields) {
        Set<String> s = new TreeSet<>();
        for (SdkField<?> f : fields) {
            s.add(f.locationName());
        }
        return s;
    }

    /**
     * Reads a task definition file, refusing (with {@code field} in the problem) anything that is not a readable
     * regular file of at most {@link #MAX_FILE_BYTES} bytes of UTF-8.
     */
    public static String read(Path file, String field) {
        String shown = file.toString();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)) {
            throw refused(field, shown, "an existing file (no such file)");
        }
        if (!Files.isRegularFile(file)) {
            throw refused(field, shown, "a regular file with a task definition in JSON (this is "
                    + (Files.isDirectory(file) ? "a directory" : "a device, pipe or socket") + ")");
        }
        if (!Files.isReadable(file)) {
            throw refused(field, shown, "a file this process may read");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1); // never more, whatever the file claims to be
        } catch (IOException e) {
            throw refused(field, shown, "a readable file (" + SafeText.line(e.getMessage(), 200) + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw refused(field, shown, "a file of at most " + MAX_FILE_BYTES / 1024 + " KiB (a task definition is a few KiB)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw refused(field, shown, "a text file in UTF-8 (this one is not)");
        }
    }

    private static InvalidRequestException refused(String field, String value, String allowed) {
        return new InvalidRequestException(List.of(new ValidationProblem(field, value, allowed)));
    }

    /** Adds every problem of the task definition JSON; true when there was one. */
    public static boolean check(String field, String json, List<ValidationProblem> p) {
        int before = p.size();
        if (json == null || json.isBlank()) {
            p.add(new ValidationProblem(field, json, "a task definition in JSON (the file is empty)"));
            return true;
        }
        if (json.length() > MAX_FILE_BYTES) {
            p.add(new ValidationProblem(field, json, "at most " + MAX_FILE_BYTES / 1024 + " KiB of JSON"));
            return true;
        }
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            p.add(new ValidationProblem(field, json, "valid JSON: " + SafeText.line(firstLine(e.getMessage()), 200)));
            return true;
        }
        if (n == null || !n.isObject()) {
            p.add(new ValidationProblem(field, json,
                    "a JSON object in the RegisterTaskDefinition shape ({\"family\": ..., \"containerDefinitions\": [...]})"));
            return true;
        }
        if (n.has("taskDefinition")) {
            if (!n.get("taskDefinition").isObject()) {
                p.add(new ValidationProblem(field + ".taskDefinition", n.get("taskDefinition").toString(),
                        "an object (a saved DescribeTaskDefinition answer)"));
                return true;
            }
            n = n.get("taskDefinition");
        }
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!WRITABLE.contains(name) && !READ_ONLY.contains(name)) {
                unknown.add(name);
            }
        }
        for (String u : unknown) {
            p.add(new ValidationProblem(field + "." + u, n.get(u).toString(),
                    "a member of RegisterTaskDefinition: " + String.join(", ", WRITABLE)));
        }
        JsonNode fam = n.get("family");
        if (fam == null || !fam.isTextual() || !NAME.matcher(fam.asText()).matches()) {
            p.add(new ValidationProblem(field + ".family", fam == null ? null : fam.asText(),
                    "a family name: 1-255 letters, digits, - and _"));
        }
        JsonNode cds = n.get("containerDefinitions");
        if (cds == null || !cds.isArray() || cds.isEmpty()) {
            p.add(new ValidationProblem(field + ".containerDefinitions", cds == null ? null : cds.toString(),
                    "a non-empty array of container definitions"));
        } else if (cds.size() > MAX_CONTAINERS) {
            p.add(new ValidationProblem(field + ".containerDefinitions", cds.size() + " containers",
                    "at most " + MAX_CONTAINERS + " containers per task definition (ECS quota)"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < cds.size(); i++) {
                JsonNode c = cds.get(i);
                String cf = field + ".containerDefinitions[" + i + "]";
                if (!c.isObject()) {
                    p.add(new ValidationProblem(cf, c.toString(), "an object with a \"name\" and an \"image\""));
                    continue;
                }
                JsonNode name = c.get("name");
                if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
                    p.add(new ValidationProblem(cf + ".name", name == null ? null : name.asText(),
                            "a container name: 1-255 letters, digits, - and _"));
                } else if (!seen.add(name.asText())) {
                    p.add(new ValidationProblem(cf + ".name", name.asText(), "a name no other container of the file has"));
                }
                JsonNode image = c.get("image");
                if (image == null || !image.isTextual()) {
                    p.add(new ValidationProblem(cf + ".image", image == null ? null : image.toString(),
                            "a text value: " + ImageReference.ALLOWED));
                } else {
                    ImageReference.check(cf + ".image", image.asText(), p);
                }
            }
        }
        for (String role : List.of("taskRoleArn", "executionRoleArn")) {
            JsonNode r = n.get(role);
            if (r == null || r.isNull()) {
                continue;
            }
            if (!r.isTextual()) {
                p.add(new ValidationProblem(field + "." + role, r.toString(), "an IAM role name or role ARN"));
            } else if (r.asText().startsWith("arn:")) {
                Arns.Arn a = Arns.parse(r.asText());
                if (a == null || !a.service().equals("iam") || !a.resource().startsWith("role/") || !a.region().isEmpty()
                        || !Arns.ACCOUNT.matcher(a.account()).matches()) {
                    p.add(new ValidationProblem(field + "." + role, r.asText(),
                            "an IAM role ARN, arn:aws:iam::<account>:role/<name>" + (a != null && !a.service().equals("iam")
                                    ? " (this is an ARN of " + a.service() + ", not of an IAM role)" : "")));
                }
            } else if (!ROLE_NAME.matcher(r.asText()).matches()) {
                p.add(new ValidationProblem(field + "." + role, r.asText(),
                        "an IAM role name (1-64 letters, digits and + = , . @ _ -) or role ARN"));
            }
        }
        if (p.size() == before) {
            int compact = n.toString().length();
            if (compact > MAX_JSON_CHARS) {
                p.add(new ValidationProblem(field, compact + " characters",
                        "a task definition of at most " + MAX_JSON_CHARS / 1024 + " KiB of JSON"));
            }
        }
        return p.size() > before;
    }

    /** The role ARNs the file names (taskRoleArn, executionRoleArn), for the account check. */
    public static List<String[]> roleArns(String json) {
        List<String[]> out = new ArrayList<>();
        try {
            JsonNode n = JSON.readTree(json);
            if (n != null && n.has("taskDefinition")) {
                n = n.get("taskDefinition");
            }
            for (String role : List.of("taskRoleArn", "executionRoleArn")) {
                if (n != null && n.path(role).isTextual() && n.path(role).asText().startsWith("arn:")) {
                    out.add(new String[] {role, n.path(role).asText()});
                }
            }
        } catch (IOException | RuntimeException e) {
            // check() reports the JSON itself
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
