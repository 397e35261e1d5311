package dev.hotconf;

import java.util.function.IntSupplier;

/**
 * A live {@code int} setting without boxing: {@link #getAsInt()} is one volatile read and a field
 * load. Same semantics as {@link Setting}.
 *
 * <p>Thread-safe.
 */
public interface IntSetting extends IntSupplier {

  /** The key this setting reads. */
  String key();

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  int getAsInt();

  /** Where the live value was written, or null when the default is in use. */
  ConfigOrigin origin();

  /** As {@link Setting#onChange}; values are boxed only when a change is delivered. */
  Registration onChange(ValueChangeListener<? super Integer> listener);
}
