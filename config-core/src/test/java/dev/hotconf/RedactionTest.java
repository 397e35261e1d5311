package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.MemorySource;
import dev.hotconf.validate.Rules;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedactionTest {
  private static final String SECRET = "s3cr3t-Value-42";
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger logger;
  private Level previous;

  @BeforeEach
  void captureLogs() {
    logger = (Logger) LoggerFactory.getLogger("dev.hotconf");
    previous = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
    logger.setLevel(previous);
  }

  @Test
  void secretValuesNeverAppearInErrorsDiffsStatusOrLogs() {
    MemorySource source =
        yaml(
            "app.yaml",
            "db:\n  password: old-" + SECRET + "\n  port: 5432\napi-token: t-" + SECRET + "\n");
    try (HotConfig config =
        TestConfigs.builder()
            .source(source)
            .startTimeout(java.time.Duration.ofMillis(300))
            .validate(Rules.pattern("db.password", "[a-z]+"), Rules.range("api-token", 0, 1))
            .build()) {
      throw new AssertionError("validation should have failed");
    } catch (ConfigRejectedException e) {
      assertThat(e.getMessage()).doesNotContain(SECRET).contains("<redacted>");
    }

    MemorySource ok = yaml("app.yaml", "db:\n  password: old-" + SECRET + "\n  port: 5432\n");
    try (HotConfig config = TestConfigs.builder().source(ok).build()) {
      List<String> texts = new CopyOnWriteArrayList<>();
      config.onChange(c -> texts.add(c.diff().toString()));
      config.onFailure(f -> texts.add(f.toString()));
      try {
        config.intSetting("db.password");
      } catch (ConfigValueException e) {
        texts.add(e.getMessage());
      }
      ok.update(ConfigFormat.YAML, "db:\n  password: new-" + SECRET + "\n  port: 5433\n");
      await().until(() -> config.version() == 2 && texts.size() >= 2);
      IntSetting port = config.intSetting("db.port");
      ok.update(ConfigFormat.YAML, "db:\n  password: bad-" + SECRET + "\n  port: x\n");
      await().until(() -> config.status().rejecting() && texts.size() >= 3);
      texts.add(config.status().toString());
      texts.add(config.snapshot().toRedactedJson());
      texts.add(config.snapshot().toString());
      logs.list.forEach(event -> texts.add(event.getFormattedMessage()));
      assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain(SECRET));
      assertThat(String.join("\n", texts)).contains("~ db.password: <redacted> -> <redacted>");
      assertThat(port.getAsInt()).isEqualTo(5433);
    }
  }

  @Test
  void redactionPatternsAreConfigurable() {
    Redactor redactor = Redactor.defaultsPlus("pin");
    assertThat(redactor.isSecret("card.pin")).isTrue();
    assertThat(redactor.isSecret("db.Password")).isTrue();
    assertThat(redactor.isSecret("aws.secret-access-key")).isTrue();
    assertThat(redactor.isSecret("db.url")).isFalse();
    assertThat(Redactor.of(List.of()).isSecret("password")).isFalse();
  }

  @Test
  void keyAndPrivateKeyAreSecretInEverySpellingIncludingNested() {
    Redactor redactor = Redactor.defaults();
    for (String key :
        List.of(
            "stripe.api-key",
            "stripe.api_key",
            "stripe.apiKey",
            "stripe.APIKEY",
            "stripe.api.key",
            "tls.private-key",
            "tls.privateKey",
            "tls.private.key",
            "jwt.private_key")) {
      assertThat(redactor.isSecret(key)).as(key).isTrue();
    }
    assertThat(redactor.isSecret("cache.key-prefix")).isFalse();
    assertThat(redactor.isSecret("api.url")).isFalse();
  }
}
