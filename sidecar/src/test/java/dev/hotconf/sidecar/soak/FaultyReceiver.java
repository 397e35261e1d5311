package dev.hotconf.sidecar.soak;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A push target that misbehaves on command: a real HTTP server on loopback that answers 2xx, 5xx,
 * slowly (within or beyond the sidecar's timeout), or is not there at all (its port is closed, so
 * connections are refused, then it listens on the same port again).
 *
 * <p>Every POST is checked when it arrives, in arrival order (the sidecar sends one at a time per
 * target): the body must be a valid combination ({@link Ledger#check}), the version and both source
 * seqs must never go back, and a repeated version must carry the same ETag. Nothing per push is
 * retained, so the soak's own heap stays flat.
 */
final class FaultyReceiver implements AutoCloseable {
  enum Mode {
    UP,
    ERROR,
    SLOW_OK,
    SLOW_TIMEOUT,
    DOWN
  }

  private final String name;
  private final Ledger ledger;
  private final Violations violations;
  private final Pace pace;
  private final Duration clientTimeout;
  private final ExecutorService pool;
  private final int port;
  private final Map<Mode, AtomicLong> modeSwitches = new EnumMap<>(Mode.class);
  final AtomicLong received = new AtomicLong();
  final AtomicLong answeredOk = new AtomicLong();
  final AtomicLong answeredError = new AtomicLong();
  final AtomicLong rebindFailures = new AtomicLong();
  private volatile Mode mode = Mode.UP;
  private final Object life = new Object();
  private HttpServer server; // guarded by life
  // arrival state, guarded by this
  private long lastVersion;
  private String lastEtag;
  private Ledger.Seqs lastSeqs = new Ledger.Seqs(0, 0);
  // last body answered 2xx
  private volatile long acceptedVersion;
  private volatile Ledger.Seqs acceptedSeqs;

  FaultyReceiver(
      String name, Ledger ledger, Violations violations, Pace pace, Duration clientTimeout)
      throws IOException {
    this.name = name;
    this.ledger = ledger;
    this.violations = violations;
    this.pace = pace;
    this.clientTimeout = clientTimeout;
    for (Mode m : Mode.values()) {
      modeSwitches.put(m, new AtomicLong());
    }
    // fixed size: slow answers overlap the sidecar's next attempt, and the thread count stays flat
    ThreadPoolExecutor threads =
        (ThreadPoolExecutor)
            Executors.newFixedThreadPool(
                8,
                r -> {
                  Thread t = new Thread(r, "soak-receiver-" + name);
                  t.setDaemon(true);
                  return t;
                });
    threads.prestartAllCoreThreads();
    this.pool = threads;
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  private HttpServer listen(int onPort) throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    s.setExecutor(pool);
    s.createContext("/config", this::handle);
    s.start();
    return s;
  }

  String name() {
    return name;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/config";
  }

  long acceptedVersion() {
    return acceptedVersion;
  }

  Ledger.Seqs acceptedSeqs() {
    return acceptedSeqs;
  }

  long switches(Mode m) {
    return modeSwitches.get(m).get();
  }

  /** Switches behaviour; DOWN closes the port, leaving DOWN listens on the same port again. */
  void mode(Mode next) {
    synchronized (life) {
      switchTo(next);
    }
  }

  private void switchTo(Mode next) {
    modeSwitches.get(next).incrementAndGet();
    if (next == Mode.DOWN && server != null) {
      server.stop(0);
      server = null;
    } else if (next != Mode.DOWN && server == null) {
      try {
        server = listen(port);
      } catch (IOException e) {
        rebindFailures.incrementAndGet();
        mode = Mode.DOWN; // still closed: try again at the next switch
        return;
      }
    }
    mode = next;
  }

  boolean listening() {
    synchronized (life) {
      return server != null;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] bytes = ex.getRequestBody().readAllBytes();
      received.incrementAndGet();
      Ledger.Seqs seqs =
          arrived(
              ex.getRequestHeaders().getFirst("X-Config-Version"),
              ex.getRequestHeaders().getFirst("ETag"),
              new String(bytes, StandardCharsets.UTF_8));
      Mode m = mode;
      if (m == Mode.ERROR) {
        answeredError.incrementAndGet();
        ex.sendResponseHeaders(received.get() % 2 == 0 ? 500 : 503, -1);
        return;
      }
      if (m == Mode.SLOW_OK) {
        pace.pause(clientTimeout.dividedBy(4));
      } else if (m == Mode.SLOW_TIMEOUT) {
        pace.pause(clientTimeout.plusMillis(300));
      }
      ex.sendResponseHeaders(204, -1);
      answeredOk.incrementAndGet();
      accepted(Long.parseLong(ex.getRequestHeaders().getFirst("X-Config-Version")), seqs);
    } catch (IOException e) {
      // the sidecar gave up (timeout) or we went DOWN mid-answer: that attempt failed for it
    }
  }

  private synchronized Ledger.Seqs arrived(String versionHeader, String etag, String body) {
    long version;
    try {
      version = Long.parseLong(versionHeader);
    } catch (RuntimeException e) {
      violations.add(name, "bad X-Config-Version " + versionHeader);
      return lastSeqs;
    }
    if (version < lastVersion) {
      violations.add(name, "version " + version + " after " + lastVersion);
    } else if (version == lastVersion && !etag.equals(lastEtag)) {
      violations.add(name, "version " + version + " with two ETags " + lastEtag + " and " + etag);
    }
    Ledger.Seqs seqs;
    try {
      seqs = ledger.check(body);
    } catch (IllegalStateException e) {
      violations.add(name, "version " + version + ": " + e.getMessage());
      return lastSeqs;
    }
    if (!seqs.notBefore(lastSeqs)) {
      violations.add(name, "version " + version + " carries " + seqs + ", older than " + lastSeqs);
    }
    lastVersion = Math.max(lastVersion, version);
    lastEtag = etag;
    lastSeqs = seqs;
    return seqs;
  }

  private synchronized void accepted(long version, Ledger.Seqs seqs) {
    if (version >= acceptedVersion) {
      acceptedVersion = version;
      acceptedSeqs = seqs;
    }
  }

  @Override
  public void close() {
    synchronized (life) {
      if (server != null) {
        server.stop(0);
        server = null;
      }
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
