package dev.hotconf.consul.rollout;

import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.internal.Durations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The immutable settings of a {@link RolloutDriver}. Build with {@link #builder(String)}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>rollout prefix</td><td>{@value RolloutKeys#DEFAULT_PREFIX}</td></tr>
 *   <tr><td>acknowledgement prefix</td><td>{@code hotconf/acks/}</td></tr>
 *   <tr><td>poll interval</td><td>5 s: the longest the driver waits between two looks when no
 *       acknowledgement changes (a change wakes it at once)</td></tr>
 *   <tr><td>lock TTL</td><td>15 s: the lock session's TTL (renewed every third of it); a killed
 *       driver's lock is free again 15 to 30 s later</td></tr>
 *   <tr><td>name</td><td>{@code user@host (pid N)}: who drives, as {@code rollout status} shows it</td></tr>
 *   <tr><td>clock</td><td>the system clock: stage start times and bakes</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe; no method accepts or returns null.
 */
public final class DriverConfig {
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_LOCK_TTL = Duration.ofSeconds(15);

  private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_.-]+/)+");

  private final RolloutKeys keys;
  private final String ackPrefix;
  private final Duration pollInterval;
  private final Duration lockTtl;
  private final String name;
  private final Clock clock;

  private DriverConfig(Builder b) {
    this.keys = new RolloutKeys(b.rolloutPrefix, b.app);
    this.ackPrefix = b.ackPrefix;
    this.pollInterval = b.pollInterval;
    this.lockTtl = b.lockTtl;
    this.name = b.name != null ? b.name : defaultName();
    this.clock = b.clock;
  }

  /** A builder for the rollouts of {@code app}. */
  public static Builder builder(String app) {
    return new Builder(app);
  }

  public String app() {
    return keys.app();
  }

  public RolloutKeys keys() {
    return keys;
  }

  /** Where the acknowledgements live (ending with {@code /}); the app's are below it. */
  public String ackPrefix() {
    return ackPrefix;
  }

  /** {@code <ackPrefix><app>/}. */
  public String appAckPrefix() {
    return ackPrefix + keys.app() + "/";
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  public Duration lockTtl() {
    return lockTtl;
  }

  public String name() {
    return name;
  }

  public Clock clock() {
    return clock;
  }

  /** {@code user@host (pid N)}. */
  static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | SecurityException e) {
      host = "localhost";
    }
    return System.getProperty("user.name", "unknown")
        + "@"
        + host
        + " (pid "
        + ProcessHandle.current().pid()
        + ")";
  }

  @Override
  public String toString() {
    return "DriverConfig[app="
        + keys.app()
        + ", record="
        + keys.record()
        + ", acks="
        + appAckPrefix()
        + ", pollInterval="
        + Durations.format(pollInterval)
        + ", lockTtl="
        + Durations.format(lockTtl)
        + ", name="
        + name
        + "]";
  }

  /**
   * Builds a {@link DriverConfig}. Each method checks its argument at once and throws {@link
   * IllegalArgumentException} whose message starts with its name. Not thread-safe.
   */
  public static final class Builder {
    private final String app;
    private String rolloutPrefix = RolloutKeys.DEFAULT_PREFIX;
    private String ackPrefix = AcknowledgerConfig.DEFAULT_KEY_PREFIX;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration lockTtl = DEFAULT_LOCK_TTL;
    private String name;
    private Clock clock = Clock.systemUTC();

    private Builder(String app) {
      Objects.requireNonNull(app, "app");
      new RolloutKeys(RolloutKeys.DEFAULT_PREFIX, app); // checks the app
      this.app = app;
    }

    /** Where rollouts live (default {@value RolloutKeys#DEFAULT_PREFIX}). */
    public Builder rolloutPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      try {
        this.rolloutPrefix = new RolloutKeys(prefix, app).prefix();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "rolloutPrefix: " + e.getMessage().replaceFirst("^prefix: ", ""));
      }
      return this;
    }

    /** Where acknowledgements live (default {@code hotconf/acks/}). */
    public Builder ackPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      String p = prefix.endsWith("/") ? prefix : prefix + "/";
      if (!PREFIX.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "ackPrefix: must be segments of letters, digits, _ . or - separated by / but was '"
                + prefix
                + "'");
      }
      this.ackPrefix = p;
      return this;
    }

    /** The longest wait between two looks without a change: whole seconds, 1 s to 10 min. */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0
          || interval.compareTo(Duration.ofMinutes(10)) > 0
          || interval.getNano() != 0) {
        throw new IllegalArgumentException(
            "pollInterval: must be whole seconds between 1s and 10m but was "
                + Durations.format(interval));
      }
      this.pollInterval = interval;
      return this;
    }

    /** The lock session's TTL: whole seconds, 10 s to 24 h (Consul's limits). */
    public Builder lockTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofSeconds(10)) < 0
          || ttl.compareTo(Duration.ofHours(24)) > 0
          || ttl.getNano() != 0) {
        throw new IllegalArgumentException(
            "lockTtl: must be whole seconds between 10s and 24h but was " + Durations.format(ttl));
      }
      this.lockTtl = ttl;
      return this;
    }

    /** Who drives, as {@code rollout status} shows it: 1 to 200 characters. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException("name: must be 1 to 200 characters");
      }
      this.name = name;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public DriverConfig build() {
      return new DriverConfig(this);
    }
  }
}
