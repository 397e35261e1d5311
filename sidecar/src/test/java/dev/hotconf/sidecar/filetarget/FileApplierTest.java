package dev.hotconf.sidecar.filetarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.Redactor;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.sidecar.filetarget.ApplyException.Stage;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import dev.hotconf.testing.process.JavaProgram;
import dev.hotconf.testing.process.StandInNginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File targets against real processes: StandInNginx as check, server (SIGHUP) and reload. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FileApplierTest {
  static final String TEMPLATE =
      "worker_processes {{ workers }};\n"
          + "events { }\n"
          + "http {\n"
          + "  server {\n"
          + "    listen {{ server.port }};\n"
          + "    server_name {{ server.name | escape(strategy=\"quoted\") }};\n"
          + "    # auth {{ db.password }}\n"
          + "  }\n"
          + "}\n";

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final CommandRunner runner = CommandRunner.fromSystemEnvironment();
  private MemorySource source;
  private HotConfig config;

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  static String yaml(int port, String name) {
    return "workers: 2\nserver: {port: "
        + port
        + ", name: '"
        + name
        + "'}\ndb: {password: hunter2-pw}\n";
  }

  private ConfigSnapshot version(String yaml) {
    if (config == null) {
      source = Sources.text("mem", ConfigFormat.YAML, yaml);
      config = HotConfig.builder().source(source).build();
      closeables.add(config);
      return config.snapshot();
    }
    long v = config.version();
    source.update(ConfigFormat.YAML, yaml);
    await().until(() -> config.version() > v);
    return config.snapshot();
  }

  private Path template() throws IOException {
    Path t = dir.resolve("nginx.conf.tmpl");
    Files.writeString(t, TEMPLATE);
    return t;
  }

  private List<String> standIn(String... args) {
    return JavaProgram.argv(StandInNginx.class, args);
  }

  /** Starts StandInNginx serving {@code conf}; returns its report file once its pid file exists. */
  private Path serve(Path conf, Path pid) throws IOException {
    Path report = dir.resolve("report.txt");
    Process p =
        new ProcessBuilder(
                standIn(
                    "-c",
                    conf.toString(),
                    "--pid-file",
                    pid.toString(),
                    "--report",
                    report.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.out").toFile())
            .start();
    processes.add(p);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pid) || !p.isAlive());
    assertThat(p.isAlive()).as("server started").isTrue();
    return report;
  }

  private static List<String> lines(Path report) throws IOException {
    return Files.exists(report) ? Files.readAllLines(report) : List.of();
  }

  private static String loaded(Path file) throws Exception {
    return StandInNginx.load(file).line();
  }

  private FileApplier applier(
      Path file,
      List<String> check,
      Reloader reload,
      Set<java.nio.file.attribute.PosixFilePermission> mode,
      Path backup)
      throws IOException {
    return new FileApplier(
        new FileApplier.Spec(
            file, FileFormat.JSON, template(), check, Duration.ofSeconds(60), mode, backup, reload),
        runner,
        Redactor.defaults());
  }

  private static Reloader hup(Path pid) {
    return Reloader.signal("HUP", pid, Reloader.findKill(System.getenv("PATH")).orElseThrow());
  }

  @Test
  void rendersChecksSwapsAndSignalsARealProcessThatReportsWhatItLoaded() throws Exception {
    Path conf = dir.resolve("nginx.conf");
    Path pid = dir.resolve("nginx.pid");
    FileApplier a =
        applier(conf, standIn("-t", "-c", "{file}"), hup(pid), FileApplier.OWNER_ONLY, null);
    FileApplier.Applied first = a.apply(version(yaml(8080, "example.org")));
    assertThat(first.written()).isTrue();
    assertThat(first.note())
        .isEqualTo(
            "not reloaded: no pid file " + pid + " (the process reads the file when it starts)");
    assertThat(first.checkTime()).isPositive();
    Path report = serve(conf, pid);
    await().until(() -> lines(report).size() == 1);
    assertThat(lines(report).get(0)).isEqualTo(loaded(conf)).endsWith("listen=8080");
    assertThat(Files.readString(conf)).contains("server_name \"example.org\";");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
        .isEqualTo("rw-------");

    // a new version: rendered, checked, swapped, and the process reloads on SIGHUP
    FileApplier.Applied second = a.apply(version(yaml(8081, "example.org")));
    assertThat(second.written()).isTrue();
    assertThat(second.note()).isNull();
    await().until(() -> lines(report).size() == 2);
    assertThat(lines(report).get(1)).isEqualTo(loaded(conf)).endsWith("listen=8081");

    // the same output again: nothing written, nobody signalled
    assertThat(a.apply(version(yaml(8081, "example.org") + "unused: 1\n")).written()).isFalse();
    assertThat(lines(report)).hasSize(2);
  }

  @Test
  void theCheckCommandRejectsARenderedFileAndTheTargetKeepsItsLastGoodFile() throws Exception {
    Path conf = dir.resolve("nginx.conf");
    Path pid = dir.resolve("nginx.pid");
    FileApplier a =
        applier(conf, standIn("-t", "-c", "{file}"), hup(pid), FileApplier.OWNER_ONLY, null);
    a.apply(version(yaml(8080, "example.org")));
    Path report = serve(conf, pid);
    await().until(() -> lines(report).size() == 1);
    byte[] good = Files.readAllBytes(conf);

    ConfigSnapshot bad = version(yaml(99999, "example.org"));
    assertThatThrownBy(() -> a.apply(bad))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.stage()).isEqualTo(Stage.CHECK);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .startsWith("check ")
                  .contains(
                      "refused the rendered file: exit 1: nginx: [emerg] invalid port in \"99999\"");
              assertThat(e.output()).contains("of the \"listen\" directive in " + dir);
            });
    assertThat(Files.readAllBytes(conf)).isEqualTo(good);
    // no temporary file is left behind, and the process was not signalled
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(lines(report)).hasSize(1);
  }

  @Test
  void aFailingReloadRestoresThePreviousFileAndReloadsAgain() throws Exception {
    Path conf = dir.resolve("nginx.conf");
    Path pid = dir.resolve("nginx.pid");
    // no check: the reload command (like systemctl reload nginx) is what refuses the file
    Reloader reload =
        Reloader.command(
            standIn("-s", "reload", "-c", "{file}", "--pid-file", pid.toString()),
            Duration.ofSeconds(60));
    // the first version is in place before the server starts (as deployed)
    applier(conf, List.of(), null, FileApplier.OWNER_ONLY, null)
        .apply(version(yaml(8080, "example.org")));
    Path report = serve(conf, pid);
    FileApplier a = applier(conf, List.of(), reload, FileApplier.OWNER_ONLY, null);
    await().until(() -> lines(report).size() == 1);
    byte[] good = Files.readAllBytes(conf);
    String goodLine = loaded(conf);

    ConfigSnapshot bad = version(yaml(0, "example.org"));
    assertThatThrownBy(() -> a.apply(bad))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.stage()).isEqualTo(Stage.RELOAD);
              assertThat(e.getMessage())
                  .contains("failed: ")
                  .contains("exit 1: nginx: [emerg] invalid port in \"0\"")
                  .endsWith("; the previous file was restored and reloaded");
            });
    assertThat(Files.readAllBytes(conf)).isEqualTo(good);
    // the second reload signalled the server, which loaded the previous file again
    await().until(() -> lines(report).size() == 2);
    assertThat(lines(report).get(1)).isEqualTo(goodLine);
  }

  @Test
  void aSignalForAProcessThatIsNotRunningLeavesTheNewFileForItsStart() throws Exception {
    Path conf = dir.resolve("app.conf");
    Path pid = dir.resolve("gone.pid");
    applier(conf, List.of(), null, FileApplier.OWNER_ONLY, null).apply(version(yaml(8080, "a")));
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Files.writeString(pid, p.pid() + "\n");
    FileApplier a = applier(conf, List.of(), hup(pid), FileApplier.OWNER_ONLY, null);
    assertThat(a.apply(version(yaml(8081, "a"))).note())
        .isEqualTo(
            "not reloaded: no process "
                + p.pid()
                + " (from "
                + pid
                + ") (the process reads the file when it starts)");
    assertThat(Files.readString(conf)).contains("listen 8081;");
    // a pid file that would signal init or a process group is a failure: the file is restored
    Files.writeString(pid, "1\n");
    String before = Files.readString(conf);
    assertThatThrownBy(() -> a.apply(version(yaml(8082, "a"))))
        .hasMessageContaining("does not hold a process id above 1")
        .hasMessageContaining("the previous file was restored but reloading it failed too");
    assertThat(Files.readString(conf)).isEqualTo(before);
  }

  @Test
  void aTemplateErrorLeavesTheFileUntouched() throws Exception {
    Path conf = dir.resolve("nginx.conf");
    FileApplier a = applier(conf, List.of(), null, FileApplier.OWNER_ONLY, null);
    a.apply(version(yaml(8080, "example.org")));
    byte[] good = Files.readAllBytes(conf);
    var modified = Files.getLastModifiedTime(conf);
    ConfigSnapshot noPort = version("workers: 2\nserver: {name: x}\ndb: {password: pw-42}\n");
    assertThatThrownBy(() -> a.apply(noPort))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.stage()).isEqualTo(Stage.RENDER);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo(
                      dir.resolve("nginx.conf.tmpl")
                          + ":5:22: no key or item 'port' there (or not accessible)");
            });
    assertThat(Files.readAllBytes(conf)).isEqualTo(good);
    assertThat(Files.getLastModifiedTime(conf)).isEqualTo(modified);
    // an edited template is re-read on the next apply
    Files.writeString(dir.resolve("nginx.conf.tmpl"), "listen {{ server.name }};\n");
    assertThat(a.apply(noPort).written()).isTrue();
    assertThat(Files.readString(conf)).isEqualTo("listen x;\n");
  }

  @Test
  void modeAndBackupAreApplied() throws Exception {
    Path conf = dir.resolve("out/app.conf");
    Path backup = dir.resolve("backups/app.conf.bak");
    FileApplier a =
        applier(conf, List.of(), null, PosixFilePermissions.fromString("rw-r-----"), backup);
    a.apply(version(yaml(8080, "one")));
    assertThat(backup).doesNotExist();
    String v1 = Files.readString(conf);
    a.apply(version(yaml(8081, "two")));
    assertThat(Files.readString(backup)).isEqualTo(v1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
        .isEqualTo("rw-r-----");
    assertThat(Files.readString(conf)).contains("listen 8081;");
  }

  /** Opening a FIFO blocks until a writer comes: the template and the pid file must not hang. */
  @Test
  void aFifoAsTemplateOrPidFileIsAFailureNotAHang() throws Exception {
    Path conf = dir.resolve("nginx.conf");
    Path pid = dir.resolve("nginx.pid");
    FileApplier a = applier(conf, List.of(), hup(pid), FileApplier.OWNER_ONLY, null);
    assertThat(a.apply(version(yaml(8080, "a"))).written()).isTrue();
    String good = Files.readString(conf);
    mkfifo(pid);
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> a.apply(version(yaml(8081, "a"))))
                .hasMessageContaining("pid file " + pid + " is not a regular file")
                .hasMessageContaining("the previous file was restored"));
    assertThat(Files.readString(conf)).isEqualTo(good);
    Files.delete(dir.resolve("nginx.conf.tmpl"));
    mkfifo(dir.resolve("nginx.conf.tmpl"));
    assertThat(a.templateChanged()).isTrue();
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> a.apply(version(yaml(8082, "a"))))
                .isInstanceOfSatisfying(
                    ApplyException.class, e -> assertThat(e.stage()).isEqualTo(Stage.RENDER))
                .hasMessage(dir.resolve("nginx.conf.tmpl") + ": is not a regular file"));
    assertThat(a.templateChanged()).isFalse();
    assertThat(Files.readString(conf)).isEqualTo(good);
  }

  private static void mkfifo(Path path) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    } catch (IOException e) {
      assumeTrue(false, "no mkfifo here");
      return;
    }
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void noShellAnywhereValuesAndPathsAreInert() throws Exception {
    String hostile = "$(touch PWNED); `touch PWNED`; touch PWNED";
    Path weird = dir.resolve("conf $(touch PWNED); x`touch PWNED`");
    Files.createDirectories(weird);
    Path conf = weird.resolve("nginx;touch PWNED.conf");
    FileApplier a =
        applier(conf, standIn("-t", "-c", "{file}"), null, FileApplier.OWNER_ONLY, null);
    assertThat(a.apply(version(yaml(8080, hostile.replace("'", "''")))).written()).isTrue();
    assertThat(Files.readString(conf)).contains("server_name \"" + hostile + "\";");
    // the check got the path as one argument and parsed the value as one quoted word
    try (var walk = Files.walk(dir)) {
      assertThat(walk.map(p -> p.getFileName().toString())).doesNotContain("PWNED");
    }
    try (var walk = Files.walk(Path.of(System.getProperty("user.dir")))) {
      assertThat(walk.map(p -> p.getFileName().toString())).doesNotContain("PWNED");
    }
  }

  @Test
  void checkOutputIsBoundedAndHasNoSecretsAndTimeoutsAreRetryable() throws Exception {
    Path conf = dir.resolve("app.json");
    // cat prints the rendered file (with the secret), then fails on the missing one
    FileApplier a =
        new FileApplier(
            new FileApplier.Spec(
                conf,
                FileFormat.JSON,
                null,
                List.of("cat", "{file}", "{file}", "/nonexistent/x"),
                Duration.ofSeconds(60),
                FileApplier.OWNER_ONLY,
                null,
                null),
            runner,
            Redactor.defaults());
    StringBuilder big = new StringBuilder("db: {password: hunter2-pw}\nbig:\n");
    for (int i = 0; i < 400; i++) {
      big.append("  k").append(i).append(": value-").append(i).append('\n');
    }
    ConfigSnapshot v = version(big.toString());
    assertThatThrownBy(() -> a.apply(v))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.stage()).isEqualTo(Stage.CHECK);
              assertThat(e.getMessage()).doesNotContain("hunter2").contains("<redacted>");
              assertThat(e.output())
                  .doesNotContain("hunter2")
                  .contains("\"password\":\"<redacted>\"")
                  .endsWith("(output truncated)");
              assertThat(e.output().length()).isLessThan(CommandRunner.MAX_OUTPUT_BYTES + 100);
            });
    assertThat(conf).doesNotExist();

    FileApplier slow =
        new FileApplier(
            new FileApplier.Spec(
                conf,
                FileFormat.JSON,
                null,
                List.of("sleep", "600"),
                Duration.ofSeconds(1),
                FileApplier.OWNER_ONLY,
                null,
                null),
            runner,
            Redactor.defaults());
    assertThatThrownBy(() -> slow.apply(v))
        .isInstanceOfSatisfying(
            ApplyException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("timed out after");
            });
    assertThat(conf).doesNotExist();
  }

  @Test
  void commandsGetOnlyTheDocumentedEnvironment() throws Exception {
    CommandRunner r =
        new CommandRunner(
            Map.of(
                "PATH", System.getenv("PATH"),
                "LANG", "C.UTF-8",
                "CONSUL_HTTP_TOKEN", "secret-token",
                "AWS_SECRET_ACCESS_KEY", "x"));
    CommandRunner.Result result =
        r.run(List.of("env"), dir, Duration.ofSeconds(60), Map.of("HOTCONF_FILE", "/x"));
    assertThat(result.ok()).isTrue();
    assertThat(result.output().lines().map(l -> l.substring(0, l.indexOf('='))).sorted())
        .containsExactly("HOTCONF_FILE", "LANG", "PATH");
  }
}
