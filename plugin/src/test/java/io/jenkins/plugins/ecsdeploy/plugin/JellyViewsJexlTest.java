package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.commons.jexl.ExpressionFactory;
import org.apache.commons.jexl.JexlContext;
import org.apache.commons.jexl.JexlHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Issue 8 item 6: every {@code ${…}} of the build pages' views (approvals and progress: index and summary) is
 * evaluated with the real commons-jexl 1.1 against REAL objects of the plugin — a build with a waiting gate, a decision
 * and a deployment record — walking the views as Jelly does ({@code j:forEach} binds its variable to each item,
 * {@code j:set} binds a value). Every expression must evaluate without an error and to a non-null value: plain JEXL 1.1
 * reads a property it cannot find as null, so a misspelt getter shows up here. Jenkins' fork of commons-jexl adds the
 * {@code a ? b : c} operator (and public-field reads, which no view of ours uses: a field read is null here and fails
 * the test); a ternary is evaluated as its three parts. Roots that are core's ({@code h}, {@code rootURL},
 * {@code request2}) get small stand-ins. docs/jenkins-stand-in.md "4. Views".
 */
class JellyViewsJexlTest {
    static final Path VIEWS = Path.of("src/main/resources/io/jenkins/plugins/ecsdeploy/plugin");

    StepRunner runner;
    EcsApprovalAction approvals;
    EcsProgressAction progress;

    @BeforeEach
    void setUp() {
        StandInJenkins.install();
        runner = StepRunner.create();
        approvals = EcsApprovalAction.of(runner.run());
        GateRecord g = new GateRecord();
        g.hookId = "ecs-pause-1";
        g.stage = "POST_TEST_TRAFFIC_SHIFT";
        g.deploymentArn = "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/x";
        g.region = "us-east-1";
        g.cluster = "demo";
        g.service = "web";
        g.submitter = "release-managers";
        g.message = "Ship <b>web</b>?";
        g.decideBy = 1_800_000_000_000L;
        g.timeoutAction = "ROLLBACK";
        approvals.offer(g, null);
        runner.run().addAction(new EcsDecisionAction("alice", "Alice", 1_790_000_000_000L, "CONTINUE", "looks good",
                "POST_TEST_TRAFFIC_SHIFT", "ecs-pause-0", g.deploymentArn, "demo/web"));
        progress = EcsProgressAction.of(runner.run());
        progress.newRecord("demo/web", "us-east-1", "CANARY");
    }

    @AfterEach
    void tearDown() {
        StandInJenkins.reset();
    }

    /** Core's Jelly functions ({@code h}) that our views call. */
    public static final class Functions {
        public String getCrumb(Object request) { return "crumb"; }
        public String getCrumbRequestField() { return "Jenkins-Crumb"; }
    }

    @Test
    void everyExpressionOfTheBuildPagesEvaluatesWithJexl11AgainstRealObjects() throws Exception {
        Map<String, Object> views = Map.of("EcsApprovalAction/index.jelly", approvals, "EcsApprovalAction/summary.jelly", approvals,
                "EcsProgressAction/index.jelly", progress, "EcsProgressAction/summary.jelly", progress);
        List<String> problems = new ArrayList<>();
        int evaluated = 0;
        for (Map.Entry<String, Object> v : views.entrySet()) {
            Map<String, Object> vars = new HashMap<>();
            vars.put("it", v.getValue());
            vars.put("h", new Functions());
            vars.put("rootURL", "/jenkins");
            vars.put("request2", new Object());
            Element root = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                    .parse(VIEWS.resolve(v.getKey()).toFile()).getDocumentElement();
            evaluated += walk(v.getKey(), root, vars, problems);
        }
        assertEquals(List.of(), problems);
        assertTrue(evaluated >= 50, "expressions evaluated: " + evaluated);
    }

