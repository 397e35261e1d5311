package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.testing.process.JavaProgram;
import dev.hotconf.testing.process.StandInNginx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's end-to-end example, examples/nginx, as written (only the class path of the stand-in
 * is made absolute and the port 0): the sidecar renders nginx.conf from the template, StandInNginx
 * checks it and reloads on SIGHUP, a bad edit is refused by the check.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NginxExampleTest {
  @TempDir Path dir;
  private SidecarProcess runner;
  private Process nginx;

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.close();
    }
    if (nginx != null) {
      nginx.destroy();
      if (!nginx.waitFor(20, TimeUnit.SECONDS)) {
        nginx.destroyForcibly();
      }
    }
  }

  private static void replaceIn(Path file, String from, String to) throws Exception {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text.replace(from, to));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static List<String> lines(Path report) throws Exception {
    return Files.exists(report) ? Files.readAllLines(report) : List.of();
  }

  @Test
  void theReadmeExampleRendersChecksSwapsAndReloads() throws Exception {
    Path example = Path.of("..", "examples", "nginx").toAbsolutePath().normalize();
    for (String f : List.of("sidecar.yaml", "nginx.conf.tmpl", "config/site.yaml")) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.copy(example.resolve(f), dir.resolve(f));
    }
    Path yaml = dir.resolve("sidecar.yaml");
    replaceIn(yaml, "../../../config-testing/target/classes", JavaProgram.classPath());
    replaceIn(yaml, "127.0.0.1:8751", "127.0.0.1:0");
    runner =
        SidecarProcess.load(
            yaml, false, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    runner.start();
    Path conf = dir.resolve("out/nginx.conf");
    await().atMost(Duration.ofSeconds(90)).until(() -> runner.publisher().allDelivered());
    assertThat(Files.readString(conf))
        .contains("listen 8080;")
        .contains("server_name \"shop.example.org\";")
        .contains("server 10.0.0.12:9000;");
    assertThat(StandInNginx.load(conf).listen()).containsExactly("8080");

    // "nginx" starts on the rendered file
    Path report = dir.resolve("out/report.txt");
    nginx =
        new ProcessBuilder(
                JavaProgram.argv(
                    StandInNginx.class,
                    "-c",
                    conf.toString(),
                    "--pid-file",
                    dir.resolve("out/nginx.pid").toString(),
                    "--report",
                    report.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> lines(report).size() == 1);

    // an edit: rendered, checked, swapped, and nginx reloads on SIGHUP
    Path site = dir.resolve("config/site.yaml");
    replaceIn(site, "listen: 8080", "listen: 8081");
    await().atMost(Duration.ofSeconds(90)).until(() -> lines(report).size() == 2);
    assertThat(lines(report).get(1)).isEqualTo(StandInNginx.load(conf).line()).endsWith("8081");
    assertThat(Files.readString(dir.resolve("out/nginx.conf.previous"))).contains("listen 8080;");

    // a bad edit: the check refuses the rendered file, nginx keeps its config, status says why
    replaceIn(site, "listen: 8081", "listen: 99999");
    HttpClient http = HttpClient.newHttpClient();
    URI status = URI.create("http://127.0.0.1:" + runner.address().getPort() + "/v1/status");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(status).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("\"stage\" : \"check\""));
    String body =
        http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(body).contains("nginx: [emerg] invalid port in \\\"99999\\\" of the \\\"listen\\\"");
    assertThat(Files.readString(conf)).contains("listen 8081;");
    assertThat(lines(report)).hasSize(2);
  }
}
