package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code hotconf publish} against ConsulTestServer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublishCommandTest {
  private static final String KEY = "config/orders/app.yaml";
  private static final String TOKEN = "5f0c2b8e-publish-acl-token";
  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"db\":{\"type\":\"object\",\"properties\":"
          + "{\"max\":{\"type\":\"integer\",\"maximum\":100},\"password\":{\"type\":\"string\"}},"
          + "\"additionalProperties\":false}}}";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();
  @TempDir Path dir;

  private ConsulTestServer server;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    server = consul.server();
    env = new HashMap<>(Map.of("CONSUL_HTTP_ADDR", server.address()));
  }

  private String file(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Cli.Result publish(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "publish";
    System.arraycopy(args, 0, all, 1, args.length);
    return Cli.runWithEnv(env, all);
  }

  private long writes() {
    return server.requests().stream()
        .filter(r -> r.method().equals("PUT"))
        .map(RecordedRequest::path)
        .filter(p -> p.equals("/v1/kv/" + KEY))
        .count();
  }

  @Test
  void aValidFileIsWrittenWithCheckAndSetOnTheIndexItWasReadAt() {
    long before = server.put(KEY, "db:\n  max: 10\n");
    String v2 = file("app.yaml", "# release 2\ndb:\n  max: 20\n");

    Cli.Result r = publish("--key", KEY, v2);

    assertThat(r.code()).as(r.err()).isZero();
    long after = server.get(KEY).orElseThrow().modifyIndex();
    assertThat(r.out())
        .isEqualTo(
            "published "
                + v2
                + " to "
                + KEY
                + " (26 bytes): ModifyIndex "
                + before
                + " -> "
                + after
                + "\n");
    assertThat(server.get(KEY).orElseThrow().valueAsString())
        .as("the file's own bytes, comments included")
        .isEqualTo("# release 2\ndb:\n  max: 20\n");
    RecordedRequest put =
        server.requests().stream().filter(q -> q.method().equals("PUT")).findFirst().orElseThrow();
    assertThat(put.queryParameter("cas")).hasValue(Long.toString(before));
  }

  @Test
  void aNewKeyIsCreatedOnlyIfItIsStillAbsent() {
    Cli.Result r = publish("--key", KEY, file("app.yaml", "db:\n  max: 1\n"));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("ModifyIndex (new key) -> ");
    RecordedRequest put =
        server.requests().stream().filter(q -> q.method().equals("PUT")).findFirst().orElseThrow();
    assertThat(put.queryParameter("cas")).hasValue("0");
  }

  @Test
  void anInvalidFileIsRefusedWithEveryProblemAndNothingIsWritten() {
    long before = server.put(KEY, "db:\n  max: 10\n");
    String bad = file("app.yaml", "db:\n  max: 500\n  extra: 1\n  password: [not, a, string]\n");

    Cli.Result r = publish("--key", KEY, "--schema", file("s.json", SCHEMA), bad);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(bad + ":2:8: error: db.max")
        .contains("db.extra")
        .contains("db.password")
        .contains("hotconf: not published: 3 problems in " + bad);
    assertThat(server.get(KEY).orElseThrow().modifyIndex()).isEqualTo(before);
    assertThat(writes()).isZero();
  }

  @Test
  void syntaxErrorsAreRefusedBeforeConsulIsAsked() {
    Cli.Result r = publish("--key", KEY, file("app.yaml", "db: [unclosed\n"));

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("app.yaml:2:1: error: ");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void strictModeRejectsKeysTheSchemaDoesNotDeclare() {
    String schema =
        file(
            "s.json",
            "{\"type\":\"object\",\"properties\":{\"db\":{\"type\":\"object\","
                + "\"properties\":{\"max\":{\"type\":\"integer\"}}}}}");
    String extra = file("app.yaml", "db:\n  max: 5\n  mx: 6\n");

    assertThat(publish("--key", KEY, "--schema", schema, "--dry-run", extra).code()).isZero();
    Cli.Result strict = publish("--key", KEY, "--schema", schema, "--strict", extra);
    assertThat(strict.code()).isEqualTo(1);
    assertThat(strict.err()).contains("db.mx");
  }

  @Test
  void aConcurrentWriterBetweenReadAndWriteIsAConflict() {
    long read = server.put(KEY, "db:\n  max: 10\n");
    String mine = file("app.yaml", "db:\n  max: 20\n");

    Cli.Result r =
        Cli.runWith(
            env,
            cl ->
                ((PublishCommand) cl.getSubcommands().get("publish").getCommand()).afterRead =
                    () -> server.put(KEY, "db:\n  max: 30\n"),
            "publish",
            "--key",
            KEY,
            mine);

    long theirs = server.get(KEY).orElseThrow().modifyIndex();
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err())
        .startsWith(
            "hotconf: conflict: "
                + KEY
                + " changed in Consul while publishing (ModifyIndex "
                + read
                + " when read, "
                + theirs
                + " now)");
    assertThat(server.get(KEY).orElseThrow().valueAsString()).isEqualTo("db:\n  max: 30\n");
  }

  @Test
  void dryRunPrintsTheDifferenceWithSecretsRedactedAndWritesNothing() {
    server.put(KEY, "db:\n  max: 10\n  password: Old-Secret-1\n");
    String next = file("app.yaml", "db:\n  max: 20\n  password: New-Secret-2\n  min: 1\n");

    Cli.Result r = publish("--key", KEY, "--dry-run", next);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("~ db.max: 10 -> 20")
        .contains("+ db.min = 1")
        .contains("db.password")
        .contains("dry run: valid; would write")
        .doesNotContain("Old-Secret-1")
        .doesNotContain("New-Secret-2");
    assertThat(writes()).isZero();
  }

  @Test
  void dryRunHidesTheRedactKeysAndEscapesWhatConsulHolds() {
    server.put(KEY, "card:\n  pin: \"1234\"\nnote: \"ok\\e[2J\\r+ forged = 1\"\n");
    String next = file("app.yaml", "card:\n  pin: \"9876\"\nnote: fine\n");

    Cli.Result r = publish("--key", KEY, "--dry-run", "--redact", "pin$", next);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("card.pin")
        .doesNotContain("1234")
        .doesNotContain("9876")
        .contains("\\u001B[2J\\u000D+ forged = 1")
        .doesNotContain("\u001b")
        .doesNotContain("\r");
    assertThat(r.outLines()).noneMatch(l -> l.startsWith("+ forged"));
    assertThat(writes()).isZero();
  }

  @Test
  void redactPatternsHideMoreKeysInTheDiffAndInProblems() {
    server.put(KEY, "card:\n  pin: 1234\n");
    String next = file("app.yaml", "card:\n  pin: 9876\n  label: \"a\\u001B[2Jb\"\n");

    Cli.Result r = publish("--key", KEY, "--dry-run", "--redact", "(^|\\.)pin$", next);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("card.pin")
        .contains("+ card.label = 'a\\u001B[2Jb'")
        .doesNotContain("1234")
        .doesNotContain("9876")
        .doesNotContain("\u001B");
    String schema =
        file(
            "s.json",
            "{\"type\":\"object\",\"properties\":{\"card\":{\"type\":\"object\","
                + "\"properties\":{\"pin\":{\"enum\":[1111]}}}}}");
    Cli.Result refused = publish("--key", KEY, "--schema", schema, "--redact", "(^|\\.)pin$", next);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("card.pin").doesNotContain("9876").doesNotContain("1111");
    assertThat(publish("--key", KEY, "--redact", "(", next).code()).isEqualTo(2);
    assertThat(writes()).isZero();
  }

  @Test
  void unchangedContentIsNotWrittenAgain() {
    server.put(KEY, "db:\n  max: 10\n");

    Cli.Result r = publish("--key", KEY, file("app.yaml", "db:\n  max: 10\n"));

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("unchanged: " + KEY + " already holds this content");
    assertThat(writes()).isZero();
  }

  @Test
  void theTokenComesFromTheEnvironmentOrATokenFileAndIsNeverPrinted() throws Exception {
    server.requireToken(TOKEN);
    String v = file("app.yaml", "db:\n  max: 1\n");

    Cli.Result none = publish("--key", KEY, v);
    assertThat(none.code()).as("403: no usable token").isEqualTo(2);
    assertThat(none.err()).contains("Permission denied").contains("ACL token");

    env.put("CONSUL_HTTP_TOKEN", TOKEN);
    assertThat(publish("--key", KEY, v).code()).isZero();

    env.put("CONSUL_HTTP_TOKEN", "wrong-token");
    env.put("CONSUL_HTTP_TOKEN_FILE", file("token", TOKEN + "\n"));
    Cli.Result fromFile = publish("--key", KEY, file("v2.yaml", "db:\n  max: 2\n"));
    assertThat(fromFile.code()).as("a token file wins, as in Consul's CLI").isZero();

    env.remove("CONSUL_HTTP_TOKEN_FILE");
    Cli.Result flag =
        publish(
            "--key", KEY, "--token-file", file("t2", TOKEN), file("v3.yaml", "db:\n  max: 3\n"));
    assertThat(flag.code()).isZero();

    for (Cli.Result r : new Cli.Result[] {none, fromFile, flag}) {
      assertThat(r.out() + r.err()).doesNotContain(TOKEN);
    }
    for (RecordedRequest q : server.requests()) {
      assertThat(q.usedTokenQueryParameter()).isFalse();
    }
  }

  @Test
  void consulOutOfReachIsExitThree() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    Cli.Result r =
        Cli.runWithEnv(
            Map.of(),
            "publish",
            "--consul",
            "127.0.0.1:" + port,
            "--key",
            KEY,
            file("app.yaml", "a: 1\n"));

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).startsWith("hotconf: publish " + KEY + ": cannot read from Consul at");
  }

  @Test
  void aFileWhoseFormatDiffersFromTheKeysIsAUsageError() {
    Cli.Result r = publish("--key", KEY, file("app.json", "{\"a\": 1}"));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("looks like JSON but instances read " + KEY + " as YAML");
    assertThat(publish("--key", KEY, "--type", "json", file("b.json", "{\"a\": 1}")).code())
        .isZero();
  }
}
