package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code hotconf fleet status}: its outputs and exit codes for each kind of fleet. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetStatusCommandTest {
  private static final String KEY = "config/pay/app.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  private ConsulTestServer server;
  private FleetInstances fleet;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    server = consul.server();
    server.put(KEY, "a: 1\n");
    fleet = new FleetInstances(server, KEY);
    env = Map.of("CONSUL_HTTP_ADDR", server.url());
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  private Cli.Result status(String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "fleet";
    args[1] = "status";
    args[2] = "--app";
    args[3] = "pay";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return Cli.runWithEnv(env, args);
  }

  private void awaitAllCurrent() {
    await().until(() -> status().code() == 0);
  }

  @Test
  void anAppWithoutInstancesFailsTheGate() {
    Cli.Result r = status();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo("pay: no instance has acknowledged anything\ngate: FAIL (no instance)\n");
  }

  @Test
  void jsonListsEveryInstanceWithTheFieldsScriptsRelyOn() throws Exception {
    fleet.start("pay", "p1", List.of());
    fleet.start("pay", "p2", List.of());
    awaitAllCurrent();

    Cli.Result r = status("--format", "json");

    assertThat(r.code()).isZero();
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("gate").asText()).isEqualTo("pass");
    assertThat(json.get("currentIndexes").get(KEY).asLong())
        .isEqualTo(server.get(KEY).orElseThrow().modifyIndex());
    assertThat(json.get("instances")).hasSize(2);
    for (JsonNode i : json.get("instances")) {
      assertThat(i.fieldNames())
          .toIterable()
          .contains("instance", "state", "hash", "version", "problems", "index", "current");
      assertThat(i.get("state").asText()).isEqualTo("live");
      assertThat(i.get("version").asLong()).isEqualTo(1);
    }
  }

  @Test
  void pinnedAndUnreadableRecordsAreShownAndFailTheGate() {
    FleetInstances.Instance p1 = fleet.start("pay", "p1", List.of());
    fleet.start("pay", "p2", List.of());
    awaitAllCurrent();
    String hash = p1.config.snapshot().hash();
    long index = server.get(KEY).orElseThrow().modifyIndex();
    p1.acks.pin(1, hash, index);
    server.put("hotconf/acks/pay/ghost", "{not json");

    await().until(() -> status().out().contains("pinned (1):"));
    Cli.Result r = status();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "  p1 pinned to version 1 (hash " + hash.substring(0, 12) + ", index " + index + ")")
        .contains("unreadable records (1):\n  hotconf/acks/pay/ghost: not JSON")
        .contains("gate: FAIL (1 pinned, 1 unreadable)");
  }

  @Test
  void textFromRecordsCannotDriveTheTerminal() {
    // anyone who may write under the prefix chooses these strings
    server.put(
        "hotconf/acks/pay/evil",
        "{\"format\":1,\"app\":\"pay\",\"instance\":\"ev\\u001b[2Jil\",\"state\":\"rejected\","
            + "\"key\":\"config/pay/app.yaml\",\"index\":1,\"hash\":\"h\\u009b31m\",\"version\":1,"
            + "\"rejectedIndex\":2,\"problems\":[\"bad\\u001b[32m\\u2028gate: PASS\"],"
            + "\"time\":\"2026-12-01T00:00:00Z\"}");

    Cli.Result r = status();

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("  ev\\u001B[2Jil rejected index 2")
        .contains(": bad\\u001B[32m\\u2028gate: PASS\n")
        .contains("h\\u009B31m")
        .doesNotContain("\u001b")
        .doesNotContain("\u009b")
        .doesNotContain("\u2028")
        .endsWith("gate: FAIL (1 rejected)\n");
  }

  @Test
  void waitGivesUpAfterItsDurationWithTheLastStatus() {
    Cli.Result r = status("--wait", "1s");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("gate: FAIL");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(status("--wait", "soon").code()).isEqualTo(2);
    assertThat(Cli.runWithEnv(env, "fleet", "status", "--app", "a/b").code()).isEqualTo(2);
    assertThat(Cli.runWithEnv(env, "fleet").code()).isEqualTo(2);
    Cli.Result noApp = Cli.runWithEnv(env, "fleet", "status");
    assertThat(noApp.code()).isEqualTo(2);
    assertThat(noApp.err()).endsWith("Try 'hotconf fleet help status'.\n");
    Cli.Result help = Cli.runWithEnv(env, "fleet", "help", "status");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: hotconf fleet status", "--app=APP", "--wait=DURATION");
  }
}
