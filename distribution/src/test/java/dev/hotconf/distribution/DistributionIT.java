package dev.hotconf.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archives as a user gets them: unpacked (with {@code tar}) into a folder whose path has a
 * space, then run through {@code bin/hotconf} as child processes — {@code version}, {@code
 * validate}, a short {@code run} stopped by SIGTERM — with exit codes and output checked. The
 * self-contained linux-x64 image runs with {@code PATH} and {@code JAVA_HOME} empty; the plain
 * distribution with {@code JAVA_HOME} set to this test's JDK.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Path TARGET = Path.of(System.getProperty("hotconf.dist.dir", "target"));
  private static final String VERSION = System.getProperty("hotconf.version", "0.1.0-SNAPSHOT");

  @TempDir static Path temp;
  Path unpacked;
  Path plain;
  Path image;

  @BeforeAll
  void unpack() throws Exception {
    unpacked = Files.createDirectories(temp.resolve("unpacked here"));
    untar(TARGET.resolve("hotconf-" + VERSION + ".tar.gz"), unpacked);
    untar(TARGET.resolve("hotconf-" + VERSION + "-linux-x64.tar.gz"), unpacked);
    plain = unpacked.resolve("hotconf-" + VERSION);
    image = unpacked.resolve("hotconf-" + VERSION + "-linux-x64");
  }

  private static void untar(Path archive, Path into) throws Exception {
    Result r =
        exec(List.of("tar", "-xzf", archive.toString(), "-C", into.toString()), Map.of(), into);
    assertThat(r.exit()).as(r.err()).isZero();
  }

  // ---- running the launcher ----

  record Result(int exit, String out, String err) {}

  static Result exec(List<String> command, Map<String, String> env, Path dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile("hotconf-it", ".out");
    Path err = Files.createTempFile("hotconf-it", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The environment of the plain distribution: this JDK as JAVA_HOME, hotconf's options unset. */
  static Map<String, String> withJavaHome() {
    return Map.of(
        "JAVA_HOME", System.getProperty("java.home"),
        "JAVA_OPTS", "",
        "HOTCONF_OPTS", "");
  }

  /** The self-contained image must need nothing from the machine: no PATH, no JAVA_HOME. */
  static Map<String, String> nothing() {
    return Map.of("PATH", "", "JAVA_HOME", "", "JAVA_OPTS", "", "HOTCONF_OPTS", "");
  }

  static List<String> hotconf(Path home, String... args) {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/hotconf").toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Version, validate and a short run of one unpacked distribution. */
  abstract class Commands {
    abstract Path home();

    abstract Map<String, String> env();

    @Test
    void version() throws Exception {
      Result r = exec(hotconf(home(), "version"), env(), temp);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).startsWith("hotconf " + VERSION + "\n").contains("Java 17");
      assertThat(r.err()).isEmpty();
    }

    @Test
    void validatePassesArgumentsWithSpacesAndReportsProblemsWithExitCodes() throws Exception {
      Path dir = Files.createDirectories(temp.resolve("files " + getClass().getSimpleName()));
      Files.writeString(dir.resolve("my app.yaml"), "db:\n  pool:\n    max: 20\n");
      Files.writeString(dir.resolve("bad.yaml"), "db:\n  pool:\n    max: 9000\n");
      Files.writeString(
          dir.resolve("schema.json"),
          "{\"type\": \"object\", \"properties\": {\"db\": {\"type\": \"object\", \"properties\":"
              + " {\"pool\": {\"type\": \"object\", \"properties\": {\"max\": {\"type\":"
              + " \"integer\", \"maximum\": 500}}}}}}}");

      Result ok =
          exec(hotconf(home(), "validate", "--schema", "schema.json", "my app.yaml"), env(), dir);
      assertThat(ok.exit()).as(ok.err()).isZero();
      assertThat(ok.out()).isEqualTo("1 file, 0 invalid, 0 problems\n");

      Result bad =
          exec(hotconf(home(), "validate", "--schema", "schema.json", "bad.yaml"), env(), dir);
      assertThat(bad.exit()).isEqualTo(1);
      assertThat(bad.out()).contains("bad.yaml:3:10: error: db.pool.max").contains("1 invalid");

      Result get = exec(hotconf(home(), "get", "my app.yaml", "db.pool.max"), env(), dir);
      assertThat(get.exit()).as(get.err()).isZero();
      assertThat(get.out()).isEqualTo("20\n");

      Result usage = exec(hotconf(home(), "validate", "--no-such-option", "bad.yaml"), env(), dir);
      assertThat(usage.exit()).isEqualTo(2);
      assertThat(usage.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void runServesPublishesAndStopsWithExitZeroOnSigterm() throws Exception {
      Path dir = Files.createDirectories(temp.resolve("run " + getClass().getSimpleName()));
      Files.createDirectories(dir.resolve("config"));
      Files.writeString(dir.resolve("config/app.yaml"), "n: 1\n");
      int port = freePort();
      Files.writeString(
          dir.resolve("sidecar.yaml"),
          "sources:\n  - type: file\n    path: config/app.yaml\nserver:\n  listen: 127.0.0.1:"
              + port
              + "\ntargets:\n  - file: out/app.json\n");
      ProcessBuilder pb =
          new ProcessBuilder(hotconf(home(), "run", "--config", "sidecar.yaml"))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("run.log").toFile());
      pb.environment().putAll(env());
      pb.environment().put("HOTCONF_OPTS", "-Xmx100m");
      Process p = pb.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        await().atMost(COMMAND_TIMEOUT).until(() -> status(http, base + "/readyz") == 200);

        // the launcher replaced itself with the JVM (same process), with the options for run
        List<String> cmdline =
            List.of(
                Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).split("\0"));
        assertThat(cmdline.get(0)).endsWith("/bin/java");
        assertThat(cmdline).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx100m");
        assertThat(cmdline).doesNotContain("-Xmx64m"); // HOTCONF_OPTS replaces the default

        assertThat(body(http, base + "/v1/config")).isEqualTo("{\"n\":1}");
        Path tmp = dir.resolve("config/.app.yaml.tmp");
        Files.writeString(tmp, "n: 2\n");
        Files.move(
            tmp,
            dir.resolve("config/app.yaml"),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        await()
            .atMost(COMMAND_TIMEOUT)
            .until(
                () ->
                    Files.exists(dir.resolve("out/app.json"))
                        && Files.readString(dir.resolve("out/app.json")).contains("\"n\":2"));

        p.destroy(); // SIGTERM, to the JVM itself
        assertThat(p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("run.log"))).isZero();
      } finally {
        p.destroyForcibly();
      }
    }

    @Test
    void runPushesOverTlsWithAnEllipticCurveCertificate() throws Exception {
      Path dir = Files.createDirectories(temp.resolve("tls-" + getClass().getSimpleName()));
      Path keystore = dir.resolve("receiver.p12");
      Result keytool =
          exec(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-alias",
                  "receiver",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "san=ip:127.0.0.1",
                  "-validity",
                  "2",
                  "-keystore",
                  keystore.toString(),
                  "-storetype",
                  "PKCS12",
                  "-storepass",
                  "changeit"),
              Map.of(),
              dir);
      assertThat(keytool.exit()).as(keytool.err()).isZero();
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        ks.load(in, "changeit".toCharArray());
      }
      javax.net.ssl.KeyManagerFactory kmf =
          javax.net.ssl.KeyManagerFactory.getInstance(
              javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, "changeit".toCharArray());
      javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
      tls.init(kmf.getKeyManagers(), null, null);
      com.sun.net.httpserver.HttpsServer receiver =
          com.sun.net.httpserver.HttpsServer.create(
              new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      receiver.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
      receiver.createContext(
          "/config",
          ex -> {
            try (ex) {
              bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
              ex.sendResponseHeaders(204, -1);
            }
          });
      receiver.start();
      Files.createDirectories(dir.resolve("config"));
      Files.writeString(dir.resolve("config/app.yaml"), "n: 1\n");
      Files.writeString(
          dir.resolve("sidecar.yaml"),
          "sources:\n  - type: file\n    path: config/app.yaml\nserver:\n  listen: 127.0.0.1:"
              + freePort()
              + "\ntargets:\n  - url: https://127.0.0.1:"
              + receiver.getAddress().getPort()
              + "/config\n");
      ProcessBuilder pb =
          new ProcessBuilder(hotconf(home(), "run", "--config", "sidecar.yaml"))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("run.log").toFile());
      pb.environment().putAll(env());
      pb.environment()
          .put(
              "HOTCONF_OPTS",
              "-Djavax.net.ssl.trustStore=receiver.p12 -Djavax.net.ssl.trustStorePassword=changeit"
                  + " -Djavax.net.ssl.trustStoreType=PKCS12");
      Process p = pb.start();
      try {
        await().atMost(COMMAND_TIMEOUT).until(() -> !bodies.isEmpty() || !p.isAlive());
        assertThat(bodies).as(Files.readString(dir.resolve("run.log"))).isNotEmpty();
        assertThat(bodies.get(0).replaceAll("\\s", "")).isEqualTo("{\"n\":1}");
        p.destroy();
        assertThat(p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
      } finally {
        p.destroyForcibly();
        receiver.stop(0);
      }
    }

    @Test
    void theCompletionScriptLoadsInBashAndCompletesCommands() throws Exception {
      Path script = home().resolve("completion/hotconf.bash");
      Result r =
          exec(
              List.of(
                  "bash",
                  "-c",
                  "source \"$1\" && complete -p hotconf && COMP_WORDS=(hotconf va) && COMP_CWORD=1"
                      + " && _complete_hotconf && echo \"reply: ${COMPREPLY[*]}\"",
                  "bash",
                  script.toString()),
              Map.of(),
              temp);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("-F _complete_hotconf hotconf").contains("reply: validate");
    }

    @Test
    void theLicenseAndTheReadmeAreAtTheTop() throws IOException {
      assertThat(Files.readString(home().resolve("LICENSE")))
          .startsWith(Files.readString(Path.of("../LICENSE")).substring(0, 200))
          .contains("Apache License")
          .contains("Version 2.0, January 2004");
      assertThat(home().resolve("README.txt")).isRegularFile();
    }

    @Test
    void manPagesExistForEveryCommand() throws IOException {
      for (String page :
          List.of(
              "hotconf",
              "hotconf-run",
              "hotconf-validate",
              "hotconf-get",
              "hotconf-diff",
              "hotconf-publish",
              "hotconf-fleet",
              "hotconf-fleet-status",
              "hotconf-rollout",
              "hotconf-rollout-start",
              "hotconf-rollout-status",
              "hotconf-rollout-halt",
              "hotconf-rollout-resume",
              "hotconf-rollout-abort")) {
        Path file = home().resolve("man/man1/" + page + ".1");
        assertThat(file).isRegularFile();
        String text = Files.readString(file);
        assertThat(text)
            .contains(
                ".TH \""
                    + page.toUpperCase(java.util.Locale.ROOT).replace("-", "\\-")
                    + "\" \"1\"");
      }
      assertThat(Files.readString(home().resolve("man/man1/hotconf-validate.1")))
          .contains("schema");
    }
  }

  @Nested
  class Plain extends Commands {
    @Override
    Path home() {
      return plain;
    }

    @Override
    Map<String, String> env() {
      return withJavaHome();
    }

    @Test
    void theLauncherRunsUnderDashAndBashInPosixModeAndThroughASymbolicLink() throws Exception {
      for (List<String> shell : List.of(List.of("dash"), List.of("bash", "--posix"))) {
        List<String> command = new ArrayList<>(shell);
        command.addAll(hotconf(plain, "version"));
        Result r = exec(command, withJavaHome(), temp);
        assertThat(r.exit()).as(shell + ": " + r.err()).isZero();
        assertThat(r.out()).as(shell.toString()).startsWith("hotconf " + VERSION + "\n");
      }
      Path links = Files.createDirectories(temp.resolve("links dir"));
      Path link = links.resolve("hotconf");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, plain.resolve("bin/hotconf"));
      Result r = exec(List.of(link.toString(), "version"), withJavaHome(), temp);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).startsWith("hotconf " + VERSION + "\n");
    }

    @Test
    void anOldJavaIsRefusedWithAClearMessage() throws Exception {
      Path fake = Files.createDirectories(temp.resolve("old jdk/bin"));
      Files.writeString(fake.resolve("java"), "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(
          fake.resolve("java"),
          Set.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
      Files.writeString(fake.getParent().resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
      Result r =
          exec(hotconf(plain, "version"), Map.of("JAVA_HOME", fake.getParent().toString()), temp);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("is Java 11.0.2; hotconf needs Java 17 or later");
    }

    @Test
    void withoutAnyJavaItSaysWhatToDo() throws Exception {
      Result r = exec(hotconf(plain, "version"), nothing(), temp);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("no Java found").contains("JAVA_HOME");
    }

    @Test
    void aCollectorChosenInJavaOptsReplacesTheSerialCollector() throws Exception {
      Map<String, String> env = new java.util.HashMap<>(withJavaHome());
      env.put("JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintFlagsFinal");
      Result r = exec(hotconf(plain, "version"), env, temp);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .containsPattern("UseG1GC\\s+= true")
          .containsPattern("UseSerialGC\\s+= false");
    }

    @Test
    void theZipHoldsTheSameFilesAsTheTarball() throws IOException {
      Set<String> zip = new TreeSet<>();
      try (InputStream in = Files.newInputStream(TARGET.resolve("hotconf-" + VERSION + ".zip"));
          ZipInputStream z = new ZipInputStream(in)) {
        for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
          if (!e.isDirectory()) {
            String name = e.getName();
            zip.add(name);
            Path same = unpacked.resolve(name);
            assertThat(z.readAllBytes()).as(name).isEqualTo(Files.readAllBytes(same));
          }
        }
      }
      Set<String> tar = new TreeSet<>();
      try (Stream<Path> s = Files.walk(plain)) {
        s.filter(Files::isRegularFile).forEach(f -> tar.add(unpacked.relativize(f).toString()));
      }
      assertThat(zip).isEqualTo(tar).contains("hotconf-" + VERSION + "/bin/hotconf");
    }
  }

  @Nested
  class Image extends Commands {
    @Override
    Path home() {
      return image;
    }

    @Override
    Map<String, String> env() {
      return nothing();
    }

    @Test
    void hotconfsClassesComeFromTheClassDataSharingArchiveWhereverItIsUnpacked() throws Exception {
      Map<String, String> env = new java.util.HashMap<>(nothing());
      env.put("HOTCONF_OPTS", "-Xshare:on -Xlog:class+load=info");
      Result r = exec(hotconf(image, "version"), env, temp);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("dev.hotconf.sidecar.Main source: shared objects file")
          .contains("picocli.CommandLine source: shared objects file");
    }

    @Test
    void runMapsItsOwnArchiveAndTheShortCommandsTheRuntimesDefault() throws Exception {
      Path dir = Files.createDirectories(temp.resolve("run-archive"));
      Files.writeString(dir.resolve("app.yaml"), "n: 1\n");
      int port = freePort();
      Files.writeString(
          dir.resolve("sidecar.yaml"),
          "sources:\n  - type: file\n    path: app.yaml\nserver:\n  listen: 127.0.0.1:"
              + port
              + "\n");
      ProcessBuilder pb =
          new ProcessBuilder(hotconf(image, "run", "--config", "sidecar.yaml"))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("run.log").toFile());
      pb.environment().putAll(nothing());
      pb.environment().put("HOTCONF_OPTS", "-Xlog:class+load=info:file=classes.log");
      Process p = pb.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(COMMAND_TIMEOUT)
            .until(() -> status(http, "http://127.0.0.1:" + port + "/readyz") == 200);
        List<String> cmdline =
            List.of(
                Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).split("\0"));
        assertThat(cmdline)
            .anyMatch(
                a ->
                    a.startsWith("-XX:SharedArchiveFile=")
                        && a.endsWith("/runtime/lib/server/hotconf-run.jsa"));
        assertThat(Files.readString(dir.resolve("classes.log")))
            .contains("dev.hotconf.sidecar.run.Publisher source: shared objects file")
            .contains("dev.hotconf.file.FileSource source: shared objects file");
        p.destroy();
        assertThat(p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("run.log"))).isZero();
      } finally {
        p.destroyForcibly();
      }

      // a short command: the runtime's default archive (no option), and nothing of run loaded
      Map<String, String> env = new java.util.HashMap<>(nothing());
      env.put("HOTCONF_OPTS", "-Xlog:class+load=info");
      Result r = exec(hotconf(image, "validate", "app.yaml"), env, dir);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("dev.hotconf.sidecar.cli.ValidateCommand source: shared objects file")
          .doesNotContain("dev.hotconf.sidecar.run.Publisher");
    }

    @Test
    void theRuntimeHasOnlyTheModulesHotconfNeeds() throws IOException {
      String release = Files.readString(image.resolve("runtime/release"));
      assertThat(release).contains("dev.hotconf.cli").contains("jdk.crypto.ec");
      assertThat(release).doesNotContain("jdk.compiler").doesNotContain("java.rmi");
    }
  }

  static int status(HttpClient http, String url) throws InterruptedException {
    try {
      return http.send(request(url), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    }
  }

  static String body(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(request(url), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body().replaceAll("\\s", "");
  }

  private static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
