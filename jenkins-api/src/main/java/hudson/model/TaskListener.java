package hudson.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Stand-in: a log. {@link hudson.util.StreamTaskListener} writes to a stream. */
public interface TaskListener extends java.io.Serializable {
    TaskListener NULL = new TaskListener() {
        private static final long serialVersionUID = 1L;
        private final transient PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

        @Override
        public PrintStream getLogger() {
            return sink == null ? new PrintStream(OutputStream.nullOutputStream()) : sink;
        }
    };

    PrintStream getLogger();

    default Charset getCharset() {
        return StandardCharsets.UTF_8;
    }

    default void hyperlink(String url, String text) throws java.io.IOException {
        getLogger().print(text);
    }

    default PrintWriter error(String msg) {
        getLogger().print("ERROR: ");
        getLogger().println(msg);
        return new PrintWriter(new java.io.OutputStreamWriter(getLogger(), getCharset()), true);
    }

    default PrintWriter error(String format, Object... args) {
        return error(String.format(format, args));
    }

    default PrintWriter fatalError(String msg) {
        getLogger().print("FATAL: ");
        getLogger().println(msg);
        return new PrintWriter(new java.io.OutputStreamWriter(getLogger(), getCharset()), true);
    }

    default PrintWriter fatalError(String format, Object... args) {
        return fatalError(String.format(format, args));
    }
}
