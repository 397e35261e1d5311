package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar's history ({@code GET /v1/history}, {@code GET /v1/history/N}) and pin ({@code POST
 * /v1/pin?version=N}, {@code DELETE /v1/pin}), in process, over real HTTP on port 0: an operator's
 * rollback on one host, served and pushed, holding new versions back, visible in status, metrics
 * and the fleet acknowledgement, kept across a restart, lifted to the newest version; and who may
 * pin.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SidecarPinTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "config/orders/app.yaml";
  private static final String RECORD = "hotconf/acks/orders/web-1";

  @RegisterExtension final ConsulTestServerExtension consul = new ConsulTestServerExtension();

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

  private void write(int max) throws Exception {
    Path tmp = dir.resolve("config/.app.yaml.tmp");
    Files.writeString(tmp, "db:\n  password: hunter2\n  pool:\n    max: " + max + "\n");
    Files.move(
        tmp,
        dir.resolve("config/app.yaml"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** A sidecar on a file source (config/app.yaml), optionally with a server token. */
  private void startOnFile(boolean withToken) throws Exception {
    Files.createDirectories(dir.resolve("config"));
    if (!Files.exists(dir.resolve("config/app.yaml"))) {
      write(10);
    }
    start(
        List.of(
            "sources:",
            "  - type: file",
            "    path: config/app.yaml",
            "    debounce: 50ms",
            "server:",
            "  listen: 127.0.0.1:0",
            withToken ? "  token-file: secrets/token" : ""));
  }

  /**
   * A sidecar on a Consul key, acknowledging to Consul as web-1 of orders, pushing to a receiver,
   * with its pin file beside the last-known-good file.
   */
  private void startOnConsul() throws Exception {
    if (receiver == null) {
      receiver = new Receiver();
    }
    start(
        List.of(
            "sources:",
            "  - type: consul",
            "    address: " + consul.server().url(),
            "    key: " + KEY,
            "    rate-limit-burst: 10",
            "    rate-limit-refill: 100ms",
            "server:",
            "  listen: 127.0.0.1:0",
            "targets:",
            "  - url: " + receiver.url(),
            "    timeout: 2s",
            "    max-backoff: 200ms",
            "last-known-good: state/app.json",
            "fleet:",
            "  app: orders",
            "  instance: web-1",
            "  ttl: 10s"));
  }

  private void start(List<String> lines) throws Exception {
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, String.join("\n", lines) + "\n");
    runner =
        SidecarProcess.load(
            file, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    runner.start();
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.address().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private void awaitVersion(long v) {
    await().until(() -> runner.publisher().hotConfig().version() == v);
  }

  private Optional<Ack> record() {
    return consul.server().get(RECORD).map(e -> Ack.parse(e.value()));
  }

  private Ack awaitRecord(AckState state, long index) {
    return await()
        .until(
            () -> record().orElse(null),
            a -> a != null && a.state().equals(state) && a.index() == index);
  }

  @Test
  void theHistoryListsEveryKeptVersionAndServesEachOne() throws Exception {
    startOnFile(false);
    write(20);
    awaitVersion(2);
    write(30);
    awaitVersion(3);

    JsonNode list = json(send("GET", "/v1/history"));
    assertThat(list.get("pinned").isNull()).isTrue();
    assertThat(list.get("versions"))
        .extracting(v -> v.get("version").asLong())
        .containsExactly(3L, 2L, 1L);
    assertThat(list.get("versions").get(0).get("origins").get(0).asText())
        .endsWith("config/app.yaml");
    assertThat(list.toString()).doesNotContain("hunter2");

    HttpResponse<String> old = send("GET", "/v1/history/1");
    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(old.body()).isEqualTo("{\"db\":{\"password\":\"hunter2\",\"pool\":{\"max\":10}}}");
    assertThat(old.headers().firstValue("X-Config-Version")).hasValue("1");
    assertThat(old.headers().firstValue("ETag"))
        .hasValue("\"" + list.get("versions").get(2).get("hash").asText() + "\"");
    HttpResponse<String> head = send("HEAD", "/v1/history/1");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(old.body().length()));
    assertThat(send("GET", "/v1/history/9").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/v1/history/x").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/v1/history").statusCode()).isEqualTo(405);
  }

  @Test
  void aPinIsServedPushedAcknowledgedHoldsNewVersionsBackSurvivesARestartAndLiftsToTheNewest()
      throws Exception {
    long first = consul.server().put(KEY, "db:\n  password: hunter2\n  pool:\n    max: 10\n");
    startOnConsul();
    awaitRecord(AckState.LIVE, first);
    long second = consul.server().put(KEY, "db:\n  password: hunter2\n  pool:\n    max: 20\n");
    awaitVersion(2);
    awaitRecord(AckState.LIVE, second);
    await().until(() -> receiver.delivered().contains(2L));

    HttpResponse<String> pinned = send("POST", "/v1/pin?version=1");
    assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(200);
    assertThat(json(pinned).get("pinned").asLong()).isEqualTo(1);
    assertThat(json(pinned).get("persistent").asBoolean()).isTrue();
    assertThat(json(pinned).get("servedVersion").asLong()).isEqualTo(3);
    HttpResponse<String> config = send("GET", "/v1/config");
    assertThat(config.body()).contains("\"max\":10");
    assertThat(config.headers().firstValue("X-Config-Version"))
        .as("served under the next version: long polls and targets take it")
        .hasValue("3");
    await().until(() -> receiver.delivered().contains(3L));
    assertThat(receiver.pushes.get(receiver.pushes.size() - 1).body()).contains("\"max\":10");
    Ack ack = awaitRecord(AckState.PINNED, first);
    assertThat(ack.version()).as("the pinned configuration version").isEqualTo(1);
    assertThat(ack.hash())
        .isEqualTo(json(send("GET", "/v1/history")).get("versions").get(1).get("hash").asText());

    // a new version arrives: validated and kept in the history, not served, not acknowledged
    long third = consul.server().put(KEY, "db:\n  password: hunter2\n  pool:\n    max: 40\n");
    awaitVersion(3);
    assertThat(send("GET", "/v1/config").body()).contains("\"max\":10");
    assertThat(json(send("GET", "/v1/history")).get("versions").get(0).get("version").asLong())
        .isEqualTo(3);
    JsonNode status = json(send("GET", "/v1/status"));
    assertThat(status.get("version").asLong()).as("the configuration's own").isEqualTo(3);
    assertThat(status.get("servedVersion").asLong()).isEqualTo(3);
    assertThat(status.get("servedConfigVersion").asLong()).isEqualTo(1);
    assertThat(status.get("pin").get("version").asLong()).isEqualTo(1);
    assertThat(status.get("pin").get("persistent").asBoolean()).isTrue();
    assertThat(status.get("fleet").get("state").asText()).isEqualTo("pinned");
    assertThat(send("GET", "/metrics").body())
        .contains("hotconf_pinned 1", "hotconf_pinned_version 1", "hotconf_served_version 3");
    assertThat(record().orElseThrow().state()).isEqualTo(AckState.PINNED);
    assertThat(status.toString()).doesNotContain("hunter2");

    runner.close(); // a restart keeps the pin: served at once, acknowledged as pinned
    assertThat(record()).as("a clean stop removes the record").isEmpty();
    assertThat(Files.exists(dir.resolve("state/app.json.pin"))).isTrue();
    startOnConsul();
    assertThat(send("GET", "/v1/config").body()).contains("\"max\":10");
    assertThat(json(send("GET", "/v1/pin")).get("pinned").asLong()).isEqualTo(1);
    awaitRecord(AckState.PINNED, first);

    HttpResponse<String> lifted = send("DELETE", "/v1/pin");
    assertThat(lifted.statusCode()).isEqualTo(200);
    assertThat(json(lifted).get("pinned").isNull()).isTrue();
    assertThat(send("GET", "/v1/config").body()).contains("\"max\":40");
    assertThat(Files.exists(dir.resolve("state/app.json.pin"))).isFalse();
    assertThat(send("GET", "/metrics").body()).contains("hotconf_pinned 0");
    awaitRecord(AckState.LIVE, third);
    await()
        .until(() -> receiver.pushes.get(receiver.pushes.size() - 1).body().contains("\"max\":40"));
  }

  @Test
  void badPinRequestsAreRefused() throws Exception {
    startOnFile(false);

    assertThat(send("POST", "/v1/pin?version=7").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/v1/pin?version=0").statusCode()).isEqualTo(404);
    HttpResponse<String> missing = send("POST", "/v1/pin");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).isEqualTo("{\"error\":\"version is required\"}\n");
    assertThat(send("POST", "/v1/pin?version=-1").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/v1/pin?version=1&version=1").statusCode()).isEqualTo(400);
    HttpResponse<String> put = send("PUT", "/v1/pin?version=1");
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, DELETE");
    HttpResponse<String> post = send("POST", "/v1/config");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("DELETE", "/v1/pin").statusCode()).as("nothing pinned: fine").isEqualTo(200);

    // a web page in a browser on this host: a form POST carries its Origin
    HttpResponse<String> fromPage =
        send("POST", "/v1/pin?version=1", "Origin", "https://attacker.example");
    assertThat(fromPage.statusCode()).isEqualTo(403);
    assertThat(fromPage.body())
        .isEqualTo(
            "{\"error\":\"changing what the sidecar serves needs the server token, or this"
                + " host\"}\n");
    assertThat(send("DELETE", "/v1/pin", "Origin", "null").statusCode()).isEqualTo(403);
    assertThat(
            send(
                    "POST",
                    "/v1/guard/allow",
                    "X-Hotconf-Guard",
                    "allow",
                    "Origin",
                    "https://attacker.example")
                .statusCode())
        .as("one rule for every request that changes what is served")
        .isEqualTo(403);
    assertThat(rawPost("/v1/pin?version=1", "rebound.attacker.example"))
        .as("Host is checked first, as for every path")
        .startsWith("HTTP/1.1 421 ");
    assertThat(json(send("GET", "/v1/pin")).get("pinned").isNull()).isTrue();
  }

  @Test
  void withATokenTheTokenDecidesAndWithoutOneOnlyThisHost() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/token"), "s3cr3t-server-token\n");
    startOnFile(true);

    assertThat(send("POST", "/v1/pin?version=1").statusCode()).isEqualTo(401);
    HttpResponse<String> withToken =
        send(
            "POST",
            "/v1/pin?version=1",
            "Authorization",
            "Bearer s3cr3t-server-token",
            "Origin",
            "https://ops.example");
    assertThat(withToken.statusCode()).as("the token decides").isEqualTo(200);
    assertThat(json(withToken).get("pinned").asLong()).isEqualTo(1);

    InetAddress local = InetAddress.getByName("127.0.0.1");
    InetAddress remote = InetAddress.getByName("10.1.2.3");
    assertThat(ConfigServer.mayChange(false, local, null)).isTrue();
    assertThat(ConfigServer.mayChange(false, InetAddress.getByName("::1"), null)).isTrue();
    assertThat(ConfigServer.mayChange(false, remote, null)).isFalse();
    assertThat(ConfigServer.mayChange(false, local, "http://127.0.0.1:8750")).isFalse();
    assertThat(ConfigServer.mayChange(false, null, null)).isFalse();
    assertThat(ConfigServer.mayChange(true, remote, "https://ops.example")).isTrue();
  }

  /** A POST with its own Host field (HttpClient does not let a caller set Host). */
  private String rawPost(String target, String host) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), runner.address().getPort())) {
      s.getOutputStream()
          .write(
              ("POST "
                      + target
                      + " HTTP/1.1\r\nHost: "
                      + host
                      + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
