package dev.hotconf;

import dev.hotconf.internal.Converters;
import java.util.function.DoubleSupplier;

/**
 * A live {@code double} setting without boxing: {@link #getAsDouble()} is one volatile read of the
 * setting's own field. Same semantics as {@link Setting}; instances come from {@link HotConfig}.
 *
 * <p>A final class, not an interface, on purpose: a call through an interface keeps a receiver
 * class check in compiled code (the JIT does not trust interface-typed fields), which costs about
 * 15% of a read; a final method of a final class needs none (see the benchmarks module's {@code
 * AccessorShapeBenchmark}).
 *
 * <p>Thread-safe. Never null-valued.
 */
public final class DoubleSetting extends Accessor<Double> implements DoubleSupplier {
  /** The live cell's value, in a field of its own type: a read is one volatile load. */
  private volatile double value;

  DoubleSetting(Pipeline owner, String key, Kind kind, double defaultValue) {
    super(owner, key, Converters.forClass(Double.class), kind, defaultValue);
  }

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  public double getAsDouble() {
    return value;
  }

  @Override
  void install(Cell next) {
    value = ((DoubleCell) next).value;
  }

  @Override
  Cell newCell(Object value, ConfigOrigin origin) {
    return new DoubleCell((Double) value, origin);
  }
}
