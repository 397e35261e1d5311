package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.HotConfig;
import dev.hotconf.source.Sources;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A push target's URL is shown (status, metrics, logs, errors) without the credentials it may
 * carry.
 */
@Timeout(30)
class HttpPushTargetTest {
  private static String shown(String url) {
    return new HttpPushTarget(URI.create(url), Duration.ofSeconds(1), HttpClient.newHttpClient())
        .name();
  }

  @Test
  void userInfoIsRedacted() {
    assertThat(shown("https://deploy:hunter2@hooks.example.com/config"))
        .isEqualTo("https://<redacted>@hooks.example.com/config");
  }

  @Test
  void everyQueryValueIsRedactedAndNamesAreKept() {
    assertThat(shown("http://127.0.0.1:8080/hook?token=abc%2Bdef&sig=xyz&flag&code="))
        .isEqualTo(
            "http://127.0.0.1:8080/hook?token=<redacted>&sig=<redacted>&<redacted>&code=<redacted>");
  }

  @Test
  void withRedactPathThePathIsHiddenToo() {
    HttpPushTarget t =
        new HttpPushTarget(
            URI.create("https://u:p@hooks.example.com/services/T0/B0/s3cret?x=1"),
            Duration.ofSeconds(1),
            HttpClient.newHttpClient(),
            true);
    assertThat(t.name()).isEqualTo("https://<redacted>@hooks.example.com/<redacted>?x=<redacted>");
    assertThat(HttpPushTarget.display(URI.create("http://127.0.0.1:8080/"), true))
        .isEqualTo("http://127.0.0.1:8080/");
    assertThat(HttpPushTarget.display(URI.create("http://127.0.0.1:8080"), true))
        .isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void aPlainUrlIsShownAsIsAndTheFragmentIsDropped() {
    assertThat(shown("http://127.0.0.1:8080/config")).isEqualTo("http://127.0.0.1:8080/config");
    assertThat(shown("http://[::1]:9/a/b#frag-s3cret")).isEqualTo("http://[::1]:9/a/b");
  }

  @Test
  void aFailedPushNamesTheTargetWithoutItsCredentials() throws Exception {
    try (Receiver receiver = new Receiver();
        HotConfig config =
            HotConfig.builder().source(Sources.memory("m", Map.of("a", 1))).build()) {
      receiver.status.set(503);
      URI url =
          URI.create(
              receiver.url().replace("http://", "http://u:pw-s3cret@") + "?token=t0k3n-value");
      HttpPushTarget target =
          new HttpPushTarget(url, Duration.ofSeconds(5), HttpClient.newHttpClient());
      assertThatThrownBy(() -> target.deliver(Published.of(config.snapshot())))
          .hasMessage(
              "HTTP 503 from "
                  + receiver.url().replace("http://", "http://<redacted>@")
                  + "?token=<redacted>");
      assertThat(receiver.pushes).hasSize(1); // the real URL was used
    }
  }

  @Test
  void userInfoInTheUrlIsSentAsBasicAuthentication() throws Exception {
    try (Receiver receiver = new Receiver();
        HotConfig config =
            HotConfig.builder().source(Sources.memory("m", Map.of("a", 1))).build()) {
      URI url = URI.create(receiver.url().replace("http://", "http://deploy:p%40ss%3Aw%C3%B6rd@"));
      new HttpPushTarget(url, Duration.ofSeconds(5), HttpClient.newHttpClient())
          .deliver(Published.of(config.snapshot()));
      String expected =
          java.util.Base64.getEncoder()
              .encodeToString(
                  "deploy:p@ss:w\u00f6rd".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(receiver.pushes)
          .singleElement()
          .satisfies(p -> assertThat(p.authorization()).isEqualTo("Basic " + expected));
    }
  }

  @Test
  void aUrlWithoutUserInfoSendsNoAuthorization() throws Exception {
    try (Receiver receiver = new Receiver();
        HotConfig config =
            HotConfig.builder().source(Sources.memory("m", Map.of("a", 1))).build()) {
      new HttpPushTarget(
              URI.create(receiver.url()), Duration.ofSeconds(5), HttpClient.newHttpClient())
          .deliver(Published.of(config.snapshot()));
      assertThat(receiver.pushes)
          .singleElement()
          .satisfies(p -> assertThat(p.authorization()).isNull());
    }
  }

  @Test
  void theJdkHttpClientsDebugLoggerStaysQuietWhenJavaUtilLoggingIsTurnedUp() throws Exception {
    Logger root = Logger.getLogger("");
    Level before = root.getLevel();
    List<String> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(
                r.getLoggerName()
                    + " "
                    + r.getMessage()
                    + " "
                    + java.util.Arrays.toString(r.getParameters()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    root.addHandler(capture);
    root.setLevel(Level.ALL);
    try (Receiver receiver = new Receiver();
        HotConfig config =
            HotConfig.builder().source(Sources.memory("m", Map.of("a", 1))).build()) {
      new Publisher(java.util.List.of()); // loads the class that quiets the JDK logger
      HttpPushTarget target =
          new HttpPushTarget(
              URI.create(receiver.url() + "?token=t0k3n-value"),
              Duration.ofSeconds(5),
              HttpClient.newHttpClient());
      target.deliver(Published.of(config.snapshot()));
      assertThat(receiver.delivered()).hasSize(1);
    } finally {
      root.setLevel(before);
      root.removeHandler(capture);
    }
    // com.sun.net.httpserver is the receiver's own server logging the request it got (so FINE
    // records do reach the handler); without the Publisher's setting, jdk.internal.net.http's would
    // too
    assertThat(records)
        .anyMatch(r -> r.startsWith("com.sun.net.httpserver") && r.contains("t0k3n-value"));
    assertThat(records)
        .filteredOn(r -> !r.startsWith("com.sun.net.httpserver"))
        .noneMatch(r -> r.contains("t0k3n-value"));
  }
}
