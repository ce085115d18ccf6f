package hudson;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import jenkins.YesNoMaybe;
import net.java.sezpoz.Indexable;

/** Stand-in. {@code @Indexable} makes SezPoz write META-INF/annotations/hudson.Extension (docs/jenkins-behaviour.md "Extension and symbol indexes"). */
@Indexable
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD})
@Documented
public @interface Extension {
    double ordinal() default 0;
    @Deprecated boolean optional() default false;
    YesNoMaybe dynamicLoadable() default YesNoMaybe.MAYBE;
}
