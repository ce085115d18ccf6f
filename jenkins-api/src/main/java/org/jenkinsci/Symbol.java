package org.jenkinsci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jvnet.hudson.annotation_indexer.Indexed;

/**
 * Stand-in. {@code @Indexed} is what makes structs' SymbolLookup find the class (docs/jenkins-behaviour.md "Extension and symbol indexes"); our own
 * processor io.jenkins.plugins.ecsdeploy.apistandin.SymbolIndexProcessor writes the index.
 */
@Indexed
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
public @interface Symbol {
    String[] value();
}
