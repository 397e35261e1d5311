package dev.hotconf.benchmarks.consul;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.testing.consul.ConsulTestServer;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end propagation latency of one Consul change: {@code t0 = System.nanoTime()} right before
 * {@code server.put(key, "n: i")}, then park-poll (10 µs parks) on {@code setting.getAsInt() == i}.
 * One {@link ConsulTestServer} on 127.0.0.1, one {@link HotConfig} with one {@link ConsulSource}
 * (key shape, YAML document, default wait), one {@link IntSetting}.
 *
 * <p>Arguments ({@code name=value}): {@code changes} (200), {@code minGapMs} (20), {@code maxGapMs}
 * (100) — the random pause after a change is seen, before the next put; {@code refillMs} (10; 0
 * means the source's default rate limit, burst 3 + one read per second); {@code burst} (2); {@code
 * timeoutMs} (60000) per change; {@code seed} (42).
 */
public final class ConsulPropagation {
  static final String KEY = "config/app/data";

  /** The outcome: latencies of the changes that were seen, and how many were not seen in time. */
  public record Result(
      Latencies latencies,
      int timedOut,
      int parkedAtPut,
      int changes,
      long requests,
      double seconds,
      long[] eachNanos) {}

  private ConsulPropagation() {}

  public static void main(String[] args) throws Exception {
    Logging.quiet();
    Args a =
        new Args(
            args,
            Set.of("changes", "minGapMs", "maxGapMs", "refillMs", "burst", "timeoutMs", "seed"));
    int changes = a.intValue("changes", 200);
    long minGap = a.longValue("minGapMs", 20);
    long maxGap = a.longValue("maxGapMs", 100);
    long refillMs = a.longValue("refillMs", 10);
    int burst = a.intValue("burst", 2);
    Result r =
        run(
            changes,
            minGap,
            maxGap,
            refillMs,
            burst,
            a.longValue("timeoutMs", 60_000),
            a.longValue("seed", 42));
    System.out.printf(
        Locale.ROOT,
        "ConsulPropagation changes=%d gap=%d..%d ms rateLimit=%s%n",
        changes,
        minGap,
        maxGap,
        refillMs == 0
            ? "default (burst 3, 1 per 1 s)"
            : "burst " + burst + ", 1 per " + refillMs + " ms");
    System.out.println(Latencies.header());
    System.out.println(r.latencies().row());
    System.out.printf(
        Locale.ROOT,
        "timed out: %d, client parked in a blocking query at put: %d/%d, "
            + "requests: %d, wall time: %.1f s%n",
        r.timedOut(),
        r.parkedAtPut(),
        r.changes(),
        r.requests(),
        r.seconds());
    if (r.eachNanos().length <= 20) {
      StringBuilder sb = new StringBuilder("each change, ms:");
      for (long v : r.eachNanos()) {
        sb.append(String.format(Locale.ROOT, " %.1f", v / 1e6));
      }
      System.out.println(sb);
    }
  }

  /** Runs the scenario; {@code refillMs == 0} keeps the default rate limit. */
  public static Result run(
      int changes,
      long minGapMs,
      long maxGapMs,
      long refillMs,
      int burst,
      long timeoutMs,
      long seed)
      throws Exception {
    if (changes < 1 || minGapMs < 0 || maxGapMs < minGapMs) {
      throw new IllegalArgumentException("need changes >= 1 and 0 <= minGapMs <= maxGapMs");
    }
    Random random = new Random(seed);
    long start = System.nanoTime();
    try (ConsulTestServer server = ConsulTestServer.builder().jitter(false).build().start()) {
      server.put(KEY, "n: 0\n");
      ConsulSourceConfig.Builder cfg = ConsulSourceConfig.key(KEY).address(server.url());
      if (refillMs > 0) {
        cfg.rateLimit(burst, Duration.ofMillis(refillMs));
      }
      try (HotConfig config =
          HotConfig.builder()
              .name("propagation")
              .source(ConsulSource.create(cfg.build()))
              .build()) {
        IntSetting n = config.intSetting("n", -1);
        if (n.getAsInt() != 0) {
          throw new IllegalStateException("initial value not loaded: " + n.getAsInt());
        }
        Polling.await(
            () -> server.blockedQueryCount() == 1,
            Duration.ofSeconds(30),
            "the first blocking query");
        long[] latencies = new long[changes];
        int seen = 0;
        int timedOut = 0;
        int parked = 0;
        long timeoutNanos = Duration.ofMillis(timeoutMs).toNanos();
        for (int i = 1; i <= changes; i++) {
          if (server.blockedQueryCount() == 1) {
            parked++;
          }
          String doc = "n: " + i + "\n";
          long t0 = System.nanoTime();
          server.put(KEY, doc);
          boolean ok = true;
          while (n.getAsInt() != i) {
            if (System.nanoTime() - t0 > timeoutNanos) {
              ok = false;
              break;
            }
            LockSupport.parkNanos(10_000);
          }
          long latency = System.nanoTime() - t0;
          if (ok) {
            latencies[seen++] = latency;
          } else {
            timedOut++;
          }
          if (i < changes) {
            long gap =
                minGapMs
                    + (maxGapMs == minGapMs
                        ? 0
                        : (long) (random.nextDouble() * (maxGapMs - minGapMs)));
            Polling.pause(Duration.ofMillis(gap).toNanos());
          }
        }
        long[] got = java.util.Arrays.copyOf(latencies, seen);
        return new Result(
            seen == 0 ? Latencies.of(new long[] {timeoutNanos}) : Latencies.of(got),
            timedOut,
            parked,
            changes,
            server.requestCount(),
            (System.nanoTime() - start) / 1e9,
            got);
      }
    }
  }
}
