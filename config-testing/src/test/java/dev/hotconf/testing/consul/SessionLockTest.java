package dev.hotconf.testing.consul;

import static dev.hotconf.testing.consul.ConsulHttp.index;
import static dev.hotconf.testing.consul.ConsulHttp.json;
import static dev.hotconf.testing.consul.ConsulHttp.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotconf.testing.time.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keys held by sessions ({@code ?acquire=}, {@code ?release=}), what invalidation does to them
 * ({@code release} and {@code delete} behaviour), lock delay and TTL expiry, on a clock the test
 * moves: Consul's kvsLockTxn, kvsUnlockTxn, deleteSessionTxn and session TTL timers.
 */
@Timeout(30)
class SessionLockTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().sessionClock(clock));

  private ConsulTestServer server;
  private ConsulHttp http;

  @BeforeEach
  void setUp() {
    server = consul.server();
    http = new ConsulHttp(server);
  }

  private String session(String body) throws Exception {
    HttpResponse<String> r = http.put("/v1/session/create", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("ID").asText();
  }

  private JsonNode entry(String key) throws Exception {
    return json(http.get("/v1/kv/" + key)).get(0);
  }

  @Test
  void acquireTakesTheKeyAndWritesTheBody() throws Exception {
    String s = session("");

    assertThat(http.put("/v1/kv/acks/app/i1?acquire=" + s, "v1").body()).isEqualTo("true");

    JsonNode e = entry("acks/app/i1");
    assertThat(e.get("Session").asText()).isEqualTo(s);
    assertThat(e.get("LockIndex").asLong()).isEqualTo(1);
    assertThat(value(e)).isEqualTo("v1");
    assertThat(server.get("acks/app/i1").orElseThrow().session()).hasValue(s);
  }

  @Test
  void anotherSessionCannotTakeAHeldKey() throws Exception {
    String owner = session("");
    String other = session("");
    http.put("/v1/kv/k?acquire=" + owner, "mine");

    assertThat(http.put("/v1/kv/k?acquire=" + other, "theirs").body()).isEqualTo("false");
    assertThat(value(entry("k"))).isEqualTo("mine");
    assertThat(http.put("/v1/kv/k?release=" + other, "").body()).isEqualTo("false");
  }

  @Test
  void theHolderRewritesItsKeyAndAnIdenticalRewriteChangesNothing() throws Exception {
    String s = session("");
    http.put("/v1/kv/k?acquire=" + s, "a");
    long first = server.get("k").orElseThrow().modifyIndex();

    assertThat(http.put("/v1/kv/k?acquire=" + s, "a").body()).isEqualTo("true");
    assertThat(server.get("k").orElseThrow().modifyIndex()).isEqualTo(first);

    assertThat(http.put("/v1/kv/k?acquire=" + s, "b").body()).isEqualTo("true");
    KvEntry after = server.get("k").orElseThrow();
    assertThat(after.modifyIndex()).isGreaterThan(first);
    assertThat(after.lockIndex()).as("still the same lock").isEqualTo(1);
  }

  @Test
  void aPlainWriteKeepsTheHolderAndCasWorksOnHeldKeys() throws Exception {
    String s = session("");
    http.put("/v1/kv/k?acquire=" + s, "a");
    long idx = server.get("k").orElseThrow().modifyIndex();

    http.put("/v1/kv/k", "b");
    assertThat(server.get("k").orElseThrow().session()).hasValue(s);

    assertThat(http.put("/v1/kv/k?cas=" + idx, "c").body()).as("stale cas").isEqualTo("false");
    long now = server.get("k").orElseThrow().modifyIndex();
    assertThat(http.put("/v1/kv/k?cas=" + now, "c").body()).isEqualTo("true");
    assertThat(server.get("k").orElseThrow().session()).hasValue(s);
  }

  @Test
  void releaseClearsTheHolderWritesTheBodyAndTheNextAcquireCountsALock() throws Exception {
    String s = session("");
    http.put("/v1/kv/k?acquire=" + s, "a");

    assertThat(http.put("/v1/kv/k?release=" + s, "done").body()).isEqualTo("true");
    JsonNode e = entry("k");
    assertThat(e.has("Session")).isFalse();
    assertThat(value(e)).isEqualTo("done");

    String next = session("");
    assertThat(http.put("/v1/kv/k?acquire=" + next, "again").body()).isEqualTo("true");
    assertThat(server.get("k").orElseThrow().lockIndex()).isEqualTo(2);
  }

  @Test
  void acquireNeedsALiveSession() throws Exception {
    HttpResponse<String> missing = http.put("/v1/kv/k?acquire=", "x");
    assertThat(missing.statusCode()).isEqualTo(500);
    assertThat(missing.body()).isEqualTo("missing session");

    String s = session("");
    http.put("/v1/session/destroy/" + s, "");
    HttpResponse<String> gone = http.put("/v1/kv/k?acquire=" + s, "x");
    assertThat(gone.statusCode()).isEqualTo(500);
    assertThat(gone.body()).isEqualTo("invalid session \"" + s + "\"");
    assertThat(server.get("k")).isEmpty();
  }

  @Test
  void invalidatingADeleteSessionDeletesItsKeysInOneWriteAndWakesPrefixWatchers() throws Exception {
    String s = session("{\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
    http.put("/v1/kv/acks/app/a?acquire=" + s, "1");
    http.put("/v1/kv/acks/app/b?acquire=" + s, "2");
    http.put("/v1/kv/acks/app/c", "not held");
    long before = index(http.get("/v1/kv/acks/app/?recurse"));
    CompletableFuture<HttpResponse<String>> watch =
        http.getAsync("/v1/kv/acks/app/?recurse&index=" + before + "&wait=30s");
    await().until(() -> server.blockedQueryCount() == 1);

    assertThat(server.invalidateSession(s)).isTrue();

    HttpResponse<String> woke = watch.get();
    assertThat(json(woke)).extracting(n -> n.get("Key").asText()).containsExactly("acks/app/c");
    assertThat(index(woke)).isGreaterThan(before);
    assertThat(server.session(s)).isEmpty();
    assertThat(server.get("acks/app/a")).isEmpty();
  }

  @Test
  void invalidatingAReleaseSessionKeepsTheKeysWithoutHolderAndBumpsTheirModifyIndex()
      throws Exception {
    String s = session("{\"LockDelay\":\"0s\"}");
    http.put("/v1/kv/lock?acquire=" + s, "leader");
    long held = server.get("lock").orElseThrow().modifyIndex();

    http.put("/v1/session/destroy/" + s, "");

    KvEntry after = server.get("lock").orElseThrow();
    assertThat(after.session()).isEmpty();
    assertThat(after.valueAsString()).isEqualTo("leader");
    assertThat(after.modifyIndex()).isGreaterThan(held);
  }

  @Test
  void theLockDelayKeepsAKeyFromBeingAcquiredAgainUntilItEnds() throws Exception {
    String s = session("{\"Behavior\":\"delete\"}"); // default lock delay: 15 s
    http.put("/v1/kv/acks/app/i1?acquire=" + s, "v");
    server.invalidateSession(s);
    String restarted = session("{\"Behavior\":\"delete\"}");

    assertThat(server.lockDelayUntil("acks/app/i1"))
        .hasValue(clock.instant().plus(Duration.ofSeconds(15)));
    assertThat(http.put("/v1/kv/acks/app/i1?acquire=" + restarted, "v").body())
        .as("locked out of its own key: the LockDelay trap")
        .isEqualTo("false");

    clock.advance(Duration.ofSeconds(15));
    assertThat(http.put("/v1/kv/acks/app/i1?acquire=" + restarted, "v").body()).isEqualTo("true");
  }

  @Test
  void aZeroLockDelayLetsARestartedInstanceTakeItsKeyAtOnce() throws Exception {
    String s = session("{\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
    http.put("/v1/kv/acks/app/i1?acquire=" + s, "v");
    server.invalidateSession(s);
    String restarted = session("{\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");

    assertThat(server.lockDelayUntil("acks/app/i1")).isEmpty();
    assertThat(http.put("/v1/kv/acks/app/i1?acquire=" + restarted, "v").body()).isEqualTo("true");
  }

  @Test
  void lockDelaysAreCappedAtSixtySeconds() throws Exception {
    String s = session("{\"LockDelay\":\"5m\"}");
    http.put("/v1/kv/k?acquire=" + s, "v");
    server.invalidateSession(s);

    assertThat(server.lockDelayUntil("k")).hasValue(clock.instant().plus(Duration.ofSeconds(60)));
  }

  @Test
  void aSessionExpiresOnlyAfterTwiceItsTtlWithoutRenewal() throws Exception {
    String s = session("{\"TTL\":\"10s\",\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
    http.put("/v1/kv/acks/app/i1?acquire=" + s, "v");

    clock.advance(Duration.ofSeconds(10));
    assertThat(server.expireSessions()).as("the TTL is a lower bound").isZero();
    clock.advance(Duration.ofSeconds(9));
    assertThat(server.expireSessions()).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(server.expireSessions()).isEqualTo(1);
    assertThat(server.session(s)).isEmpty();
    assertThat(server.get("acks/app/i1")).isEmpty();
  }

  @Test
  void renewalMovesTheDeadline() throws Exception {
    String s = session("{\"TTL\":\"10s\"}");
    clock.advance(Duration.ofSeconds(15));
    http.put("/v1/session/renew/" + s, "");

    clock.advance(Duration.ofSeconds(19));
    assertThat(server.expireSessions()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(server.expireSessions()).isEqualTo(1);
    assertThat(http.put("/v1/session/renew/" + s, "").statusCode()).isEqualTo(404);
  }

  @Test
  void sessionsWithoutTtlNeverExpire() throws Exception {
    String s = session("");

    clock.advance(Duration.ofDays(30));

    assertThat(server.expireSessions()).isZero();
    assertThat(server.session(s)).isPresent();
  }
}
