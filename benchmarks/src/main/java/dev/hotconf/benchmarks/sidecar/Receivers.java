package dev.hotconf.benchmarks.sidecar;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP push targets on loopback: {@code targets} URLs {@code /t/<i>} spread round-robin over {@code
 * servers} JDK {@link HttpServer}s on 127.0.0.1:0. Each accepted POST is answered 204 and recorded
 * per target: {@code System.nanoTime()} after the body was read, keyed by the value of {@code n} in
 * the JSON body (the change number), and the {@code X-Config-Version} header.
 */
final class Receivers implements AutoCloseable {
  private static final Pattern N = Pattern.compile("\"n\"\\s*:\\s*(-?\\d+)");

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor;
  private final List<String> urls = new ArrayList<>();
  private final List<Map<Integer, Long>> arrivals = new ArrayList<>();
  private final List<Set<Long>> versions = new ArrayList<>();
  private final AtomicInteger withoutN = new AtomicInteger();
  private final AtomicLong posts = new AtomicLong();
  private final Object monitor = new Object();
  private volatile long firstPostNanos;
  private volatile boolean anyPost;

  Receivers(int targets, int servers) throws IOException {
    if (targets < 1 || servers < 1 || servers > targets) {
      throw new IllegalArgumentException("need 1 <= servers <= targets");
    }
    executor =
        Executors.newFixedThreadPool(
            Math.min(8, targets),
            r -> {
              Thread t = new Thread(r, "receiver");
              t.setDaemon(true);
              return t;
            });
    for (int s = 0; s < servers; s++) {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      server.setExecutor(executor);
      this.servers.add(server);
    }
    for (int i = 0; i < targets; i++) {
      HttpServer server = this.servers.get(i % servers);
      int index = i;
      arrivals.add(new ConcurrentHashMap<>());
      versions.add(ConcurrentHashMap.newKeySet());
      server.createContext(
          "/t/" + i,
          ex -> {
            try (ex) {
              String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              long now = System.nanoTime();
              String version = ex.getRequestHeaders().getFirst("X-Config-Version");
              record(index, version, body, now);
              ex.sendResponseHeaders(204, -1);
            }
          });
      urls.add("http://127.0.0.1:" + server.getAddress().getPort() + "/t/" + i);
    }
    this.servers.forEach(HttpServer::start);
  }

  private void record(int target, String version, String body, long now) {
    posts.incrementAndGet();
    if (version != null) {
      versions.get(target).add(Long.parseLong(version.trim()));
    }
    Matcher m = N.matcher(body);
    if (m.find()) {
      arrivals.get(target).putIfAbsent(Integer.parseInt(m.group(1)), now);
    } else {
      withoutN.incrementAndGet();
    }
    synchronized (monitor) {
      if (!anyPost) {
        firstPostNanos = now;
        anyPost = true;
      }
      monitor.notifyAll();
    }
  }

  List<String> urls() {
    return urls;
  }

  int targets() {
    return urls.size();
  }

  /** When target {@code i} first received change {@code n} ({@code System.nanoTime()}), or null. */
  Long arrival(int target, int n) {
    return arrivals.get(target).get(n);
  }

  /** Waits until every target has received change {@code n}; false on timeout. */
  boolean awaitAll(int n, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (monitor) {
      while (!allHave(n)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return true;
    }
  }

  private boolean allHave(int n) {
    for (Map<Integer, Long> m : arrivals) {
      if (!m.containsKey(n)) {
        return false;
      }
    }
    return true;
  }

  /** Waits for the first POST to any target; its {@code System.nanoTime()}, or -1 on timeout. */
  long awaitFirstPost(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (monitor) {
      while (!anyPost) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return -1;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return firstPostNanos;
    }
  }

  /** Distinct {@code X-Config-Version}s target {@code i} received. */
  int distinctVersions(int target) {
    return versions.get(target).size();
  }

  /** POSTs whose body had no {@code n} (e.g. an empty document read mid-write). */
  int withoutN() {
    return withoutN.get();
  }

  long posts() {
    return posts.get();
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
    executor.shutdownNow();
  }
}
