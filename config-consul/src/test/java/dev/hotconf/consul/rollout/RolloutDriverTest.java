package dev.hotconf.consul.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckRollout;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.testing.consul.ConsulSession;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.time.MutableClock;
import dev.hotconf.validate.Rules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The driver against ConsulTestServer and ten library instances: stages move only after their bake
 * (on a clock the test moves) and with every instance of the stage on the candidate; unhealthy
 * instances, missing acknowledgements and a stable key changed under the rollout halt it; the
 * promotion writes with check-and-set; one driver at a time (a session lock without lock delay),
 * and a second one takes over from the record.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RolloutDriverTest {
  private static final String STABLE = "v: stable\nlimit: 10\n";
  private static final String CANDIDATE = "v: candidate\nlimit: 20\n";
  private static final byte[] CANDIDATE_BYTES = CANDIDATE.getBytes(StandardCharsets.UTF_8);

  private final MutableClock sessions = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final MutableClock clock = new MutableClock(Records.T0);

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().sessionClock(sessions));

  private ConsulTestServer server;
  private Instances instances;
  private final RolloutKeys keys = RolloutKeys.of(Instances.APP);
  private final List<RolloutDriver> drivers = new ArrayList<>();
  private final List<RolloutDriver.Event> events = new ArrayList<>();

  @BeforeEach
  void setUp() {
    server = consul.server();
    server.put(Instances.KEY, STABLE);
    instances = new Instances(server);
  }

  @AfterEach
  void tearDown() {
    drivers.forEach(RolloutDriver::close);
    instances.close();
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

  private List<Instances.Instance> fleet(int n) throws Exception {
    List<Instances.Instance> all =
        instances.startMany(n, k -> String.format("web-%02d", k), k -> Map.of(), k -> List.of());
    awaitAcks(all, a -> a.rollout() != null);
    return all;
  }

  private void awaitAcks(List<Instances.Instance> which, java.util.function.Predicate<Ack> p) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> which.stream().allMatch(i -> i.written().filter(p).isPresent()));
  }

  private static RolloutPlan plan(double... stages) {
    return RolloutPlan.builder()
        .stages(stages)
        .bake(Duration.ofSeconds(60))
        .ackTimeout(Duration.ofSeconds(30))
        .build();
  }

  private RolloutRecord record() {
    return RolloutRecord.parse(server.get(keys.record()).orElseThrow().value());
  }

  private static List<Instances.Instance> byBucket(List<Instances.Instance> all) {
    return all.stream().sorted(Comparator.comparingInt(Instances.Instance::bucket)).toList();
  }

  /** Steps until the stage's instances all report canary (the driver judges what they write). */
  private void awaitCanaries(List<Instances.Instance> expected) {
    awaitAcks(expected, a -> a.state().equals(AckState.CANARY));
  }

  @Test
  void aHealthyCandidateMovesOnlyAfterEachBakeAndIsPromoted() throws Exception {
    List<Instances.Instance> all = byBucket(fleet(10));
    RolloutDriver d = driver("alice@ci");
    d.lock();

    RolloutDriver.Event started = d.start(Instances.KEY, CANDIDATE_BYTES, plan(10, 50, 100));

    assertThat(started.kind()).isEqualTo(RolloutDriver.EventKind.STARTED);
    RolloutRecord r = record();
    assertThat(r.stage()).isEqualTo(1);
    assertThat(r.cut()).as("10 % of 10: exactly one").isEqualTo(all.get(0).bucket() + 1);
    awaitCanaries(all.subList(0, 1));
    assertThat(all.subList(1, 10)).allSatisfy(i -> assertThat(i.runs()).isEqualTo("stable"));

    // before the bake ends nothing moves, however healthy
    RolloutDriver.Step early = d.step(events::add);
    assertThat(early.outcome()).isNull();
    assertThat(early.lookAgain()).isEqualTo(r.bakeEnds());
    assertThat(record().stage()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(60));
    assertThat(d.step(events::add).outcome()).isNull();
    assertThat(record().stage()).isEqualTo(2);
    assertThat(record().stageStarted()).isEqualTo(clock.instant());
    awaitCanaries(all.subList(0, 5));
    assertThat(all.subList(5, 10)).allSatisfy(i -> assertThat(i.runs()).isEqualTo("stable"));

    clock.advance(Duration.ofSeconds(60));
    d.step(events::add);
    assertThat(record().cut()).isEqualTo(AckRollout.BUCKETS);
    awaitCanaries(all);

    clock.advance(Duration.ofSeconds(60));
    RolloutDriver.Step last = d.step(events::add);

    assertThat(last.outcome().result()).isEqualTo(RolloutDriver.Result.PROMOTED);
    assertThat(server.get(Instances.KEY).orElseThrow().valueAsString()).isEqualTo(CANDIDATE);
    assertThat(server.get(keys.record())).isEmpty();
    assertThat(server.get(keys.candidate())).isEmpty();
    awaitAcks(all, a -> a.state().equals(AckState.LIVE) && a.rollout().id() == null);
    assertThat(all).allSatisfy(i -> assertThat(i.runs()).isEqualTo("candidate"));
    assertThat(events)
        .extracting(RolloutDriver.Event::kind)
        .contains(RolloutDriver.EventKind.STAGE, RolloutDriver.EventKind.PROMOTED);
  }

  @Test
  void anUnhealthyInstanceHaltsTheStageAtOnceAndEveryoneGoesBackToStable() throws Exception {
    List<Instances.Instance> healthy =
        instances.startMany(6, k -> "ok-" + k, k -> Map.of(), k -> List.of());
    // the instance that will be in the first stage rejects the candidate
    String sickId = lowestBucketId("sick-", 40);
    Instances.Instance sick =
        instances.start(sickId, Map.of(), List.of(Rules.range("limit", 1, 15)), null);
    List<Instances.Instance> all = new ArrayList<>(healthy);
    all.add(sick);
    awaitAcks(all, a -> a.rollout() != null);
    assertThat(byBucket(all).get(0)).isSameAs(sick);
    RolloutDriver d = driver("alice@ci");
    d.lock();
    d.start(Instances.KEY, CANDIDATE_BYTES, plan(10, 100));

    RolloutDriver.Outcome outcome =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> d.step(events::add).outcome(), o -> o != null);

    assertThat(outcome.result()).isEqualTo(RolloutDriver.Result.HALTED);
    assertThat(clock.instant()).as("no bake waited for").isEqualTo(Records.T0);
    assertThat(outcome.failures()).hasSize(1);
    assertThat(outcome.failures().get(0).instance()).isEqualTo(sickId);
    assertThat(outcome.failures().get(0).reason()).contains("limit");
    RolloutRecord halted = record();
    assertThat(halted.halted()).isTrue();
    assertThat(halted.reason()).contains("1 of 1 instances at stage 1/2 (10 %) unhealthy");
    assertThat(halted.failures()).isEqualTo(outcome.failures());
    awaitAcks(all, a -> a.state().equals(AckState.STABLE));
    assertThat(all).allSatisfy(i -> assertThat(i.runs()).isEqualTo("stable"));
    assertThat(events)
        .filteredOn(e -> e.kind() == RolloutDriver.EventKind.HALTED)
        .singleElement()
        .satisfies(e -> assertThat(e.text()).contains(sickId).contains("limit"));
  }

  /** An instance ID with a prefix whose bucket is below every bucket of ids seen so far. */
  private String lowestBucketId(String prefix, int maxBucket) {
    for (int n = 0; ; n++) {
      String id = prefix + n;
      if (Buckets.bucket(Instances.APP, id) < maxBucket) {
        return id;
      }
    }
  }

  @Test
  void instancesThatNeverRunTheCandidateHaltItAfterTheAckTimeout() throws Exception {
    List<Instances.Instance> all = fleet(3);
    // a follower that stopped working: its record says it follows rollouts, it never moves
    String ghost = lowestBucketId("ghost-", 5);
    Ack record =
        new Ack(
            Ack.FORMAT,
            Instances.APP,
            ghost,
            AckState.LIVE,
            Instances.KEY,
            1,
            "ab",
            1,
            0,
            List.of(),
            Records.T0,
            "test",
            AckRollout.idle(Buckets.bucket(Instances.APP, ghost), Map.of()));
    server.put("hotconf/acks/" + Instances.APP + "/" + ghost, record.toJson());
    RolloutDriver d = driver("alice@ci");
    d.lock();
    d.start(Instances.KEY, CANDIDATE_BYTES, plan(25, 100));

    clock.advance(Duration.ofSeconds(60));
    RolloutDriver.Step waiting = d.step(events::add);
    assertThat(waiting.outcome()).isNull();
    assertThat(waiting.lookAgain()).isEqualTo(record().bakeEnds().plusSeconds(30));

    clock.advance(Duration.ofSeconds(30));
    RolloutDriver.Outcome o = d.step(events::add).outcome();

    assertThat(o.result()).isEqualTo(RolloutDriver.Result.HALTED);
    assertThat(o.message()).contains("only 0 of 1 instances at stage 1/2 (25 %) run the candidate");
    assertThat(o.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.instance()).isEqualTo(ghost);
              assertThat(f.state()).isEqualTo("pending");
            });
    assertThat(all).allSatisfy(i -> assertThat(i.runs()).isEqualTo("stable"));
  }

  @Test
  void aStableKeyChangedDuringTheRolloutHaltsItInsteadOfPromoting() throws Exception {
    List<Instances.Instance> all = byBucket(fleet(4));
    RolloutDriver d = driver("alice@ci");
    d.lock();
    d.start(Instances.KEY, CANDIDATE_BYTES, plan(100));
    awaitCanaries(all);

    server.put(Instances.KEY, "v: hotfix\nlimit: 11\n");
    clock.advance(Duration.ofSeconds(60));
    RolloutDriver.Outcome o = d.step(events::add).outcome();

    assertThat(o.result()).isEqualTo(RolloutDriver.Result.CONFLICT);
    assertThat(o.message()).contains(Instances.KEY + " changed during the rollout");
    assertThat(record().halted()).isTrue();
    assertThat(server.get(Instances.KEY).orElseThrow().valueAsString()).contains("hotfix");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> all.stream().allMatch(i -> i.runs().equals("hotfix")));
  }

  @Test
  void theLastStagePromotesWithCheckAndSetOnTheIndexTheRolloutStartedFrom() throws Exception {
    fleet(2);
    RolloutDriver d = driver("alice@ci");
    d.lock();
    d.start(Instances.KEY, CANDIDATE_BYTES, plan(100));
    long stableIndex = record().stableIndex();
    awaitAcks(instances.all, a -> a.state().equals(AckState.CANARY));
    clock.advance(Duration.ofSeconds(60));

    assertThat(d.step(events::add).outcome().result()).isEqualTo(RolloutDriver.Result.PROMOTED);

    assertThat(
            server.requests().stream()
                .filter(
                    q -> q.method().equals("PUT") && q.path().equals("/v1/kv/" + Instances.KEY)))
        .singleElement()
        .satisfies(q -> assertThat(q.queryParameter("cas")).hasValue(Long.toString(stableIndex)));
  }

  @Test
  void startRefusesWhatCannotBeRolledOut() throws Exception {
    RolloutDriver d = driver("alice@ci");
    d.lock();
    assertThatThrownBy(() -> d.start(Instances.KEY, CANDIDATE_BYTES, plan(100)))
        .isInstanceOfSatisfying(
            RolloutException.class,
            e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.NO_INSTANCES));
    fleet(2);
    assertThatThrownBy(
            () -> d.start(Instances.KEY, STABLE.getBytes(StandardCharsets.UTF_8), plan(100)))
        .isInstanceOfSatisfying(
            RolloutException.class,
            e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.UNCHANGED));
    assertThatThrownBy(() -> d.start("config/orders/none.yaml", CANDIDATE_BYTES, plan(100)))
        .isInstanceOfSatisfying(
            RolloutException.class,
            e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.NO_STABLE_VERSION));
    RolloutPlan nobody =
        RolloutPlan.builder().stages(100).selector(LabelSelector.parse("zone=mars")).build();
    assertThatThrownBy(() -> d.start(Instances.KEY, CANDIDATE_BYTES, nobody))
        .isInstanceOfSatisfying(
            RolloutException.class,
            e ->
                assertThat(e)
                    .hasMessageContaining("zone=mars")
                    .extracting(RolloutException::kind)
                    .isEqualTo(RolloutException.Kind.NO_INSTANCES));
    assertThat(server.get(keys.candidate())).as("nothing written").isEmpty();

    d.start(Instances.KEY, CANDIDATE_BYTES, plan(50, 100));
    assertThat(d.start(Instances.KEY, CANDIDATE_BYTES, plan(50, 100)).kind())
        .as("the same candidate again: taken over")
        .isEqualTo(RolloutDriver.EventKind.TAKEN_OVER);
    assertThatThrownBy(
            () -> d.start(Instances.KEY, "v: other\n".getBytes(StandardCharsets.UTF_8), plan(100)))
        .isInstanceOfSatisfying(
            RolloutException.class,
            e ->
                assertThat(e)
                    .hasMessageContaining("rollout abort")
                    .extracting(RolloutException::kind)
                    .isEqualTo(RolloutException.Kind.CONFLICT));
  }

  @Test
  void aSecondDriverIsRefusedUntilTheFirstReleasesOrItsSessionExpires() throws Exception {
    RolloutDriver first = driver("alice@ci-1 (pid 1)");
    first.lock();
    String lockSession = server.get(keys.lock()).orElseThrow().session().orElseThrow();
    ConsulSession s = server.session(lockSession).orElseThrow();
    assertThat(s.lockDelay()).as("no LockDelay trap").isZero();
    assertThat(s.behavior()).isEqualTo(ConsulSession.Behavior.RELEASE);
    assertThat(s.nodeChecks()).isEmpty();
    assertThat(s.ttl()).hasValue(DriverConfig.DEFAULT_LOCK_TTL);

    RolloutDriver second = driver("bob@laptop (pid 2)");
    assertThatThrownBy(second::lock)
        .isInstanceOfSatisfying(
            RolloutException.class,
            e ->
                assertThat(e)
                    .hasMessageContaining("driven by alice@ci-1 (pid 1)")
                    .extracting(RolloutException::kind)
                    .isEqualTo(RolloutException.Kind.LOCK_HELD));
    try (ConsulClient c =
        ConsulClient.create(ConsulConnection.builder().address(server.url()).build())) {
      assertThat(RolloutStatus.read(c, keys, "hotconf/acks/", clock).driver())
          .hasValueSatisfying(x -> assertThat(x.name()).isEqualTo("alice@ci-1 (pid 1)"));
    }

    // a clean stop frees the lock at once
    first.close();
    second.lock();
    assertThat(server.lockDelayUntil(keys.lock())).isEmpty();

    // a killed driver keeps it until its session expires (the TTL is a lower bound)
    RolloutDriver third = driver("carol@ci-2 (pid 3)");
    second.kill();
    assertThatThrownBy(third::lock).isInstanceOf(RolloutException.class);
    sessions.advance(DriverConfig.DEFAULT_LOCK_TTL.multipliedBy(2).plusSeconds(1));
    assertThat(server.expireSessions()).isEqualTo(1);
    third.lock();
    try (ConsulClient c =
        ConsulClient.create(ConsulConnection.builder().address(server.url()).build())) {
      assertThat(RolloutStatus.read(c, keys, "hotconf/acks/", clock).driver())
          .hasValueSatisfying(x -> assertThat(x.name()).isEqualTo("carol@ci-2 (pid 3)"));
    }
  }

  @Test
  void anotherDriverTakesOverFromTheRecordWhereAKilledOneStopped() throws Exception {
    List<Instances.Instance> all = byBucket(fleet(4));
    RolloutDriver first = driver("alice@ci");
    first.lock();
    first.start(Instances.KEY, CANDIDATE_BYTES, plan(25, 50, 100));
    awaitCanaries(all.subList(0, 1));
    clock.advance(Duration.ofSeconds(60));
    first.step(events::add);
    assertThat(record().stage()).isEqualTo(2);
    Instant stage2 = clock.instant();
    first.kill();

    sessions.advance(DriverConfig.DEFAULT_LOCK_TTL.multipliedBy(2).plusSeconds(1));
    server.expireSessions();
    RolloutDriver second = driver("bob@ci");
    second.lock();
    clock.advance(Duration.ofSeconds(30));

    assertThat(second.resume().kind()).isEqualTo(RolloutDriver.EventKind.TAKEN_OVER);
    awaitCanaries(all.subList(0, 2));
    RolloutDriver.Step s = second.step(events::add);
    assertThat(s.outcome()).isNull();
    assertThat(s.lookAgain())
        .as("the bake counts from the record")
        .isEqualTo(stage2.plusSeconds(60));
    assertThat(record().stage()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(30));
    second.step(events::add);
    assertThat(record().stage()).isEqualTo(3);
    awaitCanaries(all);
    clock.advance(Duration.ofSeconds(60));
    assertThat(second.step(events::add).outcome().result())
        .isEqualTo(RolloutDriver.Result.PROMOTED);
  }

  @Test
  void aPromotionInterruptedAfterTheStableWriteIsFinishedByTheNextLook() throws Exception {
    fleet(2);
    RolloutDriver d = driver("alice@ci");
    d.lock();
    d.start(Instances.KEY, CANDIDATE_BYTES, plan(100));
    // what a driver killed between its two writes leaves behind
    server.put(Instances.KEY, CANDIDATE_BYTES);

    RolloutDriver.Outcome o = d.step(events::add).outcome();

    assertThat(o.result()).isEqualTo(RolloutDriver.Result.PROMOTED);
    assertThat(server.get(keys.record())).isEmpty();
    assertThat(server.get(keys.candidate())).isEmpty();
  }

  @Test
  void anOperatorsHaltResumeAndAbortReachARunningDriver() throws Exception {
    List<Instances.Instance> all = fleet(3);
    RolloutDriver d = driver("alice@ci");
    d.lock();
    d.start(Instances.KEY, CANDIDATE_BYTES, plan(100));
    awaitCanaries(all);
    CompletableFuture<RolloutDriver.Outcome> driving =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return d.drive(e -> {});
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    try (ConsulClient c =
        ConsulClient.create(ConsulConnection.builder().address(server.url()).build())) {
      RolloutRecord h = RolloutDriver.halt(c, keys, "halted by bob: checkout errors", clock);
      assertThat(h.halted()).isTrue();
      RolloutDriver.Outcome o = driving.get(20, TimeUnit.SECONDS);
      assertThat(o.result()).isEqualTo(RolloutDriver.Result.HALTED);
      assertThat(o.message()).contains("halted by bob: checkout errors");
      awaitAcks(all, a -> a.state().equals(AckState.STABLE));

      assertThat(d.resume().kind()).isEqualTo(RolloutDriver.EventKind.RESUMED);
      assertThat(record().attempt()).isEqualTo(2);
      awaitAcks(all, a -> a.state().equals(AckState.CANARY) && a.rollout().attempt() == 2);

      assertThat(RolloutDriver.abort(c, keys)).isTrue();
      assertThat(d.step(events::add).outcome().result()).isEqualTo(RolloutDriver.Result.ABORTED);
      awaitAcks(all, a -> a.state().equals(AckState.LIVE));
      assertThat(all).allSatisfy(i -> assertThat(i.runs()).isEqualTo("stable"));
      assertThat(RolloutDriver.abort(c, keys)).as("nothing left").isFalse();
      assertThatThrownBy(() -> RolloutDriver.halt(c, keys, "x", clock))
          .isInstanceOfSatisfying(
              RolloutException.class,
              e -> assertThat(e.kind()).isEqualTo(RolloutException.Kind.NO_ROLLOUT));
    }
  }
}
