package dev.hotconf.benchmarks.sidecar;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.Redactor;
import dev.hotconf.benchmarks.Args;
import dev.hotconf.benchmarks.Latencies;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.sidecar.filetarget.CommandRunner;
import dev.hotconf.sidecar.filetarget.FileApplier;
import dev.hotconf.sidecar.filetarget.FileFormat;
import dev.hotconf.sidecar.filetarget.Reloader;
import dev.hotconf.source.MemorySource;
import dev.hotconf.source.Sources;
import dev.hotconf.testing.files.FileReplacement;
import dev.hotconf.testing.process.JavaProgram;
import dev.hotconf.testing.process.StandInNginx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Version → rendered, checked, swapped and signalled, for one file target of the sidecar: an
 * nginx-style template (a server block and {@code upstreams} upstream servers), a check command, an
 * atomic swap with fsync, and SIGHUP to a real process ({@link StandInNginx}, which reloads and
 * reports what it loaded on stdout). Each new version is published by a {@code HotConfig} with a
 * memory source; the clock starts when its snapshot is live and stops when {@code kill} has
 * returned (the apply is done); "loaded" stops when the process has reported the new file's hash.
 * The check command's own time is measured inside the apply and reported apart, so the target
 * ("within 50 ms plus the check command's own time") reads directly from the total minus check.
 *
 * <p>Arguments ({@code name=value}): {@code versions} (200), {@code warmup} (20), {@code check}
 * ({@code true}: the {@code true} program, the cheapest real command; {@code standin}: {@code
 * StandInNginx -t}, a JVM; {@code none}), {@code upstreams} (20).
 */
public final class FileTargetApply {
  private FileTargetApply() {}

  static final String TEMPLATE =
      "worker_processes {{ workers }};\n"
          + "events { worker_connections {{ connections }}; }\n"
          + "http {\n"
          + "  upstream backend {\n"
          + "{% for s in upstream -%}\n"
          + "    server {{ s.host }}:{{ s.port }} weight={{ s.weight }};\n"
          + "{% endfor -%}\n"
          + "  }\n"
          + "  server {\n"
          + "    listen {{ listen }};\n"
          + "    server_name {{ name | escape(strategy=\"quoted\") }};\n"
          + "    location / { proxy_pass http://backend; }\n"
          + "  }\n"
          + "}\n";

