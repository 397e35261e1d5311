package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.HotConfig;
import dev.hotconf.StringSetting;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.consul.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACL token travels only in X-Consul-Token: never in a URL, a log line, a message or toString.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsulSourceTokenTest {
  private static final String KEY = "config/app/data";
  private static final String TOKEN = "6f0b1c2d-secret-token-4e5f";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

  @TempDir Path dir;

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

  private static void assertOnlyInHeader(List<RecordedRequest> requests, String token) {
    assertThat(requests)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.usedTokenQueryParameter()).isFalse();
              assertThat(r.rawQuery()).doesNotContain(token);
              assertThat(r.path()).doesNotContain(token);
              assertThat(r.header("X-Consul-Token")).contains(token);
              assertThat(r.header("Authorization")).isEmpty();
            });
  }

  @Test
  void tokenIsSentAsHeaderOnlyAndNeverLogged() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "greeting: hello");
    server.requireToken(TOKEN);
    HotConfig config;
    ConsulSource source;
    List<String> lines;
    try (LogCapture logs = new LogCapture()) {
      source = ConsulSource.create(TestConfigs.key(server, KEY).token(TOKEN).build());
      config = HotConfig.builder().source(source).build();
      closeables.add(config);
      StringSetting greeting = config.stringSetting("greeting");
      assertThat(greeting.get()).isEqualTo("hello");
      server.put(KEY, "greeting: bonjour");
      await().atMost(Duration.ofSeconds(5)).until(() -> greeting.get().equals("bonjour"));
      // a wrong token on the server side: failures are reported and logged, still without the token
      server.requireToken("another-token");
      server.put(KEY, "greeting: hallo");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> config.status().sources().get(0).lastError() != null);
      lines = logs.lines();
      assertThat(logs.julLines())
          .as("consul-api's FINEST request log was captured")
          .anyMatch(l -> l.contains("/v1/kv/" + KEY));
    }
    assertThat(lines).isNotEmpty().noneMatch(l -> l.contains(TOKEN));
    assertOnlyInHeader(server.requests(), TOKEN);
    assertThat(config.status().sources().get(0).lastError()).contains("403").doesNotContain(TOKEN);
    assertThat(config.status().toString()).doesNotContain(TOKEN);
    assertThat(source.toString()).doesNotContain(TOKEN).contains("token=<redacted>");
    assertThat(source.config().toString()).doesNotContain(TOKEN);
  }

  @Test
  void missingOrWrongTokenIsAnAclFailureThatRecoversWhenTheTokenFileIsFixed() throws Exception {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    server.requireToken(TOKEN);
    Path tokenFile = Files.writeString(dir.resolve("token"), "wrong-token\n");
    RecordingListener listener = start(TestConfigs.key(server, KEY).tokenFile(tokenFile).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failures().size() >= 1);
    assertThat(listener.failures().get(0))
        .contains("403")
        .contains("ACL not found")
        .doesNotContain("wrong-token");

    Files.writeString(
        dir.resolve("token"), "  " + TOKEN + "\n"); // rotated on disk: read per request
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    assertThat(listener.lastContent()).isEqualTo(Map.of("a", 1L));
    List<RecordedRequest> requests = server.requests();
    assertThat(requests.get(0).header("X-Consul-Token")).contains("wrong-token");
    assertThat(requests.get(requests.size() - 1).header("X-Consul-Token")).contains(TOKEN);
    assertThat(requests).noneMatch(RecordedRequest::usedTokenQueryParameter);
  }

  @Test
  void unreadableTokenFileIsAFailureNamingTheFile() throws Exception {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
    RecordingListener listener = start(TestConfigs.key(server, KEY).tokenFile(tokenFile).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);

    Files.writeString(tokenFile, "   \n");
    server.put(KEY, "a: 2");
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.failures().size() >= 1);
    assertThat(listener.failures().get(0)).contains("token file " + tokenFile + " is empty");
  }

  @Test
  void tokenFromEnvironmentVariable() {
    ConsulTestServer server = consul.server();
    server.put(KEY, "a: 1");
    server.requireToken(TOKEN);
    Map<String, String> env = Map.of("CONSUL_HTTP_TOKEN", TOKEN);
    ConsulSourceConfig config =
        TestConfigs.key(server, KEY).tokenFromEnv("CONSUL_HTTP_TOKEN", env::get).build();
    assertThat(config.toString()).contains("token=env:CONSUL_HTTP_TOKEN").doesNotContain(TOKEN);
    RecordingListener listener = start(config);
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.contents().size() == 1);
    assertOnlyInHeader(server.requests(), TOKEN);
  }
}
