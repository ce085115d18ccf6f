package com.cloudbees.jenkins.plugins.awscredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;

/**
 * Stand-in. Deliberately WITHOUT the real supertypes from the AWS SDKs (v2 AwsCredentialsProvider, v1
 * AWSCredentialsProvider) and without resolveCredentials(String)/getCredentials(String): the plugin bundles its
 * own SDK (decision D5 in docs/architecture.md) and must never let an SDK type cross the class-loader boundary,
 * so it calls resolveCredentials reflectively and keeps only Strings.
 */
public interface AmazonWebServicesCredentials extends StandardCredentials {
    long serialVersionUID = -8931505925778535681L;

    String getDisplayName();
}
