package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.ConfigParseException;
import dev.hotconf.Problem;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.source.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SidecarConfigParserTest {
  @TempDir Path dir;

  @Test
  void readsEverySectionAndResolvesPathsAgainstTheConfigFolder() throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
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
            ""));
    SidecarConfig c = SidecarConfigParser.parse(file);
    assertThat(c.sources()).hasSize(2);
    SidecarConfig.FileSpec f = (SidecarConfig.FileSpec) c.sources().get(0);
    assertThat(f.path()).isEqualTo(dir.resolve("config/app.yaml"));
    assertThat(f.debounce()).isEqualTo(Duration.ofMillis(250));
    SidecarConfig.ConsulSpec consul = (SidecarConfig.ConsulSpec) c.sources().get(1);
    assertThat(consul.key()).isEqualTo("config/app/data");
    assertThat(consul.tokenFile()).isEqualTo(dir.resolve("consul.token"));
    assertThat(consul.waitTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(consul.rateLimitBurst()).isEqualTo(5);
    assertThat(consul.rateLimitRefill()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.schema()).isEqualTo(dir.resolve("schema.json"));
    assertThat(c.server().listen().getPort()).isEqualTo(9999);
    assertThat(c.targets()).hasSize(2);
    assertThat(c.lastKnownGood()).isEqualTo(dir.resolve("state/app.json"));
  }

  @Test
  void everyProblemIsReportedWithItsLineAndColumn() throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
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
            "servr: {}",
            ""));
    assertThatThrownBy(() -> SidecarConfigParser.parse(file))
        .isInstanceOfSatisfying(
            ConfigParseException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::toString)
                    .containsExactlyInAnyOrder(
                        file
                            + ":11:8: servr: unknown key (expected one of last-known-good, schema, server, shutdown-grace, sources, start-timeout, strict, targets)",
                        file
                            + ":5:13: sources[0].colour: unknown key (expected one of debounce, format, max-wait, path, type)",
                        file
                            + ":4:15: sources[0].debounce: must be a duration like 250ms, 5s or 2m",
                        file
                            + ":6:5: sources[1]: a consul source needs exactly one of 'key' or 'prefix'",
                        file + ":10:10: targets[0].url: must be an http or https URL"));
  }

  @Test
  void theConsulRateLimitIsCheckedAndReachesTheSource() throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "sources:",
            "  - type: consul",
            "    key: a",
            "    rate-limit-burst: 0",
            "    rate-limit-refill: 2h",
            "  - type: consul",
            "    key: b",
            "    rate-limit-burst: many",
            ""));
    assertThatThrownBy(() -> SidecarConfigParser.parse(file))
        .isInstanceOfSatisfying(
            ConfigParseException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::toString)
                    .containsExactlyInAnyOrder(
                        file
                            + ":4:23: sources[0].rate-limit-burst: must be an integer between 1 and 100",
                        file + ":5:24: sources[0].rate-limit-refill: must be between 1ms and 1h",
                        file
                            + ":8:23: sources[1].rate-limit-burst: must be an integer between 1 and 100"));

    Files.writeString(file, "sources:\n  - type: consul\n    key: a\n    rate-limit-refill: 1s\n");
    List<ConfigSource> sources = SourceFactory.create(SidecarConfigParser.parse(file));
    try {
      ConsulSourceConfig built = ((ConsulSource) sources.get(0)).config();
      assertThat(built.rateLimitRefill()).isEqualTo(Duration.ofSeconds(1));
      assertThat(built.rateLimitBurst()).isEqualTo(ConsulSourceConfig.DEFAULT_RATE_LIMIT_BURST);
    } finally {
      for (ConfigSource source : sources) {
        source.close();
      }
    }
  }

  @Test
  void sourcesAreRequired() throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, "targets: []\n");
    assertThatThrownBy(() -> SidecarConfigParser.parse(file))
        .hasMessageContaining("sources: is required: list at least one source");
  }

  @Test
  void serverTlsLimitsAndTargetPathRedaction() throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "server:",
            "  listen: 127.0.0.1:9999",
            "  tls-cert-file: tls/server.crt",
            "  tls-key-file: tls/server.key",
            "  max-connections: 500",
            "  request-timeout: 2s",
            "  idle-timeout: 1m",
            "targets:",
            "  - url: https://hooks.example.com/services/T0/B0/s3cret",
            "    redact-path: true",
            ""));
    SidecarConfig c = SidecarConfigParser.parse(file);
    assertThat(c.server().tlsCertFile()).isEqualTo(dir.resolve("tls/server.crt"));
    assertThat(c.server().tlsKeyFile()).isEqualTo(dir.resolve("tls/server.key"));
    assertThat(c.server().maxConnections()).isEqualTo(500);
    assertThat(c.server().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.server().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(((SidecarConfig.UrlTarget) c.targets().get(0)).redactPath()).isTrue();

    Files.writeString(
        file,
        String.join(
            "\n",
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "server:",
            "  tls-cert-file: tls/server.crt",
            "  max-connections: 5",
            "  request-timeout: 0s",
            ""));
    assertThatThrownBy(() -> SidecarConfigParser.parse(file))
        .isInstanceOf(ConfigParseException.class)
        .hasMessageContaining(
            "5:18: server.tls-cert-file: tls-cert-file and tls-key-file go together")
        .hasMessageContaining(
            "6:20: server.max-connections: must be an integer between 16 and 1000000")
        .hasMessageContaining("7:20: server.request-timeout: must be longer than 0");
  }
}
