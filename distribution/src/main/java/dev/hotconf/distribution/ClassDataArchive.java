package dev.hotconf.distribution;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Build step (not shipped): the class-data sharing (CDS) archive of a distribution, made at package
 * time by running the distribution's own launcher.
 *
 * <ol>
 *   <li>Training: every command runs once through {@code bin/hotconf} with {@code
 *       -XX:DumpLoadedClassList} (given in {@code HOTCONF_OPTS}, so the JVM sees the launcher's
 *       options and class path): {@code version}, {@code validate} with a schema (valid and invalid
 *       files), {@code get}, {@code diff}, {@code help run}, and a {@code run} that starts, answers
 *       every endpoint, publishes a second version to a file and an HTTP target, and stops on
 *       SIGTERM.
 *   <li>The lists are merged (class names once; the ids of one run mean nothing in another) and
 *       {@code -Xshare:dump} writes a static archive of those classes, the JDK's included.
 * </ol>
 *
 * <p>{@code plain} mode writes {@code lib/hotconf.jsa} and {@code lib/hotconf.jsa.id} (the runtime
 * version, the runtime's folder and the distribution's folder: the launcher uses the archive only
 * when all three are the same, as Java 17 requires). {@code image} mode replaces the runtime's own
 * default archive ({@code runtime/lib/server/classes.jsa}), which needs no class path and so serves
 * the image wherever it is unpacked.
 *
 * <p>Arguments: {@code plain|image}, the distribution folder, a work folder, and optionally the
 * class list of an earlier training (the image reuses the plain distribution's: same classes).
 */
public final class ClassDataArchive {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

  private ClassDataArchive() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3
        || args.length > 4
        || !(args[0].equals("plain") || args[0].equals("image"))) {
      throw new IllegalArgumentException(
          "usage: ClassDataArchive plain|image DIST_DIR WORK_DIR [CLASS_LIST]");
    }
    boolean image = args[0].equals("image");
    Path home = Path.of(args[1]).toRealPath();
    Path work = Path.of(args[2]).toAbsolutePath();
    RuntimeImage.deleteTree(work);
    Files.createDirectories(work);
    Path launcher = home.resolve("bin/hotconf");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path archive = home.resolve(image ? "runtime/lib/server/classes.jsa" : "lib/hotconf.jsa");
    Files.deleteIfExists(archive);
    Files.deleteIfExists(home.resolve("lib/hotconf.jsa.id"));

    Path all = work.resolve("classes.lst");
    if (args.length == 4) {
      Files.copy(Path.of(args[3]), all); // the same classes, listed by the other distribution
    } else {
      Files.write(all, merge(train(launcher, work)));
    }

    String dump =
        "-Xshare:dump -XX:SharedClassListFile="
            + home.relativize(all).toString().replace('\\', '/');
    if (!image) {
      dump += " -XX:SharedArchiveFile=" + home.relativize(archive);
    }
    Command.run(
        launcher, home, Map.of("HOTCONF_OPTS", dump), work.resolve("dump.log"), 0, "version");
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("no archive written at " + archive);
    }
    if (!image) {
      Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
      Files.writeString(
          home.resolve("lib/hotconf.jsa.id"),
          runtimeVersion(javaHome) + " " + javaHome + " " + home + "\n");
    }
  }

  /** What the launcher reads from the runtime's release file: JAVA_RUNTIME_VERSION, raw. */
  static String runtimeVersion(Path javaHome) throws IOException {
    Path release = javaHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return "";
    }
    for (String line : Files.readAllLines(release)) {
      if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
        return line.substring("JAVA_RUNTIME_VERSION=".length());
      }
    }
    return "";
  }

  /** Class names once each (ids dropped), then the lambda and invoker lines once each. */
  static List<String> merge(List<Path> lists) throws IOException {
    Set<String> classes = new LinkedHashSet<>();
    Set<String> special = new LinkedHashSet<>();
    for (Path list : lists) {
      for (String line : Files.readAllLines(list)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("@")) {
          special.add(line);
        } else {
          classes.add(line.replaceFirst(" id: \\d+.*$", ""));
        }
      }
    }
    List<String> out = new ArrayList<>(classes);
    out.addAll(special);
    return out;
  }

  private static List<Path> train(Path launcher, Path work) throws Exception {
    Path dir = work.resolve("training");
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(
        dir.resolve("config/app.yaml"),
        "db:\n  url: jdbc:postgresql://db:5432/app\n  pool: {min: 2, max: 20}\n"
            + "http:\n  timeout: 2s\n");
    Files.writeString(
        dir.resolve("config/other.json"),
        "{\"db\": {\"url\": \"jdbc:postgresql://db:5432/app\", \"pool\": {\"min\": 2, \"max\": 30}},"
            + " \"http\": {\"timeout\": \"2s\"}}\n");
    Files.writeString(
        dir.resolve("config/bad.yaml"), "db:\n  pool: {min: 2, max: 9000}\n  url: [\n");
    Files.writeString(
        dir.resolve("schema.json"),
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\","
            + " \"required\": [\"db\"], \"properties\": {\"db\": {\"type\": \"object\","
            + " \"properties\": {\"url\": {\"type\": \"string\"}, \"pool\": {\"type\": \"object\","
            + " \"properties\": {\"max\": {\"type\": \"integer\", \"maximum\": 500}}}}}}}\n");

    AtomicInteger n = new AtomicInteger();
    List<Path> lists = new ArrayList<>();
    record Step(int exit, String... args) {}
    List<Step> steps =
        List.of(
            new Step(0, "version"),
            new Step(0, "--help"),
            new Step(0, "help", "run"),
            new Step(0, "validate", "--schema", "schema.json", "config/app.yaml"),
            new Step(1, "validate", "--schema", "schema.json", "config"),
            new Step(1, "validate", "--format", "json", "config/bad.yaml"),
            new Step(0, "get", "--explain", "config/app.yaml", "db.pool.max"),
            new Step(1, "diff", "config/app.yaml", "config/other.json"));
    for (Step step : steps) {
      Path list = dir.resolve("classes-" + n.incrementAndGet() + ".lst");
      Command.run(
          launcher,
          dir,
          Map.of("HOTCONF_OPTS", "-XX:DumpLoadedClassList=" + list.getFileName()),
          dir.resolve("step-" + n.get() + ".log"),
          step.exit(),
          step.args());
      lists.add(list);
    }
    Path runList = dir.resolve("classes-run.lst");
    trainRun(launcher, dir, runList);
    lists.add(runList);
    return lists;
  }

  /** A sidecar that starts, answers every endpoint, publishes version 2 and stops on SIGTERM. */
  private static void trainRun(Path launcher, Path dir, Path list) throws Exception {
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    AtomicInteger pushes = new AtomicInteger();
    CountDownLatch twoPushes = new CountDownLatch(2);
    receiver.createContext(
        "/config",
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            pushes.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
          }
          twoPushes.countDown();
        });
    receiver.start();
    int port = freePort();
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        "sources:\n  - type: file\n    path: config/app.yaml\nschema: schema.json\n"
            + "server:\n  listen: 127.0.0.1:"
            + port
            + "\ntargets:\n  - file: out/app.json\n  - url: http://127.0.0.1:"
            + receiver.getAddress().getPort()
            + "/config\nlast-known-good: state/app.lkg.json\n");
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString(), "run", "--config", "sidecar.yaml")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("run.log").toFile());
    pb.environment().put("HOTCONF_OPTS", "-XX:DumpLoadedClassList=" + list.getFileName());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    try {
      long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
      while (get(http, base + "/readyz") != 200) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the training sidecar never got ready:\n" + Files.readString(dir.resolve("run.log")));
        }
        Thread.sleep(20); // polling a child process's readiness; nothing to wait on instead
      }
      for (String path :
          List.of("/healthz", "/v1/config", "/v1/config/db.pool.max", "/v1/status", "/metrics")) {
        if (get(http, base + path) != 200) {
          throw new IllegalStateException(path + " did not answer 200");
        }
      }
      Path tmp = dir.resolve("config/.app.yaml.tmp");
      Files.writeString(tmp, Files.readString(dir.resolve("config/app.yaml")).replace("20", "25"));
      Files.move(
          tmp,
          dir.resolve("config/app.yaml"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      if (get(http, base + "/v1/config?version=1&wait=60s") != 200) {
        throw new IllegalStateException("version 2 never went live");
      }
      // version 2 is live; its push may not have left yet: stop only once the target has both
      if (!twoPushes.await(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the HTTP target got " + pushes.get() + " pushes");
      }
      p.destroy(); // SIGTERM
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "the training sidecar did not stop with exit 0:\n"
                + Files.readString(dir.resolve("run.log")));
      }
      if (pushes.get() < 2) {
        throw new IllegalStateException("the HTTP target got " + pushes.get() + " pushes");
      }
    } finally {
      p.destroyForcibly();
      receiver.stop(0);
    }
  }

  private static int get(HttpClient http, String url) throws InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs the launcher with arguments and checks its exit code. */
  static final class Command {
    private Command() {}

    static void run(
        Path launcher,
        Path dir,
        Map<String, String> env,
        Path log,
        int expectedExit,
        String... args)
        throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(launcher.toString());
      command.addAll(List.of(args));
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process p = pb.start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish");
      }
      if (p.exitValue() != expectedExit) {
        throw new IllegalStateException(
            command
                + " exited "
                + p.exitValue()
                + " (expected "
                + expectedExit
                + "):\n"
                + Files.readString(log));
      }
    }
  }
}
