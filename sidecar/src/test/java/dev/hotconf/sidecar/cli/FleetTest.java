package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotconf.schema.JsonSchemaValidator;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.time.MutableClock;
import dev.hotconf.validate.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty library instances in one JVM on ConsulTestServer, driven through the CLI as an operator
 * would: {@code hotconf publish} a version, watch {@code hotconf fleet status} until all of them
 * acknowledge it; publish a version that half of them reject (only half have the schema) and see
 * who and why; crash one and see its record go once its session TTL has passed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetTest {
  private static final String APP = "orders";
  private static final String KEY = "config/orders/app.yaml";
  private static final int INSTANCES = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock sessions = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().sessionClock(sessions));

  @TempDir Path dir;

  private ConsulTestServer server;
  private FleetInstances fleet;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    server = consul.server();
    server.put(KEY, "db:\n  pool:\n    max: 10\n");
    fleet = new FleetInstances(server, KEY);
    env = new HashMap<>(Map.of("CONSUL_HTTP_ADDR", server.address()));
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  private Path file(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode status() {
    Cli.Result r = Cli.runWithEnv(env, "fleet", "status", "--app", APP, "--format", "json");
    assertThat(r.err()).isEmpty();
    try {
      JsonNode json = JSON.readTree(r.out());
      assertThat(r.code()).isEqualTo(json.get("gate").asText().equals("pass") ? 0 : 1);
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void fiftyInstancesAcknowledgeRejectAndDisappear() throws Exception {
    Path schema =
        file(
            "half.schema.json",
            "{\"type\":\"object\",\"properties\":{\"db\":{\"type\":\"object\",\"properties\":"
                + "{\"pool\":{\"type\":\"object\",\"properties\":"
                + "{\"max\":{\"type\":\"integer\",\"maximum\":100}}}}}}}");
    List<Validator> withSchema = List.of(JsonSchemaValidator.fromFile(schema));
    for (int n = 0; n < INSTANCES; n++) {
      fleet.start(APP, String.format("web-%02d", n), n % 2 == 0 ? withSchema : List.of());
    }

    // a published version is acknowledged by all: the gate waits for it
    Cli.Result published =
        Cli.runWithEnv(
            env,
            "publish",
            "--key",
            KEY,
            file("v2.yaml", "db:\n  pool:\n    max: 50\n").toString());
    assertThat(published.code()).as(published.err()).isZero();
    long v2 = server.get(KEY).orElseThrow().modifyIndex();
    assertThat(published.out()).contains("-> " + v2);
    Cli.Result gate = Cli.runWithEnv(env, "fleet", "status", "--app", APP, "--wait", "60s");
    assertThat(gate.code()).as(gate.out()).isZero();
    assertThat(gate.out())
        .startsWith(APP + ": 50 of 50 instances run " + KEY + " at ModifyIndex " + v2)
        .contains("gate: PASS");
    JsonNode all = status();
    assertThat(all.get("summary").get("current").asInt()).isEqualTo(INSTANCES);
    assertThat(all.get("hashes")).hasSize(1);

    // a version half of them reject shows up with the reason
    Cli.Result v3published =
        Cli.runWithEnv(
            env,
            "publish",
            "--key",
            KEY,
            file("v3.yaml", "db:\n  pool:\n    max: 500\n").toString());
    assertThat(v3published.code()).as(v3published.err()).isZero();
    long v3 = server.get(KEY).orElseThrow().modifyIndex();
    JsonNode split =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                this::status,
                s ->
                    s.get("summary").get("rejected").asInt() == INSTANCES / 2
                        && s.get("summary").get("current").asInt() == INSTANCES / 2);
    assertThat(split.get("gate").asText()).isEqualTo("fail");
    assertThat(split.get("hashes")).hasSize(2);
    for (JsonNode i : split.get("instances")) {
      int n = Integer.parseInt(i.get("instance").asText().substring(4));
      if (n % 2 == 0) {
        assertThat(i.get("state").asText()).isEqualTo("rejected");
        assertThat(i.get("rejectedIndex").asLong()).isEqualTo(v3);
        assertThat(i.get("index").asLong()).as("keeps running v2").isEqualTo(v2);
        assertThat(i.get("problems").get(0).asText()).contains("db.pool.max").contains("100");
      } else {
        assertThat(i.get("state").asText()).isEqualTo("live");
        assertThat(i.get("index").asLong()).isEqualTo(v3);
      }
    }
    Cli.Result text = Cli.runWithEnv(env, "fleet", "status", "--app", APP);
    assertThat(text.code()).isEqualTo(1);
    assertThat(text.out())
        .contains("25 of 50 instances run " + KEY)
        .contains("rejected (25):")
        .contains("  web-00 rejected index " + v3 + " (the current version): ")
        .contains("gate: FAIL (25 rejected)");

    // a killed instance's record disappears once its session has expired
    FleetInstances.Instance victim = fleet.all.get(1);
    victim.crash();
    sessions.advance(FleetInstances.TTL);
    assertThat(server.expireSessions()).as("the TTL is a lower bound").isZero();
    Map<FleetInstances.Instance, Long> renewals = new HashMap<>();
    fleet.alive().forEach(i -> renewals.put(i, i.acks.status().renewals()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                renewals.entrySet().stream()
                    .allMatch(e -> e.getKey().acks.status().renewals() > e.getValue()));
    sessions.advance(FleetInstances.TTL.plusSeconds(1));
    assertThat(server.expireSessions()).isEqualTo(1);

    JsonNode after = status();
    List<String> ids = new ArrayList<>();
    after.get("instances").forEach(i -> ids.add(i.get("instance").asText()));
    assertThat(ids).hasSize(INSTANCES - 1).doesNotContain(victim.id);
  }
}
