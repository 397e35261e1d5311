package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotconf.sidecar.run.RequestParser.BadRequest;
import dev.hotconf.sidecar.run.RequestParser.Poll;
import dev.hotconf.sidecar.run.RequestParser.Request;
import dev.hotconf.sidecar.run.RequestParser.Route;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP API's request parsing: which keys and parameters are served, and that everything else is
 * a 400 (BadRequest) rather than a traversal, a different key or a 500.
 */
class RequestParserTest {
  /** Raw key parts as the JDK server hands them over (one char per byte), and the key they name. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "db.pool.max | db.pool.max",
        "db | db",
        "servers%5B0%5D.host | servers[0].host",
        "servers%5b12%5d | servers[12]",
        "caf%C3%A9 | café",
        "caf\u00c3\u00a9 | café",
        "%E2%82%AC.price | €.price",
        "%F0%9F%98%80 | \uD83D\uDE00",
        "a+b | a+b",
        "a%20b | a b",
        "100%25 | 100%",
        "%252e%252e | %2e%2e",
        "%252F | %2F",
        "%EF%BC%8E%EF%BC%8E | ．．",
        "x-y_z~1 | x-y_z~1",
        "%64%62.%70%6F%6F%6C | db.pool",
      })
  void acceptedKeysAreDecodedExactlyOnce(String raw, String key) {
    assertThat(RequestParser.key(raw)).isEqualTo(key);
    assertThat(RequestParser.parse("/v1/config/" + raw, null))
        .isEqualTo(new Request(Route.KEY, key, null));
    // a client that percent-encodes the key gets the same key
    assertThat(RequestParser.key(RequestParsingFuzzTest.encode(key))).isEqualTo(key);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "../x",
        "../../etc/passwd",
        "a/../b",
        "a..b",
        ".a",
        "a.",
        "a...b",
        "%2e",
        "%2e%2e",
        "%2E%2E",
        "%2e%2e%2fetc%2fpasswd",
        "..%2F..%2Fetc%2Fpasswd",
        ".%2e",
        "%2e.",
        "a/b",
        "a%2Fb",
        "a%2fb",
        "/",
        "%2F",
        "a\\b",
        "a%5Cb",
        "a%5cb",
        "..%5C..%5Cwindows",
        "a%00b",
        "%00",
        "a%0Ab",
        "a%0D%0ASet-Cookie:x",
        "a%09b",
        "%7F",
        "%1B[31m",
        "%C2%85",
        "%C2%9F",
        "a\u0000b",
        "a\nb",
        "a\u007fb",
        "%",
        "%4",
        "a%",
        "%zz",
        "%g0",
        "%0g",
        "%+1",
        "%-1",
        "%%",
        "%\u00ff0",
        "%\uff10\uff10",
        "%FF",
        "%C3",
        "a%C3",
        "%C3%28",
        "%C0%AE%C0%AE",
        "%C0%AF",
        "%E0%80%AE",
        "%ED%A0%80",
        "%F4%90%80%80",
        "%FE%FF",
        "\u00ff",
        "\u00c3",
        "\u0100",
        "\u20ac",
        "\uD83D\uDE00",
        "a[",
        "a]",
        "a[x]",
        "[0]",
        "a.[0]",
        "a[0",
        "a[]",
        "a[-1]",
        "a[1234567890]",
        "a[0]b",
      })
  void malformedKeysAreBadRequests(String raw) {
    assertThatThrownBy(() -> RequestParser.key(raw)).isExactlyInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> RequestParser.parse("/v1/config/" + raw, null))
        .isExactlyInstanceOf(BadRequest.class);
  }

  @Test
  void keysAreLimitedTo1024Characters() {
    assertThat(RequestParser.key("k".repeat(1024))).hasSize(1024);
    assertThatThrownBy(() -> RequestParser.key("k".repeat(1025)))
        .isExactlyInstanceOf(BadRequest.class);
    // the limit applies after decoding: 1024 escaped chars are fine
    assertThat(RequestParser.key("%6B".repeat(1024))).isEqualTo("k".repeat(1024));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "/healthz, HEALTHZ",
        "/readyz, READYZ",
        "/metrics, METRICS",
        "/v1/status, STATUS",
        "/v1/config, CONFIG",
        "/v1/config/, KEY",
        "/v1/config/a, KEY",
        "/v1/config/..., KEY",
        "/v1/configx, NOT_FOUND",
        "/v1/config%2Fa, NOT_FOUND",
        "/v1/%63onfig, NOT_FOUND",
        "/V1/config, NOT_FOUND",
        "/healthz/, NOT_FOUND",
        "//v1/config, NOT_FOUND",
        "/v1/status/x, NOT_FOUND",
        "'', NOT_FOUND",
        "null, NOT_FOUND",
      })
  void routesAreMatchedOnTheRawPath(String rawPath, Route route) {
    assertThat(RequestParser.route(rawPath)).isEqualTo(route);
  }

  @Test
  void theConfigWithoutVersionIsNoLongPollAndWaitAloneIsIgnored() {
    assertThat(RequestParser.parse("/v1/config", null))
        .isEqualTo(new Request(Route.CONFIG, null, null));
    assertThat(RequestParser.parse("/v1/config", ""))
        .isEqualTo(new Request(Route.CONFIG, null, null));
    assertThat(RequestParser.parse("/v1/config", "wait=5s").poll()).isNull();
    assertThat(RequestParser.parse("/v1/config", "wait=soon").poll()).isNull();
    assertThat(RequestParser.parse("/v1/config", "pretty&x=%C3%A9").poll()).isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "version=0 | 0 | 30000",
        "version=7&wait=100ms | 7 | 100",
        "wait=2s&version=7 | 7 | 2000",
        "version=0007&wait=0s | 7 | 0",
        "version=9223372036854775807&wait=1m | 9223372036854775807 | 60000",
        "version=3&wait=5m | 3 | 300000",
        "version=3&wait=6m | 3 | 300000",
        "version=3&wait=9223372036854775807ms | 3 | 300000",
        "&&version=3&&wait=1s& | 3 | 1000",
        "version=%33&wait=%31%30s | 3 | 10000",
        "version=1&x=1&x=2&other | 1 | 30000",
      })
  void longPollParameters(String query, long after, long waitMillis) {
    assertThat(RequestParser.parse("/v1/config", query).poll())
        .isEqualTo(new Poll(after, Duration.ofMillis(waitMillis)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "version",
        "version=",
        "version=-1",
        "version=+1",
        "version=1.0",
        "version=1e3",
        "version=0x10",
        "version=%20%31",
        "version=1+",
        "version=%D9%A3",
        "version=%EF%BC%91",
        "version=9223372036854775808",
        "version=99999999999999999999",
        "version=00000000000000000001",
        "version=1&version=2",
        "version=1&version=1",
        "version=1&wait=",
        "version=1&wait=30",
        "version=1&wait=-1s",
        "version=1&wait=1h",
        "version=1&wait=30+s",
        "version=1&wait=1s&wait=2s",
        "version=1&wait=9223372036854775807m",
        "version=1&wait=%D9%A3s",
        "version=%zz",
        "version=%FF",
        "version=1&bad=%C3",
        "x=%",
        "%=1&version=1",
      })
  void malformedParametersAreBadRequests(String query) {
    assertThatThrownBy(() -> RequestParser.parse("/v1/config", query))
        .isExactlyInstanceOf(BadRequest.class);
  }

  @Test
  void plusIsASpaceInTheQueryButLiteralInTheKey() {
    assertThat(RequestParser.query("a+b=c+d")).containsEntry("a b", "c d");
    assertThat(RequestParser.key("a+b")).isEqualTo("a+b");
  }

  @Test
  void otherRoutesIgnoreTheQuery() {
    assertThat(RequestParser.parse("/v1/config/db", "version=x&%zz"))
        .isEqualTo(new Request(Route.KEY, "db", null));
    assertThat(RequestParser.parse("/healthz", "%"))
        .isEqualTo(new Request(Route.HEALTHZ, null, null));
    assertThat(RequestParser.parse("/nope", "%"))
        .isEqualTo(new Request(Route.NOT_FOUND, null, null));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "/v1/config/hunter2%00",
        "/v1/config/hunter2%zz",
        "/v1/config/hunter2/x",
        "/v1/config/hunter2..x",
        "/v1/config/hunter2%FF"
      })
  void rejectionsNeverQuoteTheRequestAndAreSafeInJson(String path) {
    assertThatThrownBy(() -> RequestParser.parse(path, null))
        .isExactlyInstanceOf(BadRequest.class)
        .satisfies(
            e -> assertThat(e.getMessage()).doesNotContain("hunter2").matches("[ -~&&[^\"\\\\]]+"));
    assertThatThrownBy(() -> RequestParser.parse("/v1/config", "version=hunter2"))
        .satisfies(
            e -> assertThat(e.getMessage()).doesNotContain("hunter2").matches("[ -~&&[^\"\\\\]]+"));
  }
}
