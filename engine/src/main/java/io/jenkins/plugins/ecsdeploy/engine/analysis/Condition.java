package io.jenkins.plugins.ecsdeploy.engine.analysis;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a metric's value on green must satisfy: {@code operator} one of {@code < <= > >=}, and either an absolute
 * {@code threshold} ("5xx rate &lt; 1") or a factor of blue's value under the same traffic at the same time
 * ({@code relativeToBlue}: "p99 latency &lt;= 1.2 × blue"). Written and read as text: {@code "< 1"},
 * {@code "<= 1.2 * blue"} (also {@code x} or {@code ×} for the product).
 */
public record Condition(String operator, Double threshold, Double relativeToBlue) {
    private static final Pattern TEXT = Pattern.compile(
            "\\s*(<=|>=|<|>|≤|≥)\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*(?:(?:\\*|x|×)\\s*blue)?\\s*");
    private static final Pattern RELATIVE = Pattern.compile(".*(?:\\*|x|×)\\s*blue\\s*", Pattern.CASE_INSENSITIVE);

    /** Reads {@code "< 1"}, {@code "<= 1.2 * blue"}; null when the text is not a condition. */
    public static Condition parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.toLowerCase(Locale.ROOT);
        Matcher m = TEXT.matcher(t);
        if (!m.matches()) {
            return null;
        }
        String op = switch (m.group(1)) {
            case "≤" -> "<=";
            case "≥" -> ">=";
            default -> m.group(1);
        };
        double v = Double.parseDouble(m.group(2));
        return RELATIVE.matcher(t).matches() ? new Condition(op, null, v) : new Condition(op, v, null);
    }

    @JsonCreator
    static Condition fromJson(String text) {
        Condition c = parse(text);
        if (c == null) {
            // kept as given: the validator names it with what is allowed
            return new Condition(text, null, null);
        }
        return c;
    }

    public boolean relative() {
        return relativeToBlue != null;
    }

    /** The limit green is held to: the threshold, or the factor times blue's value (null when blue is unknown). */
    public Double limit(Double blue) {
        if (relativeToBlue == null) {
            return threshold;
        }
        return blue == null ? null : relativeToBlue * blue;
    }

    /** Whether green's value satisfies the condition against {@code limit}. */
    public boolean holds(double green, double limit) {
        return switch (operator) {
            case "<" -> green < limit;
            case "<=" -> green <= limit;
            case ">" -> green > limit;
            case ">=" -> green >= limit;
            default -> false;
        };
    }

    /** The text form, e.g. {@code "<= 1.2 * blue"}. */
    @JsonValue
    public String describe() {
        if (threshold == null && relativeToBlue == null) {
            return operator;
        }
        return operator + " " + Numbers.plain(relative() ? relativeToBlue : threshold) + (relative() ? " * blue" : "");
    }
}
