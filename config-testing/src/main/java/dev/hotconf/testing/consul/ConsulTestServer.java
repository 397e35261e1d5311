package dev.hotconf.testing.consul;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process double of Consul's KV and session HTTP APIs ({@code /v1/kv/...}, {@code
 * /v1/session/...}), modelled on OkHttp's MockWebServer: real HTTP on {@code 127.0.0.1} (an
 * ephemeral port), Consul's index and blocking-query semantics, sessions with TTLs, locks and lock
 * delays ({@link Builder#sessionClock} for tests that must not wait for a TTL), ACL tokens, a
 * request log and declarative {@link Fault faults}.
 *
 * <pre>{@code
 * try (ConsulTestServer consul = new ConsulTestServer().start()) {
 *     consul.put("config/app/db.url", "jdbc:h2:mem:x");
 *     consul.enqueue(Fault.noClusterLeader().times(2));
 *     // point the client at consul.url() ...
 *     RecordedRequest first = consul.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Threading:</b> every public method is thread-safe and may be called from the test thread
 * while HTTP requests are served. Requests are handled on daemon threads named {@code
 * consul-test-server-<port>-<n>}; {@link #close()} releases blocked queries, closes all connections
 * and returns only once those threads have ended.
 *
 * <p><b>Nulls:</b> no method accepts {@code null} (a {@link NullPointerException} is thrown) and
 * none returns {@code null}; absence is expressed with {@link Optional}.
 *
 * <p>The KV store may be populated before {@link #start()}; a server is started at most once and is
 * not reusable after {@link #close()}. In between, {@link #suspend()} and {@link #resume()} take it
 * down and bring it back on the same port, like an agent that stops and restarts.
 */
public final class ConsulTestServer implements AutoCloseable {
  static {
    // The JDK HTTP server leaves Nagle's algorithm on unless this is set before its first use; with
    // the client's delayed ACK that adds ~40 ms to every answer on Linux loopback. Real Consul (and
    // any server worth measuring) sets TCP_NODELAY. An explicit -D setting wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The wait a blocking query gets without {@code ?wait=}: 5 minutes, as in Consul. */
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

  /** The longest wait Consul grants a blocking query before jitter: 10 minutes. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(10);

  /**
   * The only datacenter this server knows; {@code ?dc=} naming another one fails like Consul does.
   */
  public static final String DATACENTER = "dc1";

  /** The largest value Consul accepts by default ({@code kv_max_value_size}): 512 KiB. */
  public static final int MAX_VALUE_SIZE = 512 * 1024;

  /** The name of the one node (the agent) sessions belong to. */
  public static final String NODE_NAME = "consul-test-server";

  private static final String HOST = "127.0.0.1";
  private static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(10);

  private enum State {
    NEW,
    RUNNING,
    SUSPENDED,
    CLOSED
  }

  private final Builder config;
  private final Random random;
  private final KvStore store = new KvStore();
  private final SessionStore sessions;
  private final SessionEndpoints sessionEndpoints;
  private final FaultQueue faults = new FaultQueue();
  private final RequestLog log = new RequestLog();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();
  private volatile String requiredToken;

  /** Counted down (and replaced on resume) when the server goes down: suspended or closed. */
  private volatile CountDownLatch downLatch = new CountDownLatch(1);

  /** Guards the hanging requests: {@link #hangReleases} and {@link #hanging}. */
  private final Object hangLock = new Object();

  private long hangReleases;
  private int hanging;

  private State state = State.NEW;
  private HttpServer httpServer;
  private ThreadPoolExecutor executor;
  private int port = -1;

  /** A server with Consul's defaults: no ACL, jitter on, 5m default wait, 10m cap. */
  public ConsulTestServer() {
    this(builder());
  }

  private ConsulTestServer(Builder config) {
    this.config = config;
    this.random =
        config.jitter ? (config.seed == null ? new Random() : new Random(config.seed)) : null;
    this.requiredToken = config.aclToken;
    this.sessions =
        new SessionStore(
            store,
            config.sessionClock == null ? Clock.systemUTC() : config.sessionClock,
            config.sessionClock == null);
    this.sessionEndpoints = new SessionEndpoints(sessions);
  }

  /** An immutable builder holding Consul's defaults. */
  public static Builder builder() {
    return new Builder(null, true, null, DEFAULT_WAIT, MAX_WAIT, null);
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Binds {@code 127.0.0.1} on an ephemeral port and starts serving.
   *
   * @return this server, for chaining
   * @throws IllegalStateException if already started or closed
   * @throws UncheckedIOException if the port cannot be bound
   */
  public synchronized ConsulTestServer start() {
    if (state != State.NEW) {
      throw new IllegalStateException("ConsulTestServer can be started once; state is " + state);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(loopback(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + HOST, e);
    }
    int boundPort = server.getAddress().getPort();
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread t =
              new Thread(
                  runnable, "consul-test-server-" + boundPort + "-" + counter.incrementAndGet());
          t.setDaemon(true);
          synchronized (threads) {
            threads.removeIf(old -> !old.isAlive());
            threads.add(t);
          }
          return t;
        };
    executor =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
    server.setExecutor(executor);
    server.createContext("/", new ConsulHttpHandler(this));
    server.start();
    httpServer = server;
    port = boundPort;
    state = State.RUNNING;
    sessions.start("consul-test-server-" + boundPort + "-session-ttl");
    return this;
  }

  /**
   * Takes the server down like an agent process that stops: the listening socket closes (new
   * connections are refused), every request in progress (blocking queries, {@link Fault#hang()
   * hanging} and delayed requests, slow bodies) ends with its connection closed without an answer,
   * and idle keep-alive connections close. The KV store, faults, ACL and request log are kept, and
   * {@link #put} and the other direct methods keep working, so a test can change keys "during the
   * outage". Returns once the socket is closed.
   *
   * @throws IllegalStateException unless the server is running
   */
  public void suspend() {
    HttpServer server;
    synchronized (this) {
      if (state != State.RUNNING) {
        throw new IllegalStateException(
            "only a running server can be suspended; state is " + state);
      }
      state = State.SUSPENDED;
      server = httpServer;
      httpServer = null;
      downLatch.countDown();
    }
    store.abortWaiting();
    releaseHanging();
    server.stop(0);
  }

  /**
   * Brings a {@link #suspend() suspended} server back on the same address and port, with its KV
   * store, faults, ACL setting and request log as they are now.
   *
   * @throws IllegalStateException unless the server is suspended
   * @throws UncheckedIOException if the port cannot be bound again (another process took it)
   */
  public synchronized void resume() {
    if (state != State.SUSPENDED) {
      throw new IllegalStateException("only a suspended server can be resumed; state is " + state);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(loopback(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + HOST + ":" + port + " again", e);
    }
    server.setExecutor(executor);
    server.createContext("/", new ConsulHttpHandler(this));
    downLatch = new CountDownLatch(1);
    server.start();
    httpServer = server;
    state = State.RUNNING;
  }

  /** Whether the server is {@link #suspend() suspended}. */
  public synchronized boolean isSuspended() {
    return state == State.SUSPENDED;
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // cannot happen for a 4-byte address
    }
  }

  /**
   * Stops the server: blocked queries, fault delays and slow bodies are abandoned (their
   * connections close without an answer), the port is released and every request thread has ended
   * when this returns. Idempotent.
   */
  @Override
  public void close() {
    HttpServer server;
    ThreadPoolExecutor pool;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      boolean wasStarted = state == State.RUNNING || state == State.SUSPENDED;
      state = State.CLOSED;
      closedLatch.countDown();
      downLatch.countDown();
      store.close();
      sessions.close();
      if (!wasStarted) {
        return;
      }
      server = httpServer;
      pool = executor;
    }
    releaseHanging();
    if (server != null) {
      server.stop(0);
    }
    pool.shutdown();
    boolean interrupted = false;
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
      }
      List<Thread> toJoin;
      synchronized (threads) {
        toJoin = new ArrayList<>(threads);
        threads.clear();
      }
      for (Thread t : toJoin) {
        t.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #start()} was called and {@link #close()} was not. */
  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  // ------------------------------------------------------------------ addresses

  /** The base URL without trailing slash, e.g. {@code http://127.0.0.1:54321}. */
  public String url() {
    return "http://" + address();
  }

  /** An absolute URI for {@code pathAndQuery}, e.g. {@code uri("/v1/kv/a?raw")}. */
  public URI uri(String pathAndQuery) {
    Objects.requireNonNull(pathAndQuery, "pathAndQuery");
    return URI.create(url() + (pathAndQuery.startsWith("/") ? "" : "/") + pathAndQuery);
  }

  /** {@code 127.0.0.1:PORT}, the form {@code CONSUL_HTTP_ADDR} takes. */
  public String address() {
    return host() + ":" + port();
  }

  /** Always {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /**
   * The bound port.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public synchronized int port() {
    if (port < 0) {
      throw new IllegalStateException("ConsulTestServer not started");
    }
    return port;
  }

  // ------------------------------------------------------------------ KV, bypassing HTTP

  /** Writes a UTF-8 value with flags 0; returns the key's ModifyIndex afterwards. */
  public long put(String key, String value) {
    return put(key, value, 0);
  }

  /** Writes a UTF-8 value; returns the key's ModifyIndex afterwards. */
  public long put(String key, String value, long flags) {
    Objects.requireNonNull(value, "value");
    return put(key, value.getBytes(StandardCharsets.UTF_8), flags);
  }

  /** Writes raw bytes with flags 0; returns the key's ModifyIndex afterwards. */
  public long put(String key, byte[] value) {
    return put(key, value, 0);
  }

  /**
   * Writes {@code value} with {@code flags} (an opaque uint64) exactly like an HTTP PUT: a new
   * ModifyIndex and a wake-up for the key's watchers, unless value and flags are identical to the
   * stored ones, in which case nothing changes (as in Consul).
   *
   * @return the key's ModifyIndex afterwards
   * @throws IllegalArgumentException for a key Consul would reject (allowed characters: letters,
   *     digits and {@code ,-_./}, not starting with {@code /})
   */
  public long put(String key, byte[] value, long flags) {
    requireValidKey(key);
    Objects.requireNonNull(value, "value");
    return store.put(key, value, flags);
  }

  /** Deletes {@code key} (leaving a tombstone); returns whether it existed. */
  public boolean delete(String key) {
    requireValidKey(key);
    return store.delete(key);
  }

  /**
   * Deletes every key starting with {@code prefix} (plain string prefix, {@code ""} deletes
   * everything) in one write; returns how many keys were deleted.
   */
  public int deletePrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.isEmpty()) {
      requireValidKey(prefix);
    }
    return store.deletePrefix(prefix);
  }

  /** The stored entry for {@code key}, if any. */
  public Optional<KvEntry> get(String key) {
    requireValidKey(key);
    return store.get(key);
  }

  /** The current raft index of the KV table (never 0; grows with every effective write). */
  public long index() {
    return store.index();
  }

  private static void requireValidKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    String reason = ConsulHttpHandler.invalidKeyReason(key);
    if (reason != null) {
      throw new IllegalArgumentException(reason);
    }
  }

  // ------------------------------------------------------------------ sessions

  /**
   * Every live session, ordered by ID. Sessions are created over HTTP ({@code PUT
   * /v1/session/create}), as clients do.
   */
  public List<ConsulSession> sessions() {
    return sessions.list();
  }

  /** The live session {@code id}, if it exists. */
  public Optional<ConsulSession> session(String id) {
    Objects.requireNonNull(id, "id");
    return sessions.get(id);
  }

  /**
   * Invalidates session {@code id} now, as Consul does when its TTL runs out or a check it is bound
   * to fails: the session goes, the keys it holds are released or deleted (its behaviour) in one
   * write, and they cannot be acquired again for its lock delay (at most 60 s).
   *
   * @return whether the session existed
   */
  public boolean invalidateSession(String id) {
    Objects.requireNonNull(id, "id");
    return sessions.destroy(id);
  }

  /**
   * Invalidates every session whose TTL deadline has passed on the session clock and returns how
   * many. A session's deadline is twice its TTL after its creation or last renewal (Consul's
   * multiplier: the TTL is a lower bound). With the system clock (the default) a server thread does
   * this by itself as deadlines pass; with {@link Builder#sessionClock(Clock)} only this method
   * does, so a test advances its clock and calls it.
   */
  public int expireSessions() {
    return sessions.expireDue();
  }

  /**
   * When the lock delay on {@code key} ends, if one applies now (a session holding it was
   * invalidated less than its lock delay ago): until then {@code ?acquire=} answers {@code false}.
   */
  public Optional<java.time.Instant> lockDelayUntil(String key) {
    requireValidKey(key);
    return sessions.lockDelayUntil(key);
  }

  // ------------------------------------------------------------------ ACL

  /**
   * Turns ACL enforcement on: requests must present {@code token} (as {@code X-Consul-Token},
   * {@code Authorization: Bearer} or the deprecated {@code ?token=}); without a token they get
   * {@code 403 Permission denied}, with another token {@code 403 ACL not found}.
   */
  public void requireToken(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("token must not be empty");
    }
    requiredToken = token;
  }

  /** Turns ACL enforcement off (the default). */
  public void disableAcl() {
    requiredToken = null;
  }

  // ------------------------------------------------------------------ faults

  /** Queues a fault; see {@link Fault} for matching and consumption rules. */
  public void enqueue(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    faults.add(fault);
  }

  /**
   * Removes every queued fault, including {@link Fault#untilCleared()} ones, and releases the
   * requests that {@link Fault#hang()} holds (their connections close without an answer).
   */
  public void clearFaults() {
    faults.clear();
    releaseHanging();
  }

  /**
   * How many requests a {@link Fault#hang()} holds right now (they are in the request log only once
   * released).
   */
  public int hangingRequestCount() {
    synchronized (hangLock) {
      return hanging;
    }
  }

  private void releaseHanging() {
    synchronized (hangLock) {
      hangReleases++;
      hanging = 0; // released now, even if their threads wake later
      hangLock.notifyAll();
    }
  }

  /** How many faults are still queued (a fault with uses left counts once). */
  public int queuedFaultCount() {
    return faults.size();
  }

  // ------------------------------------------------------------------ request log

  /** {@link #takeRequest(Duration)} with a 10 second timeout. */
  public RecordedRequest takeRequest() throws InterruptedException {
    return takeRequest(DEFAULT_TAKE_TIMEOUT);
  }

  /**
   * The oldest recorded request not yet taken, waiting up to {@code timeout} for one. Requests are
   * recorded when their answer is decided, so a blocking query appears only once it returns (to
   * know a query is parked, poll {@link #blockedQueryCount()}).
   *
   * @throws AssertionError if no request is available within {@code timeout}
   */
  public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    RecordedRequest r = log.take(timeout);
    if (r == null) {
      throw new AssertionError("no request was recorded within " + timeout);
    }
    return r;
  }

  /**
   * How many requests were recorded since start or the last {@link #clearRequests()} (taken ones
   * included).
   */
  public int requestCount() {
    return log.count();
  }

  /** A snapshot of every recorded request, oldest first. */
  public List<RecordedRequest> requests() {
    return log.snapshot();
  }

  /** Forgets every recorded request and resets sequence numbers and the take cursor. */
  public void clearRequests() {
    log.clear();
  }

  /** How many blocking queries are waiting for a change right now. */
  public int blockedQueryCount() {
    return store.blockedCount();
  }

  /**
   * Empties the KV store (the index still moves forward), clears faults and the request log, and
   * restores the ACL setting given at construction. Useful with a server shared by several tests.
   */
  public void reset() {
    sessions.clear();
    store.clear();
    clearFaults();
    log.clear();
    requiredToken = config.aclToken;
  }

  @Override
  public String toString() {
    synchronized (this) {
      return "ConsulTestServer[" + (port < 0 ? "unbound" : url()) + ", " + state + ']';
    }
  }

  // ------------------------------------------------------------------ for the handler

  KvStore store() {
    return store;
  }

  SessionStore sessionStore() {
    return sessions;
  }

  SessionEndpoints sessionEndpoints() {
    return sessionEndpoints;
  }

  FaultQueue faults() {
    return faults;
  }

  RequestLog log() {
    return log;
  }

  String requiredToken() {
    return requiredToken;
  }

  Duration effectiveTimeout(Duration requested) {
    return Waits.effectiveTimeout(requested, config.defaultWait, config.maxWait, random);
  }

  /**
   * Sleeps up to {@code d}; returns false (early) if the server goes down meanwhile ({@code down}
   * is the latch of the request's epoch, see {@link #downLatch()}).
   */
  boolean pause(Duration d, CountDownLatch down) throws InterruptedException {
    return d.isZero() || !down.await(d.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The latch counted down when the server is next suspended or closed. */
  CountDownLatch downLatch() {
    return downLatch;
  }

  /**
   * Holds a request for a {@link Fault#hang()} until the next release (clearFaults, reset, suspend
   * or close); {@code down} is the latch of the request's epoch.
   */
  void hang(CountDownLatch down) throws InterruptedException {
    synchronized (hangLock) {
      long releasesAtStart = hangReleases;
      if (down.getCount() == 0) {
        return; // the server went down after the request came in
      }
      hanging++;
      try {
        while (hangReleases == releasesAtStart) {
          hangLock.wait();
        }
      } catch (InterruptedException e) {
        if (hangReleases == releasesAtStart) {
          hanging--; // not released: no longer held all the same
        }
        throw e;
      }
    }
  }

  boolean isClosed() {
    return closedLatch.getCount() == 0;
  }

  // ------------------------------------------------------------------ builder

  /**
   * Immutable configuration for a {@link ConsulTestServer}; every method returns a new builder.
   * Thread-safe; no method accepts {@code null}.
   */
  public static final class Builder {
    private final String aclToken;
    private final boolean jitter;
    private final Long seed;
    private final Duration defaultWait;
    private final Duration maxWait;
    private final Clock sessionClock;

    private Builder(
        String aclToken,
        boolean jitter,
        Long seed,
        Duration defaultWait,
        Duration maxWait,
        Clock sessionClock) {
      this.aclToken = aclToken;
      this.jitter = jitter;
      this.seed = seed;
      this.defaultWait = defaultWait;
      this.maxWait = maxWait;
      this.sessionClock = sessionClock;
    }

    /** Starts with ACL enforcement on; see {@link ConsulTestServer#requireToken(String)}. */
    public Builder aclToken(String token) {
      Objects.requireNonNull(token, "token");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("token must not be empty");
      }
      return new Builder(token, jitter, seed, defaultWait, maxWait, sessionClock);
    }

    /**
     * Whether blocking queries get Consul's random extra wait in {@code [0, wait/16)} (default
     * true). Turn it off for exact timings.
     */
    public Builder jitter(boolean enabled) {
      return new Builder(aclToken, enabled, seed, defaultWait, maxWait, sessionClock);
    }

    /** Seeds the jitter's random source so runs are reproducible. */
    public Builder randomSeed(long randomSeed) {
      return new Builder(aclToken, jitter, randomSeed, defaultWait, maxWait, sessionClock);
    }

    /** The wait of a blocking query without {@code ?wait=} (default {@link #DEFAULT_WAIT}). */
    public Builder defaultWait(Duration wait) {
      return new Builder(
          aclToken, jitter, seed, positive(wait, "defaultWait"), maxWait, sessionClock);
    }

    /** The cap on {@code ?wait=} before jitter (default {@link #MAX_WAIT}). */
    public Builder maxWait(Duration wait) {
      return new Builder(
          aclToken, jitter, seed, defaultWait, positive(wait, "maxWait"), sessionClock);
    }

    /**
     * The clock for session TTLs and lock delays, for tests that must not wait for a TTL: with it,
     * no server thread expires sessions; advance the clock and call {@link
     * ConsulTestServer#expireSessions()}. Default: the system clock, with a thread that invalidates
     * sessions as their deadlines pass.
     */
    public Builder sessionClock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      return new Builder(aclToken, jitter, seed, defaultWait, maxWait, clock);
    }

    /** A new, not yet started server with this configuration. */
    public ConsulTestServer build() {
      return new ConsulTestServer(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }

    @Override
    public String toString() {
      return "ConsulTestServer.Builder[acl="
          + (aclToken != null)
          + ", jitter="
          + jitter
          + ", seed="
          + seed
          + ", defaultWait="
          + defaultWait
          + ", maxWait="
          + maxWait
          + ", sessionClock="
          + (sessionClock == null ? "system" : sessionClock)
          + ']';
    }
  }
}
