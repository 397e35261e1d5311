package dev.hotconf.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the real shaded jar ({@code integration-test} phase, after {@code package}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JarIT {
  private static final String CORPUS = "src/test/resources/corpus";

  record Run(int code, String out, String err) {}

  private static Run java(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/hotconf.jar"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void validateThroughTheJar() throws Exception {
    Run r =
        java(
            "validate",
            "--schema",
            CORPUS + "/schema/app.schema.yaml",
            CORPUS + "/schema/bad/maximum.yaml",
            CORPUS + "/schema/valid/full.yaml");
    assertThat(r.out())
        .isEqualTo(
            CORPUS
                + "/schema/bad/maximum.yaml:2:9: error: server.port: 70000 is above the"
                + " maximum 65535\n2 files, 1 invalid, 1 problem\n");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void exitCodesAndNoStackTraces() throws Exception {
    assertThat(java("validate", CORPUS + "/valid").code()).isZero();
    Run missing = java("validate", "--schema", "nope.json", CORPUS + "/valid");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("nope.json: cannot read: no such file\n");
    assertThat(java("version").out()).startsWith("hotconf 0.1.0");
  }

  @Test
  void runServesUntilSigtermAndThenExitsZero(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("app.yaml"), "db:\n  pool:\n    max: 7\n");
    java.nio.file.Files.writeString(
        dir.resolve("sidecar.yaml"),
        "sources:\n  - type: file\n    path: app.yaml\nserver:\n  listen: 127.0.0.1:0\ntargets:\n  - file: out/app.json\n");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/hotconf.jar",
                "run",
                "--config",
                dir.resolve("sidecar.yaml").toString())
            .redirectErrorStream(true)
            .start();
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertThat(first).startsWith("hotconf: serving version 1 on http://127.0.0.1:");
      org.awaitility.Awaitility.await()
          .until(() -> java.nio.file.Files.exists(dir.resolve("out/app.json")));
      assertThat(java.nio.file.Files.readString(dir.resolve("out/app.json")))
          .isEqualTo("{\"db\":{\"pool\":{\"max\":7}}}");
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }
}