    @Test
    void theCheckerCatchesAMisspeltPropertyAndAPublicFieldRead() throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, Object> vars = new HashMap<>(Map.of("it", approvals));
        Element e = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                ("<x><j:forEach xmlns:j='jelly:core' var='g' items='${it.waitingGates}'><p>${g.lable}</p><p>${g.hookId}</p>"
                        + "<p>${it.urlName == 'ecs-approval' ? g.stage : g.nothing}</p></j:forEach></x>").getBytes())).getDocumentElement();
        walk("fixture", e, vars, problems);
        assertEquals(List.of("fixture: ${g.lable} is null", "fixture: ${it.urlName == 'ecs-approval' ? g.stage : g.nothing} is null"), problems);
    }

    /** Walks the elements as Jelly does; returns how many expressions were evaluated. */
    private int walk(String view, Element el, Map<String, Object> vars, List<String> problems) {
        int n = 0;
        Map<String, Object> scope = new HashMap<>(vars);
        NamedNodeMap attrs = el.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            n += evaluateAll(view, attrs.item(i).getNodeValue(), scope, problems);
        }
        String local = el.getLocalName() != null ? el.getLocalName() : el.getTagName();
        if (local.endsWith("set") && el.hasAttribute("var") && el.hasAttribute("value")) {
            vars.put(el.getAttribute("var"), evaluateTemplate(el.getAttribute("value"), scope));
        }
        List<Map<String, Object>> scopes = new ArrayList<>();
        if (local.endsWith("forEach") && el.hasAttribute("var")) {
            Object items = evaluateTemplate(el.getAttribute("items"), scope);
            Collection<?> c = items instanceof Collection<?> col ? col : List.of();
            if (c.isEmpty()) {
                problems.add(view + ": " + el.getAttribute("items") + " has no items to render its body with");
            }
            for (Object item : c) {
                Map<String, Object> s = new HashMap<>(scope);
                s.put(el.getAttribute("var"), item);
                scopes.add(s);
            }
        } else {
            scopes.add(scope);
        }
        for (Map<String, Object> s : scopes) {
            for (Node c = el.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element child) {
                    n += walk(view, child, s, problems);
                } else if (c.getNodeType() == Node.TEXT_NODE) {
                    n += evaluateAll(view, c.getNodeValue(), s, problems);
                }
            }
        }
        return n;
    }

    private static final java.util.regex.Pattern EXPR = java.util.regex.Pattern.compile("\\$\\{([^}]*)}");

    private int evaluateAll(String view, String text, Map<String, Object> vars, List<String> problems) {
        int n = 0;
        java.util.regex.Matcher m = EXPR.matcher(text);
        while (m.find()) {
            n++;
            try {
                if (evaluate(m.group(1), vars) == null) {
                    problems.add(view + ": " + m.group() + " is null");
                }
            } catch (Exception e) {
                problems.add(view + ": " + m.group() + " fails: " + e);
            }
        }
        return n;
    }

    private Object evaluateTemplate(String text, Map<String, Object> vars) {
        java.util.regex.Matcher m = EXPR.matcher(text);
        try {
            return m.matches() ? evaluate(m.group(1), vars) : text;
        } catch (Exception e) {
            return null;
        }
    }

    /** JEXL 1.1; the fork's {@code c ? a : b}: all three parts must evaluate, the value is the chosen one. */
    static Object evaluate(String expr, Map<String, Object> vars) throws Exception {
        JexlContext ctx = JexlHelper.createContext();
        @SuppressWarnings("unchecked")
        Map<String, Object> v = ctx.getVars();
        v.putAll(vars);
        int q = topLevel(expr, '?');
        if (q >= 0) {
            int colon = topLevel(expr.substring(q + 1), ':');
            String cond = expr.substring(0, q);
            String yes = expr.substring(q + 1, q + 1 + colon);
            String no = expr.substring(q + 2 + colon);
            Object c = evaluate(cond, vars);
            Object a = evaluate(yes, vars);
            Object b = evaluate(no, vars);
            return a == null || b == null ? null : Boolean.TRUE.equals(c) ? a : b;
        }
        return ExpressionFactory.createExpression(expr.trim()).evaluate(ctx);
    }

    /** The first {@code ch} outside quotes, or -1. */
    private static int topLevel(String s, char ch) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ch) {
                return i;
            }
        }
        return -1;
    }
}
