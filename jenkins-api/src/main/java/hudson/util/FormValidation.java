package hudson.util;

import org.kohsuke.stapler.HttpResponse;

/** Stand-in: kind + message; renderHtml escapes the message like core's factories do. */
public abstract class FormValidation extends java.io.IOException implements HttpResponse {
    private static final long serialVersionUID = 1L;

    /** Stand-in. */
    public enum Kind { OK, WARNING, ERROR }

    public final Kind kind;

    private FormValidation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static FormValidation ok() {
        return respond(Kind.OK, "");
    }

    public static FormValidation ok(String message) {
        return plain(Kind.OK, message);
    }

    public static FormValidation ok(String format, Object... args) {
        return ok(String.format(format, args));
    }

    public static FormValidation warning(String message) {
        return plain(Kind.WARNING, message);
    }

    public static FormValidation warning(String format, Object... args) {
        return warning(String.format(format, args));
    }

    public static FormValidation warning(Throwable e, String message) {
        return warning(message);
    }

    public static FormValidation error(String message) {
        return plain(Kind.ERROR, message);
    }

    public static FormValidation error(String format, Object... args) {
        return error(String.format(format, args));
    }

    public static FormValidation error(Throwable e, String message) {
        return error(message);
    }

    public static FormValidation validateRequired(String value) {
        return value == null || value.trim().isEmpty() ? error("This field is required") : ok();
    }

    public static FormValidation validatePositiveInteger(String value) {
        try {
            return Integer.parseInt(value) <= 0 ? error("Not a positive integer") : ok();
        } catch (NumberFormatException e) {
            return error("Not a number");
        }
    }

    public static FormValidation validateNonNegativeInteger(String value) {
        try {
            return Integer.parseInt(value) < 0 ? error("Not a non-negative integer") : ok();
        } catch (NumberFormatException e) {
            return error("Not a number");
        }
    }

    /** The message is HTML already (core's respond). */
    public static FormValidation respond(Kind kind, String html) {
        return new FormValidation(kind, html) {
            private static final long serialVersionUID = 1L;

            @Override
            public String renderHtml() {
                return html;
            }
        };
    }

    private static FormValidation plain(Kind kind, String message) {
        String html = hudson.Util.escape(message);
        return new FormValidation(kind, message) {
            private static final long serialVersionUID = 1L;

            @Override
            public String renderHtml() {
                return kind == Kind.OK && message == null ? "" : "<div class=\"" + kind.name().toLowerCase(java.util.Locale.ROOT) + "\">" + html + "</div>";
            }
        };
    }

    public abstract String renderHtml();

    @Override
    public String toString() {
        return kind + ": " + getMessage();
    }
}
