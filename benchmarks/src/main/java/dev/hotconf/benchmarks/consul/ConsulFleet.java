package dev.hotconf.benchmarks.consul;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.testing.consul.ConsulTestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A fleet of clients on one {@link ConsulTestServer}: {@code clients} full {@link HotConfig}s, each
 * with its own {@link ConsulSource} (own HTTP client, own watch thread, own pipeline thread) on the
 * same key; their listener executors are one shared 2-thread pool (no listeners are registered).
 * Once all are parked ({@code server.blockedQueryCount() == clients}), each change is one put; one
 * observer thread park-polls every client's {@link IntSetting} and records when each first shows
 * the new value. Before the next change it waits until all are parked again, then pauses {@code
 * gapMs}.
 *
 * <p>Arguments ({@code name=value}): {@code clients} (1000), {@code changes} (5), {@code gapMs}
 * (16000; the first runs had a 15 s refill, now 1 s), {@code refillMs} (0 = the default rate
 * limit), {@code timeoutMs} (60000) per change.
 */
public final class ConsulFleet {

  /**
   * {@code perChange}: per-client latencies of each change; {@code all}: over all changes; {@code
   * lastClient}: the time until the last client saw each change, summarised; {@code
   * requestsPerChange}: server requests between "all parked" before the first change and "all
   * parked" after the last, divided by changes.
   */
  public record Result(
      int clients,
      List<Latencies> perChange,
      Latencies all,
      Latencies lastClient,
      int missed,
      double requestsPerChange,
      double setupSeconds,
      int threadsParked,
      int peakThreads,
      long heapUsedMb,
      double closeSeconds) {}

  private ConsulFleet() {}

  public static void main(String[] args) throws Exception {
    Logging.quiet();
    Args a = new Args(args, Set.of("clients", "changes", "gapMs", "refillMs", "timeoutMs"));
    int clients = a.intValue("clients", 1000);
    int changes = a.intValue("changes", 5);
    long gapMs = a.longValue("gapMs", 16_000);
    long refillMs = a.longValue("refillMs", 0);
    Result r = run(clients, changes, gapMs, refillMs, a.longValue("timeoutMs", 60_000));
    System.out.printf(
        Locale.ROOT,
        "ConsulFleet clients=%d changes=%d gap=%d ms rateLimit=%s%n",
        clients,
        changes,
        gapMs,
        refillMs == 0 ? "default" : "2 per " + refillMs + " ms");
    System.out.printf(
        Locale.ROOT,
        "setup (build all + all parked): %.1f s; threads with all parked: %d "
            + "(peak %d); heap used after GC: %d MiB%n",
        r.setupSeconds(),
        r.threadsParked(),
        r.peakThreads(),
        r.heapUsedMb());
    System.out.println("per-client latency, each change:");
    System.out.println(Latencies.header());
    r.perChange().forEach(l -> System.out.println(l.row()));
    System.out.println("per-client latency, all changes pooled:");
    System.out.println(Latencies.header());
    System.out.println(r.all().row());
    System.out.println("time until the LAST client saw the change (one sample per change):");
    System.out.println(Latencies.header());
    System.out.println(r.lastClient().row());
    System.out.printf(
        Locale.ROOT,
        "missed (not seen within timeout): %d; requests per change: %.2f "
            + "(%.3f per client); close all: %.1f s%n",
        r.missed(),
        r.requestsPerChange(),
        r.requestsPerChange() / clients,
        r.closeSeconds());
  }

