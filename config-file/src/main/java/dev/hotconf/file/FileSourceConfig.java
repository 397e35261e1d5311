package dev.hotconf.file;

import dev.hotconf.ConfigObject;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import dev.hotconf.source.SourceContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link FileSource} waits, re-reads and parses. Immutable and thread-safe; build one with
 * {@link #builder()} or take {@link #defaults()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code debounce}</td><td>200 ms</td><td>trailing-edge quiet period: after the last
 *       event in the watched folder, wait this long without events before re-reading</td></tr>
 *   <tr><td>{@code maxWait}</td><td>2 s</td><td>re-read at the latest this long after the first
 *       event of a burst, even if events keep coming (a file rewritten continuously still
 *       publishes)</td></tr>
 *   <tr><td>{@code renameWindow}</td><td>25 ms</td><td>coalescing window of the fast path: a
 *       replacement that arrived by a rename (rename-over save, Kubernetes {@code ..data} swap) is
 *       read after this much quiet instead of the full debounce. The fast path is off when it is
 *       not shorter than {@code debounce}</td></tr>
 *   <tr><td>{@code rescanInterval}</td><td>30 s</td><td>safety rescan that compares size, mtime
 *       and content hash even without events (NFS, missed events); {@link Duration#ZERO} turns it
 *       off</td></tr>
 *   <tr><td>{@code format}</td><td>by file extension</td><td>forces a {@link ConfigFormat}</td></tr>
 *   <tr><td>{@code parseLimits}</td><td>{@link ParseLimits#defaults()}</td><td>limits applied when
 *       parsing (and the largest file that is read at all)</td></tr>
 * </table>
 */
public final class FileSourceConfig {
  private static final FileSourceConfig DEFAULTS = builder().build();

  private final Duration debounce;
  private final Duration maxWait;
  private final Duration renameWindow;
  private final Duration rescanInterval;
  private final ConfigFormat format;
  private final ParseLimits parseLimits;

  private FileSourceConfig(Builder b) {
    this.debounce = b.debounce;
    this.maxWait = b.maxWait;
    this.renameWindow = b.renameWindow;
    this.rescanInterval = b.rescanInterval;
    this.format = b.format;
    this.parseLimits = b.parseLimits;
  }

  /** The defaults (see the class comment). */
  public static FileSourceConfig defaults() {
    return DEFAULTS;
  }

  /**
   * A configuration read from settings, e.g. a {@code type: file} entry of {@code sidecar.yaml}:
   * {@code debounce}, {@code max-wait}, {@code rename-window}, {@code rescan-interval} (durations,
   * {@code 250ms}, {@code 2s}) and {@code format} ({@code yaml}, {@code yml}, {@code json}, {@code
   * properties}); {@code type} and {@code path} belong to the entry ({@link FileSourceProvider})
   * and are accepted. Any other key is a problem, and so is every value the {@link Builder}
   * rejects, at that value's line:col.
   *
   * @param key where {@code settings} is (e.g. {@code sources[0]}), for the problems' keys
   * @throws dev.hotconf.ConfigException listing every problem
   */
  public static FileSourceConfig from(ConfigObject settings, String key) {
    return FileSourceSettings.read(settings, SourceContext.of(key), false, (path, c) -> c);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.debounce = debounce;
    b.maxWait = maxWait;
    b.renameWindow = renameWindow;
    b.rescanInterval = rescanInterval;
    b.format = format;
    b.parseLimits = parseLimits;
    return b;
  }

  public Duration debounce() {
    return debounce;
  }

  public Duration maxWait() {
    return maxWait;
  }

  public Duration renameWindow() {
    return renameWindow;
  }

  /**
   * Whether renames may go live after {@link #renameWindow()} (it is shorter than the debounce).
   */
  public boolean fastRenamePath() {
    return renameWindow.compareTo(debounce) < 0;
  }

  /** The safety rescan interval; {@link Duration#ZERO} when turned off. */
  public Duration rescanInterval() {
    return rescanInterval;
  }

  /** The forced format, or empty to choose by file extension. */
  public Optional<ConfigFormat> format() {
    return Optional.ofNullable(format);
  }

  public ParseLimits parseLimits() {
    return parseLimits;
  }

  @Override
  public String toString() {
    return "FileSourceConfig{debounce="
        + debounce.toMillis()
        + "ms, maxWait="
        + maxWait.toMillis()
        + "ms, renameWindow="
        + renameWindow.toMillis()
        + "ms, rescanInterval="
        + (rescanInterval.isZero() ? "off" : rescanInterval.toMillis() + "ms")
        + ", format="
        + (format == null ? "by extension" : format)
        + ", "
        + parseLimits
        + "}";
  }

  /**
   * Builder for {@link FileSourceConfig}. Not thread-safe. Every setter checks its input when
   * called and rejects null; {@link #build()} checks the settings against each other.
   */
  public static final class Builder {
    private Duration debounce = Duration.ofMillis(200);
    private Duration maxWait = Duration.ofSeconds(2);
    private Duration renameWindow = Duration.ofMillis(25);
    private Duration rescanInterval = Duration.ofSeconds(30);
    private ConfigFormat format;
    private ParseLimits parseLimits = ParseLimits.defaults();

    private Builder() {}

    /** Quiet period after the last event before re-reading; {@code >= 0}. */
    public Builder debounce(Duration debounce) {
      this.debounce = atLeastZero("debounce", debounce);
      return this;
    }

    /**
     * Longest wait from the first event of a burst to a re-read; {@code > 0}, {@code >= debounce}.
     */
    public Builder maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxWait.isNegative() || maxWait.isZero()) {
        throw new IllegalArgumentException(
            "maxWait must be > 0 but was " + maxWait.toMillis() + "ms");
      }
      this.maxWait = maxWait;
      return this;
    }

    /**
     * Coalescing window of the fast rename path; {@code >= 0}. A value not shorter than the
     * debounce turns the fast path off.
     */
    public Builder renameWindow(Duration renameWindow) {
      this.renameWindow = atLeastZero("renameWindow", renameWindow);
      return this;
    }

    /** Safety rescan interval; {@link Duration#ZERO} turns it off, otherwise {@code >= 10ms}. */
    public Builder rescanInterval(Duration rescanInterval) {
      atLeastZero("rescanInterval", rescanInterval);
      if (!rescanInterval.isZero() && rescanInterval.toMillis() < 10) {
        throw new IllegalArgumentException(
            "rescanInterval must be 0 (off) or >= 10ms but was "
                + rescanInterval.toNanos() / 1_000_000.0
                + "ms");
      }
      this.rescanInterval = rescanInterval;
      return this;
    }

    /** Forces a format instead of choosing by file extension. */
    public Builder format(ConfigFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public Builder parseLimits(ParseLimits parseLimits) {
      this.parseLimits = Objects.requireNonNull(parseLimits, "parseLimits");
      return this;
    }

    /**
     * @throws IllegalArgumentException if {@code maxWait} is shorter than {@code debounce}
     */
    public FileSourceConfig build() {
      if (maxWait.compareTo(debounce) < 0) {
        throw new IllegalArgumentException(
            "maxWait must be >= debounce ("
                + debounce.toMillis()
                + "ms) but was "
                + maxWait.toMillis()
                + "ms");
      }
      return new FileSourceConfig(this);
    }

    private static Duration atLeastZero(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(
            name + " must be >= 0 but was " + value.toMillis() + "ms");
      }
      return value;
    }
  }
}
