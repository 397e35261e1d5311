package dev.hotconf.consul.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.testing.consul.ConsulSession;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.KvEntry;
import dev.hotconf.testing.consul.RecordedRequest;
import dev.hotconf.testing.time.MutableClock;
import dev.hotconf.validate.Rules;
import dev.hotconf.validate.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One library instance (HotConfig + ConsulSource + ConsulAcknowledger) against ConsulTestServer:
 * what its record says after each kind of version, the session behind it, and what happens to the
 * record when the instance stops, crashes, restarts or loses its session. Session TTLs run on a
 * clock the test moves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulAcknowledgerTest {
  static final String KEY = "config/orders/app.yaml";

  private final MutableClock sessionClock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().sessionClock(sessionClock));

  private ConsulTestServer server;
  private final List<Instance> instances = new ArrayList<>();

  /** A library instance with its acknowledger. */
  record Instance(HotConfig config, ConsulAcknowledger acks) implements AutoCloseable {
    @Override
    public void close() {
      acks.close();
      config.close();
    }

    String recordKey() {
      return acks.config().key();
    }
  }

  @BeforeEach
  void setUp() {
    server = consul.server();
    server.put(KEY, "db:\n  pool:\n    max: 10\n  password: Correct-Horse-7\n");
  }

  @AfterEach
  void tearDown() {
    instances.forEach(Instance::close);
  }

  static ConsulSourceConfig sourceConfig(ConsulTestServer server) {
    return ConsulSourceConfig.key(KEY)
        .address(server.url())
        .waitTime(Duration.ofSeconds(30))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .rateLimit(100, Duration.ofMillis(10))
        .build();
  }

  private Instance start(String id, Validator... validators) {
    ConsulSourceConfig source = sourceConfig(server);
    ConsulAcknowledger acks =
        ConsulAcknowledger.create(
            AcknowledgerConfig.builder("orders", ConsulConnection.of(source))
                .instance(id)
                .ttl(Duration.ofSeconds(10))
                .renewInterval(Duration.ofMillis(200))
                .build());
    HotConfig config =
        HotConfig.builder()
            .name(id)
            .source(acks.track(ConsulSource.create(source)))
            .validate(validators)
            .build();
    acks.start(config);
    Instance i = new Instance(config, acks);
    instances.add(i);
    return i;
  }

  private Optional<Ack> record(String id) {
    return server.get("hotconf/acks/orders/" + id).map(e -> Ack.parse(e.value()));
  }

  private Ack awaitRecord(String id, java.util.function.Predicate<Ack> condition) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> record(id).filter(condition).orElse(null), a -> a != null);
  }

  @Test
  void startWritesALiveRecordUnderATtlSessionThatDeletesIt() {
    long index = server.get(KEY).orElseThrow().modifyIndex();
    Instance i = start("web-1");

    Ack a = awaitRecord("web-1", r -> true);
    assertThat(a.state()).isEqualTo(AckState.LIVE);
    assertThat(a.app()).isEqualTo("orders");
    assertThat(a.instance()).isEqualTo("web-1");
    assertThat(a.key()).isEqualTo(KEY);
    assertThat(a.index()).isEqualTo(index);
    assertThat(a.version()).isEqualTo(1);
    assertThat(a.hash()).isEqualTo(i.config().snapshot().hash());
    assertThat(a.problems()).isEmpty();
    assertThat(a.agent()).isEqualTo("hotconf-library");

    KvEntry entry = server.get(i.recordKey()).orElseThrow();
    ConsulSession session = server.session(entry.session().orElseThrow()).orElseThrow();
    assertThat(session.behavior()).isEqualTo(ConsulSession.Behavior.DELETE);
    assertThat(session.ttl()).hasValue(Duration.ofSeconds(10));
    assertThat(session.lockDelay()).as("no LockDelay trap on restart").isZero();
    assertThat(session.nodeChecks()).isEmpty();
  }

  @Test
  void aNewVersionIsAcknowledgedWithOneWrite() {
    Instance i = start("web-1");
    awaitRecord("web-1", r -> true);
    await().until(() -> server.blockedQueryCount() >= 1);
    server.clearRequests();

    long index = server.put(KEY, "db:\n  pool:\n    max: 20\n  password: Correct-Horse-7\n");

    Ack a = awaitRecord("web-1", r -> r.index() == index);
    assertThat(a.state()).isEqualTo(AckState.LIVE);
    assertThat(a.version()).isEqualTo(2);
    assertThat(a.hash()).isEqualTo(i.config().snapshot().hash());
    assertThat(recordWrites()).as("one write per adopted version").isEqualTo(1);
  }

  @Test
  void aRejectedVersionIsReportedWithItsIndexAndRedactedProblems() {
    start(
        "web-1",
        Rules.range("db.pool.max", 1, 500),
        Rules.pattern("db.password", "[A-Za-z0-9-]{8,}"));
    Ack live = awaitRecord("web-1", r -> true);

    long bad = server.put(KEY, "db:\n  pool:\n    max: 9000\n  password: not good!\n");

    Ack a = awaitRecord("web-1", r -> r.state().equals(AckState.REJECTED));
    assertThat(a.rejectedIndex()).isEqualTo(bad);
    assertThat(a.index()).as("still runs the last good version").isEqualTo(live.index());
    assertThat(a.hash()).isEqualTo(live.hash());
    assertThat(a.version()).isEqualTo(1);
    assertThat(a.problems()).anySatisfy(p -> assertThat(p).contains("db.pool.max"));
    assertThat(a.problems()).anySatisfy(p -> assertThat(p).contains("db.password"));
    assertThat(a.toJson()).doesNotContain("not good!").doesNotContain("Correct-Horse-7");
    assertThat(server.get("hotconf/acks/orders/web-1").orElseThrow().valueAsString())
        .doesNotContain("not good!");

    long fixed = server.put(KEY, "db:\n  pool:\n    max: 30\n  password: Better-Horse-8\n");
    Ack back = awaitRecord("web-1", r -> r.index() == fixed);
    assertThat(back.state()).isEqualTo(AckState.LIVE);
    assertThat(back.problems()).isEmpty();
    assertThat(back.rejectedIndex()).isZero();
  }

  @Test
  void contentThatDoesNotParseIsRejectedAtItsIndex() {
    start("web-1");
    Ack live = awaitRecord("web-1", r -> true);

    long bad = server.put(KEY, "db: [unclosed\n");

    Ack a = awaitRecord("web-1", r -> r.state().equals(AckState.REJECTED));
    assertThat(a.rejectedIndex()).isEqualTo(bad);
    assertThat(a.index()).isEqualTo(live.index());
    assertThat(a.firstProblem()).startsWith("consul:" + KEY + "@" + bad);
  }

  @Test
  void theSameContentInAnotherFormIsLiveAtTheNewIndexWithoutANewVersion() {
    Instance i = start("web-1");
    awaitRecord("web-1", r -> true);

    long reformatted =
        server.put(KEY, "# reviewed\ndb: {pool: {max: 10}, password: Correct-Horse-7}\n");

    Ack a = awaitRecord("web-1", r -> r.index() == reformatted);
    assertThat(a.state()).isEqualTo(AckState.LIVE);
    assertThat(a.version()).isEqualTo(1);
    assertThat(i.config().version()).isEqualTo(1);
  }

  @Test
  void aRevertToTheRunningContentAfterARejectionIsLiveAgain() {
    start("web-1", Rules.range("db.pool.max", 1, 500));
    awaitRecord("web-1", r -> true);
    server.put(KEY, "db:\n  pool:\n    max: 9000\n");
    awaitRecord("web-1", r -> r.state().equals(AckState.REJECTED));

    long reverted = server.put(KEY, "db:\n  pool:\n    max: 10\n  password: Correct-Horse-7\n");

    Ack a = awaitRecord("web-1", r -> r.index() == reverted);
    assertThat(a.state()).isEqualTo(AckState.LIVE);
  }

  @Test
  void closeRemovesTheRecordAtOnce() {
    Instance i = start("web-1");
    awaitRecord("web-1", r -> true);
    String session = server.get(i.recordKey()).orElseThrow().session().orElseThrow();

    i.acks().close();

    assertThat(record("web-1")).isEmpty();
    assertThat(server.session(session)).isEmpty();
  }

  @Test
  void aCrashedInstancesRecordDisappearsOnceItsSessionExpires() {
    Instance i = start("web-1");
    awaitRecord("web-1", r -> true);

    i.acks().kill(); // no destroy: the process is gone
    sessionClock.advance(Duration.ofSeconds(10));
    assertThat(server.expireSessions()).as("the TTL is a lower bound").isZero();
    assertThat(record("web-1")).isPresent();

    sessionClock.advance(Duration.ofSeconds(10));
    assertThat(server.expireSessions()).isEqualTo(1);
    assertThat(record("web-1")).isEmpty();
  }

  @Test
  void renewalsKeepTheSessionAliveAcrossTtls() {
    Instance i = start("web-1");
    awaitRecord("web-1", r -> true);
    String session = server.get(i.recordKey()).orElseThrow().session().orElseThrow();

    for (int round = 0; round < 3; round++) {
      long renewed = i.acks().status().renewals();
      await().until(() -> i.acks().status().renewals() > renewed);
      sessionClock.advance(Duration.ofSeconds(15)); // less than 2 TTLs since the last renewal
      server.expireSessions();
      await().until(() -> i.acks().status().renewals() > renewed + 1);
    }
    assertThat(server.session(session)).isPresent();
    assertThat(record("web-1")).isPresent();
  }

  @Test
  void aLostSessionIsReplacedAndTheRecordWrittenAgain() {
    Instance i = start("web-1");
    awaitRecord("web-1", r -> true);
    String first = server.get(i.recordKey()).orElseThrow().session().orElseThrow();

    server.invalidateSession(first); // e.g. Consul unreachable for longer than 2 TTLs
    assertThat(record("web-1")).isEmpty();

    Ack again = awaitRecord("web-1", r -> true);
    assertThat(again.state()).isEqualTo(AckState.LIVE);
    assertThat(server.get(i.recordKey()).orElseThrow().session()).isPresent().isNotEqualTo(first);
  }

  @Test
  void aRestartWithTheSameIdTakesTheRecordOverOnceTheOldSessionIsGone() {
    Instance crashed = start("web-1");
    awaitRecord("web-1", r -> true);
    String old = server.get(crashed.recordKey()).orElseThrow().session().orElseThrow();
    crashed.acks().kill();

    Instance restarted = start("web-1");
    await()
        .until(() -> restarted.acks().status().lastError().orElse("").contains("held by another"));
    assertThat(server.get(crashed.recordKey()).orElseThrow().session()).hasValue(old);

    sessionClock.advance(Duration.ofSeconds(25));
    server.expireSessions(); // the old session expires (the restarted one renews meanwhile)

    await().until(() -> restarted.acks().status().inSync());
    assertThat(server.get(crashed.recordKey()).orElseThrow().session())
        .isPresent()
        .isNotEqualTo(Optional.of(old));
  }

  @Test
  void aPinIsReportedUntilItIsLifted() {
    Instance i = start("web-1");
    Ack live = awaitRecord("web-1", r -> true);
    long v2 = server.put(KEY, "db:\n  pool:\n    max: 11\n");
    awaitRecord("web-1", r -> r.index() == v2);

    i.acks().pin(1, live.hash(), live.index());
    Ack pinned = awaitRecord("web-1", r -> r.state().equals(AckState.PINNED));
    assertThat(pinned.version()).isEqualTo(1);
    assertThat(pinned.hash()).isEqualTo(live.hash());
    assertThat(pinned.index()).isEqualTo(live.index());

    i.acks().unpin();
    Ack back = awaitRecord("web-1", r -> r.state().equals(AckState.LIVE));
    assertThat(back.index()).isEqualTo(v2);
  }

  @Test
  void startAndTrackAreCheckedWhenCalled() {
    Instance i = start("web-1");
    assertThatThrownBy(() -> i.acks().start(i.config()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("start: already started");
    assertThatThrownBy(() -> i.acks().track(ConsulSource.create(sourceConfig(server))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("track: call before start");
    assertThatThrownBy(
            () ->
                AcknowledgerConfig.builder("orders", ConsulConnection.builder().build())
                    .instance("web/1"))
        .hasMessageStartingWith("instance:");
  }

  private long recordWrites() {
    return server.requests().stream()
        .filter(r -> r.method().equals("PUT"))
        .map(RecordedRequest::path)
        .filter(p -> p.startsWith("/v1/kv/hotconf/acks/"))
        .count();
  }
}
