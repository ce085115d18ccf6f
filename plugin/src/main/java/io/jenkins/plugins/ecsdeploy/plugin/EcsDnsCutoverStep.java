package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverGate;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverTarget;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverValidator;
import io.jenkins.plugins.ecsdeploy.engine.cutover.DnsCutoverRequest;
import io.jenkins.plugins.ecsdeploy.engine.cutover.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code ecsDnsCutover}: a DNS cutover with Route 53 weighted records from blue to green (docs/cutovers.md,
 * docs/pipeline-steps.md "ecsDnsCutover"), e.g.
 *
 * <pre>
 * def c = ecsDnsCutover hostedZoneId: 'Z0123456789ABCDEFGHIJ', record: 'api.example.com', region: 'eu-west-1',
 *                       blue: 'prod-ec2/api', green: 'prod-fargate/api', steps: [10, 50, 100],
 *                       approval: 'release-managers', healthCheckPath: '/health'
 * </pre>
 *
 * A target is {@code [cluster/]service} (an ECS service behind a load balancer; {@code blueRegion},
 * {@code blueRoleArn} for another region or account), {@code alias:<dns name>@<hosted zone id>}, or
 * {@code value:<ip or host name>}. The gates between steps are held by the engine and decided on the build's
 * "ECS cutovers" page (Approve / Roll back, by the approvers); the step returns a map with the outcome and fails
 * when the cutover did not end with every answer on green. Every parameter is a String or a number: the step is
 * kept with the program and rebuilds the request after a restart.
 */
