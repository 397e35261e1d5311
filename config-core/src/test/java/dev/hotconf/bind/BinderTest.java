package dev.hotconf.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigValueException;
import dev.hotconf.DataSize;
import dev.hotconf.Problem;
import dev.hotconf.parse.ConfigFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BinderTest {
  enum Mode {
    FAST,
    SAFE_MODE
  }

  record Target(
      URI url,
      @DefaultValue("5s") @Positive Duration timeout,
      @DefaultValue("30s") @Min("1ms") @Max("1h") Duration maxBackoff) {}

  record Server(
      @DefaultValue("127.0.0.1:8750") String listen,
      Optional<Path> tokenFile,
      @DefaultValue("false") boolean insecureBind) {}

  record Settings(
      @DefaultValue Server server,
      @DefaultValue List<Target> targets,
      Map<String, Integer> weights,
      Optional<Mode> mode,
      @DefaultValue("64KB") DataSize buffer,
      @DefaultValue("state/app.json") Path lastKnownGood) {}

  private static ConfigObject yaml(String file, String... lines) {
    return ConfigFormat.YAML.parse(
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8),
        ConfigOrigin.ofFile("test", Path.of(file)));
  }

  private static ConfigObject memory(String... lines) {
    return ConfigFormat.YAML.parse(
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8),
        ConfigOrigin.of("memory", "app.yaml"));
  }

  private static List<String> problems(Bound<?> bound) {
    return bound.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void bindsNestedRecordsListsMapsOptionalsAndDefaults() {
    ConfigObject root =
        yaml(
            "/etc/hotconf/sidecar.yaml",
            "server:",
            "  token-file: secrets/token",
            "targets:",
            "  - url: http://127.0.0.1:8080/x",
            "  - url: http://127.0.0.1:8081/y",
            "    max_backoff: 2m",
            "weights: {a: 1, b: 2}",
            "mode: safe-mode",
            "");
    Settings s = Binder.strict().bind(root, "", Settings.class);
    assertThat(s.server())
        .isEqualTo(
            new Server(
                "127.0.0.1:8750", Optional.of(Path.of("/etc/hotconf/secrets/token")), false));
    assertThat(s.targets())
        .containsExactly(
            new Target(
                URI.create("http://127.0.0.1:8080/x"),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30)),
            new Target(
                URI.create("http://127.0.0.1:8081/y"),
                Duration.ofSeconds(5),
                Duration.ofMinutes(2)));
    assertThat(s.weights()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
    assertThat(s.mode()).contains(Mode.SAFE_MODE);
    assertThat(s.buffer()).isEqualTo(DataSize.ofKilobytes(64));
    // a relative default resolves like a written path: against the file's folder
    assertThat(s.lastKnownGood()).isEqualTo(Path.of("/etc/hotconf/state/app.json"));
  }

  @Test
  void everyProblemIsReportedAtOnceWithKeyAndLineAndColumn() {
    ConfigObject root =
        yaml(
            "sidecar.yaml",
            "server:",
            "  listen: 127.0.0.1:8750",
            "  insecure-bind: maybe",
            "  colour: blue",
            "targets:",
            "  - url: http://a/",
            "    timeout: 0s",
            "  - timeout: soon",
            "    max-backoff: 2h",
            "weights: {a: 1, b: many}",
            "mode: slow",
            "buffer: lots",
            "");
    Bound<Settings> bound = Binder.strict().tryBind(root, "", Settings.class);
    assertThat(bound.ok()).isFalse();
    assertThat(bound.value()).isNull();
    assertThat(problems(bound))
        .containsExactlyInAnyOrder(
            "sidecar.yaml:3:18: server.insecure-bind: expected a boolean (true or false) but found 'maybe'",
            "sidecar.yaml:4:11: server.colour: unknown key (expected one of insecure-bind, listen, token-file)",
            "sidecar.yaml:7:14: targets[0].timeout: must be positive but found '0s'",
            "sidecar.yaml:8:5: targets[1].url: missing: required by Target.url",
            "sidecar.yaml:8:14: targets[1].timeout: expected a duration like 250ms, 5s, 2m or PT1H but found 'soon'",
            "sidecar.yaml:9:18: targets[1].max-backoff: must be at most 1h but found '2h'",
            "sidecar.yaml:10:20: weights.b: expected an int but found 'many'",
            "sidecar.yaml:11:7: mode: expected one of FAST, SAFE_MODE but found 'slow'",
            "sidecar.yaml:12:9: buffer: expected a data size like 512B, 64KB or 16MB but found 'lots'");
    assertThatThrownBy(bound::orThrow)
        .isInstanceOf(ConfigValueException.class)
        .hasMessageStartingWith("9 problems:");
  }

  @Test
  void unknownKeysAreIgnoredByTheLenientBinderAndSpellingsAreInterchangeable() {
    ConfigObject root = memory("listen: x", "token_file: t", "insecureBind: true", "z: 1");
    Server lenient = Binder.lenient().bind(root, "server", Server.class);
    assertThat(lenient).isEqualTo(new Server("x", Optional.of(Path.of("t")), true));
    assertThat(problems(Binder.strict().tryBind(root, "server", Server.class)))
        .containsExactly(
            "app.yaml:4:4: server.z: unknown key (expected one of insecure-bind, listen, token-file)");
  }

  @Test
  void aKeyGivenUnderTwoSpellingsIsAProblemForTheStrictBinder() {
    ConfigObject root = memory("token-file: a", "token_file: b");
    assertThat(problems(Binder.strict().tryBind(root, "", Server.class)))
        .containsExactly("app.yaml:2:13: token_file: given twice, as token-file and as token_file");
    assertThat(Binder.lenient().bind(root, "", Server.class).tokenFile()).contains(Path.of("a"));
  }

  @Test
  void pathsResolveAgainstTheFileOfTheirOriginOnlyWhenItNamesOne() {
    record Paths(Path a, Path b) {}
    ConfigObject fromFile = yaml("conf/sidecar.yaml", "a: x/y.yaml", "b: /abs/../z.yaml");
    Paths p = Binder.strict().bind(fromFile, "", Paths.class);
    assertThat(p.a()).isEqualTo(Path.of("conf/x/y.yaml").toAbsolutePath().normalize());
    assertThat(p.b()).isEqualTo(Path.of("/z.yaml"));
    ConfigObject fromMemory = memory("a: x/y.yaml", "b: /abs/z.yaml");
    assertThat(Binder.strict().bind(fromMemory, "", Paths.class))
        .isEqualTo(new Paths(Path.of("x/y.yaml"), Path.of("/abs/z.yaml")));
  }

  record Checkedy(Optional<String> key, Optional<String> prefix) implements Checked {
    @Override
    public void check(Checks checks) {
      if (key.isPresent() == prefix.isPresent()) {
        checks.problem("needs exactly one of 'key' or 'prefix'");
      }
      if (prefix.filter(p -> p.startsWith("/")).isPresent()) {
        checks.problem("prefix", "must not start with '/'");
      }
      assertThat(checks.isSet("key")).isEqualTo(key.isPresent());
    }
  }

  @Test
  void checkedRecordsReportAtTheValueOrTheObject() {
    ConfigObject root = yaml("c.yaml", "entries:", "  - key: a", "    prefix: /b", "  - key: c");
    record Entries(List<Checkedy> entries) {}
    assertThat(problems(Binder.strict().tryBind(root, "", Entries.class)))
        .containsExactly(
            "c.yaml:2:5: entries[0]: needs exactly one of 'key' or 'prefix'",
            "c.yaml:3:13: entries[0].prefix: must not start with '/'");
  }

  record Shared(@DefaultValue("30s") Duration startTimeout, Optional<Path> schema) {}

  record FrontEnd(@Inline Shared shared, @DefaultValue("10s") Duration grace) {}

  @Test
  void inlineRecordsShareTheObjectAndItsKnownKeys() {
    ConfigObject root = yaml("f.yaml", "start-timeout: 5s", "grace: 1s", "extra: 1");
    Bound<FrontEnd> bound = Binder.strict().tryBind(root, "hotconf", FrontEnd.class);
    assertThat(problems(bound))
        .containsExactly(
            "f.yaml:3:8: hotconf.extra: unknown key (expected one of grace, schema, start-timeout)");
    ConfigObject good = yaml("f.yaml", "start-timeout: 5s");
    assertThat(Binder.strict().bind(good, "hotconf", FrontEnd.class))
        .isEqualTo(
            new FrontEnd(
                new Shared(Duration.ofSeconds(5), Optional.empty()), Duration.ofSeconds(10)));
  }

  record Waits(@Name("wait") Optional<Duration> waitTime) {}

  @Test
  void nameOverridesTheKeyOfAComponent() {
    assertThat(Binder.strict().bind(yaml("w.yaml", "wait: 2m"), "", Waits.class).waitTime())
        .contains(Duration.ofMinutes(2));
    assertThat(problems(Binder.strict().tryBind(yaml("w.yaml", "wait-time: 2m"), "", Waits.class)))
        .containsExactly("w.yaml:1:12: wait-time: unknown key (expected one of wait)");
  }

  @Test
  void builderRejectionsBecomeProblemsAtTheOffendingValue() {
    ConfigObject root = yaml("t.yaml", "url: http://x/", "timeout: 3s");
    Bound<Target> bound = Binder.strict().tryBind(root, "targets[2]", Target.class);
    assertThat(bound.ok()).isTrue();
    bound.apply(
        "timeout",
        () -> {
          throw new IllegalArgumentException("timeout must be below 2s");
        });
    String built = bound.supply("maxBackoff", () -> "built");
    Integer failed =
        bound.supply(
            null,
            () -> {
              throw new IllegalArgumentException("not today");
            });
    assertThat(built).isEqualTo("built");
    assertThat(failed).isNull();
    assertThat(problems(bound))
        .containsExactly(
            "t.yaml:2:10: targets[2].timeout: timeout must be below 2s",
            "t.yaml:1:1: targets[2]: not today");
    assertThatThrownBy(bound::orThrow).isInstanceOf(ConfigValueException.class);
    assertThat(bound.key("maxBackoff")).isEqualTo("targets[2].max-backoff");
  }

  @Test
  void secretValuesNeverAppearInProblems() {
    record Creds(int token, Optional<Duration> passwordTtl) {}
    ConfigObject root = yaml("s.yaml", "token: hunter2", "password-ttl: hunter3");
    List<String> problems = problems(Binder.strict().tryBind(root, "db", Creds.class));
    assertThat(problems)
        .containsExactly(
            "s.yaml:1:8: db.token: expected an int but found <redacted>",
            "s.yaml:2:15: db.password-ttl: expected a duration like 250ms, 5s, 2m or PT1H but found <redacted>");
  }

  record BadDefault(@DefaultValue("soon") Duration timeout) {}

  record BadConstraint(@Positive @DefaultValue("0s") Duration timeout) {}

  record PositiveString(@Positive String name) {}

  @Test
  void wrongDefaultsAndConstraintsFailWhenTheTypeIsFirstBound() {
    ConfigObject empty = yaml("e.yaml", "");
    assertThatThrownBy(() -> Binder.strict().bind(empty, "", BadDefault.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BadDefault.timeout: bad @DefaultValue(\"soon\")");
    assertThatThrownBy(() -> Binder.strict().bind(empty, "", BadConstraint.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> Binder.strict().bind(empty, "", PositiveString.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@Positive applies to numbers, Duration and DataSize");
  }

  @Test
  void oneDurationGrammar() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse(" 5 s ")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(Durations.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("-PT5S")).isEqualTo(Duration.ofSeconds(-5));
    for (String bad : List.of("", "5", "5x", "s", "9223372036854775807m", "1 2s", "PT", "٣s")) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected a duration like 250ms, 5s, 2m or PT1H");
    }
  }
}
