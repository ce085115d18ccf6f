package io.jenkins.plugins.ecsdeploy.engine.validation;

import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A container image reference, checked before anything is registered: the structure Docker and every registry
 * understand, {@code [host[:port]/]path[:tag][@algorithm:hex]}, in the characters ECS allows, at most 255 of them.
 *
 * <p>Sources: ECS ContainerDefinition {@code image} — "Up to 255 letters (uppercase and lowercase), numbers, hyphens,
 * underscores, colons, periods, forward slashes, and number signs are allowed", with the forms
 * {@code repository-url/image:tag} and {@code repository-url/image@digest}
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html); the reference grammar of
 * the Open Container Initiative distribution (https://github.com/distribution/reference/blob/main/reference.go): path
 * components of alphanumerics joined by {@code .}, {@code _}, {@code __} or dashes; a tag of at most 128 word
 * characters, dots and dashes starting with a word character; a digest {@code algorithm:hex} of at least 32 hex
 * digits. Choices (docs/engine.md "1. Validation (offline)"): uppercase letters are accepted in the path as ECS's text allows them (Docker
 * Hub and ECR refuse them at pull time); {@code #} is refused although ECS lists it, since no registry can serve a
 * reference containing it. Control and invisible characters get their own message, naming the first one.
 */
public final class ImageReference {
    /** ECS's limit for {@code image} (API_ContainerDefinition). */
    public static final int MAX_LENGTH = 255;

    private static final String ALNUM = "[A-Za-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]{1,5})?";
    private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*"
            + "(?::" + TAG + ")?(?:@" + DIGEST + ")?");

    static final String ALLOWED = "an image reference [registry[:port]/]repository[:tag][@sha256:digest] of at most 255 "
            + "letters, digits and . _ - / : @, e.g. registry/web:1.4.2";

    private ImageReference() {}

    /** Adds a problem for {@code field} when {@code image} is not a valid reference; true when it is valid. */
    public static boolean check(String field, String image, List<ValidationProblem> problems) {
        String why = problem(image);
        if (why != null) {
            problems.add(new ValidationProblem(field, image, why));
            return false;
        }
        return true;
    }

    /** Null when valid; else what is allowed, naming the first offending character when there is one. */
    public static String problem(String image) {
        if (image == null || image.isEmpty()) {
            return "an image is required: " + ALLOWED;
        }
        if (image.length() > MAX_LENGTH) {
            return "at most " + MAX_LENGTH + " characters (this one has " + image.length() + "); " + ALLOWED;
        }
        for (int i = 0; i < image.length(); ) {
            int cp = image.codePointAt(i);
            if (SafeText.hasUnsafeCharacters(new String(Character.toChars(cp))) || Character.isWhitespace(cp)) {
                return "no spaces, control or invisible characters (" + SafeText.line(new String(Character.toChars(cp)))
                        .replace(" ", "space") + " at position " + (i + 1) + "); " + ALLOWED;
            }
            if (cp > 0x7f) {
                return "ASCII only (" + new String(Character.toChars(cp)) + " at position " + (i + 1) + "); " + ALLOWED;
            }
            if ("<>\"'`&;|$(){}\\!*?#%,=~^".indexOf(cp) >= 0) {
                return "no '" + (char) cp + "' (at position " + (i + 1) + "); " + ALLOWED;
            }
            i += Character.charCount(cp);
        }
        if (!REFERENCE.matcher(image).matches()) {
            return ALLOWED;
        }
        return null;
    }

}
