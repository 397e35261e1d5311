package dev.hotconf;

import java.util.function.BooleanSupplier;

/**
 * A live {@code boolean} setting without boxing: {@link #getAsBoolean()} is one volatile read and a field
 * load. Same semantics as {@link Setting}.
 *
 * <p>Thread-safe.
 */
public interface BooleanSetting extends BooleanSupplier {

  /** The key this setting reads. */
  String key();

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  boolean getAsBoolean();

  /** Where the live value was written, or null when the default is in use. */
  ConfigOrigin origin();

  /** As {@link Setting#onChange}; values are boxed only when a change is delivered. */
  Registration onChange(ValueChangeListener<? super Boolean> listener);
}
