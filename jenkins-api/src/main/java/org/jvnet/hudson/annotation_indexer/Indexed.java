package org.jvnet.hudson.annotation_indexer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stand-in for lib-annotation-indexer's meta-annotation (its artifact is published on
 * repo.jenkins-ci.org only, not on Maven Central). Jenkins core supplies the real one at runtime; not covered by signatures.tsv,
 * hence {@code --skip org.jvnet.hudson.annotation_indexer} in the API check.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface Indexed {
}
