package hudson.util;

import hudson.model.TaskListener;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/** Stand-in: a TaskListener writing to a stream (tests read what a step logged). */
public class StreamTaskListener implements TaskListener, java.io.Closeable {
    private static final long serialVersionUID = 1L;
    private final transient PrintStream out;
    private final transient Charset charset;

    public StreamTaskListener(OutputStream out, Charset charset) {
        this.charset = charset == null ? Charset.defaultCharset() : charset;
        this.out = out instanceof PrintStream ? (PrintStream) out : new PrintStream(out, true, this.charset);
    }

    @Deprecated
    public StreamTaskListener(OutputStream out) {
        this(out, null);
    }

    @Deprecated
    public StreamTaskListener(PrintStream out) {
        this(out, null);
    }

    @Override
    public PrintStream getLogger() {
        return out;
    }

    @Override
    public Charset getCharset() {
        return charset;
    }

    @Override
    public void close() {
        out.close();
    }
}
