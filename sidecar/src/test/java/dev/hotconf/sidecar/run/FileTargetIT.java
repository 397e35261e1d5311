package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar with file targets where something hostile sits at the target path (issue 14, finding
 * 6): a FIFO (reading it would block the push thread forever) and a symbolic link to {@code
 * /dev/zero} (reading it ran out of memory, in a tight loop). Both are replaced by the
 * configuration, and the sidecar reports them delivered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileTargetIT {
  @TempDir Path dir;

  @Test
  void aFifoAndALinkToDevZeroAtTheTargetsAreReplacedNotRead() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    Files.writeString(dir.resolve("app.yaml"), "db:\n  pool:\n    max: 7\n");
    Files.createDirectories(dir.resolve("out"));
    Path fifo = dir.resolve("out/fifo.json");
    Path zero = dir.resolve("out/zero.json");
    FilePushTargetTest.mkfifo(fifo);
    Files.createSymbolicLink(zero, Path.of("/dev/zero"));
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        String.join(
            "\n",
            "sources:",
            "  - type: file",
            "    path: app.yaml",
            "server:",
            "  listen: 127.0.0.1:0",
            "targets:",
            "  - file: out/fifo.json",
            "  - file: out/zero.json",
            ""));
    try (RunningJar sidecar = RunningJar.start(dir.resolve("sidecar.yaml"), "-Xmx64m")) {
      String json = "{\"db\":{\"pool\":{\"max\":7}}}";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)
                      && Files.isRegularFile(zero, LinkOption.NOFOLLOW_LINKS));
      assertThat(Files.readString(fifo)).isEqualTo(json);
      assertThat(Files.readString(zero)).isEqualTo(json);
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + sidecar.port() + "/v1/status"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(status.body())
          .contains("\"deliveredVersion\" : 1")
          .doesNotContain("\"deliveredVersion\" : 0")
          .doesNotContain("OutOfMemoryError");
      assertThat(sidecar.output()).doesNotContain("OutOfMemoryError");
      assertThat(sidecar.terminate(Duration.ofSeconds(20))).isZero();
    }
  }
}
