package dev.hotconf.benchmarks.consul;

import dev.hotconf.ConfigFailure;
import dev.hotconf.HotConfig;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.consul.fleet.AckRollout;
import dev.hotconf.consul.fleet.AcknowledgerConfig;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.consul.rollout.DriverConfig;
import dev.hotconf.consul.rollout.FollowerConfig;
import dev.hotconf.consul.rollout.RolloutDriver;
import dev.hotconf.consul.rollout.RolloutFollower;
import dev.hotconf.consul.rollout.RolloutKeys;
import dev.hotconf.consul.rollout.RolloutPlan;
import dev.hotconf.consul.rollout.RolloutRecord;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.RecordedRequest;
import dev.hotconf.validate.Rules;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Staged-rollout timings on one {@link ConsulTestServer}: {@code instances} library instances
 * (HotConfig on a {@link RolloutFollower}'s source over a {@link ConsulSource} with the source's
 * default settings, so the default wait and rate limit, and an acknowledger each), every tenth of
 * which refuses a limit above 15 (an older schema).
 *
 * <ul>
 *   <li><b>stage change → instance on the candidate</b>: for each round, the candidate is written,
 *       then the record at 1, 10, 50 and 100 % ({@code gapMs} apart, as a bake would space them);
 *       per instance entering the stage, the time from the record's write to the instance's
 *       snapshot with the candidate being published (its {@code createdAt}); per change, the time
 *       until the last of the stage's instances;
 *   <li><b>revert → instance on stable</b>: at 100 %, the record is halted (one write); per
 *       instance, the time until its snapshot of the stable version is published; per revert, until
 *       the last;
 *   <li><b>a candidate 10 % refuse, with the real driver</b> ({@code badRounds} times): stages 10,
 *       50, 100, each baking {@code gapMs}; the time from the first refusal (the pipeline's
 *       rejection) to the driver's halt write, and to every instance back on the stable version.
 * </ul>
 *
 * <p>Arguments ({@code name=value}): {@code instances} (200), {@code rounds} (5), {@code badRounds}
 * (5), {@code gapMs} (the default rate-limit refill plus 1 s: at a rollout's pace a stage change
 * never waits for a token), {@code refillMs} (0: the source's default rate limit; else burst 100
 * with this refill, for smoke runs), {@code timeoutMs} (60000). Run with {@code -Xss256k}.
 */
public final class RolloutTimings {
  static final String KEY = "config/bench/app.yaml";
  static final String APP = "bench";

  /** What one run measured. */
  public record Result(
      int instances,
      Latencies stageInstance,
      Latencies stageAll,
      Latencies revertInstance,
      Latencies revertAll,
      Latencies refusalToHalt,
      Latencies refusalToAllStable,
      Latencies haltToAllStable,
      List<String> badRoundNotes,
      double setupSeconds,
      int threads,
      long gapMs) {}

  private record Instance(String id, int k, HotConfig config, RolloutFollower follower) {
    String runs() {
      return config.snapshot().find("v", String.class).orElse("");
    }

    Instant since() {
      return config.snapshot().createdAt();
    }
  }

