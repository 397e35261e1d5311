package dev.hotconf;

import dev.hotconf.internal.BindContext;
import dev.hotconf.internal.Converters;
import dev.hotconf.internal.PathSyntax;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every accessor ({@link Setting}, {@link IntSetting}, {@link StringSetting}, ...) shares.
 * Each accessor is a final class extending this one. The pipeline computes the next cell (the value
 * converted for a candidate snapshot, and its origin) before publishing ({@link #compute}; a
 * failure rejects the candidate), then installs it ({@link #commit}). Each accessor keeps the cell
 * (here, for {@code origin()} and change detection) and a copy of its value in a volatile field of
 * its own type, so a read is one volatile load of that field: one dependent load fewer than a
 * holder object behind a volatile reference, which pays for the class check erasure puts after a
 * {@code Setting<T>.get()}.
 */
abstract class SettingImpl<C extends SettingImpl.Cell> {
  final String key;
  private final Object[] path;
  private final Converters.Converter<?> converter;
  private final Kind kind;
  private final Object defaultValue;
  private final Pipeline owner;
  private final CopyOnWriteArrayList<SerialListener<Object[]>> listeners =
      new CopyOnWriteArrayList<>();

  /** The installed cell: the live value and its origin. */
  private volatile C cell;

  /** Copies {@code next}'s value into the subclass's typed field, which reads return. */
  abstract void install(C next);

  enum Kind {
    REQUIRED,
    DEFAULTED,
    OPTIONAL
  }

  abstract static class Cell {
    final ConfigOrigin origin;

    Cell(ConfigOrigin origin) {
      this.origin = origin;
    }

    abstract Object boxed();
  }

  SettingImpl(
      Pipeline owner,
      String key,
      Converters.Converter<?> converter,
      Kind kind,
      Object defaultValue) {
    this.owner = owner;
    this.key = Objects.requireNonNull(key, "key");
    this.path = key.isEmpty() ? new Object[0] : PathSyntax.parse(key);
    this.converter = converter;
    this.kind = kind;
    this.defaultValue = defaultValue;
  }

  /** The cell for {@code snapshot}; throws with the key, origin and a redacted message. */
  final C compute(ConfigSnapshot snapshot) {
    ConfigNode node = snapshot.lookup(path);
    if (node == null) {
      switch (kind) {
        case OPTIONAL:
          return newCell(Optional.empty(), null);
        case DEFAULTED:
          return newCell(defaultValue, null);
        default:
          throw new ConfigValueException(
              key, null, "missing, and a setting requires it (no default)");
      }
    }
    BindContext ctx = new BindContext(snapshot.redactor(), false);
    Object value = converter.convert(node, key, ctx);
    if (value == Converters.FAILED) {
      throw new ConfigValueException(ctx.problems());
    }
    return newCell(kind == Kind.OPTIONAL ? Optional.of(value) : value, node.origin());
  }

  abstract C newCell(Object value, ConfigOrigin origin);

  /** Installs the next cell and, if the value changed and someone listens, queues (old, new). */
  final void commit(C next) {
    C previous = cell;
    cell = next;
    install(next);
    if (previous != null
        && !listeners.isEmpty()
        && !Objects.equals(previous.boxed(), next.boxed())) {
      Object[] change = {previous.boxed(), next.boxed()};
      for (SerialListener<Object[]> l : listeners) {
        l.offer(change);
      }
    }
  }

  @SuppressWarnings("unchecked")
  final Registration addListener(ValueChangeListener<?> listener) {
    Objects.requireNonNull(listener, "listener");
    ValueChangeListener<Object> l = (ValueChangeListener<Object>) listener;
    SerialListener<Object[]>[] holder = new SerialListener[1];
    holder[0] =
        new SerialListener<>(
            listener,
            change -> l.onChange(change[0], change[1]),
            owner.listenerExecutor(),
            () -> {
              listeners.remove(holder[0]);
              if (listeners.isEmpty()) {
                owner.registry().release(this);
              }
            });
    listeners.add(holder[0]);
    owner.registry().retain(this);
    return holder[0];
  }

  /** The key (or, for a bound record, the prefix) this setting reads. */
  public final String key() {
    return key;
  }

  /** Where the live value was written, or null when the default is in use. */
  public final ConfigOrigin origin() {
    return cell.origin;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + key + "]";
  }

  // ---- the cells: one immutable value and its origin per snapshot ----

  static final class ObjectCell<T> extends Cell {
    final T value;

    ObjectCell(T value, ConfigOrigin origin) {
      super(origin);
      this.value = value;
    }

    @Override
    Object boxed() {
      return value;
    }
  }

  static final class IntCell extends Cell {
    final int value;

    IntCell(int value, ConfigOrigin origin) {
      super(origin);
      this.value = value;
    }

    @Override
    Object boxed() {
      return value;
    }
  }

  static final class LongCell extends Cell {
    final long value;

    LongCell(long value, ConfigOrigin origin) {
      super(origin);
      this.value = value;
    }

    @Override
    Object boxed() {
      return value;
    }
  }

  static final class DoubleCell extends Cell {
    final double value;

    DoubleCell(double value, ConfigOrigin origin) {
      super(origin);
      this.value = value;
    }

    @Override
    Object boxed() {
      return value;
    }
  }

  static final class BooleanCell extends Cell {
    final boolean value;

    BooleanCell(boolean value, ConfigOrigin origin) {
      super(origin);
      this.value = value;
    }

    @Override
    Object boxed() {
      return value;
    }
  }
}
