package dev.hotconf.bind;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigValueException;
import dev.hotconf.Redactor;
import dev.hotconf.internal.BindContext;
import dev.hotconf.internal.Converters;
import dev.hotconf.internal.RecordConverter;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * Binds configuration trees to Java values: records, {@code List}, {@code Map<String, T>}, {@code
 * Optional}, enums, strings, numbers, booleans, {@code Duration} ({@link Durations}), {@code
 * DataSize}, {@code URI}, {@code Path} and {@code java.util.regex.Pattern}, with every problem of
 * the tree collected in one run, each with its dotted key and the origin of the offending value
 * ({@code sidecar.yaml:4:10: server.listen: ...}).
 *
 * <p>This is the conversion code behind every typed read in hotconf: {@code HotConfig}'s accessors
 * and {@code bind}, {@code ConfigSnapshot.get}, the sidecar's own {@code sidecar.yaml}, and each
 * source module's settings. One grammar per type everywhere.
 *
 * <p>Records:
 *
 * <ul>
 *   <li>a component {@code poolMax} reads key {@code poolMax}, {@code pool-max} or {@code
 *       pool_max};
 *   <li>an absent (or null) key takes the component's {@link DefaultValue}, else {@code
 *       Optional.empty()} for an {@code Optional}, else is a problem ({@code missing: required by
 *       Pool.max});
 *   <li>{@link Positive}, {@link Min} and {@link Max} constrain values; a {@link Checked} record
 *       checks itself; {@link Inline} binds a component from the enclosing object;
 *   <li>a relative {@code Path} resolves against the folder of the file its value came from, when
 *       the origin names one ({@link dev.hotconf.ConfigOrigin#ofFile}).
 * </ul>
 *
 * <p>{@link #strict()} also reports keys that name no component ({@code unknown key (expected one
 * of debounce, format, path)}) and a component given under two spellings: for settings, where a
 * typo must not pass silently. {@link #lenient()} ignores them, as {@code HotConfig.recordSetting}
 * does for application records, which may share their object with other readers.
 *
 * <p>Immutable and thread-safe; converters are built once per type and cached. Arguments must not
 * be null, except that {@code key} may be empty (the root).
 */
public final class Binder {
  private static final Binder LENIENT = new Binder(false, Redactor.defaults());
  private static final Binder STRICT = new Binder(true, Redactor.defaults());

  private final boolean rejectUnknownKeys;
  private final Redactor redactor;

  private Binder(boolean rejectUnknownKeys, Redactor redactor) {
    this.rejectUnknownKeys = rejectUnknownKeys;
    this.redactor = redactor;
  }

  /** A binder that ignores keys no component reads (HotConfig's behaviour). */
  public static Binder lenient() {
    return LENIENT;
  }

  /** A binder that reports keys no component reads: for settings. */
  public static Binder strict() {
    return STRICT;
  }

  /** The same binder, redacting values under the secret keys {@code redactor} knows. */
  public Binder withRedactor(Redactor redactor) {
    return new Binder(rejectUnknownKeys, Objects.requireNonNull(redactor, "redactor"));
  }

  public boolean rejectsUnknownKeys() {
    return rejectUnknownKeys;
  }

  public Redactor redactor() {
    return redactor;
  }

  /**
   * Binds {@code node}, the value at {@code key}.
   *
   * @throws ConfigValueException listing every problem found
   * @throws IllegalArgumentException when {@code type} cannot be bound at all (an unsupported type,
   *     a bad {@link DefaultValue}): a programming error, not a configuration one
   */
  public <T> T bind(ConfigNode node, String key, Class<T> type) {
    return tryBind(node, key, type).orThrow();
  }

  /** {@link #bind(ConfigNode, String, Class)} for a generic type, e.g. {@code List<Target>}. */
  public Object bind(ConfigNode node, String key, Type type) {
    return tryBind(node, key, type).orThrow();
  }

  /** Binds, returning the value or every problem, without throwing for bad configuration. */
  public <T> Bound<T> tryBind(ConfigNode node, String key, Class<T> type) {
    Bound<?> b = tryBind(node, key, (Type) type);
    @SuppressWarnings("unchecked")
    Bound<T> typed = (Bound<T>) b;
    return typed;
  }

  /** {@link #tryBind(ConfigNode, String, Class)} for a generic type. */
  public Bound<Object> tryBind(ConfigNode node, String key, Type type) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Converters.Converter<?> converter = Converters.forType(type);
    BindContext ctx = new BindContext(redactor, rejectUnknownKeys);
    Object value = converter.convert(node, key, ctx);
    return new Bound<>(
        node,
        key,
        value == Converters.FAILED ? null : value,
        ctx.problems(),
        redactor,
        converter instanceof RecordConverter r ? r : null);
  }
}
