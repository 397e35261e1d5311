package dev.hotconf.sidecar.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar with many slow, silent and long-polling clients at once (issue 14, findings 1 and
 * 8): 100 connections that stop halfway through their request headers, 50 that send nothing and 70
 * long polls. /healthz and /v1/config stay answered, the thread count does not grow with the
 * connections, every parked poll gets the next version, and SIGTERM ends the process within its
 * grace. The bounds are generous (seconds): latencies under load are measured by {@code
 * benchmarks/.../sidecar/SidecarUnderLoad}, not asserted here.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpLoadIT {
  private static final int SLOW = 100;
  private static final int SILENT = 50;
  private static final int POLLS = 70;
  private static final int PATIENCE_MS = 5_000;

  @TempDir Path dir;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void closeSockets() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Test
  void slowSilentAndLongPollingClientsStallNothing() throws Exception {
    Path app = dir.resolve("app.yaml");
    Files.writeString(app, "db:\n  pool:\n    max: 7\n");
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        "sources:\n  - type: file\n    path: app.yaml\n    debounce: 20ms\n"
            + "server:\n  listen: 127.0.0.1:0\nshutdown-grace: 5s\n");
    try (RunningJar sidecar = RunningJar.start(dir.resolve("sidecar.yaml"))) {
      int port = sidecar.port();
      int threadsBefore = threads(sidecar.pid());
      for (int i = 0; i < SLOW; i++) {
        open(port, "GET /v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      }
      for (int i = 0; i < SILENT; i++) {
        open(port, "");
      }
      List<Socket> polls = new ArrayList<>();
      for (int i = 0; i < POLLS; i++) {
        polls.add(open(port, poll(1)));
      }

      for (int i = 0; i < 20; i++) {
        assertThat(statusLine(exchange(port, "/healthz"))).isEqualTo("HTTP/1.1 200 OK");
      }
      String config = exchange(port, "/v1/config");
      assertThat(statusLine(config)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(config).endsWith("{\"db\":{\"pool\":{\"max\":7}}}");
      assertThat(threads(sidecar.pid()))
          .as("threads do not grow with connections")
          .isLessThanOrEqualTo(threadsBefore + 3);

      // a new version answers every parked poll
      Path tmp = dir.resolve(".app.yaml.tmp");
      Files.writeString(tmp, "db:\n  pool:\n    max: 8\n");
      Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      for (Socket s : polls) {
        String answer = readAnswer(s, 20_000);
        assertThat(statusLine(answer)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(answer)
            .contains("X-Config-Version: 2")
            .endsWith("{\"db\":{\"pool\":{\"max\":8}}}");
        // the connection is kept alive: park again for version 3
        s.getOutputStream().write(poll(2).getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
      }
      assertThat(statusLine(exchange(port, "/healthz"))).isEqualTo("HTTP/1.1 200 OK");

      // SIGTERM with everything still open: out within the grace (5 s; JVM exit on top)
      long start = System.nanoTime();
      assertThat(sidecar.terminate(Duration.ofSeconds(15))).as(sidecar.output()).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      for (Socket s : polls) {
        String last = readToEnd(s, 10_000);
        // answered "shutting down", or closed
        assertThat(last.isEmpty() || last.startsWith("HTTP/1.1 503 ")).as(last).isTrue();
      }
    }
  }

  private static String poll(long version) {
    return "GET /v1/config?version=" + version + "&wait=5m HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private Socket open(int port, String firstBytes) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    sockets.add(s);
    if (!firstBytes.isEmpty()) {
      s.getOutputStream().write(firstBytes.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }
    return s;
  }

  /** One request on a new connection; the whole answer, or a failure after PATIENCE_MS. */
  private static String exchange(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readToEnd(s, PATIENCE_MS);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(path + " not answered within " + PATIENCE_MS + " ms", e);
    }
  }

  private static String statusLine(String answer) {
    int end = answer.indexOf("\r\n");
    return end < 0 ? answer : answer.substring(0, end);
  }

  /** Reads one answer with a Content-Length from a kept-alive connection. */
  private static String readAnswer(Socket s, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int at = h.indexOf("Content-Length: ");
    int length = at < 0 ? 0 : Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)));
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String readToEnd(Socket s, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketException e) {
      // reset by a closing server
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static int threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring(8).trim());
      }
    }
    throw new IOException("no thread count for " + pid);
  }
}
