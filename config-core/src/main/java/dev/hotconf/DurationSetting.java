package dev.hotconf;

import dev.hotconf.internal.Converters;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A live {@link Duration} setting. Same semantics as {@link Setting}; instances come from {@link
 * HotConfig#durationSetting}.
 *
 * <p>Its own class rather than a {@code Setting<Duration>} on purpose: {@link #get()} is declared
 * to return {@code Duration} and reads a field of that type, so a caller needs no cast. Erasure
 * makes a caller of {@code Setting<T>.get()} check the class of what it got: one more load (the
 * object's class word) per read (see the benchmarks module's {@code ReadPathBenchmark}).
 *
 * <p>Thread-safe. {@link #get()} returns null only when the setting's default is null.
 */
public final class DurationSetting extends Accessor<Duration> implements Supplier<Duration> {
  /** The live cell's value, in a field of its own type: a read is one volatile load. */
  private volatile Duration value;

  DurationSetting(Pipeline owner, String key, Kind kind, Duration defaultValue) {
    super(owner, key, Converters.forClass(Duration.class), kind, defaultValue);
  }

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  public Duration get() {
    return value;
  }

  @SuppressWarnings("unchecked")
  @Override
  void install(Cell next) {
    value = ((ObjectCell<Duration>) next).value;
  }

  @Override
  Cell newCell(Object value, ConfigOrigin origin) {
    return new ObjectCell<>((Duration) value, origin);
  }
}
