package io.jenkins.plugins.ecsdeploy.engine;

/**
 * The one place where untrusted text (comments, user ids, image names, ARNs, ECS's reason texts, values of refused
 * input) is made safe before it is shown: on a terminal, in a CI log or the Jenkins console, and in HTML.
 *
 * <p>Terminal and console text ({@link #line}, {@link #value}): every character that could move the cursor, start
 * an escape sequence, forge a new line, or hide or reorder text is shown as a visible escape instead —
 * {@code \n}, {@code \r}, {@code \t}, {@code \e} (ESC), {@code \xHH} for the other C0/C1 controls and DEL, and
 * {@code \}{@code uHHHH} for Unicode format characters (bidi overrides and isolates, zero-width characters, the byte
 * order mark, tag characters), line and paragraph separators, private-use and unassigned code points and unpaired
 * surrogates. Printable text, including letters of every script, is kept as it is. The result is then capped:
 * longer text keeps its start and ends with {@code …(+N chars)}, so a 100 kB value is never echoed whole.
 *
 * <p>HTML ({@link #html}): the same visible escapes (line breaks kept when asked), then {@code & < > " '} as
 * entities, so the text is safe in element content and in quoted attribute values. Never use it to build markup from
 * parts: untrusted text is text (docs/security.md).
 *
 * <p>Why escapes instead of deleting: a reviewer must see that a comment carried an ESC or a right-to-left override;
 * deleting it would hide the attempt. Why ECMA-48 matters here: ESC starts a control sequence and CR/LF start a new
 * line in every terminal and in the Jenkins console, so a raw one can forge output; C1 controls (U+0080–U+009F, e.g.
 * CSI U+009B) act the same way in some terminals (ECMA-48, https://ecma-international.org/publications-and-standards/standards/ecma-48/).
 * Unicode format characters are Unicode general category Cf (https://www.unicode.org/reports/tr44/#General_Category_Values);
 * the bidi controls are what "Trojan Source" (CVE-2021-42574) abuses.
 */
public final class SafeText {
    /** Longest text kept by {@link #line(String)}: a comment, a reason, a user id in a log line. */
    public static final int MAX_LINE = 500;
    /** Longest value kept in a refusal message ({@link #value}): enough to recognise it, never a whole file. */
    public static final int MAX_VALUE = 120;

    private SafeText() {}

    /** One line for a terminal, a log or the Jenkins console: visible escapes, at most {@link #MAX_LINE} characters. */
    public static String line(String s) {
        return line(s, MAX_LINE);
    }

    /** {@link #line(String)} capped at {@code max} characters (code points) before the "…(+N chars)" marker. */
    public static String line(String s, int max) {
        if (s == null) {
            return "";
        }
        return cap(escape(s, false), max);
    }

    /** A refused value in a validation message: visible escapes, at most {@link #MAX_VALUE} characters. */
    public static String value(String s) {
        return line(s, MAX_VALUE);
    }

    /**
     * Text for HTML element content or a quoted attribute: visible escapes (real line breaks kept when
     * {@code keepLineBreaks}), capped at {@code max} characters, then HTML-escaped.
     */
    public static String html(String s, boolean keepLineBreaks, int max) {
        if (s == null) {
            return "";
        }
        return escapeHtml(cap(escape(s, keepLineBreaks), max));
    }

    /** {@link #html(String, boolean, int)} on one line, at most {@link #MAX_LINE} characters. */
    public static String html(String s) {
        return html(s, false, MAX_LINE);
    }

    /** True when {@link #line} would change {@code s} other than by shortening it (it holds a character to escape). */
    public static boolean hasUnsafeCharacters(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (unsafe(cp, false) || (Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /** Whether a code point must be shown as an escape (never printed raw). */
    static boolean unsafe(int cp, boolean keepLineBreaks) {
        if (keepLineBreaks && cp == '\n') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED || type == Character.SURROGATE;
    }

    private static String escape(String s, boolean keepLineBreaks) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            boolean lone = Character.isSurrogate(s.charAt(i)) && n == 1;
            if (unsafe(cp, keepLineBreaks) || lone) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(visible(cp));
            } else if (b != null) {
                b.appendCodePoint(cp);
            }
            i += n;
        }
        return b == null ? s : b.toString();
    }

    private static String visible(int cp) {
        switch (cp) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case 0x1b:
                return "\\e";
            default:
                if (cp <= 0xff) {
                    return String.format("\\x%02x", cp);
                }
                return cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp);
        }
    }

    private static String cap(String s, int max) {
        int count = s.codePointCount(0, s.length());
        if (count <= max) {
            return s;
        }
        int end = s.offsetByCodePoints(0, Math.max(0, max));
        return s.substring(0, end) + "…(+" + (count - max) + " chars)";
    }

    private static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
