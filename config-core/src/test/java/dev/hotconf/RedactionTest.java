package dev.hotconf;

import static dev.hotconf.TestConfigs.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.regex.PatternSyntaxException;
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

  @Test
  void theWidenedDefaultsCoverPassphrasesPassAndPwdAccessKeysAndASegmentNamedKey() {
    Redactor redactor = Redactor.defaults();
    for (String key :
        List.of(
            "tls.key",
            "TLS.KEY",
            "ssh.key",
            "key",
            "vault[0].key",
            "vault.key[1]",
            "ssh.passphrase",
            "gpg.key-passphrase",
            "smtp.pass",
            "db-pass",
            "db_pwd",
            "db.pwd",
            "DB_PASS",
            "dbPass",
            "mail.smtpPwd",
            "pass[0]",
            "aws.access_key",
            "aws.access-key-id",
            "aws.accessKeyId",
            "aws.access.key.id",
            "jwt.signing-key",
            "data.encryption_key",
            "rails.master.key",
            "ingress.tls-key",
            "kafka.ssl.key",
            "mtls.clientKey")) {
      assertThat(redactor.isSecret(key)).as(key).isTrue();
    }
  }

  @Test
  void theDefaultsLeaveIdentifiersAndLookalikesVisible() {
    Redactor redactor = Redactor.defaults();
    for (String key :
        List.of(
            "cache.key-prefix",
            "kafka.partition-key",
            "amqp.routing-key",
            "db.primary-key",
            "cache.keys",
            "zoo.monkey",
            "ui.hotkey",
            "keyspace",
            "user.passport",
            "proxy.bypass",
            "nav.compass",
            "proxy.pass-through",
            "proxy.passThrough",
            "render.passes",
            "api.url",
            "db.url",
            "auth.enabled",
            "pin")) {
      assertThat(redactor.isSecret(key)).as(key).isFalse();
    }
  }

  @Test
  void aMalformedPatternIsRejectedWhenTheRedactorIsBuilt() {
    assertThatThrownBy(() -> Redactor.defaultsPlus("pin("))
        .isInstanceOf(PatternSyntaxException.class)
        .hasMessageContaining("pin(");
  }

  @Test
  void userInfoOfEveryUrlIsHidden() {
    Redactor r = Redactor.defaults();
    assertThat(r.redactUrls("postgres://app:pw@db.internal/app"))
        .isEqualTo("postgres://<redacted>@db.internal/app");
    assertThat(r.redactUrls("jdbc:postgresql://app:pw@db:5432/app?ssl=true"))
        .isEqualTo("jdbc:postgresql://<redacted>@db:5432/app?ssl=true");
    assertThat(r.redactUrls("redis://:p%40ss@cache:6379"))
        .isEqualTo("redis://<redacted>@cache:6379");
    assertThat(r.redactUrls("amqp://guest@broker")).isEqualTo("amqp://<redacted>@broker");
    // an unencoded @ in the password: the user info ends at the authority's last @
    assertThat(r.redactUrls("mysql://app:p@ss@db/app")).isEqualTo("mysql://<redacted>@db/app");
    // an unencoded / in the password: user:... then an @ is still taken as user info
    assertThat(r.redactUrls("postgres://app:pa/ss@db/app"))
        .isEqualTo("postgres://<redacted>@db/app");
    // several URLs in one value, and URLs inside longer text
    assertThat(r.redactUrls("a=http://u:p@x b=https://v:q@y/z"))
        .isEqualTo("a=http://<redacted>@x b=https://<redacted>@y/z");
    assertThat(r.redactUrls("mongodb://u:p@h1,h2/db?replicaSet=rs0"))
        .isEqualTo("mongodb://<redacted>@h1,h2/db?replicaSet=rs0");
    // a URL in a query value of another URL
    assertThat(r.redactUrls("https://proxy/?target=postgres://u:p@h/db"))
        .isEqualTo("https://proxy/?target=postgres://<redacted>@h/db");
  }

  @Test
  void secretQueryValuesAreHiddenAndOthersKept() {
    Redactor r = Redactor.defaults();
    assertThat(r.redactUrls("jdbc:mysql://db/app?user=app&password=pw&ssl=true"))
        .isEqualTo("jdbc:mysql://db/app?user=app&password=<redacted>&ssl=true");
    assertThat(r.redactUrls("https://api.example.com/v1?key=AIza123&q=x#top"))
        .isEqualTo("https://api.example.com/v1?key=<redacted>&q=x#top");
    assertThat(r.redactUrls("https://hooks.example.com/x?access_token=t;sig=s"))
        .isEqualTo("https://hooks.example.com/x?access_token=<redacted>;sig=s");
    assertThat(Redactor.defaultsPlus("^sig$").redactUrls("https://h/x?access_token=t&sig=s"))
        .isEqualTo("https://h/x?access_token=<redacted>&sig=<redacted>");
  }

  @Test
  void aQueryEndsAtAQuoteAndRedactingTwiceChangesNothing() {
    Redactor r = Redactor.defaults();
    assertThat(r.redactUrls("\"https://h/x?token=abc\" is not allowed"))
        .isEqualTo("\"https://h/x?token=<redacted>\" is not allowed");
    for (String text :
        List.of(
            "'mysql://u:p@h/x?password=pw' does not match",
            "postgres://app:pa/ss@db/app",
            "a=http://u:p@x b=https://h/?key=k")) {
      String once = r.redactUrls(text);
      assertThat(r.redactUrls(once)).as(text).isEqualTo(once);
    }
    assertThat(r.redactUrls("'mysql://u:p@h/x?password=pw' does not match"))
        .isEqualTo(
            "'mysql://<redacted>@h/x?password=<redacted>' does not match".replace(">'", ">'"));
  }

  @Test
  void urlsWithoutCredentialsAndOtherTextAreUnchanged() {
    Redactor r = Redactor.defaults();
    for (String text :
        List.of(
            "https://mastodon.social/@hotconf",
            "https://db.internal:5432/app",
            "http://[::1]:8080/x@y",
            "user@example.com",
            "not a url: a://",
            "://host@x",
            "ftp://host/path?name=x@y",
            "")) {
      assertThat(r.redactUrls(text)).as(text).isEqualTo(text);
    }
    assertThat(r.redactUrls(null)).isNull();
  }

  @Test
  void credentialsInUrlsNeverAppearInMessagesDiffsStatusOrLogs() {
    String dsn = "postgres://app:" + SECRET + "@db.internal/app";
    MemorySource source = yaml("app.yaml", "db:\n  dsn: " + dsn + "\n  port: 5432\n");
    try (HotConfig config =
        TestConfigs.builder()
            .source(source)
            .validate(Rules.pattern("db.dsn", "mysql://.*"))
            .startTimeout(java.time.Duration.ofMillis(300))
            .build()) {
      throw new AssertionError("validation should have failed");
    } catch (ConfigRejectedException e) {
      assertThat(e.getMessage())
          .doesNotContain(SECRET)
          .contains("'postgres://<redacted>@db.internal/app' does not match the pattern");
    }

    MemorySource ok = yaml("app.yaml", "db:\n  dsn: " + dsn + "\n  port: 5432\n");
    try (HotConfig config = TestConfigs.builder().source(ok).build()) {
      List<String> texts = new CopyOnWriteArrayList<>();
      config.onChange(c -> texts.add(c.diff().toString()));
      config.onFailure(f -> texts.add(f.toString()));
      try {
        config.intSetting("db.dsn");
      } catch (ConfigValueException e) {
        texts.add(e.getMessage());
      }
      ok.update(ConfigFormat.YAML, "db:\n  dsn: " + dsn.replace("app.", "app2.") + "x\n");
      await().until(() -> config.version() == 2 && !texts.isEmpty());
      config.intSetting("db.port", 1);
      ok.update(ConfigFormat.YAML, "db:\n  dsn: " + dsn + "\n  port: x\n");
      await().until(() -> config.status().rejecting() && texts.size() >= 3);
      texts.add(config.status().toString());
      texts.add(config.snapshot().toRedactedJson());
      logs.list.forEach(event -> texts.add(event.getFormattedMessage()));
      assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain(SECRET));
      assertThat(String.join("\n", texts))
          .contains("expected an int but found 'postgres://<redacted>@db.internal/app'")
          .contains("postgres://<redacted>@db.internal/app");
      assertThat(config.snapshot().getString("db.dsn")).contains(SECRET);
    }
  }

  @Test
  void controlCharactersFromDocumentsAreEscapedInLogLines() {
    MemorySource source = yaml("app.yaml", "a: 1\n");
    try (HotConfig config = TestConfigs.builder().source(source).build()) {
      List<ConfigFailure> failures = new CopyOnWriteArrayList<>();
      config.onFailure(failures::add);
      source.update(ConfigFormat.YAML, "\"k\\ec\\r\\nfake\": 1\n\"k\\ec\\r\\nfake\": 2\n");
      await().until(() -> !failures.isEmpty());
      String logged =
          logs.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains("duplicate key"))
              .findFirst()
              .orElseThrow();
      assertThat(logged)
          .contains("found duplicate key 'k\\u001Bc\\u000D\\u000Afake'")
          .doesNotContain("\u001b", "\r");
      // the problem itself keeps the real key (status JSON and APIs escape as they must)
      assertThat(failures.get(0).problems().get(0).message()).contains("k\u001bc\r\nfake");
    }
  }
}
