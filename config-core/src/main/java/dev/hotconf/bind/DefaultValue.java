package dev.hotconf.bind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a record component takes when its key is absent (or null), written as it would be in a
 * configuration file and converted by the same converters as a written value:
 * {@code @DefaultValue("30s") Duration startTimeout}, {@code @DefaultValue("false") boolean
 * strict}, {@code @DefaultValue("a,b") List<String> names}.
 *
 * <p>On a record, {@code Map} or object component, {@code @DefaultValue} (without text) binds an
 * empty object, so the nested record's own defaults apply; on a {@code List} it means an empty
 * list. A relative {@code Path} default resolves like a written one: against the folder of the file
 * the enclosing object came from.
 *
 * <p>Defaults are converted and checked against the component's constraints when the binder first
 * meets the record type: a default that does not convert fails there, with an {@link
 * IllegalArgumentException}, never at run time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface DefaultValue {
  /** The default, as written in a configuration file; empty for an empty object or list. */
  String value() default "";
}
