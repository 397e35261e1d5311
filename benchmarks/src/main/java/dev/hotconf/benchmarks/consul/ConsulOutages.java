package dev.hotconf.benchmarks.consul;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Recovery of a {@link ConsulSource} (issue 13), end to end through an {@link IntSetting}: the
 * agent goes down ({@link ConsulTestServer#suspend()}: the parked query's connection closes, new
 * connections are refused), a change is made meanwhile, the agent comes back on the same port
 * ({@link ConsulTestServer#resume()}), and the program measures from the resume to the change being
 * visible. Modes:
 *
 * <ul>
 *   <li>{@code outages}: {@code count} (20) outages of {@code outageMs} (15000): recovery time
 *       p50/p90/max and requests per outage (the failed reads reported, plus the one that
 *       succeeds).
 *   <li>{@code long}: one outage of {@code outageMs}; the gaps between failed reads after {@code
 *       settleMs} (60000): min, mean, requests per minute.
 *   <li>{@code hang}: {@code count} (1) times, the blocking query after a change meets a node that
 *       takes the request and never answers ({@link Fault#hang()}); from the next change to it
 *       being visible, i.e. the read timeout plus the first retry.
 * </ul>
 *
 * <p>Settings default to the source's; {@code initialBackoffMs}, {@code maxBackoffMs}, {@code
 * waitS} and {@code marginMs} override them (the smoke test scales them down).
 */
public final class ConsulOutages {
  static final String KEY = "config/app/data";

  /** Recovery latencies (or hang latencies), requests per outage, and failure gaps (long mode). */
  public record Result(
      String mode,
      Latencies recovery,
      long[] eachNanos,
      int[] requestsPerOutage,
      double[] settledGapsS,
      int timedOut,
      double seconds) {}

  /** Backoff and wait; 0 keeps the source's default. */
  public record Settings(long initialBackoffMs, long maxBackoffMs, int waitS, long marginMs) {
    ConsulSourceConfig.Builder apply(ConsulSourceConfig.Builder b) {
      if (initialBackoffMs > 0 || maxBackoffMs > 0) {
        b.backoff(
            initialBackoffMs > 0
                ? Duration.ofMillis(initialBackoffMs)
                : ConsulSourceConfig.DEFAULT_INITIAL_BACKOFF,
            maxBackoffMs > 0
                ? Duration.ofMillis(maxBackoffMs)
                : ConsulSourceConfig.DEFAULT_MAX_BACKOFF);
      }
      if (waitS > 0) {
        b.waitTime(Duration.ofSeconds(waitS));
      }
      if (marginMs > 0) {
        b.readTimeoutMargin(Duration.ofMillis(marginMs));
      }
      return b;
    }

    @Override
    public String toString() {
      ConsulSourceConfig c = apply(ConsulSourceConfig.key(KEY)).build();
      return String.format(
          Locale.ROOT,
          "backoff %d..%d ms, wait %d s, read timeout %.2f s",
          c.initialBackoff().toMillis(),
          c.maxBackoff().toMillis(),
          c.waitTime().toSeconds(),
          c.readTimeout().toMillis() / 1000.0);
    }
  }

  private ConsulOutages() {}

  public static void main(String[] args) throws Exception {
    Logging.quiet();
    Args a =
        new Args(
            args,
            Set.of(
                "mode",
                "count",
                "outageMs",
                "settleMs",
                "initialBackoffMs",
                "maxBackoffMs",
                "waitS",
                "marginMs",
                "timeoutMs"));
    String mode = a.string("mode", "outages");
    Settings s =
        new Settings(
            a.longValue("initialBackoffMs", 0),
            a.longValue("maxBackoffMs", 0),
            a.intValue("waitS", 0),
            a.longValue("marginMs", 0));
    long timeoutMs = a.longValue("timeoutMs", 180_000);
    Result r =
        switch (mode) {
          case "outages" ->
              outages(a.intValue("count", 20), a.longValue("outageMs", 15_000), s, timeoutMs);
          case "long" ->
              longOutage(
                  a.longValue("outageMs", 300_000), a.longValue("settleMs", 60_000), s, timeoutMs);
          case "hang" -> hang(a.intValue("count", 1), s, timeoutMs);
          default -> throw new IllegalArgumentException("mode must be outages, long or hang");
        };
    System.out.printf(Locale.ROOT, "ConsulOutages mode=%s settings: %s%n", mode, s);
    System.out.println(Latencies.header());
    System.out.println(r.recovery().row());
    StringBuilder each = new StringBuilder("each, s:");
    for (long v : r.eachNanos()) {
      each.append(String.format(Locale.ROOT, " %.2f", v / 1e9));
    }
    System.out.println(each);
    if (r.requestsPerOutage().length > 0) {
      System.out.println(
          "requests per outage (failed + the one that succeeds): "
              + Arrays.toString(r.requestsPerOutage())
              + ", max "
              + Arrays.stream(r.requestsPerOutage()).max().orElse(0));
    }
    if (r.settledGapsS().length > 0) {
      double[] g = r.settledGapsS();
      double sum = Arrays.stream(g).sum();
      System.out.printf(
          Locale.ROOT,
          "after settling: %d gaps between requests, min %.2f s, mean %.2f s, max %.2f s"
              + " -> %.2f requests per minute%n",
          g.length,
          Arrays.stream(g).min().orElse(0),
          sum / g.length,
          Arrays.stream(g).max().orElse(0),
          60.0 * g.length / sum);
    }
    System.out.printf(Locale.ROOT, "timed out: %d, wall time: %.1f s%n", r.timedOut(), r.seconds());
  }

  /** {@code count} outages of {@code outageMs}, each with a change made while down. */
  public static Result outages(int count, long outageMs, Settings settings, long timeoutMs)
      throws Exception {
    long start = System.nanoTime();
    List<Long> failures = new CopyOnWriteArrayList<>();
    try (ConsulTestServer server = new ConsulTestServer().start();
        HotConfig config = open(server, settings, failures)) {
      IntSetting n = config.intSetting("n", -1);
      long[] recovery = new long[count];
      int[] requests = new int[count];
      int seen = 0;
      int timedOut = 0;
      for (int i = 1; i <= count; i++) {
        Polling.await(() -> server.blockedQueryCount() == 1, Duration.ofSeconds(60), "parked");
        long failuresBefore = config.status().sourceFailures();
        server.suspend();
        server.put(KEY, "n: " + i + "\n");
        Polling.pause(Duration.ofMillis(outageMs).toNanos());
        server.resume();
        long t0 = System.nanoTime();
        if (ConsulEditPatterns.waitFor(n, i, t0, timeoutMs)) {
          recovery[seen] = System.nanoTime() - t0;
          requests[seen++] = (int) (config.status().sourceFailures() - failuresBefore) + 1;
        } else {
          timedOut++;
        }
      }
      return new Result(
          "outages",
          Latencies.of(Arrays.copyOf(recovery, seen)),
          Arrays.copyOf(recovery, seen),
          Arrays.copyOf(requests, seen),
          new double[0],
          timedOut,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** One outage of {@code outageMs}; the gaps between failed reads after {@code settleMs}. */
  public static Result longOutage(long outageMs, long settleMs, Settings settings, long timeoutMs)
      throws Exception {
    long start = System.nanoTime();
    List<Long> failures = new CopyOnWriteArrayList<>();
    try (ConsulTestServer server = new ConsulTestServer().start();
        HotConfig config = open(server, settings, failures)) {
      IntSetting n = config.intSetting("n", -1);
      Polling.await(() -> server.blockedQueryCount() == 1, Duration.ofSeconds(60), "parked");
      long failuresBefore = config.status().sourceFailures();
      failures.clear();
      long down = System.nanoTime();
      server.suspend();
      server.put(KEY, "n: 1\n");
      Polling.pause(Duration.ofMillis(outageMs).toNanos());
      server.resume();
      long t0 = System.nanoTime();
      boolean ok = ConsulEditPatterns.waitFor(n, 1, t0, timeoutMs);
      long recovery = System.nanoTime() - t0;
      List<Double> gaps = new ArrayList<>();
      List<Long> times = new ArrayList<>(failures);
      for (int i = 1; i < times.size(); i++) {
        if (times.get(i - 1) - down >= Duration.ofMillis(settleMs).toNanos()) {
          gaps.add((times.get(i) - times.get(i - 1)) / 1e9);
        }
      }
      long[] each = ok ? new long[] {recovery} : new long[0];
      return new Result(
          "long",
          Latencies.of(each),
          each,
          new int[] {(int) (config.status().sourceFailures() - failuresBefore) + 1},
          gaps.stream().mapToDouble(Double::doubleValue).toArray(),
          ok ? 0 : 1,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** {@code count} times: a hung request, then a change; until the change is visible. */
  public static Result hang(int count, Settings settings, long timeoutMs) throws Exception {
    long start = System.nanoTime();
    try (ConsulTestServer server = new ConsulTestServer().start();
        HotConfig config = open(server, settings, new CopyOnWriteArrayList<>())) {
      IntSetting n = config.intSetting("n", -1);
      long[] latencies = new long[count];
      int seen = 0;
      int timedOut = 0;
      int value = 0;
      for (int i = 0; i < count; i++) {
        Polling.await(() -> server.blockedQueryCount() == 1, Duration.ofSeconds(600), "parked");
        server.enqueue(Fault.hang().onMethod("GET"));
        server.put(KEY, "n: " + ++value + "\n"); // the parked query answers; the next one hangs
        Polling.await(() -> server.hangingRequestCount() == 1, Duration.ofSeconds(60), "hung");
        long t0 = System.nanoTime();
        server.put(KEY, "n: " + ++value + "\n");
        if (ConsulEditPatterns.waitFor(n, value, t0, timeoutMs)) {
          latencies[seen++] = System.nanoTime() - t0;
        } else {
          timedOut++;
        }
        server.clearFaults(); // let the abandoned request go
      }
      long[] got = Arrays.copyOf(latencies, seen);
      return new Result(
          "hang",
          Latencies.of(got),
          got,
          new int[0],
          new double[0],
          timedOut,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * A HotConfig on the key; {@code failures} gets {@link System#nanoTime()} of each failed read,
   * taken on the source's own thread as it reports it (before the pipeline sees it).
   */
  private static HotConfig open(ConsulTestServer server, Settings settings, List<Long> failures) {
    server.put(KEY, "n: 0\n");
    ConsulSource consul =
        ConsulSource.create(
            settings.apply(ConsulSourceConfig.key(KEY).address(server.url())).build());
    ConfigSource timed =
        new ConfigSource() {
          @Override
          public String name() {
            return consul.name();
          }

          @Override
          public void start(SourceListener listener) {
            consul.start(
                new SourceListener() {
                  @Override
                  public void onContent(ConfigObject content) {
                    listener.onContent(content);
                  }

                  @Override
                  public void onMissing(String reason) {
                    listener.onMissing(reason);
                  }

                  @Override
                  public void onFailure(ConfigException error) {
                    failures.add(System.nanoTime());
                    listener.onFailure(error);
                  }
                });
          }

          @Override
          public void close() {
            consul.close();
          }
        };
    return HotConfig.builder().name("outages").source(timed).build();
  }
}
