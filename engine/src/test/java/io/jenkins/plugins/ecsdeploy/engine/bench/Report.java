package io.jenkins.plugins.ecsdeploy.engine.bench;

import static io.jenkins.plugins.ecsdeploy.engine.bench.FollowBenchmark.pct;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's Markdown table, ratios, targets, and SVG charts (plain string building). */
final class Report {
    private Report() {}

    static String f(double v, int digits) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String markdown(List<FollowBenchmark.Row> rows, long seed, List<String> failures) {
        StringBuilder b = new StringBuilder();
        b.append("## Results (FollowBenchmark, seed ").append(seed).append(")\n\n");
        b.append("| N | follower | DSD calls / deployment-hour | all ECS calls / deployment-hour (reads + writes) "
                + "| peak DescribeServiceDeployments req/s: busiest s / busiest min | peak read req/s, all reads, busiest s "
                + "| peak write req/s, busiest s | stage-change delay p50 / p99 (s) "
                + "| gate-offer delay p50 / p99 (s) | gates | threads: JVM peak / ecs-deploy-* | heap per followed deployment (KiB) "
                + "| decide → API p50 / p99 (ms) | SQS calls / deployment-hour | virtual min | wall s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (FollowBenchmark.Row r : rows) {
            b.append("| ").append(r.n).append(" | ").append(r.follower)
                    .append(" | ").append(f(r.per(r.dsdCalls), 1))
                    .append(" | ").append(r.floor ? "—" : f(r.per(r.readCalls), 1) + " + " + f(r.per(r.writeCalls), 1))
                    .append(" | ").append(r.peakDsdSecond).append(" / ").append(f(r.peakReadsMinute, 2))
                    .append(" | ").append(r.floor ? "—" : String.valueOf(r.peakReadsSecond))
                    .append(" | ").append(r.floor ? "—" : String.valueOf(r.peakWritesSecond))
                    .append(" | ").append(f(r.stage(0.5), 1)).append(" / ").append(f(r.stage(0.99), 1))
                    .append(" | ").append(f(r.gate(0.5), 2)).append(" / ").append(f(r.gate(0.99), 2))
                    .append(" | ").append(r.floor ? "—" : String.valueOf(r.gates))
                    .append(" | ").append(r.floor ? "—" : r.jvmThreadsPeak + " / " + r.engineThreadsPeak)
                    .append(" | ").append(f(r.heapKiB, 1))
                    .append(" | ").append(r.floor ? "—" : f(pct(r.decideMs, 0.5), 2) + " / " + f(pct(r.decideMs, 0.99), 2))
                    .append(" | ").append(r.floor || r.sqsCalls == 0 ? "—" : f(r.per(r.sqsCalls), 1))
                    .append(" | ").append(f(r.virtualMinutes, 0))
                    .append(" | ").append(r.floor ? "—" : f(r.wallSeconds, 0)).append(" |\n");
        }
        b.append("\n### Ratios\n\n| N | naive ÷ polling DSD calls | naive ÷ events DSD calls | gate p99: polling / naive / events (s) "
                + "| polling gate p99 ÷ floor p99 | events gate p99 ÷ floor p99 |\n|---|---|---|---|---|---|\n");
        for (Map.Entry<Integer, Map<String, FollowBenchmark.Row>> e : byN(rows).entrySet()) {
            var m = e.getValue();
            FollowBenchmark.Row p = m.get("engine, polling");
            FollowBenchmark.Row ev = m.get("engine + events");
            FollowBenchmark.Row nv = m.get("naive");
            FollowBenchmark.Row fl = m.get("floor");
            if (p == null || ev == null || nv == null || fl == null) {
                continue;
            }
            b.append("| ").append(e.getKey()).append(" | ").append(f(nv.dsdCalls / (double) p.dsdCalls, 1)).append("× | ")
                    .append(f(nv.dsdCalls / (double) ev.dsdCalls, 1)).append("× | ")
                    .append(f(p.gate(0.99), 1)).append(" / ").append(f(nv.gate(0.99), 1)).append(" / ").append(f(ev.gate(0.99), 2))
                    .append(" | ").append(f(p.gate(0.99) / fl.gate(0.99), 2)).append(" | ")
                    .append(f(ev.gate(0.99) / fl.gate(0.99), 3)).append(" |\n");
        }
        b.append("\n### What the Jenkins side would persist (engine-side figures; the plugin harness's own measurement: docs/performance.md \"The Jenkins side\")\n\n"
                + "| N | follower | events per deployment that the plugin writes build.xml on (all but TasksChanged, TrafficChanged) "
                + "| looks per deployment that brought at least one (writes if coalesced per look) | final snapshot JSON per deployment (KiB, 200 events kept) |\n"
                + "|---|---|---|---|---|\n");
        for (FollowBenchmark.Row r : rows) {
            if (!Double.isNaN(r.transitionsPerDeployment)) {
                b.append("| ").append(r.n).append(" | ").append(r.follower).append(" | ").append(f(r.transitionsPerDeployment, 1))
                        .append(" | ").append(f(r.transitionLooksPerDeployment, 1)).append(" | ").append(f(r.snapshotBytes / 1024, 1))
                        .append(" |\n");
            }
        }
        b.append("\n### ECS calls per deployment by operation\n\n");
        for (FollowBenchmark.Row r : rows) {
            if (!r.floor) {
                b.append("* N = ").append(r.n).append(", ").append(r.follower).append(": ").append(r.callsByOperation).append("\n");
            }
        }
        b.append("\n### Stage-change delay p50 / p99 by stage (virtual s), largest N\n\n");
        int biggest = byN(rows).keySet().stream().max(Integer::compare).orElse(0);
        List<FollowBenchmark.Row> big = rows.stream().filter(r -> r.n == biggest && !r.floor).toList();
        java.util.Set<String> stages = new java.util.TreeSet<>();
        big.forEach(r -> stages.addAll(r.stageDelaysByName.keySet()));
        b.append("| stage |");
        big.forEach(r -> b.append(" ").append(r.follower).append(" |"));
        b.append("\n|---|").append("---|".repeat(big.size())).append("\n");
        for (String st : stages) {
            b.append("| ").append(st).append(" |");
            for (FollowBenchmark.Row r : big) {
                List<Double> v = r.stageDelaysByName.getOrDefault(st, List.of());
                b.append(" ").append(f(pct(v, 0.5), 1)).append(" / ").append(f(pct(v, 0.99), 1)).append(" (").append(v.size()).append(") |");
            }
            b.append("\n");
        }
        b.append("\n").append(failures.isEmpty() ? "Every deployment ended SUCCEEDED for every follower and every gate was "
                + "offered exactly once." : "FAILURES:\n* " + String.join("\n* ", failures)).append("\n");
        return b.toString();
    }

