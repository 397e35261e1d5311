package dev.hotconf.consul.rollout;

import dev.hotconf.consul.internal.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a staged rollout proceeds: the stages (percentages of the selected instances, increasing, the
 * last 100), how long each stage bakes, which instances take part (a {@link LabelSelector}), how
 * many unhealthy instances a stage tolerates, how many of a stage's instances must acknowledge the
 * candidate before it advances, and how long past the bake the driver waits for them. Written into
 * the {@link RolloutRecord} when the rollout starts, so whichever driver takes over follows the
 * same plan.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>stages</td><td>1, 10, 50, 100</td></tr>
 *   <tr><td>bake</td><td>60 s per stage</td></tr>
 *   <tr><td>selector</td><td>every instance</td></tr>
 *   <tr><td>max unhealthy</td><td>0: the first unhealthy instance halts the rollout</td></tr>
 *   <tr><td>min acknowledged</td><td>100 % of the stage's instances</td></tr>
 *   <tr><td>ack timeout</td><td>2 min past the bake</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}.
 */
public final class RolloutPlan {
  /** The stages used unless others are given. */
  public static final List<Double> DEFAULT_STAGES = List.of(1.0, 10.0, 50.0, 100.0);

  public static final Duration DEFAULT_BAKE = Duration.ofSeconds(60);
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofMinutes(2);

  private final List<Double> stages;
  private final Duration bake;
  private final LabelSelector selector;
  private final UnhealthyLimit maxUnhealthy;
  private final double minAcked;
  private final Duration ackTimeout;

