package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real shaded jar running {@code hotconf run --config FILE} as a child process, its stdout and
 * stderr collected; started once it says which version it serves on which port.
 */
final class RunningJar implements AutoCloseable {
  private static final Pattern SERVING =
      Pattern.compile("serving version (\\d+) on (https?)://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final int port;

  private RunningJar(Path config, List<String> jvmOptions) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", "target/hotconf.jar", "run", "--config", config.toString()));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    drain(process.getInputStream());
    Matcher m = SERVING.matcher("");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(process.isAlive()).as("the sidecar exited: %s", output()).isTrue();
              return m.reset(output()).find();
            });
    port = Integer.parseInt(m.group(3));
  }

  static RunningJar start(Path config, String... jvmOptions) throws IOException {
    return new RunningJar(config, List.of(jvmOptions));
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  /** Everything it printed so far (stdout and stderr). */
  String output() {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }

  /** SIGTERM, then its exit code, or -1 when it has not exited within {@code within}. */
  int terminate(Duration within) throws InterruptedException {
    process.destroy();
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  private void drain(InputStream in) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                  synchronized (output) {
                    output.write(buf, 0, n);
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "sidecar-output");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
