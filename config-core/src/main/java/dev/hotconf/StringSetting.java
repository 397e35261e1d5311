package dev.hotconf;

import dev.hotconf.internal.Converters;
import java.util.function.Supplier;

/**
 * A live {@code String} setting. Same semantics as {@link Setting}; instances come from {@link
 * HotConfig#stringSetting}.
 *
 * <p>Its own class rather than a {@code Setting<String>} on purpose: {@link #get()} is declared to
 * return {@code String} and reads a field of that type, so a caller needs no cast. Erasure makes a
 * caller of {@code Setting<T>.get()} check the class of what it got: one more load (the object's
 * class word) per read (see the benchmarks module's {@code ReadPathBenchmark}).
 *
 * <p>Thread-safe. {@link #get()} returns null only when the setting's default is null.
 */
public final class StringSetting extends Accessor<String> implements Supplier<String> {
  /** The live cell's value, in a field of its own type: a read is one volatile load. */
  private volatile String value;

  StringSetting(Pipeline owner, String key, Kind kind, String defaultValue) {
    super(owner, key, Converters.forClass(String.class), kind, defaultValue);
  }

  /** The value in the live snapshot, or the default when the key is absent. */
  @Override
  public String get() {
    return value;
  }

  @SuppressWarnings("unchecked")
  @Override
  void install(Cell next) {
    value = ((ObjectCell<String>) next).value;
  }

  @Override
  Cell newCell(Object value, ConfigOrigin origin) {
    return new ObjectCell<>((String) value, origin);
  }
}
