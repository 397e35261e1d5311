package dev.hotconf.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security review's expansion attacks against the real jar (issue 14, finding 2): a 1 MiB YAML
 * file of aliases to one 100 kB string (106 MB once expanded, which ran the sidecar out of memory)
 * and a 262,000-digit integer (12 s of CPU per publication). Both are now ordinary parse failures
 * with line:col: {@code validate} rejects them, and a running sidecar (with a 96 MiB heap) keeps
 * serving its last good version, says why in {@code /v1/status}, and publishes the next valid one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AliasBombIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;
  private Process sidecar;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.destroyForcibly();
    }
  }

  /** One 100,000-character anchor and as many aliases to it as fit in 1 MiB, one per line. */
  static String aliasBomb() {
    StringBuilder sb = new StringBuilder("s: &s \"").append("x".repeat(100_000)).append("\"\nl:\n");
    while (sb.length() < 1024 * 1024 - 10) {
      sb.append("  - *s\n");
    }
    return sb.toString();
  }

  static String hugeInteger() {
    return "a: 1\nhuge: " + "9".repeat(262_000) + "\n";
  }

  @Test
  void validateRejectsBothWithLineAndColumn() throws Exception {
    Files.writeString(dir.resolve("bomb.yaml"), aliasBomb());
    Files.writeString(dir.resolve("huge.yaml"), hugeInteger());

    Process p =
        new ProcessBuilder(
                JAVA,
                "-jar",
                "target/hotconf.jar",
                "validate",
                dir.resolve("bomb.yaml").toString(),
                dir.resolve("huge.yaml").toString())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(out)
        .isEqualTo(
            dir.resolve("bomb.yaml")
                + ":169:5: error: document expands to more than 16777216 bytes of keys and"
                + " values (maxExpandedBytes)\n"
                + dir.resolve("huge.yaml")
                + ":2:7: error: number has more than 1000 digits (maxNumberDigits); quote it to"
                + " keep it as a string\n"
                + "2 files, 2 invalid, 2 problems\n");
    assertThat(p.exitValue()).isEqualTo(1);
  }

  @Test
  void theSidecarKeepsItsLastGoodVersionAndSaysWhy() throws Exception {
    Path app = dir.resolve("app.yaml");
    Files.writeString(app, "v: 1\n");
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        String.join(
            "\n",
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "    debounce: 20ms",
            "server:",
            "  listen: 127.0.0.1:0",
            "targets:",
            "  - file: out/app.json",
            "last-known-good: state/app.json",
            ""));
    sidecar =
        new ProcessBuilder(
                JAVA,
                "-Xmx96m",
                "-jar",
                "target/hotconf.jar",
                "run",
                "-c",
                dir.resolve("sidecar.yaml").toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    String base = awaitServing(lines);

    for (String attack : List.of(aliasBomb(), hugeInteger())) {
      long failures = status(base).path("counters").path("sourceFailures").asLong();
      replace(app, attack);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> status(base).path("counters").path("sourceFailures").asLong() > failures);
      JsonNode status = status(base);
      assertThat(status.path("version").asLong()).isEqualTo(1);
      assertThat(status.path("sources").get(0).path("state").asText()).isEqualTo("failing");
      assertThat(get(base, "/v1/config").body()).isEqualTo("{\"v\":1}");
      assertThat(Files.readString(dir.resolve("out/app.json"))).isEqualTo("{\"v\":1}");
      assertThat(Files.size(dir.resolve("state/app.json"))).isLessThan(100);
    }
    String lastError = status(base).path("sources").get(0).path("lastError").asText();
    assertThat(lastError).contains("app.yaml:2:7: number has more than 1000 digits");

    // the sidecar is healthy: the next valid version goes live
    replace(app, "v: 2\n");
    await().until(() -> get(base, "/v1/config").body().equals("{\"v\":2}"));
    assertThat(sidecar.isAlive()).isTrue();
    sidecar.destroy();
    assertThat(sidecar.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(sidecar.exitValue()).isZero();
    String log = String.join("\n", lines);
    assertThat(log)
        .contains("document expands to more than 16777216 bytes of keys and values")
        .doesNotContain("OutOfMemoryError");
  }

  /** Reads the sidecar's output on a daemon thread; returns its base URL once it serves. */
  private String awaitServing(List<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(sidecar.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "sidecar-output");
    reader.setDaemon(true);
    reader.start();
    Pattern serving = Pattern.compile("serving version 1 on (http://127\\.0\\.0\\.1:\\d+)");
    String[] base = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              synchronized (lines) {
                for (String line : lines) {
                  Matcher m = serving.matcher(line);
                  if (m.find()) {
                    base[0] = m.group(1);
                    return true;
                  }
                }
              }
              assertThat(sidecar.isAlive()).as("the sidecar exited: %s", lines).isTrue();
              return false;
            });
    return base[0];
  }

  private HttpResponse<String> get(String base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode status(String base) throws Exception {
    return JSON.readTree(get(base, "/v1/status").body());
  }

  private static void replace(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
