package dev.hotconf.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Nearest-rank percentiles over latencies in nanoseconds, reported in milliseconds. */
public record Latencies(
    int count, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {

  /** Summarises {@code nanos}; all zero (count 0) when there are none. */
  public static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      return new Latencies(0, 0, 0, 0, 0, 0);
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    double sum = 0;
    for (long v : s) {
      sum += v;
    }
    return new Latencies(
        s.length,
        ms(rank(s, 50)),
        ms(rank(s, 90)),
        ms(rank(s, 99)),
        ms(s[s.length - 1]),
        sum / s.length / 1e6);
  }

  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** A Markdown table row: {@code | n | p50 | p90 | p99 | max | mean |}. */
  public String row() {
    return String.format(
        Locale.ROOT,
        "| %d | %.3f | %.3f | %.3f | %.3f | %.3f |",
        count,
        p50Ms,
        p90Ms,
        p99Ms,
        maxMs,
        meanMs);
  }

  /** {@code n | p50 | p90 | p99 | max | mean} with one decimal (without the outer pipes). */
  public String cells() {
    return String.format(
        Locale.ROOT,
        "%d | %.1f | %.1f | %.1f | %.1f | %.1f",
        count,
        p50Ms,
        p90Ms,
        p99Ms,
        maxMs,
        meanMs);
  }

  public static String header() {
    return "| n | p50 ms | p90 ms | p99 ms | max ms | mean ms |\n|---|---|---|---|---|---|";
  }
}
