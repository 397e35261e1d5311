package dev.hotconf.sidecar.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict request-head parser on its own: what it accepts, the limits, incremental input. */
class RequestHeadParserTest {
  private static final int LINE = 8192;
  private static final int HEAD = 16384;
  private static final int FIELDS = 64;

  static RequestHead parse(String text) throws HttpError {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return new RequestHeadParser(LINE, HEAD, FIELDS).parse(b, 0, b.length);
  }

  /** The same bytes fed one at a time. */
  static RequestHead parseByteByByte(String text) throws HttpError {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    RequestHeadParser p = new RequestHeadParser(LINE, HEAD, FIELDS);
    for (int i = 1; i <= b.length; i++) {
      RequestHead h = p.parse(b, 0, i);
      if (h != null) {
        return h;
      }
    }
    return null;
  }

  @Test
  void aTypicalRequest() throws HttpError {
    String text =
        "\r\nGET /v1/config?version=3&wait=30s HTTP/1.1\r\nHost: LocalHost:8750\r\n"
            + "User-Agent:  curl/8.0 \r\nAccept: */*\r\n\r\nGET /next";
    RequestHead h = parse(text);
    assertThat(h).isEqualTo(parseByteByByte(text));
    assertThat(h.method()).isEqualTo("GET");
    assertThat(h.rawPath()).isEqualTo("/v1/config");
    assertThat(h.rawQuery()).isEqualTo("version=3&wait=30s");
    assertThat(h.http11()).isTrue();
    assertThat(h.host()).isEqualTo("localhost");
    assertThat(h.keepAlive()).isTrue();
    assertThat(h.hasBody()).isFalse();
    assertThat(h.field("user-agent")).isEqualTo("curl/8.0");
    assertThat(h.fields())
        .extracting(RequestHead.Field::name)
        .containsExactly("Host", "User-Agent", "Accept");
  }

  @Test
  void incompleteHeadsWaitForMoreBytes() throws HttpError {
    assertThat(parse("GET /healthz HTTP/1.1\r\nHost: a\r\n")).isNull();
    assertThat(parse("GET /healthz HTTP/1.1\r\nHost: a\r\n\r")).isNull();
    assertThat(parse("GET /healthz HTTP/1.1\r")).isNull();
    assertThat(parse("")).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /a HTTP/1.1 | /a | | false",
        "GET /a? HTTP/1.1 | /a | '' | false",
        "GET /a?b?c=/d HTTP/1.1 | /a | b?c=/d | false",
        "GET http://localhost:1 HTTP/1.1 | / | | true",
        "GET HTTPS://127.0.0.1/x?y HTTP/1.1 | /x | y | true",
        "GET /caf\u00c3\u00a9 HTTP/1.1 | /caf\u00c3\u00a9 | | false",
        "GET /%41%7e!$&'()*+,;=:@ HTTP/1.1 | /%41%7e!$&'()*+,;=:@ | | false",
      })
  void targets(String line, String path, String query, boolean absolute) throws HttpError {
    RequestHead h = parse(line + "\r\nHost: 10.0.0.1\r\n\r\n");
    assertThat(h.rawPath()).isEqualTo(path);
    assertThat(h.rawQuery()).isEqualTo(query);
    assertThat(h.host()).isEqualTo(absolute ? h.host() : "10.0.0.1");
  }

  @Test
  void theLimitsAreExact() throws HttpError {
    String host = "Host: a\r\n";
    String line = "GET /" + "a".repeat(LINE - "GET / HTTP/1.1".length()) + " HTTP/1.1";
    assertThat(line).hasSize(LINE);
    assertThat(parse(line + "\r\n" + host + "\r\n")).isNotNull();
    assertThat(status("GET /a" + line.substring(5) + "\r\n" + host + "\r\n")).isEqualTo(414);
    // the head may be exactly HEAD bytes long
    String start = "GET / HTTP/1.1\r\n" + host + "X: ";
    String exact = start + "v".repeat(HEAD - start.length() - 4) + "\r\n\r\n";
    assertThat(exact).hasSize(HEAD);
    assertThat(parse(exact)).isNotNull();
    assertThat(status(start + "v".repeat(HEAD - start.length() - 3) + "\r\n\r\n")).isEqualTo(431);
    assertThat(status(start + "v".repeat(HEAD))).isEqualTo(431);
    StringBuilder fields = new StringBuilder("GET / HTTP/1.1\r\n" + host);
    for (int i = 1; i < FIELDS; i++) {
      fields.append("X").append(i).append(": v\r\n");
    }
    assertThat(parse(fields + "\r\n").fields()).hasSize(FIELDS);
    assertThat(status(fields + "Y: v\r\n\r\n")).isEqualTo(431);
  }

  @Test
  void connectionBodyAndExpect() throws HttpError {
    assertThat(
            parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n").keepAlive())
        .isFalse();
    assertThat(parse("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
    assertThat(parse("GET / HTTP/1.0\r\n\r\n").host()).isNull();
    assertThat(parse("GET / HTTP/1.2\r\nHost: a\r\n\r\n").http11()).isTrue();
    RequestHead cl = parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n");
    assertThat(cl.contentLength()).isEqualTo(7);
    assertThat(cl.hasBody()).isTrue();
    RequestHead te =
        parse(
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\nExpect: 100-Continue\r\n\r\n");
    assertThat(te.chunked()).isTrue();
    assertThat(te.contentLength()).isEqualTo(-1);
    assertThat(te.expectContinue()).isTrue();
    assertThat(
            parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n")
                .contentLength())
        .isGreaterThan(1L << 40);
  }

  @Test
  void errorsCarryAStatusAndFixedTextOnly() {
    for (String bad :
        List.of(
            "GET /s3cret\u0001 HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /s3cret HTTP/1.1\r\nHost: s3cret s3cret\r\n\r\n",
            "GET /s3cret HTTP/1.1\r\nX-S3cret : v\r\nHost: a\r\n\r\n")) {
      assertThatThrownBy(() -> parse(bad))
          .isInstanceOf(HttpError.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase("s3cret"))
          .satisfies(e -> assertThat(e.getMessage()).matches("[ -~&&[^\"\\\\]]+"));
    }
  }

  private static int status(String text) {
    try {
      parse(text);
    } catch (HttpError e) {
      return e.status();
    }
    throw new AssertionError("accepted: " + text);
  }
}
