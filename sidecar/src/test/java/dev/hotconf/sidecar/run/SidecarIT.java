package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hotconf.settings.Assembly;
import dev.hotconf.sidecar.cli.HotconfCommand;
import dev.hotconf.sidecar.internal.http.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sidecar in-process: real files watched by the file source, a real HTTP server on
 * loopback, real HTTP receivers as push targets.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SidecarIT {
  private static final String SCHEMA =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
       "properties": {"db": {"type": "object", "properties": {
         "url": {"type": "string"}, "pool": {"type": "object", "properties": {
           "max": {"type": "integer", "minimum": 1, "maximum": 500}}}}}},
       "required": ["db"]}
      """;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private SidecarProcess runner;
  private Receiver receiver;

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private Path app() {
    return dir.resolve("config/app.yaml");
  }

  private void write(String yaml) throws Exception {
    Path tmp = dir.resolve("config/.app.yaml.tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, app(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String doc(int max) {
    return "db:\n  url: jdbc:x\n  password: hunter2\n  pool:\n    max: " + max + "\n";
  }

  private SidecarSettings start(String extra) throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(app(), doc(10));
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
    receiver = new Receiver();
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "sources:",
            "  - type: file",
            "    path: config/app.yaml",
            "    debounce: 50ms",
            "schema: schema.json",
            "server:",
            "  listen: 127.0.0.1:0",
            "targets:",
            "  - url: " + receiver.url(),
            "    timeout: 2s",
            "    max-backoff: 200ms",
            "  - file: out/app.json",
            extra,
            ""));
    runner = load(file);
    runner.start();
    return runner.settings();
  }

  private static SidecarProcess load(Path file) throws IOException {
    return SidecarProcess.load(
        file, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.address().getPort() + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void newVersionsReachEveryTargetAndTheHttpApi() throws Exception {
    start("");
    await().until(() -> receiver.delivered().contains(1L));
    Receiver.Push first = receiver.pushes.get(0);
    assertThat(first.contentType()).isEqualTo("application/json");
    assertThat(first.body()).contains("\"max\":10");
    Path out = dir.resolve("out/app.json");
    await().until(() -> Files.exists(out) && Files.readString(out).contains("\"max\":10"));

    HttpResponse<String> config = get("/v1/config");
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.headers().firstValue("X-Config-Version")).contains("1");
    String etag = config.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).isEqualTo(first.etag()).matches("\"[0-9a-f]{32}\"");
    assertThat(get("/v1/config", "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(get("/v1/config/db.pool.max").body()).isEqualTo("10");
    assertThat(get("/v1/config/db.pool").body()).isEqualTo("{\"max\":10}");
    assertThat(get("/v1/config/nope").statusCode()).isEqualTo(404);
    assertThat(get("/v1/config?version=1&wait=100ms").statusCode()).isEqualTo(304);

    write(doc(20));
    HttpResponse<String> polled = get("/v1/config?version=1&wait=20s");
    assertThat(polled.statusCode()).isEqualTo(200);
    assertThat(polled.headers().firstValue("X-Config-Version")).contains("2");
    await().until(() -> receiver.delivered().contains(2L));
    await().until(() -> Files.readString(out).contains("\"max\":20"));
    // the receiver records a push before it answers; the target counts it delivered once the
    // answer is back
    await()
        .untilAsserted(
            () ->
                assertThat(get("/metrics").body())
                    .contains(
                        "hotconf_reloads_total 2",
                        "hotconf_config_version 2",
                        "hotconf_target_delivered_version{target=\"" + receiver.url() + "\"} 2"));
  }

  @Test
  void aPushInFlightAtShutdownIsFinishedWithinTheGrace() throws Exception {
    start("shutdown-grace: 20s");
    Receiver.Hold hold = version2InFlight();

    SidecarProcess stopping = runner;
    runner = null;
    Thread shutdown = new Thread(stopping::shutdown, "test-shutdown");
    shutdown.start();
    // the HTTP API stops first; then the shutdown waits for the push in flight
    await().until(() -> !accepts(stopping.address().getPort()));
    assertThat(stopping.publisher().allDelivered()).isFalse();
    hold.release().countDown();
    shutdown.join(TimeUnit.SECONDS.toMillis(20));

    assertThat(shutdown.isAlive()).isFalse();
    assertThat(stopping.publisher().allDelivered())
        .as("version 2 delivered before stopping")
        .isTrue();
    assertThat(receiver.delivered()).containsExactly(1L, 2L);
  }

  @Test
  void aVersionSeenOverHttpJustBeforeTheShutdownIsStillPushed() throws Exception {
    start("shutdown-grace: 20s");
    await().until(() -> receiver.delivered().contains(1L));
    write(doc(20));
    // a client sees version 2 and stops the sidecar at once (a rolling restart, a script)
    assertThat(get("/v1/config?version=1&wait=20s").headers().firstValue("X-Config-Version"))
        .contains("2");
    SidecarProcess stopping = runner;
    runner = null;
    stopping.shutdown();
    assertThat(receiver.delivered()).containsExactly(1L, 2L);
    assertThat(Files.readString(dir.resolve("out/app.json"))).contains("\"max\":20");
  }

  @Test
  void theGraceBoundsHowLongAShutdownWaitsForAHungTarget() throws Exception {
    start("shutdown-grace: 1s");
    Receiver.Hold hold = version2InFlight();
    try {
      SidecarProcess stopping = runner;
      runner = null;
      // the target never answers within the grace: the shutdown gives up on it and returns
      assertTimeoutPreemptively(Duration.ofSeconds(15), stopping::shutdown);
      assertThat(stopping.publisher().allDelivered()).isFalse();
    } finally {
      hold.release().countDown();
    }
  }

  /**
   * Once version 1 is delivered, publishes version 2 and returns when its push is held at the
   * receiver.
   */
  private Receiver.Hold version2InFlight() throws Exception {
    await().until(() -> receiver.delivered().contains(1L));
    Receiver.Hold hold = new Receiver.Hold();
    receiver.hold.set(hold);
    write(doc(20));
    assertThat(hold.arrived().await(20, TimeUnit.SECONDS)).as("version 2 in flight").isTrue();
    return hold;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void anInvalidEditIsRejectedTargetsKeepTheLastGoodAndStatusShowsWhere() throws Exception {
    start("");
    await().until(() -> receiver.delivered().contains(1L));
    write(doc(900));
    await().until(() -> get("/v1/status").body().contains("\"rejecting\" : true"));
    String status = get("/v1/status").body();
    assertThat(status)
        .contains("app.yaml:5:10", "\"line\" : 5", "\"column\" : 10", "db.pool.max")
        .doesNotContain("hunter2");
    assertThat(get("/v1/config/db.pool.max").body()).isEqualTo("10");
    assertThat(receiver.delivered()).containsExactly(1L);
    write(doc(30));
    await().until(() -> receiver.delivered().contains(2L));
    assertThat(get("/v1/config/db.pool.max").body()).isEqualTo("30");
  }

  @Test
  void aTargetThatWasDownReceivesTheLatestVersionAndNeverAnOlderOneAfterANewerOne()
      throws Exception {
    start("");
    await().until(() -> receiver.delivered().contains(1L));
    receiver.status.set(503);
    for (int max = 11; max <= 14; max++) {
      write(doc(max));
      long expected = max - 9;
      await().until(() -> runner.publisher().hotConfig().version() == expected);
    }
    await()
        .until(
            () ->
                receiver.pushes.stream()
                    .anyMatch(p -> p.answeredWith() == 503 && p.version() == 5));
    receiver.status.set(200);
    await().until(() -> receiver.delivered().contains(5L));
    assertThat(receiver.pushes).extracting(Receiver.Push::version).isSorted();
    assertThat(receiver.delivered()).containsExactly(1L, 5L);
    // counted delivered once the receiver's answer is back (it records the push before answering)
    await().until(() -> get("/v1/status").body().contains("\"deliveredVersion\" : 5"));
  }

  @Test
  void aServerTokenIsRequiredEverywhereButHealthz() throws Exception {
    Files.writeString(dir.resolve("hotconf.token"), "t0ken-123\n");
    start("last-known-good: state/app.json");
    runner.close();
    // the same sidecar again, now with a server token
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                "  listen: 127.0.0.1:0", "  listen: 127.0.0.1:0\n  token-file: hotconf.token"));
    runner = load(file);
    runner.start();
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/v1/config").statusCode()).isEqualTo(401);
    assertThat(get("/v1/config", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(get("/v1/config", "Authorization", "Bearer t0ken-123").statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "Authorization", "Bearer t0ken-123").statusCode()).isEqualTo(200);
  }

  @Test
  void readyzIsUnavailableUntilTheFirstSnapshot() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(app(), doc(10));
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        "sources:\n  - type: file\n    path: config/app.yaml\nserver:\n  listen: 127.0.0.1:0\n");
    Assembly<SidecarSettings> assembly = SidecarSettings.load(file);
    Publisher sidecar = new Publisher(assembly.settings().targets());
    try {
      int port = sidecar.startServer(assembly.settings().server().listenAddress(), null).getPort();
      HttpResponse<String> before =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/config"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(503);
      // a malformed parameter or key is a 400 even before the first snapshot
      assertThat(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/v1/config?version=x"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/v1/config/a..b"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(400);
      sidecar.start(assembly.builder());
      HttpResponse<String> after =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(200);
    } finally {
      sidecar.close();
      assembly.close();
    }
  }

  @Test
  void aConsulChangeMergedOverAFileReachesTheTargets() throws Exception {
    try (dev.hotconf.testing.consul.ConsulTestServer consul =
        dev.hotconf.testing.consul.ConsulTestServer.builder().jitter(false).build().start()) {
      consul.put("config/app/data", "db:\n  pool:\n    max: 40\n");
      Files.writeString(dir.resolve("consul.token"), "unused-token\n");
      SidecarSettings config =
          start(
              String.join("\n", "# appended: a consul layer over the file", "start-timeout: 20s"));
      runner.close();
      Path file = dir.resolve("sidecar.yaml");
      Files.writeString(
          file,
          Files.readString(file)
              .replace(
                  "schema: schema.json",
                  String.join(
                      "\n",
                      "  - type: consul",
                      "    address: " + consul.url(),
                      "    key: config/app/data",
                      "    wait: 5s",
                      "schema: schema.json")));
      receiver.pushes.clear();
      runner = load(file);
      runner.start();
      assertThat(get("/v1/config/db.pool.max").body()).isEqualTo("40");
      assertThat(get("/v1/config/db.url").body()).isEqualTo("\"jdbc:x\"");
      consul.put("config/app/data", "db:\n  pool:\n    max: 41\n");
      await().until(() -> receiver.pushes.stream().anyMatch(p -> p.body().contains("\"max\":41")));
      assertThat(get("/v1/status").body()).contains("consul");
      assertThat(config.config().sources()).hasSize(1);
      assertThat(runner.settings().config().sources()).hasSize(2);
    }
  }

  @Test
  void unknownPathsWrongMethodsAndLargeBodiesAreRefused() throws Exception {
    start("");
    assertThat(get("/v2/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runner.address().getPort() + "/v1/config"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    HttpResponse<String> big =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runner.address().getPort() + "/v1/config"))
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(5000)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(get("/v1/config/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(400);
  }

  @Test
  void aBadSidecarConfigExitsWithCode2AndLineAndColumn() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "sources:\n  - type: file\n    path: a.yaml\n    debounce: later\n");
    StringWriter err = new StringWriter();
    int code =
        HotconfCommand.execute(
            new String[] {"run", "--config", file.toString()},
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            file
                + ":4:15: sources[0].debounce: expected a duration like 250ms, 5s, 2m or PT1H but found 'later'");
  }

  @Test
  void anInvalidConfigAtStartExitsWithCode1() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(app(), "db: [\n");
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        "sources:\n  - type: file\n    path: config/app.yaml\nserver:\n  listen: 127.0.0.1:0\nstart-timeout: 1s\n");
    StringWriter err = new StringWriter();
    int code =
        HotconfCommand.execute(
            new String[] {"run", "-c", file.toString()},
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).isIn(1, 3);
    assertThat(err.toString()).contains("app.yaml:2:1:");
  }

  @Test
  void aNonLoopbackListenWithoutATokenIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(app(), doc(1));
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        "sources:\n  - type: file\n    path: config/app.yaml\nserver:\n  listen: 0.0.0.0:0\n");
    StringWriter err = new StringWriter();
    int code =
        HotconfCommand.execute(
            new String[] {"run", "-c", file.toString()},
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("refusing to serve 0.0.0.0", "--insecure-bind");
  }

  @Test
  void aNonLoopbackListenWithATokenButWithoutTlsIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(app(), doc(1));
    Files.writeString(dir.resolve("hotconf.token"), "t0ken-123\n");
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        "sources:\n  - type: file\n    path: config/app.yaml\n"
            + "server:\n  listen: 0.0.0.0:0\n  token-file: hotconf.token\n");
    StringWriter err = new StringWriter();
    int code =
        HotconfCommand.execute(
            new String[] {"run", "-c", file.toString()},
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "refusing to serve 0.0.0.0 (not loopback) over plain HTTP",
            "server.tls-cert-file and server.tls-key-file",
            "--insecure-bind");
  }

  @Test
  void startUpFilesThatNeverEndAreRefusedAtTheirLimitWithAClearMessage() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(app(), doc(1));
    TestCertificates.Pair pair = TestCertificates.shared("EC");
    Files.writeString(dir.resolve("hotconf.token"), "t0ken-123\n");
    Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));
    String base =
        "sources:\n  - type: file\n    path: config/app.yaml\nserver:\n  listen: 127.0.0.1:0\n";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "the settings file itself", "zero: cannot read: larger than 4 MiB (the document limit)");
    cases.put(
        base + "  token-file: zero\n",
        "cannot read server token file: larger than 64 KiB (the token file limit)");
    cases.put(
        base
            + "  token-file: hotconf.token\n  tls-cert-file: zero\n  tls-key-file: "
            + pair.key()
            + "\n",
        "larger than 4 MiB (the PEM file limit)");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path file = dir.resolve("sidecar.yaml");
      if (c.getKey().startsWith("sources:")) {
        Files.writeString(file, c.getKey());
      } else {
        file = dir.resolve("zero");
      }
      StringWriter err = new StringWriter();
      int code =
          HotconfCommand.execute(
              new String[] {"run", "-c", file.toString()},
              new ByteArrayInputStream(new byte[0]),
              new PrintWriter(new StringWriter()),
              new PrintWriter(err));
      assertThat(code).as(c.getKey()).isEqualTo(2);
      assertThat(err.toString()).as(c.getKey()).contains(c.getValue()).doesNotContain("\tat ");
    }
  }

  @Test
  void httpsFromPemFilesServesTheApiAndWarnsAboutReadableSecrets() throws Exception {
    TestCertificates.Pair shared = TestCertificates.shared("EC");
    // a copy beside the config (the test sets the key file's permissions)
    TestCertificates.Pair pair =
        new TestCertificates.Pair(
            Files.copy(shared.cert(), dir.resolve("server.crt")),
            Files.copy(shared.key(), dir.resolve("server.key")),
            shared.keyStore());
    Files.writeString(dir.resolve("hotconf.token"), "t0ken-123\n");
    Files.setPosixFilePermissions(
        dir.resolve("hotconf.token"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(pair.key(), PosixFilePermissions.fromString("rw-------"));
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(app(), doc(10));
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "sources:",
            "  - type: file",
            "    path: config/app.yaml",
            "    debounce: 50ms",
            "server:",
            "  listen: 127.0.0.1:0",
            "  token-file: hotconf.token",
            "  tls-cert-file: server.crt",
            "  tls-key-file: server.key",
            ""));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    runner = SidecarProcess.load(file, false, new PrintWriter(out), new PrintWriter(err));
    runner.start();
    assertThat(out.toString()).contains("serving version 1 on https://127.0.0.1:");
    assertThat(err.toString())
        .contains(
            "hotconf: warning: server.token-file "
                + dir.resolve("hotconf.token")
                + " can be read by other users (rw-r--r--)")
        .doesNotContain("server.tls-key-file");
    HttpClient https = HttpClient.newBuilder().sslContext(pair.clientContext()).build();
    String base = "https://127.0.0.1:" + runner.address().getPort();
    HttpResponse<String> config =
        https.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/config"))
                .header("Authorization", "Bearer t0ken-123")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).contains("\"max\":10");
    var poll =
        https.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/v1/config?version=1&wait=20s"))
                .header("Authorization", "Bearer t0ken-123")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    write(doc(20));
    assertThat(poll.get(20, TimeUnit.SECONDS).body()).contains("\"max\":20");
    // plain HTTP on the HTTPS port gets no answer
    assertThat(
            java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return get("/healthz").statusCode();
                      } catch (Exception e) {
                        return -1;
                      }
                    })
                .get(20, TimeUnit.SECONDS))
        .isEqualTo(-1);
  }
}
