package dev.hotconf;

import java.util.function.Supplier;

/**
 * A live, typed view of one key (or, for {@link HotConfig#bind bound records}, one prefix). Create
 * it once, keep it in a field, and call {@link #get()} wherever the value is needed: it always
 * returns the value of the live snapshot, converted once when that snapshot was published. A read
 * is one volatile read and a field load: no lock, no allocation, no lookup.
 *
 * <p>A setting takes part in validation: while it is reachable, a candidate whose value cannot be
 * converted to its type (or that lacks a value it requires) is rejected, so a bad value never goes
 * live.
 *
 * <p>Thread-safe. {@link #get()} returns null only when the setting's default is null. Keep a
 * reference: settings without listeners are held weakly by the config.
 */
public interface Setting<T> extends Supplier<T> {

  /** The key (or prefix) this setting reads. */
  String key();

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  T get();

  /** Where the live value was written, or null when the default is in use. */
  ConfigOrigin origin();

  /**
   * Calls {@code listener} with (old, new) each time a published snapshot changes this setting's
   * value (compared with {@code equals}). Delivered in version order, never concurrently, off the
   * publishing thread. While a listener is registered the config keeps this setting alive.
   */
  Registration onChange(ValueChangeListener<? super T> listener);
}
