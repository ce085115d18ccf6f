package io.jenkins.plugins.ecsdeploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The page's HTTP/1.1 server on 127.0.0.1, written so that no client can hold it (docs/security.md "The page
 * server"): one selector thread reads every request without blocking, with bounds — request line and headers at most
 * {@link Limits#maxHeaderBytes}, a body only with Content-Length and at most {@link Limits#maxBodyBytes}, the whole
 * request within {@link Limits#requestDeadline} of the connection's start, the answer written within
 * {@link Limits#responseDeadline} — and only a complete request reaches a handler, which answers with a future (a
 * decision waits for ECS without holding a thread). At {@link Limits#maxConnections} open connections the one that
 * has been reading longest is closed for the new one. Every answer closes its connection ({@code Connection: close}).
 *
 * <p>Why not {@code com.sun.net.httpserver}: it reads a request's headers on its executor's threads with blocking
 * reads and no time limit of its own (only JVM-wide system properties, which the embedded simulator in the same JVM
 * would share), so four half-open connections stalled all four threads of the old page server for minutes.
 */
final class PageHttpServer implements AutoCloseable {
    /** Bounds of one server. */
    record Limits(int maxHeaderBytes, int maxBodyBytes, Duration requestDeadline, Duration responseDeadline,
                  int maxConnections, Duration handlerTimeout) {
        static Limits defaults() {
            return new Limits(8 * 1024, 16 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(10), 64, Duration.ofSeconds(40));
        }
    }

    /** A complete request: headers with lower-case names. */
    record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An answer; headers in order (Set-Cookie may repeat, hence a list of pairs). */
    record Response(int status, List<String[]> headers, byte[] body) {}

    interface Handler {
        CompletableFuture<Response> handle(Request r);
    }

    private final ServerSocketChannel channel;
    private final Selector selector;
    private final Limits limits;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ExecutorService workers;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger closedForTime = new AtomicInteger();
    private volatile Handler handler;
    private Thread loop;

    private PageHttpServer(ServerSocketChannel channel, Limits limits) throws IOException {
        this.channel = channel;
        this.limits = limits;
        this.selector = Selector.open();
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ecs-deploy-page");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds 127.0.0.1:port (0 = any free port). A busy port throws {@link java.net.BindException} here. */
    static PageHttpServer bind(int port, Limits limits) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            ch.configureBlocking(false);
            return new PageHttpServer(ch, limits);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Connections closed because they did not finish their request (or read their answer) in time. */
    int closedForTime() {
        return closedForTime.get();
    }

    /** Starts serving with {@code h}. */
    synchronized void start(Handler h) throws IOException {
        this.handler = h;
        if (loop != null) {
            return;
        }
        channel.register(selector, SelectionKey.OP_ACCEPT);
        loop = new Thread(this::run, "ecs-deploy-page-io");
        loop.setDaemon(true);
        loop.start();
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread l = loop;
        if (l != null) {
            l.interrupt();
            selector.wakeup();
            try {
                l.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
            channel.close();
        } catch (IOException | java.nio.channels.ClosedSelectorException ignored) {
            // closing anyway
        }
        workers.shutdownNow();
    }

    // ------------------------------------------------------------------ the selector loop

    /** One connection's state: reading its request, waiting for the handler, writing the answer. */
    private final class Conn {
        final SocketChannel ch;
        final long started = System.nanoTime();
        final ByteArrayOutputStream in = new ByteArrayOutputStream();
        int headerEnd = -1;
        int contentLength = -1;
        boolean handling;
        ByteBuffer out;
        long writeDeadline;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(100);
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    try {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isAcceptable()) {
                            accept();
                        } else if (k.isReadable()) {
                            read(k);
                        } else if (k.isWritable()) {
                            write(k);
                        }
                    } catch (IOException | RuntimeException e) {
                        drop(k);
                    }
                }
                selector.selectedKeys().clear();
                expire();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed
        }
    }

    private void accept() throws IOException {
        SocketChannel c;
        while ((c = channel.accept()) != null) {
            if (open.get() >= limits.maxConnections()) {
                evictOldestReader();
            }
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.register(selector, SelectionKey.OP_READ, new Conn(c));
            open.incrementAndGet();
        }
    }

    private void evictOldestReader() {
        SelectionKey oldest = null;
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Conn c && !c.handling && c.out == null
                    && (oldest == null || c.started < ((Conn) oldest.attachment()).started)) {
                oldest = k;
            }
        }
        if (oldest != null) {
            closedForTime.incrementAndGet();
            drop(oldest);
        }
    }

    private void drop(SelectionKey k) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException ignored) {
            // gone
        }
        if (k.attachment() instanceof Conn) {
            open.decrementAndGet();
            k.attach(null);
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (SelectionKey k : List.copyOf(selector.keys())) {
            if (!(k.attachment() instanceof Conn c)) {
                continue;
            }
            boolean reading = !c.handling && c.out == null;
            if (reading && now - c.started > limits.requestDeadline().toNanos()) {
                closedForTime.incrementAndGet();
                respondNow(k, c, plain(408, "request not complete within " + limits.requestDeadline().toSeconds() + " s"));
            } else if (c.out != null && now > c.writeDeadline) {
                closedForTime.incrementAndGet();
                drop(k);
            }
        }
    }

    private void read(SelectionKey k) throws IOException {
        Conn c = (Conn) k.attachment();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int n = c.ch.read(buf);
        if (n < 0) {
            drop(k);
            return;
        }
        c.in.write(buf.array(), 0, n);
        byte[] data = c.in.toByteArray();
        if (c.headerEnd < 0) {
            int end = indexOf(data, new byte[] {'\r', '\n', '\r', '\n'});
            if (end < 0) {
                if (data.length > limits.maxHeaderBytes()) {
                    respondNow(k, c, plain(431, "request headers larger than " + limits.maxHeaderBytes() + " bytes"));
                }
                return;
            }
            if (end > limits.maxHeaderBytes()) {
                respondNow(k, c, plain(431, "request headers larger than " + limits.maxHeaderBytes() + " bytes"));
                return;
            }
            c.headerEnd = end + 4;
        }
        Request r;
        try {
            r = parse(data, c);
        } catch (HttpError e) {
            respondNow(k, c, plain(e.status, e.getMessage()));
            return;
        }
        if (r == null) {
            return; // body not complete yet
        }
        c.handling = true;
        k.interestOps(0);
        Handler h = handler;
        CompletableFuture<Response> f;
        try {
            f = CompletableFuture.supplyAsync(() -> h.handle(r), workers).thenCompose(x -> x);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(limits.handlerTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((resp, e) -> {
            Response answer = e == null ? resp : plain(e instanceof java.util.concurrent.TimeoutException
                    || e.getCause() instanceof java.util.concurrent.TimeoutException ? 504 : 500,
                    e instanceof java.util.concurrent.TimeoutException || e.getCause() instanceof java.util.concurrent.TimeoutException
                            ? "no answer in time" : "internal error");
            tasks.add(() -> respondNow(k, c, answer));
            selector.wakeup();
        });
    }

    /** Thrown while parsing: answered with its status. */
    private static final class HttpError extends Exception {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private Request parse(byte[] data, Conn c) throws HttpError {
        String head = new String(data, 0, c.headerEnd - 4, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n", -1);
        String[] first = lines[0].split(" ", -1);
        if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
            throw new HttpError(400, "malformed request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int colon = l.indexOf(':');
            if (colon <= 0 || l.charAt(0) == ' ' || l.charAt(0) == '\t') {
                throw new HttpError(400, "malformed header line");
            }
            String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).trim();
            if (headers.containsKey(name) && (name.equals("host") || name.equals("content-length") || name.equals("cookie"))) {
                throw new HttpError(400, "duplicate " + name + " header");
            }
            headers.put(name, value);
            if (headers.size() > 64) {
                throw new HttpError(431, "too many headers");
            }
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new HttpError(411, "send the body with a Content-Length");
        }
        if (c.contentLength < 0) {
            String cl = headers.get("content-length");
            try {
                c.contentLength = cl == null ? 0 : Integer.parseInt(cl);
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length");
            }
            if (c.contentLength < 0) {
                throw new HttpError(400, "bad Content-Length");
            }
            if (c.contentLength > limits.maxBodyBytes()) {
                throw new HttpError(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
            }
        }
        if (data.length - c.headerEnd < c.contentLength) {
            return null;
        }
        byte[] body = new byte[c.contentLength];
        System.arraycopy(data, c.headerEnd, body, 0, c.contentLength);
        String target = first[1];
        int q = target.indexOf('?');
        return new Request(first[0].toUpperCase(Locale.ROOT), q < 0 ? target : target.substring(0, q),
                q < 0 ? "" : target.substring(q + 1), headers, body);
    }

    private void respondNow(SelectionKey k, Conn c, Response r) {
        if (!k.isValid()) {
            return;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
        for (String[] kv : r.headers()) {
            h.append(kv[0]).append(": ").append(kv[1]).append("\r\n");
        }
        h.append("Content-Length: ").append(r.body().length).append("\r\nConnection: close\r\n\r\n");
        b.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(r.body());
        c.out = ByteBuffer.wrap(b.toByteArray());
        c.handling = false;
        c.writeDeadline = System.nanoTime() + limits.responseDeadline().toNanos();
        k.interestOps(SelectionKey.OP_WRITE);
        try {
            write(k);
        } catch (IOException e) {
            drop(k);
        }
    }

    private void write(SelectionKey k) throws IOException {
        Conn c = (Conn) k.attachment();
        if (c == null || c.out == null) {
            return;
        }
        c.ch.write(c.out);
        if (!c.out.hasRemaining()) {
            drop(k);
        }
    }

    static Response plain(int status, String message) {
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {"Content-Type", "text/plain; charset=utf-8"});
        h.add(new String[] {"X-Content-Type-Options", "nosniff"});
        h.add(new String[] {"Cache-Control", "no-store"});
        return new Response(status, h, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 303 -> "See Other";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }
}
