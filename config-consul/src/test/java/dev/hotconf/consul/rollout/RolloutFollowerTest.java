package dev.hotconf.consul.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigOrigin;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.validate.Rules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The instance side of a staged rollout against ConsulTestServer, with records written by hand:
 * which version a library instance runs for each state of the record, and what its acknowledgement
 * says (canary, stable, unhealthy with the reason, back to live).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RolloutFollowerTest {
  private static final String STABLE = "v: stable\nlimit: 10\n";
  private static final String CANDIDATE = "v: candidate\nlimit: 20\n";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulTestServer server;
  private Instances instances;
  private final RolloutKeys keys = RolloutKeys.of(Instances.APP);

  @BeforeEach
  void setUp() {
    server = consul.server();
    server.put(Instances.KEY, STABLE);
    instances = new Instances(server);
  }

  @AfterEach
  void tearDown() {
    instances.close();
  }

  private Ack awaitAck(Instances.Instance i, Predicate<Ack> condition) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                server
                    .get("hotconf/acks/" + Instances.APP + "/" + i.id)
                    .map(e -> Ack.parse(e.value()))
                    .filter(condition)
                    .orElse(null),
            a -> a != null);
  }

  private static RolloutPlan plan() {
    return RolloutPlan.builder().build();
  }

  @Test
  void withoutARolloutTheInstanceRunsTheKeyAndSaysItFollowsRollouts() {
    Instances.Instance i = instances.start("web-1", Map.of("zone", "eu-1"), List.of(), null);

    Ack a = awaitAck(i, x -> true);
    assertThat(i.runs()).isEqualTo("stable");
    assertThat(a.state()).isEqualTo(AckState.LIVE);
    assertThat(a.rollout()).isNotNull();
    assertThat(a.rollout().bucket()).isEqualTo(Buckets.bucket(Instances.APP, "web-1"));
    assertThat(a.rollout().labels()).containsExactly(Map.entry("zone", "eu-1"));
    assertThat(a.rollout().id()).isNull();
  }

  @Test
  void aSelectedInstanceRunsTheCandidateReportsCanaryAndGoesBackOnAHalt() {
    Instances.Instance i = instances.start("web-1");
    awaitAck(i, x -> true);

    RolloutRecord r = Records.start(server, CANDIDATE, plan(), 10_000, "r-1");

    Ack canary = awaitAck(i, x -> x.state().equals(AckState.CANARY));
    assertThat(i.runs()).isEqualTo("candidate");
    assertThat(canary.rollout().id()).isEqualTo("r-1");
    assertThat(canary.rollout().attempt()).isEqualTo(1);
    assertThat(canary.rollout().candidateIndex()).isEqualTo(r.candidateIndex());
    assertThat(canary.key()).as("the record names the configuration key").isEqualTo(Instances.KEY);
    ConfigOrigin origin = i.config.snapshot().origin("limit").orElseThrow();
    assertThat(origin.location())
        .isEqualTo("consul:" + keys.candidate() + "@" + r.candidateIndex());
    assertThat(i.follower.status().decision().role()).isEqualTo(RolloutSource.Role.CANDIDATE);

    Records.write(server, r.halt("test halt", List.of(), Records.T0));

    Ack back = awaitAck(i, x -> x.state().equals(AckState.STABLE));
    assertThat(i.runs()).isEqualTo("stable");
    assertThat(back.rollout().id()).isEqualTo("r-1");
    assertThat(back.rollout().candidateIndex()).isZero();

    server.delete(keys.record());

    Ack live = awaitAck(i, x -> x.state().equals(AckState.LIVE));
    assertThat(live.rollout().id()).isNull();
    assertThat(i.runs()).isEqualTo("stable");
  }

  @Test
  void anInstanceOutsideTheCutOrTheSelectorRunsTheStableVersionAndSaysSo() {
    Instances.Instance a = instances.start("web-a", Map.of("zone", "eu-1"), List.of(), null);
    Instances.Instance b = instances.start("web-b", Map.of("zone", "us-1"), List.of(), null);
    awaitAck(a, x -> true);
    awaitAck(b, x -> true);
    RolloutPlan eu = RolloutPlan.builder().selector(LabelSelector.parse("zone=eu-1")).build();

    // a's bucket is not below the cut: stable for both
    RolloutRecord r = Records.start(server, CANDIDATE, eu, a.bucket(), "r-1");
    awaitAck(a, x -> x.state().equals(AckState.STABLE));
    awaitAck(b, x -> x.state().equals(AckState.STABLE));
    assertThat(a.runs()).isEqualTo("stable");
    assertThat(a.follower.status().decision().why()).contains("not below the cut");

    // everyone in the cut, but only eu-1 matches the selector
    Records.write(server, r.advanced(10_000, Records.T0));
    awaitAck(a, x -> x.state().equals(AckState.CANARY));
    assertThat(a.runs()).isEqualTo("candidate");
    assertThat(b.runs()).isEqualTo("stable");
    assertThat(b.follower.status().decision().why()).contains("selector");
    assertThat(awaitAck(b, x -> true).state()).isEqualTo(AckState.STABLE);
  }

  @Test
  void anInstanceStartingInTheMiddleOfARolloutGoesStraightToTheCandidate() {
    Records.start(server, CANDIDATE, plan(), 10_000, "r-1");

    Instances.Instance i = instances.start("web-1");

    assertThat(i.config.snapshot().version()).isEqualTo(1);
    assertThat(i.runs()).isEqualTo("candidate");
    assertThat(awaitAck(i, x -> true).state()).isEqualTo(AckState.CANARY);
  }

  @Test
  void aRejectedCandidateMakesTheInstanceUnhealthyWithTheReasonAndItKeepsTheStableVersion() {
    Instances.Instance i =
        instances.start("web-1", Map.of(), List.of(Rules.range("limit", 1, 15)), null);
    awaitAck(i, x -> true);

    RolloutRecord r = Records.start(server, CANDIDATE, plan(), 10_000, "r-1");

    Ack sick = awaitAck(i, x -> x.state().equals(AckState.UNHEALTHY));
    assertThat(i.runs()).isEqualTo("stable");
    assertThat(sick.rollout().candidateIndex()).isEqualTo(r.candidateIndex());
    assertThat(sick.firstProblem())
        .startsWith("consul:" + keys.candidate() + "@" + r.candidateIndex())
        .contains("limit");
  }

  @Test
  void aCandidateThatDoesNotParseMakesTheInstanceUnhealthy() {
    Instances.Instance i = instances.start("web-1");
    awaitAck(i, x -> true);

    Records.start(server, "v: [unclosed\n", plan(), 10_000, "r-1");

    Ack sick = awaitAck(i, x -> x.state().equals(AckState.UNHEALTHY));
    assertThat(sick.firstProblem()).startsWith("consul:" + keys.candidate() + "@");
    assertThat(i.runs()).isEqualTo("stable");
  }

  @Test
  void aFailingHealthProbeMakesTheInstanceUnhealthyForThisAttemptOnly() {
    AtomicReference<Optional<String>> health = new AtomicReference<>(Optional.empty());
    Instances.Instance i = instances.start("web-1", Map.of(), List.of(), health::get);
    awaitAck(i, x -> true);
    RolloutRecord r = Records.start(server, CANDIDATE, plan(), 10_000, "r-1");
    awaitAck(i, x -> x.state().equals(AckState.CANARY));

    health.set(Optional.of("checkout error rate 12 %"));

    Ack sick = awaitAck(i, x -> x.state().equals(AckState.UNHEALTHY));
    assertThat(sick.problems()).containsExactly("checkout error rate 12 %");
    assertThat(i.runs()).as("the probe judges, the driver reverts").isEqualTo("candidate");

    // the probe passes again: still unhealthy for this attempt (sticky)
    health.set(Optional.empty());
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> i.acks.status().wanted().orElseThrow().state().equals(AckState.UNHEALTHY));

    // a resume starts a new attempt: canary again
    Records.write(server, r.halt("x", List.of(), Records.T0).resume(Records.T0));
    Ack again = awaitAck(i, x -> x.state().equals(AckState.CANARY));
    assertThat(again.rollout().attempt()).isEqualTo(2);
  }

  @Test
  void aRecordForAnotherKeyIsIgnored() {
    Instances.Instance i = instances.start("web-1");
    awaitAck(i, x -> true);
    RolloutRecord r = Records.start(server, CANDIDATE, plan(), 10_000, "r-1");
    awaitAck(i, x -> x.state().equals(AckState.CANARY));

    RolloutRecord other =
        new RolloutRecord(
            r.format(),
            "r-2",
            r.app(),
            "config/orders/other.yaml",
            r.stableIndex(),
            r.candidateIndex(),
            r.candidateSha256(),
            r.plan(),
            1,
            10_000,
            1,
            false,
            null,
            List.of(),
            r.started(),
            r.updated(),
            r.stageStarted(),
            r.by());
    Records.write(server, other);

    Ack a = awaitAck(i, x -> x.state().equals(AckState.LIVE));
    assertThat(a.rollout().id()).isNull();
    assertThat(i.runs()).isEqualTo("stable");
  }

  @Test
  void aPinnedInstanceStaysPinnedDuringARollout() {
    Instances.Instance i = instances.start("web-1");
    Ack live = awaitAck(i, x -> true);
    i.acks.pin(live.version(), live.hash(), live.index());
    awaitAck(i, x -> x.state().equals(AckState.PINNED));

    Records.start(server, CANDIDATE, plan(), 10_000, "r-1");

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> i.acks.status().wanted().orElseThrow().state().equals(AckState.PINNED));
  }
}
