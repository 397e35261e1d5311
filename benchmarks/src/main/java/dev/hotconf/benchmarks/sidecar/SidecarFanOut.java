package dev.hotconf.benchmarks.sidecar;

import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.benchmarks.sidecar.SidecarHarness.WriteMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Fan-out of one file change to many HTTP targets through the real sidecar, in-process. Same setup
 * as {@link SidecarPropagation} but with {@code targets} HTTP targets, each its own URL {@code
 * /t/<i>}, spread over {@code servers} JDK {@code HttpServer}s on 127.0.0.1 (default: one server,
 * i.e. one port, per target, as with 100 separate applications). The sidecar pushes to each target
 * from its own worker thread over one shared JDK {@code HttpClient}. Changes are written by temp
 * file + atomic rename unless {@code mode=inplace}.
 *
 * <p>Per change: time from the write to the LAST target having it, to the FIRST, and to every
 * target (targets x changes samples).
 *
 * <p>Arguments ({@code name=value}): {@code targets} (100), {@code servers} (= targets), {@code
 * changes} (50), {@code mode} (rename), {@code warmup} (5), {@code minGapMs} (250), {@code
 * maxGapMs} (400), {@code timeoutMs} (20000), {@code seed} (42), {@code launcher} (none: in this
 * JVM; a distribution's {@code bin/hotconf}: its child process, with the launcher's JVM options).
 */
public final class SidecarFanOut {

  /** The outcome over the changes that reached every target in time. */
  public record Result(
      int targets,
      int servers,
      WriteMode mode,
      Latencies last,
      Latencies first,
      Latencies perTarget,
      Latencies spread,
      int timedOut,
      int minVersions,
      int maxVersions,
      int writes,
      double seconds) {}

  private SidecarFanOut() {}

  public static void main(String[] args) throws Exception {
    Args.quiet();
    Args a =
        new Args(
            args,
            Set.of(
                "targets",
                "servers",
                "changes",
                "mode",
                "warmup",
                "minGapMs",
                "maxGapMs",
                "timeoutMs",
                "seed",
                "launcher"));
    Path launcher = a.string("launcher", "").isEmpty() ? null : Path.of(a.string("launcher", ""));
    int targets = a.intValue("targets", 100);
    int servers = a.intValue("servers", targets);
    int changes = a.intValue("changes", 50);
    int warmup = a.intValue("warmup", 5);
    long minGap = a.longValue("minGapMs", 250);
    long maxGap = a.longValue("maxGapMs", 400);
    Result r =
        run(
            targets,
            servers,
            changes,
            WriteMode.named(a.string("mode", "rename")),
            warmup,
            minGap,
            maxGap,
            a.longValue("timeoutMs", 20_000),
            a.longValue("seed", 42),
            launcher);
    System.out.printf(
        Locale.ROOT,
        "SidecarFanOut targets=%d on %d receiver server(s), changes=%d (+%d warm-up),"
            + " write=%s, gap=%d..%d ms, sidecar %s%n",
        targets,
        servers,
        changes,
        warmup,
        r.mode(),
        minGap,
        maxGap,
        launcher == null ? "in-process" : launcher + " run");
    System.out.println("| write -> | n | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    System.out.println("| first target " + r.first().row());
    System.out.println("| last target " + r.last().row());
    System.out.println("| each target " + r.perTarget().row());
    System.out.println("| last - first " + r.spread().row());
    System.out.printf(
        Locale.ROOT,
        "timed out: %d; versions per target: %d..%d for %d writes + initial; %.1f s%n",
        r.timedOut(),
        r.minVersions(),
        r.maxVersions(),
        r.writes(),
        r.seconds());
  }

  /** As below, with the sidecar in this JVM. */
  public static Result run(
      int targets,
      int servers,
      int changes,
      WriteMode mode,
      int warmup,
      long minGapMs,
      long maxGapMs,
      long timeoutMs,
      long seed)
      throws Exception {
    return run(targets, servers, changes, mode, warmup, minGapMs, maxGapMs, timeoutMs, seed, null);
  }

  /** One run; the sidecar in this JVM, or started by {@code launcher}. */
  public static Result run(
      int targets,
      int servers,
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
    try (Receivers receivers = new Receivers(targets, servers);
        SidecarHarness h = SidecarHarness.start(receivers, launcher)) {
      if (!receivers.awaitAll(0, timeout)) {
        throw new IllegalStateException("the initial version never reached every target");
      }
      long[] last = new long[changes];
      long[] first = new long[changes];
      long[] spread = new long[changes];
      long[] each = new long[changes * targets];
      int seen = 0;
      int timedOut = 0;
      int total = warmup + changes;
      for (int i = 1; i <= total; i++) {
        h.write(i, mode);
        long t0 = System.nanoTime();
        boolean all = receivers.awaitAll(i, timeout);
        if (i > warmup) {
          if (all) {
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (int t = 0; t < targets; t++) {
              long d = receivers.arrival(t, i) - t0;
              each[seen * targets + t] = d;
              lo = Math.min(lo, d);
              hi = Math.max(hi, d);
            }
            first[seen] = lo;
            last[seen] = hi;
            spread[seen] = hi - lo;
            seen++;
          } else {
            timedOut++;
          }
        }
        Thread.sleep(minGapMs + (long) (random.nextDouble() * (maxGapMs - minGapMs)));
      }
      int minV = Integer.MAX_VALUE;
      int maxV = 0;
      for (int t = 0; t < targets; t++) {
        minV = Math.min(minV, receivers.distinctVersions(t));
        maxV = Math.max(maxV, receivers.distinctVersions(t));
      }
      return new Result(
          targets,
          servers,
          mode,
          Latencies.of(Arrays.copyOf(last, seen)),
          Latencies.of(Arrays.copyOf(first, seen)),
          Latencies.of(Arrays.copyOf(each, seen * targets)),
          Latencies.of(Arrays.copyOf(spread, seen)),
          timedOut,
          minV,
          maxV,
          total,
          (System.nanoTime() - start) / 1e9);
    }
  }
}
