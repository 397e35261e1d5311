package dev.hotconf.sidecar.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server on its own, with a scripted handler and raw sockets on loopback: parked exchanges
 * answered from other threads, clients that leave, the connection cap, clients that read nothing, a
 * full worker pool, stopping, and TLS.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NioHttpServerTest {
  private NioHttpServer server;
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Exchange> parked = new CopyOnWriteArrayList<>();
  private final AtomicInteger gone = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private static final byte[] BIG = big(8 << 20);

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static byte[] big(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 'x');
    return b;
  }

  /** /fast, /big (8 MiB), /park (until answered or gone), /slow (worker pool), /boom. */
  private void handle(Exchange ex) {
    switch (ex.request().rawPath()) {
      case "/fast" -> ex.respond(Response.of(200, "text/plain", "fast\n"));
      case "/big" -> ex.respond(Response.of(200, "text/plain", BIG));
      case "/park" -> {
        parked.add(ex);
        ex.park(
            Duration.ofMinutes(5),
            () -> ex.respond(Response.of(304, null, (byte[]) null)),
            gone::incrementAndGet);
      }
      case "/short" ->
          ex.park(
              Duration.ofMillis(100),
              () -> ex.respond(Response.of(304, null, (byte[]) null)),
              gone::incrementAndGet);
      case "/slow" ->
          ex.respondLater(
              () -> {
                release.await();
                return Response.of(200, "text/plain", "slow\n");
              });
      case "/boom" -> throw new IllegalStateException("boom");
      default -> ex.respond(Response.error(404, "not found"));
    }
  }

  private void start(HttpServerConfig.Builder config) throws IOException {
    server = NioHttpServer.start(config.build(), this::handle);
  }

  private Socket open(String request) throws IOException {
    Socket s = new Socket("127.0.0.1", server.address().getPort());
    sockets.add(s);
    s.setSoTimeout(20_000);
    if (!request.isEmpty()) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }
    return s;
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }

  private static String readToEnd(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    InputStream in = s.getInputStream();
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketException e) {
      // reset
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static int threads() {
    return Thread.getAllStackTraces().size();
  }

  @Test
  void parkedExchangesHoldNoThreadAndAreAnsweredFromAnyThread() throws Exception {
    start(HttpServerConfig.builder());
    int before = threads();
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      clients.add(open(get("/park")));
    }
    await().until(() -> parked.size() == 300);
    assertThat(threads()).isLessThanOrEqualTo(before + 2);
    Thread answering =
        new Thread(
            () -> parked.forEach(ex -> ex.respond(Response.of(200, "text/plain", "later\n"))));
    answering.start();
    for (Socket c : clients) {
      assertThat(readToEnd(c)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nlater\n");
    }
    answering.join();
    // answering twice is ignored
    parked.get(0).respond(Response.of(500, "text/plain", "again\n"));
    assertThat(gone).hasValue(0);
  }

  @Test
  void aParkedExchangeTimesOutOrIsForgottenWhenItsClientLeaves() throws Exception {
    start(HttpServerConfig.builder());
    assertThat(readToEnd(open(get("/short")))).startsWith("HTTP/1.1 304 Not Modified\r\n");
    Socket leaving = open(get("/park"));
    await().until(() -> parked.size() == 1);
    leaving.close();
    await().until(() -> gone.get() == 1);
    await().until(() -> server.openConnections() == 0);
    // half-closing counts as leaving too
    Socket halfClosing = open(get("/park"));
    await().until(() -> parked.size() == 2);
    halfClosing.shutdownOutput();
    await().until(() -> gone.get() == 2);
  }

  @Test
  void atTheCapTheLongestIdleConnectionMakesRoomElseANewOneIsRefused() throws Exception {
    start(HttpServerConfig.builder().maxConnections(4));
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      idle.add(open(""));
    }
    await().until(() -> server.openConnections() == 4);
    // the fifth is served; the one idle for longest was closed for it
    assertThat(readToEnd(open(get("/fast")))).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(readToEnd(idle.get(0))).isEmpty();
    // four clients in the middle of a request are not idle: a new connection is refused with 503
    for (Socket s : idle) {
      s.close();
    }
    await().until(() -> server.openConnections() == 0);
    for (int i = 0; i < 4; i++) {
      open("GET /fast HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }
    await().until(() -> server.openConnections() == 4);
    String refused = readToEnd(open(get("/fast")));
    assertThat(refused)
        .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .contains("Retry-After: 1")
        .endsWith("{\"error\":\"too many connections\"}\n");
    assertThat(server.refusedConnections()).isEqualTo(1);
  }

  @Test
  void aClientThatReadsNothingIsDisconnectedAfterTheSendTimeout() throws Exception {
    start(HttpServerConfig.builder().sendTimeout(Duration.ofMillis(500)));
    Socket stuck = open(get("/big"));
    await().until(() -> server.openConnections() == 1);
    // 8 MiB do not fit in the socket buffers; nothing is read, so the server gives up
    await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    assertThat(readToEnd(open(get("/fast")))).startsWith("HTTP/1.1 200 OK\r\n");
    stuck.close();
  }

  @Test
  void aBigAnswerToAReadingClientIsSentWhole() throws Exception {
    start(HttpServerConfig.builder());
    String answer = readToEnd(open(get("/big")));
    assertThat(answer).contains("Content-Length: " + BIG.length);
    assertThat(answer.length() - answer.indexOf("\r\n\r\n") - 4).isEqualTo(BIG.length);
  }

  @Test
  void aFullWorkerPoolAnswers503AndAHandlerFailureIs500() throws Exception {
    start(HttpServerConfig.builder().workerThreads(1).workerQueue(1));
    Socket running = open(get("/slow"));
    Socket queued = open(get("/slow"));
    await().until(() -> server.openConnections() == 2);
    String busy = readToEnd(open(get("/slow")));
    assertThat(busy).startsWith("HTTP/1.1 503 ").contains("Retry-After: 1", "server busy");
    release.countDown();
    assertThat(readToEnd(running)).endsWith("slow\n");
    assertThat(readToEnd(queued)).endsWith("slow\n");
    assertThat(readToEnd(open(get("/boom"))))
        .startsWith("HTTP/1.1 500 ")
        .contains("internal error")
        .doesNotContain("boom");
  }

  @Test
  void stoppingAnswersParkedExchanges503AndClosesIdleConnections() throws Exception {
    start(HttpServerConfig.builder());
    Socket poll = open(get("/park"));
    Socket idle = open("");
    await().until(() -> parked.size() == 1 && server.openConnections() == 2);
    server.stop(Duration.ofSeconds(1));
    assertThat(readToEnd(poll))
        .startsWith("HTTP/1.1 503 ")
        .contains("Connection: close", "shutting down");
    assertThat(readToEnd(idle)).isEmpty();
    assertThat(gone).hasValue(1);
  }

  @Test
  void tlsServesKeepAliveBigAnswersAndParkedExchanges() throws Exception {
    TestCertificates.Pair pair = TestCertificates.shared("RSA");
    SSLContext serverContext = PemTls.serverContext(pair.cert(), pair.key());
    start(HttpServerConfig.builder().tls(serverContext));
    HttpClient client = HttpClient.newBuilder().sslContext(pair.clientContext()).build();
    String base = "https://127.0.0.1:" + server.address().getPort();
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/big")).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(BIG);
    }
    var later =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/park")).build(),
            HttpResponse.BodyHandlers.ofString());
    await().until(() -> parked.size() == 1);
    parked.get(0).respond(Response.of(200, "text/plain", "later\n"));
    assertThat(later.get(20, TimeUnit.SECONDS).body()).isEqualTo("later\n");
    // plain HTTP on the TLS port: no answer, the connection is closed
    assertThat(readToEnd(open(get("/fast")))).doesNotContain("200");
  }

  @Test
  void pipelinedRequestsBeyondTheInputBufferAreAllAnsweredAlsoOverTls() throws Exception {
    TestCertificates.Pair pair = TestCertificates.shared("EC");
    start(HttpServerConfig.builder().tls(PemTls.serverContext(pair.cert(), pair.key())));
    String one = "GET /fast HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "p".repeat(1000) + "\r\n\r\n";
    int n = 60; // about 60 KiB in one write: more than a connection buffers (21 KiB)
    try (Socket s =
        pair.clientContext()
            .getSocketFactory()
            .createSocket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write(
              (one.repeat(n - 1) + one.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String all = readToEnd(s);
      assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(n + 1);
    }
  }

  @Test
  void aSilentConnectionIsClosedAfterTheRequestTimeoutAlsoMidHandshake() throws Exception {
    TestCertificates.Pair pair = TestCertificates.shared("EC");
    start(
        HttpServerConfig.builder()
            .tls(PemTls.serverContext(pair.cert(), pair.key()))
            .requestTimeout(Duration.ofMillis(300)));
    Socket silent = open("");
    Socket halfHello = open("\u0016\u0003\u0001\u0000"); // the start of a TLS record, then nothing
    assertThat(readToEnd(silent)).isEmpty();
    assertThat(readToEnd(halfHello)).isEmpty();
    await().until(() -> server.openConnections() == 0);
  }
}