  /** Latencies of one run (ms), and of each step of the apply. */
  public record Result(
      Latencies total,
      Latencies check,
      Latencies withoutCheck,
      Latencies loaded,
      Latencies render,
      Latencies write,
      Latencies swap,
      Latencies reload,
      int versions) {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args, Set.of("versions", "warmup", "check", "upstreams"));
    Args.quiet();
    Result r =
        run(
            a.intValue("versions", 200),
            a.intValue("warmup", 20),
            a.string("check", "true"),
            a.intValue("upstreams", 20));
    System.out.println(
        "| measurement | n | p50 ms | p90 ms | p99 ms | max ms | mean ms |\n|---|---|---|---|---|---|---|");
    System.out.println(
        "| version → rendered, checked, swapped, signalled | " + r.total().cells() + " |");
    System.out.println("| of which the check command | " + r.check().cells() + " |");
    System.out.println("| total minus the check command | " + r.withoutCheck().cells() + " |");
    System.out.println(
        "| version → the process reports the new file | " + r.loaded().cells() + " |");
    System.out.println("| step: render (template, hash) | " + r.render().cells() + " |");
    System.out.println("| step: write (temp file, fsync) | " + r.write().cells() + " |");
    System.out.println("| step: swap (link, rename, folder fsync) | " + r.swap().cells() + " |");
    System.out.println("| step: reload (kill -s HUP) | " + r.reload().cells() + " |");
  }

  static String yaml(int i, int upstreams) {
    StringBuilder sb = new StringBuilder();
    sb.append("workers: ").append(1 + i % 8).append('\n');
    sb.append("connections: ").append(1024 + i).append('\n');
    sb.append("listen: ").append(10_000 + i % 50_000).append('\n');
    sb.append("name: 'app-").append(i).append(".example.org'\n");
    sb.append("upstream:\n");
    for (int u = 0; u < upstreams; u++) {
      sb.append("  - {host: 10.0.")
          .append(u / 250)
          .append('.')
          .append(u % 250 + 1)
          .append(", port: ")
          .append(8000 + u)
          .append(", weight: ")
          .append(1 + (i + u) % 5)
          .append("}\n");
    }
    return sb.toString();
  }

  public static Result run(int versions, int warmup, String check, int upstreams) throws Exception {
    Path dir = Files.createTempDirectory("hotconf-file-target");
    Path template = dir.resolve("nginx.conf.tmpl");
    Files.writeString(template, TEMPLATE);
    Path conf = dir.resolve("nginx.conf");
    Path pid = dir.resolve("nginx.pid");
    List<String> checkArgv =
        switch (check) {
          case "true" -> List.of("true");
          case "standin" -> JavaProgram.argv(StandInNginx.class, "-t", "-c", "{file}");
          case "none" -> List.of();
          default -> throw new IllegalArgumentException("check=true|standin|none");
        };
    Path kill =
        Reloader.findKill(System.getenv("PATH"))
            .orElseThrow(() -> new IllegalStateException("no kill program on PATH"));
    FileApplier applier =
        new FileApplier(
            new FileApplier.Spec(
                conf,
                FileFormat.JSON,
                template,
                checkArgv,
                Duration.ofSeconds(60),
                FileApplier.OWNER_ONLY,
                null,
                Reloader.signal("HUP", pid, kill)),
            CommandRunner.fromSystemEnvironment(),
            Redactor.defaults());
    MemorySource source = Sources.text("bench", ConfigFormat.YAML, yaml(0, upstreams));
    BlockingQueue<ConfigSnapshot> published = new LinkedBlockingQueue<>();
    BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    Process server = null;
    try (HotConfig config = HotConfig.builder().name("bench").source(source).build()) {
      config.onChange(c -> published.add(c.current()));
      applier.apply(config.snapshot()); // the first file: no process runs yet
      server =
          new ProcessBuilder(
                  JavaProgram.argv(
                      StandInNginx.class, "-c", conf.toString(), "--pid-file", pid.toString()))
              .redirectErrorStream(true)
              .start();
      Process s = server;
      Thread out =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    reports.add(System.nanoTime() + " " + line);
                  }
                } catch (java.io.IOException e) {
                  // the process ended
                }
              },
              "standin-stdout");
      out.setDaemon(true);
      out.start();
      // the first report comes once the pid file is written: ready for signals
      awaitReport(reports, StandInNginx.load(conf).sha256());
      long[] total = new long[versions];
      long[] checks = new long[versions];
      long[] without = new long[versions];
      long[] loaded = new long[versions];
      long[][] steps = new long[4][versions];
      for (int i = 1; i <= warmup + versions; i++) {
        source.update(ConfigFormat.YAML, yaml(i, upstreams));
        ConfigSnapshot snapshot = published.poll(60, TimeUnit.SECONDS);
        if (snapshot == null) {
          throw new IllegalStateException("version " + i + " was not published");
        }
        long t0 = System.nanoTime();
        FileApplier.Applied applied = applier.apply(snapshot);
        long t1 = System.nanoTime();
        if (!applied.written()) {
          throw new IllegalStateException("version " + i + " rendered the same file");
        }
        long seen = awaitReport(reports, StandInNginx.load(conf).sha256());
        int k = i - warmup - 1;
        if (k >= 0) {
          total[k] = t1 - t0;
          checks[k] = applied.checkTime().toNanos();
          without[k] = total[k] - checks[k];
          loaded[k] = seen - t0;
          FileApplier.Timings t = applied.timings();
          steps[0][k] = t.render().toNanos();
          steps[1][k] = t.write().toNanos();
          steps[2][k] = t.swap().toNanos();
          steps[3][k] = t.reload().toNanos();
        }
      }
      return new Result(
          Latencies.of(total),
          Latencies.of(checks),
          Latencies.of(without),
          Latencies.of(loaded),
          Latencies.of(steps[0]),
          Latencies.of(steps[1]),
          Latencies.of(steps[2]),
          Latencies.of(steps[3]),
          versions);
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
      FileReplacement.deleteTree(dir);
    }
  }

  /** Waits for the stand-in's "loaded sha256=HASH" line; returns when it was read (nanoTime). */
  private static long awaitReport(BlockingQueue<String> reports, String sha)
      throws InterruptedException {
    while (true) {
      String line = reports.poll(60, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException("the process did not report loading " + sha);
      }
      int space = line.indexOf(' ');
      String text = line.substring(space + 1);
      if (text.startsWith("loaded sha256=" + sha)) {
        return Long.parseLong(line.substring(0, space));
      }
      if (text.startsWith("reload-failed")) {
        throw new IllegalStateException(text);
      }
    }
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
