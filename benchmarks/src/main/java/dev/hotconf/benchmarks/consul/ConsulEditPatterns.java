package dev.hotconf.benchmarks.consul;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.testing.consul.ConsulTestServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * How people edit Consul (issue 13), end to end: PUT on a {@link ConsulTestServer} (127.0.0.1,
 * Consul's jitter on) to the value visible through an {@link IntSetting} of a {@link HotConfig}
 * with one {@link ConsulSource} (key shape, YAML). Two patterns:
 *
 * <ul>
 *   <li>{@code isolated}: an operator's edits {@code gapMs} apart (1500); each edit's latency, put
 *       to visible, and whether the source was parked in a blocking query at the put.
 *   <li>{@code burst}: a script writing {@code writes} times (25) every {@code intervalMs} (100,
 *       i.e. 10 a second), repeated {@code runs} times (10) with a quiet {@code quietMs} (5000)
 *       between runs; per run the delay from the last write to its value visible, and the reads the
 *       server answered from the first write until the source is parked on the newest value.
 * </ul>
 *
 * <p>Settings default to the source's defaults; {@code burst}, {@code refillMs} and {@code waitS}
 * override them (the previous defaults: {@code burst=2 refillMs=15000 waitS=300}).
 */
public final class ConsulEditPatterns {
  static final String KEY = "config/app/data";

  /** Per-edit latencies (isolated) or last-write latencies (burst), and the reads counted. */
  public record Result(
      String mode,
      Latencies latencies,
      long[] eachNanos,
      int parkedAtPut,
      int[] readsPerRun,
      int timedOut,
      double seconds) {}

  private ConsulEditPatterns() {}

  public static void main(String[] args) throws Exception {
    Logging.quiet();
    Args a =
        new Args(
            args,
            Set.of(
                "mode",
                "edits",
                "gapMs",
                "writes",
                "intervalMs",
                "runs",
                "quietMs",
                "burst",
                "refillMs",
                "waitS",
                "timeoutMs"));
    String mode = a.string("mode", "isolated");
    Settings s =
        new Settings(a.intValue("burst", 0), a.longValue("refillMs", 0), a.intValue("waitS", 0));
    long timeoutMs = a.longValue("timeoutMs", 60_000);
    Result r =
        switch (mode) {
          case "isolated" ->
              isolated(a.intValue("edits", 15), a.longValue("gapMs", 1500), s, timeoutMs);
          case "burst" ->
              burst(
                  a.intValue("writes", 25),
                  a.longValue("intervalMs", 100),
                  a.intValue("runs", 10),
                  a.longValue("quietMs", 5000),
                  s,
                  timeoutMs);
          default -> throw new IllegalArgumentException("mode must be isolated or burst");
        };
    System.out.printf(Locale.ROOT, "ConsulEditPatterns mode=%s settings: %s%n", mode, s);
    System.out.println(Latencies.header());
    System.out.println(r.latencies().row());
    StringBuilder each = new StringBuilder("each, ms:");
    for (long v : r.eachNanos()) {
      each.append(String.format(Locale.ROOT, " %.1f", v / 1e6));
    }
    System.out.println(each);
    if (mode.equals("isolated")) {
      System.out.printf(
          Locale.ROOT,
          "parked in a blocking query at the put: %d/%d%n",
          r.parkedAtPut(),
          r.eachNanos().length + r.timedOut());
    } else {
      System.out.println("reads per run: " + Arrays.toString(r.readsPerRun()));
    }
    System.out.printf(Locale.ROOT, "timed out: %d, wall time: %.1f s%n", r.timedOut(), r.seconds());
  }

  /** Rate limit and wait; 0 keeps the source's default. */
  public record Settings(int burst, long refillMs, int waitS) {
    static final Settings DEFAULTS = new Settings(0, 0, 0);

    ConsulSourceConfig.Builder apply(ConsulSourceConfig.Builder b) {
      if (burst > 0 || refillMs > 0) {
        b.rateLimit(
            burst > 0 ? burst : ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST,
            refillMs > 0
                ? Duration.ofMillis(refillMs)
                : ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL);
      }
      if (waitS > 0) {
        b.waitTime(Duration.ofSeconds(waitS));
      }
      return b;
    }

    @Override
    public String toString() {
      ConsulSourceConfig c = apply(ConsulSourceConfig.key(KEY)).build();
      return "burst "
          + c.rateLimitBurst()
          + ", refill "
          + c.rateLimitRefill().toMillis()
          + " ms, wait "
          + c.waitTime().toSeconds()
          + " s";
    }
  }

  /** {@code edits} edits {@code gapMs} apart. */
  public static Result isolated(int edits, long gapMs, Settings settings, long timeoutMs)
      throws Exception {
    long start = System.nanoTime();
    try (ConsulTestServer server = new ConsulTestServer().start();
        HotConfig config = open(server, settings)) {
      IntSetting n = config.intSetting("n", -1);
      Polling.await(() -> server.blockedQueryCount() == 1, Duration.ofSeconds(30), "parked");
      long[] latencies = new long[edits];
      int seen = 0;
      int parked = 0;
      int timedOut = 0;
      for (int i = 1; i <= edits; i++) {
        Polling.pause(Duration.ofMillis(gapMs).toNanos());
        if (server.blockedQueryCount() == 1) {
          parked++;
        }
        long t0 = System.nanoTime();
        server.put(KEY, "n: " + i + "\n");
        if (waitFor(n, i, t0, timeoutMs)) {
          latencies[seen++] = System.nanoTime() - t0;
        } else {
          timedOut++;
        }
      }
      long[] got = Arrays.copyOf(latencies, seen);
      return new Result(
          "isolated",
          Latencies.of(got),
          got,
          parked,
          new int[0],
          timedOut,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** {@code runs} bursts of {@code writes} writes {@code intervalMs} apart. */
  public static Result burst(
      int writes, long intervalMs, int runs, long quietMs, Settings settings, long timeoutMs)
      throws Exception {
    long start = System.nanoTime();
    try (ConsulTestServer server = new ConsulTestServer().start();
        HotConfig config = open(server, settings)) {
      IntSetting n = config.intSetting("n", -1);
      long[] lastWrite = new long[runs];
      int[] reads = new int[runs];
      int seen = 0;
      int timedOut = 0;
      int value = 0;
      for (int run = 0; run < runs; run++) {
        Polling.await(() -> server.blockedQueryCount() == 1, Duration.ofSeconds(600), "parked");
        Polling.pause(Duration.ofMillis(quietMs).toNanos()); // a full bucket before each run
        int before = server.requestCount();
        long next = System.nanoTime();
        long t0 = 0;
        for (int w = 0; w < writes; w++) {
          LockSupport.parkNanos(next - System.nanoTime());
          t0 = System.nanoTime();
          server.put(KEY, "n: " + ++value + "\n");
          next += Duration.ofMillis(intervalMs).toNanos();
        }
        if (waitFor(n, value, t0, timeoutMs)) {
          lastWrite[seen++] = System.nanoTime() - t0;
        } else {
          timedOut++;
        }
        Polling.await(() -> server.blockedQueryCount() == 1, Duration.ofSeconds(600), "parked");
        reads[run] = server.requestCount() - before;
      }
      long[] got = Arrays.copyOf(lastWrite, seen);
      return new Result(
          "burst", Latencies.of(got), got, 0, reads, timedOut, (System.nanoTime() - start) / 1e9);
    }
  }

  static HotConfig open(ConsulTestServer server, Settings settings) {
    server.put(KEY, "n: 0\n");
    return HotConfig.builder()
        .name("edits")
        .source(
            ConsulSource.create(
                settings.apply(ConsulSourceConfig.key(KEY).address(server.url())).build()))
        .build();
  }

  /** Park-polls (10 µs) until the setting shows {@code value}; false after {@code timeoutMs}. */
  static boolean waitFor(IntSetting n, int value, long t0, long timeoutMs) {
    long timeout = Duration.ofMillis(timeoutMs).toNanos();
    while (n.getAsInt() != value) {
      if (System.nanoTime() - t0 > timeout) {
        return false;
      }
      LockSupport.parkNanos(10_000);
    }
    return true;
  }
}
