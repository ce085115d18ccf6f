package hudson.util;

/** Stand-in: holds the plain text; toString never reveals it. */
public final class Secret implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret fromString(String data) {
        return new Secret(data == null ? "" : data);
    }

    public String getPlainText() {
        return value;
    }

    public static String toString(Secret s) {
        return s == null ? "" : s.value;
    }

    /** The stand-in "encrypts" by prefixing; only for round trips in tests. */
    public String getEncryptedValue() {
        return "{standin}" + value;
    }

    public static Secret decrypt(String data) {
        return data != null && data.startsWith("{standin}") ? new Secret(data.substring(9)) : null;
    }

    /** @deprecated as in core; the stand-in does not leak the value here. */
    @Deprecated
    @Override
    public String toString() {
        return "Secret[****]";
    }

    @Override
    public boolean equals(Object that) {
        return that instanceof Secret && ((Secret) that).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
