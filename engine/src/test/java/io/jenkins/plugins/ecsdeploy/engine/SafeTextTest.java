package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one sanitiser for terminals, consoles and HTML (docs/security.md "Untrusted text"). */
class SafeTextTest {

    @Test
    void controlCharactersThatForgeLinesOrDriveTheTerminalBecomeVisibleEscapes() {
        assertEquals("ok\\e[2J\\rFAKE: approved by admin\\nnext\\x07\\x00\\x7f\\x9b",
                SafeText.line("ok\u001b[2J\rFAKE: approved by admin\nnext\u0007\u0000\u007f\u009b"));
    }

    @Test
    void invisibleAndReorderingCharactersAreShownToo() {
        // right-to-left override, zero-width space, byte order mark, line separator, a tag character
        assertEquals("a\\u202eb\\u200bc\\ufeffd\\u2028e\\U000e0041",
                SafeText.line("a\u202eb\u200bc\ufeffd\u2028e" + new String(Character.toChars(0xE0041))));
    }

    @Test
    void lettersOfEveryScriptAndEmojiStayAsTheyAre() {
        String s = "Zoë 李 Ελένη ✓ 🚀 tab-free";
        assertEquals(s, SafeText.line(s));
        assertFalse(SafeText.hasUnsafeCharacters(s));
        assertTrue(SafeText.hasUnsafeCharacters("x\u001by"));
    }

    @Test
    void anUnpairedSurrogateIsEscapedNotPrintedAsAQuestionMark() {
        assertEquals("a\\ud800b", SafeText.line("a\ud800b"));
    }

    @Test
    void longTextIsCappedWithTheNumberOfCharactersLeftOut() {
        String big = "x".repeat(100_000);
        String v = SafeText.value(big);
        assertEquals("x".repeat(SafeText.MAX_VALUE) + "…(+" + (100_000 - SafeText.MAX_VALUE) + " chars)", v);
        assertEquals("abc…(+3 chars)", SafeText.line("abcdef", 3));
        assertEquals("abcdef", SafeText.line("abcdef", 6));
    }

    @Test
    void htmlEscapesMarkupAfterMakingControlsVisible() {
        assertEquals("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;s&#39;\\e",
                SafeText.html("<img src=x onerror=alert(1)> & \"q\" 's'\u001b"));
        assertEquals("line 1\nline 2\\r", SafeText.html("line 1\nline 2\r", true, 100));
        assertEquals("line 1\\nline 2", SafeText.html("line 1\nline 2"));
    }

    @Test
    void nullIsEmpty() {
        assertEquals("", SafeText.line(null));
        assertEquals("", SafeText.html(null));
    }

    @Test
    void aRefusalMessageShowsTheValueShortenedAndSanitised() {
        String m = new ValidationProblem("images[web]", "evil\u001b]0;pwned\u0007" + "y".repeat(500), "an image").message();
        assertTrue(m.startsWith("images[web] 'evil\\e]0;pwned\\x07yyy"), m);
        assertTrue(m.contains("…(+"), m);
        assertTrue(m.length() < 250, m);
        assertFalse(m.chars().anyMatch(c -> c < 0x20), m);
    }
}
