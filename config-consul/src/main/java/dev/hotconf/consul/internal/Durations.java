package dev.hotconf.consul.internal;

import java.time.Duration;

/**
 * Renders durations the way users write them: {@code 5m}, {@code 1m30s}, {@code 250ms}. Not API.
 */
public final class Durations {
  private Durations() {}

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
