package dev.hotconf.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Registers {@link HotConfigProperties} records that live outside the application's
 * auto-configuration packages (records inside them are found without this), e.g.
 * {@code @EnableHotConfigProperties(SharedPool.class)} on a {@code @Configuration} class. Does
 * nothing when hotconf is not running ({@code hotconf.enabled=false} or no {@code hotconf.*} keys).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(HotConfigPropertiesRegistrar.class)
public @interface EnableHotConfigProperties {
  /** The records to register, each annotated with {@link HotConfigProperties}. */
  Class<?>[] value();
}