public class EcsDnsCutoverStep extends Step implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final String FUNCTION = "ecsDnsCutover";

    private final String hostedZoneId;
    private final String record;
    private String region;
    private String credentialsId;
    private String roleArn;
    private String blue;
    private String green;
    private String blueRegion;
    private String blueRoleArn;
    private String greenRegion;
    private String greenRoleArn;
    private String blueSetIdentifier;
    private String greenSetIdentifier;
    private String recordType;
    private Integer ttl;
    private String steps;
    private Integer bakeMinutes;
    private String approval;
    private int approvalTimeout = 60;
    private String approvalTimeoutAction = "ROLLBACK";
    private boolean healthCheck = true;
    private String healthCheckUrl;
    private String healthCheckPath;
    private int healthCheckStatus = 200;
    private int healthCheckAttempts = 3;
    private String id;

    @DataBoundConstructor
    public EcsDnsCutoverStep(String hostedZoneId, String record) {
        this.hostedZoneId = Values.trimToNull(hostedZoneId);
        this.record = Values.trimToNull(record);
    }

    public String getHostedZoneId() { return hostedZoneId; }
    public String getRecord() { return record; }
    public String getRegion() { return region; }
    @DataBoundSetter public void setRegion(String v) { region = Values.trimToNull(v); }
    public String getCredentialsId() { return credentialsId; }
    @DataBoundSetter public void setCredentialsId(String v) { credentialsId = Values.trimToNull(v); }
    public String getRoleArn() { return roleArn; }
    @DataBoundSetter public void setRoleArn(String v) { roleArn = Values.trimToNull(v); }
    public String getBlue() { return blue; }
    @DataBoundSetter public void setBlue(String v) { blue = Values.trimToNull(v); }
    public String getGreen() { return green; }
    @DataBoundSetter public void setGreen(String v) { green = Values.trimToNull(v); }
    public String getBlueRegion() { return blueRegion; }
    @DataBoundSetter public void setBlueRegion(String v) { blueRegion = Values.trimToNull(v); }
    public String getBlueRoleArn() { return blueRoleArn; }
    @DataBoundSetter public void setBlueRoleArn(String v) { blueRoleArn = Values.trimToNull(v); }
    public String getGreenRegion() { return greenRegion; }
    @DataBoundSetter public void setGreenRegion(String v) { greenRegion = Values.trimToNull(v); }
    public String getGreenRoleArn() { return greenRoleArn; }
    @DataBoundSetter public void setGreenRoleArn(String v) { greenRoleArn = Values.trimToNull(v); }
    public String getBlueSetIdentifier() { return blueSetIdentifier; }
    @DataBoundSetter public void setBlueSetIdentifier(String v) { blueSetIdentifier = Values.trimToNull(v); }
    public String getGreenSetIdentifier() { return greenSetIdentifier; }
    @DataBoundSetter public void setGreenSetIdentifier(String v) { greenSetIdentifier = Values.trimToNull(v); }
    public String getRecordType() { return recordType; }
    @DataBoundSetter public void setRecordType(String v) { recordType = Values.upper(Values.trimToNull(v)); }
    public Integer getTtl() { return ttl; }
    @DataBoundSetter public void setTtl(Integer v) { ttl = v; }
    /** Green's percentage after each step: a list ({@code [10, 50, 100]}) or text ("10,50,100"); kept as text. */
    public String getSteps() { return steps; }
    @DataBoundSetter public void setSteps(Object v) { steps = Values.joined(v); }
    public Integer getBakeMinutes() { return bakeMinutes; }
    @DataBoundSetter public void setBakeMinutes(Integer v) { bakeMinutes = v; }
    /** {@code true} (anyone with Job/Build decides) or the approvers, comma-separated users or groups; null = no gates. */
    public Object getApproval() { return approval == null ? null : approval.equals("true") ? Boolean.TRUE : approval; }
    @DataBoundSetter public void setApproval(Object v) {
        if (v == null || Boolean.FALSE.equals(v) || "false".equals(String.valueOf(v).trim())) {
            approval = null;
        } else if (Boolean.TRUE.equals(v) || "true".equals(String.valueOf(v).trim())) {
            approval = "true";
        } else {
            approval = Values.joined(v);
        }
    }
    public int getApprovalTimeout() { return approvalTimeout; }
    @DataBoundSetter public void setApprovalTimeout(int v) { approvalTimeout = v; }
    public String getApprovalTimeoutAction() { return approvalTimeoutAction; }
    @DataBoundSetter public void setApprovalTimeoutAction(String v) { approvalTimeoutAction = v == null ? "ROLLBACK" : Values.upper(v); }
    public boolean isHealthCheck() { return healthCheck; }
    @DataBoundSetter public void setHealthCheck(boolean v) { healthCheck = v; }
    public String getHealthCheckUrl() { return healthCheckUrl; }
    @DataBoundSetter public void setHealthCheckUrl(String v) { healthCheckUrl = Values.trimToNull(v); }
    public String getHealthCheckPath() { return healthCheckPath; }
    @DataBoundSetter public void setHealthCheckPath(String v) { healthCheckPath = Values.trimToNull(v); }
    public int getHealthCheckStatus() { return healthCheckStatus; }
    @DataBoundSetter public void setHealthCheckStatus(int v) { healthCheckStatus = v; }
    public int getHealthCheckAttempts() { return healthCheckAttempts; }
    @DataBoundSetter public void setHealthCheckAttempts(int v) { healthCheckAttempts = v; }
    public String getId() { return id; }
    @DataBoundSetter public void setId(String v) { id = Values.trimToNull(v); }

    /** Null when anyone with Job/Build may decide (or no gates). */
    String submitter() {
        return approval == null || approval.equals("true") ? null : approval;
    }

    /** One line naming the record, for console lines and the page. */
    String label() {
        return String.valueOf(record);
    }

    /**
     * The engine's request after every check (the engine's {@link CutoverValidator} and this step's own): one
     * AbortException listing all problems, each naming the parameter, the value and what is allowed; no AWS call.
     */
    DnsCutoverRequest toRequest(String defaultRegion) throws AbortException {
        List<String> problems = new ArrayList<>();
        String r = region != null ? region : defaultRegion;
        List<Integer> pct = null;
        if (steps != null) {
            pct = new ArrayList<>();
            for (String s : Values.list(steps)) {
                try {
                    pct.add(Integer.valueOf(s));
                } catch (NumberFormatException e) {
                    problems.add(Values.problem("steps", steps, "whole percentages, e.g. [10, 50, 100]"));
                    pct = null;
                    break;
                }
            }
        }
        HookAction timeoutAction = null;
        try {
            timeoutAction = HookAction.valueOf(approvalTimeoutAction);
        } catch (IllegalArgumentException e) {
            problems.add(Values.problem("approvalTimeoutAction", approvalTimeoutAction, "ROLLBACK or CONTINUE"));
        }
        HealthCheck h = null;
        if (healthCheck) {
            if (healthCheckUrl != null && healthCheckPath != null) {
                problems.add(Values.problem("healthCheckPath", healthCheckPath, "not with healthCheckUrl: give one of them"));
            }
            h = (healthCheckUrl != null ? HealthCheck.url(healthCheckUrl) : HealthCheck.path(healthCheckPath == null ? "/" : healthCheckPath))
                    .withExpectedStatus(healthCheckStatus).withAttempts(healthCheckAttempts, HealthCheck.DEFAULT.intervalSeconds());
        } else if (healthCheckUrl != null || healthCheckPath != null) {
            problems.add(Values.problem("healthCheck", "false", "true when healthCheckUrl or healthCheckPath is given"));
        }
        DnsCutoverRequest req = DnsCutoverRequest.builder().id(id).region(r).hostedZoneId(hostedZoneId).recordName(record)
                .recordType(recordType).ttlSeconds(ttl).steps(pct).bakeMinutes(bakeMinutes)
                .blue(target("blue", blue, blueRegion, blueRoleArn, problems)).green(target("green", green, greenRegion, greenRoleArn, problems))
                .blueSetIdentifier(blueSetIdentifier).greenSetIdentifier(greenSetIdentifier)
                .gate(approval == null || timeoutAction == null ? null : new CutoverGate(approvalTimeout, timeoutAction))
                .healthCheck(h).build();
        for (ValidationProblem p : CutoverValidator.validate(req)) {
            if (req.blue() == null && p.field().equals("blue") || req.green() == null && p.field().equals("green")) {
                if (problems.stream().anyMatch(x -> x.startsWith(p.field()))) {
                    continue; // already said by target()
                }
            }
            problems.add(new ValidationProblem(parameter(p.field()), p.value(), p.allowed()).message());
        }
        if (!problems.isEmpty()) {
            throw new AbortException(FUNCTION + ": " + (problems.size() == 1 ? problems.get(0)
                    : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        }
        return req;
    }

    /** The engine's field names as this step's parameters. */
    static String parameter(String field) {
        return switch (field) {
            case "recordName" -> "record";
            case "ttlSeconds" -> "ttl";
            case "gate.timeoutMinutes" -> "approvalTimeout";
            case "healthCheck.url" -> "healthCheckUrl";
            case "healthCheck.path" -> "healthCheckPath";
            case "healthCheck.expectedStatus" -> "healthCheckStatus";
            case "healthCheck.attempts" -> "healthCheckAttempts";
            case "blue.region" -> "blueRegion";
            case "blue.roleArn" -> "blueRoleArn";
            case "green.region" -> "greenRegion";
            case "green.roleArn" -> "greenRoleArn";
            default -> field.startsWith("blue.") ? "blue" : field.startsWith("green.") ? "green" : field;
        };
    }

    /**
     * {@code [cluster/]service} or a service ARN → an ECS service; {@code alias:<dns name>@<hosted zone id>} → an alias;
     * {@code value:<ip or host name>} → a value.
     */
    static CutoverTarget target(String side, String text, String region, String role, List<String> problems) {
        if (text == null) {
            problems.add(Values.problem(side, null, "a target: [cluster/]service (an ECS service behind a load balancer), "
                    + "alias:<dns name>@<hosted zone id>, or value:<ip address or host name>"));
            return null;
        }
        boolean service = !text.startsWith("alias:") && !text.startsWith("value:");
        if (!service && (region != null || role != null)) {
            problems.add(Values.problem(side + (region != null ? "Region" : "RoleArn"), region != null ? region : role,
                    "only with an ECS service target"));
        }
        if (text.startsWith("alias:")) {
            String a = text.substring("alias:".length());
            int at = a.lastIndexOf('@');
            if (at <= 0) {
                problems.add(Values.problem(side, text, "alias:<dns name>@<hosted zone id>, e.g. alias:my-alb-1.eu-west-1.elb.amazonaws.com@Z32O12XQLNTSW2"));
                return null;
            }
            return new CutoverTarget.Alias(a.substring(0, at), a.substring(at + 1), null);
        }
        if (text.startsWith("value:")) {
            return new CutoverTarget.Value(text.substring("value:".length()));
        }
        String cluster = null;
        String name = text;
        if (text.startsWith("arn:")) {
            int i = text.indexOf(":service/");
            String[] parts = i < 0 ? new String[0] : text.substring(i + ":service/".length()).split("/");
            if (parts.length == 2) {
                cluster = parts[0];
            }
        } else if (text.contains("/")) {
            cluster = text.substring(0, text.indexOf('/'));
            name = text.substring(text.indexOf('/') + 1);
        }
        return new CutoverTarget.EcsService(region, cluster, name, role);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new EcsDnsCutoverExecution(context, this);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends StepDescriptor {
        @Override public String getFunctionName() { return FUNCTION; }
        @Override public String getDisplayName() { return "Move a DNS record from blue to green in weighted steps (Route 53)"; }
        @Override public Set<? extends Class<?>> getRequiredContext() { return Set.of(Run.class, TaskListener.class); }

        /** Pipeline Graph View label: the record. */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            Object r = namedArgs.get("record");
            return r == null ? null : r.toString();
        }
    }
}
