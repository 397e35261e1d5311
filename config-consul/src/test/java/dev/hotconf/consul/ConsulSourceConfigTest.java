package dev.hotconf.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConsulSourceConfigTest {
  @TempDir Path dir;

  @Test
  void defaults() {
    ConsulSourceConfig c = ConsulSourceConfig.key("config/app/data").build();
    assertThat(c.shape()).isEqualTo(ConsulSourceConfig.Shape.KEY);
    assertThat(c.path()).isEqualTo("config/app/data");
    assertThat(c.address()).isEqualTo(URI.create("http://127.0.0.1:8500"));
    assertThat(c.format()).contains(ConfigFormat.YAML);
    assertThat(c.waitTime()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.consistency()).isEqualTo(ConsistencyMode.DEFAULT);
    assertThat(c.datacenter()).isEmpty();
    assertThat(c.missingPolicy()).isEqualTo(MissingPolicy.KEEP_LAST_GOOD);
    assertThat(c.hasToken()).isFalse();
    assertThat(c.usesTls()).isFalse();
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofMillis(60_000 + 3_750 + 15_000));
    assertThat(c.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.rateLimitBurst()).isEqualTo(3);
    assertThat(c.rateLimitRefill()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.parseLimits()).isSameAs(ParseLimits.defaults());
    assertThat(c.name()).isEqualTo("consul:config/app/data");
  }

  @Test
  void readTimeoutOutlastsTheLongestBlockingQueryWithJitter() {
    ConsulSourceConfig c = ConsulSourceConfig.key("k").waitTime(Duration.ofMinutes(10)).build();
    Duration longestAnswer = Duration.ofMinutes(10).plus(Duration.ofMinutes(10).dividedBy(16));
    assertThat(c.readTimeout()).isGreaterThan(longestAnswer.plusSeconds(10));
    assertThat(c.readTimeout())
        .isGreaterThan(Duration.ofMinutes(10)); // consul-api's own default would be overrun
  }

  @Test
  void waitIsCheckedAtCallTime() {
    ConsulSourceConfig.Builder b = ConsulSourceConfig.key("k");
    assertThatThrownBy(() -> b.waitTime(Duration.ofMinutes(11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("waitTime: must be between 1s and 10m but was 11m");
    assertThatThrownBy(() -> b.waitTime(Duration.ofMillis(500)))
        .hasMessage("waitTime: must be between 1s and 10m but was 500ms");
    assertThatThrownBy(() -> b.waitTime(Duration.ofMillis(1500)))
        .hasMessage("waitTime: must be a whole number of seconds but was 1s500ms");
    assertThatThrownBy(() -> b.waitTime(null)).isInstanceOf(NullPointerException.class);
    assertThat(b.waitTime(Duration.ofMinutes(10)).build().waitTime())
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void keysAndPrefixes() {
    assertThat(ConsulSourceConfig.prefix("config/app").build().path()).isEqualTo("config/app/");
    assertThat(ConsulSourceConfig.prefix("config/app/").build().name())
        .isEqualTo("consul:config/app/");
    assertThat(ConsulSourceConfig.key("config/app.json").build().format())
        .contains(ConfigFormat.JSON);
    assertThat(ConsulSourceConfig.prefix("p").build().format()).isEmpty();
    assertThatThrownBy(() -> ConsulSourceConfig.key("config/app/"))
        .hasMessageContaining("must not end with '/'");
    assertThatThrownBy(() -> ConsulSourceConfig.key("")).hasMessage("key: must not be empty");
    assertThatThrownBy(() -> ConsulSourceConfig.key("/config"))
        .hasMessageContaining("must not start with '/'");
    assertThatThrownBy(() -> ConsulSourceConfig.key("a b"))
        .hasMessageContaining("may only contain");
    assertThatThrownBy(() -> ConsulSourceConfig.key("a?token=s3cret"))
        .hasMessage(
            "key: may only contain letters, digits and _ . / - (character 2 is not one of them)");
    assertThatThrownBy(() -> ConsulSourceConfig.prefix("p").format(ConfigFormat.JSON))
        .hasMessageStartingWith("format: applies to a single key");
  }

  @Test
  void addresses() {
    assertThat(ConsulSourceConfig.parseAddress("consul.service"))
        .isEqualTo(URI.create("http://consul.service:8500"));
    assertThat(ConsulSourceConfig.parseAddress("10.0.0.1:8501"))
        .isEqualTo(URI.create("http://10.0.0.1:8501"));
    assertThat(ConsulSourceConfig.parseAddress("https://consul.example.com"))
        .isEqualTo(URI.create("https://consul.example.com:443"));
    assertThat(ConsulSourceConfig.parseAddress("HTTP://h:1/consul/"))
        .isEqualTo(URI.create("http://h:1/consul"));
    assertThat(ConsulSourceConfig.parseAddress("[::1]:8500"))
        .isEqualTo(URI.create("http://[::1]:8500"));
    assertThatThrownBy(() -> ConsulSourceConfig.parseAddress("ftp://h"))
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> ConsulSourceConfig.parseAddress("http://h/?x=1"))
        .hasMessageContaining("query");
    assertThatThrownBy(() -> ConsulSourceConfig.parseAddress("https://user:hunter2@h"))
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void otherArgumentsAreCheckedAtCallTime() {
    ConsulSourceConfig.Builder b = ConsulSourceConfig.key("k");
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("backoff.max: must be >= backoff.initial (2s) but was 1s");
    assertThatThrownBy(() -> b.backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("backoff.initial: must be between 1ms and 1m but was 0s");
    assertThatThrownBy(() -> b.rateLimit(0, Duration.ofSeconds(1)))
        .hasMessage("rateLimit.burst: must be between 1 and 100 but was 0");
    assertThatThrownBy(() -> b.rateLimit(3, Duration.ofHours(2)))
        .hasMessage("rateLimit.refill: must be between 1ms and 1h but was 2h");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofMinutes(6)))
        .hasMessage("connectTimeout: must be between 1ms and 5m but was 6m");
    assertThatThrownBy(() -> b.readTimeoutMargin(Duration.ofMillis(10)))
        .hasMessage("readTimeoutMargin: must be between 100ms and 5m but was 10ms");
    assertThatThrownBy(() -> b.datacenter("dc 1"))
        .hasMessageStartingWith("datacenter: may only contain");
    assertThatThrownBy(() -> b.name(" ")).hasMessage("name: must not be blank");
    assertThatThrownBy(() -> b.tokenFile(dir.resolve("absent")))
        .hasMessageStartingWith("tokenFile: ")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> b.tokenFromEnv("NOPE", Map.<String, String>of()::get))
        .hasMessage("tokenFromEnv: environment variable NOPE is not set or empty");
    assertThatThrownBy(() -> b.caCertificate(dir.resolve("ca.pem")))
        .hasMessageStartingWith("caCertificate: ")
        .hasMessageContaining("cannot read");
    assertThatThrownBy(() -> b.address("ftp://h"))
        .hasMessage("address: must start with http:// or https:// (or be host:port)");
    assertThatThrownBy(() -> b.address(" ")).hasMessage("address: must not be empty");
  }

  @Test
  void tokensAreValidatedWithoutEchoingThem() {
    ConsulSourceConfig.Builder b = ConsulSourceConfig.key("k");
    assertThatThrownBy(() -> b.token("s3cret\r\nX-Evil: 1"))
        .hasMessageContaining("printable ASCII")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> b.token("  ")).hasMessage("token: the token must not be blank");
  }

  @Test
  void theAclTokenIsGivenOneWayOnlyAndAConflictNamesBothMethods() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "tok-file");
    Map<String, String> env = Map.of("CONSUL_HTTP_TOKEN", "tok-env");

    assertThatThrownBy(() -> ConsulSourceConfig.key("k").token("tok-literal").tokenFile(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tokenFile: cannot be combined with token: give the ACL token one way only"
                + " (token, tokenFile or tokenFromEnv)")
        .hasMessageNotContaining("tok-literal");
    assertThatThrownBy(
            () ->
                ConsulSourceConfig.key("k")
                    .tokenFile(file)
                    .tokenFromEnv("CONSUL_HTTP_TOKEN", env::get))
        .hasMessageStartingWith("tokenFromEnv: cannot be combined with tokenFile");
    assertThatThrownBy(
            () ->
                ConsulSourceConfig.key("k").tokenFromEnv("CONSUL_HTTP_TOKEN", env::get).token("x"))
        .hasMessageStartingWith("token: cannot be combined with tokenFromEnv");

    // calling the same method again replaces the value, as every other method does
    ConsulSourceConfig.Builder b = ConsulSourceConfig.key("k").token("first").token("second");
    assertThat(b.build().tokenProvider().token()).isEqualTo("second");
    // a rejected call leaves the builder as it was
    assertThat(b.build().toString()).contains("token=<redacted>");
  }

  @Test
  void everyBuilderMessageStartsWithTheMethodItConcerns() {
    ConsulSourceConfig.Builder b = ConsulSourceConfig.key("k");
    Map<String, Runnable> calls =
        Map.ofEntries(
            Map.entry("address", () -> b.address("ftp://h")),
            Map.entry("waitTime", () -> b.waitTime(Duration.ofHours(1))),
            Map.entry("datacenter", () -> b.datacenter("a b")),
            Map.entry("token", () -> b.token("a b")),
            Map.entry("tokenFromEnv", () -> b.tokenFromEnv("X", Map.<String, String>of()::get)),
            Map.entry("tokenFile", () -> b.tokenFile(dir.resolve("absent"))),
            Map.entry("caCertificate", () -> b.caCertificate(dir.resolve("absent.pem"))),
            Map.entry(
                "clientCertificate",
                () -> b.clientCertificate(dir.resolve("a.pem"), dir.resolve("b.pem"))),
            Map.entry(
                "clientKeyStore",
                () -> b.clientKeyStore(dir.resolve("a.p12"), "pw-s3cret".toCharArray())),
            Map.entry("connectTimeout", () -> b.connectTimeout(Duration.ZERO)),
            Map.entry("readTimeoutMargin", () -> b.readTimeoutMargin(Duration.ZERO)),
            Map.entry("backoff.initial", () -> b.backoff(Duration.ZERO, Duration.ofSeconds(1))),
            Map.entry("backoff.max", () -> b.backoff(Duration.ofSeconds(1), Duration.ZERO)),
            Map.entry("rateLimit.burst", () -> b.rateLimit(101, Duration.ofSeconds(1))),
            Map.entry("rateLimit.refill", () -> b.rateLimit(3, Duration.ZERO)),
            Map.entry("name", () -> b.name("")),
            Map.entry("format", () -> ConsulSourceConfig.prefix("p").format(ConfigFormat.JSON)),
            Map.entry("key", () -> ConsulSourceConfig.key("a b")),
            Map.entry("prefix", () -> ConsulSourceConfig.prefix("/p")));
    calls.forEach(
        (method, call) ->
            assertThatThrownBy(call::run)
                .as(method)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(method + ": ")
                .hasMessageNotContaining("s3cret"));
  }

  /** Finding 9 of issue 14: an address can carry credentials, so no message ever repeats it. */
  @Test
  void addressesAreNeverEchoedInErrors() {
    String[] hostile = {
      "http://consul:8500/?token=s3cret",
      "http://consul:8500?token=s3cret",
      "https://consul/consul#s3cret",
      "https://user:s3cret@consul",
      "http://user:s3cret@/v1",
      "consul:8500/?token=s3cret",
      "http://consul:99999999/?token=s3cret",
      "http://[::1/?token=s3cret",
      "http://consul/ a?token=s3cret",
      "s3cret://consul",
      "http:///?token=s3cret"
    };
    for (String address : hostile) {
      assertThatThrownBy(() -> ConsulSourceConfig.key("k").address(address))
          .as(address)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("address: ")
          .hasMessageNotContaining("s3cret")
          .hasMessageNotContaining("consul");
    }
  }

  @Test
  void toStringNeverShowsSecrets() throws Exception {
    ConsulSourceConfig literal = ConsulSourceConfig.key("k").token("tok-123-secret").build();
    assertThat(literal.hasToken()).isTrue();
    assertThat(literal.toString()).doesNotContain("tok-123-secret").contains("token=<redacted>");
    Path file = Files.writeString(dir.resolve("token"), "tok-456-secret");
    ConsulSourceConfig fromFile = ConsulSourceConfig.key("k").tokenFile(file).build();
    assertThat(fromFile.toString()).doesNotContain("tok-456-secret").contains("token=file:" + file);
  }
}
