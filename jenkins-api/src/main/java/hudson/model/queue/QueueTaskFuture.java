package hudson.model.queue;

import java.util.concurrent.Future;

/**
 * Stand-in: the future of a scheduled build, what {@code ParameterizedJob.scheduleBuild2} returns (null when nothing
 * was scheduled). Only the {@link Future} part; the real one adds {@code getStartCondition()} and
 * {@code waitForStart()} (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/queue/QueueTaskFuture.java).
 */
public interface QueueTaskFuture<R> extends Future<R> {
}
