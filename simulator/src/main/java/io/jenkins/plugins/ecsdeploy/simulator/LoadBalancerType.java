package io.jenkins.plugins.ecsdeploy.simulator;

/** Load balancer kind for seeded services: ALB uses listener-rule ARNs, NLB listener ARNs (ecs-api-facts §2a/§2b). */
public enum LoadBalancerType { ALB, NLB }
