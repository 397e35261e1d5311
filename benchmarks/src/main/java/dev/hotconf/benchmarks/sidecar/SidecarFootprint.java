package dev.hotconf.benchmarks.sidecar;

import dev.hotconf.benchmarks.Args;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up time and idle footprint of the real executable as a child process: {@code java -Xmx64m
 * -jar hotconf.jar run --config sidecar.yaml}, or a distribution's launcher ({@code
 * launcher=distribution/target/hotconf/bin/hotconf}, which picks its own JVM options), on a free
 * 127.0.0.1 port, with one of two configurations:
 *
 * <ul>
 *   <li>{@code config=push}: one file source and one HTTP target in this JVM;
 *   <li>{@code config=quickstart}: the README's quick start ({@code examples/sidecar.yaml}: a file
 *       source validated against {@code examples/schema.json}, a file target and a last-known-good
 *       file), copied to a temp folder.
 * </ul>
 *
 * <p>Per run: {@code t0 = System.nanoTime()} just before {@code ProcessBuilder.start()}; time to
 * {@code /readyz} answering 200 (polled every 5 ms), with the process's CPU time then (user +
 * system, {@code /proc/<pid>/stat}: the figure to compare on a loaded machine), and to the first
 * delivery (the receiver's first POST, or the file target written); then {@code idleSeconds} idle;
 * then {@code VmRSS} and {@code Threads} from {@code /proc/<pid>/status} and the threads' names
 * from {@code /proc/<pid>/task/} (read before any tool attaches: an attach starts one more thread);
 * then heap used and committed from {@code jstat -gc <pid>} (S0U+S1U+EU+OU, S0C+S1C+EC+OC),
 * metaspace used, the collector from {@code jcmd <pid> GC.heap_info}; then {@code
 * Process.destroy()} (SIGTERM) and the exit code.
 *
 * <p>Arguments ({@code name=value}): {@code runs} (5), {@code idleSeconds} (10), {@code jar}
 * ({@code sidecar/target/hotconf.jar}, relative to the working directory), {@code xmx} (64m; {@code
 * none}: the JVM's default), {@code launcher} (instead of {@code java -jar}), {@code config}
 * ({@code push}), {@code examples} ({@code examples}, for {@code config=quickstart}).
 */
public final class SidecarFootprint {

  /** One run. Times in ms, sizes in KiB. */
  public record Run(
      double firstPushMs,
      double readyMs,
      double cpuAtReadyMs,
      double heapUsedKb,
      double heapCommittedKb,
      double metaspaceUsedKb,
      long rssKb,
      int threads,
      Map<String, Integer> threadNames,
      String gc,
      int exitCode,
      double stopMs) {}

  private SidecarFootprint() {}

  public static void main(String[] args) throws Exception {
    Args.quiet();
    Args a =
        new Args(
            args, Set.of("runs", "idleSeconds", "jar", "xmx", "launcher", "config", "examples"));
    int runs = a.intValue("runs", 5);
    long idle = a.longValue("idleSeconds", 10);
    List<String> command = new ArrayList<>();
    String launcher = a.string("launcher", "");
    if (launcher.isEmpty()) {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      String xmx = a.string("xmx", "64m");
      if (!xmx.equals("none")) {
        command.add("-Xmx" + xmx);
      }
      command.add("-jar");
      command.add(
          Path.of(a.string("jar", "sidecar/target/hotconf.jar")).toAbsolutePath().toString());
    } else {
      command.add(Path.of(launcher).toAbsolutePath().toString());
    }
    String config = a.string("config", "push");
    if (!config.equals("push") && !config.equals("quickstart")) {
      throw new IllegalArgumentException("config must be push or quickstart: " + config);
    }
    Path examples = Path.of(a.string("examples", "examples")).toAbsolutePath();
    List<Run> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      results.add(run(command, config, examples, Duration.ofSeconds(idle)));
    }
    System.out.printf(
        Locale.ROOT,
        "SidecarFootprint %s run, config=%s, %d runs, %d s idle, GC %s%n",
        String.join(" ", command),
        config,
        runs,
        idle,
        results.get(0).gc());
    System.out.println(
        "| run | start -> first delivery ms | start -> /readyz 200 ms | CPU at ready ms | heap used"
            + " MiB | heap committed MiB | metaspace used MiB | RSS MiB | threads | SIGTERM exit |"
            + " stop ms |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < results.size(); i++) {
      Run r = results.get(i);
      System.out.printf(
          Locale.ROOT,
          "| %d | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %d | %.0f |%n",
          i + 1,
          r.firstPushMs(),
          r.readyMs(),
          r.cpuAtReadyMs(),
          r.heapUsedKb() / 1024,
          r.heapCommittedKb() / 1024,
          r.metaspaceUsedKb() / 1024,
          r.rssKb() / 1024.0,
          r.threads(),
          r.exitCode(),
          r.stopMs());
    }
    System.out.printf(
        Locale.ROOT,
        "| median | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f | | %.0f |%n",
        median(results, Run::firstPushMs),
        median(results, Run::readyMs),
        median(results, Run::cpuAtReadyMs),
        median(results, Run::heapUsedKb) / 1024,
        median(results, Run::heapCommittedKb) / 1024,
        median(results, Run::metaspaceUsedKb) / 1024,
        median(results, r -> r.rssKb()) / 1024,
        median(results, r -> r.threads()),
        median(results, Run::stopMs));
    System.out.println("threads of run 1 (name, first 15 characters as the kernel keeps them):");
    results.get(0).threadNames().forEach((n, c) -> System.out.println("  " + c + " x " + n));
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** One start, idle, measure, SIGTERM. */
  public static Run run(List<String> command, String config, Path examples, Duration idle)
      throws Exception {
    Path dir = Files.createTempDirectory("hotconf-sidecar-footprint");
    Process p = null;
    try (Receivers receivers = new Receivers(1, 1)) {
      int port = SidecarHarness.freePort();
      Path configFile;
      Path delivered = null;
      if (config.equals("quickstart")) {
        Files.createDirectories(dir.resolve("config"));
        Files.copy(examples.resolve("config/app.yaml"), dir.resolve("config/app.yaml"));
        Files.copy(examples.resolve("schema.json"), dir.resolve("schema.json"));
        configFile = dir.resolve("sidecar.yaml");
        Files.writeString(
            configFile,
            Files.readString(examples.resolve("sidecar.yaml"))
                .replace("127.0.0.1:8750", "127.0.0.1:" + port));
        delivered = dir.resolve("out/app.json");
      } else {
        configFile = SidecarHarness.writeFiles(dir, receivers.urls(), "127.0.0.1:" + port);
      }
      List<String> full = new ArrayList<>(command);
      full.addAll(List.of("run", "--config", configFile.toString()));
      ProcessBuilder pb =
          new ProcessBuilder(full)
              .redirectOutput(dir.resolve("out.log").toFile())
              .redirectError(dir.resolve("err.log").toFile());
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpRequest readyz =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
              .timeout(Duration.ofSeconds(2))
              .build();
      long t0 = System.nanoTime();
      p = pb.start();
      long readyAt = -1;
      double cpuAtReady = -1;
      long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
      while (readyAt < 0) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "sidecar not ready (alive="
                  + p.isAlive()
                  + "): "
                  + Files.readString(dir.resolve("err.log")));
        }
        try {
          if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            readyAt = System.nanoTime();
            cpuAtReady = cpuMs(p.pid());
            break;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(5);
      }
      long firstPost;
      if (delivered == null) {
        firstPost = receivers.awaitFirstPost(TimeUnit.SECONDS.toNanos(30));
      } else {
        while (!Files.exists(delivered) && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        firstPost = Files.exists(delivered) ? System.nanoTime() : -1;
      }
      if (firstPost < 0) {
        throw new IllegalStateException("no delivery within 30 s");
      }
      Thread.sleep(idle.toMillis());
      long pid = p.pid();
      Map<String, String> status = procStatus(pid);
      Map<String, Integer> names = threadNames(pid);
      Map<String, Double> gc = jstat(pid);
      String heapInfo = exec("jcmd", Long.toString(pid), "GC.heap_info");
      String gcName =
          heapInfo
              .lines()
              .filter(l -> l.contains("total") && l.contains("used"))
              .findFirst()
              .map(l -> l.trim().split("\\s+total")[0])
              .orElse("?");
      long stopStart = System.nanoTime();
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("sidecar did not stop within 30 s of SIGTERM");
      }
      double stopMs = (System.nanoTime() - stopStart) / 1e6;
      return new Run(
          (firstPost - t0) / 1e6,
          (readyAt - t0) / 1e6,
          cpuAtReady,
          gc.get("S0U") + gc.get("S1U") + gc.get("EU") + gc.get("OU"),
          gc.get("S0C") + gc.get("S1C") + gc.get("EC") + gc.get("OC"),
          gc.get("MU"),
          kb(status.get("VmRSS")),
          Integer.parseInt(status.get("Threads").trim()),
          names,
          gcName,
          p.exitValue(),
          stopMs);
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      SidecarHarness.deleteTree(dir);
    }
  }

  /** User + system CPU time of a process so far, from {@code /proc/<pid>/stat} (10 ms ticks). */
  static double cpuMs(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after "pid (comm) ": state is field 3, utime field 14, stime field 15
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
  }

  /** Thread names (as the kernel keeps them: 15 characters) with how many threads have each. */
  static Map<String, Integer> threadNames(long pid) throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          out.merge(Files.readString(task.resolve("comm")).trim(), 1, Integer::sum);
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }

  /** {@code jstat -gc <pid>}: header name to value (KiB for sizes). */
  static Map<String, Double> jstat(long pid) throws Exception {
    List<String> lines =
        exec(tool("jstat"), "-gc", Long.toString(pid)).lines().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2) {
      throw new IllegalStateException("unexpected jstat output: " + lines);
    }
    String[] names = lines.get(0).trim().split("\\s+");
    String[] values = lines.get(1).trim().split("\\s+");
    Map<String, Double> m = new HashMap<>();
    for (int i = 0; i < Math.min(names.length, values.length); i++) {
      try {
        m.put(names[i], Double.parseDouble(values[i]));
      } catch (NumberFormatException e) {
        // "-" for a column that does not apply
      }
    }
    for (String k : List.of("S0U", "S1U", "EU", "OU", "S0C", "S1C", "EC", "OC", "MU")) {
      m.putIfAbsent(k, 0.0);
    }
    return m;
  }

  static Map<String, String> procStatus(long pid) throws IOException {
    Map<String, String> m = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        m.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return m;
  }

  static long kb(String value) {
    return Long.parseLong(value.replace("kB", "").trim());
  }

  private static String tool(String name) {
    Path p = Path.of(System.getProperty("java.home"), "bin", name);
    return Files.isExecutable(p) ? p.toString() : name;
  }

  private static String exec(String... command) throws Exception {
    if (command[0].equals("jcmd")) {
      command[0] = tool("jcmd");
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          Arrays.toString(command) + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
