package io.jenkins.plugins.ecsdeploy.plugin.harness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, Groovy-free reader for the Jenkinsfile snippets in our docs: step calls with named or positional
 * arguments, with or without parentheses and closures, nested blocks ({@code node}, {@code stage},
 * {@code pipeline { stages { ... } }}, {@code script}, {@code timeout}, {@code if}/{@code try}), {@code def x = step(...)}.
 *
 * <p>Values come out as Groovy would pass them: Strings (a GString's text is kept literally, e.g.
 * {@code "${env.IMAGE}"} stays that text, since nothing is evaluated), Integer/Long/BigInteger for integer literals,
 * BigDecimal for decimal literals, Boolean, null, ArrayList, LinkedHashMap, {@link Closure} for a closure value,
 * {@link SymbolCall} for a nested call such as {@code lambdaHook(function: 'f')}, and {@link Expression} for anything
 * else (variables, property access, arithmetic). Named arguments are collected into one map that comes first, as
 * Groovy does, so {@link PipelineBinder#namedArgs} gets exactly what {@code DSL.invokeMethod} would.
 */
public final class JenkinsfileParser {
    /** A step call (or any block statement): arguments without the closure, the closure's statements or null. */
    public record StepCall(String name, List<Object> args, List<StepCall> body, int line) {
        /** The named-argument map if the call used named arguments only (else an empty map). */
        @SuppressWarnings("unchecked")
        public Map<String, Object> namedArgs() {
            if (args.size() == 1 && args.get(0) instanceof Map) {
                return (Map<String, Object>) args.get(0);
            }
            return new LinkedHashMap<>();
        }

        public boolean hasBody() {
            return body != null;
        }
    }

    /** A nested call used as a value, e.g. {@code hooks: [lambdaHook(function: 'f')]}. */
    public record SymbolCall(String name, List<Object> args) {
    }

    /** A closure used as a value, e.g. the branches of {@code parallel}. */
    public record Closure(List<StepCall> body) {
    }

    /** Source text that is not a literal (a variable, {@code env.X}, arithmetic...). */
    public record Expression(String text) {
    }

    /** A snippet that cannot be read: names the line and what was found. */
    public static final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ParseException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private static final Pattern FENCE = Pattern.compile("```(groovy|jenkinsfile|Jenkinsfile)\\s*\\n(.*?)```", Pattern.DOTALL);

    private JenkinsfileParser() {
    }

    /** The Groovy fenced blocks of a Markdown text (```groovy ... ```), in order. */
    public static List<String> groovyBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            out.add(m.group(2));
        }
        return out;
    }

    public static List<StepCall> parse(String source) {
        Parser p = new Parser(new Lexer(source).tokens());
        List<StepCall> calls = p.statements(false);
        p.expect(Kind.EOF);
        return calls;
    }

    /** Every call of one of the given names, at any depth (closure values included), in source order. */
    public static List<StepCall> findAll(List<StepCall> calls, String... names) {
        List<StepCall> out = new ArrayList<>();
        collect(calls, List.of(names), out);
        return out;
    }

    private static void collect(List<StepCall> calls, List<String> names, List<StepCall> out) {
        for (StepCall c : calls) {
            if (names.contains(c.name())) {
                out.add(c);
            }
            for (Object a : c.args()) {
                collectValue(a, names, out);
            }
            if (c.body() != null) {
                collect(c.body(), names, out);
            }
        }
    }

    private static void collectValue(Object v, List<String> names, List<StepCall> out) {
        if (v instanceof Closure) {
            collect(((Closure) v).body(), names, out);
        } else if (v instanceof Map) {
            for (Object x : ((Map<?, ?>) v).values()) {
                collectValue(x, names, out);
            }
        } else if (v instanceof List) {
            for (Object x : (List<?>) v) {
                collectValue(x, names, out);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- lexer

    private enum Kind { IDENT, STRING, NUMBER, PUNCT, NEWLINE, EOF }

    private record Token(Kind kind, String text, Object value, int line) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }
    }

    private static final class Lexer {
        private final String s;
        private int i;
        private int line = 1;
        private final List<Token> out = new ArrayList<>();

        Lexer(String s) {
            this.s = s;
        }

        List<Token> tokens() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\n') {
                    out.add(new Token(Kind.NEWLINE, "\n", null, line));
                    line++;
                    i++;
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else if (s.startsWith("//", i)) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (s.startsWith("/*", i)) {
                    int end = s.indexOf("*/", i + 2);
                    if (end < 0) {
                        throw new ParseException(line, "unterminated comment");
                    }
                    line += count(s.substring(i, end), '\n');
                    i = end + 2;
                } else if (s.startsWith("'''", i) || s.startsWith("\"\"\"", i)) {
                    String q = s.substring(i, i + 3);
                    int end = s.indexOf(q, i + 3);
                    if (end < 0) {
                        throw new ParseException(line, "unterminated " + q + " string");
                    }
                    String text = s.substring(i + 3, end);
                    out.add(new Token(Kind.STRING, text, unescape(text), line));
                    line += count(text, '\n');
                    i = end + 3;
                } else if (c == '\'' || c == '"') {
                    int j = i + 1;
                    StringBuilder raw = new StringBuilder();
                    while (j < s.length() && s.charAt(j) != c) {
                        if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                            raw.append(s, j, j + 2);
                            j += 2;
                            continue;
                        }
                        if (s.charAt(j) == '\n') {
                            throw new ParseException(line, "unterminated string");
                        }
                        raw.append(s.charAt(j++));
                    }
                    if (j >= s.length()) {
                        throw new ParseException(line, "unterminated string");
                    }
                    out.add(new Token(Kind.STRING, raw.toString(), unescape(raw.toString()), line));
                    i = j + 1;
                } else if (Character.isDigit(c)) {
                    int j = i;
                    while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                        j++;
                    }
                    boolean decimal = false;
                    if (j + 1 < s.length() && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
                        decimal = true;
                        j++;
                        while (j < s.length() && Character.isDigit(s.charAt(j))) {
                            j++;
                        }
                    }
                    String text = s.substring(i, j).replace("_", "");
                    Object v;
                    if (decimal) {
                        v = new BigDecimal(text);
                    } else {
                        BigInteger b = new BigInteger(text);
                        v = b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b;
                    }
                    out.add(new Token(Kind.NUMBER, text, v, line));
                    i = j;
                } else if (Character.isJavaIdentifierStart(c)) {
                    int j = i;
                    while (j < s.length() && (Character.isJavaIdentifierPart(s.charAt(j))
                            || (s.charAt(j) == '.' && j + 1 < s.length() && Character.isJavaIdentifierStart(s.charAt(j + 1))))) {
                        j++;
                    }
                    out.add(new Token(Kind.IDENT, s.substring(i, j), null, line));
                    i = j;
                } else {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    String p = List.of("==", "!=", "&&", "||", "<=", ">=", "->", "?:", "?.", "++", "--", "+=", "-=").contains(two) ? two : String.valueOf(c);
                    out.add(new Token(Kind.PUNCT, p, null, line));
                    i += p.length();
                }
            }
            out.add(new Token(Kind.EOF, "", null, line));
            return out;
        }

        private static int count(String t, char c) {
            int n = 0;
            for (int k = 0; k < t.length(); k++) {
                if (t.charAt(k) == c) {
                    n++;
                }
            }
            return n;
        }

        private static String unescape(String raw) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < raw.length(); k++) {
                char c = raw.charAt(k);
                if (c == '\\' && k + 1 < raw.length()) {
                    char n = raw.charAt(++k);
                    switch (n) {
                        case 'n': b.append('\n'); break;
                        case 't': b.append('\t'); break;
                        case 'r': b.append('\r'); break;
                        case '$': b.append('$'); break;
                        default: b.append(n);
                    }
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    // ---------------------------------------------------------------------------------------------- parser

    private static final class Parser {
        private final List<Token> t;
        private int p;

        Parser(List<Token> tokens) {
            this.t = tokens;
        }

        Token peek() {
            return t.get(p);
        }

        Token peek(int ahead) {
            return t.get(Math.min(p + ahead, t.size() - 1));
        }

        Token next() {
            return t.get(p++);
        }

        Token expect(Kind k) {
            Token x = next();
            if (x.kind() != k) {
                throw new ParseException(x.line(), "expected " + k + " but found '" + x.text() + "'");
            }
            return x;
        }

        void expect(String punct) {
            Token x = next();
            if (!x.is(punct)) {
                throw new ParseException(x.line(), "expected '" + punct + "' but found '" + x.text().replace("\n", "\\n") + "'");
            }
        }

        void skipNewlines() {
            while (peek().kind() == Kind.NEWLINE || peek().is(";")) {
                p++;
            }
        }

        /** Statements up to '}' (inBlock) or EOF. */
        List<StepCall> statements(boolean inBlock) {
            List<StepCall> out = new ArrayList<>();
            while (true) {
                skipNewlines();
                Token x = peek();
                if (x.kind() == Kind.EOF || (inBlock && x.is("}"))) {
                    return out;
                }
                StepCall c = statement();
                if (c != null) {
                    out.add(c);
                }
            }
        }

        List<StepCall> block() {
            expect("{");
            // closure parameters: { a, b -> ... } or { -> ... }
            int save = p;
            while (peek().kind() == Kind.IDENT || peek().is(",")) {
                p++;
            }
            if (peek().is("->")) {
                p++;
            } else {
                p = save;
            }
            List<StepCall> body = statements(true);
            expect("}");
            return body;
        }

        StepCall statement() {
            Token x = peek();
            if (x.kind() != Kind.IDENT) {
                throw new ParseException(x.line(), "expected a step call but found '" + x.text() + "'");
            }
            String name = x.text();
            switch (name) {
                case "def":
                    p++;
                    Token var = expect(Kind.IDENT);
                    if (peek().is("=")) {
                        p++;
                        return assigned(var.line());
                    }
                    return null;
                case "return":
                    p++;
                    if (peek().kind() == Kind.NEWLINE || peek().is("}")) {
                        return null;
                    }
                    return assigned(x.line());
                case "if":
                case "while":
                case "for":
                case "catch": {
                    p++;
                    String cond = parenthesized();
                    List<StepCall> body = block();
                    return new StepCall(name, List.of(new Expression(cond)), body, x.line());
                }
                case "else":
                    p++;
                    if (peek().kind() == Kind.IDENT && peek().text().equals("if")) {
                        StepCall inner = statement();
                        return new StepCall("else", List.of(), List.of(inner), x.line());
                    }
                    return new StepCall("else", List.of(), block(), x.line());
                case "try":
                case "finally":
                    p++;
                    return new StepCall(name, List.of(), block(), x.line());
                default:
                    break;
            }
            p++;
            if (peek().is("=")) {   // x = ecsWait(...)
                p++;
                return assigned(x.line());
            }
            return callRest(name, x.line());
        }

        /** The right side of an assignment: a step call is recorded, anything else skipped. */
        StepCall assigned(int line) {
            if (peek().kind() == Kind.IDENT && !peek(1).is(".")) {
                Token n = next();
                if (peek().is("(") || peek().is("{") || startsCommandArgument(peek())) {
                    return callRest(n.text(), line);
                }
            }
            skipExpressionToLineEnd();
            return null;
        }

        private void skipExpressionToLineEnd() {
            int depth = 0;
            while (peek().kind() != Kind.EOF) {
                Token x = peek();
                if (depth == 0 && (x.kind() == Kind.NEWLINE || x.is("}") || x.is(";"))) {
                    return;
                }
                if (x.is("(") || x.is("[") || x.is("{")) {
                    depth++;
                }
                if (x.is(")") || x.is("]") || x.is("}")) {
                    depth--;
                }
                p++;
            }
        }

        private String parenthesized() {
            expect("(");
            StringBuilder b = new StringBuilder();
            int depth = 1;
            while (true) {
                Token x = next();
                if (x.kind() == Kind.EOF) {
                    throw new ParseException(x.line(), "unbalanced parentheses");
                }
                if (x.is("(")) {
                    depth++;
                } else if (x.is(")") && --depth == 0) {
                    return b.toString().trim();
                }
                b.append(x.kind() == Kind.STRING ? "'" + x.text() + "'" : x.text()).append(' ');
            }
        }

        boolean startsCommandArgument(Token x) {
            return x.kind() == Kind.STRING || x.kind() == Kind.NUMBER || x.kind() == Kind.IDENT || x.is("[") || x.is("-");
        }

        /** After the name: (args) [closure] | closure | command args | nothing. */
        StepCall callRest(String name, int line) {
            Args a = new Args();
            List<StepCall> body = null;
            if (peek().is("(")) {
                p++;
                arguments(a, ")");
                expect(")");
                if (peek().is("{")) {
                    body = block();
                }
            } else if (peek().is("{")) {
                body = block();
            } else if (startsCommandArgument(peek())) {
                commandArguments(a);
                if (peek().is("{")) {
                    body = block();
                }
            }
            List<Object> args = a.toGroovyArgs();
            if (body == null && !args.isEmpty() && args.get(args.size() - 1) instanceof Closure) {
                body = ((Closure) args.remove(args.size() - 1)).body();
            }
            return new StepCall(name, args, body, line);
        }

        /** Arguments of a parenthesis-free call, to the end of the line (a trailing comma continues it). */
        void commandArguments(Args a) {
            while (true) {
                argument(a);
                if (peek().is(",")) {
                    p++;
                    skipNewlines();
                    continue;
                }
                return;
            }
        }

        void arguments(Args a, String close) {
            skipNewlines();
            while (!peek().is(close)) {
                argument(a);
                skipNewlines();
                if (peek().is(",")) {
                    p++;
                    skipNewlines();
                }
            }
        }

        void argument(Args a) {
            Token x = peek();
            if ((x.kind() == Kind.IDENT || x.kind() == Kind.STRING) && peek(1).is(":")) {
                p += 2;
                skipNewlines();
                a.named.put(x.kind() == Kind.STRING ? (String) x.value() : x.text(), value());
            } else {
                a.positional.add(value());
            }
        }

        Object value() {
            Object v = primary();
            // anything operator-like after a literal makes it an expression we do not evaluate
            if (peek().kind() == Kind.PUNCT && List.of("+", "-", "*", "/", "?:", "?", "==", "!=", "&&", "||").contains(peek().text())) {
                StringBuilder b = new StringBuilder(String.valueOf(v));
                while (!(peek().is(",") || peek().is(")") || peek().is("]") || peek().kind() == Kind.NEWLINE || peek().kind() == Kind.EOF || peek().is("}"))) {
                    b.append(' ').append(next().text());
                }
                return new Expression(b.toString());
            }
            return v;
        }

        Object primary() {
            Token x = next();
            switch (x.kind()) {
                case STRING:
                    return x.value();
                case NUMBER:
                    return x.value();
                case IDENT:
                    switch (x.text()) {
                        case "true": return Boolean.TRUE;
                        case "false": return Boolean.FALSE;
                        case "null": return null;
                        default: break;
                    }
                    if (peek().is("(")) {
                        p++;
                        Args a = new Args();
                        arguments(a, ")");
                        expect(")");
                        List<Object> args = a.toGroovyArgs();
                        if (peek().is("{")) {
                            args.add(new Closure(block()));
                        }
                        return new SymbolCall(x.text(), args);
                    }
                    return new Expression(x.text());
                case PUNCT:
                    if (x.is("-") && peek().kind() == Kind.NUMBER) {
                        Object n = next().value();
                        if (n instanceof Integer) {
                            return -(Integer) n;
                        }
                        if (n instanceof Long) {
                            return -(Long) n;
                        }
                        if (n instanceof BigDecimal) {
                            return ((BigDecimal) n).negate();
                        }
                        return ((BigInteger) n).negate();
                    }
                    if (x.is("[")) {
                        return listOrMap();
                    }
                    if (x.is("{")) {
                        p--;
                        return new Closure(block());
                    }
                    if (x.is("(")) {
                        Object v = value();
                        expect(")");
                        return v;
                    }
                    break;
                default:
                    break;
            }
            throw new ParseException(x.line(), "unexpected '" + x.text().replace("\n", "\\n") + "'");
        }

        Object listOrMap() {
            skipNewlines();
            if (peek().is(":")) {   // [:]
                p++;
                expect("]");
                return new LinkedHashMap<String, Object>();
            }
            if (peek().is("]")) {
                p++;
                return new ArrayList<>();
            }
            Token first = peek();
            if ((first.kind() == Kind.IDENT || first.kind() == Kind.STRING) && peek(1).is(":")) {
                Map<String, Object> m = new LinkedHashMap<>();
                while (!peek().is("]")) {
                    Token k = next();
                    expect(":");
                    skipNewlines();
                    m.put(k.kind() == Kind.STRING ? (String) k.value() : k.text(), value());
                    skipNewlines();
                    if (peek().is(",")) {
                        p++;
                        skipNewlines();
                    }
                }
                p++;
                return m;
            }
            List<Object> l = new ArrayList<>();
            while (!peek().is("]")) {
                l.add(value());
                skipNewlines();
                if (peek().is(",")) {
                    p++;
                    skipNewlines();
                }
            }
            p++;
            return l;
        }
    }

    /** Groovy's argument array: all named arguments as one map, first; then the positional ones. */
    private static final class Args {
        final Map<String, Object> named = new LinkedHashMap<>();
        final List<Object> positional = new ArrayList<>();

        List<Object> toGroovyArgs() {
            List<Object> out = new ArrayList<>();
            if (!named.isEmpty()) {
                out.add(named);
            }
            out.addAll(positional);
            return out;
        }
    }
}
