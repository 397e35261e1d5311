package dev.hotconf.consul.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigFailure;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.time.MutableClock;
import dev.hotconf.validate.Rules;
import dev.hotconf.validate.Validator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staged-rollout simulation: library instances in one JVM on one ConsulTestServer (each with
 * its three blocking-query watches, its pipeline and its acknowledger), driven by the real driver
 * loop on a clock the test moves (bakes of 60 s pass at once).
 *
 * <ul>
 *   <li>a healthy candidate goes through 1, 10, 50 and 100 %: at each stage exactly the instances
 *       whose bucket is below the record's cut run it, and their share is within 2 points of the
 *       stage's percentage; half way the driver is killed, a second driver is refused until the
 *       first one's lock session expires, then takes over at the same stage; at 100 % the candidate
 *       is promoted;
 *   <li>a candidate that 10 % of the instances reject (an older schema) halts at the first stage,
 *       the driver names the instances and their reason, and every instance is back on the stable
 *       version (how long that takes is written to {@code target/rollout-simulation.txt} and
 *       measured quietly by the benchmark program RolloutTimings, not asserted: timing claims do
 *       not belong in unit tests);
 *   <li>with a label selector only matching instances take part in the stages.
 * </ul>
 *
 * <p>Scale: {@value #CI_INSTANCES} instances in the normal build (the suite's time budget); {@code
 * -Prollout-simulation} runs this class alone with {@code hotconf.rollout.instances} instances
 * (default there 1,000; the issue asks for at least 200), its waits scaled with the fleet
 * (benchmarks/results/rollout.md has a run).
 */