  private RolloutPlan(Builder b) {
    this.stages = b.stages;
    this.bake = b.bake;
    this.selector = b.selector;
    this.maxUnhealthy = b.maxUnhealthy;
    this.minAcked = b.minAcked;
    this.ackTimeout = b.ackTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The stages, in percent: increasing, each above 0 with at most two decimals, the last 100. */
  public List<Double> stages() {
    return stages;
  }

  public Duration bake() {
    return bake;
  }

  public LabelSelector selector() {
    return selector;
  }

  public UnhealthyLimit maxUnhealthy() {
    return maxUnhealthy;
  }

  /** The share of a stage's instances, in percent, that must run the candidate to advance. */
  public double minAcked() {
    return minAcked;
  }

  public Duration ackTimeout() {
    return ackTimeout;
  }

  /** How many of {@code instances} in a stage must acknowledge the candidate (rounded up). */
  public int needed(int instances) {
    return (int) Math.ceil(instances * minAcked / 100.0 - 1e-9);
  }

  /** {@code 1,10,50,100}: the stages as written on the command line. */
  public static String format(List<Double> stages) {
    List<String> out = new ArrayList<>();
    stages.forEach(s -> out.add(percent(s)));
    return String.join(",", out);
  }

  /** A duration as written on a command line: {@code 60s}, {@code 2m}, {@code 1m30s}. */
  public static String duration(Duration d) {
    return Durations.format(d);
  }

  /** A percentage without trailing zeros: {@code 1}, {@code 0.5}, {@code 12.25}. */
  public static String percent(double p) {
    return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
  }

  /**
   * Parses {@code 1,10,50,100}.
   *
   * @throws IllegalArgumentException naming the stage at fault
   */
  public static List<Double> parseStages(String text) {
    Objects.requireNonNull(text, "text");
    List<Double> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      if (p.endsWith("%")) {
        p = p.substring(0, p.length() - 1).strip();
      }
      try {
        out.add(Double.parseDouble(p));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "stages: '" + part.strip() + "' is not a percentage (expected e.g. 1,10,50,100)");
      }
    }
    checkStages(out);
    return List.copyOf(out);
  }

  static void checkStages(List<Double> stages) {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("stages: at least one stage (100) is needed");
    }
    if (stages.size() > 100) {
      throw new IllegalArgumentException("stages: at most 100 stages");
    }
    double previous = 0;
    for (Double s : stages) {
      Objects.requireNonNull(s, "stage");
      if (!(s > 0 && s <= 100) || Double.isNaN(s)) {
        throw new IllegalArgumentException(
            "stages: " + s + " is not a percentage above 0 and at most 100");
      }
      if (Math.abs(s * 100 - Math.rint(s * 100)) > 1e-6) {
        throw new IllegalArgumentException(
            "stages: " + s + " has more than two decimals (buckets are 0.01 % wide)");
      }
      if (s <= previous) {
        throw new IllegalArgumentException(
            "stages: must increase, but " + percent(s) + " follows " + percent(previous));
      }
      previous = s;
    }
    if (previous != 100) {
      throw new IllegalArgumentException(
          "stages: the last stage must be 100 (the candidate is promoted after it) but was "
              + percent(previous));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolloutPlan p
        && p.stages.equals(stages)
        && p.bake.equals(bake)
        && p.selector.equals(selector)
        && p.maxUnhealthy.equals(maxUnhealthy)
        && p.minAcked == minAcked
        && p.ackTimeout.equals(ackTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stages, bake, selector, maxUnhealthy, minAcked, ackTimeout);
  }

  /**
   * The plan as {@code rollout status} shows it: {@code stages 1,10,50,100 %, bake 1m, max
   * unhealthy 0, min acknowledged 100 %, ack timeout 2m[, selector zone=eu-1]}.
   */
  public String describe() {
    return "stages "
        + format(stages)
        + " %, bake "
        + Durations.format(bake)
        + ", max unhealthy "
        + maxUnhealthy
        + ", min acknowledged "
        + percent(minAcked)
        + " %, ack timeout "
        + Durations.format(ackTimeout)
        + (selector.selectsEverything() ? "" : ", selector " + selector);
  }

  @Override
  public String toString() {
    return "RolloutPlan[stages="
        + format(stages)
        + ", bake="
        + Durations.format(bake)
        + (selector.selectsEverything() ? "" : ", selector=" + selector)
        + ", maxUnhealthy="
        + maxUnhealthy
        + ", minAcked="
        + percent(minAcked)
        + "%, ackTimeout="
        + Durations.format(ackTimeout)
        + "]";
  }

  /**
   * Builds a {@link RolloutPlan}. Each method checks its argument at once and throws {@link
   * IllegalArgumentException} whose message starts with its name. Not thread-safe.
   */
  public static final class Builder {
    private List<Double> stages = DEFAULT_STAGES;
    private Duration bake = DEFAULT_BAKE;
    private LabelSelector selector = LabelSelector.everything();
    private UnhealthyLimit maxUnhealthy = UnhealthyLimit.none();
    private double minAcked = 100;
    private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;

    private Builder() {}

    /** The stages in percent: increasing, above 0, at most two decimals, the last 100. */
    public Builder stages(List<Double> stages) {
      Objects.requireNonNull(stages, "stages");
      checkStages(stages);
      this.stages = List.copyOf(stages);
      return this;
    }

    /** {@link #stages(List)} from numbers. */
    public Builder stages(double... stages) {
      List<Double> l = new ArrayList<>();
      for (double s : stages) {
        l.add(s);
      }
      return stages(l);
    }

    /** How long each stage runs before the driver judges it: 0 to 24 h. */
    public Builder bake(Duration bake) {
      Objects.requireNonNull(bake, "bake");
      if (bake.isNegative() || bake.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException(
            "bake: must be between 0s and 24h but was " + Durations.format(bake));
      }
      this.bake = bake;
      return this;
    }

    public Builder selector(LabelSelector selector) {
      this.selector = Objects.requireNonNull(selector, "selector");
      return this;
    }

    public Builder maxUnhealthy(UnhealthyLimit limit) {
      this.maxUnhealthy = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** The share of a stage's instances (percent, above 0, at most 100) that must run it. */
    public Builder minAcked(double percent) {
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            "minAcked: must be above 0 and at most 100 but was " + percent);
      }
      this.minAcked = percent;
      return this;
    }

    /** How long past the bake the driver waits for acknowledgements before it halts: 0 to 24 h. */
    public Builder ackTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException(
            "ackTimeout: must be between 0s and 24h but was " + Durations.format(timeout));
      }
      this.ackTimeout = timeout;
      return this;
    }

    public RolloutPlan build() {
      return new RolloutPlan(this);
    }
  }
}
