package hudson.console;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Stand-in. The real note is a serialized ConsoleNote between the preamble ESC[8mha: and the postamble ESC[0m,
 * followed by the link text. The stand-in keeps that framing but its payload is just the Base64 of the URL, so a
 * test can find the link: {@code decodeUrl}-style parsing lives in the plugin's tests, not here.
 */
public class HyperlinkNote {
    private final String url;
    private final int length;

    public HyperlinkNote(String url, int length) {
        this.url = url;
        this.length = length;
    }

    public static String encodeTo(String url, String text) {
        return "\u001B[8mha:" + Base64.getEncoder().encodeToString(("HyperlinkNote:" + url).getBytes(StandardCharsets.UTF_8))
                + "\u001B[0m" + text;
    }

    @Override
    public String toString() {
        return "HyperlinkNote[" + url + "," + length + "]";
    }
}
