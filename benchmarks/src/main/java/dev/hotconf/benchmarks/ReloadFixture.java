package dev.hotconf.benchmarks;

import dev.hotconf.ConfigChange;
import dev.hotconf.DurationSetting;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.Registration;
import dev.hotconf.Setting;
import dev.hotconf.StringSetting;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import dev.hotconf.validate.Rules;
import dev.hotconf.validate.Validator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * A {@link HotConfig} set up as a real service would use it: one in-memory YAML source ({@link
 * MemorySource}, the public source that accepts pushed text), six validation rules, five accessors
 * (int, String, Duration, a bound record, a list of strings), a change listener on the whole config
 * and a value listener on the bound record.
 *
 * <p>{@link #reload()} pushes the next document text and returns once the change listener has heard
 * the new version: parse (on the calling thread, inside {@link MemorySource#update}), merge,
 * validate (rules + converting every accessor), diff and publish (accessors switched, listeners
 * notified on their executor). Only one thread may call it.
 */
public final class ReloadFixture implements AutoCloseable {
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** The record bound to {@code db.pool}. */
  public record Pool(int min, int max, Duration idleTimeout) {}

  private final MemorySource source;
  private final HotConfig config;
  private final IntFunction<String> documents;
  private final IntSetting port;
  private final StringSetting url;
  private final DurationSetting readTimeout;
  private final Setting<Pool> pool;
  private final Setting<List<String>> origins;
  private final Registration changeListener;
  private final Registration poolListener;
  private final AtomicLong poolChanges = new AtomicLong();
  private volatile long heard;
  private volatile Thread waiter;
  private int next = 1;

  /**
   * A config over {@code documents.apply(0)}; each {@link #reload()} pushes {@code
   * documents.apply(1)}, {@code documents.apply(2)}, ... (every document must differ from the one
   * before it, or no version is published).
   */
  public ReloadFixture(String name, IntFunction<String> documents) {
    this.documents = documents;
    this.source = Sources.text(name + ".yaml", ConfigFormat.YAML, documents.apply(0));
    this.config = HotConfig.builder().name(name).source(source).validate(rules()).build();
    this.port = config.intSetting("server.port", 80);
    this.url = config.stringSetting("db.url");
    this.readTimeout = config.durationSetting("server.read-timeout", Duration.ofSeconds(10));
    this.pool = config.recordSetting("db.pool", Pool.class);
    this.origins = config.listSetting("features.allowed-origins", String.class, List.of());
    this.changeListener = config.onChange(this::heard);
    this.poolListener = pool.onChange((before, after) -> poolChanges.incrementAndGet());
    this.heard = config.version();
  }

  /** Alternates between {@link Documents#service} variants 0 and 1 of {@code keys} leaves. */
  public static ReloadFixture alternating(String name, int keys) {
    String[] texts = {Documents.service(keys, 0), Documents.service(keys, 1)};
    return new ReloadFixture(name, i -> texts[i & 1]);
  }

  /**
   * The rules a service would check: required keys, ranges, a type, a pattern and a cross-key
   * check.
   */
  public static Validator[] rules() {
    return new Validator[] {
      Rules.required("server.port", "db.url", "db.pool.max"),
      Rules.range("server.port", 1, 65_535),
      Rules.range("db.pool.max", 1, 1_000),
      Rules.type("server.read-timeout", Duration.class),
      Rules.pattern("db.url", "jdbc:[a-z]+://.+"),
      Rules.check(
          "db.pool.max",
          "must be >= db.pool.min",
          c -> c.getInt("db.pool.max") >= c.getInt("db.pool.min")),
    };
  }

  private void heard(ConfigChange change) {
    heard = change.current().version();
    Thread t = waiter;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * Pushes the next document and waits until the change listener has heard the version it
   * published; returns that version.
   *
   * @throws IllegalStateException when the version is not heard within 30 s (e.g. it was rejected)
   */
  public long reload() {
    long expected = config.version() + 1;
    waiter = Thread.currentThread();
    source.update(ConfigFormat.YAML, documents.apply(next++));
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    while (heard < expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "version " + expected + " not heard within 30 s: " + config.status());
      }
      LockSupport.parkNanos(this, 1_000_000);
    }
    return expected;
  }

  public HotConfig config() {
    return config;
  }

  /** How many times the bound record's value listener was called. */
  public long poolChanges() {
    return poolChanges.get();
  }

  /** Reads every accessor (so none is optimised away) and folds the values into one number. */
  public long readAll() {
    return port.getAsInt()
        + url.get().length()
        + readTimeout.get().toMillis()
        + pool.get().max()
        + origins.get().size();
  }

  @Override
  public void close() {
    changeListener.close();
    poolListener.close();
    config.close();
  }
}
