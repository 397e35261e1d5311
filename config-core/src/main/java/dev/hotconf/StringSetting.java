package dev.hotconf;

import dev.hotconf.internal.Converters;
import java.util.function.Supplier;

/**
 * A live {@code String} setting. Same semantics as {@link Setting}; instances come from {@link
 * HotConfig#string}.
 *
 * <p>Its own class rather than a {@code Setting<String>} on purpose: {@link #get()} is declared to
 * return {@code String} and reads a field of that type, so a caller needs no cast. Erasure makes a
 * caller of {@code Setting<T>.get()} check the class of what it got: one more load (the object's
 * class word) per read (see the benchmarks module's {@code ReadPathBenchmark}).
 *
 * <p>Thread-safe. {@link #get()} returns null only when the setting's default is null.
 */
public final class StringSetting extends SettingImpl<SettingImpl.ObjectCell<String>>
    implements Supplier<String> {
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

  /** As {@link Setting#onChange}. */
  public Registration onChange(ValueChangeListener<? super String> listener) {
    return addListener(listener);
  }

  @Override
  void install(ObjectCell<String> next) {
    value = next.value;
  }

  @Override
  ObjectCell<String> newCell(Object value, ConfigOrigin origin) {
    return new ObjectCell<>((String) value, origin);
  }
}
