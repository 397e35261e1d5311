package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.SourceStatus;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault keeps the last good content, is reported, retried with backoff, and recovers by
 * itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulSourceFaultsTest {
  private static final String KEY = "config/app/data";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private RecordingListener start(ConsulSourceConfig config) {
    ConsulSource source = ConsulSource.create(config);
    closeables.add(source);
    RecordingListener listener = new RecordingListener();
    source.start(listener);
    return listener;
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(
            "403 permission denied",
            Fault.permissionDenied(),
            "Consul answered 403 \"Permission denied\""),
        Arguments.of("403 ACL not found", Fault.aclNotFound(), "ACL token"),
        Arguments.of("429", Fault.tooManyRequests(), "429"),
        Arguments.of("500 no leader", Fault.noClusterLeader(), "No cluster leader"),
        Arguments.of("503", Fault.serviceUnavailable(), "503"),
        Arguments.of("connection reset", Fault.connectionReset(), "cannot read from Consul at"),
        Arguments.of("garbage body", Fault.garbageBody(), "not the expected JSON"),
        Arguments.of("unknown leader", Fault.unknownLeader(), "X-Consul-KnownLeader: false"),
        // the server waits 2 s before serving; the client's read timeout is 1 s + 1/16 s + 0.5 s
        Arguments.of("read timeout", Fault.delay(Duration.ofSeconds(2)), "read timeout"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void faultKeepsLastGoodContentIsRetriedAndRecovers(String name, Fault fault, String expected) {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    RecordingListener listener = start(TestConfigs.key(server, KEY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    // the fault must meet the read after the wake-up, not the blocking query: wait until it is
    // parked
    await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1);

    server.enqueue(fault.untilCleared());
    server.put(KEY, "a: 2"); // wakes the blocked query; the next read meets the fault
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listener.failures().size() >= 2); // failed, retried, failed
    int eventsAtClear = listener.size();
    assertThat(listener.failures().get(0))
        .startsWith("consul:" + KEY + ": ")
        .contains(expected)
        .contains("keeping the last good content");
    assertThat(listener.contents()).hasSize(2); // no content while failing

    server.clearFaults();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listener.last() instanceof RecordingListener.Content);
    // recovery re-delivers the current content even though it did not change
    assertThat(listener.lastContent()).isEqualTo(Map.of("a", 2L));
    assertThat(
            listener.since(eventsAtClear).stream()
                .filter(RecordingListener.Content.class::isInstance))
        .hasSize(1);
  }

  @Test
  void staleModeAcceptsAnswersWithoutKnownLeader() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    server.enqueue(Fault.unknownLeader().untilCleared());
    RecordingListener listener =
        start(TestConfigs.key(server, KEY).consistency(ConsistencyMode.STALE).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    assertThat(listener.failures()).isEmpty();
  }

  @Test
  void failuresAtStartAreReportedAndTheFirstGoodAnswerIsDelivered() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    server.enqueue(Fault.serviceUnavailable().times(3));
    RecordingListener listener = start(TestConfigs.key(server, KEY).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    assertThat(listener.failures()).hasSize(3);
    assertThat(listener.events().get(3)).isInstanceOf(RecordingListener.Content.class);
  }

  @Test
  void unreachableAgentIsAFailureNamingTheAddress() {
    ConsulTestServer server = consul.server();
    String url = server.url();
    server.close(); // nothing listens there any more
    RecordingListener listener =
        start(TestConfigs.fast(ConsulSourceConfig.key(KEY), server).address(url).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failures().size() >= 2);
    assertThat(listener.failures().get(0)).contains("cannot read from Consul at " + url);
    assertThat(listener.contents()).isEmpty();
  }

  @Test
  void a404WithoutConsulIndexIsNotConsulAndFailsInsteadOfMissing() throws Exception {
    ConsulTestServer server = consul.server();
    // a path prefix (as behind a reverse proxy) that this server does not serve: plain 404s
    RecordingListener listener =
        start(TestConfigs.key(server, KEY).address(server.url() + "/consul/").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failures().size() >= 2);
    assertThat(listener.failures().get(0))
        .contains("no X-Consul-Index header")
        .contains("is " + server.url() + "/consul a Consul agent?");
    assertThat(listener.missing()).isEmpty();
    assertThat(server.takeRequest().path()).isEqualTo("/consul/v1/kv/" + KEY);
  }

  @Test
  void statusSaysFailingSinceWhenAndWhyThroughHotConfig() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "port: 8080");
    HotConfig config =
        HotConfig.builder()
            .source(ConsulSource.create(TestConfigs.key(server, KEY).build()))
            .build();
    closeables.add(config);
    IntSetting port = config.intSetting("port", 0);
    assertThat(port.getAsInt()).isEqualTo(8080);

    // see faultKeepsLastGoodContentIsRetriedAndRecovers
    await().atMost(Duration.ofSeconds(5)).until(() -> server.blockedQueryCount() == 1);
    Instant beforeFault = Instant.now();
    server.enqueue(Fault.noClusterLeader().untilCleared());
    server.put(KEY, "port: 8081");
    await().atMost(Duration.ofSeconds(5)).until(() -> port.getAsInt() == 8081);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> config.status().sources().get(0).state() == SourceStatus.State.FAILING);
    SourceStatus failing = config.status().sources().get(0);
    assertThat(failing.since()).isAfterOrEqualTo(beforeFault.minusSeconds(1));
    assertThat(failing.lastError()).contains("No cluster leader");
    assertThat(port.getAsInt()).isEqualTo(8081); // last good content stays

    server.clearFaults();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> config.status().sources().get(0).state() == SourceStatus.State.OK);
    server.put(KEY, "port: 8082");
    await().atMost(Duration.ofSeconds(5)).until(() -> port.getAsInt() == 8082);
  }
}
