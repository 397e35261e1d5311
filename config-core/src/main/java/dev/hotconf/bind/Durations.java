package dev.hotconf.bind;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * hotconf's one duration grammar, used by every {@code Duration} value bound from configuration
 * (accessors, records, the sidecar's own settings) and by the sidecar's HTTP {@code wait}
 * parameter: a decimal number and a unit, {@code ns}, {@code us} (or {@code µs}), {@code ms},
 * {@code s}, {@code m}, {@code h} or {@code d} ({@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h},
 * {@code 1d}, {@code 10us}), white space allowed around and between them; or ISO-8601 ({@code
 * PT1H30M}, {@code P1D}, {@code -PT5S}). A bare number is not a duration (except the integer {@code
 * 0} in a document, which the converter accepts).
 *
 * <p>Stateless and thread-safe.
 */
public final class Durations {
  /** What the grammar accepts, for messages. */
  public static final String EXPECTATION = "a duration like 250ms, 5s, 2m or PT1H";

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with {@link #EXPECTATION} (never the input) when {@code text}
   *     is not a duration or overflows
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    Duration d = parseOrNull(text);
    if (d == null) {
      throw new IllegalArgumentException("expected " + EXPECTATION);
    }
    return d;
  }

  /** The duration, or null when {@code text} is not one (or overflows). */
  static Duration parseOrNull(String text) {
    int n = text.length();
    int i = skipSpaces(text, 0);
    int digitsStart = i;
    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    if (i > digitsStart) {
      int digitsEnd = i;
      i = skipSpaces(text, i);
      int unitStart = i;
      while (i < n && !isSpace(text.charAt(i))) {
        i++;
      }
      String unit = text.substring(unitStart, i);
      if (skipSpaces(text, i) != n) {
        return null;
      }
      try {
        long v = Long.parseLong(text, digitsStart, digitsEnd, 10);
        return switch (unit) {
          case "ns" -> Duration.ofNanos(v);
          case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(v, 1000L));
          case "ms" -> Duration.ofMillis(v);
          case "s" -> Duration.ofSeconds(v);
          case "m" -> Duration.ofMinutes(v);
          case "h" -> Duration.ofHours(v);
          case "d" -> Duration.ofDays(v);
          default -> null;
        };
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P") || t.startsWith("-p")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException | ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The white space {@code \s} matched in the grammar's first version: ASCII only. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }
}
