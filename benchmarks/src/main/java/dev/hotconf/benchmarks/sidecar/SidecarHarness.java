package dev.hotconf.benchmarks.sidecar;

import dev.hotconf.sidecar.run.SidecarProcess;
import dev.hotconf.testing.files.FileReplacement;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A temp dir with {@code config/app.yaml} ({@code n: <i>}) and a {@code sidecar.yaml} with one file
 * source (default debounce, 200 ms) and one HTTP target per {@link Receivers} URL, run in-process
 * by {@link SidecarProcess}, or, given a launcher ({@code bin/hotconf} of a distribution), as that
 * command's child process with the launcher's JVM options ({@code launcher run --config ...}).
 */
final class SidecarHarness implements AutoCloseable {
  /** How a change is written. */
  enum WriteMode {
    /**
     * {@code config/.app.yaml.tmp} then {@code ATOMIC_MOVE} over {@code app.yaml} (the fast path).
     */
    RENAME,
    /** {@code Files.writeString(app.yaml)}: truncate and rewrite the same inode. */
    IN_PLACE;

    static WriteMode named(String s) {
      return switch (s) {
        case "rename" -> RENAME;
        case "inplace", "in-place" -> IN_PLACE;
        default -> throw new IllegalArgumentException("mode must be rename or inplace: " + s);
      };
    }
  }

  final Path dir;
  final Path app;
  final Receivers receivers;
  private SidecarProcess runner;
  private Process process;

  private SidecarHarness(Path dir, Receivers receivers) {
    this.dir = dir;
    this.app = dir.resolve("config/app.yaml");
    this.receivers = receivers;
  }

  /** Creates the files and starts the sidecar; returns once version 1 ({@code n: 0}) is live. */
  static SidecarHarness start(Receivers receivers) throws Exception {
    return start(receivers, null);
  }

  /**
   * As {@link #start(Receivers)}, in a child process started by {@code launcher} if it is not null.
   */
  static SidecarHarness start(Receivers receivers, Path launcher) throws Exception {
    if (launcher == null) {
      return startInProcess(receivers);
    }
    SidecarHarness h =
        new SidecarHarness(Files.createTempDirectory("hotconf-sidecar-bench"), receivers);
    try {
      int port = freePort();
      Path file = writeFiles(h.dir, receivers.urls(), "127.0.0.1:" + port);
      h.process =
          new ProcessBuilder(launcher.toString(), "run", "--config", file.toString())
              .redirectOutput(h.dir.resolve("out.log").toFile())
              .redirectError(h.dir.resolve("err.log").toFile())
              .start();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest readyz =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
              .timeout(Duration.ofSeconds(5))
              .build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        if (!h.process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "sidecar not ready: " + Files.readString(h.dir.resolve("err.log")));
        }
        try {
          if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return h;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(5); // polling another process's readiness
      }
    } catch (Exception | Error e) {
      h.close();
      throw e;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static SidecarHarness startInProcess(Receivers receivers) throws Exception {
    SidecarHarness h =
        new SidecarHarness(Files.createTempDirectory("hotconf-sidecar-bench"), receivers);
    try {
      Path file = writeFiles(h.dir, receivers.urls(), "127.0.0.1:0");
      h.runner =
          SidecarProcess.load(
              file,
              false,
              new PrintWriter(new StringWriter()),
              new PrintWriter(new StringWriter()));
      Map<String, SignalHandler> jvmHandlers = jvmSignalHandlers();
      h.runner.start();
      // SidecarProcess installs SIGINT/SIGTERM handlers for its own stop latch; in this process
      // they
      // would make Ctrl-C a no-op, so put the JVM's back.
      jvmHandlers.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
      return h;
    } catch (Exception | Error e) {
      h.close();
      throw e;
    }
  }

  private static Map<String, SignalHandler> jvmSignalHandlers() {
    Map<String, SignalHandler> out = new HashMap<>();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        SignalHandler current = Signal.handle(new Signal(name), SignalHandler.SIG_DFL);
        Signal.handle(new Signal(name), current);
        out.put(name, current);
      } catch (IllegalArgumentException e) {
        // not available here
      }
    }
    return out;
  }

  /** Writes {@code config/app.yaml} ({@code n: 0}) and {@code sidecar.yaml}; returns the latter. */
  static Path writeFiles(Path dir, List<String> urls, String listen) throws IOException {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(dir.resolve("config/app.yaml"), "n: 0\n");
    StringBuilder yaml =
        new StringBuilder()
            .append("sources:\n  - type: file\n    path: config/app.yaml\n")
            .append("server:\n  listen: ")
            .append(listen)
            .append('\n')
            .append("targets:\n");
    for (String url : urls) {
      yaml.append("  - url: ").append(url).append('\n');
    }
    Path file = dir.resolve("sidecar.yaml");
    Files.writeString(file, yaml.toString());
    return file;
  }

  /** Writes {@code n: <n>}; returns when the write (or rename) has returned. */
  void write(int n, WriteMode mode) throws IOException {
    String doc = "n: " + n + "\n";
    if (mode == WriteMode.RENAME) {
      Path tmp = app.resolveSibling(".app.yaml.tmp");
      Files.writeString(tmp, doc);
      Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.writeString(app, doc);
    }
  }

  SidecarProcess runner() {
    return runner;
  }

  @Override
  public void close() {
    if (runner != null) {
      runner.close();
    }
    if (process != null) {
      process.destroy(); // SIGTERM
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(dir);
  }

  static void deleteTree(Path dir) {
    try {
      FileReplacement.deleteTree(dir);
    } catch (IOException e) {
      // best effort
    }
  }
}
