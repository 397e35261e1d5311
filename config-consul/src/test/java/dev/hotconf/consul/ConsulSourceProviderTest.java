package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.HotConfig;
import dev.hotconf.IntSetting;
import dev.hotconf.Problem;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.settings.Assembler;
import dev.hotconf.settings.Assembly;
import dev.hotconf.settings.HotConfigSettings;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceContext;
import dev.hotconf.source.SourceProvider;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The {@code type: consul} entry of settings: ConsulSourceProvider and ConsulSourceConfig.from. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulSourceProviderTest {
  private static final String TOKEN = "s3cr3t-t0ken";

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().jitter(false));

  @TempDir Path dir;

  private ConfigObject settings(String... lines) {
    return ConfigFormat.YAML.parse(
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8),
        ConfigOrigin.ofFile("settings", dir.resolve("settings.yaml")));
  }

  private List<String> problems(ConfigObject entry) {
    SourceContext at = SourceContext.of("sources[1]").withEnvironment(Map.of("SET", TOKEN)::get);
    try (ConfigSource s = new ConsulSourceProvider().create(entry, at)) {
      throw new AssertionError("no problems: " + s);
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  @Test
  void isFoundThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(SourceProvider.class))
        .anySatisfy(p -> assertThat(p.type()).isEqualTo("consul"));
  }

  @Test
  void everyKeyReachesTheConfig() throws Exception {
    Files.writeString(dir.resolve("consul.token"), TOKEN + "\n");
    ConsulSourceConfig c =
        ConsulSourceConfig.from(
            settings(
                "type: consul",
                "address: https://127.0.0.1:8501",
                "key: config/app/data",
                "format: json",
                "token-file: consul.token",
                "wait: 2m",
                "consistency: stale",
                "datacenter: dc2",
                "ca-file: " + Pki.shared().caPem(),
                "deleted-means-empty: true",
                "rate-limit-burst: 5",
                "rate-limit-refill: 2s"),
            "sources[1]");
    assertThat(c.shape()).isEqualTo(ConsulSourceConfig.Shape.KEY);
    assertThat(c.path()).isEqualTo("config/app/data");
    assertThat(c.address().toString()).isEqualTo("https://127.0.0.1:8501");
    assertThat(c.format()).contains(ConfigFormat.JSON);
    assertThat(c.hasToken()).isTrue();
    assertThat(c.toString()).contains("token=file:" + dir.resolve("consul.token"));
    assertThat(c.waitTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.consistency()).isEqualTo(ConsistencyMode.STALE);
    assertThat(c.datacenter()).contains("dc2");
    assertThat(c.usesTls()).isTrue();
    assertThat(c.missingPolicy()).isEqualTo(MissingPolicy.EMPTY);
    assertThat(c.rateLimitBurst()).isEqualTo(5);
    assertThat(c.rateLimitRefill()).isEqualTo(Duration.ofSeconds(2));

    ConsulSourceConfig prefix =
        ConsulSourceConfig.from(settings("prefix: config/app", "token: " + TOKEN), "x");
    assertThat(prefix.shape()).isEqualTo(ConsulSourceConfig.Shape.PREFIX);
    assertThat(prefix.path()).isEqualTo("config/app/");
    assertThat(prefix.address().toString()).isEqualTo(ConsulSourceConfig.DEFAULT_ADDRESS);
    assertThat(prefix.missingPolicy()).isEqualTo(MissingPolicy.KEEP_LAST_GOOD);
  }

  @Test
  void builderRejectionsAreProblemsAtTheirValues() throws Exception {
    String f = dir.resolve("settings.yaml").toString();
    assertThat(
            problems(
                settings(
                    "type: consul",
                    "key: config/app data",
                    "wait: 20m",
                    "consistency: eventual",
                    "colour: blue")))
        .containsExactly(
            f
                + ":4:14: sources[1].consistency: expected one of DEFAULT, STALE, CONSISTENT but found 'eventual'",
            f
                + ":5:9: sources[1].colour: unknown key (expected one of address, ca-file, consistency, datacenter, deleted-means-empty, format, key, prefix, rate-limit-burst, rate-limit-refill, token, token-env, token-file, type, wait)");
    assertThat(
            problems(
                settings(
                    "type: consul",
                    "prefix: config/app",
                    "format: yaml",
                    "wait: 20m",
                    "datacenter: dc 1",
                    "token-env: UNSET",
                    "token-file: missing.token",
                    "address: http://user:hunter2@127.0.0.1:8500")))
        .containsExactly(
            f
                + ":8:10: sources[1].address: must not contain credentials (user:password@): give the ACL token with token, token-file or token-env",
            f
                + ":3:9: sources[1].format: applies to a single key, not to prefix config/app/ (whose values are scalars)",
            f
                + ":7:13: sources[1].token-file: "
                + dir.resolve("missing.token")
                + " does not exist or is not a readable file",
            f + ":6:12: sources[1].token-env: environment variable UNSET is not set or empty",
            f + ":4:7: sources[1].wait: must be between 1s and 10m but was 20m",
            f
                + ":5:13: sources[1].datacenter: may only contain letters, digits and _ . - but was 'dc 1'")
        .noneMatch(p -> p.contains("hunter2"));
    assertThat(problems(settings("type: consul", "key: config/app data")))
        .containsExactly(
            f
                + ":2:6: sources[1].key: may only contain letters, digits and _ . / - (character 11 is not one of them)");
    // issue 14 finding 9: an address with a query is not echoed
    assertThat(problems(settings("type: consul", "key: a", "address: http://h:8500/?token=s3cret")))
        .singleElement()
        .asString()
        .startsWith(f + ":3:10: sources[1].address: must not have a query or fragment")
        .doesNotContain("s3cret");
    // two ways of giving the token: a problem at the second, naming both in the settings' words
    Files.writeString(dir.resolve("consul.token"), TOKEN);
    assertThat(
            problems(settings("type: consul", "key: a", "token: abc", "token-file: consul.token")))
        .containsExactly(
            f
                + ":4:13: sources[1].token-file: cannot be combined with token: give the ACL token"
                + " one way only (token, token-file or token-env)");
    assertThat(problems(settings("type: consul", "key: a", "ca-file: settings.yaml")))
        .singleElement()
        .asString()
        .startsWith(f + ":3:10: sources[1].ca-file: ");
    assertThat(problems(settings("type: consul", "key: a", "token: bad token")))
        .containsExactly(
            f
                + ":3:8: sources[1].token: the token must be printable ASCII without spaces (character at index 3 is not)");
  }

  @Test
  void secretValuesNeverAppearInProblems() {
    List<String> problems = problems(settings("type: consul", "key: a", "token: [" + TOKEN + "]"));
    assertThat(problems)
        .containsExactly(
            dir.resolve("settings.yaml")
                + ":3:8: sources[1].token: expected a string but found <redacted>");
    assertThat(String.join("\n", problems)).doesNotContain(TOKEN);
  }

  /** Settings to a running config through the shared path, against the Consul double. */
  @Test
  void settingsAssembleIntoAHotConfigThatFollowsConsul() {
    ConsulTestServer server = consul.server();
    server.requireToken(TOKEN);
    server.put("config/app/data", "db: {pool: {max: 10}}");
    ConfigObject root =
        settings(
            "sources:",
            "  - type: consul",
            "    address: " + server.url(),
            "    key: config/app/data",
            "    token-env: CONSUL_HTTP_TOKEN",
            "    wait: 1s",
            "    rate-limit-refill: 50ms",
            "start-timeout: 10s");
    Assembler assembler =
        Assembler.defaults().withEnvironment(Map.of("CONSUL_HTTP_TOKEN", TOKEN)::get);
    try (Assembly<HotConfigSettings> assembly =
            assembler.assemble(root, "", HotConfigSettings.class);
        HotConfig config = assembly.builder().name("provider-test").build()) {
      IntSetting max = config.intSetting("db.pool.max", 0);
      assertThat(max.getAsInt()).isEqualTo(10);
      server.put("config/app/data", "db: {pool: {max: 20}}");
      await().until(() -> max.getAsInt() == 20);
    }
  }
}
