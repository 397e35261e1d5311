package dev.hotconf.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotconf.sidecar.run.SidecarProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The example push receiver keeps the newest version whatever order pushes arrive in. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PushReceiverTest {
  @TempDir Path dir;

  @Test
  void aVersionNotNewerThanTheAppliedOneIsDropped() throws Exception {
    try (PushReceiver r = new PushReceiver(0)) {
      assertThat(r.offer(2, "{\"v\":2}")).isTrue();
      assertThat(r.offer(1, "{\"v\":1}")).isFalse();
      assertThat(r.offer(2, "{\"v\":2}")).isFalse();
      assertThat(r.applied()).isEqualTo("{\"v\":2}");
      assertThat(r.offer(3, "{\"v\":3}")).isTrue();
      assertThat(r.appliedVersion()).isEqualTo(3);
    }
  }

  @Test
  void concurrentPushesInAnyOrderEndWithTheNewest() throws Exception {
    try (PushReceiver r = new PushReceiver(0)) {
      List<Thread> threads = new ArrayList<>();
      List<Long> accepted = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < 8; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < 2000; i++) {
                    long v = ThreadLocalRandom.current().nextLong(1, 1000);
                    if (r.offer(v, "{\"v\":" + v + "}")) {
                      accepted.add(v);
                    }
                  }
                });
        threads.add(thread);
        thread.start();
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertThat(accepted).isSorted().doesNotHaveDuplicates();
      assertThat(r.appliedVersion()).isEqualTo(accepted.get(accepted.size() - 1));
      assertThat(r.applied()).isEqualTo("{\"v\":" + r.appliedVersion() + "}");
    }
  }

  /**
   * The real sidecar, with the network holding its first push until after its timeout: the retry
   * carries version 2 and is applied; the held version 1 arrives last and is dropped.
   */
  @Test
  void aTimedOutPushArrivingAfterTheNewerRetryIsDropped() throws Exception {
    Path app = dir.resolve("app.yaml");
    Files.writeString(app, "db:\n  pool:\n    max: 1\n");
    try (PushReceiver receiver = new PushReceiver(0);
        HoldingProxy network = new HoldingProxy(receiver.url())) {
      Files.writeString(
          dir.resolve("sidecar.yaml"),
          String.join(
              "\n",
              "sources:",
              "  - type: file",
              "    path: app.yaml",
              "    debounce: 20ms",
              "server:",
              "  listen: 127.0.0.1:0",
              "targets:",
              "  - url: " + network.url(),
              "    timeout: 1s",
              "    max-backoff: 200ms",
              ""));
      try (SidecarProcess sidecar =
          SidecarProcess.load(
              dir.resolve("sidecar.yaml"),
              false,
              new PrintWriter(new StringWriter()),
              new PrintWriter(new StringWriter()))) {
        sidecar.start();
        assertThat(network.firstHeld.await(30, TimeUnit.SECONDS)).isTrue();
        Path tmp = dir.resolve(".app.yaml.tmp");
        Files.writeString(tmp, "db:\n  pool:\n    max: 2\n");
        Files.move(tmp, app, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // version 1 timed out on the sidecar's side; its retry carried version 2
        await().until(() -> receiver.appliedVersion() == 2);
        network.release.countDown();
        await().until(() -> network.answers.size() >= 2);
        assertThat(network.forwarded).containsSubsequence(2L, 1L); // the stale push came last
        assertThat(network.answers).contains(200); // ... and was dropped
        assertThat(receiver.appliedVersion()).isEqualTo(2);
        assertThat(receiver.applied()).isEqualTo("{\"db\":{\"pool\":{\"max\":2}}}");
      }
    }
  }

  /**
   * A TCP relay to the receiver that holds the first request (headers and body) until released, as
   * a slow network would; every later connection is relayed at once.
   */
  static final class HoldingProxy implements AutoCloseable {
    private static final Pattern VERSION = Pattern.compile("(?i)X-Config-Version: (\\d+)");
    private static final Pattern LENGTH = Pattern.compile("(?i)Content-Length: (\\d+)");
    final CountDownLatch firstHeld = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<Long> forwarded = new CopyOnWriteArrayList<>();
    final List<Integer> answers = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private final int receiverPort;
    private final String path;
    private final Thread acceptor;
    private boolean first = true;

    HoldingProxy(String receiverUrl) throws IOException {
      java.net.URI u = java.net.URI.create(receiverUrl);
      this.receiverPort = u.getPort();
      this.path = u.getPath();
      this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
      this.acceptor = new Thread(this::accept, "holding-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket from = listener.accept();
          boolean hold = first;
          first = false;
          Thread t = new Thread(() -> relay(from, hold), "holding-proxy-relay");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    /** Relays one request and its answer (one exchange per connection is all a push needs). */
    private void relay(Socket from, boolean hold) {
      try (from) {
        byte[] request = readRequest(from.getInputStream());
        if (hold) {
          firstHeld.countDown();
          release.await();
        }
        Matcher v = VERSION.matcher(new String(request, StandardCharsets.ISO_8859_1));
        try (Socket to = new Socket(InetAddress.getLoopbackAddress(), receiverPort)) {
          forwarded.add(v.find() ? Long.parseLong(v.group(1)) : -1);
          OutputStream out = to.getOutputStream();
          out.write(request);
          out.flush();
          byte[] answer = readHead(to.getInputStream());
          String status = new String(answer, StandardCharsets.ISO_8859_1);
          answers.add(Integer.parseInt(status.substring(9, 12)));
          if (!from.isClosed() && !hold) {
            from.getOutputStream().write(answer);
            from.getOutputStream().flush();
          }
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        // the sidecar gave up on this connection: fine
      }
    }

    private static byte[] readRequest(InputStream in) throws IOException {
      byte[] head = readHead(in);
      Matcher m = LENGTH.matcher(new String(head, StandardCharsets.ISO_8859_1));
      int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(head);
      all.write(in.readNBytes(length));
      return all.toByteArray();
    }

    private static byte[] readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed");
        }
        head.write(b);
      }
      return head.toByteArray();
    }

    @Override
    public void close() throws IOException {
      release.countDown();
      listener.close();
    }
  }
}
