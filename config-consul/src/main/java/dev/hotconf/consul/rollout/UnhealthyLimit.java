package dev.hotconf.consul.rollout;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many unhealthy instances a stage tolerates before the driver halts and reverts: a count
 * ({@code 0}, the default: the first unhealthy instance halts) or a share of the instances in the
 * stage ({@code 5%}: halt when more than 5 % of them are unhealthy).
 *
 * <p>Immutable and thread-safe.
 */
public final class UnhealthyLimit {
  private static final Pattern TEXT = Pattern.compile("([0-9]{1,9})(%?)");

  private final int amount;
  private final boolean percent;

  private UnhealthyLimit(int amount, boolean percent) {
    this.amount = amount;
    this.percent = percent;
  }

  /** No unhealthy instance tolerated. */
  public static UnhealthyLimit none() {
    return new UnhealthyLimit(0, false);
  }

  /** At most {@code count} unhealthy instances. */
  public static UnhealthyLimit count(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count: must be >= 0 but was " + count);
    }
    return new UnhealthyLimit(count, false);
  }

  /** At most {@code percent} % of the stage's instances (rounded down) unhealthy. */
  public static UnhealthyLimit percent(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent: must be 0 to 100 but was " + percent);
    }
    return new UnhealthyLimit(percent, true);
  }

  /**
   * {@code N} or {@code N%}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static UnhealthyLimit parse(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = TEXT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a count like 0 or 2, or a share like 5%, but was '" + text + "'");
    }
    int n = Integer.parseInt(m.group(1));
    return m.group(2).isEmpty() ? count(n) : percent(n);
  }

  /** The most unhealthy instances tolerated in a stage of {@code instances} instances. */
  public int tolerated(int instances) {
    return percent ? (int) ((long) amount * instances / 100) : amount;
  }

  /** Whether {@code unhealthy} instances of a stage of {@code instances} exceed the limit. */
  public boolean exceeded(int unhealthy, int instances) {
    return unhealthy > tolerated(instances);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnhealthyLimit u && u.amount == amount && u.percent == percent;
  }

  @Override
  public int hashCode() {
    return amount * 2 + (percent ? 1 : 0);
  }

  /** {@code 0}, {@code 2} or {@code 5%}: what {@link #parse} reads. */
  @Override
  public String toString() {
    return amount + (percent ? "%" : "");
  }
}
