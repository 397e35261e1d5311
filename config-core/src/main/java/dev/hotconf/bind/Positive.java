package dev.hotconf.bind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value must be greater than zero: a {@code Duration} longer than zero, a number above 0, a
 * {@code DataSize} of at least one byte. On an {@code Optional} component it applies to the value
 * when present. A violation is a problem at the value ({@code sidecar.yaml:9:14:
 * targets[0].timeout: must be positive but found '0s'}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Positive {}