  public static Result run(int clients, int changes, long gapMs, long refillMs, long timeoutMs)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long setupStart = System.nanoTime();
    ExecutorService listeners =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "fleet-listeners");
              t.setDaemon(true);
              return t;
            });
    ExecutorService builders = Executors.newFixedThreadPool(8);
    HotConfig[] configs = new HotConfig[clients];
    IntSetting[] settings = new IntSetting[clients];
    try (ConsulTestServer server = ConsulTestServer.builder().jitter(false).build().start()) {
      server.put(ConsulPropagation.KEY, "n: 0\n");
      try {
        List<Future<?>> builds = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          int id = c;
          builds.add(
              builders.submit(
                  () -> {
                    ConsulSourceConfig.Builder cfg =
                        ConsulSourceConfig.key(ConsulPropagation.KEY).address(server.url());
                    if (refillMs > 0) {
                      cfg.rateLimit(2, Duration.ofMillis(refillMs));
                    }
                    HotConfig hc =
                        HotConfig.builder()
                            .name("fleet-" + id)
                            .listenerExecutor(listeners)
                            .source(ConsulSource.create(cfg.build()))
                            .build();
                    configs[id] = hc;
                    settings[id] = hc.intSetting("n", -1);
                    return null;
                  }));
        }
        for (Future<?> f : builds) {
          f.get(5, TimeUnit.MINUTES);
        }
        Polling.await(
            () -> server.blockedQueryCount() == clients,
            Duration.ofMinutes(2),
            "all clients parked");
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        System.gc();
        long heapMb = memory.getHeapMemoryUsage().getUsed() >> 20;
        int threadsParked = threads.getThreadCount();

        long[][] latencies = new long[changes][];
        long[] last = new long[changes];
        int missed = 0;
        long timeoutNanos = Duration.ofMillis(timeoutMs).toNanos();
        int requestsBefore = server.requestCount();
        for (int i = 1; i <= changes; i++) {
          long[] seenAt = new long[clients];
          int seen = 0;
          long t0 = System.nanoTime();
          server.put(ConsulPropagation.KEY, "n: " + i + "\n");
          while (seen < clients && System.nanoTime() - t0 < timeoutNanos) {
            for (int c = 0; c < clients; c++) {
              if (seenAt[c] == 0 && settings[c].getAsInt() == i) {
                seenAt[c] = System.nanoTime() - t0;
                seen++;
              }
            }
            if (seen < clients) {
              LockSupport.parkNanos(10_000);
            }
          }
          missed += clients - seen;
          long[] got = Arrays.stream(seenAt).filter(v -> v > 0).toArray();
          latencies[i - 1] = got;
          last[i - 1] = got.length == 0 ? timeoutNanos : Arrays.stream(got).max().getAsLong();
          Polling.await(
              () -> server.blockedQueryCount() == clients,
              Duration.ofMinutes(2),
              "all parked again");
          if (i < changes) {
            Polling.pause(Duration.ofMillis(gapMs).toNanos());
          }
        }
        double requestsPerChange = (server.requestCount() - requestsBefore) / (double) changes;
        List<Latencies> perChange = new ArrayList<>();
        for (long[] l : latencies) {
          perChange.add(Latencies.of(l.length == 0 ? new long[] {timeoutNanos} : l));
        }
        long[] pooled = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        int peak = threads.getPeakThreadCount();
        long closeStart = System.nanoTime();
        closeAll(configs, builders);
        double closeSeconds = (System.nanoTime() - closeStart) / 1e9;
        return new Result(
            clients,
            perChange,
            Latencies.of(pooled.length == 0 ? new long[] {timeoutNanos} : pooled),
            Latencies.of(last),
            missed,
            requestsPerChange,
            setupSeconds,
            threadsParked,
            peak,
            heapMb,
            closeSeconds);
      } finally {
        closeAll(configs, builders);
        builders.shutdownNow();
        listeners.shutdownNow();
      }
    }
  }

  /**
   * Closes every config (each aborts its blocking read and joins its thread), 8 at a time.
   * Idempotent.
   */
  private static void closeAll(HotConfig[] configs, ExecutorService pool) throws Exception {
    List<Future<?>> closes = new ArrayList<>();
    for (HotConfig hc : configs) {
      if (hc != null) {
        closes.add(pool.submit(hc::close));
      }
    }
    for (Future<?> f : closes) {
      f.get(2, TimeUnit.MINUTES);
    }
  }
}