class RolloutSimulationTest {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutSimulationTest.class);
  static final int CI_INSTANCES = 100;
  static final int INSTANCES = Integer.getInteger("hotconf.rollout.instances", CI_INSTANCES);

  /** What the run saw, written to target/rollout-simulation.txt after the class. */
  private static final List<String> REPORT =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private static final MutableClock SESSIONS =
      new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @RegisterExtension
  static final ConsulTestServerExtension CONSUL =
      new ConsulTestServerExtension(ConsulTestServer.builder().sessionClock(SESSIONS));

  private static Instances instances;
  private static List<Instances.Instance> fleet;

  /** When each instance last refused a version, by instance ID. */
  private static final Map<String, Instant> refusals = new ConcurrentHashMap<>();

  private final MutableClock clock = new MutableClock(Records.T0);
  private final List<RolloutDriver> drivers = new ArrayList<>();
  private ConsulTestServer server;
  private final RolloutKeys keys = RolloutKeys.of(Instances.APP);
  private int round;

  /** A bound on a wait of {@code seconds} at 200 instances, grown with larger fleets. */
  static Duration patience(int seconds) {
    return Duration.ofSeconds(seconds).multipliedBy(Math.max(1, INSTANCES / 200));
  }

  /** Every tenth instance runs an older schema: it refuses a limit above 15. */
  static boolean oldSchema(int k) {
    return k % 10 == 0;
  }

  @BeforeAll
  static void startFleet() throws Exception {
    long t0 = System.nanoTime();
    ConsulTestServer server = CONSUL.server();
    server.put(Instances.KEY, "v: stable-0\nlimit: 10\n");
    instances = new Instances(server);
    fleet =
        instances.startMany(
            INSTANCES,
            k -> String.format("node-%03d", k),
            k -> Map.of("zone", k % 2 == 0 ? "a" : "b"),
            k -> oldSchema(k) ? List.<Validator>of(Rules.range("limit", 1, 15)) : List.of());
    for (Instances.Instance i : fleet) {
      i.config.onFailure(
          f -> {
            if (f.kind() == ConfigFailure.Kind.REJECTED) {
              refusals.put(i.id, f.time());
            }
          });
    }
    REPORT.add(
        String.format(
            java.util.Locale.ROOT,
            "%d instances started in %.1f s",
            INSTANCES,
            (System.nanoTime() - t0) / 1e9));
  }

  @AfterAll
  static void stopFleet() throws java.io.IOException {
    if (instances != null) {
      instances.close();
    }
    java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
    java.nio.file.Files.write(java.nio.file.Path.of("target/rollout-simulation.txt"), REPORT);
  }

  @BeforeEach
  void freshStableVersion() throws Exception {
    server = CONSUL.server();
    try (dev.hotconf.consul.ConsulClient c = client()) {
      RolloutDriver.abort(c, keys);
    }
    round++;
    server.put(Instances.KEY, "v: stable-" + System.nanoTime() + "\nlimit: 10\n");
    String expected = server.get(Instances.KEY).orElseThrow().valueAsString().split("\n")[0];
    await()
        .atMost(patience(60))
        .until(
            () ->
                fleet.stream()
                    .allMatch(
                        i ->
                            ("v: " + i.runs()).equals(expected)
                                && i.written()
                                    .filter(a -> a.state().equals(AckState.LIVE))
                                    .isPresent()));
    refusals.clear();
  }

  @AfterEach
  void stopDrivers() {
    drivers.forEach(RolloutDriver::close);
  }

  private dev.hotconf.consul.ConsulClient client() {
    return dev.hotconf.consul.ConsulClient.create(
        ConsulConnection.builder().address(server.url()).build());
  }

  private RolloutDriver driver(String name) {
    RolloutDriver d =
        RolloutDriver.create(
            ConsulConnection.builder().address(server.url()).build(),
            DriverConfig.builder(Instances.APP)
                .clock(clock)
                .name(name)
                .pollInterval(Duration.ofSeconds(1))
                .build());
    drivers.add(d);
    return d;
  }

  private static CompletableFuture<RolloutDriver.Outcome> drive(RolloutDriver d) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return d.drive(e -> LOG.info("driver: {}", e.text()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private RolloutRecord record() {
    return RolloutRecord.parse(server.get(keys.record()).orElseThrow().value());
  }

  private RolloutRecord awaitStage(int stage) {
    return await()
        .atMost(patience(30))
        .until(
            () -> server.get(keys.record()).map(e -> RolloutRecord.parse(e.value())).orElse(null),
            r -> r != null && r.stage() == stage);
  }

  /**
   * Waits until exactly the instances the stage selects run {@code candidate} (and say so), then
   * checks their share; returns it.
   */
  private double checkStage(
      RolloutRecord r, String candidate, List<Instances.Instance> population) {
    Set<String> expected =
        population.stream()
            .filter(i -> i.bucket() < r.cut())
            .map(i -> i.id)
            .collect(Collectors.toSet());
    await()
        .atMost(patience(30))
        .until(
            () ->
                fleet.stream()
                    .allMatch(
                        i ->
                            expected.contains(i.id)
                                == (i.runs().equals(candidate)
                                    && i.written()
                                        .filter(a -> a.state().equals(AckState.CANARY))
                                        .isPresent())));
    Set<String> onCandidate =
        fleet.stream()
            .filter(i -> i.runs().equals(candidate))
            .map(i -> i.id)
            .collect(Collectors.toSet());
    assertThat(onCandidate).isEqualTo(expected);
    double share = 100.0 * expected.size() / population.size();
    REPORT.add(
        String.format(
            java.util.Locale.ROOT,
            "stage %d (%s %%): %d of %d instances on the candidate (%.2f %%), bucket cut %d",
            r.stage(),
            RolloutPlan.percent(r.percent()),
            expected.size(),
            population.size(),
            share,
            r.cut()));
    assertThat(share)
        .as("share at stage %s", r.percent())
        .isBetween(r.percent() - 2, r.percent() + 2);
    return share;
  }

  @Test
  void aHealthyCandidateReachesEveryStageSurvivesADriverKillAndIsPromoted() throws Exception {
    String candidate = "candidate-" + round;
    byte[] bytes = ("v: " + candidate + "\nlimit: 12\n").getBytes(StandardCharsets.UTF_8);
    RolloutPlan plan =
        RolloutPlan.builder().stages(1, 10, 50, 100).bake(Duration.ofSeconds(60)).build();
    RolloutDriver first = driver("first (pid 1)");
    first.lock();
    first.start(Instances.KEY, bytes, plan);
    CompletableFuture<RolloutDriver.Outcome> firstDriving = drive(first);

    checkStage(awaitStage(1), candidate, fleet);
    clock.advance(Duration.ofSeconds(60));
    checkStage(awaitStage(2), candidate, fleet);

    // the driver dies half way; the rollout stays where it is
    first.kill();
    assertThat(firstDriving.get(patience(30).toSeconds(), TimeUnit.SECONDS).result())
        .isEqualTo(RolloutDriver.Result.STOPPED);
    RolloutDriver second = driver("second (pid 2)");
    assertThatThrownBy(second::lock)
        .isInstanceOfSatisfying(
            RolloutException.class,
            e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.LOCK_HELD));
    SESSIONS.advance(DriverConfig.DEFAULT_LOCK_TTL.multipliedBy(2).plusSeconds(1));
    assertThat(server.expireSessions()).as("only the dead driver's session").isEqualTo(1);
    second.lock();
    assertThat(second.resume().kind()).isEqualTo(RolloutDriver.EventKind.TAKEN_OVER);
    assertThat(record().stage()).as("no stage repeated or skipped").isEqualTo(2);
    CompletableFuture<RolloutDriver.Outcome> secondDriving = drive(second);

    clock.advance(Duration.ofSeconds(60));
    checkStage(awaitStage(3), candidate, fleet);
    clock.advance(Duration.ofSeconds(60));
    checkStage(awaitStage(4), candidate, fleet);
    clock.advance(Duration.ofSeconds(60));

    RolloutDriver.Outcome outcome = secondDriving.get(patience(60).toSeconds(), TimeUnit.SECONDS);
    assertThat(outcome.result()).isEqualTo(RolloutDriver.Result.PROMOTED);
    assertThat(server.get(Instances.KEY).orElseThrow().value()).isEqualTo(bytes);
    assertThat(server.get(keys.record())).isEmpty();
    await()
        .atMost(patience(30))
        .until(
            () ->
                fleet.stream()
                    .allMatch(
                        i ->
                            i.runs().equals(candidate)
                                && i.written()
                                    .filter(a -> a.state().equals(AckState.LIVE))
                                    .isPresent()));
  }

  @Test
  void aCandidateTenPercentRejectHaltsAtTheFirstStageAndEveryoneGoesBackToStable()
      throws Exception {
    String stable = fleet.get(0).runs();
    String candidate = "candidate-" + round;
    byte[] bytes = ("v: " + candidate + "\nlimit: 20\n").getBytes(StandardCharsets.UTF_8);
    RolloutPlan plan =
        RolloutPlan.builder().stages(10, 50, 100).bake(Duration.ofSeconds(60)).build();
    List<Instances.Instance> byBucket =
        fleet.stream()
            .sorted(java.util.Comparator.comparingInt(Instances.Instance::bucket))
            .toList();
    Set<String> firstStage =
        byBucket.subList(0, INSTANCES / 10).stream().map(i -> i.id).collect(Collectors.toSet());
    Set<String> rejecters =
        fleet.stream()
            .filter(i -> oldSchema(Integer.parseInt(i.id.substring(5))))
            .map(i -> i.id)
            .collect(Collectors.toSet());
    assertThat(rejecters).hasSize(INSTANCES / 10);
    Set<String> failing =
        firstStage.stream().filter(rejecters::contains).collect(Collectors.toSet());
    assertThat(failing).as("premise: the first stage holds instances that reject").isNotEmpty();

    RolloutDriver d = driver("driver (pid 3)");
    d.lock();
    d.start(Instances.KEY, bytes, plan);
    RolloutDriver.Outcome outcome = drive(d).get(patience(60).toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome.result()).isEqualTo(RolloutDriver.Result.HALTED);
    assertThat(outcome.record().stage()).isEqualTo(1);
    assertThat(clock.instant()).as("halted without waiting for the bake").isEqualTo(Records.T0);
    assertThat(outcome.failures())
        .allSatisfy(
            f -> {
              assertThat(failing).contains(f.instance());
              assertThat(f.state()).isEqualTo("unhealthy");
              assertThat(f.reason()).contains("limit");
            });
    assertThat(record().halted()).isTrue();
    await()
        .atMost(patience(30))
        .until(
            () ->
                fleet.stream()
                    .allMatch(
                        i ->
                            i.runs().equals(stable)
                                && i.written()
                                    .filter(a -> a.state().equals(AckState.STABLE))
                                    .isPresent()));
    Instant firstRefusal = refusals.values().stream().min(Instant::compareTo).orElseThrow();
    Instant lastBack =
        fleet.stream()
            .map(i -> i.config.snapshot().createdAt())
            .max(Instant::compareTo)
            .orElseThrow();
    REPORT.add(
        String.format(
            java.util.Locale.ROOT,
            "10 %% refuse: halted at stage 1 naming %d of the %d refusing instances of the stage;"
                + " first refusal -> every instance back on the stable version: %d ms"
                + " (%d canaries reverted)",
            outcome.failures().size(),
            failing.size(),
            Duration.between(firstRefusal, lastBack).toMillis(),
            firstStage.size() - failing.size()));
    assertThat(fleet.stream().filter(i -> i.runs().equals(candidate))).isEmpty();
  }

  @Test
  void aLabelSelectorKeepsTheStagesToTheMatchingInstances() throws Exception {
    String candidate = "candidate-" + round;
    byte[] bytes = ("v: " + candidate + "\nlimit: 12\n").getBytes(StandardCharsets.UTF_8);
    RolloutPlan plan =
        RolloutPlan.builder()
            .stages(10, 50, 100)
            .bake(Duration.ofSeconds(60))
            .selector(LabelSelector.parse("zone=a"))
            .build();
    List<Instances.Instance> zoneA =
        fleet.stream().filter(i -> Integer.parseInt(i.id.substring(5)) % 2 == 0).toList();
    RolloutDriver d = driver("driver (pid 4)");
    d.lock();
    d.start(Instances.KEY, bytes, plan);
    CompletableFuture<RolloutDriver.Outcome> driving = drive(d);

    for (int stage = 1; stage <= 3; stage++) {
      checkStage(awaitStage(stage), candidate, zoneA);
      clock.advance(Duration.ofSeconds(60));
    }

    assertThat(driving.get(patience(60).toSeconds(), TimeUnit.SECONDS).result())
        .isEqualTo(RolloutDriver.Result.PROMOTED);
    await()
        .atMost(patience(30))
        .until(() -> fleet.stream().allMatch(i -> i.runs().equals(candidate)));
  }
}
