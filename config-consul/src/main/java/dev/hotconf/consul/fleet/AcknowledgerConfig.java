package dev.hotconf.consul.fleet;

import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.internal.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * The immutable settings of a {@link ConsulAcknowledger}. Create with {@link #builder(String,
 * ConsulConnection)}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>instance</td><td>{@link InstanceIds#defaultId} of {@link
 *       InstanceIds#processDiscriminator()}: the host name plus a stable suffix</td></tr>
 *   <tr><td>key prefix</td><td>{@code hotconf/acks/}: the record is {@code
 *       hotconf/acks/<app>/<instance>}</td></tr>
 *   <tr><td>session TTL</td><td>60 s (Consul removes a dead instance's record 1 to 2 TTLs after
 *       its last renewal)</td></tr>
 *   <tr><td>renew interval</td><td>half the TTL</td></tr>
 *   <tr><td>agent</td><td>{@code hotconf-library}</td></tr>
 *   <tr><td>executor</td><td>one daemon thread {@code hotconf-ack-<app>}</td></tr>
 *   <tr><td>clock</td><td>the system clock (UTC)</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe; no method accepts or returns null (absence is {@link Optional}).
 */
public final class AcknowledgerConfig {

  /** Where records live unless {@link Builder#keyPrefix} says otherwise. */
  public static final String DEFAULT_KEY_PREFIX = "hotconf/acks/";

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  private static final Pattern APP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9_.-]+/)+");

  private final ConsulConnection connection;
  private final String app;
  private final String instance;
  private final String keyPrefix;
  private final Duration ttl;
  private final Duration renewInterval;
  private final String agent;
  private final Clock clock;
  private final ScheduledExecutorService executor;

  private AcknowledgerConfig(Builder b) {
    this.connection = b.connection;
    this.app = b.app;
    this.instance =
        b.instance != null ? b.instance : InstanceIds.defaultId(InstanceIds.processDiscriminator());
    this.keyPrefix = b.keyPrefix;
    this.ttl = b.ttl;
    this.renewInterval = b.renewInterval != null ? b.renewInterval : b.ttl.dividedBy(2);
    this.agent = b.agent;
    this.clock = b.clock;
    this.executor = b.executor;
  }

  /**
   * A builder for application {@code app} (1 to 64 of {@code [A-Za-z0-9_.-]}) writing through
   * {@code connection}.
   */
  public static Builder builder(String app, ConsulConnection connection) {
    return new Builder(app, connection);
  }

  public ConsulConnection connection() {
    return connection;
  }

  public String app() {
    return app;
  }

  public String instance() {
    return instance;
  }

  /** The prefix under which every application's records live, ending with {@code /}. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** {@code <keyPrefix><app>/}: the prefix {@code hotconf fleet status} reads. */
  public String appPrefix() {
    return keyPrefix + app + "/";
  }

  /** {@code <keyPrefix><app>/<instance>}: this instance's record. */
  public String key() {
    return appPrefix() + instance;
  }

  public Duration ttl() {
    return ttl;
  }

  public Duration renewInterval() {
    return renewInterval;
  }

  public String agent() {
    return agent;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * The executor given with {@link Builder#executor}, if any (the acknowledger never shuts it
   * down).
   */
  public Optional<ScheduledExecutorService> executor() {
    return Optional.ofNullable(executor);
  }

  @Override
  public String toString() {
    return "AcknowledgerConfig[key="
        + key()
        + ", ttl="
        + Durations.format(ttl)
        + ", renewInterval="
        + Durations.format(renewInterval)
        + ", agent="
        + agent
        + ", "
        + connection
        + "]";
  }

  /**
   * Builds an {@link AcknowledgerConfig}. Each method checks its argument at once and throws {@link
   * IllegalArgumentException} whose message starts with the method's name. Not thread-safe.
   */
  public static final class Builder {
    private final ConsulConnection connection;
    private final String app;
    private String instance;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration ttl = DEFAULT_TTL;
    private Duration renewInterval;
    private String agent = "hotconf-library";
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService executor;

    private Builder(String app, ConsulConnection connection) {
      Objects.requireNonNull(app, "app");
      this.connection = Objects.requireNonNull(connection, "connection");
      if (!APP.matcher(app).matches()) {
        throw new IllegalArgumentException(
            "app: must be 1 to 64 letters, digits, _ . or - but was '" + app + "'");
      }
      this.app = app;
    }

    /** This instance's ID: 1 to 128 of {@code [A-Za-z0-9_.-]}; unique within the app. */
    public Builder instance(String instance) {
      Objects.requireNonNull(instance, "instance");
      if (!InstanceIds.isValid(instance)) {
        throw new IllegalArgumentException(
            "instance: must be 1 to 128 letters, digits, _ . or - but was '" + instance + "'");
      }
      this.instance = instance;
      return this;
    }

    /** Where records live (default {@code hotconf/acks/}); a {@code /} is appended if missing. */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      String p = prefix.endsWith("/") ? prefix : prefix + "/";
      if (!PREFIX.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "keyPrefix: must be segments of letters, digits, _ . or - separated by / but was '"
                + prefix
                + "'");
      }
      this.keyPrefix = p;
      return this;
    }

    /**
     * The session TTL: 10 s to 24 h, whole seconds. A dead instance's record disappears between one
     * and two TTLs after its last renewal (Consul treats the TTL as a lower bound).
     */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofSeconds(10)) < 0
          || ttl.compareTo(Duration.ofHours(24)) > 0
          || ttl.getNano() != 0) {
        throw new IllegalArgumentException(
            "ttl: must be whole seconds between 10s and 24h but was " + Durations.format(ttl));
      }
      if (renewInterval != null && renewInterval.compareTo(ttl) >= 0) {
        throw new IllegalArgumentException(
            "ttl: must be longer than the renew interval " + Durations.format(renewInterval));
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * How often the session is renewed (default: half the TTL); 10 ms up to, not including, the
     * TTL. Failed writes are retried with a backoff capped at this interval.
     */
    public Builder renewInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(ttl) >= 0) {
        throw new IllegalArgumentException(
            "renewInterval: must be at least 10ms and shorter than the TTL "
                + Durations.format(ttl)
                + " but was "
                + Durations.format(interval));
      }
      this.renewInterval = interval;
      return this;
    }

    /** What the records say wrote them (default {@code hotconf-library}); at most 64 characters. */
    public Builder agent(String agent) {
      Objects.requireNonNull(agent, "agent");
      if (agent.isBlank() || agent.length() > 64) {
        throw new IllegalArgumentException("agent: must be 1 to 64 characters");
      }
      this.agent = agent;
      return this;
    }

    /** The clock for record times (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs the acknowledger's work on {@code executor} instead of a thread of its own (for
     * processes that host many instances). Any pool size works: each acknowledger runs its own
     * tasks one at a time. The acknowledger never shuts it down.
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public AcknowledgerConfig build() {
      return new AcknowledgerConfig(this);
    }
  }
}
