package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real shaded jar ({@code hotconf run}, its own JVM so the JDK server's limits are the ones the
 * sidecar sets) attacked with raw bytes on a loopback socket: what a client sees for oversized or
 * slow requests, traversal attempts and odd request lines, and that the server serves a normal
 * request afterwards. The process runs with {@code -Dsun.net.httpserver.maxReqTime=1}, which also
 * shows that an explicit setting wins over the sidecar's default (10 s); the header limits are the
 * sidecar's defaults.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpHardeningIT {
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");
  private static final String JSON_ERROR = "{\"error\":\"";
  private static final String JDK_ERROR = "<h1>400 Bad Request</h1>";

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
  }

  @BeforeAll
  static void startTheJar() throws Exception {
    Files.writeString(dir.resolve("app.yaml"), "db:\n  pool:\n    max: 7\n");
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        "sources:\n  - type: file\n    path: app.yaml\nserver:\n  listen: 127.0.0.1:0\n");
    sidecar =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsun.net.httpserver.maxReqTime=1",
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
    Reply r = send("GET /v1/config/db.pool.max HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
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
    StringBuilder b =
        new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (String h : headerLines) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  @Test
  void headersOver16KiBCloseTheConnectionWithoutAnAnswer() throws IOException {
    assertThat(send(get("/v1/config/db.pool.max", "X-Big: " + "a".repeat(15_000))).status())
        .isEqualTo(200);
    assertThat(
            send(get("/v1/config/db.pool.max", "X-Big: " + "a".repeat(17_000)))
                .closedWithoutAnswer())
        .isTrue();
    // the JDK counts 32 bytes per header line on top: 500 short repeated headers are over the limit
    // too
    assertThat(
            send(get("/v1/config/db.pool.max", "X-Same: 1\r\n".repeat(499) + "X-Same: 1"))
                .closedWithoutAnswer())
        .isTrue();
  }

  @Test
  void moreThan64DistinctHeaderNamesCloseTheConnectionWithoutAnAnswer() throws IOException {
    // Host and Connection count: 62 + 2 = 64 names are served, 63 + 2 = 65 are not
    assertThat(send(get("/v1/config/db.pool.max", headers(62))).status()).isEqualTo(200);
    assertThat(send(get("/v1/config/db.pool.max", headers(63))).closedWithoutAnswer()).isTrue();
  }

  private static String headers(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : "\r\n").append("X-H").append(i).append(": v");
    }
    return b.toString();
  }

  @Test
  void aRequestLineOver16KiBClosesTheConnectionAndALongKeyIsA400() throws IOException {
    assertThat(send(get("/v1/config/" + "a".repeat(17_000))).closedWithoutAnswer()).isTrue();
    Reply longKey = send(get("/v1/config/" + "a".repeat(8_000)));
    assertThat(longKey.status()).isEqualTo(400);
    assertThat(longKey.body()).startsWith(JSON_ERROR).contains("1024");
  }

  @Test
  void aPartialRequestIsClosedAfterTheRequestTimeWhileOthersAreServed() throws IOException {
    try (Socket slow = new Socket("127.0.0.1", port)) {
      slow.setSoTimeout(20_000);
      slow.getOutputStream()
          .write(
              "GET /v1/config HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      assertThat(send(get("/healthz")).status()).isEqualTo(200);
      // without a request time limit this read would block until the socket timeout (20 s) fails it
      assertThat(readToEnd(slow.getInputStream()).closedWithoutAnswer()).isTrue();
    }
  }

  @Test
  void aLongPollOutlastsTheRequestTime() throws IOException {
    // the request time covers reading the request, not the answer: a 2.5 s poll (> 1 s) gets its
    // 304
    Reply poll = send(get("/v1/config?version=1&wait=2500ms"));
    assertThat(poll.status()).isEqualTo(304);
    assertThat(poll.head()).contains("x-config-version: 1");
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/config/../x | 400 | hotconf",
        "/v1/config/../../etc/passwd | 400 | hotconf",
        "/v1/config/%2e%2e/x | 400 | hotconf",
        "/v1/config/%2E%2E%2Fetc%2Fpasswd | 400 | hotconf",
        "/v1/config/..%2F..%2Fetc%2Fpasswd | 400 | hotconf",
        "/v1/config/.%2e | 400 | hotconf",
        "/v1/config/db/pool | 400 | hotconf",
        "/v1/config/db%2Fpool | 400 | hotconf",
        "/v1/config/..%5C..%5Cwindows | 400 | hotconf",
        "/v1/config/db%00 | 400 | hotconf",
        "/v1/config/db%0D%0AX-Injected:%201 | 400 | hotconf",
        "/v1/config/%C0%AE%C0%AE | 400 | hotconf",
        "/v1/config/%FF | 400 | hotconf",
        "/v1/config/ | 400 | hotconf",
        "/v1/config/%252e%252e%252fetc | 404 | hotconf",
        "/v1/config/..\\..\\windows | 400 | jdk",
        "/v1/config/d\u0000b | 400 | jdk",
        "/v1/config/db%zz | 400 | jdk",
        "/v1/config/servers[0] | 400 | jdk",
        "/v1/config/db%2Epool%2Emax | 200 | hotconf",
        "/v1/config/db.pool%5B0%5D | 404 | hotconf",
        "/v1/config?version=-1 | 400 | hotconf",
        "/v1/config?version=1&version=2 | 400 | hotconf",
        "/v1/config?version=%D9%A3 | 400 | hotconf",
        "/v1/config?version=1&wait=forever | 400 | hotconf",
      })
  void traversalAndMalformedTargetsGetAnExactAnswer(String target, int status, String who)
      throws IOException {
    Reply r = send(get(target));
    assertThat(r.status()).isEqualTo(status);
    if (who.equals("jdk")) {
      // the JDK server itself rejects what is not a URI, before the sidecar sees it
      assertThat(r.head()).contains("connection: close");
      assertThat(r.body()).startsWith(JDK_ERROR);
    } else if (status == 200) {
      assertThat(r.body()).isEqualTo("7");
    } else {
      assertThat(r.head()).contains("content-type: application/json");
      assertThat(r.body()).startsWith(JSON_ERROR);
    }
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
      })
  void badMethodsAndRequestLines(String requestLine, int status) throws IOException {
    Reply r = send(requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(status);
    if (status == 405) {
      assertThat(r.head()).contains("allow: get, head");
    }
  }
}
