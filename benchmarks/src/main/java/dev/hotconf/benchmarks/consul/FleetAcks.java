package dev.hotconf.benchmarks.consul;

import dev.hotconf.HotConfig;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.consul.fleet.FleetStatus;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.RecordedRequest;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of acknowledging instances on one {@link ConsulTestServer}: {@code instances} {@link
 * HotConfig}s, each on its own (tracked) {@link ConsulSource} with its own {@link
 * ConsulAcknowledger} (own Consul client, own TTL session, default TTL 60 s renewed every 30 s).
 * For each change, one PUT of the config key; then:
 *
 * <ul>
 *   <li><b>time until {@code fleet status} sees all</b>: {@link FleetStatus#await} over HTTP (what
 *       {@code hotconf fleet status --wait} runs), started right after the PUT, returns when every
 *       record shows the new index;
 *   <li><b>per-instance acknowledgement latency</b>: PUT → the instance's record write as the
 *       server received it (from the request log);
 *   <li><b>requests per instance per change</b>, by kind, from the server's request log from the
 *       PUT (every source parked) until every record shows the change: the sources' reads of the
 *       config key, record writes, anything else (the status reader's own reads and the
 *       timer-driven session renewals that fall in that window are not counted).
 * </ul>
 *
 * Then an idle phase ({@code idleSeconds}) counts every request the fleet makes while nothing
 * changes, per instance per hour; it should last several times the source's blocking wait (60 s by
 * default) to count its reads. The sources all parked at the phase's start, so that count is
 * quantized (a whole number of waits per instance fits in the window); the steady read rate is also
 * given from the reads' own durations: one read per blocking wait. Each acknowledger has its own
 * thread, as in a real deployment; a harness artefact: all HotConfigs share one 2-thread listener
 * pool.
 *
 * <p>Arguments ({@code name=value}): {@code instances} (1000), {@code changes} (5), {@code gapMs}
 * (3000: more than the source's default 1 s rate-limit refill, far less than its 60 s wait, so no
 * blocking query times out inside a change's window), {@code idleSeconds} (300), {@code ttlSeconds}
 * (60), {@code refillMs} (0: the source's default rate limit), {@code timeoutMs} (120000) per
 * change. Run with {@code -Xss256k -Xmx2g}.
 */
public final class FleetAcks {
  static final String KEY = "config/bench/app.yaml";
  static final String APP = "bench";

  /** The idle read rate from the reads' own durations (see the class comment). */
  static final String STEADY_READS = "reads of the key, steady (3600 s / mean blocking wait)";

  /** What one run measured. */
  public record Result(
      int instances,
      List<Double> gateSeconds,
      Latencies acks,
      double readsPerInstancePerChange,
      double writesPerInstancePerChange,
      double otherPerInstancePerChange,
      double idleSeconds,
      Map<String, Double> idlePerInstancePerHour,
      double setupSeconds,
      int threads) {}

  private FleetAcks() {}

  public static void main(String[] args) throws Exception {
    Logging.quiet();
    // The JDK HTTP server behind the double closes keep-alive connections beyond 200 idle ones as
    // they go idle; 1,000 acknowledgers idle between renewals, and a client that reuses a
    // connection closed that way gets no answer. Consul has no such cap (its per-client-IP limit
    // does not apply to a fleet spread over hosts), so the harness lifts it.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    }
    Args a =
        new Args(
            args,
            Set.of(
                "instances",
                "changes",
                "gapMs",
                "idleSeconds",
                "ttlSeconds",
                "refillMs",
                "timeoutMs"));
    Result r =
        run(
            a.intValue("instances", 1000),
            a.intValue("changes", 5),
            a.longValue("gapMs", 3_000),
            a.intValue("idleSeconds", 300),
            a.intValue("ttlSeconds", 60),
            a.longValue("refillMs", 0),
            a.longValue("timeoutMs", 120_000));
    System.out.printf(
        Locale.ROOT,
        "FleetAcks instances=%d changes=%d ttl=%ss setup %.1f s, %d threads%n",
        r.instances(),
        r.gateSeconds().size(),
        a.intValue("ttlSeconds", 60),
        r.setupSeconds(),
        r.threads());
    System.out.println("time until fleet status saw every instance on the new index (s):");
    r.gateSeconds().forEach(s -> System.out.printf(Locale.ROOT, "  %.3f%n", s));
    System.out.println("PUT -> the instance's record written, per instance, all changes (ms):");
    System.out.println(Latencies.header());
    System.out.println(r.acks().row());
    System.out.printf(
        Locale.ROOT,
        "requests per instance per change (PUT -> every record written; timer-driven renewals"
            + " in that window not counted): %.3f reads of the key, %.3f record writes, %.3f"
            + " other%n",
        r.readsPerInstancePerChange(),
        r.writesPerInstancePerChange(),
        r.otherPerInstancePerChange());
    System.out.printf(Locale.ROOT, "idle for %.0f s, per instance per hour:%n", r.idleSeconds());
    r.idlePerInstancePerHour()
        .forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s %.1f%n", k, v));
  }

  public static Result run(
      int instances,
      int changes,
      long gapMs,
      int idleSeconds,
      int ttlSeconds,
      long refillMs,
      long timeoutMs)
      throws Exception {
    long setupStart = System.nanoTime();
    ExecutorService listeners = Executors.newFixedThreadPool(2, daemon("bench-listeners"));
    ExecutorService builders = Executors.newFixedThreadPool(8, daemon("bench-build"));
    List<HotConfig> configs = new ArrayList<>();
    List<ConsulAcknowledger> acks = new ArrayList<>();
    try (ConsulTestServer server = ConsulTestServer.builder().build().start()) {
      server.put(KEY, "n: 0\n");
      List<Future<Object[]>> builds = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        String id = String.format(Locale.ROOT, "i-%04d", i);
        builds.add(
            builders.submit(
                () -> {
                  ConsulSourceConfig.Builder sb = ConsulSourceConfig.key(KEY).address(server.url());
                  if (refillMs > 0) {
                    sb.rateLimit(2, Duration.ofMillis(refillMs));
                  }
                  ConsulSourceConfig source = sb.build();
                  ConsulAcknowledger ack =
                      ConsulAcknowledger.create(
                          AcknowledgerConfig.builder(APP, ConsulConnection.of(source))
                              .instance(id)
                              .ttl(Duration.ofSeconds(ttlSeconds))
                              .build());
                  HotConfig hc =
                      HotConfig.builder()
                          .name(id)
                          .listenerExecutor(listeners)
                          .source(ack.track(ConsulSource.create(source)))
                          .build();
                  ack.start(hc);
                  return new Object[] {hc, ack};
                }));
      }
      for (Future<Object[]> f : builds) {
        Object[] built = f.get(10, TimeUnit.MINUTES);
        configs.add((HotConfig) built[0]);
        acks.add((ConsulAcknowledger) built[1]);
      }
      try (ConsulClient reader =
          ConsulClient.create(ConsulConnection.builder().address(server.url()).build())) {
        long index0 = server.get(KEY).orElseThrow().modifyIndex();
        awaitRecords(acks, Duration.ofMillis(timeoutMs), index0);
        awaitParked(server, instances, Duration.ofMillis(timeoutMs));
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();

        List<Double> gate = new ArrayList<>();
        List<Long> ackLatencies = new ArrayList<>();
        Map<String, Long> counts = new HashMap<>();
        ExecutorService watcher = Executors.newSingleThreadExecutor(daemon("bench-status"));
        for (int c = 1; c <= changes; c++) {
          awaitParked(server, instances, Duration.ofMillis(timeoutMs));
          server.clearRequests();
          Instant t0 = Instant.now();
          long start = System.nanoTime();
          long index = server.put(KEY, "n: " + c + "\n");
          Future<Long> seen =
              watcher.submit(
                  () -> {
                    FleetStatus s =
                        FleetStatus.await(
                            reader,
                            AcknowledgerConfig.DEFAULT_KEY_PREFIX,
                            APP,
                            Duration.ofMinutes(1),
                            Clock.systemUTC(),
                            Duration.ofMillis(timeoutMs));
                    if (!s.gatePasses()) {
                      throw new IllegalStateException("not all acknowledged: " + s);
                    }
                    return System.nanoTime();
                  });
          long done = seen.get(timeoutMs, TimeUnit.MILLISECONDS);
          gate.add((done - start) / 1e9);
          awaitRecords(acks, Duration.ofMillis(timeoutMs), index);
          for (RecordedRequest r : server.requests()) {
            String kind = kind(r);
            counts.merge(kind, 1L, Long::sum);
            if (kind.equals("record writes")) {
              ackLatencies.add(Duration.between(t0, r.receivedAt()).toNanos());
            }
          }
          if (c < changes) {
            Polling.pause(Duration.ofMillis(gapMs).toNanos());
          }
        }
        watcher.shutdownNow();
        double perChange = (double) instances * changes;

        awaitParked(server, instances, Duration.ofMillis(timeoutMs));
        server.clearRequests();
        long idleStart = System.nanoTime();
        Polling.pause(TimeUnit.SECONDS.toNanos(idleSeconds));
        double idle = (System.nanoTime() - idleStart) / 1e9;
        Map<String, Double> idleRates = new java.util.TreeMap<>();
        double waitSeconds = 0;
        int waits = 0;
        for (RecordedRequest r : server.requests()) {
          String kind = kind(r);
          idleRates.merge(kind, 1.0, Double::sum);
          if (kind.equals("reads of the key")) {
            waitSeconds += r.duration().toNanos() / 1e9;
            waits++;
          }
        }
        idleRates.replaceAll((k, v) -> v / instances / idle * 3600);
        if (waits > 0) {
          // every source parked at the same moment when the idle phase began, so the count in a
          // fixed window is quantized (a read more or less per instance); each source has one read
          // outstanding at a time, so its steady rate is one per blocking wait
          idleRates.put(STEADY_READS, 3600 / (waitSeconds / waits));
        }
        long[] lat = ackLatencies.stream().mapToLong(Long::longValue).toArray();
        return new Result(
            instances,
            gate,
            Latencies.of(lat),
            counts.getOrDefault("reads of the key", 0L) / perChange,
            counts.getOrDefault("record writes", 0L) / perChange,
            counts.getOrDefault("other", 0L) / perChange,
            idle,
            idleRates,
            setupSeconds,
            threads);
      } finally {
        acks.forEach(ConsulAcknowledger::close);
        configs.forEach(HotConfig::close);
        listeners.shutdownNow();
        builders.shutdownNow();
      }
    }
  }

  /** What a request was, for the counts; the status reader's requests are "status reads". */
  static String kind(RecordedRequest r) {
    String path = r.path();
    if (r.method().equals("GET") && path.equals("/v1/kv/" + KEY) && r.index().isPresent()) {
      return "reads of the key";
    }
    if (r.method().equals("PUT") && path.startsWith("/v1/kv/hotconf/acks/")) {
      return "record writes";
    }
    if (path.startsWith("/v1/session/renew/")) {
      return "session renewals";
    }
    if (r.method().equals("GET") && path.equals("/v1/kv/" + KEY)) {
      return r.index().isPresent() ? "reads of the key" : "status reads";
    }
    if (r.method().equals("GET")
        && (path.startsWith("/v1/kv/hotconf/acks/") || path.equals("/v1/kv/" + KEY))) {
      return "status reads";
    }
    return "other";
  }

  /** Until every instance's record is written at {@code index}. */
  private static void awaitRecords(List<ConsulAcknowledger> acks, Duration timeout, long index)
      throws Exception {
    Polling.await(
        () ->
            acks.stream()
                .allMatch(
                    a ->
                        a.status().inSync() && a.status().written().orElseThrow().index() == index),
        timeout,
        "every record at index " + index);
  }

  /**
   * Until every source has its next blocking read parked (after a change it may wait for a
   * rate-limit token first): changes are made to parked sources only.
   */
  private static void awaitParked(ConsulTestServer server, int instances, Duration timeout)
      throws Exception {
    Polling.await(() -> server.blockedQueryCount() >= instances, timeout, "every source parked");
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
