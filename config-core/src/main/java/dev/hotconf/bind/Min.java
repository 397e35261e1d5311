package dev.hotconf.bind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The smallest value allowed, written as in a configuration file and converted by the component's
 * converter: {@code @Min("0s") Duration grace}, {@code @Min("1") int burst}. For any {@link
 * Comparable} type (numbers, {@code Duration}, {@code DataSize}); on an {@code Optional} component
 * it applies to the value when present.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Min {
  String value();
}
