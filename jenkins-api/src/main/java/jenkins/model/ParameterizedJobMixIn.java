package jenkins.model;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.queue.QueueTaskFuture;

/**
 * Stand-in: only the interface a schedulable job implements (Pipeline's WorkflowJob and freestyle projects do) and its
 * {@code scheduleBuild2(quietPeriod, actions...)}: queue a new build carrying the given actions (causes, parameters,
 * our redeploy request); null when Jenkins refuses, e.g. for a disabled job
 * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/jenkins/model/ParameterizedJobMixIn.java, ParameterizedJob
 * default method scheduleBuild2). The stand-in records the request for tests and runs nothing
 * ({@code StandInJenkins.scheduledBuilds()}).
 */
public abstract class ParameterizedJobMixIn<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
    public ParameterizedJobMixIn() {
    }

    public interface ParameterizedJob<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
        @SuppressWarnings("unchecked")
        default QueueTaskFuture<RunT> scheduleBuild2(int quietPeriod, Action... actions) {
            return (QueueTaskFuture<RunT>) io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins.schedule(this, quietPeriod, actions);
        }
    }
}
