package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigValueException;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.consul.fleet.FleetSettings;
import dev.hotconf.consul.rollout.RolloutSettings;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.settings.Assembly;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sidecar.yaml} read through config-core's binder and the source modules' providers (the
 * cases of the former SidecarConfigParserTest, plus the shared-code and README guarantees).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SidecarSettingsTest {
  private static final String SCHEMA = "{\"type\": \"object\"}";

  @TempDir Path dir;

  private Path write(String... lines) throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static List<String> problems(Path file) {
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      throw new AssertionError("expected problems, got " + a.settings());
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void readsEverySectionAndResolvesPathsAgainstTheConfigFolder() throws Exception {
    Files.writeString(dir.resolve("consul.token"), "t0ken\n");
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: config/app.yaml",
            "    debounce: 250ms",
            "  - type: consul",
            "    address: http://127.0.0.1:8500",
            "    key: config/app/data",
            "    format: yaml",
            "    token-file: consul.token",
            "    wait: 2m",
            "    rate-limit-burst: 5",
            "    rate-limit-refill: 2s",
            "schema: schema.json",
            "server:",
            "  listen: 127.0.0.1:9999",
            "  token-file: hotconf.token",
            "targets:",
            "  - url: http://127.0.0.1:8080/config",
            "    timeout: 5s",
            "  - file: out/app.json",
            "last-known-good: state/app.json",
            "start-timeout: 1d");
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      SidecarSettings s = a.settings();
      assertThat(a.sources()).hasSize(2);
      assertThat(a.sources().get(0).name()).isEqualTo("file:" + dir.resolve("config/app.yaml"));
      ConsulSourceConfig consul = ((ConsulSource) a.sources().get(1)).config();
      assertThat(consul.path()).isEqualTo("config/app/data");
      assertThat(consul.hasToken()).isTrue();
      assertThat(consul.waitTime()).isEqualTo(Duration.ofMinutes(2));
      assertThat(consul.rateLimitBurst()).isEqualTo(5);
      assertThat(consul.rateLimitRefill()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.config().schema()).contains(dir.resolve("schema.json"));
      assertThat(a.validators()).hasSize(1);
      assertThat(s.server().listenAddress().getPort()).isEqualTo(9999);
      assertThat(s.server().tokenFile()).contains(dir.resolve("hotconf.token"));
      TargetSettings url = TargetSettings.ofUrl(URI.create("http://127.0.0.1:8080/config"));
      assertThat(s.targets())
          .containsExactly(
              new TargetSettings(
                  url.url(),
                  url.file(),
                  Optional.of(Duration.ofSeconds(5)),
                  url.maxBackoff(),
                  false,
                  url.format(),
                  url.template(),
                  url.check(),
                  url.checkTimeout(),
                  url.mode(),
                  url.backup(),
                  url.reload(),
                  url.splay()),
              TargetSettings.ofFile(dir.resolve("out/app.json")));
      assertThat(s.config().lastKnownGood()).contains(dir.resolve("state/app.json"));
      // the issue's example: 1d failed in sidecar.yaml but worked in an application's config
      assertThat(s.config().startTimeout()).isEqualTo(Duration.ofDays(1));
      assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void defaultsMatchTheReadme() throws Exception {
    Path file = write("sources:", "  - type: file", "    path: app.yaml");
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      SidecarSettings s = a.settings();
      assertThat(s.server().listenAddress().getAddress())
          .isEqualTo(InetAddress.getByName("127.0.0.1"));
      assertThat(s.server().listenAddress().getPort()).isEqualTo(8750);
      assertThat(s.server().tokenFile()).isEmpty();
      assertThat(s.server().insecureBind()).isFalse();
      assertThat(s.targets()).isEmpty();
      assertThat(s.config().schema()).isEmpty();
      assertThat(s.config().strict()).isFalse();
      assertThat(s.config().lastKnownGood()).isEmpty();
      assertThat(s.config().startTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
      assertThat(a.validators()).isEmpty();
    }
  }

  @Test
  void everyProblemIsReportedWithItsLineAndColumn() throws Exception {
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "    debounce: soon",
            "    colour: blue",
            "  - type: consul",
            "    key: a",
            "    prefix: b",
            "targets:",
            "  - url: ftp://x/y",
            "servr: {}");
    assertThat(problems(file))
        .containsExactly(
            file
                + ":4:15: sources[0].debounce: expected a duration like 250ms, 5s, 2m or PT1H but found 'soon'",
            file
                + ":5:13: sources[0].colour: unknown key (expected one of debounce, format, max-wait, path, rename-window, rescan-interval, type)",
            file + ":6:5: sources[1]: a consul source needs exactly one of 'key' or 'prefix'",
            file + ":10:10: targets[0].url: must be an http or https URL",
            file
                + ":11:8: servr: unknown key (expected one of fleet, guard, history, last-known-good, redact, schema, server, shutdown-grace, sources, start-timeout, strict, targets)");
  }

  @Test
  void theConsulRateLimitIsCheckedAndReachesTheSource() throws Exception {
    Path file =
        write(
            "sources:",
            "  - type: consul",
            "    key: a",
            "    rate-limit-burst: 0",
            "    rate-limit-refill: 2h",
            "  - type: consul",
            "    key: b",
            "    rate-limit-burst: many");
    assertThat(problems(file))
        .containsExactly(
            file + ":4:23: sources[0].rate-limit-burst: must be between 1 and 100 but was 0",
            file + ":5:24: sources[0].rate-limit-refill: must be between 1ms and 1h but was 2h",
            file + ":8:23: sources[1].rate-limit-burst: expected an int but found 'many'");

    write("sources:", "  - type: consul", "    key: a", "    rate-limit-refill: 1s");
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      ConsulSourceConfig built = ((ConsulSource) a.sources().get(0)).config();
      assertThat(built.rateLimitRefill()).isEqualTo(Duration.ofSeconds(1));
      assertThat(built.rateLimitBurst()).isEqualTo(ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST);
    }
  }

  @Test
  void sourcesAreRequired() throws Exception {
    Path file = write("targets: []");
    assertThat(problems(file))
        .containsExactly(file + ":1:1: sources: is required: list at least one source");
    write("sources: []");
    assertThat(problems(file))
        .containsExactly(file + ":1:10: sources: is required: list at least one source");
  }

  @Test
  void aSourceNeedsAKnownType() throws Exception {
    Path file = write("sources:", "  - path: a.yaml", "  - type: etcd", "    path: b.yaml");
    assertThat(problems(file))
        .containsExactly(
            file + ":2:5: sources[0].type: is required (a source type: consul, file)",
            file
                + ":3:11: sources[1].type: expected a source type (consul, file) but found 'etcd'");
  }

  /** Finding 12 of issue 14: durations that must be positive are checked where they are written. */
  @Test
  void durationsThatMustBePositiveAreRejectedWithLineAndColumn() throws Exception {
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "    max-wait: 0s",
            "  - type: consul",
            "    key: a",
            "    wait: 0s",
            "    rate-limit-refill: 0s",
            "targets:",
            "  - url: http://127.0.0.1:1/x",
            "    timeout: 0s",
            "    max-backoff: -PT1S",
            "start-timeout: 0ms",
            "shutdown-grace: -PT1S");
    assertThat(problems(file))
        .containsExactly(
            file + ":4:15: sources[0].max-wait: maxWait must be > 0 but was 0ms",
            file + ":7:11: sources[1].wait: must be between 1s and 10m but was 0s",
            file + ":8:24: sources[1].rate-limit-refill: must be between 1ms and 1h but was 0s",
            file + ":11:14: targets[0].timeout: must be positive but found '0s'",
            file + ":12:18: targets[0].max-backoff: must be positive but found '-PT1S'",
            file + ":13:16: start-timeout: must be positive but found '0ms'",
            file + ":14:17: shutdown-grace: must be at least 0s but found '-PT1S'");
  }

  @Test
  void targetsAreAUrlOrAFile() throws Exception {
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "targets:",
            "  - timeout: 1s",
            "  - url: http://127.0.0.1:1/x",
            "    file: out.json",
            "  - file: out.json",
            "    timeout: 1s",
            "  - url: http://user:hunter2@",
            "server:",
            "  listen: localhost:port");
    assertThat(problems(file))
        .containsExactly(
            file + ":5:5: targets[0]: a target needs 'url' or 'file'",
            file + ":7:11: targets[1].file: a target has 'url' or 'file', not both",
            file + ":9:14: targets[2].timeout: applies to url targets only",
            file + ":10:10: targets[3].url: must be an http or https URL",
            file + ":12:11: server.listen: must be HOST:PORT, e.g. 127.0.0.1:8750");
    assertThat(String.join("\n", problems(file))).doesNotContain("hunter2");
  }

  @Test
  void fileTargetsReadFormatTemplateCheckModeBackupReloadAndSplay() throws Exception {
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "guard:",
            "  max-removed-keys: 30%",
            "targets:",
            "  - file: out/nginx.conf",
            "    template: templates/nginx.conf.tmpl",
            "    check: [nginx, -t, -c, '{file}']",
            "    check-timeout: 10s",
            "    mode: 0640",
            "    backup: out/nginx.conf.bak",
            "    reload: {signal: HUP, pid-file: /run/nginx.pid}",
            "    splay: 10s",
            "  - file: out/app.env",
            "    format: env",
            "    reload:",
            "      command: [systemctl, reload, app]",
            "      timeout: 5s");
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      SidecarSettings s = a.settings();
      TargetSettings nginx = s.targets().get(0);
      assertThat(nginx.template()).contains(dir.resolve("templates/nginx.conf.tmpl"));
      assertThat(nginx.check()).contains(List.of("nginx", "-t", "-c", "{file}"));
      assertThat(nginx.splayOrZero()).isEqualTo(Duration.ofSeconds(10));
      assertThat(nginx.reloadsBySignal()).isTrue();
      var spec = nginx.fileSpec(Path.of("/bin/kill"));
      assertThat(spec.checkTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(spec.mode()))
          .isEqualTo("rw-r-----");
      assertThat(spec.backup()).isEqualTo(dir.resolve("out/nginx.conf.bak"));
      assertThat(spec.reload().describe())
          .isEqualTo("signal HUP to the pid in " + Path.of("/run/nginx.pid"));
      var env = s.targets().get(1).fileSpec(Path.of("/bin/kill"));
      assertThat(env.format()).isEqualTo(dev.hotconf.sidecar.filetarget.FileFormat.ENV);
      assertThat(env.mode()).isEqualTo(dev.hotconf.sidecar.filetarget.FileApplier.OWNER_ONLY);
      assertThat(env.reload().describe()).isEqualTo("systemctl reload app");
      assertThat(s.targets().get(1).reloadsBySignal()).isFalse();
      assertThat(a.guard()).isPresent();
      assertThat(a.guard().get().maxRemovedShare()).isEqualTo(0.3);
    }
  }

  @Test
  void badFileTargetKeysAreProblemsAtTheirValues() throws Exception {
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "targets:",
            "  - file: a.conf",
            "    format: toml",
            "  - file: b.conf",
            "    format: yaml",
            "    template: b.tmpl",
            "    check: []",
            "    mode: 0444",
            "  - file: g.conf",
            "    splay: -PT1S",
            "  - file: c.conf",
            "    check-timeout: 5s",
            "    mode: rwxrwxrwz",
            "  - file: h.conf",
            "    reload: {signal: KILL, pid-file: x.pid}",
            "  - file: d.conf",
            "    reload: {signal: HUP, command: [x]}",
            "  - file: e.conf",
            "    reload: {signal: hup, timeout: 1s}",
            "  - file: f.conf",
            "    reload: {command: [''], pid-file: f.pid}",
            "  - url: http://127.0.0.1:1/x",
            "    check: [x]",
            "    reload: {command: [x]}");
    assertThat(problems(file))
        .containsExactly(
            file
                + ":6:13: targets[0].format: expected one of JSON, YAML, PROPERTIES, ENV but found"
                + " 'toml'",
            file + ":9:15: targets[1].template: a file target has 'format' or 'template', not both",
            file
                + ":10:12: targets[1].check: must list the program and its arguments (an argv, no"
                + " shell)",
            file
                + ":11:11: targets[1].mode: the owner (the sidecar) must be able to read and write",
            file + ":13:12: targets[2].splay: must be at least 0s but found '-PT1S'",
            file + ":15:20: targets[3].check-timeout: applies with 'check' only",
            file + ":16:11: targets[3].mode: expected permissions like 0640 or rw-r-----",
            file
                + ":18:22: targets[4].reload.signal: expected one of HUP, INT, QUIT, TERM, USR1,"
                + " USR2, WINCH",
            file
                + ":20:13: targets[5].reload: reload needs either 'signal' (with 'pid-file') or"
                + " 'command'",
            file + ":22:13: targets[6].reload: a reload by signal needs 'pid-file'",
            file + ":22:36: targets[6].reload.timeout: applies to a reload command only",
            file + ":24:23: targets[7].reload.command: the program name is empty",
            file + ":24:39: targets[7].reload.pid-file: applies to a reload by signal only",
            file + ":26:12: targets[8].check: applies to file targets only",
            file + ":27:13: targets[8].reload: applies to file targets only");
  }

  /**
   * A sidecar config error and an application config error come from the same code (config-core's
   * converters) with the same shape: {@code file:line:col: key: message}.
   */
  @Test
  void aSidecarErrorAndAnApplicationErrorHaveTheSameShape() throws Exception {
    Path file = write("sources:", "  - type: file", "    path: app.yaml", "start-timeout: soon");
    String sidecar = problems(file).get(0);

    record Http(Duration startTimeout) {}
    MemorySource app =
        Sources.text("app.yaml", ConfigFormat.YAML, "http:\n  start-timeout: soon\n");
    try (HotConfig config = HotConfig.builder().source(app).build()) {
      assertThatThrownBy(() -> config.recordSetting("http", Http.class))
          .isInstanceOfSatisfying(
              ConfigValueException.class,
              e -> assertSameShape(sidecar, e.problems().get(0).toString()));
    }
  }

  private static void assertSameShape(String sidecar, String application) {
    Pattern shape = Pattern.compile("(.+):(\\d+):(\\d+): ([^:]+): (.+)");
    Matcher s = shape.matcher(sidecar);
    Matcher a = shape.matcher(application);
    assertThat(s.matches()).as(sidecar).isTrue();
    assertThat(a.matches()).as(application).isTrue();
    assertThat(s.group(4)).isEqualTo("start-timeout");
    assertThat(a.group(4)).isEqualTo("http.start-timeout");
    assertThat(s.group(5))
        .isEqualTo(a.group(5))
        .isEqualTo("expected a duration like 250ms, 5s, 2m or PT1H but found 'soon'");
  }

  /** Every key of the README's sidecar.yaml block is accepted, with the meaning it documents. */
  @Test
  void theReadmesSidecarYamlBlockIsAccepted() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    Matcher m =
        Pattern.compile("## The sidecar: `hotconf run`.*?```yaml\\n(.*?)```", Pattern.DOTALL)
            .matcher(readme);
    assertThat(m.find()).as("the sidecar.yaml block of README.md").isTrue();
    Files.writeString(dir.resolve("consul.token"), "t0ken\n");
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, m.group(1));
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      assertThat(a.sources()).hasSize(2);
      assertThat(a.validators()).hasSize(1);
      assertThat(a.settings().targets()).hasSize(3);
      assertThat(a.settings().targets().get(2).reloadsBySignal()).isTrue();
      assertThat(a.guard()).isPresent();
      assertThat(a.settings().config().lastKnownGood()).isPresent();
      FleetSettings fleet = a.settings().fleet().orElseThrow();
      assertThat(fleet.app()).isEqualTo("orders");
      assertThat(fleet.instance()).hasValue("web-1");
      assertThat(fleet.ttl()).isEqualTo(Duration.ofSeconds(60));
    }
  }

  @Test
  void fleetDefaultsToNoneAndItsKeysAreCheckedWhereTheyAreWritten() throws Exception {
    try (Assembly<SidecarSettings> a =
        SidecarSettings.load(write("sources:", "  - type: file", "    path: app.yaml"))) {
      assertThat(a.settings().fleet()).isEmpty();
    }
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "fleet:",
            "  app: orders/eu",
            "  instance: web 1",
            "  ttl: 5s",
            "  renew-interval: 2m",
            "  token: abc",
            "  token-file: t",
            "  address: ftp://consul",
            "  colour: blue");
    assertThat(problems(file))
        .containsExactlyInAnyOrder(
            file + ":5:8: fleet.app: must be 1 to 64 letters, digits, _ . or -",
            file + ":6:13: fleet.instance: must be 1 to 128 letters, digits, _ . or -",
            file
                + ":7:8: fleet.ttl: must be whole seconds between 10s and 24h (Consul's session"
                + " limits) but was 5s",
            file + ":8:19: fleet.renew-interval: must be at least 10ms and shorter than the ttl",
            file
                + ":5:3: fleet: give the fleet's ACL token one way only: token, token-file or"
                + " token-env",
            file + ":11:12: fleet.address: must start with http:// or https:// (or be host:port)",
            file
                + ":12:11: fleet.colour: unknown key (expected one of address, app, ca-file,"
                + " follow-rollouts, health-failures, health-interval, health-timeout, health-url,"
                + " instance, key-prefix, labels, renew-interval, rollout-prefix, token,"
                + " token-env, token-file, ttl)");
    assertThat(problems(write("sources:", "  - type: file", "    path: a.yaml", "fleet: {}")))
        .singleElement()
        .asString()
        .contains("fleet.app: missing");
  }

  @Test
  void theStagedRolloutKeysOfFleetAreCheckedWhereTheyAreWritten() throws Exception {
    try (Assembly<SidecarSettings> a =
        SidecarSettings.load(
            write(
                "sources:",
                "  - type: file",
                "    path: app.yaml",
                "fleet:",
                "  app: orders",
                "  labels: {zone: eu-1, tier: web}",
                "  health-url: http://127.0.0.1:8080/health",
                "  health-interval: 2s"))) {
      RolloutSettings r = a.settings().fleet().orElseThrow().rollouts();
      assertThat(r.labels()).containsEntry("zone", "eu-1").containsEntry("tier", "web");
      assertThat(r.followRollouts()).isTrue();
      assertThat(r.healthUrl()).hasValue(URI.create("http://127.0.0.1:8080/health"));
      assertThat(r.healthInterval()).isEqualTo(Duration.ofSeconds(2));
      assertThat(r.healthTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(r.healthFailures()).isEqualTo(1);
      assertThat(r.rolloutPrefix()).isEqualTo("hotconf/rollouts/");
    }
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "fleet:",
            "  app: orders",
            "  labels: {'-zone': eu}",
            "  health-url: ftp://127.0.0.1/health",
            "  health-interval: 1ms",
            "  health-failures: 0",
            "  rollout-prefix: /abs");
    assertThat(problems(file))
        .containsExactlyInAnyOrder(
            file
                + ":6:11: fleet.labels: '-zone' is not a label key (1 to 63 letters, digits, _ . /"
                + " -, starting and ending with a letter or digit)",
            file + ":7:15: fleet.health-url: must be an http:// or https:// URL",
            file + ":8:20: fleet.health-interval: must be between 10ms and 1h but was 1ms",
            file + ":9:20: fleet.health-failures: must be 1 to 100",
            file
                + ":10:19: fleet.rollout-prefix: must be segments of letters, digits, _ . or -"
                + " separated by / but was '/abs/'");
  }

  /** The README's nginx example (examples/nginx) is accepted. */
  @Test
  void theNginxExampleSidecarYamlIsAccepted() throws Exception {
    try (Assembly<SidecarSettings> a =
        SidecarSettings.load(
            Path.of("../examples/nginx/sidecar.yaml").toAbsolutePath().normalize())) {
      TargetSettings t = a.settings().targets().get(0);
      assertThat(t.template()).isPresent();
      assertThat(t.check()).isPresent();
      assertThat(a.guard()).isPresent();
    }
  }

  /** The quick start's sidecar.yaml (examples/) is accepted. */
  @Test
  void theQuickStartSidecarYamlIsAccepted() throws Exception {
    try (Assembly<SidecarSettings> a =
        SidecarSettings.load(Path.of("../examples/sidecar.yaml").toAbsolutePath().normalize())) {
      assertThat(a.sources()).hasSize(1);
      assertThat(a.validators()).hasSize(1);
    }
  }

  @Test
  void serverTlsLimitsAndTargetPathRedaction() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Path file =
        write(
            "sources:",
            "  - type: file",
            "    path: config/app.yaml",
            "server:",
            "  listen: 127.0.0.1:9999",
            "  tls-cert-file: tls/server.crt",
            "  tls-key-file: tls/server.key",
            "  max-connections: 500",
            "  request-timeout: 2s",
            "  idle-timeout: 1m",
            "targets:",
            "  - url: https://hooks.example.com/services/T0/B0/s3cret",
            "    redact-path: true");
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      ServerSettings server = a.settings().server();
      assertThat(server.tlsCertFile()).contains(dir.resolve("tls/server.crt"));
      assertThat(server.tlsKeyFile()).contains(dir.resolve("tls/server.key"));
      assertThat(server.maxConnections()).isEqualTo(500);
      assertThat(server.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(server.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
      assertThat(a.settings().targets().get(0).redactPath()).isTrue();
    }
    Path bad =
        write(
            "sources:",
            "  - type: file",
            "    path: config/app.yaml",
            "server:",
            "  max-connections: 5",
            "  request-timeout: 0s",
            "targets:",
            "  - file: out/app.json",
            "    redact-path: true");
    assertThat(problems(bad))
        .containsExactlyInAnyOrder(
            bad + ":5:20: server.max-connections: must be at least 16 but found 5",
            bad + ":6:20: server.request-timeout: must be positive but found '0s'",
            bad + ":9:18: targets[0].redact-path: applies to url targets only");
    Path half =
        write(
            "sources:",
            "  - type: file",
            "    path: config/app.yaml",
            "server:",
            "  tls-cert-file: tls/server.crt");
    assertThat(problems(half))
        .containsExactly(
            half + ":5:18: server.tls-cert-file: tls-cert-file and tls-key-file go together");
  }

  @Test
  void theServerDefaults() throws Exception {
    Path file = write("sources:", "  - type: file", "    path: app.yaml");
    try (Assembly<SidecarSettings> a = SidecarSettings.load(file)) {
      ServerSettings server = a.settings().server();
      assertThat(server.tlsCertFile()).isEmpty();
      assertThat(server.maxConnections()).isEqualTo(2048);
      assertThat(server.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    }
  }
}
