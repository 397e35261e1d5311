package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real shaded jar ({@code hotconf run} in its own JVM) attacked with raw bytes on a loopback
 * socket: what a client sees for oversized or slow requests, traversal attempts, odd request lines
 * and framing, foreign Host names, and that the server serves a normal request afterwards. The
 * sidecar runs with {@code server.request-timeout: 1s} (default 10 s) so that slow requests end
 * quickly; every other limit is the default.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpHardeningIT {
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");
  private static final String JSON_ERROR = "{\"error\":\"";

  @TempDir static Path dir;
  private static Process sidecar;
  private static int port;

  /** What came back on one connection: the bytes read until the server closed it. */
  record Reply(String text, boolean reset) {
    int status() {
      Matcher m = STATUS.matcher(text);
      assertThat(m.find()).as("an HTTP answer in %s", text).isTrue();
      return Integer.parseInt(m.group(1));
    }

    /** Status line and headers, lower case (the JDK server writes {@code Content-type}). */
    String head() {
      return text.substring(0, text.indexOf("\r\n\r\n") + 2).toLowerCase(java.util.Locale.ROOT);
    }

    String body() {
      return text.substring(text.indexOf("\r\n\r\n") + 4);
    }

    boolean closedWithoutAnswer() {
      return text.isEmpty();
    }

    /** A JSON error answer after which the server closed the connection. */
    void assertErrorAndClose(int expected) {
      assertThat(status()).as(text).isEqualTo(expected);
      assertThat(head()).contains("content-type: application/json", "connection: close");
      assertThat(body()).startsWith(JSON_ERROR);
      assertThat(reset()).as("the client reads the answer, not a reset").isFalse();
    }
  }

  @BeforeAll
  static void startTheJar() throws Exception {
    Files.writeString(dir.resolve("app.yaml"), "db:\n  pool:\n    max: 7\n");
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        "sources:\n  - type: file\n    path: app.yaml\n"
            + "server:\n  listen: 127.0.0.1:0\n  request-timeout: 1s\n");
    sidecar =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/hotconf.jar",
                "run",
                "--config",
                dir.resolve("sidecar.yaml").toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(sidecar.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    Matcher m =
        Pattern.compile("^hotconf: serving version 1 on http://127\\.0\\.0\\.1:(\\d+)$")
            .matcher(String.valueOf(first));
    assertThat(m.matches()).as("first line: %s", first).isTrue();
    port = Integer.parseInt(m.group(1));
  }

  @AfterAll
  static void stopTheJar() throws Exception {
    if (sidecar != null) {
      sidecar.destroy();
      if (!sidecar.waitFor(20, TimeUnit.SECONDS)) {
        sidecar.destroyForcibly();
      }
    }
  }

  @AfterEach
  void aNormalRequestIsStillServed() throws IOException {
    Reply r =
        send("GET /v1/config/db.pool.max HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("7");
  }

  /**
   * Writes {@code request} (one byte per char) and reads until the server closes the connection.
   */
  private static Reply send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return readToEnd(socket.getInputStream());
    }
  }

  private static Reply readToEnd(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int r;
      while ((r = in.read(buffer)) >= 0) {
        out.write(buffer, 0, r);
      }
    } catch (SocketException e) {
      // a server that closes with unread request bytes resets the connection
      return new Reply(out.toString(StandardCharsets.ISO_8859_1), true);
    }
    return new Reply(out.toString(StandardCharsets.ISO_8859_1), false);
  }

  private static String get(String target, String... headerLines) {
    return request("GET", target, headerLines);
  }

  private static String request(String method, String target, String... headerLines) {
    StringBuilder b =
        new StringBuilder(
            method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : headerLines) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  @Test
  void headersOver16KiBAreAnswered431() throws IOException {
    assertThat(send(get("/v1/config/db.pool.max", "X-Big: " + "a".repeat(15_000))).status())
        .isEqualTo(200);
    send(get("/v1/config/db.pool.max", "X-Big: " + "a".repeat(17_000))).assertErrorAndClose(431);
  }

  @Test
  void moreThan64HeaderFieldsAreAnswered431() throws IOException {
    // Host and Connection count: 62 + 2 = 64 fields are served, 63 + 2 = 65 are not
    assertThat(send(get("/v1/config/db.pool.max", headers(62))).status()).isEqualTo(200);
    send(get("/v1/config/db.pool.max", headers(63))).assertErrorAndClose(431);
    // repeating one name counts every line
    send(get("/v1/config/db.pool.max", "X-Same: 1\r\n".repeat(69) + "X-Same: 1"))
        .assertErrorAndClose(431);
  }

  private static String headers(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v");
    }
    return b.toString();
  }

  @Test
  void aRequestLineOver8KiBIsAnswered414AndALongKeyIsA400() throws IOException {
    send(get("/v1/config/" + "a".repeat(8_200))).assertErrorAndClose(414);
    send(get("/v1/config/" + "a".repeat(17_000))).assertErrorAndClose(414);
    Reply longKey = send(get("/v1/config/" + "a".repeat(8_000)));
    assertThat(longKey.status()).isEqualTo(400);
    assertThat(longKey.body()).startsWith(JSON_ERROR).contains("1024");
  }

  @Test
  void aPartialRequestIsAnswered408AfterTheRequestTimeWhileOthersAreServed() throws IOException {
    try (Socket slow = new Socket("127.0.0.1", port)) {
      slow.setSoTimeout(20_000);
      slow.getOutputStream()
          .write(
              "GET /v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                  .getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      assertThat(send(get("/healthz")).status()).isEqualTo(200);
      // without a request time limit this read would block until the socket timeout (20 s) fails it
      readToEnd(slow.getInputStream()).assertErrorAndClose(408);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedWithoutAnAnswer() throws IOException {
    try (Socket silent = new Socket("127.0.0.1", port)) {
      silent.setSoTimeout(20_000);
      assertThat(readToEnd(silent.getInputStream()).closedWithoutAnswer()).isTrue();
    }
  }

  @Test
  void aLongPollOutlastsTheRequestTime() throws IOException {
    // the request time covers reading the request, not the answer: a 2.5 s poll (> 1 s) gets its
    // 304
    Reply poll = send(get("/v1/config?version=1&wait=2500ms"));
    assertThat(poll.status()).isEqualTo(304);
    assertThat(poll.head()).contains("x-config-version: 1").doesNotContain("content-length");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/config/../x | 400",
        "/v1/config/../../etc/passwd | 400",
        "/v1/config/%2e%2e/x | 400",
        "/v1/config/%2E%2E%2Fetc%2Fpasswd | 400",
        "/v1/config/..%2F..%2Fetc%2Fpasswd | 400",
        "/v1/config/.%2e | 400",
        "/v1/config/db/pool | 400",
        "/v1/config/db%2Fpool | 400",
        "/v1/config/..%5C..%5Cwindows | 400",
        "/v1/config/db%00 | 400",
        "/v1/config/db%0D%0AX-Injected:%201 | 400",
        "/v1/config/%C0%AE%C0%AE | 400",
        "/v1/config/%FF | 400",
        "/v1/config/ | 400",
        "/v1/config/%252e%252e%252fetc | 404",
        "/v1/config/db%2Epool%2Emax | 200",
        "/v1/config/db.pool%5B0%5D | 404",
        "/v1/config?version=-1 | 400",
        "/v1/config?version=1&version=2 | 400",
        "/v1/config?version=%D9%A3 | 400",
        "/v1/config?version=1&wait=forever | 400",
      })
  void traversalAndMalformedKeysGetAnExactAnswer(String target, int status) throws IOException {
    Reply r = send(get(target));
    assertThat(r.status()).isEqualTo(status);
    if (status == 200) {
      assertThat(r.body()).isEqualTo("7");
    } else {
      assertThat(r.head()).contains("content-type: application/json");
      assertThat(r.body()).startsWith(JSON_ERROR);
    }
  }

  /** Targets that are not a URI path: refused before routing, the connection closed. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/v1/config/..\\..\\windows",
        "/v1/config/d\u0000b",
        "/v1/config/db%zz",
        "/v1/config/db%2",
        "/v1/config/servers[0]",
        "/v1/config/a\"b",
        "/v1/config/a{b}",
        "/v1/config/a#frag",
        "*",
        "v1/config",
      })
  void targetsThatAreNotAUriPathAre400(String target) throws IOException {
    send(get(target)).assertErrorAndClose(400);
  }

  @Test
  void rawUtf8InAKeyIsDecodedAsCurlSendsIt() throws IOException {
    // é and € as raw UTF-8 bytes (the JDK server refused raw C1 bytes such as 0x82 in €)
    Reply r = send(get("/v1/config/caf\u00c3\u00a9.\u00e2\u0082\u00ac"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).contains("no such key");
  }

  @Test
  void http10IsAnsweredAndTheConnectionClosed() throws IOException {
    Reply r = send("GET /v1/config/db.pool.max HTTP/1.0\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.head()).contains("connection: close");
    assertThat(r.body()).isEqualTo("7");
    assertThat(r.reset()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "DELETE /v1/config HTTP/1.1 | 405",
        "POST /v1/config/db HTTP/1.1 | 405",
        "TRACE /v1/config HTTP/1.1 | 405",
        "get /v1/config HTTP/1.1 | 405",
        "FOO /healthz HTTP/1.1 | 405",
        "DELETE /nope HTTP/1.1 | 404",
        "CONNECT 127.0.0.1:80 HTTP/1.1 | 400",
        "GET /v1/config | 400",
        "GET | 400",
        "GET  /v1/config HTTP/1.1 | 400",
        "GET /v1/config  HTTP/1.1 | 400",
        "GET /v1/config http/1.1 | 400",
        "GET /v1/config HTTP/1.10 | 400",
        "GET /v1/config HTTP/2.0 | 505",
        "GET /v1/config HTTP/0.9 | 505",
        "G(T /v1/config HTTP/1.1 | 400",
      })
  void badMethodsAndRequestLines(String requestLine, int status) throws IOException {
    Reply r = send(requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(status);
    if (status == 405) {
      assertThat(r.head()).contains("allow: get, head");
    }
  }

  /** The one POST endpoint: POST only, with its header; this sidecar has no guard (409). */
  @Test
  void theGuardEndpointTakesPostWithItsHeaderOnly() throws IOException {
    String end = "Host: 127.0.0.1\r\nConnection: close\r\n";
    Reply get = send("GET /v1/guard/allow HTTP/1.1\r\n" + end + "\r\n");
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.head()).contains("allow: post");
    assertThat(send("post /v1/guard/allow HTTP/1.1\r\n" + end + "\r\n").status()).isEqualTo(405);
    Reply noHeader = send("POST /v1/guard/allow HTTP/1.1\r\n" + end + "Content-Length: 0\r\n\r\n");
    assertThat(noHeader.status()).isEqualTo(400);
    assertThat(noHeader.body()).contains("X-Hotconf-Guard: allow");
    // a body is read and ignored; the answer comes from the worker pool
    Reply noGuard =
        send(
            "POST /v1/guard/allow HTTP/1.1\r\n"
                + end
                + "X-Hotconf-Guard: allow\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(noGuard.status()).isEqualTo(409);
    assertThat(noGuard.head()).contains("content-type: application/json");
    assertThat(noGuard.body()).startsWith(JSON_ERROR).contains("no shrink guard is configured");
  }

  /** Framing a proxy and this server could read differently (request smuggling) is refused. */
  static Stream<Arguments> ambiguousFraming() {
    String h = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    return Stream.of(
        Arguments.of("bare LF", "GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n", 400),
        Arguments.of("bare CR", h + "X: a\rb\r\n\r\n", 400),
        Arguments.of("obs-fold", h + "X: a\r\n b\r\n\r\n", 400),
        Arguments.of(
            "space before colon", "GET /healthz HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n", 400),
        Arguments.of("no Host", "GET /healthz HTTP/1.1\r\n\r\n", 400),
        Arguments.of("two Hosts", h + "Host: 127.0.0.1\r\n\r\n", 400),
        Arguments.of("bad Host", "GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        Arguments.of("NUL in value", h + "X: a\u0000b\r\n\r\n", 400),
        Arguments.of(
            "CL and TE",
            h + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of("two CL", h + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nxx", 400),
        Arguments.of("CL list", h + "Content-Length: 1, 1\r\n\r\nx", 400),
        Arguments.of("CL sign", h + "Content-Length: +1\r\n\r\nx", 400),
        Arguments.of("TE gzip", h + "Transfer-Encoding: gzip\r\n\r\n", 501),
        Arguments.of("TE list", h + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        Arguments.of(
            "TE in 1.0",
            "GET /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of("bad chunk size", h + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        Arguments.of(
            "chunk without CRLF", h + "Transfer-Encoding: chunked\r\n\r\n1\r\naXY0\r\n\r\n", 400),
        Arguments.of("Expect", h + "Expect: 200-ok\r\n\r\n", 417));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguousFraming")
  void ambiguousFramingIsRefused(String what, String request, int status) throws IOException {
    send(request).assertErrorAndClose(status);
  }

  @Test
  void requestBodiesUpTo1KiBAreReadAndIgnoredLargerOnesAre413() throws IOException {
    assertThat(send(request("GET", "/healthz", "Content-Length: 1024") + "x".repeat(1024)).status())
        .isEqualTo(200);
    send(request("GET", "/healthz", "Content-Length: 1025") + "x".repeat(1025))
        .assertErrorAndClose(413);
    send(request("GET", "/healthz", "Content-Length: 99999999999999999999999"))
        .assertErrorAndClose(413);
    String chunked = request("GET", "/healthz", "Transfer-Encoding: chunked");
    assertThat(send(chunked + "3;ext=1\r\nabc\r\n1\r\nd\r\n0\r\nTrailer: x\r\n\r\n").status())
        .isEqualTo(200);
    send(chunked + ("200\r\n" + "x".repeat(512) + "\r\n").repeat(3) + "0\r\n\r\n")
        .assertErrorAndClose(413);
  }

  @Test
  void expect100ContinueIsHonoured() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          request("GET", "/healthz", "Content-Length: 5", "Expect: 100-continue")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] interim = in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
      assertThat(new String(interim, StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readToEnd(in).status()).isEqualTo(200);
    }
  }

  @Test
  void headAnswersTheHeadersOfGetWithoutTheBody() throws IOException {
    Reply get = send(get("/v1/config"));
    Reply head = send(request("HEAD", "/v1/config"));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.head())
        .contains("content-length: " + get.body().length(), "x-config-version: 1");
  }

  @Test
  void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      String keep = "Host: 127.0.0.1\r\n\r\n";
      // three requests in one write; the last one closes
      out.write(
          ("GET /v1/config/db.pool.max HTTP/1.1\r\n"
                  + keep
                  + "GET /nope HTTP/1.1\r\n"
                  + keep
                  + "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String all = readToEnd(socket.getInputStream()).text();
      Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(all);
      StringBuilder statuses = new StringBuilder();
      while (m.find()) {
        statuses.append(m.group(1)).append(' ');
      }
      assertThat(statuses.toString()).isEqualTo("200 404 200 ");
      assertThat(all).contains("\r\n\r\n7HTTP/1.1 404");
    }
  }

  @ParameterizedTest(name = "Host: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1 | 200",
        "127.0.0.1:8750 | 200",
        "localhost | 200",
        "LocalHost:1 | 200",
        "localhost. | 200",
        "app.localhost | 200",
        "[::1]:8750 | 200",
        "10.1.2.3 | 200",
        "evil.example | 421",
        "evil.example:8750 | 421",
        "127.0.0.1.nip.io | 421",
        "localhost.evil.example | 421",
        "0x7f.1 | 421",
        "'' | 421",
      })
  void withoutATokenOnlyLoopbackNamesAndIpAddressesAreAnswered(String host, int status)
      throws IOException {
    Reply r = send("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(status);
    if (status == 421) {
      assertThat(r.body()).startsWith(JSON_ERROR).contains("Host must be localhost or an IP");
    }
  }

  @Test
  void anAbsoluteFormTargetNamesTheHost() throws IOException {
    assertThat(send(get("http://localhost:1/v1/config/db.pool.max")).body()).isEqualTo("7");
    assertThat(send(get("http://evil.example/v1/config/db.pool.max")).status()).isEqualTo(421);
  }
}
