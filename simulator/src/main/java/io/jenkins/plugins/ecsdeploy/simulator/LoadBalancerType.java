package io.jenkins.plugins.ecsdeploy.simulator;

/** Load balancer kind for seeded services: ALB uses listener-rule ARNs, NLB listener ARNs (ALB and NLB resources pages for blue/green). */
public enum LoadBalancerType { ALB, NLB }
