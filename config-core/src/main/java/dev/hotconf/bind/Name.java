package dev.hotconf.bind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The key a record component reads, when its Java name cannot be it: {@code @Name("wait")
 * Optional<Duration> waitTime} (a record component cannot be called {@code wait}). Only that key is
 * read (no kebab or snake spellings); components are still named as in Java in {@link Checks} and
 * {@link Bound}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Name {
  /** The key, as written in configuration. */
  String value();
}
