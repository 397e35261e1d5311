package dev.hotconf.benchmarks.sidecar;

import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.benchmarks.sidecar.SidecarHarness.WriteMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * File change to HTTP target latency through the real sidecar, in-process: a temp dir with {@code
 * config/app.yaml} ({@code n: <i>}), a {@code sidecar.yaml} with one file source (default debounce
 * 200 ms, rename window 25 ms) and one HTTP target — a JDK {@code HttpServer} on 127.0.0.1:0 — and
 * the server on 127.0.0.1:0. {@code t0 = System.nanoTime()} right after the write (or rename)
 * returns; the latency is the receiver's {@code System.nanoTime()} when the POST carrying {@code n:
 * i} has been read, minus {@code t0}. After each arrival a random pause, then the next change.
 *
 * <p>Arguments ({@code name=value}): {@code changes} (200), {@code mode} ({@code both}, {@code
 * rename}: temp file + atomic rename, {@code inplace}: truncate and rewrite), {@code warmup} (5
 * uncounted changes first), {@code minGapMs} (250), {@code maxGapMs} (400), {@code timeoutMs}
 * (10000) per change, {@code seed} (42), {@code launcher} (none: the sidecar runs in this JVM; a
 * distribution's {@code bin/hotconf}: it runs as that command's child process, with the launcher's
 * JVM options).
 */
public final class SidecarPropagation {

  /** One series: latencies of the changes that arrived, and what else the target saw. */
  public record Result(
      WriteMode mode,
      Latencies latencies,
      int timedOut,
      int versionsDelivered,
      int writes,
      int bodiesWithoutN,
      double seconds) {

    /**
     * Versions the target got beyond one per write (plus the initial one): reads of a half-written
     * file.
     */
    public int extraVersions() {
      return versionsDelivered - writes - 1;
    }
  }

  private SidecarPropagation() {}

  public static void main(String[] args) throws Exception {
    Args.quiet();
    Args a =
        new Args(
            args,
            Set.of(
                "changes",
                "mode",
                "warmup",
                "minGapMs",
                "maxGapMs",
                "timeoutMs",
                "seed",
                "launcher"));
    Path launcher = a.string("launcher", "").isEmpty() ? null : Path.of(a.string("launcher", ""));
    int changes = a.intValue("changes", 200);
    String mode = a.string("mode", "both");
    List<WriteMode> modes =
        "both".equals(mode)
            ? List.of(WriteMode.RENAME, WriteMode.IN_PLACE)
            : List.of(WriteMode.named(mode));
    long minGap = a.longValue("minGapMs", 250);
    long maxGap = a.longValue("maxGapMs", 400);
    int warmup = a.intValue("warmup", 5);
    List<Result> results = new ArrayList<>();
    for (WriteMode m : modes) {
      results.add(
          run(
              changes,
              m,
              warmup,
              minGap,
              maxGap,
              a.longValue("timeoutMs", 10_000),
              a.longValue("seed", 42),
              launcher));
    }
    System.out.printf(
        Locale.ROOT,
        "SidecarPropagation changes=%d (+%d warm-up) gap=%d..%d ms, 1 HTTP target, sidecar %s%n",
        changes,
        warmup,
        minGap,
        maxGap,
        launcher == null ? "in-process" : launcher + " run");
    System.out.println(
        "| write | n | p50 ms | p90 ms | p99 ms | max ms | mean ms | timed out | extra versions |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      String row = r.latencies().row();
      System.out.printf(
          Locale.ROOT,
          "| %s %s %d | %d |%n",
          r.mode() == WriteMode.RENAME ? "temp + atomic rename" : "in-place rewrite",
          row,
          r.timedOut(),
          r.extraVersions());
    }
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%s: %d versions delivered for %d writes, %d bodies without n, %.1f s%n",
          r.mode(),
          r.versionsDelivered(),
          r.writes(),
          r.bodiesWithoutN(),
          r.seconds());
    }
  }

  /** Runs one series with a fresh in-process sidecar. */
  public static Result run(
      int changes,
      WriteMode mode,
      int warmup,
      long minGapMs,
      long maxGapMs,
      long timeoutMs,
      long seed)
      throws Exception {
    return run(changes, mode, warmup, minGapMs, maxGapMs, timeoutMs, seed, null);
  }

  /** Runs one series with a fresh sidecar: in-process, or started by {@code launcher}. */
  public static Result run(
      int changes,
      WriteMode mode,
      int warmup,
      long minGapMs,
      long maxGapMs,
      long timeoutMs,
      long seed,
      Path launcher)
      throws Exception {
    if (changes < 1 || warmup < 0 || minGapMs < 0 || maxGapMs < minGapMs) {
      throw new IllegalArgumentException(
          "need changes >= 1, warmup >= 0 and 0 <= minGapMs <= maxGapMs");
    }
    Random random = new Random(seed);
    long timeout = Duration.ofMillis(timeoutMs).toNanos();
    long start = System.nanoTime();
    try (Receivers receivers = new Receivers(1, 1);
        SidecarHarness h = SidecarHarness.start(receivers, launcher)) {
      if (!receivers.awaitAll(0, timeout)) {
        throw new IllegalStateException("the initial version never reached the target");
      }
      long[] latencies = new long[changes];
      int seen = 0;
      int timedOut = 0;
      int total = warmup + changes;
      for (int i = 1; i <= total; i++) {
        h.write(i, mode);
        long t0 = System.nanoTime();
        if (receivers.awaitAll(i, timeout)) {
          if (i > warmup) {
            latencies[seen++] = receivers.arrival(0, i) - t0;
          }
        } else if (i > warmup) {
          timedOut++;
        }
        Thread.sleep(minGapMs + (long) (random.nextDouble() * (maxGapMs - minGapMs)));
      }
      return new Result(
          mode,
          Latencies.of(Arrays.copyOf(latencies, seen)),
          timedOut,
          receivers.distinctVersions(0),
          total,
          receivers.withoutN(),
          (System.nanoTime() - start) / 1e9);
    }
  }
}
