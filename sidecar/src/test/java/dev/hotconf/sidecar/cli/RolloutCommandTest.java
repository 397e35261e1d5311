package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.consul.rollout.DriverConfig;
import dev.hotconf.consul.rollout.RolloutDriver;
import dev.hotconf.consul.rollout.RolloutKeys;
import dev.hotconf.consul.rollout.RolloutRecord;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.time.MutableClock;
import dev.hotconf.validate.Rules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hotconf rollout start|status|halt|resume|abort} against ConsulTestServer and ten library
 * instances that follow rollouts, as an operator runs them (the README's walkthrough is the first
 * test; its outputs are written to target/rollout-walkthrough.txt, and those of an automatic halt
 * to target/rollout-halt.txt).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RolloutCommandTest {
  private static final String APP = "orders";
  private static final String KEY = "config/orders/app.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();
  @TempDir Path dir;

  private ConsulTestServer server;
  private RolloutInstances instances;
  private Map<String, String> env;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final RolloutKeys keys = RolloutKeys.of(APP);
  private final StringBuilder transcript = new StringBuilder();

  @BeforeEach
  void setUp() {
    server = consul.server();
    server.put(KEY, "checkout:\n  timeout: 2s\n  retries: 1\n");
    instances = new RolloutInstances(server, KEY);
    env = new HashMap<>(Map.of("CONSUL_HTTP_ADDR", server.address()));
  }

  @AfterEach
  void tearDown() {
    instances.close();
  }

  private void fleet(int n) {
    for (int k = 0; k < n; k++) {
      instances.start(APP, "web-" + k, Map.of("zone", k % 2 == 0 ? "eu-1" : "eu-2"), List.of());
    }
    awaitAcks(instances.all, AckState.LIVE);
  }

  private void awaitAcks(List<RolloutInstances.Instance> which, AckState state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                which.stream()
                    .allMatch(i -> i.written().filter(a -> a.state().equals(state)).isPresent()));
  }

  private String file(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code hotconf rollout ARGS} with the test's clock; records it in the transcript. */
  private Cli.Result rollout(String... args) {
    List<String> all = new ArrayList<>(List.of("rollout"));
    all.addAll(List.of(args));
    Cli.Result r =
        Cli.runWith(
            env,
            cl -> {
              CommandLine sub = cl.getSubcommands().get("rollout");
              ((RolloutStartCommand) sub.getSubcommands().get("start").getCommand()).clock = clock;
              ((RolloutResumeCommand) sub.getSubcommands().get("resume").getCommand()).clock =
                  clock;
              ((RolloutStatusCommand) sub.getSubcommands().get("status").getCommand()).clock =
                  clock;
              ((RolloutHaltCommand) sub.getSubcommands().get("halt").getCommand()).clock = clock;
            },
            all.toArray(String[]::new));
    synchronized (transcript) {
      transcript.append("$ hotconf ").append(String.join(" ", all)).append('\n');
      transcript.append(r.out()).append(r.err()).append("# exit ").append(r.code()).append("\n\n");
    }
    return r;
  }

  private CompletableFuture<Cli.Result> inBackground(String... args) {
    return CompletableFuture.supplyAsync(() -> rollout(args));
  }

  private RolloutRecord awaitRecord(java.util.function.Predicate<RolloutRecord> p) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> server.get(keys.record()).map(e -> RolloutRecord.parse(e.value())).orElse(null),
            r -> r != null && p.test(r));
  }

  private List<RolloutInstances.Instance> inCut(RolloutRecord r) {
    return instances.all.stream().filter(i -> i.follower().bucket() < r.cut()).toList();
  }

  @Test
  void theWalkthroughStartStatusHaltResumeToPromotion() throws Exception {
    fleet(10);
    String v2 = file("app.yaml", "checkout:\n  timeout: 3s\n  retries: 2\n");

    Cli.Result none = rollout("status", "--app", APP);
    assertThat(none.code()).isZero();
    assertThat(none.out())
        .isEqualTo("orders: no rollout in progress (10 instances follow rollouts, 0 not)\n");

    CompletableFuture<Cli.Result> start =
        inBackground(
            "start",
            "--app",
            APP,
            "--stages",
            "10,50,100",
            "--bake",
            "60s",
            "--poll-interval",
            "1s",
            v2);
    RolloutRecord one = awaitRecord(r -> r.stage() == 1);
    awaitAcks(inCut(one), AckState.CANARY);

    Cli.Result stage1 = rollout("status", "--app", APP);
    assertThat(stage1.code()).isZero();
    assertThat(stage1.outLines())
        .first()
        .asString()
        .startsWith("orders: rollout " + one.id() + " of " + KEY + ", RUNNING (driven by ");
    assertThat(stage1.out())
        .contains("  plan: stages 10,50,100 %, bake 1m, max unhealthy 0, min acknowledged 100 %")
        .contains("  stage 1/3 (10 %): bucket cut " + one.cut())
        .contains("(1m left)")
        .contains(
            "  instances: 10 take part, 1 in the stage: 1 canary, 0 unhealthy, 0 pending; 9 stable");

    clock.advance(Duration.ofSeconds(60));
    RolloutRecord two = awaitRecord(r -> r.stage() == 2);
    awaitAcks(inCut(two), AckState.CANARY);
    Cli.Result stage2 = rollout("status", "--app", APP);
    assertThat(stage2.out())
        .contains("  stage 2/3 (50 %)")
        .contains("5 in the stage: 5 canary, 0 unhealthy, 0 pending; 5 stable");

    Cli.Result halt = rollout("halt", "--app", APP, "--reason", "checkout latency up");
    assertThat(halt.code()).isZero();
    assertThat(halt.out()).contains("halted rollout " + one.id()).contains("checkout latency up");
    Cli.Result started = start.get(30, TimeUnit.SECONDS);
    assertThat(started.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(started.out()).contains("started rollout " + one.id()).contains("stage 2/3 (50 %)");
    assertThat(started.err())
        .contains(
            "hotconf: rollout halted: rollout " + one.id() + " is halted: checkout latency up");
    awaitAcks(instances.all, AckState.STABLE);
    assertThat(instances.all)
        .allSatisfy(i -> assertThat(i.runs("checkout.timeout")).isEqualTo("2s"));

    Cli.Result halted = rollout("status", "--app", APP);
    assertThat(halted.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(halted.out())
        .contains(", HALTED (no driver: rollout resume drives it)")
        .contains("instances: 10 take part: 0 still on the candidate, 10 back on stable")
        .contains("halted: checkout latency up")
        .contains("next: hotconf rollout resume --app orders");

    CompletableFuture<Cli.Result> resume =
        inBackground("resume", "--app", APP, "--poll-interval", "1s");
    RolloutRecord again = awaitRecord(r -> r.attempt() == 2);
    assertThat(again.stage()).isEqualTo(2);
    awaitAcks(inCut(again), AckState.CANARY);
    Cli.Result attempt2 = rollout("status", "--app", APP);
    assertThat(attempt2.out()).contains(", attempt 2").contains("RUNNING");
    clock.advance(Duration.ofSeconds(60));
    awaitAcks(inCut(awaitRecord(r -> r.stage() == 3)), AckState.CANARY);
    clock.advance(Duration.ofSeconds(60));
    Cli.Result resumed = resume.get(30, TimeUnit.SECONDS);

    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out())
        .contains("resumed rollout " + one.id() + " (attempt 2) at stage 2/3 (50 %)")
        .contains("stage 3/3 (100 %)")
        .contains("promoted: " + KEY + " now holds the candidate");
    assertThat(server.get(KEY).orElseThrow().valueAsString()).contains("timeout: 3s");
    awaitAcks(instances.all, AckState.LIVE);
    assertThat(rollout("status", "--app", APP).out()).startsWith("orders: no rollout in progress");
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/rollout-walkthrough.txt"), transcript.toString());
  }

  @Test
  void anInstanceThatRejectsTheCandidateHaltsTheRolloutAndIsNamed() throws Exception {
    fleet(4);
    RolloutInstances.Instance strict =
        instances.start(
            APP, "web-strict", Map.of(), List.of(Rules.range("checkout.retries", 0, 1)));
    awaitAcks(List.of(strict), AckState.LIVE);
    String v2 = file("app.yaml", "checkout:\n  timeout: 3s\n  retries: 2\n");

    Cli.Result r =
        rollout(
            "start", "--app", APP, "--stages", "100", "--bake", "60s", "--poll-interval", "1s", v2);

    assertThat(r.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(r.out())
        .contains("HALTED and reverted: 1 of 5 instances at stage 1/1 (100 %) unhealthy");
    assertThat(r.err())
        .contains("failed instances (1):")
        .contains("  web-strict (unhealthy): consul:" + keys.candidate() + "@")
        .contains("checkout.retries");
    awaitAcks(instances.all, AckState.STABLE);
    Cli.Result status = rollout("status", "--app", APP);
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.out()).contains("  web-strict (unhealthy): ");

    Cli.Result abort = rollout("abort", "--app", APP);
    assertThat(abort.code()).isZero();
    assertThat(abort.out()).contains("aborted the rollout of orders");
    assertThat(server.get(keys.candidate())).isEmpty();
    awaitAcks(instances.all, AckState.LIVE);
    assertThat(rollout("abort", "--app", APP).out())
        .isEqualTo("no rollout of orders; nothing to abort\n");
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/rollout-halt.txt"), transcript.toString());
  }

  @Test
  void anInvalidCandidateIsNotRolledOutAndNothingIsWritten() {
    fleet(2);
    String schema =
        file(
            "schema.json",
            "{\"type\":\"object\",\"properties\":{\"checkout\":{\"type\":\"object\",\"properties\":"
                + "{\"retries\":{\"type\":\"integer\",\"maximum\":5}}}}}");
    String bad = file("app.yaml", "checkout:\n  retries: 50\n");

    Cli.Result r = rollout("start", "--app", APP, "--schema", schema, bad);

    assertThat(r.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(r.err())
        .contains("checkout.retries")
        .contains("hotconf: not rolled out: 1 problem in " + bad);
    assertThat(server.get(keys.candidate())).isEmpty();
    assertThat(server.get(keys.record())).isEmpty();

    // --redact, as the instances' redact: keys: the value under such a key is not printed
    String pinSchema =
        file(
            "pin.json",
            "{\"type\":\"object\",\"properties\":{\"card\":{\"type\":\"object\","
                + "\"properties\":{\"pin\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}$\"}}}}}");
    String badPin = file("pin.yaml", "card:\n  pin: \"Sec-Pin-77\"\n");
    Cli.Result pin =
        rollout("start", "--app", APP, "--schema", pinSchema, "--redact", "pin$", badPin);
    assertThat(pin.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(pin.err()).contains("card.pin").doesNotContain("Sec-Pin-77");
    assertThat(server.get(keys.candidate())).isEmpty();
  }

  @Test
  void aSecondDriverIsRefusedAndNamesTheFirst() throws Exception {
    fleet(2);
    try (RolloutDriver first =
        RolloutDriver.create(
            ConsulConnection.builder().address(server.url()).build(),
            DriverConfig.builder(APP).name("alice@ci-7 (pid 4242)").build())) {
      first.lock();
      first.start(
          KEY,
          "checkout:\n  timeout: 9s\n".getBytes(StandardCharsets.UTF_8),
          dev.hotconf.consul.rollout.RolloutPlan.builder().build());

      Cli.Result second =
          rollout("start", "--app", APP, file("app.yaml", "checkout:\n  timeout: 9s\n"));
      assertThat(second.code()).isEqualTo(ExitCode.CONFLICT.code());
      assertThat(second.err()).contains("the rollout is driven by alice@ci-7 (pid 4242)");

      Cli.Result resume = rollout("resume", "--app", APP);
      assertThat(resume.code()).isEqualTo(ExitCode.CONFLICT.code());

      Cli.Result status = rollout("status", "--app", APP, "--format", "json");
      JsonNode json = JSON.readTree(status.out());
      assertThat(json.get("driver").get("name").asText()).isEqualTo("alice@ci-7 (pid 4242)");
      assertThat(json.get("rollout").get("state").asText()).isEqualTo("running");
      assertThat(json.get("rollout").get("stage").asInt()).isEqualTo(1);
      assertThat(json.get("summary").get("instances").asInt()).isEqualTo(2);
      assertThat(json.get("instances")).hasSize(2);
      assertThat(json.get("instances").get(0).get("labels").get("zone").asText()).isEqualTo("eu-1");

      // a reason is another process's text: its control characters never reach the terminal
      Cli.Result halt = rollout("halt", "--app", APP, "--reason", "red \u001b[31mALL OK\rforged");
      assertThat(halt.out())
          .contains("red \\u001B[31mALL OK\\u000Dforged")
          .doesNotContain("\u001b");
      Cli.Result halted = rollout("status", "--app", APP);
      assertThat(halted.out())
          .contains("halted: red \\u001B[31mALL OK\\u000Dforged")
          .doesNotContain("\u001b")
          .doesNotContain("\r");
      JsonNode asJson = JSON.readTree(rollout("status", "--app", APP, "--format", "json").out());
      assertThat(asJson.get("rollout").get("reason").asText())
          .isEqualTo("red \u001b[31mALL OK\rforged");
    }
  }

  @Test
  void theKeyDefaultsToTheOneTheInstancesAcknowledge() throws Exception {
    fleet(3);
    String v2 = file("app.yaml", "checkout:\n  timeout: 3s\n");

    Cli.Result r =
        rollout(
            "start", "--app", APP, "--stages", "100", "--bake", "0s", "--poll-interval", "1s", v2);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("started rollout").contains("of " + KEY).contains("promoted");
    assertThat(server.get(KEY).orElseThrow().valueAsString())
        .isEqualTo("checkout:\n  timeout: 3s\n");
  }

  @Test
  void usageErrorsAreRefusedBeforeAnythingIsWritten() {
    String v2 = file("app.yaml", "checkout:\n  timeout: 3s\n");
    Cli.Result stages = rollout("start", "--app", APP, "--key", KEY, "--stages", "10,5,100", v2);
    assertThat(stages.code()).isEqualTo(ExitCode.USAGE.code());
    assertThat(stages.err()).contains("--stages: must increase, but 5 follows 10");
    Cli.Result last = rollout("start", "--app", APP, "--key", KEY, "--stages", "10,50", v2);
    assertThat(last.err()).contains("the last stage must be 100");
    Cli.Result selector =
        rollout("start", "--app", APP, "--key", KEY, "--selector", "zone in eu", v2);
    assertThat(selector.code()).isEqualTo(ExitCode.USAGE.code());
    assertThat(selector.err()).contains("--selector: expected '('");
    Cli.Result limit = rollout("start", "--app", APP, "--key", KEY, "--max-unhealthy", "lots", v2);
    assertThat(limit.err()).contains("--max-unhealthy: expected a count like 0 or 2");
    Cli.Result app = rollout("status", "--app", "no/such");
    assertThat(app.code()).isEqualTo(ExitCode.USAGE.code());
    Cli.Result noKey = rollout("start", "--app", APP, v2);
    assertThat(noKey.code()).isEqualTo(ExitCode.USAGE.code());
    assertThat(noKey.err())
        .contains("no instance of orders acknowledges a Consul key: pass --key KEY");
    Cli.Result nobody = rollout("start", "--app", APP, "--key", KEY, v2);
    assertThat(nobody.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(nobody.err())
        .contains("no instance of orders that follows staged rollouts reads " + KEY);
    assertThat(server.get(keys.candidate())).isEmpty();
    Cli.Result halt = rollout("halt", "--app", APP);
    assertThat(halt.code()).isEqualTo(ExitCode.INVALID.code());
    assertThat(halt.err()).contains("there is no rollout of orders");
    Cli.Result noApp = rollout("start", v2);
    assertThat(noApp.code()).isEqualTo(ExitCode.USAGE.code());
    assertThat(noApp.err()).endsWith("Try 'hotconf rollout help start'.\n");
    Cli.Result help = rollout("help", "start");
    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains("Usage: hotconf rollout start", "--stages=PERCENTAGES", "--bake=DURATION");
    assertThat(rollout().code()).isEqualTo(ExitCode.USAGE.code());
  }
}
