package dev.hotconf;

import java.util.function.LongSupplier;

/**
 * A live {@code long} setting without boxing: {@link #getAsLong()} is one volatile read and a field
 * load. Same semantics as {@link Setting}.
 *
 * <p>Thread-safe.
 */
public interface LongSetting extends LongSupplier {

  /** The key this setting reads. */
  String key();

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  long getAsLong();

  /** Where the live value was written, or null when the default is in use. */
  ConfigOrigin origin();

  /** As {@link Setting#onChange}; values are boxed only when a change is delivered. */
  Registration onChange(ValueChangeListener<? super Long> listener);
}
