package dev.hotconf.sidecar.internal.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: a small HTTP/1.1 server on java.nio, for the sidecar's API. One thread ("hotconf-http")
 * owns the selector and every connection: it accepts, reads and parses requests, calls the handler
 * (which must not block), writes answers without blocking and runs the timers (request, idle,
 * send and linger timeouts, parked exchanges' waits) from a priority queue. Nothing else touches
 * connection state: other threads hand work to it through a task queue (answers computed by the
 * worker pool or by a publish, Exchange.respond) and wake the selector.
 *
 * So a long poll costs a parked Exchange and its socket, not a thread; a slow or silent client
 * costs a socket and at most its partial request (never more than maxHeaderBytes + maxBodyBytes
 * + 4 KiB), until its timeout; and /healthz is answered as soon as its bytes arrive, whatever
 * else is open. Work that may take long (rendering a subtree, status) runs on a small worker pool
 * (threads started on demand, gone after 30 s idle) and its answer is handed back.
 *
 * The number of connections is capped by maxConnections and by the process's file descriptor
 * limit (read at start on Linux, 64 kept for everything else). At the cap the connection idle for
 * longest is closed to make room; with none idle the new one gets a 503 and is closed. An accept()
 * that fails (no file descriptors left) pauses accepting for 100 ms instead of spinning.
 */
/**
 * A running server (see the design note above). Thread-safe: {@link #execute}, {@link #stop} and
 * the getters may be called from any thread; handlers run on the server thread. No method takes or
 * returns null.
 */
public final class NioHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NioHttpServer.class);
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  private static final int FD_RESERVE = 64;
  private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final byte[] REFUSED = refusal();

  private record Timer(long at, Connection connection, int generation) {}

  private final HttpServerConfig config;
  private final Handler handler;
  private final int maxConnections;
  private final Selector selector;
  private final ServerSocketChannel listener;
  private final SelectionKey listenKey;
  private final Thread thread;
  private final ThreadPoolExecutor workers;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // server thread only
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
  private final Set<Connection> connections = new HashSet<>();
  private final LinkedHashSet<Connection> idle = new LinkedHashSet<>();
  private final ByteBuffer readScratch;
  private final TlsTransport.Scratch tlsScratch = new TlsTransport.Scratch();
  private long acceptResumesAt;
  private long lastWarnAt;
  private long dateSecond = -1;
  private String date;
  private boolean stopping;
  private long drainUntil;
  private volatile int openConnections;
  private volatile long refusedConnections;

  private NioHttpServer(HttpServerConfig config, Handler handler) throws IOException {
    this.config = config;
    this.handler = handler;
    this.maxConnections = effectiveMaxConnections(config.maxConnections());
    this.readScratch = ByteBuffer.allocate(Math.max(16 * 1024, config.maxHeaderBytes()));
    this.selector = Selector.open();
    ServerSocketChannel ch = ServerSocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(config.listen(), 128);
      ch.configureBlocking(false);
      this.listenKey = ch.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      ch.close();
      selector.close();
      throw e;
    }
    this.listener = ch;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            config.workerThreads(),
            config.workerThreads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.workerQueue()),
            r -> {
              Thread t = new Thread(r, config.threadName() + "-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.workers.allowCoreThreadTimeOut(true);
    this.thread = new Thread(this::run, config.threadName());
    this.thread.setDaemon(true);
  }

  /**
   * Binds {@code config.listen()} and starts serving with {@code handler}.
   *
   * @throws IOException when the address cannot be bound
   */
  public static NioHttpServer start(HttpServerConfig config, Handler handler) throws IOException {
    NioHttpServer server = new NioHttpServer(config, handler);
    server.thread.start();
    return server;
  }

  /** The bound address (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      return config.listen();
    }
  }

  /** The connection cap in force: the configured one, lowered to fit the file descriptor limit. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Connections open now. */
  public int openConnections() {
    return openConnections;
  }

  /** Connections refused at the cap since start. */
  public long refusedConnections() {
    return refusedConnections;
  }

  /** Runs {@code task} on the server thread (soon; at once when called from it). */
  public void execute(Runnable task) {
    onServerThread(task);
  }

  /**
   * Stops: no new connections; idle and half-received ones are closed, parked exchanges answered
   * 503; answers in progress get up to {@code drain} to finish, then everything is closed. Returns
   * once the server thread has ended.
   */
  public void stop(Duration drain) {
    long nanos = Math.max(0, drain.toNanos());
    if (Thread.currentThread() == thread) {
      beginStop(nanos);
      return;
    }
    onServerThread(() -> beginStop(nanos));
    try {
      thread.join(TimeUnit.NANOSECONDS.toMillis(nanos) + 5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  // ---- for connections and exchanges ----

  HttpServerConfig config() {
    return config;
  }

  ByteBuffer readScratch() {
    return readScratch;
  }

  boolean stopping() {
    return stopping;
  }

  String date() {
    long second = System.currentTimeMillis() / 1000;
    if (second != dateSecond) {
      dateSecond = second;
      date = HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
    return date;
  }

  void onServerThread(Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
    } else {
      tasks.add(task);
      selector.wakeup();
    }
  }

  void checkServerThread() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("not on the server thread");
    }
  }

  void dispatch(Exchange exchange) {
    try {
      handler.handle(exchange);
    } catch (RuntimeException | Error e) {
      warn("handler failed: {}", e.getClass().getName());
      exchange.respond(Response.error(500, "internal error"));
    }
  }

  void submit(Exchange exchange, Callable<Response> work) {
    try {
      workers.execute(
          () -> {
            Response r;
            try {
              r = work.call();
            } catch (Throwable t) {
              LOG.warn("hotconf: request failed: {}", t.getClass().getName());
              r = Response.error(500, "internal error");
            }
            exchange.respond(r);
          });
    } catch (RejectedExecutionException e) {
      exchange.respond(Response.error(503, "server busy").header("Retry-After", "1"));
    }
  }

  void schedule(Connection c, long at) {
    c.timerGeneration++;
    c.deadline = at == 0 ? 1 : at;
    timers.add(new Timer(c.deadline, c, c.timerGeneration));
    if (timers.size() > 2 * connections.size() + 1024) {
      purgeTimers();
    }
  }

  void cancelTimer(Connection c) {
    c.timerGeneration++;
    c.deadline = 0;
  }

  boolean hasTimer(Connection c) {
    return c.deadline != 0;
  }

  void markIdle(Connection c) {
    idle.remove(c);
    idle.add(c);
  }

  void unmarkIdle(Connection c) {
    idle.remove(c);
  }

  void closed(Connection c) {
    if (connections.remove(c)) {
      openConnections = connections.size();
    }
    idle.remove(c);
    cancelTimer(c);
  }

  // ---- the loop ----

  private void run() {
    try {
      while (true) {
        try {
          runTasks();
          long now = System.nanoTime();
          fireTimers(now);
          if (stopping && (connections.isEmpty() || now - drainUntil >= 0)) {
            break;
          }
          long waitMillis = waitMillis(now);
          if (waitMillis < 0) {
            selector.selectNow();
          } else {
            selector.select(waitMillis);
          }
          handleSelected();
        } catch (IOException | RuntimeException | Error e) {
          warn("http server loop: {}", e.toString());
        }
      }
    } finally {
      for (Connection c : new ArrayList<>(connections)) {
        c.close();
      }
      try {
        listener.close();
        selector.close();
      } catch (IOException e) {
        // stopping anyway
      }
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        warn("http server task failed: {}", e.toString());
      }
    }
  }

  /** Milliseconds until the next timer (0: block until woken, -1: one is due now). */
  private long waitMillis(long now) {
    long next = Long.MAX_VALUE;
    Timer t = timers.peek();
    if (t != null) {
      next = t.at();
    }
    if (acceptResumesAt != 0) {
      next = Math.min(next, acceptResumesAt);
    }
    if (stopping) {
      next = Math.min(next, drainUntil);
    }
    if (next == Long.MAX_VALUE) {
      return 0;
    }
    long nanos = next - now;
    return nanos <= 0 ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  private void fireTimers(long now) {
    if (acceptResumesAt != 0 && now - acceptResumesAt >= 0 && !stopping) {
      acceptResumesAt = 0;
      if (listenKey.isValid()) {
        listenKey.interestOps(SelectionKey.OP_ACCEPT);
      }
    }
    Timer t;
    while ((t = timers.peek()) != null && now - t.at() >= 0) {
      timers.poll();
      Connection c = t.connection();
      if (t.generation() != c.timerGeneration || c.deadline == 0) {
        continue; // cancelled or moved
      }
      c.deadline = 0;
      try {
        c.onTimer(now);
      } catch (RuntimeException | Error e) {
        warn("http connection timer: {}", e.toString());
        c.close();
      }
    }
  }

  private void purgeTimers() {
    List<Timer> live = new ArrayList<>();
    for (Timer t : timers) {
      if (t.generation() == t.connection().timerGeneration && t.connection().deadline != 0) {
        live.add(t);
      }
    }
    timers.clear();
    timers.addAll(live);
  }

  private void handleSelected() {
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      if (!key.isValid()) {
        continue;
      }
      if (key == listenKey) {
        accept();
        continue;
      }
      Connection c = (Connection) key.attachment();
      try {
        if (key.isValid() && key.isWritable()) {
          c.onWritable();
        }
        if (key.isValid() && key.isReadable()) {
          c.onReadable();
        }
      } catch (IOException e) {
        c.close();
      } catch (RuntimeException | Error e) {
        warn("http connection failed: {}", e.toString());
        c.close();
      }
    }
  }

  private void accept() {
    long now = System.nanoTime();
    for (int i = 0; i < 64 && !stopping; i++) {
      SocketChannel ch;
      try {
        ch = listener.accept();
      } catch (IOException e) {
        // typically "Too many open files": make room and wait a little instead of spinning
        warn(
            "hotconf: cannot accept connections ({}); {} open", e.getMessage(), connections.size());
        evictIdle();
        listenKey.interestOps(0);
        acceptResumesAt = now + ACCEPT_PAUSE_NANOS;
        return;
      }
      if (ch == null) {
        return;
      }
      if (connections.size() >= maxConnections && !evictIdle()) {
        refuse(ch);
        continue;
      }
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Transport transport = new PlainTransport(ch);
        if (config.tls() != null) {
          transport = new TlsTransport(ch, engine(), tlsScratch);
        }
        Connection c = new Connection(this, ch, transport);
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ, c);
        connections.add(c);
        openConnections = connections.size();
        c.opened(key, now);
      } catch (IOException | RuntimeException e) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // gone
        }
      }
    }
  }

  private SSLEngine engine() {
    SSLEngine engine = config.tls().createSSLEngine();
    engine.setUseClientMode(false);
    SSLParameters p = engine.getSSLParameters();
    List<String> protocols = new ArrayList<>();
    for (String protocol : engine.getSupportedProtocols()) {
      if (protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2")) {
        protocols.add(protocol);
      }
    }
    p.setProtocols(protocols.toArray(String[]::new));
    p.setNeedClientAuth(false);
    engine.setSSLParameters(p);
    return engine;
  }

  /** Closes the connection idle for longest; false when none is idle. */
  private boolean evictIdle() {
    Iterator<Connection> it = idle.iterator();
    if (!it.hasNext()) {
      return false;
    }
    Connection oldest = it.next();
    oldest.close();
    return true;
  }

  private void refuse(SocketChannel ch) {
    refusedConnections++;
    warn(
        "hotconf: refusing connections: {} open (the maximum), none idle",
        Integer.toString(connections.size()));
    try {
      ch.configureBlocking(false);
      ch.write(ByteBuffer.wrap(REFUSED));
    } catch (IOException e) {
      // best effort
    } finally {
      try {
        ch.close();
      } catch (IOException ignored) {
        // gone
      }
    }
  }

  private void beginStop(long drainNanos) {
    if (stopping) {
      return;
    }
    stopping = true;
    drainUntil = System.nanoTime() + drainNanos;
    listenKey.cancel();
    try {
      listener.close();
    } catch (IOException e) {
      // stopping anyway
    }
    for (Connection c : new ArrayList<>(connections)) {
      c.stop();
    }
  }

  private void warn(String format, Object... args) {
    long now = System.nanoTime();
    if (lastWarnAt == 0 || now - lastWarnAt >= WARN_INTERVAL_NANOS) {
      lastWarnAt = now;
      LOG.warn(format, args);
    }
  }

  private static byte[] refusal() {
    String body = "{\"error\":\"too many connections\"}\n";
    return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length()
            + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code configured}, lowered to the soft file descriptor limit less a reserve (Linux). */
  private static int effectiveMaxConnections(int configured) {
    long limit = softFileLimit();
    if (limit > 0 && configured > limit - FD_RESERVE) {
      int lowered = (int) Math.max(16, limit - FD_RESERVE);
      LOG.warn(
          "hotconf: max-connections {} lowered to {}: the open-file limit is {} (raise it with"
              + " ulimit -n)",
          configured,
          lowered,
          limit);
      return lowered;
    }
    return configured;
  }

  /** The soft limit on open files from /proc/self/limits, or -1 when unknown or unlimited. */
  static long softFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
          return parts[0].equals("unlimited") ? -1 : Long.parseLong(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable
    }
    return -1;
  }
}