    static Map<Integer, Map<String, FollowBenchmark.Row>> byN(List<FollowBenchmark.Row> rows) {
        Map<Integer, Map<String, FollowBenchmark.Row>> m = new LinkedHashMap<>();
        for (FollowBenchmark.Row r : rows) {
            String key = r.floor ? "floor" : r.follower.startsWith("naive") ? "naive" : r.follower;
            m.computeIfAbsent(r.n, k -> new LinkedHashMap<>()).put(key, r);
        }
        return m;
    }

    // ---- SVG ----

    static final String[] COLORS = {"#1f77b4", "#d62728", "#7f7f7f", "#2ca02c"};
    static final String[] KEYS = {"engine, polling", "engine + events", "naive", "floor"};

    static void charts(List<FollowBenchmark.Row> rows, Path dir) throws IOException {
        Map<Integer, Map<String, FollowBenchmark.Row>> m = byN(rows);
        int biggest = m.keySet().stream().max(Integer::compare).orElse(0);
        Map<String, FollowBenchmark.Row> big = m.get(biggest);
        List<Series> rate = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            FollowBenchmark.Row r = big.get(KEYS[k]);
            if (r == null) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < r.readsPerMinute.length; i++) {
                pts.add(new double[] {i, Math.max(0.01, r.readsPerMinute[i])});
            }
            rate.add(new Series(KEYS[k], COLORS[k], pts, false));
        }
        rate.add(new Series("budget R = " + (int) FollowBenchmark.R, COLORS[3],
                List.of(new double[] {0, FollowBenchmark.R}, new double[] {maxX(rate), FollowBenchmark.R}), true));
        Files.writeString(dir.resolve("follow-read-requests-per-second.svg"), svg("Read requests per second, N = " + biggest
                + " (mean of each virtual minute)", "virtual minutes", "DescribeServiceDeployments req/s (log)", rate, false, true));
        for (String what : List.of("gate", "stage")) {
            List<Series> s = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                for (double p : new double[] {0.99, 0.5}) {
                    List<double[]> pts = new ArrayList<>();
                    for (var e : m.entrySet()) {
                        FollowBenchmark.Row r = e.getValue().get(KEYS[k]);
                        if (r != null) {
                            double v = what.equals("gate") ? r.gate(p) : r.stage(p);
                            pts.add(new double[] {e.getKey(), Math.max(0.05, v)});
                        }
                    }
                    s.add(new Series(KEYS[k] + (p == 0.5 ? " p50" : " p99"), COLORS[k], pts, p == 0.5));
                }
            }
            Files.writeString(dir.resolve("follow-" + what + "-delay.svg"), svg((what.equals("gate") ? "Gate offered after"
                    : "Stage change seen after") + " (virtual s): p99 solid, p50 dashed", "concurrent deployments N (log)",
                    "seconds (log)", s, true, true));
        }
    }

    record Series(String name, String color, List<double[]> points, boolean dashed) {}

    static double maxX(List<Series> s) {
        double x = 1;
        for (Series a : s) {
            for (double[] p : a.points()) {
                x = Math.max(x, p[0]);
            }
        }
        return x;
    }

    static String svg(String title, String xLabel, String yLabel, List<Series> series, boolean logX, boolean logY) {
        int w = 760, h = 420, l = 70, r = 230, t = 40, bt = 50;
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                x0 = Math.min(x0, tx(p[0], logX));
                x1 = Math.max(x1, tx(p[0], logX));
                y0 = Math.min(y0, tx(p[1], logY));
                y1 = Math.max(y1, tx(p[1], logY));
            }
        }
        if (logY) {
            y0 = Math.floor(y0);
            y1 = Math.ceil(y1);
        }
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        if (y1 == y0) {
            y1 = y0 + 1;
        }
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(text(l, 22, title, 14, "start"));
        int pw = w - l - r, ph = h - t - bt;
        b.append("<rect x=\"").append(l).append("\" y=\"").append(t).append("\" width=\"").append(pw).append("\" height=\"")
                .append(ph).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        for (double yv : ticks(y0, y1, logY)) {
            double py = t + ph - ph * (yv - y0) / (y1 - y0);
            b.append(line(l, py, l + pw, py, "#eee", false));
            b.append(text(l - 6, py + 4, num(logY ? Math.pow(10, yv) : yv), 11, "end"));
        }
        for (double xv : ticks(x0, x1, logX)) {
            double px = l + pw * (xv - x0) / (x1 - x0);
            b.append(text(px, t + ph + 16, num(logX ? Math.pow(10, xv) : xv), 11, "middle"));
        }
        b.append(text(l + pw / 2.0, h - 10, xLabel, 12, "middle"));
        b.append("<text x=\"14\" y=\"").append(t + ph / 2).append("\" transform=\"rotate(-90 14 ").append(t + ph / 2)
                .append(")\" text-anchor=\"middle\">").append(esc(yLabel)).append("</text>\n");
        int ly = t + 10;
        for (Series s : series) {
            StringBuilder d = new StringBuilder();
            for (double[] p : s.points()) {
                double px = l + pw * (tx(p[0], logX) - x0) / (x1 - x0);
                double py = t + ph - ph * (tx(p[1], logY) - y0) / (y1 - y0);
                d.append(d.length() == 0 ? "M" : " L").append(num2(px)).append(",").append(num2(py));
            }
            b.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(s.color())
                    .append("\" stroke-width=\"2\"").append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
            b.append(line(l + pw + 12, ly - 4, l + pw + 36, ly - 4, s.color(), s.dashed()));
            b.append(text(l + pw + 42, ly, s.name(), 11, "start"));
            ly += 18;
        }
        return b.append("</svg>\n").toString();
    }

    /** Axis ticks: every power of ten on a log axis (and its ends), five even steps on a linear one. */
    static List<Double> ticks(double from, double to, boolean log) {
        List<Double> t = new ArrayList<>();
        if (log) {
            t.add(from);
            for (double d = Math.ceil(from); d < to - 1e-9; d++) {
                if (d > from + 1e-9) {
                    t.add(d);
                }
            }
            t.add(to);
        } else {
            for (int i = 0; i <= 4; i++) {
                t.add(from + (to - from) * i / 4);
            }
        }
        return t;
    }

    static double tx(double v, boolean log) {
        return log ? Math.log10(Math.max(v, 1e-3)) : v;
    }

    static String num(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String num2(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String line(double x1, double y1, double x2, double y2, String color, boolean dashed) {
        return "<line x1=\"" + num2(x1) + "\" y1=\"" + num2(y1) + "\" x2=\"" + num2(x2) + "\" y2=\"" + num2(y2)
                + "\" stroke=\"" + color + "\" stroke-width=\"2\"" + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n";
    }

    static String text(double x, double y, String s, int size, String anchor) {
        return "<text x=\"" + num2(x) + "\" y=\"" + num2(y) + "\" font-size=\"" + size + "\" text-anchor=\"" + anchor + "\">"
                + esc(s) + "</text>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
