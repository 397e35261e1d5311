package dev.hotconf.consul.internal;

import java.time.Duration;

/**
 * Renders durations the way users write them ({@code 5m}, {@code 1m30s}, {@code 250ms}) and checks
 * builder arguments against a range. Not API.
 */
public final class Durations {
  private Durations() {}

  /**
   * {@code d} if it lies in [{@code min}, {@code max}]; else {@link IllegalArgumentException}
   * {@code "what: must be between 1ms and 5m but was 6m"} ({@link NullPointerException} naming
   * {@code what} for null).
   */
  public static Duration between(Duration d, String what, Duration min, Duration max) {
    java.util.Objects.requireNonNull(d, what);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          what
              + ": must be between "
              + format(min)
              + " and "
              + format(max)
              + " but was "
              + format(d));
    }
    return d;
  }

  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    StringBuilder sb = new StringBuilder();
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (minutes > 0) {
      sb.append(minutes).append('m');
    }
    if (seconds > 0) {
      sb.append(seconds).append('s');
    }
    if (millis > 0) {
      sb.append(millis).append("ms");
    }
    if (sb.length() == 0) {
      sb.append(d.toNanos()).append("ns");
    }
    return sb.toString();
  }
}