  private RolloutTimings() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      // every refusal of the bad candidate is a WARN line of its instance: the scenario, not news
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    Logging.quiet();
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      // Consul has no cap on idle keep-alive connections; the JDK server behind the double does
      System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    }
    Args a =
        new Args(
            args, Set.of("instances", "rounds", "badRounds", "gapMs", "refillMs", "timeoutMs"));
    long defaultGap = ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL.toMillis() + 1000;
    Result r =
        run(
            a.intValue("instances", 200),
            a.intValue("rounds", 5),
            a.intValue("badRounds", 5),
            a.longValue("gapMs", defaultGap),
            a.longValue("refillMs", 0),
            a.longValue("timeoutMs", 60_000));
    System.out.printf(
        Locale.ROOT,
        "RolloutTimings instances=%d gap=%d ms, source defaults: wait %ds, rate limit %d per %d"
            + " ms; setup %.1f s, %d threads, load %.2f%n",
        r.instances(),
        r.gapMs(),
        ConsulSourceConfig.DEFAULT_WAIT.toSeconds(),
        ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST,
        ConsulSourceConfig.DEFAULT_RATE_LIMIT_REFILL.toMillis(),
        r.setupSeconds(),
        r.threads(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println(Latencies.header());
    System.out.println(
        r.stageInstance().row() + " stage change -> an instance of the stage on the candidate");
    System.out.println(
        r.stageAll().row() + " stage change -> every instance of the stage on the candidate");
    System.out.println(r.revertInstance().row() + " revert (halt write) -> an instance on stable");
    System.out.println(r.revertAll().row() + " revert (halt write) -> every instance on stable");
    System.out.println(
        r.refusalToHalt().row() + " 10 % refuse, driver: first refusal -> halt written");
    System.out.println(
        r.refusalToAllStable().row()
            + " 10 % refuse, driver: first refusal -> every instance on stable");
    System.out.println(
        r.haltToAllStable().row()
            + " 10 % refuse, driver: halt written -> every instance on stable");
    r.badRoundNotes().forEach(n -> System.out.println("  " + n));
  }

  public static Result run(
      int instances, int rounds, int badRounds, long gapMs, long refillMs, long timeoutMs)
      throws Exception {
    long setupStart = System.nanoTime();
    RolloutKeys keys = RolloutKeys.of(APP);
    ExecutorService listeners = Executors.newFixedThreadPool(2, daemon("bench-listeners"));
    ExecutorService builders = Executors.newFixedThreadPool(8, daemon("bench-build"));
    List<Instance> fleet = new ArrayList<>();
    Map<String, Instant> refusals = new ConcurrentHashMap<>();
    Duration timeout = Duration.ofMillis(timeoutMs);
    ConsulTestServer server = ConsulTestServer.builder().build().start();
    try (ConsulClient client =
        ConsulClient.create(ConsulConnection.builder().address(server.url()).build())) {
      server.put(KEY, "v: stable-0\nlimit: 10\n");
      List<Future<Instance>> builds = new ArrayList<>();
      for (int k = 0; k < instances; k++) {
        int kk = k;
        builds.add(builders.submit(() -> start(server, kk, refillMs, listeners, refusals)));
      }
      for (Future<Instance> f : builds) {
        fleet.add(f.get(10, TimeUnit.MINUTES));
      }
      awaitAll(fleet, i -> i.runs().equals("stable-0"), timeout, "every instance started");
      double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
      int threads = ManagementFactory.getThreadMXBean().getThreadCount();
      List<Integer> buckets = fleet.stream().map(i -> i.follower().bucket()).sorted().toList();

      List<Long> stageInstance = new ArrayList<>();
      List<Long> stageAll = new ArrayList<>();
      List<Long> revertInstance = new ArrayList<>();
      List<Long> revertAll = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        String stable = "stable-" + round;
        String candidate = "candidate-" + round;
        server.put(KEY, "v: " + stable + "\nlimit: 10\n");
        awaitAll(fleet, i -> i.runs().equals(stable), timeout, stable);
        Polling.pause(TimeUnit.MILLISECONDS.toNanos(gapMs));
        byte[] bytes = ("v: " + candidate + "\nlimit: 12\n").getBytes(StandardCharsets.UTF_8);
        long stableIndex = server.get(KEY).orElseThrow().modifyIndex();
        long candidateIndex = server.put(keys.candidate(), bytes);
        Polling.pause(TimeUnit.MILLISECONDS.toNanos(gapMs));
        RolloutPlan plan = RolloutPlan.builder().stages(1, 10, 50, 100).build();
        RolloutRecord r = null;
        for (int stage = 1; stage <= plan.stages().size(); stage++) {
          int cut = cut(buckets, plan.stages().get(stage - 1));
          Instant now = Instant.now();
          r =
              r == null
                  ? new RolloutRecord(
                      RolloutRecord.FORMAT,
                      "r-" + round,
                      APP,
                      KEY,
                      stableIndex,
                      candidateIndex,
                      RolloutDriver.sha256(bytes),
                      plan,
                      1,
                      cut,
                      1,
                      false,
                      null,
                      List.of(),
                      now,
                      now,
                      now,
                      "bench")
                  : r.advanced(cut, now);
          int c = r.cut();
          List<Instance> entering =
              fleet.stream()
                  .filter(i -> i.follower().bucket() < c && !i.runs().equals(candidate))
                  .toList();
          Instant t0 = Instant.now();
          server.put(keys.record(), r.toJson());
          awaitAll(
              entering, i -> i.runs().equals(candidate), timeout, candidate + " stage " + stage);
          long last = 0;
          for (Instance i : entering) {
            long ns = Duration.between(t0, i.since()).toNanos();
            stageInstance.add(ns);
            last = Math.max(last, ns);
          }
          stageAll.add(last);
          Polling.pause(TimeUnit.MILLISECONDS.toNanos(gapMs));
        }
        Instant t0 = Instant.now();
        server.put(keys.record(), r.halt("bench revert", List.of(), t0).toJson());
        awaitAll(fleet, i -> i.runs().equals(stable), timeout, "revert to " + stable);
        long last = 0;
        for (Instance i : fleet) {
          long ns = Duration.between(t0, i.since()).toNanos();
          revertInstance.add(ns);
          last = Math.max(last, ns);
        }
        revertAll.add(last);
        server.delete(keys.record());
        server.delete(keys.candidate());
        Polling.pause(TimeUnit.MILLISECONDS.toNanos(gapMs));
      }

      List<Long> refusalToHalt = new ArrayList<>();
      List<Long> refusalToAll = new ArrayList<>();
      List<Long> haltToAll = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (int round = 1; round <= badRounds; round++) {
        String stable = "stable-bad-" + round;
        server.put(KEY, "v: " + stable + "\nlimit: 10\n");
        awaitAll(fleet, i -> i.runs().equals(stable), timeout, stable);
        awaitAcks(client, instances, timeout);
        Polling.pause(TimeUnit.MILLISECONDS.toNanos(gapMs));
        refusals.clear();
        server.clearRequests();
        byte[] bytes = ("v: bad-" + round + "\nlimit: 20\n").getBytes(StandardCharsets.UTF_8);
        try (RolloutDriver driver =
            RolloutDriver.create(
                ConsulConnection.builder().address(server.url()).build(),
                DriverConfig.builder(APP).pollInterval(Duration.ofSeconds(1)).build())) {
          driver.lock();
          // the bake spaces the stages like gapMs (a stage that holds no refusing instance moves
          // on after it); the times measured start at the first refusal, whatever the bake
          driver.start(
              KEY,
              bytes,
              RolloutPlan.builder().stages(10, 50, 100).bake(Duration.ofMillis(gapMs)).build());
          RolloutDriver.Outcome o = driver.drive(e -> {});
          if (o.result() != RolloutDriver.Result.HALTED) {
            throw new IllegalStateException("expected a halt but the rollout ended " + o);
          }
          awaitAll(fleet, i -> i.runs().equals(stable), timeout, "back to " + stable);
          Instant firstRefusal =
              refusals.values().stream().min(Comparator.naturalOrder()).orElseThrow();
          Instant halt =
              server.requests().stream()
                  .filter(
                      q ->
                          q.method().equals("PUT")
                              && q.path().equals("/v1/kv/" + keys.record())
                              && q.queryParameter("cas").filter(x -> !x.equals("0")).isPresent())
                  .map(RecordedRequest::receivedAt)
                  .max(Comparator.naturalOrder())
                  .orElseThrow();
          Instant allBack =
              fleet.stream().map(Instance::since).max(Comparator.naturalOrder()).orElseThrow();
          refusalToHalt.add(Duration.between(firstRefusal, halt).toNanos());
          refusalToAll.add(Duration.between(firstRefusal, allBack).toNanos());
          haltToAll.add(Duration.between(halt, allBack).toNanos());
          notes.add(
              String.format(
                  Locale.ROOT,
                  "bad round %d: halted at stage %d with %d failures: %s",
                  round,
                  o.record().stage(),
                  o.failures().size(),
                  o.failures().isEmpty() ? "-" : o.failures().get(0).reason()));
        }
        server.delete(keys.record());
        server.delete(keys.candidate());
      }
      return new Result(
          instances,
          Latencies.of(toArray(stageInstance)),
          Latencies.of(toArray(stageAll)),
          Latencies.of(toArray(revertInstance)),
          Latencies.of(toArray(revertAll)),
          Latencies.of(toArray(refusalToHalt)),
          Latencies.of(toArray(refusalToAll)),
          Latencies.of(toArray(haltToAll)),
          notes,
          setupSeconds,
          threads,
          gapMs);
    } finally {
      // the fleet first: closed before the server, the instances would log its absence
      fleet.forEach(
          i -> {
            i.follower().close();
            i.config().close();
          });
      listeners.shutdownNow();
      builders.shutdownNow();
      server.close();
    }
  }

  private static Instance start(
      ConsulTestServer server,
      int k,
      long refillMs,
      ExecutorService listeners,
      Map<String, Instant> refusals) {
    String id = String.format(Locale.ROOT, "i-%04d", k);
    ConsulSourceConfig.Builder sb = ConsulSourceConfig.key(KEY).address(server.url());
    if (refillMs > 0) {
      sb.rateLimit(100, Duration.ofMillis(refillMs));
    }
    ConsulSourceConfig source = sb.build();
    ConsulAcknowledger acks =
        ConsulAcknowledger.create(
            AcknowledgerConfig.builder(APP, ConsulConnection.of(source)).instance(id).build());
    RolloutFollower follower = RolloutFollower.create(acks, FollowerConfig.builder().build());
    HotConfig.Builder b =
        HotConfig.builder()
            .name(id)
            .listenerExecutor(listeners)
            .source(follower.track(ConsulSource.create(source)));
    if (k % 10 == 0) {
      b.validate(Rules.range("limit", 1, 15)); // an older schema: refuses the bad candidate
    }
    HotConfig config = b.build();
    follower.start(config);
    config.onFailure(
        f -> {
          if (f.kind() == ConfigFailure.Kind.REJECTED) {
            refusals.merge(id, f.time(), (x, y) -> x.isBefore(y) ? x : y);
          }
        });
    return new Instance(id, k, config, follower);
  }

  /** The cut the driver computes: below it the buckets of ⌈percent × N⌉ instances. */
  static int cut(List<Integer> sortedBuckets, double percent) {
    if (percent >= 100) {
      return AckRollout.BUCKETS;
    }
    int n = Math.max(1, (int) Math.ceil(percent * sortedBuckets.size() / 100.0 - 1e-9));
    return sortedBuckets.get(n - 1) + 1;
  }

  private static void awaitAll(
      List<Instance> which, java.util.function.Predicate<Instance> p, Duration timeout, String what)
      throws Exception {
    // the times come from the snapshots' own createdAt: checking once a millisecond is enough
    Polling.await(() -> which.stream().allMatch(p), timeout, what, 1_000_000);
  }

  /** Until every instance's acknowledgement follows rollouts (the driver needs them). */
  private static void awaitAcks(ConsulClient client, int instances, Duration timeout)
      throws Exception {
    Polling.await(
        () -> {
          try {
            return client
                    .list("hotconf/acks/" + APP + "/", 0, Duration.ofSeconds(1))
                    .entries()
                    .size()
                == instances;
          } catch (Exception e) {
            return false;
          }
        },
        timeout,
        "every acknowledgement");
  }

  private static long[] toArray(List<Long> l) {
    return l.stream().mapToLong(Long::longValue).toArray();
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
