package dev.hotconf.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;

/**
 * A push target for {@code hotconf run}: receives {@code POST /config} with the configuration as
 * JSON and applies it, keeping the rule every receiver needs — apply a version only if its {@code
 * X-Config-Version} is newer than the one applied last, and answer 2xx either way.
 *
 * <p>Why: the sidecar pushes the newest version on every attempt, but an attempt that timed out on
 * the sidecar's side may still be on its way (slow network, a busy receiver) and arrive after the
 * retry that carried a newer version. Only the receiver can tell: it drops what is not newer.
 *
 * <p>Run it: {@code java -cp examples/target/hotconf-example.jar dev.hotconf.examples.PushReceiver
 * 8080}, with {@code targets: [{url: http://127.0.0.1:8080/config}]} in {@code sidecar.yaml}.
 *
 * <p>Thread-safe: requests are handled concurrently; {@link #offer} decides under one lock.
 */
public final class PushReceiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final LongConsumer onApply;
  private long appliedVersion; // guarded by this
  private String applied; // guarded by this

  /** Listens on 127.0.0.1:{@code port} (0: any free port). */
  public PushReceiver(int port) throws IOException {
    this(port, version -> {});
  }

  /** Listens on 127.0.0.1:{@code port}; {@code onApply} hears each applied version, in order. */
  public PushReceiver(int port, LongConsumer onApply) throws IOException {
    this.onApply = onApply;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(executor);
    server.createContext("/config", this::handle);
    server.start();
  }

  public static void main(String[] args) throws Exception {
    PushReceiver receiver =
        new PushReceiver(
            args.length > 0 ? Integer.parseInt(args[0]) : 8080,
            version -> System.out.println("applied version " + version));
    System.out.println("receiving on " + receiver.url());
  }

  /** {@code http://127.0.0.1:PORT/config}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/config";
  }

  /**
   * Applies {@code json} if {@code version} is newer than the version applied last; true when it
   * did. The check and the update are one step, so concurrent pushes cannot apply an older one
   * last.
   */
  public synchronized boolean offer(long version, String json) {
    if (version <= appliedVersion) {
      return false;
    }
    appliedVersion = version;
    applied = json;
    onApply.accept(version);
    return true;
  }

  public synchronized long appliedVersion() {
    return appliedVersion;
  }

  /** The configuration applied last, or null. */
  public synchronized String applied() {
    return applied;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String header = ex.getRequestHeaders().getFirst("X-Config-Version");
      long version;
      try {
        version = Long.parseLong(header);
      } catch (NumberFormatException e) {
        ex.sendResponseHeaders(400, -1);
        return;
      }
      String json = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      // 204 when applied, 200 when dropped as stale: both are 2xx, nothing to retry
      ex.sendResponseHeaders(offer(version, json) ? 204 : 200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
