package dev.hotconf.distribution;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Build step (not shipped): the class-data sharing (CDS) archives of a distribution, made at
 * package time by running the distribution's own launcher.
 *
 * <p>Two archives, because an archive costs resident memory for every class in it, used or not:
 * Debian's Java 17 relocates the archive at every start (address randomisation), which writes to
 * nearly all of its pages. A sidecar idles for weeks and should carry only what {@code run} loads;
 * the short commands should map only what they load (the JVM maps and relocates the archive before
 * {@code main}: ~2.7 ms per MB on the 2-core VM). Measured in benchmarks/results/footprint.md.
 *
 * <ol>
 *   <li>Training: every command runs once through {@code bin/hotconf} with {@code
 *       -XX:DumpLoadedClassList} (given in {@code HOTCONF_OPTS}, so the JVM sees the launcher's
 *       options and class path): {@code version}, {@code validate} with a schema (valid and invalid
 *       files), {@code get}, {@code diff}, {@code help run}; and a {@code run} shaped like the
 *       quick start (a file source validated against a schema, a file target, a last-known-good
 *       file) that starts, answers every endpoint, publishes a second version and stops on SIGTERM.
 *       Classes that only other setups load (URL targets' HTTP client and TLS, Consul) come from
 *       the runtime's module image or jars when used.
 *   <li>The short commands' lists are merged (class names once; the ids of one run mean nothing in
 *       another) into {@code commands.lst}, the run's into {@code run.lst}, and {@code
 *       -Xshare:dump} writes a static archive of each, the JDK's classes included.
 * </ol>
 *
 * <p>{@code plain} mode writes {@code lib/hotconf.jsa} (short commands), {@code
 * lib/hotconf-run.jsa} ({@code run}) and {@code lib/hotconf.jsa.id} (the runtime version, the
 * runtime's folder and the distribution's folder: the launcher uses the archives only when all
 * three are the same, as Java 17 requires). {@code image} mode replaces the runtime's own default
 * archive ({@code runtime/lib/server/classes.jsa}) with the short commands' and writes {@code
 * runtime/lib/server/hotconf-run.jsa}; neither needs a class path, so both serve the image wherever
 * it is unpacked.
 *
 * <p>Arguments: {@code plain|image}, the distribution folder, a work folder, and optionally the
 * work folder of an earlier training (the image reuses the plain distribution's lists: same
 * classes).
 */
public final class ClassDataArchive {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

  /** The class lists a work folder holds after training. */
  static final String COMMANDS_LIST = "commands.lst";

  static final String RUN_LIST = "run.lst";

  private ClassDataArchive() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3
        || args.length > 4
        || !(args[0].equals("plain") || args[0].equals("image"))) {
      throw new IllegalArgumentException(
          "usage: ClassDataArchive plain|image DIST_DIR WORK_DIR [TRAINED_WORK_DIR]");
    }
    boolean image = args[0].equals("image");
    Path home = Path.of(args[1]).toRealPath();
    Path work = Path.of(args[2]).toAbsolutePath();
    RuntimeImage.deleteTree(work);
    Files.createDirectories(work);
    Path launcher = home.resolve("bin/hotconf");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path commandsArchive =
        home.resolve(image ? "runtime/lib/server/classes.jsa" : "lib/hotconf.jsa");
    Path runArchive =
        home.resolve(image ? "runtime/lib/server/hotconf-run.jsa" : "lib/hotconf-run.jsa");
    Files.deleteIfExists(commandsArchive);
    Files.deleteIfExists(runArchive);
    Files.deleteIfExists(home.resolve("lib/hotconf.jsa.id"));

    Path commands = work.resolve(COMMANDS_LIST);
    Path run = work.resolve(RUN_LIST);
    if (args.length == 4) { // the same classes, listed by the other distribution
      Files.copy(Path.of(args[3]).resolve(COMMANDS_LIST), commands);
      Files.copy(Path.of(args[3]).resolve(RUN_LIST), run);
    } else {
      Path dir = work.resolve("training");
      Files.write(commands, merge(trainCommands(launcher, dir)));
      Path runList = dir.resolve("classes-run.lst");
      trainRun(launcher, dir, runList);
      Files.write(run, merge(List.of(runList)));
    }
    dump(launcher, home, commands, commandsArchive, image, work.resolve("dump-commands.log"));
    dump(launcher, home, run, runArchive, false, work.resolve("dump-run.log"));
    if (!image) {
      Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
      Files.writeString(
          home.resolve("lib/hotconf.jsa.id"),
          runtimeVersion(javaHome) + " " + javaHome + " " + home + "\n");
    }
  }

  /**
   * {@code -Xshare:dump} of {@code list} through the launcher (its class path or module), into
   * {@code archive}; {@code runtimeDefault}: the runtime's default archive, named by no option.
   */
  private static void dump(
      Path launcher, Path home, Path list, Path archive, boolean runtimeDefault, Path log)
      throws IOException, InterruptedException {
    String dump =
        "-Xshare:dump -XX:SharedClassListFile="
            + home.relativize(list).toString().replace('\\', '/');
    if (!runtimeDefault) {
      dump += " -XX:SharedArchiveFile=" + home.relativize(archive).toString().replace('\\', '/');
    }
    Command.run(launcher, home, Map.of("HOTCONF_OPTS", dump), log, 0, "version");
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("no archive written at " + archive);
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

  /** Runs every short command once; returns their class lists. */
  private static List<Path> trainCommands(Path launcher, Path dir) throws Exception {
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
    return lists;
  }

  /**
   * A quick-start sidecar that starts, answers every endpoint, writes version 2 to its file target
   * and stops on SIGTERM.
   */
  private static void trainRun(Path launcher, Path dir, Path list) throws Exception {
    int port = freePort();
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        "sources:\n  - type: file\n    path: config/app.yaml\nschema: schema.json\n"
            + "server:\n  listen: 127.0.0.1:"
            + port
            + "\ntargets:\n  - file: out/app.json\nlast-known-good: state/app.lkg.json\n");
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
      // version 2 is live; its file target may not be written yet: stop once it is
      Path target = dir.resolve("out/app.json");
      long deadline2 = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
      while (!Files.isRegularFile(target) || !Files.readString(target).contains("25")) {
        if (System.nanoTime() > deadline2) {
          throw new IllegalStateException("version 2 never reached " + target);
        }
        Thread.sleep(20); // polling a child process's file; nothing to wait on instead
      }
      p.destroy(); // SIGTERM
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "the training sidecar did not stop with exit 0:\n"
                + Files.readString(dir.resolve("run.log")));
      }
    } finally {
      p.destroyForcibly();
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
