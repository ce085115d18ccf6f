package io.jenkins.plugins.ecsdeploy.plugin;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/** Minimal Stapler request/response doubles (dynamic proxies) for calling the actions' endpoints directly. */
final class HttpFakes {
    private HttpFakes() {}

    static StaplerRequest2 request(Map<String, String> params, Map<String, String> headers, String body, String restOfPath) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return (StaplerRequest2) Proxy.newProxyInstance(HttpFakes.class.getClassLoader(), new Class<?>[] {StaplerRequest2.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getParameter" -> params.get((String) a[0]);
                    case "getHeader" -> headers.get((String) a[0]);
                    case "getContentType" -> headers.get("Content-Type");
                    case "getRestOfPath" -> restOfPath;
                    case "getMethod" -> "POST";
                    case "getInputStream" -> new ServletInputStream() {
                        final ByteArrayInputStream in = new ByteArrayInputStream(bytes);
                        @Override public int read() { return in.read(); }
                        @Override public boolean isFinished() { return in.available() == 0; }
                        @Override public boolean isReady() { return true; }
                        @Override public void setReadListener(ReadListener l) { }
                    };
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> "fake request";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** What the endpoint answered. */
    static final class Answer {
        int status = 200;
        String contentType;
        String redirect;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        String body() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static StaplerResponse2 response(Answer a) {
        PrintWriter writer = new PrintWriter(a.out, true, StandardCharsets.UTF_8);
        return (StaplerResponse2) Proxy.newProxyInstance(HttpFakes.class.getClassLoader(), new Class<?>[] {StaplerResponse2.class},
                (p, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus": a.status = (Integer) args[0]; return null;
                        case "sendError": a.status = (Integer) args[0]; if (args.length > 1) { a.out.write(String.valueOf(args[1]).getBytes(StandardCharsets.UTF_8)); } return null;
                        case "setContentType": a.contentType = (String) args[0]; return null;
                        case "setCharacterEncoding": return null;
                        case "setHeader": a.headers.put((String) args[0], (String) args[1]); return null;
                        case "sendRedirect2": a.status = 302; a.redirect = (String) args[0]; return null;
                        case "getWriter": return writer;
                        case "getOutputStream": return new ServletOutputStream() {
                            @Override public void write(int b) { a.out.write(b); }
                            @Override public boolean isReady() { return true; }
                            @Override public void setWriteListener(WriteListener l) { }
                        };
                        case "hashCode": return System.identityHashCode(p);
                        case "equals": return p == args[0];
                        case "toString": return "fake response";
                        default: throw new UnsupportedOperationException(m.getName());
                    }
                });
    }
}
