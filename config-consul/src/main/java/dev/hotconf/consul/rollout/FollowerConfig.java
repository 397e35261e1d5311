package dev.hotconf.consul.rollout;

import dev.hotconf.consul.fleet.AckRollout;
import dev.hotconf.consul.internal.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The immutable settings of a {@link RolloutFollower}. Build with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>labels</td><td>none (a selector like {@code zone=eu} then never selects it)</td></tr>
 *   <tr><td>health probe</td><td>none: unhealthy only when it rejects the candidate</td></tr>
 *   <tr><td>health interval</td><td>5 s between probes while the candidate is live</td></tr>
 *   <tr><td>health failures</td><td>1 failed probe makes the instance unhealthy</td></tr>
 *   <tr><td>key prefix</td><td>{@value RolloutKeys#DEFAULT_PREFIX}</td></tr>
 *   <tr><td>executor</td><td>one daemon thread {@code hotconf-rollout-<app>}, only with a probe</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe; no method accepts or returns null.
 */
public final class FollowerConfig {
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);

  private final Map<String, String> labels;
  private final HealthProbe probe;
  private final Duration healthInterval;
  private final int healthFailures;
  private final String keyPrefix;
  private final ScheduledExecutorService executor;

  private FollowerConfig(Builder b) {
    this.labels = b.labels;
    this.probe = b.probe;
    this.healthInterval = b.healthInterval;
    this.healthFailures = b.healthFailures;
    this.keyPrefix = b.keyPrefix;
    this.executor = b.executor;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This instance's labels, sorted. */
  public Map<String, String> labels() {
    return labels;
  }

  public Optional<HealthProbe> healthProbe() {
    return Optional.ofNullable(probe);
  }

  public Duration healthInterval() {
    return healthInterval;
  }

  /** How many probes in a row must fail to make the instance unhealthy. */
  public int healthFailures() {
    return healthFailures;
  }

  /** Where rollouts live, ending with {@code /}. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** The executor given with {@link Builder#executor} (never shut down by the follower). */
  public Optional<ScheduledExecutorService> executor() {
    return Optional.ofNullable(executor);
  }

  @Override
  public String toString() {
    return "FollowerConfig[labels="
        + labels.keySet()
        + ", probe="
        + (probe == null ? "none" : probe)
        + ", healthInterval="
        + Durations.format(healthInterval)
        + ", healthFailures="
        + healthFailures
        + ", keyPrefix="
        + keyPrefix
        + "]";
  }

  /**
   * Builds a {@link FollowerConfig}. Each method checks its argument at once and throws {@link
   * IllegalArgumentException} whose message starts with its name. Not thread-safe.
   */
  public static final class Builder {
    private Map<String, String> labels = Map.of();
    private HealthProbe probe;
    private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
    private int healthFailures = 1;
    private String keyPrefix = RolloutKeys.DEFAULT_PREFIX;
    private ScheduledExecutorService executor;

    private Builder() {}

    /**
     * This instance's labels, for rollout selectors: at most 32, keys and values as in Kubernetes.
     */
    public Builder labels(Map<String, String> labels) {
      this.labels = AckRollout.checkLabels(labels);
      return this;
    }

    /** Asked while the candidate is live; a failure makes the instance unhealthy. */
    public Builder healthProbe(HealthProbe probe) {
      this.probe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /** Time between two probes while the candidate is live: 10 ms to 1 h. */
    public Builder healthInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0
          || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "healthInterval: must be between 10ms and 1h but was " + Durations.format(interval));
      }
      this.healthInterval = interval;
      return this;
    }

    /** How many failed probes in a row make the instance unhealthy: 1 to 100. */
    public Builder healthFailures(int failures) {
      if (failures < 1 || failures > 100) {
        throw new IllegalArgumentException("healthFailures: must be 1 to 100 but was " + failures);
      }
      this.healthFailures = failures;
      return this;
    }

    /** Where rollouts live (default {@value RolloutKeys#DEFAULT_PREFIX}). */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      try {
        this.keyPrefix = new RolloutKeys(prefix, "app").prefix();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "keyPrefix: " + e.getMessage().replaceFirst("^prefix: ", ""));
      }
      return this;
    }

    /** Runs the probes on {@code executor} (for processes hosting many instances). */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public FollowerConfig build() {
      return new FollowerConfig(this);
    }
  }
}
