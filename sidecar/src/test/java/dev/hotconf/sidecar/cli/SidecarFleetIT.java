package dev.hotconf.sidecar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.testing.consul.ConsulTestServer;
import dev.hotconf.testing.consul.ConsulTestServerExtension;
import dev.hotconf.testing.time.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sidecar processes ({@code target/hotconf.jar}) with a {@code fleet:} section against
 * ConsulTestServer: each acknowledges what it runs; SIGTERM removes its record at once; SIGKILL
 * leaves it until the session's TTL has passed (on a clock the test moves).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SidecarFleetIT {
  private static final String KEY = "config/orders/app.yaml";
  private static final Pattern SERVING = Pattern.compile("serving version \\d+ on (http://\\S+)");

  private final MutableClock sessions = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

  @RegisterExtension
  final ConsulTestServerExtension consul =
      new ConsulTestServerExtension(ConsulTestServer.builder().sessionClock(sessions));

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  /** Starts a sidecar and returns its process and HTTP base URL. */
  private record Sidecar(Process process, String url) {}

  private Sidecar start(ConsulTestServer server, String instance) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(instance));
    Path config = folder.resolve("sidecar.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "sources:",
            "  - type: consul",
            "    address: " + server.url(),
            "    key: " + KEY,
            "    wait: 30s",
            "    rate-limit-burst: 10",
            "    rate-limit-refill: 100ms",
            "server:",
            "  listen: 127.0.0.1:0",
            "fleet:",
            "  app: orders",
            "  instance: " + instance,
            "  ttl: 10s",
            "  renew-interval: 200ms",
            ""));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/hotconf.jar",
                "run",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    processes.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher m = SERVING.matcher(line == null ? "" : line);
    assertThat(m.find()).as("first line: " + line).isTrue();
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe from filling up
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            });
    drain.setDaemon(true);
    drain.start();
    return new Sidecar(p, m.group(1));
  }

  private Optional<Ack> record(ConsulTestServer server, String instance) {
    return server.get("hotconf/acks/orders/" + instance).map(e -> Ack.parse(e.value()));
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void sidecarsAcknowledgeAndTheirRecordsGoWhenTheyStopOrDie() throws Exception {
    ConsulTestServer server = consul.server();
    long first = server.put(KEY, "db:\n  pool:\n    max: 10\n");
    Sidecar s1 = start(server, "s-1");
    Sidecar s2 = start(server, "s-2");

    for (String id : List.of("s-1", "s-2")) {
      Ack a = await().until(() -> record(server, id).orElse(null), r -> r != null);
      assertThat(a.state()).isEqualTo(AckState.LIVE);
      assertThat(a.index()).isEqualTo(first);
      assertThat(a.key()).isEqualTo(KEY);
      assertThat(a.agent()).isEqualTo("hotconf-sidecar");
    }

    long second = server.put(KEY, "db:\n  pool:\n    max: 20\n");
    for (String id : List.of("s-1", "s-2")) {
      await().until(() -> record(server, id).map(Ack::index).orElse(0L) == second);
    }
    await().until(() -> get(s1.url() + "/v1/status").contains("\"inSync\" : true"));
    assertThat(get(s1.url() + "/v1/status"))
        .contains("\"record\" : \"hotconf/acks/orders/s-1\"", "\"index\" : " + second);
    assertThat(get(s1.url() + "/metrics")).contains("hotconf_fleet_ack_in_sync 1");

    // an operator pins s-2 to version 1: its record says so
    HttpResponse<String> pin =
        http.send(
            HttpRequest.newBuilder(URI.create(s2.url() + "/v1/pin?version=1"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(pin.statusCode()).as(pin.body()).isEqualTo(200);
    Ack pinned =
        await()
            .until(
                () -> record(server, "s-2").orElse(null),
                r -> r != null && r.state().equals(AckState.PINNED));
    assertThat(pinned.version()).isEqualTo(1);
    assertThat(pinned.index()).isEqualTo(first);

    s1.process().destroy(); // SIGTERM: a clean stop removes the record at once
    assertThat(s1.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(s1.process().exitValue()).isZero();
    assertThat(record(server, "s-1")).isEmpty();

    s2.process().destroyForcibly(); // SIGKILL: nothing is told to Consul
    assertThat(s2.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    sessions.advance(Duration.ofSeconds(10));
    assertThat(server.expireSessions()).as("the TTL is a lower bound").isZero();
    assertThat(record(server, "s-2")).isPresent();
    sessions.advance(Duration.ofSeconds(10));
    assertThat(server.expireSessions()).isEqualTo(1);
    assertThat(record(server, "s-2")).isEmpty();
  }
}
