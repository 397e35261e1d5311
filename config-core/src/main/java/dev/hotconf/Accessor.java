package dev.hotconf;

import dev.hotconf.internal.BindContext;
import dev.hotconf.internal.Converters;
import dev.hotconf.internal.PathSyntax;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Any accessor: the common type of {@link IntSetting}, {@link LongSetting}, {@link DoubleSetting},
 * {@link BooleanSetting}, {@link StringSetting}, {@link DurationSetting} and {@link Setting}, for
 * code that handles settings of any type off the hot path: report where each value came from
 * ({@link #key()}, {@link #origin()}), or listen to changes ({@link #onChange}).
 *
 * <pre>{@code
 * static void describe(List<Accessor<?>> settings) {
 *   for (Accessor<?> s : settings) {
 *     System.out.println(s.key() + " from " + (s.origin() == null ? "its default" : s.origin()));
 *   }
 * }
 * }</pre>
 *
 * <p>Read values through the concrete types ({@code IntSetting.getAsInt()}, {@code
 * StringSetting.get()}, ...): each is a final class whose read is a final method loading a volatile
 * field of the exact type, so a caller holding the concrete type pays no receiver check and no
 * cast. This supertype adds no method to that path: it is sealed (only the seven accessors extend
 * it), and its own methods are for listeners and diagnostics.
 *
 * <p>How values get here: the pipeline computes the next {@link Cell} (the value converted for a
 * candidate snapshot, and its origin) before publishing ({@link #compute}; a failure rejects the
 * candidate), then installs it ({@link #commit}), which copies the value into the subclass's typed
 * field.
 *
 * <p>Thread-safe. {@link #key()} is never null; {@link #origin()} is null while the default is in
 * use. Methods reject null arguments.
 *
 * @param <T> the value type, boxed for the primitive accessors ({@code Integer} for {@link
 *     IntSetting})
 */
public abstract sealed class Accessor<T>
    permits IntSetting,
        LongSetting,
        DoubleSetting,
        BooleanSetting,
        StringSetting,
        DurationSetting,
        Setting {
  final String key;
  private final Object[] path;
  private final Converters.Converter<?> converter;
  private final Kind kind;
  private final Object defaultValue;
  private final Pipeline owner;
  private final CopyOnWriteArrayList<SerialListener<Object[]>> listeners =
      new CopyOnWriteArrayList<>();

  /** The installed cell: the live value and its origin. */
  private volatile Cell cell;

  /** Copies {@code next}'s value (a cell made by {@link #newCell}) into the typed field. */
  abstract void install(Cell next);

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

  Accessor(
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
  final Cell compute(ConfigSnapshot snapshot) {
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

  abstract Cell newCell(Object value, ConfigOrigin origin);

  /** Installs the next cell and, if the value changed and someone listens, queues (old, new). */
  final void commit(Cell next) {
    Cell previous = cell;
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

  /**
   * Calls {@code listener} with (old, new) each time a published snapshot changes this setting's
   * value (compared with {@code equals}; the primitive accessors box only when a change is
   * delivered). Delivered in version order, never concurrently, off the publishing thread. While a
   * listener is registered the config keeps this setting alive; {@link Registration#close()}
   * removes it.
   */
  @SuppressWarnings("unchecked")
  public final Registration onChange(ValueChangeListener<? super T> listener) {
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
