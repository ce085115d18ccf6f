package hudson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Stand-in with the few helpers the plugin uses. */
public class Util {
    public static String fixNull(String s) {
        return s == null ? "" : s;
    }

    public static String fixEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    public static String fixEmptyAndTrim(String s) {
        return s == null ? null : fixEmpty(s.trim());
    }

    /** HTML-escapes like core: the five special characters, and newlines become {@code <br>}. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder buf = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\n': buf.append("<br>"); break;
                case '<': buf.append("&lt;"); break;
                case '>': buf.append("&gt;"); break;
                case '&': buf.append("&amp;"); break;
                case '"': buf.append("&quot;"); break;
                case '\'': buf.append("&#39;"); break;
                default: buf.append(ch);
            }
        }
        return buf.toString();
    }

    public static String xmlEscape(String text) {
        StringBuilder buf = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<': buf.append("&lt;"); break;
                case '>': buf.append("&gt;"); break;
                case '&': buf.append("&amp;"); break;
                default: buf.append(ch);
            }
        }
        return buf.toString();
    }

    /** MD5 hex digest, as core (used by input's default id, docs/jenkins-behaviour.md "The input step"). */
    public static String getDigestOf(String text) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
