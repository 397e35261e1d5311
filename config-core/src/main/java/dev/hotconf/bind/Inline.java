package dev.hotconf.bind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a record-typed component from the enclosing object itself rather than from a key of its
 * own: its components sit beside the enclosing record's, and count as known keys for unknown-key
 * detection. This is how a front-end adds its own keys to shared settings:
 *
 * <pre>{@code
 * record SidecarSettings(@Inline HotConfigSettings config, ServerSettings server) {}
 * // sources:, schema:, ... (HotConfigSettings) and server: in one YAML object
 * }</pre>
 *
 * <p>The inlined record's components must not share a key with the enclosing record's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Inline {}
