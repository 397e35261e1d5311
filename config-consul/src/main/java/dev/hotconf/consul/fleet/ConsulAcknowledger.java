package dev.hotconf.consul.fleet;

import dev.hotconf.ConfigFailure;
import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigObject;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.ConfigStatus;
import dev.hotconf.HotConfig;
import dev.hotconf.Problem;
import dev.hotconf.Registration;
import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.source.ConfigSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. Everything an acknowledger knows lives on one serial queue (its "thread"), fed by three
 * kinds of events: deliveries of the tracked Consul source (seen before the pipeline gets them, so
 * their index is known when the pipeline's verdict comes), published snapshots, and rejections.
 * From those it computes the record it wants in Consul; a write happens only when that record
 * differs from the last one written (apart from its time): one write per adopted or rejected
 * version. The record is written with ?acquire= under a TTL session created with behaviour
 * "delete" and no checks, so Consul deletes it when the process dies; LockDelay is 0 so a restart
 * can take its key back at once. Renewals run every renewInterval; a renewal that finds the session
 * gone (expired during an outage) creates a new one and rewrites the record. Failed writes retry
 * with jittered backoff capped at renewInterval. close() destroys the session: the record goes at
 * once.
 *
 * Content that changes only in form (a comment, key order) gets a new Consul index but publishes
 * nothing (same hash): a delivery whose content equals the live content is acknowledged as live at
 * its index directly, so fleet status does not see the instance as behind.
 */

/**
 * Writes what this instance runs to Consul, at {@code hotconf/acks/<app>/<instance>}, so that
 * {@code hotconf fleet status} can tell which instances took a version, which rejected it and why.
 *
 * <pre>{@code
 * ConsulSourceConfig sourceConfig = ConsulSourceConfig.key("config/orders/app.yaml").build();
 * ConsulAcknowledger acks =
 *     ConsulAcknowledger.create(
 *         AcknowledgerConfig.builder("orders", ConsulConnection.of(sourceConfig)).build());
 * HotConfig config =
 *     HotConfig.builder().source(acks.track(ConsulSource.create(sourceConfig))).build();
 * acks.start(config);
 * // ... on shutdown:
 * acks.close(); // the record disappears at once
 * config.close();
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread; the work runs on one thread of its
 * own ({@code hotconf-ack-<app>}) or, serialized, on the configured executor. No method accepts
 * {@code null}.
 */
public final class ConsulAcknowledger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsulAcknowledger.class);
  private static final int KEPT_CONTENTS = 8;

  /**
   * Where the acknowledger stands, for status pages and metrics.
   *
   * @param written the record last written to Consul (empty before the first write)
   * @param wanted the record it wants there (empty before {@link #start})
   * @param sessionId the Consul session holding the record (empty while there is none)
   * @param writes records written
   * @param renewals session renewals that succeeded
   * @param failures failed Consul requests
   * @param lastError the last failure's message (empty once a write succeeds again)
   */
  public record Status(
      Optional<Ack> written,
      Optional<Ack> wanted,
      Optional<String> sessionId,
      long writes,
      long renewals,
      long failures,
      Optional<String> lastError) {

    /** Whether Consul holds the record this instance wants there. */
    public boolean inSync() {
      return written.isPresent() && wanted.isPresent() && written.get().sameAs(wanted.get());
    }
  }

  private final AcknowledgerConfig config;
  private final ConsulClient client;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final Serial serial;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;
  private volatile Status status =
      new Status(Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, 0, Optional.empty());

  // ---- confined to the serial queue ----
  private final Map<Long, ConfigObject> contents = new LinkedHashMap<>();
  private volatile String trackedName;
  private volatile String trackedKey;
  private long lastIndex;
  private ConfigObject liveContent;
  private long liveIndex;
  private String liveHash;
  private long liveVersion;
  private boolean rejecting;
  private long rejectedIndex;
  private List<String> problems = List.of();
  private long pinnedVersion;
  private String pinnedHash;
  private long pinnedIndex;
  private boolean pinned;
  private boolean running;
  private Ack wanted;
  private Ack written;
  private String session;
  private int failuresInRow;
  private boolean heldWarned;
  private long writes;
  private long renewals;
  private long failures;
  private String lastError;
  private ScheduledFuture<?> retry;
  private ScheduledFuture<?> renewal;
  private final List<Registration> registrations = new ArrayList<>();
  private volatile UnaryOperator<Ack> extension = UnaryOperator.identity();

  private ConsulAcknowledger(AcknowledgerConfig config, ConsulClient client) {
    this.config = config;
    this.client = client;
    this.ownsExecutor = config.executor().isEmpty();
    this.executor =
        config
            .executor()
            .orElseGet(
                () ->
                    Executors.newSingleThreadScheduledExecutor(
                        r -> {
                          Thread t = new Thread(r, "hotconf-ack-" + config.app());
                          t.setDaemon(true);
                          return t;
                        }));
    this.serial = new Serial(executor);
  }

  /**
   * The first Consul source among {@code sources}: the one a front-end built from settings tracks
   * (and takes the fleet's connection defaults from).
   */
  public static Optional<ConfigSource> firstConsulSource(List<? extends ConfigSource> sources) {
    Objects.requireNonNull(sources, "sources");
    for (ConfigSource s : sources) {
      if (s instanceof ConsulSource) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** An acknowledger; nothing is written before {@link #start}. */
  public static ConsulAcknowledger create(AcknowledgerConfig config) {
    Objects.requireNonNull(config, "config");
    return new ConsulAcknowledger(config, ConsulClient.create(config.connection()));
  }

  public AcknowledgerConfig config() {
    return config;
  }

  /**
   * Wraps the Consul source the configuration comes from, so that the records carry the Consul
   * index of the content the instance runs or refused. Add the returned source to the {@code
   * HotConfig} in place of {@code source}. A {@link ConsulSource} names its key; any other source
   * whose values carry config-consul's origins ({@code consul:<key>@<index>}) works too, the key
   * then taken from them. At most one source is tracked; call before {@link #start}.
   *
   * @throws IllegalStateException if a source is tracked already or the acknowledger has started
   */
  public ConfigSource track(ConfigSource source) {
    Objects.requireNonNull(source, "source");
    synchronized (this) {
      if (started.get()) {
        throw new IllegalStateException("track: call before start");
      }
      if (trackedName != null) {
        throw new IllegalStateException("track: a source is tracked already: " + trackedName);
      }
      trackedName = source.name();
      if (source instanceof ConsulSource consul) {
        trackedKey = consul.config().path();
      }
    }
    return new TrackedSource(source, d -> serial.execute(() -> onDelivery(d)));
  }

  /**
   * {@link #track(ConfigSource)} for a source that is not a {@link ConsulSource} but follows the
   * Consul key {@code key} (e.g. a staged-rollout source that delivers that key's content or a
   * candidate for it): the records name {@code key}.
   *
   * @throws IllegalStateException if a source is tracked already or the acknowledger has started
   */
  public ConfigSource track(ConfigSource source, String key) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    ConfigSource tracked = track(source);
    trackedKey = key;
    return tracked;
  }

  /**
   * Lets {@code extension} have the last word on every record before it is written: it gets the
   * record computed from what the instance runs and returns the one to write (a staged-rollout
   * follower turns {@code live} into {@code canary}, adds its bucket and labels). It runs on the
   * acknowledger's thread, must be quick and must not block; call {@link #refresh()} when what it
   * would return changes. Call before {@link #start}.
   *
   * @throws IllegalStateException if the acknowledger has started
   */
  public void extend(UnaryOperator<Ack> extension) {
    Objects.requireNonNull(extension, "extension");
    synchronized (this) {
      if (started.get()) {
        throw new IllegalStateException("extend: call before start");
      }
      this.extension = extension;
    }
  }

  /** Recomputes the record (see {@link #extend}) and writes it if it changed. */
  public void refresh() {
    serial.execute(this::update);
  }

  /**
   * Starts acknowledging {@code hotConfig}: creates the session, writes the record for the live
   * snapshot (and a pending rejection), then one record per adopted or rejected version. Returns at
   * once; writes happen on the acknowledger's thread and are retried until Consul takes them.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start(HotConfig hotConfig) {
    Objects.requireNonNull(hotConfig, "hotConfig");
    if (closed) {
      throw new IllegalStateException("start: the acknowledger is closed");
    }
    synchronized (this) {
      if (!started.compareAndSet(false, true)) {
        throw new IllegalStateException("start: already started");
      }
    }
    Registration onChange =
        hotConfig.onChange(change -> serial.execute(() -> onPublished(change.current())));
    Registration onFailure =
        hotConfig.onFailure(
            failure -> {
              if (failure.kind() == ConfigFailure.Kind.REJECTED) {
                serial.execute(() -> onRejected(failure));
              }
            });
    serial.execute(
        () -> {
          registrations.add(onChange);
          registrations.add(onFailure);
          running = true;
          onPublished(hotConfig.snapshot());
          ConfigStatus s = hotConfig.status();
          if (s.rejecting()
              && s.lastFailure() != null
              && s.lastFailure().kind() == ConfigFailure.Kind.REJECTED) {
            onRejected(s.lastFailure());
          }
          long every = config.renewInterval().toNanos();
          // the first renewal at a random point of the first interval: instances started together
          // (a deployment) must not renew in lock step for ever after
          long first = every / 2 + ThreadLocalRandom.current().nextLong(every / 2 + 1);
          try {
            renewal =
                executor.scheduleWithFixedDelay(
                    () -> serial.execute(this::renew), first, every, TimeUnit.NANOSECONDS);
          } catch (RejectedExecutionException e) {
            LOG.warn("hotconf fleet: the executor of {} is shut down", config.key());
          }
        });
  }

  /**
   * Reports that an operator pinned this instance to an older version (the sidecar's {@code POST
   * /v1/pin}): the record says {@code pinned} with that version until {@link #unpin()}.
   */
  public void pin(long version, String hash, long index) {
    Objects.requireNonNull(hash, "hash");
    serial.execute(
        () -> {
          pinned = true;
          pinnedVersion = version;
          pinnedHash = hash;
          pinnedIndex = index;
          update();
        });
  }

  /** Reports that the pin is gone: the record follows the live version again. */
  public void unpin() {
    serial.execute(
        () -> {
          pinned = false;
          update();
        });
  }

  /** Where the acknowledger stands now. */
  public Status status() {
    return status;
  }

  /**
   * Stops: destroys the session, so Consul deletes the record at once (within the connection's
   * request timeout), and releases the thread and connections. Idempotent.
   */
  @Override
  public void close() {
    stop(true);
  }

  /** Stops without telling Consul, as a crash would: the record stays until the session expires. */
  void kill() {
    stop(false);
  }

  private void stop(boolean destroySession) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    CountDownLatch done = new CountDownLatch(1);
    boolean queued =
        serial.execute(
            () -> {
              try {
                registrations.forEach(Registration::close);
                if (renewal != null) {
                  renewal.cancel(false);
                }
                if (retry != null) {
                  retry.cancel(false);
                }
                if (destroySession && session != null) {
                  try {
                    client.destroySession(session);
                  } catch (ConsulException e) {
                    LOG.warn(
                        "hotconf fleet: could not remove {} from Consul ({}); it disappears when its"
                            + " session expires",
                        config.key(),
                        e.getMessage());
                  }
                }
                session = null;
              } finally {
                done.countDown();
              }
            });
    try {
      if (queued) {
        done.await(
            config.connection().requestTimeout().plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
    if (ownsExecutor) {
      executor.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ events (serial)

  private void onDelivery(TrackedSource.Delivery d) {
    if (trackedKey == null && d.key() != null) {
      trackedKey = d.key();
    }
    if (d.content() != null) {
      contents.put(d.index(), d.content());
      while (contents.size() > KEPT_CONTENTS) {
        contents.remove(contents.keySet().iterator().next());
      }
      lastIndex = Math.max(lastIndex, d.index());
      if (liveContent != null
          && (d.index() != liveIndex || rejecting)
          && d.content().equals(liveContent)) {
        // same content in another form, or the live content back after a refused version (a
        // staged rollout's revert): the pipeline publishes nothing, the instance runs it
        liveIndex = d.index();
        rejecting = false;
        problems = List.of();
        update();
      }
    } else {
      lastIndex = Math.max(lastIndex, d.index());
      rejecting = true;
      rejectedIndex = d.index();
      problems = texts(d.problems());
      update();
    }
  }

  private void onPublished(ConfigSnapshot snapshot) {
    if (snapshot.version() < liveVersion) {
      return; // an event older than what is already acknowledged
    }
    long index = indexOf(snapshot);
    liveIndex = index > 0 ? index : lastIndex;
    liveContent = contents.get(liveIndex);
    liveHash = snapshot.hash();
    liveVersion = snapshot.version();
    rejecting = false;
    problems = List.of();
    rejectedIndex = 0;
    update();
  }

  private void onRejected(ConfigFailure failure) {
    TrackedSource.Located located = new TrackedSource.Located();
    for (Problem p : failure.problems()) {
      if (p.origin() != null && p.origin().sourceName().equals(trackedName)) {
        located.origin(p.origin());
      }
    }
    rejecting = true;
    rejectedIndex = located.index > 0 ? located.index : lastIndex;
    problems = texts(failure.problems());
    update();
  }

  private long indexOf(ConfigSnapshot snapshot) {
    if (trackedName == null) {
      return 0;
    }
    TrackedSource.Located located = new TrackedSource.Located();
    for (ConfigNode leaf : snapshot.values().values()) {
      if (leaf.origin().sourceName().equals(trackedName)) {
        located.origin(leaf.origin());
      }
    }
    return located.index;
  }

  private static List<String> texts(List<Problem> problems) {
    List<String> out = new ArrayList<>();
    for (Problem p : problems) {
      if (out.size() == Ack.MAX_PROBLEMS) {
        break;
      }
      out.add(p.toString());
    }
    return out;
  }

  // ------------------------------------------------------------------ writing (serial)

  private void update() {
    if (!running || closed) {
      return;
    }
    Ack next =
        pinned
            ? ack(AckState.PINNED, pinnedHash, pinnedVersion, pinnedIndex, 0, List.of())
            : rejecting
                ? ack(AckState.REJECTED, liveHash, liveVersion, liveIndex, rejectedIndex, problems)
                : ack(AckState.LIVE, liveHash, liveVersion, liveIndex, 0, List.of());
    try {
      next = Objects.requireNonNull(extension.apply(next), "the extension returned null");
    } catch (RuntimeException e) {
      LOG.error("hotconf fleet: the record extension of {} failed", config.key(), e);
    }
    wanted = next;
    publishStatus();
    if (retry == null) {
      flush();
    }
  }

  private Ack ack(
      AckState state, String hash, long version, long index, long refused, List<String> why) {
    return new Ack(
        Ack.FORMAT,
        config.app(),
        config.instance(),
        state,
        trackedKey,
        index,
        hash,
        version,
        refused,
        why,
        config.clock().instant(),
        config.agent());
  }

  private void flush() {
    retry = null;
    if (closed || wanted == null || wanted.sameAs(written)) {
      return;
    }
    Ack stamped = wanted.at(config.clock().instant());
    try {
      if (session == null) {
        session =
            client.createSession(
                new ConsulClient.SessionSpec(
                    "hotconf-ack " + config.app() + "/" + config.instance(),
                    config.ttl(),
                    ConsulClient.SessionBehavior.DELETE,
                    Duration.ZERO));
      }
      if (client.acquire(config.key(), stamped.toBytes(), session)) {
        written = stamped;
        writes++;
        failuresInRow = 0;
        lastError = null;
        heldWarned = false;
      } else {
        failed(
            "the key "
                + config.key()
                + " is held by another session (another instance with the same ID, or an earlier"
                + " run whose session has not expired yet); retrying",
            !heldWarned);
        heldWarned = true;
        retryLater();
      }
    } catch (ConsulException e) {
      if (e.kind() == ConsulException.Kind.SERVER_ERROR
          && e.getMessage().contains("invalid session")) {
        session = null; // expired under us: a new one on the next attempt
      }
      failed(e.getMessage(), true);
      retryLater();
    }
    publishStatus();
  }

  private void renew() {
    if (closed) {
      return;
    }
    if (session == null) {
      if (retry == null) {
        flush();
      }
      return;
    }
    try {
      if (client.renewSession(session)) {
        renewals++;
      } else {
        LOG.info(
            "hotconf fleet: the session of {} expired (Consul was out of reach for longer than"
                + " its TTL?); writing the record again under a new one",
            config.key());
        session = null;
        written = null; // deleted with the session
        if (retry == null) {
          flush();
        }
      }
    } catch (ConsulException e) {
      failed(e.getMessage(), failuresInRow == 0);
    }
    publishStatus();
  }

  private void failed(String message, boolean log) {
    failures++;
    failuresInRow++;
    lastError = message;
    if (log) {
      LOG.warn("hotconf fleet: cannot update {}: {}", config.key(), message);
    }
  }

  private void retryLater() {
    long cap = config.renewInterval().toNanos();
    long first = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(1, cap / 4));
    long ceiling = Math.min(cap, first << Math.min(20, Math.max(0, failuresInRow - 1)));
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    if (!closed) {
      try {
        retry = executor.schedule(() -> serial.execute(this::flush), delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        retry = null; // the shared executor is shutting down
      }
    }
  }

  private void publishStatus() {
    status =
        new Status(
            Optional.ofNullable(written),
            Optional.ofNullable(wanted),
            Optional.ofNullable(session),
            writes,
            renewals,
            failures,
            Optional.ofNullable(lastError));
  }

  @Override
  public String toString() {
    return "ConsulAcknowledger[" + config.key() + "]";
  }

  /** Runs tasks one at a time, in submission order, on an executor of any size. */
  private static final class Serial {
    private final ScheduledExecutorService executor;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    Serial(ScheduledExecutorService executor) {
      this.executor = executor;
    }

    /** Queues {@code task}; false when the executor is shut down (the task will never run). */
    boolean execute(Runnable task) {
      if (executor.isShutdown()) {
        return false;
      }
      queue.add(task);
      schedule();
      return true;
    }

    private void schedule() {
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        try {
          executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
          draining.set(false); // shut down: nothing more runs
          queue.clear();
        }
      }
    }

    private void drain() {
      try {
        Runnable task;
        while ((task = queue.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            LOG.error("hotconf fleet: acknowledger task failed", e);
          }
        }
      } finally {
        draining.set(false);
        schedule();
      }
    }
  }
}
