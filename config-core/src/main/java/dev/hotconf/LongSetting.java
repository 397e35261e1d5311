package dev.hotconf;

import dev.hotconf.internal.Converters;
import java.util.function.LongSupplier;

/**
 * A live {@code long} setting without boxing: {@link #getAsLong()} is one volatile read of the
 * setting's own field. Same semantics as {@link Setting}; instances come from {@link HotConfig}.
 *
 * <p>A final class, not an interface, on purpose: a call through an interface keeps a receiver
 * class check in compiled code (the JIT does not trust interface-typed fields), which costs about
 * 15% of a read; a final method of a final class needs none (see the benchmarks module's {@code
 * AccessorShapeBenchmark}).
 *
 * <p>Thread-safe. Never null-valued.
 */
public final class LongSetting extends Accessor<Long> implements LongSupplier {
  /** The live cell's value, in a field of its own type: a read is one volatile load. */
  private volatile long value;

  LongSetting(Pipeline owner, String key, Kind kind, long defaultValue) {
    super(owner, key, Converters.forClass(Long.class), kind, defaultValue);
  }

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  public long getAsLong() {
    return value;
  }

  @Override
  void install(Cell next) {
    value = ((LongCell) next).value;
  }

  @Override
  Cell newCell(Object value, ConfigOrigin origin) {
    return new LongCell((Long) value, origin);
  }
}
