package dev.hotconf.testing.consul;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Random;

/**
 * Consul's {@code ?wait=} handling: Go duration syntax, default and cap ({@code RPCQueryTimeout}),
 * and jitter ({@code lib.RandomStagger(timeout / 16)}).
 */
final class Waits {

  /** Consul's {@code structs.JitterFraction}. */
  static final int JITTER_FRACTION = 16;

  private Waits() {}

  /**
   * Parses a Go duration ({@code time.ParseDuration}): a sequence of decimal numbers with a unit,
   * e.g. {@code 300ms}, {@code 1.5h}, {@code 2m30s}, optionally signed; {@code 0} needs no unit.
   * Units: ns, us (µs), ms, s, m, h.
   *
   * @throws IllegalArgumentException if the text is not a Go duration
   */
  static Duration parseGoDuration(String text) {
    String s = text;
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration " + text);
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty()
          || number.equals(".")
          || number.indexOf('.') != number.lastIndexOf('.')) {
        throw new IllegalArgumentException("invalid duration " + text);
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long unitNanos = unitNanos(s.substring(unitStart, i), text);
      totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
    }
    if (totalNanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("invalid duration " + text);
    }
    long nanos = totalNanos.longValue();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  private static long unitNanos(String unit, String text) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "\u00b5s":
      case "\u03bcs":
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      case "":
        throw new IllegalArgumentException("missing unit in duration " + text);
      default:
        throw new IllegalArgumentException("unknown unit \"" + unit + "\" in duration " + text);
    }
  }

  /**
   * The time a blocking query may wait: {@code requested} (or {@code defaultWait} when absent, zero
   * or negative), capped at {@code maxWait}, plus a random jitter in {@code [0, timeout/16)} when
   * {@code random} is non-null.
   */
  static Duration effectiveTimeout(
      Duration requested, Duration defaultWait, Duration maxWait, Random random) {
    Duration timeout =
        requested == null || requested.isZero() || requested.isNegative() ? defaultWait : requested;
    if (timeout.compareTo(maxWait) > 0) {
      timeout = maxWait;
    }
    if (random != null) {
      long bound = timeout.toNanos() / JITTER_FRACTION;
      if (bound > 0) {
        long jitter;
        synchronized (random) {
          jitter = (random.nextLong() & Long.MAX_VALUE) % bound;
        }
        timeout = timeout.plusNanos(jitter);
      }
    }
    return timeout;
  }
}
