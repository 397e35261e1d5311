package dev.hotconf.sidecar.run;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A push target for tests: a real HTTP server on loopback recording every POST it accepts. */
final class Receiver implements AutoCloseable {
  record Push(
      long version,
      String etag,
      String contentType,
      String authorization,
      String body,
      int answeredWith) {}

  final List<Push> pushes = new CopyOnWriteArrayList<>();
  final AtomicInteger status = new AtomicInteger(204);

  /**
   * When set, each POST counts {@code arrived} down, then waits for {@code release} before
   * answering.
   */
  final AtomicReference<Hold> hold = new AtomicReference<>();

  record Hold(CountDownLatch arrived, CountDownLatch release) {
    Hold() {
      this(new CountDownLatch(1), new CountDownLatch(1));
    }
  }

  private final HttpServer server;

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/config",
        ex -> {
          try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Hold h = hold.get();
            if (h != null) {
              h.arrived().countDown();
              awaitRelease(h.release());
            }
            int answer = status.get();
            pushes.add(
                new Push(
                    Long.parseLong(ex.getRequestHeaders().getFirst("X-Config-Version")),
                    ex.getRequestHeaders().getFirst("ETag"),
                    ex.getRequestHeaders().getFirst("Content-Type"),
                    ex.getRequestHeaders().getFirst("Authorization"),
                    body,
                    answer));
            ex.sendResponseHeaders(answer, -1);
          }
        });
    server.start();
  }

  private static void awaitRelease(CountDownLatch release) {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/config";
  }

  /** Versions this receiver accepted (2xx), in arrival order. */
  List<Long> delivered() {
    return pushes.stream().filter(p -> p.answeredWith() / 100 == 2).map(Push::version).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
