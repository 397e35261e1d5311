package dev.hotconf;

import dev.hotconf.internal.Converters;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.validate.Validator;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A hot-reloading configuration: sources in precedence order, merged, validated, and published as
 * immutable {@link ConfigSnapshot snapshots}. Read it through accessors created once and read
 * often:
 *
 * <pre>{@code
 * IntSetting poolMax = config.intSetting("db.pool.max", 10);   // once, e.g. in a constructor
 * int max = poolMax.getAsInt();                                 // anywhere, always the live value
 * }</pre>
 *
 * <p>A bad version (parse error, failed validation, a value an accessor cannot convert) is rejected
 * with every problem listed, and the last good snapshot stays live. Listeners hear changes ({@link
 * #onChange}) and failures ({@link #onFailure}); {@link #status()} tells where things stand.
 *
 * <p>Thread-safe. Methods reject null arguments unless documented otherwise. {@link #close()} stops
 * the sources and every thread the config started.
 */
public final class HotConfig implements AutoCloseable {
  private final Pipeline pipeline;

  private HotConfig(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---- reading ----

  /** The live snapshot: a consistent view of every key for one unit of work. */
  public ConfigSnapshot snapshot() {
    return pipeline.current();
  }

  /** The live version (1 for the first snapshot). */
  public long version() {
    return pipeline.current().version();
  }

  /*
   * The accessor factories are one family: TYPESetting(key, default) reads a key with a default for
   * when it is absent; TYPESetting(key) is required (absent now throws; a later version without it
   * is rejected). The type-parameterised ones take the class after the key. The names before this
   * family (string, duration, dataSize, list, optional, bind) remain as deprecated delegates until
   * every branch has moved.
   */

  /** An int setting with a default for when the key is absent. */
  public IntSetting intSetting(String key, int defaultValue) {
    return pipeline.register(new IntSetting(pipeline, key, Accessor.Kind.DEFAULTED, defaultValue));
  }

  /** A required int setting: absent now throws; a later version without it is rejected. */
  public IntSetting intSetting(String key) {
    return pipeline.register(new IntSetting(pipeline, key, Accessor.Kind.REQUIRED, 0));
  }

  /** A long setting with a default. */
  public LongSetting longSetting(String key, long defaultValue) {
    return pipeline.register(new LongSetting(pipeline, key, Accessor.Kind.DEFAULTED, defaultValue));
  }

  /** A required long setting. */
  public LongSetting longSetting(String key) {
    return pipeline.register(new LongSetting(pipeline, key, Accessor.Kind.REQUIRED, 0L));
  }

  /** A double setting (any number) with a default. */
  public DoubleSetting doubleSetting(String key, double defaultValue) {
    return pipeline.register(
        new DoubleSetting(pipeline, key, Accessor.Kind.DEFAULTED, defaultValue));
  }

  /** A required double setting. */
  public DoubleSetting doubleSetting(String key) {
    return pipeline.register(new DoubleSetting(pipeline, key, Accessor.Kind.REQUIRED, 0d));
  }

  /** A boolean setting ({@code true}/{@code false} only) with a default. */
  public BooleanSetting booleanSetting(String key, boolean defaultValue) {
    return pipeline.register(
        new BooleanSetting(pipeline, key, Accessor.Kind.DEFAULTED, defaultValue));
  }

  /** A required boolean setting. */
  public BooleanSetting booleanSetting(String key) {
    return pipeline.register(new BooleanSetting(pipeline, key, Accessor.Kind.REQUIRED, false));
  }

  /** A string setting (a scalar of any type, as written), with a default (may be null). */
  public StringSetting stringSetting(String key, String defaultValue) {
    return pipeline.register(
        new StringSetting(pipeline, key, Accessor.Kind.DEFAULTED, defaultValue));
  }

  /** A required string setting. */
  public StringSetting stringSetting(String key) {
    return pipeline.register(new StringSetting(pipeline, key, Accessor.Kind.REQUIRED, null));
  }

  /**
   * A duration setting: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601
   * {@code PT5S}; with a default (may be null).
   */
  public DurationSetting durationSetting(String key, Duration defaultValue) {
    return pipeline.register(
        new DurationSetting(pipeline, key, Accessor.Kind.DEFAULTED, defaultValue));
  }

  /** A required duration setting. */
  public DurationSetting durationSetting(String key) {
    return pipeline.register(new DurationSetting(pipeline, key, Accessor.Kind.REQUIRED, null));
  }

  /**
   * A byte size setting: {@code 512}, {@code 64KB}, {@code 16MB}, {@code 1GiB} (binary units); with
   * a default (may be null).
   */
  public Setting<DataSize> dataSizeSetting(String key, DataSize defaultValue) {
    return setting(key, DataSize.class, defaultValue);
  }

  /** A required byte size setting. */
  public Setting<DataSize> dataSizeSetting(String key) {
    return setting(key, DataSize.class);
  }

  /**
   * An enum setting: the constant's name, or case-insensitively with {@code -} for {@code _}
   * ({@code safe-mode} is {@code SAFE_MODE}); with a default (may be null).
   */
  public <E extends Enum<E>> Setting<E> enumSetting(String key, Class<E> type, E defaultValue) {
    return setting(key, type, defaultValue);
  }

  /** A required enum setting. */
  public <E extends Enum<E>> Setting<E> enumSetting(String key, Class<E> type) {
    return setting(key, type);
  }

  /**
   * A list setting (a YAML/JSON list, or a comma-separated string) of {@code elementType}; with a
   * default (copied; may be null).
   */
  public <T> Setting<List<T>> listSetting(String key, Class<T> elementType, List<T> defaultValue) {
    return typed(
        key,
        listOf(elementType),
        Accessor.Kind.DEFAULTED,
        defaultValue == null ? null : List.copyOf(defaultValue));
  }

  /** A required list setting. */
  public <T> Setting<List<T>> listSetting(String key, Class<T> elementType) {
    return typed(key, listOf(elementType), Accessor.Kind.REQUIRED, null);
  }

  /** A setting that is {@code Optional.empty()} while the key is absent. */
  public <T> Setting<Optional<T>> optionalSetting(String key, Class<T> type) {
    return typed(key, type, Accessor.Kind.OPTIONAL, null);
  }

  /**
   * A record bound to the object at {@code prefix} (components matched by name, {@code poolMax}
   * also as {@code pool-max} or {@code pool_max}; nested records, lists, maps and {@code Optional}
   * components supported; {@code @DefaultValue}, {@code @Positive}, {@code @Min}, {@code @Max} and
   * {@code Checked} records as in {@link dev.hotconf.bind.Binder}, keys no component reads
   * ignored). Re-bound once per snapshot; {@link Setting#get()} returns the live instance. Every
   * problem of the object is reported at once. Required: a version without {@code prefix} is
   * rejected.
   *
   * @throws IllegalArgumentException if {@code type} is not a record
   */
  public <T extends Record> Setting<T> recordSetting(String prefix, Class<T> type) {
    return typed(prefix, requireRecord(type), Accessor.Kind.REQUIRED, null);
  }

  /**
   * A record bound to the object at {@code prefix}, as {@link #recordSetting(String, Class)}, with
   * a default for when {@code prefix} is absent (may be null).
   */
  public <T extends Record> Setting<T> recordSetting(String prefix, Class<T> type, T defaultValue) {
    return typed(prefix, requireRecord(type), Accessor.Kind.DEFAULTED, defaultValue);
  }

  /** A setting of any supported type (see the README's conversion table), with a default. */
  public <T> Setting<T> setting(String key, Class<T> type, T defaultValue) {
    return typed(key, type, Accessor.Kind.DEFAULTED, defaultValue);
  }

  /** A required setting of any supported type. */
  public <T> Setting<T> setting(String key, Class<T> type) {
    return typed(key, type, Accessor.Kind.REQUIRED, null);
  }

  private static <T> Class<T> requireRecord(Class<T> type) {
    Objects.requireNonNull(type, "type");
    if (!type.isRecord()) {
      throw new IllegalArgumentException(
          type.getName() + " is not a record: recordSetting binds records; use setting(...)");
    }
    return type;
  }

  private <T> Setting<T> typed(String key, Type type, Accessor.Kind kind, Object defaultValue) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    return pipeline.register(
        new Setting<T>(pipeline, key, Converters.forType(type), kind, defaultValue));
  }

  private static Type listOf(Class<?> element) {
    Objects.requireNonNull(element, "elementType");
    return new ParameterizedType() {
      @Override
      public Type[] getActualTypeArguments() {
        return new Type[] {element};
      }

      @Override
      public Type getRawType() {
        return List.class;
      }

      @Override
      public Type getOwnerType() {
        return null;
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof ParameterizedType p
            && p.getRawType() == List.class
            && p.getOwnerType() == null
            && java.util.Arrays.equals(p.getActualTypeArguments(), getActualTypeArguments());
      }

      @Override
      public int hashCode() {
        return List.class.hashCode() * 31 + element.hashCode();
      }

      @Override
      public String getTypeName() {
        return "java.util.List<" + element.getName() + ">";
      }
    };
  }

  // ---- listening ----

  /** Hears every published snapshot with its diff. */
  public Registration onChange(ChangeListener listener) {
    return pipeline.addChangeListener(null, listener);
  }

  /**
   * Hears published snapshots that change a key at or below {@code keyOrPrefix}; the diff is
   * limited to those keys. For typed old/new values, use {@link Accessor#onChange} on an accessor.
   */
  public Registration onChange(String keyOrPrefix, ChangeListener listener) {
    Objects.requireNonNull(keyOrPrefix, "keyOrPrefix");
    return pipeline.addChangeListener(keyOrPrefix, listener);
  }

  /** Hears rejected candidates and source failures. */
  public Registration onFailure(FailureListener listener) {
    return pipeline.addFailureListener(listener);
  }

  /**
   * Evaluates the sources' current content again, soon, on the pipeline thread (this call does not
   * wait). A candidate that was rejected is validated again: call this after a validator's state
   * changed, e.g. after {@link dev.hotconf.validate.ShrinkGuard#allowNext()}. Content equal to the
   * live snapshot is left alone, as always. Thread-safe.
   */
  public void recheck() {
    pipeline.recheck();
  }

  /** Where the configuration stands now. */
  public ConfigStatus status() {
    return pipeline.status();
  }

  /** The redactor used for messages, diffs and status. */
  public Redactor redactor() {
    return pipeline.redactor();
  }

  /** Stops the sources and every thread; accessors keep returning the last values. Idempotent. */
  @Override
  public void close() {
    pipeline.close();
  }

  /**
   * Builds a {@link HotConfig}. Not thread-safe. Inputs are checked when given; {@link #build()}
   * starts the sources and blocks until the first valid snapshot.
   *
   * <table>
   *   <caption>Defaults</caption>
   *   <tr><td>name</td><td>{@code config} (used in thread names and logs)</td></tr>
   *   <tr><td>startTimeout</td><td>30 s</td></tr>
   *   <tr><td>redactor</td><td>{@link Redactor#defaults()}</td></tr>
   *   <tr><td>lastKnownGood</td><td>none</td></tr>
   *   <tr><td>listenerExecutor</td><td>up to 4 daemon threads {@code hotconf-NAME-listener-N}</td></tr>
   *   <tr><td>clock</td><td>{@link Clock#systemUTC()}</td></tr>
   * </table>
   */
  public static final class Builder {
    private final List<ConfigSource> sources = new ArrayList<>();
    private final List<Validator> validators = new ArrayList<>();
    private String name = "config";
    private Duration startTimeout = Duration.ofSeconds(30);
    private Redactor redactor = Redactor.defaults();
    private Path lastKnownGood;
    private Executor listenerExecutor;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Adds a source; later sources override earlier ones. */
    public Builder source(ConfigSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /** Adds validators; all run on every candidate and all their problems are reported. */
    public Builder validate(Validator... validators) {
      for (Validator v : validators) {
        this.validators.add(Objects.requireNonNull(v, "validator"));
      }
      return this;
    }

    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** How long {@link #build()} waits for the first valid snapshot. */
    public Builder startTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "startTimeout must be > 0 but was " + timeout.toMillis() + "ms");
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * What messages, diffs, status and logs hide (default {@link Redactor#defaults()}); sources
     * receive it through {@link dev.hotconf.source.SourceListener#redactor()} for their parse
     * messages. Extend the defaults with {@link Redactor#defaultsPlus(String...)}.
     */
    public Builder redactor(Redactor redactor) {
      this.redactor = Objects.requireNonNull(redactor, "redactor");
      return this;
    }

    /**
     * Writes every published snapshot to {@code file} (atomically, owner-only), and boots from it
     * when the sources fail at start.
     */
    public Builder lastKnownGood(Path file) {
      this.lastKnownGood = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Where listeners run (each listener still gets its events one at a time, in order). */
    public Builder listenerExecutor(Executor executor) {
      this.listenerExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Starts the sources and waits for the first valid snapshot (or boots from the last-known-good
     * file when the sources fail).
     *
     * @throws ConfigStartupException listing every problem when no valid snapshot came in time
     * @throws IllegalStateException when no source was added
     */
    public HotConfig build() {
      if (sources.isEmpty()) {
        throw new IllegalStateException("add at least one source");
      }
      Pipeline pipeline =
          new Pipeline(name, sources, validators, redactor, clock, lastKnownGood, listenerExecutor);
      try {
        pipeline.start();
        pipeline.awaitFirstSnapshot(startTimeout);
      } catch (InterruptedException e) {
        pipeline.close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the first configuration", e);
      } catch (RuntimeException e) {
        pipeline.close();
        throw e;
      }
      return new HotConfig(pipeline);
    }
  }
}
