package dev.hotconf;

import dev.hotconf.internal.Converters;
import java.util.function.Supplier;

/**
 * A live, typed view of one key (or, for {@link HotConfig#recordSetting bound records}, one
 * prefix). Create it once, keep it in a field, and call {@link #get()} wherever the value is
 * needed: it always returns the value of the live snapshot, converted once when that snapshot was
 * published. A read is one volatile read of the setting's own field: no lock, no allocation, no
 * lookup.
 *
 * <p>A setting takes part in validation: while it is reachable, a candidate whose value cannot be
 * converted to its type (or that lacks a value it requires) is rejected, so a bad value never goes
 * live.
 *
 * <p>A final class, not an interface, on purpose: a call through an interface keeps a receiver
 * class check in compiled code, which costs about 15% of a read; a final method of a final class
 * needs none (see the benchmarks module's {@code AccessorShapeBenchmark}). Instances come from
 * {@link HotConfig}.
 *
 * <p>Thread-safe. {@link #get()} returns null only when the setting's default is null. Keep a
 * reference: settings without listeners are held weakly by the config.
 *
 * @param <T> the value type
 */
public final class Setting<T> extends Accessor<T> implements Supplier<T> {
  /** The live cell's value, in a field of its own type: a read is one volatile load. */
  private volatile T value;

  Setting(
      Pipeline owner,
      String key,
      Converters.Converter<?> converter,
      Kind kind,
      Object defaultValue) {
    super(owner, key, converter, kind, defaultValue);
  }

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  public T get() {
    return value;
  }

  @SuppressWarnings("unchecked")
  @Override
  void install(Cell next) {
    value = ((ObjectCell<T>) next).value;
  }

  @SuppressWarnings("unchecked")
  @Override
  Cell newCell(Object value, ConfigOrigin origin) {
    return new ObjectCell<>((T) value, origin);
  }
}
