package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.consul.rollout.Buckets;
import dev.hotconf.consul.rollout.RolloutDriver;
import dev.hotconf.consul.rollout.RolloutKeys;
import dev.hotconf.consul.rollout.RolloutPlan;
import dev.hotconf.consul.rollout.RolloutRecord;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar (in-process) whose {@code fleet:} section follows staged rollouts: it serves and pushes
 * the candidate when the record selects it, says so in its acknowledgement and {@code /v1/status},
 * and turns unhealthy when its {@code health-url} fails or a push target fails with the candidate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SidecarRolloutTest {
  private static final String KEY = "config/orders/app.yaml";
  private static final String CANDIDATE = "checkout:\n  timeout: 3s\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();
  @TempDir Path dir;

  private ConsulTestServer server;
  private Receiver receiver;
  private HttpServer health;
  private final AtomicInteger healthStatus = new AtomicInteger(200);
  private SidecarProcess sidecar;
  private final HttpClient http = HttpClient.newHttpClient();
  private final RolloutKeys keys = RolloutKeys.of("orders");

  @BeforeEach
  void setUp() throws Exception {
    server = consul.server();
    server.put(KEY, "checkout:\n  timeout: 2s\n");
    receiver = new Receiver();
    health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    health.createContext(
        "/health",
        ex -> {
          try (ex) {
            ex.sendResponseHeaders(healthStatus.get(), -1);
          }
        });
    health.start();
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "sources:",
            "  - type: consul",
            "    address: " + server.url(),
            "    key: " + KEY,
            "    wait: 30s",
            "    rate-limit-burst: 50",
            "    rate-limit-refill: 10ms",
            "server:",
            "  listen: 127.0.0.1:0",
            "targets:",
            "  - url: " + receiver.url(),
            "    timeout: 2s",
            "    max-backoff: 200ms",
            "fleet:",
            "  app: orders",
            "  instance: sc-1",
            "  labels: {zone: eu-1}",
            "  health-url: http://127.0.0.1:"
                + health.getAddress().getPort()
                + "/health?token=s3cret-probe-token",
            "  health-interval: 50ms",
            ""));
    sidecar =
        SidecarProcess.load(
            file, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    sidecar.start();
  }

  @AfterEach
  void tearDown() {
    if (sidecar != null) {
      sidecar.close();
    }
    receiver.close();
    health.stop(0);
  }

  private Ack awaitAck(Predicate<Ack> p) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                server
                    .get("hotconf/acks/orders/sc-1")
                    .map(e -> Ack.parse(e.value()))
                    .filter(p)
                    .orElse(null),
            a -> a != null);
  }

  private JsonNode get(String path) throws Exception {
    return JSON.readTree(text(path));
  }

  private String text(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sidecar.address().getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private RolloutRecord startRollout() {
    long stable = server.get(KEY).orElseThrow().modifyIndex();
    long candidate = server.put(keys.candidate(), CANDIDATE);
    Instant t = Instant.parse("2026-12-05T10:00:00Z");
    RolloutRecord r =
        new RolloutRecord(
            RolloutRecord.FORMAT,
            "r-1",
            "orders",
            KEY,
            stable,
            candidate,
            RolloutDriver.sha256(CANDIDATE.getBytes(StandardCharsets.UTF_8)),
            RolloutPlan.builder().build(),
            1,
            10_000,
            1,
            false,
            null,
            List.of(),
            t,
            t,
            t,
            "test");
    server.put(keys.record(), r.toJson());
    return r;
  }

  @Test
  void theSidecarServesAndPushesTheCandidateWhenSelectedAndGoesBackOnAHalt() throws Exception {
    Ack live = awaitAck(a -> true);
    assertThat(live.rollout().bucket()).isEqualTo(Buckets.bucket("orders", "sc-1"));
    assertThat(live.rollout().labels()).containsEntry("zone", "eu-1");
    assertThat(live.agent()).isEqualTo("hotconf-sidecar");

    RolloutRecord r = startRollout();

    awaitAck(a -> a.state().equals(AckState.CANARY));
    assertThat(get("/v1/config").get("checkout").get("timeout").asText()).isEqualTo("3s");
    await().until(() -> receiver.delivered().size() >= 2);
    assertThat(receiver.pushes.get(receiver.pushes.size() - 1).body()).contains("3s");
    JsonNode rollout = get("/v1/status").get("fleet").get("rollout");
    assertThat(rollout.get("runs").asText()).isEqualTo("candidate");
    assertThat(rollout.get("rollout").asText()).isEqualTo("r-1");
    assertThat(rollout.get("state").asText()).isEqualTo("canary");
    assertThat(get("/v1/status").get("fleet").get("state").asText()).isEqualTo("canary");
    assertThat(text("/metrics"))
        .contains("hotconf_fleet_rollout_candidate 1")
        .contains("hotconf_fleet_rollout_unhealthy 0");

    server.put(keys.record(), r.halt("test", List.of(), r.updated()).toJson());

    awaitAck(a -> a.state().equals(AckState.STABLE));
    assertThat(get("/v1/config").get("checkout").get("timeout").asText()).isEqualTo("2s");
    assertThat(text("/metrics")).contains("hotconf_fleet_rollout_candidate 0");
    await().until(() -> receiver.pushes.get(receiver.pushes.size() - 1).body().contains("2s"));
  }

  @Test
  void aFailingHealthUrlMakesItUnhealthyAndTheMessageHidesTheQuery() throws Exception {
    awaitAck(a -> true);
    startRollout();
    awaitAck(a -> a.state().equals(AckState.CANARY));

    healthStatus.set(503);

    Ack sick = awaitAck(a -> a.state().equals(AckState.UNHEALTHY));
    assertThat(sick.problems())
        .containsExactly(
            "health probe http://127.0.0.1:"
                + health.getAddress().getPort()
                + "/health answered 503");
    assertThat(sick.toJson()).doesNotContain("s3cret-probe-token");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> text("/metrics").contains("hotconf_fleet_rollout_unhealthy 1"));
    assertThat(text("/metrics")).doesNotContain("s3cret-probe-token");
  }

  @Test
  void aPushTargetThatFailsWithTheCandidateMakesItUnhealthy() {
    awaitAck(a -> true);
    receiver.status.set(500);

    startRollout();

    Ack sick = awaitAck(a -> a.state().equals(AckState.UNHEALTHY));
    assertThat(sick.firstProblem()).startsWith("push target ").contains("failed:").contains("500");
  }
}
