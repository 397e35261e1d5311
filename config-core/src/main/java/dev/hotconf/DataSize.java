package dev.hotconf;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, written in config as {@code 512}, {@code 64KB}, {@code 64MB}, {@code 1GiB}.
 * Units are binary as in most JVM tooling: {@code K}/{@code KB}/{@code KiB} = 1024, {@code
 * M}/{@code MB}/{@code MiB} = 1024², {@code G}, {@code T} likewise; {@code B} or no unit = bytes.
 * Case-insensitive; white space between number and unit is allowed.
 *
 * <p>Immutable value; thread-safe.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
  private static final Pattern SYNTAX =
      Pattern.compile("\\s*(\\d+)\\s*([kmgt]i?b?|b)?\\s*", Pattern.CASE_INSENSITIVE);

  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a data size must be >= 0 but was " + bytes);
    }
  }

  public static DataSize ofBytes(long bytes) {
    return new DataSize(bytes);
  }

  public static DataSize ofKilobytes(long kb) {
    return new DataSize(Math.multiplyExact(kb, 1024L));
  }

  public static DataSize ofMegabytes(long mb) {
    return new DataSize(Math.multiplyExact(mb, 1024L * 1024));
  }

  /**
   * Parses {@code 64MB}-style text.
   *
   * @throws IllegalArgumentException naming the accepted syntax
   */
  public static DataSize parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a data size like 512B, 64KB, 16MB or 1GiB");
    }
    long number = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit.charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          case 't' -> 1L << 40;
          default -> 1L;
        };
    try {
      return new DataSize(Math.multiplyExact(number, factor));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("data size is too large");
    }
  }

  @Override
  public int compareTo(DataSize o) {
    return Long.compare(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return bytes + "B";
  }
}
