package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotconf.testing.consul.ConsulSession;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.Fault;
import dev.hotconf.testing.consul.RecordedRequest;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ConsulClient against ConsulTestServer: writes, check-and-set, locks, sessions, tokens. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsulClientTest {
  private static final String TOKEN = "b3a1c6e2-acl-token-for-the-client-test";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulTestServer server;
  private ConsulClient client;

  @BeforeEach
  void setUp() {
    server = consul.server();
    client = ConsulClient.create(ConsulConnection.builder().address(server.url()).build());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void casWritesOnlyOnTheIndexItWasGiven() throws Exception {
    assertThat(client.cas("config/app/data", bytes("a: 1"), 0)).as("create only").isTrue();
    assertThat(client.cas("config/app/data", bytes("a: 2"), 0)).isFalse();
    long index = client.get("config/app/data").orElseThrow().modifyIndex();

    server.put("config/app/data", "a: 3"); // a concurrent writer
    assertThat(client.cas("config/app/data", bytes("a: 4"), index)).isFalse();
    assertThat(server.get("config/app/data").orElseThrow().valueAsString()).isEqualTo("a: 3");

    long now = client.get("config/app/data").orElseThrow().modifyIndex();
    assertThat(client.cas("config/app/data", bytes("a: 5"), now)).isTrue();
    assertThat(client.get("config/app/data").orElseThrow().text()).isEqualTo("a: 5");
  }

  @Test
  void sessionsAreTtlOnlyWithTheGivenBehaviourAndLockDelay() throws Exception {
    String id =
        client.createSession(
            new ConsulClient.SessionSpec(
                "hotconf-ack app/i1",
                Duration.ofSeconds(20),
                ConsulClient.SessionBehavior.DELETE,
                Duration.ZERO));

    ConsulSession s = server.session(id).orElseThrow();
    assertThat(s.name()).isEqualTo("hotconf-ack app/i1");
    assertThat(s.ttl()).hasValue(Duration.ofSeconds(20));
    assertThat(s.behavior()).isEqualTo(ConsulSession.Behavior.DELETE);
    assertThat(s.lockDelay()).isZero();
    assertThat(s.nodeChecks()).as("no serfHealth: a gossip flap must not end it").isEmpty();
    assertThat(client.sessionExists(id)).isTrue();
  }

  @Test
  void acquireReleaseAndDestroyFollowTheSession() throws Exception {
    String a = client.createSession(spec());
    String b = client.createSession(spec());

    assertThat(client.acquire("acks/app/i1", bytes("{}"), a)).isTrue();
    assertThat(client.acquire("acks/app/i1", bytes("{}"), b)).isFalse();
    assertThat(client.release("acks/app/i1", bytes("{}"), b)).isFalse();

    client.destroySession(a);
    assertThat(server.get("acks/app/i1")).as("delete behaviour").isEmpty();
    assertThat(client.sessionExists(a)).isFalse();
    client.destroySession(a); // idempotent
  }

  @Test
  void renewSaysWhetherTheSessionStillExists() throws Exception {
    String id = client.createSession(spec());

    assertThat(client.renewSession(id)).isTrue();
    server.invalidateSession(id);
    assertThat(client.renewSession(id)).isFalse();
  }

  @Test
  void aBlockingListWakesOnAChangeUnderThePrefix() throws Exception {
    server.put("acks/app/a", "1");
    ConsulClient.Listing first = client.list("acks/app/", 0, Duration.ofSeconds(1));
    assertThat(first.entries()).hasSize(1);

    CompletableFuture<ConsulClient.Listing> next =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client.list("acks/app/", first.index(), Duration.ofSeconds(20));
              } catch (ConsulException e) {
                throw new IllegalStateException(e);
              }
            });
    await().until(() -> server.blockedQueryCount() == 1);
    assertThat(client.cas("acks/app/b", bytes("2"), 0))
        .as("a write is not held up by the blocking read")
        .isTrue();

    ConsulClient.Listing woke = next.get(10, TimeUnit.SECONDS);
    assertThat(woke.entries()).extracting(ConsulClient.Entry::key).contains("acks/app/b");
    assertThat(woke.index()).isGreaterThan(first.index());
  }

  @Test
  void theTokenTravelsAsAHeaderOnlyAndA403NamesThePermission() throws Exception {
    server.requireToken(TOKEN);
    try (ConsulClient withToken =
        ConsulClient.create(
            ConsulConnection.builder().address(server.url()).token(TOKEN).build())) {
      String id = withToken.createSession(spec());
      assertThat(withToken.acquire("k", bytes("v"), id)).isTrue();
    }
    for (RecordedRequest r : server.requests()) {
      assertThat(r.usedTokenQueryParameter()).isFalse();
      assertThat(r.path() + "?" + r.rawQuery()).doesNotContain(TOKEN);
    }

    ConsulException denied =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConsulException.class, () -> client.cas("k", bytes("v"), 0));
    assertThat(denied.kind()).isEqualTo(ConsulException.Kind.ACL_DENIED);
    assertThat(denied.getMessage()).contains("key write permission on k");
    assertThat(denied.getMessage()).doesNotContain(TOKEN);
  }

  @Test
  void serverErrorsAndUnreachableAgentsAreTyped() throws Exception {
    server.enqueue(Fault.noClusterLeader());
    assertThatThrownBy(() -> client.put("k", bytes("v")))
        .isInstanceOfSatisfying(
            ConsulException.class,
            e -> assertThat(e.kind()).isEqualTo(ConsulException.Kind.NO_LEADER));

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (ConsulClient nowhere =
        ConsulClient.create(
            ConsulConnection.builder()
                .address("127.0.0.1:" + port)
                .connectTimeout(Duration.ofSeconds(2))
                .build())) {
      assertThatThrownBy(() -> nowhere.get("k"))
          .isInstanceOfSatisfying(
              ConsulException.class,
              e -> {
                assertThat(e.kind().unreachable()).isTrue();
                assertThat(e.getMessage()).contains("cannot read from Consul at");
              });
      assertThatThrownBy(() -> nowhere.put("k", bytes("v")))
          .isInstanceOfSatisfying(
              ConsulException.class,
              e -> assertThat(e.getMessage()).contains("cannot reach Consul at"));
    }
  }

  @Test
  void argumentsAreCheckedWhenGiven() {
    assertThatThrownBy(() -> client.put("/k", bytes("v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key:");
    assertThatThrownBy(
            () ->
                new ConsulClient.SessionSpec(
                    "x", Duration.ofSeconds(5), ConsulClient.SessionBehavior.DELETE, Duration.ZERO))
        .hasMessageStartingWith("ttl: must be between 10s and 24h");
    assertThatThrownBy(
            () ->
                new ConsulClient.SessionSpec(
                    "x",
                    Duration.ofSeconds(10),
                    ConsulClient.SessionBehavior.DELETE,
                    Duration.ofMinutes(2)))
        .hasMessageStartingWith("lockDelay:");
    assertThatThrownBy(() -> ConsulConnection.builder().token("a").tokenFromEnv("X", v -> "b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("tokenFromEnv: cannot be combined with token");
    assertThat(ConsulConnection.builder().token(TOKEN).build().toString()).doesNotContain(TOKEN);
  }

  private static ConsulClient.SessionSpec spec() {
    return new ConsulClient.SessionSpec(
        "test", Duration.ofSeconds(30), ConsulClient.SessionBehavior.DELETE, Duration.ZERO);
  }
}
