package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import io.jenkins.plugins.ecsdeploy.engine.Alarms;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.LambdaHook;
import io.jenkins.plugins.ecsdeploy.engine.RequestValidator;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What the four strategy steps ({@code ecsBlueGreen}, {@code ecsCanary}, {@code ecsLinear},
 * {@code ecsRolling}) have in common: the service, the revision, credentials, alarms, Lambda hooks,
 * the approval gate, {@code onAbort} and {@code waitUntil}. A subclass adds only its strategy's
 * parameters and {@link #strategy()}; the freestyle builder embeds one of these steps, so the
 * options exist exactly once (docs/freestyle.md).
 *
 * <p>Setters only store what the script wrote; every check happens in {@link #toRequest}, called from
 * {@code start()}, so a bad value is reported as one {@code ERROR:} line naming the field, the value
 * and what is allowed (docs/jenkins-behaviour.md "Instantiating a step": an exception from a setter would be wrapped
 * into an unreadable InvocationTargetException).
 */
public abstract class DeployStepBase extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default approval timeout (minutes) when {@code approval} is set without {@code approvalTimeout}. */
    public static final int DEFAULT_APPROVAL_TIMEOUT = 60;
    /**
     * Minutes the ECS PAUSE hook outlives the Jenkins approval window. Jenkins stops accepting clicks at
     * approvalTimeout; ECS applies the timeout action a little later, so a click sent in the last second
     * can never race ECS's own timeout (docs/approvals.md "Timeouts").
     */
    public static final int APPROVAL_TIMEOUT_MARGIN = 2;
    /** The longest PAUSE hook timeout ECS accepts (docs/ecs-facts.md "Hook and stage time limits": 20,160 minutes). */
    public static final int MAX_PAUSE_MINUTES = 20160;

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/.+");

    private final String cluster;
    private final String service;
    private final String region;
    private String credentialsId;
    private String roleArn;
    private String taskDefinition;
    private String image;
    private String taskDefinitionFile;
    private String alarms;
    /** Boxed so that a config.xml written without it loads as null = the default (true), never as false. */
    private Boolean alarmRollback = true;
    private List<LambdaHookSpec> hooks = new ArrayList<>();
    private String approval;
    /** The approval policy (docs/approvals.md "Approval policy"): distinct approvers, who may not approve, who may roll back. */
    private int approvalRequired;
    private String approvalNotBy;
    private String rollbackBy;
    private String approvalStage = Gate.DEFAULT_STAGE;
    /** Boxed for the same reason: a missing element must mean the default, not 0. */
    private Integer approvalTimeout = DEFAULT_APPROVAL_TIMEOUT;
    private String approvalTimeoutAction = "ROLLBACK";
    private String onAbort = "ROLLBACK";
    private String waitUntil = Values.COMPLETED;
    private Integer desiredCount;
    private boolean forceNewDeployment;
    /** Canary analysis: the JSON of a Pipeline map or text, or the name of an analysis in the global configuration. */
    private String analysis;
    /** The switchover flag of a headless service (docs/cutovers.md "2. Switchover flag"); null = none. */
    private SwitchoverSpec switchover;

    protected DeployStepBase(String cluster, String service, String region) {
        this.cluster = Values.trimToNull(cluster);
        this.service = Values.trimToNull(service);
        this.region = Values.trimToNull(region);
    }

    /**
     * A freestyle job's config.xml is read by XStream, which runs no constructor and no field initialiser: an
     * element that is missing (a job written by REST, the CLI or configuration-as-code, or saved before a field
     * existed) loads as null (docs/freestyle.md "Jobs written elsewhere"). Every optional field gets its default
     * back here, so such a job runs exactly like one saved from the form.
     */
    protected Object readResolve() {
        if (hooks == null) {
            hooks = new ArrayList<>();
        }
        if (approvalStage == null) {
            approvalStage = Gate.DEFAULT_STAGE;
        }
        if (approvalTimeout == null) {
            approvalTimeout = DEFAULT_APPROVAL_TIMEOUT;
        }
        if (approvalTimeoutAction == null) {
            approvalTimeoutAction = "ROLLBACK";
        }
        if (onAbort == null) {
            onAbort = "ROLLBACK";
        }
        if (waitUntil == null) {
            waitUntil = Values.COMPLETED;
        }
        if (alarmRollback == null) {
            alarmRollback = Boolean.TRUE;
        }
        return this;
    }

    /** The strategy with this step's parameters (null parameters keep the service's values). */
    protected abstract Strategy strategy();

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new DeployStepExecution(context, this);
    }

    // ---- required ----
    public String getCluster() { return cluster; }
    public String getService() { return service; }
    public String getRegion() { return region; }

    // ---- optional ----
    public String getCredentialsId() { return credentialsId; }
    @DataBoundSetter public void setCredentialsId(String v) { credentialsId = Values.trimToNull(v); }

    public String getRoleArn() { return roleArn; }
    @DataBoundSetter public void setRoleArn(String v) { roleArn = Values.trimToNull(v); }

    public String getTaskDefinition() { return taskDefinition; }
    @DataBoundSetter public void setTaskDefinition(String v) { taskDefinition = Values.trimToNull(v); }

    /** {@code container=image}, one or several (a list, or one string separated by commas or new lines). */
    public String getImage() { return image; }
    @DataBoundSetter public void setImage(Object v) { image = Values.joined(v); }

    public String getTaskDefinitionFile() { return taskDefinitionFile; }
    @DataBoundSetter public void setTaskDefinitionFile(String v) { taskDefinitionFile = Values.trimToNull(v); }

    /** CloudWatch alarm names (a list, or one string separated by commas). */
    public String getAlarms() { return alarms; }
    @DataBoundSetter public void setAlarms(Object v) {
        alarms = Values.joined(v);
        // an empty entry is a mistake to report (e.g. alarms: [env.UNSET]), not one to drop silently
        blankAlarm = Values.hasBlankEntry(v);
    }

    /** Set by {@link #setAlarms} only; not persisted (steps are bound again from the script). */
    private transient boolean blankAlarm;

    public boolean isAlarmRollback() { return alarmRollback == null || alarmRollback; }
    @DataBoundSetter public void setAlarmRollback(boolean v) { alarmRollback = v; }

    public List<LambdaHookSpec> getHooks() { return hooks; }
    @DataBoundSetter public void setHooks(List<LambdaHookSpec> v) { hooks = v == null ? new ArrayList<>() : new ArrayList<>(v); }

    /**
     * {@code true} (anyone with Job/Build may decide) or the submitters (comma-separated users or groups).
     * Read back as {@code Boolean.TRUE}, the submitter string, or null when there is no approval.
     */
    public Object getApproval() {
        if (approval == null) {
            return null;
        }
        return approval.equals("true") ? Boolean.TRUE : approval;
    }

    @DataBoundSetter public void setApproval(Object v) {
        if (v == null || Boolean.FALSE.equals(v) || "false".equalsIgnoreCase(String.valueOf(v).trim())) {
            approval = null;
        } else if (Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v).trim())) {
            approval = "true";
        } else {
            approval = Values.joined(v);
        }
    }

    /** True when an approval gate was asked for. */
    public boolean approvalRequested() { return approval != null; }

    /** The submitter list, or null when anyone with Job/Build may decide. */
    public String approvalSubmitter() { return approval == null || approval.equals("true") ? null : approval; }

    /** Distinct people who must approve the gate; 0 or 1 = one. */
    public int getApprovalRequired() { return approvalRequired; }
    @DataBoundSetter public void setApprovalRequired(int v) { approvalRequired = v; }

    /** Users who may not approve, and/or {@code starter} (the user who started the build). */
    public String getApprovalNotBy() { return approvalNotBy; }
    @DataBoundSetter public void setApprovalNotBy(Object v) { approvalNotBy = Values.trimToNull(Values.joined(v)); }

    /** Users or groups who may roll back at the gate (default: Job/Build, Job/Cancel or an approver). */
    public String getRollbackBy() { return rollbackBy; }
    @DataBoundSetter public void setRollbackBy(Object v) { rollbackBy = Values.trimToNull(Values.joined(v)); }

    public String getApprovalStage() { return approvalStage; }
    @DataBoundSetter public void setApprovalStage(String v) {
        approvalStage = Values.trimToNull(v) == null ? Gate.DEFAULT_STAGE : Values.upper(v);
    }

    /** Minutes Jenkins offers the decision; the ECS PAUSE hook gets this plus {@link #APPROVAL_TIMEOUT_MARGIN}. */
    public int getApprovalTimeout() { return approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout; }
    @DataBoundSetter public void setApprovalTimeout(int v) { approvalTimeout = v; }

    public String getApprovalTimeoutAction() { return approvalTimeoutAction; }
    @DataBoundSetter public void setApprovalTimeoutAction(String v) {
        approvalTimeoutAction = Values.trimToNull(v) == null ? "ROLLBACK" : Values.upper(v);
    }

    public String getOnAbort() { return onAbort; }
    @DataBoundSetter public void setOnAbort(String v) { onAbort = Values.trimToNull(v) == null ? "ROLLBACK" : Values.upper(v); }

    public String getWaitUntil() { return waitUntil; }
    @DataBoundSetter public void setWaitUntil(String v) { waitUntil = Values.trimToNull(v) == null ? Values.COMPLETED : Values.upper(v); }

    public Integer getDesiredCount() { return desiredCount; }
    @DataBoundSetter public void setDesiredCount(Integer v) { desiredCount = v; }

    public boolean isForceNewDeployment() { return forceNewDeployment; }
    @DataBoundSetter public void setForceNewDeployment(boolean v) { forceNewDeployment = v; }

    /**
     * Automated canary analysis at the steps (docs/analysis.md): a map ({@code analysis: [metrics: [...],
     * measurements: 3]}, kept as its JSON), JSON text, or the name of an analysis of the global configuration.
     */
    public String getAnalysis() { return analysis; }
    @DataBoundSetter public void setAnalysis(Object v) {
        analysis = v == null ? null : v instanceof CharSequence ? Values.trimToNull(v.toString()) : AnalysisSpec.toJson(v);
    }

    /** {@code switchover: [parameter: '/app/worker/active-revision', stage: …, green: …, blue: …, timeoutMinutes: …]}. */
    public SwitchoverSpec getSwitchover() { return switchover; }
    @DataBoundSetter public void setSwitchover(SwitchoverSpec v) { switchover = v; }

    /** The engine's analysis, or null; a name is looked up in the global configuration. */
    private io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition analysisDefinition(List<String> problems) {
        if (analysis == null) {
            return null;
        }
        if (analysis.startsWith("{")) {
            return AnalysisSpec.parse("analysis", analysis, null, problems);
        }
        AnalysisSpec named = EcsGlobalConfiguration.namedAnalysis(analysis);
        if (named == null) {
            problems.add(Values.problem("analysis", analysis, "a map with metrics, JSON, or the name of an analysis in "
                    + "Manage Jenkins » System » Amazon ECS Deployments » Canary analyses"));
            return null;
        }
        return named.toEngine("analysis '" + analysis + "'", problems);
    }

    /**
     * A PAUSE gate is placed at {@link #getApprovalStage()} when an approval is asked for, or when
     * {@code waitUntil} names that stage: then ECS holds the deployment there while the pipeline goes
     * on (tests, {@code ecsAtGate}, {@code ecsApprove}) and decides later (docs/pipeline-steps.md).
     */
    public boolean placesGate() {
        return approval != null || approvalStage.equals(waitUntil);
    }

    /** The function name, for messages. */
    String functionName() {
        try {
            if (getDescriptor() instanceof DeployStepDescriptor d) {
                return d.getFunctionName();
            }
        } catch (RuntimeException | AssertionError e) {
            // not registered (unit use outside Jenkins): derive it the way the descriptors name it
        }
        String n = getClass().getSimpleName().replaceFirst("^Ecs", "").replaceFirst("Step$", "");
        return "ecs" + n;
    }

    /**
     * Checks every field and builds the engine request. Nothing is sent to AWS here.
     *
     * @param defaultRegion the global default region, used when {@code region} is empty
     * @param taskDefinitionJson the content of {@code taskDefinitionFile}, read from the workspace by the caller
     *        (null when no file was named, or not read yet: then only the file name is checked)
     * @throws AbortException listing every problem, one per line
     */
    public DeploymentRequest toRequest(String defaultRegion, String taskDefinitionJson) throws AbortException {
        List<String> problems = new ArrayList<>();
        String fn = functionName();
        String effectiveRegion = region != null ? region : Values.trimToNull(defaultRegion);
        if (service == null) {
            problems.add(Values.problem("service", service, "the ECS service name or ARN is required"));
        }
        if (effectiveRegion == null) {
            problems.add(Values.problem("region", region,
                    "an AWS region such as eu-west-1 is required (or set a default region in Manage Jenkins » System » Amazon ECS Deployments)"));
        }
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            problems.add(Values.problem("roleArn", roleArn, "an IAM role ARN like arn:aws:iam::123456789012:role/deployer"));
        }
        int sources = (taskDefinition != null ? 1 : 0) + (image != null ? 1 : 0) + (taskDefinitionFile != null ? 1 : 0);
        if (sources > 1) {
            problems.add(Values.problem("taskDefinition/image/taskDefinitionFile",
                    "taskDefinition=" + taskDefinition + ", image=" + image + ", taskDefinitionFile=" + taskDefinitionFile,
                    "give exactly one of them"));
        } else if (sources == 0 && !forceNewDeployment) {
            problems.add(Values.problem("taskDefinition/image/taskDefinitionFile", null,
                    "give one of them (or forceNewDeployment: true to redeploy the current revision)"));
        }
        RevisionSource revision = null;
        if (taskDefinition != null) {
            revision = new RevisionSource.TaskDefinition(taskDefinition);
        } else if (image != null) {
            List<String> pairs = Values.list(image);
            for (String p : pairs) {
                int eq = p.indexOf('=');
                if (eq <= 0 || eq == p.length() - 1) {
                    problems.add(Values.problem("image", p, "container=image, e.g. web=123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2"));
                }
            }
            revision = RevisionSource.ImageOverrides.parse(pairs);
        } else if (taskDefinitionFile != null) {
            revision = new RevisionSource.TaskDefinitionJson(taskDefinitionJson == null ? "{}" : taskDefinitionJson, taskDefinitionFile);
        }
        if (!Values.PAUSE_STAGES.contains(approvalStage)) {
            problems.add(Values.problem("approvalStage", approvalStage, "one of " + String.join(", ", Values.PAUSE_STAGES)
                    + " (ECS cannot pause at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT)"));
        }
        int approvalTimeout = getApprovalTimeout();
        if (approvalTimeout < 1 || approvalTimeout > MAX_PAUSE_MINUTES - APPROVAL_TIMEOUT_MARGIN) {
            problems.add(Values.problem("approvalTimeout", approvalTimeout,
                    "minutes between 1 and " + (MAX_PAUSE_MINUTES - APPROVAL_TIMEOUT_MARGIN)
                            + " (ECS allows a PAUSE hook up to 20160 minutes; Jenkins adds a " + APPROVAL_TIMEOUT_MARGIN + "-minute margin)"));
        }
        if (!approvalTimeoutAction.equals("ROLLBACK") && !approvalTimeoutAction.equals("CONTINUE")) {
            problems.add(Values.problem("approvalTimeoutAction", approvalTimeoutAction, "ROLLBACK or CONTINUE"));
        }
        if (!onAbort.equals("ROLLBACK") && !onAbort.equals("LEAVE")) {
            problems.add(Values.problem("onAbort", onAbort, "ROLLBACK (roll the deployment back when the build is aborted) or LEAVE"));
        }
        if (!Values.WAIT_STAGES.contains(waitUntil)) {
            problems.add(Values.problem("waitUntil", waitUntil, "COMPLETED or one of the lifecycle stages "
                    + String.join(", ", Values.WAIT_STAGES.subList(0, Values.WAIT_STAGES.size() - 1))));
        }
        if (desiredCount != null && desiredCount < 0) {
            problems.add(Values.problem("desiredCount", desiredCount, "0 or more tasks"));
        }
        List<LambdaHook> lambdaHooks = new ArrayList<>();
        for (int i = 0; i < hooks.size(); i++) {
            lambdaHooks.add(hooks.get(i).toEngine("hooks[" + i + "]", problems));
        }
        strategyProblems(problems);

        DeploymentRequest.Builder b = DeploymentRequest.builder()
                .region(effectiveRegion).cluster(cluster).service(service).revision(revision).strategy(strategy())
                .hooks(lambdaHooks).desiredCount(desiredCount).forceNewDeployment(forceNewDeployment)
                .analysis(analysisDefinition(problems));
        if (blankAlarm) {
            problems.add(Values.problem("alarms", "", "CloudWatch alarm names of 1-255 characters; an empty entry is not a name"));
        }
        if (alarms != null) {
            b.alarms(new Alarms(Values.list(alarms), isAlarmRollback()));
        }
        if (approvalRequired != 0 || approvalNotBy != null || rollbackBy != null) {
            io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy.of(approvalSubmitter(),
                    approvalRequired <= 0 ? 1 : approvalRequired, approvalNotBy, rollbackBy)
                    .validate("approval", "approvalRequired", "approvalNotBy", "rollbackBy")
                    .forEach(p -> problems.add(p.message()));
            if (approval == null) {
                problems.add(Values.problem("approvalRequired", String.valueOf(approvalRequired),
                        "only with approval (true, or the approvers): a policy needs a gate"));
            }
        }
        if (placesGate() && Values.PAUSE_STAGES.contains(approvalStage)) {
            b.gate(new Gate(approvalStage, approvalTimeout + APPROVAL_TIMEOUT_MARGIN,
                    "CONTINUE".equals(approvalTimeoutAction) ? HookAction.CONTINUE : HookAction.ROLLBACK));
        }
        DeploymentRequest request = b.build();
        if (switchover != null && problems.isEmpty()) {
            // its own PAUSE gate at the stage, answered by the engine (docs/cutovers.md "2. Switchover flag")
            io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover sw = switchover.toEngine();
            List<ValidationProblem> sp = io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverValidator.validate(request, sw);
            sp.forEach(p -> problems.add(p.message()));
            if (sp.isEmpty()) {
                request = sw.applyTo(request);
            }
        }
        if (problems.isEmpty()) {
            // The engine knows the ECS rules (ranges, strategy/hook combinations): ask it too, offline.
            for (ValidationProblem p : RequestValidator.validate(request)) {
                if (taskDefinitionJson == null && p.field() != null
                        && (p.field().startsWith("taskDefinitionFile") || p.field().startsWith("taskDefinitionJson"))) {
                    // the file's content is checked once it has been read from the workspace (the engine names the
                    // problems of a task definition JSON "taskDefinitionJson(<file>).<member>" since issue 10)
                    continue;
                }
                problems.add(p.message());
            }
        }
        if (!problems.isEmpty()) {
            throw new AbortException(fn + ": " + (problems.size() == 1 ? problems.get(0)
                    : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        }
        return request;
    }

    /** Strategy-specific checks that the plugin can name better than the engine (none by default). */
    protected void strategyProblems(List<String> problems) {}

    /** Checks {@code value} against an inclusive integer range, adding a problem line when outside. */
    protected static void range(List<String> problems, String field, Number value, double min, double max, String unit) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
            problems.add(Values.problem(field, value, unit + " between " + fmt(min) + " and " + fmt(max)));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
