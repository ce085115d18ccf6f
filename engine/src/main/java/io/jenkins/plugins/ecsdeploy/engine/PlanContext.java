package io.jenkins.plugins.ecsdeploy.engine;

/**
 * What the planner may know about the live service (all nullable / false when unknown): its desired count,
 * whether it sits behind a load balancer and whether that is a Network Load Balancer (ECS adds 10 minutes
 * to each traffic shift then: NLB resources page), its current rolling limits and bake time.
 */
public record PlanContext(Integer desiredCount, boolean loadBalanced, boolean networkLoadBalancer,
                          Integer minimumHealthyPercent, Integer maximumPercent, Integer bakeTimeMinutes) {
    public static final PlanContext UNKNOWN = new PlanContext(null, false, false, null, null, null);
}
