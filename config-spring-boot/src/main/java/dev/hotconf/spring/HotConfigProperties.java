package dev.hotconf.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a record a live record: the configuration at {@link #value()} bound to it, injectable as
 * {@code Setting<Pool>} or {@code Supplier<Pool>}.
 *
 * <pre>{@code
 * @HotConfigProperties("db.pool")
 * record Pool(@Min(1) int min, @Min(1) int max, Duration idleTimeout) {}
 *
 * @Service
 * class Repository {
 *   private final Setting<Pool> pool;   // or Supplier<Pool>
 *   Repository(Setting<Pool> pool) { this.pool = pool; }
 *   void work() { Pool p = pool.get(); ... }   // the live instance: one volatile read
 * }
 * }</pre>
 *
 * <p>Each published version binds the record once; the new instance replaces the old one
 * atomically, so a reader never sees half of an update. Records are bound like {@code
 * HotConfig.recordSetting} binds them: components by name ({@code idleTimeout}, {@code
 * idle-timeout} or {@code idle_timeout}), nested records, lists, maps, {@code Optional} and
 * hotconf's {@code @DefaultValue}. When Jakarta Bean Validation is on the class path, the record's
 * constraints ({@code @Min}, {@code @NotBlank}, {@code @Valid} on nested records, ...) are part of
 * hotconf's validation: a version that violates one is rejected as a whole, with the {@code
 * file:line:col} of the offending value, and the application keeps its last good values. At start,
 * an invalid record fails the application's start.
 *
 * <p>Records annotated with this are found in the application's auto-configuration packages (the
 * package of the {@code @SpringBootApplication} class and below); list others with {@link
 * EnableHotConfigProperties}. When the prefix is absent the record is made from its defaults, or,
 * if a component has none, the application does not start (and a later version without the prefix
 * is rejected).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HotConfigProperties {
  /** The dotted key of the object the record is bound from, e.g. {@code db.pool}. */
  String value();
}
