package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The arithmetic part of CloudWatch metric math ("Using metric math", CloudWatch User Guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html): {@code + - * /},
 * parentheses, numbers and the ids of other queries. A series combines with a series point by point at the timestamps
 * both have, with a number at every point; a division by zero gives no point. CloudWatch's functions (FILL, SUM,
 * METRICS(), …) are not modelled: an expression using one is refused, never silently misread.
 */
final class MetricMath {
    private final String text;
    private final Map<String, Map<Instant, Double>> series;
    private int pos;

    private MetricMath(String text, Map<String, Map<Instant, Double>> series) {
        this.text = text;
        this.series = series;
    }

    static Map<Instant, Double> evaluate(String expression, Map<String, Map<Instant, Double>> series) {
        MetricMath m = new MetricMath(expression, series);
        Object v = m.sum();
        m.space();
        if (m.pos != expression.length()) {
            throw new IllegalArgumentException("unexpected '" + expression.charAt(m.pos) + "' at " + (m.pos + 1));
        }
        if (v instanceof Double d) {
            throw new IllegalArgumentException("the expression gives the number " + d + ", not a time series");
        }
        @SuppressWarnings("unchecked")
        Map<Instant, Double> s = (Map<Instant, Double>) v;
        return s;
    }

    private Object sum() {
        Object v = product();
        while (true) {
            space();
            if (peek('+') || peek('-')) {
                char op = text.charAt(pos++);
                v = apply(v, product(), op);
            } else {
                return v;
            }
        }
    }

    private Object product() {
        Object v = unary();
        while (true) {
            space();
            if (peek('*') || peek('/')) {
                char op = text.charAt(pos++);
                v = apply(v, unary(), op);
            } else {
                return v;
            }
        }
    }

    private Object unary() {
        space();
        if (peek('-')) {
            pos++;
            return apply(-1.0, unary(), '*');
        }
        if (peek('(')) {
            pos++;
            Object v = sum();
            space();
            if (!peek(')')) {
                throw new IllegalArgumentException("')' expected at " + (pos + 1));
            }
            pos++;
            return v;
        }
        int start = pos;
        if (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            return Double.parseDouble(text.substring(start, pos));
        }
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String id = text.substring(start, pos);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a number, an id or '(' expected at " + (pos + 1));
        }
        space();
        if (peek('(')) {
            throw new IllegalArgumentException("the function " + id + " is not supported by the simulator");
        }
        Map<Instant, Double> s = series.get(id);
        if (s == null) {
            throw new IllegalArgumentException("Unrecognized id " + id);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Object apply(Object a, Object b, char op) {
        if (a instanceof Double x && b instanceof Double y) {
            return op(x, y, op);
        }
        TreeSet<Instant> times = new TreeSet<>();
        if (a instanceof Map<?, ?> ma) {
            times.addAll(((Map<Instant, Double>) ma).keySet());
        }
        if (b instanceof Map<?, ?> mb) {
            if (a instanceof Map<?, ?>) {
                times.retainAll(((Map<Instant, Double>) mb).keySet());
            } else {
                times.addAll(((Map<Instant, Double>) mb).keySet());
            }
        }
        Map<Instant, Double> out = new LinkedHashMap<>();
        for (Instant t : times) {
            double x = a instanceof Double d ? d : ((Map<Instant, Double>) a).get(t);
            double y = b instanceof Double d ? d : ((Map<Instant, Double>) b).get(t);
            Double r = op(x, y, op);
            if (r != null) {
                out.put(t, r);
            }
        }
        return out;
    }

    private static Double op(double x, double y, char op) {
        return switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            case '*' -> x * y;
            default -> y == 0 ? null : x / y;
        };
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void space() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
