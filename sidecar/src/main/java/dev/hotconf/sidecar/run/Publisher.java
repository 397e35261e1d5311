package dev.hotconf.sidecar.run;

import dev.hotconf.ConfigSnapshot;
import dev.hotconf.HotConfig;
import dev.hotconf.Redactor;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.consul.rollout.RolloutFollower;
import dev.hotconf.sidecar.filetarget.CommandRunner;
import dev.hotconf.sidecar.filetarget.Reloader;
import dev.hotconf.sidecar.filetarget.SplayGate;
import dev.hotconf.sidecar.internal.http.HttpServerConfig;
import dev.hotconf.validate.ShrinkGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: the sidecar is the library's pipeline plus two outputs, and this class joins them. The
 * HTTP server starts first (so /healthz and a 503 /readyz answer during start-up), then
 * HotConfig.build() blocks for the first valid snapshot (a pin kept in the pin file is served over
 * HTTP before that). Every published snapshot goes to Pinning, which keeps it in the history and
 * decides what to serve: the snapshot, or nothing new while an operator's pin holds (a pin and its
 * lifting are served like new versions). What is served is rendered once (Published), offered to
 * every target: through the target's splay gate (a random wait, newest version wins) when it has
 * one, then to its worker; and then made visible to HTTP readers (waking long polls) and, with a
 * fleet: section, acknowledged to Consul. Targets come first: whoever sees the new version over
 * HTTP may stop the sidecar at once, and the shutdown then still delivers it. Offers happen under
 * publishLock, so the first version (handed on at once) can never overtake a later one held by a
 * gate. Rendering of /v1/status and /metrics is StatusJson's and PrometheusText's; reading
 * settings, tokens and signals is SidecarProcess's.
 */

/**
 * Publishes every valid version of the configuration to the sidecar's outputs: the HTTP API ({@link
 * ConfigServer}) and the push targets ({@link TargetWorker}). Thread-safe; started once.
 */
public final class Publisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
  /*
   * The JDK HttpClient's internal debug logger writes every request URI in full (user info and
   * query tokens of push targets included) at FINE as soon as java.util.logging is turned up, e.g.
   * `.level=ALL`. Turned off before the first client is made (strong reference: JUL holds loggers
   * weakly), and only then: a sidecar without URL targets loads no java.util.logging. The JDK's
   * explicit -Djdk.internal.httpclient.debug=true still prints to stderr for whoever asks for it.
   */
  private static java.util.logging.Logger jdkHttpDebug; // guarded by Publisher.class

  private final List<TargetSettings> targets;
  private final Clock clock;
  private final List<TargetWorker> workers = new ArrayList<>();
  private final List<Target> entries = new ArrayList<>();
  private final Object publishLock = new Object();
  private volatile Published published;
  private volatile HotConfig hotConfig;
  private volatile ConfigServer server;
  private HttpClient httpClient;
  private volatile RolloutFollower follower;
  private ShrinkGuard guard;
  private CommandRunner commandRunner = CommandRunner.fromSystemEnvironment();
  private SplayGate.Scheduler splayScheduler;
  private RandomGenerator.SplittableGenerator splayRandom = new SplittableRandom();
  private ScheduledThreadPoolExecutor ownedScheduler;
  private boolean firstOffered; // guarded by publishLock
  private volatile ConsulAcknowledger acknowledger;
  private volatile Pinning pinning =
      new Pinning(new History(20, 16 << 20), null, Clock.systemUTC());

  /**
   * One target: its worker, and its splay gate (null without splay). Status and metrics read both.
   */
  record Target(TargetSettings settings, TargetWorker worker, SplayGate<Published> gate) {}

  /** A publisher pushing to {@code targets} (none started before {@link #start}). */
  public Publisher(List<TargetSettings> targets) {
    this(targets, Clock.systemUTC());
  }

  Publisher(List<TargetSettings> targets, Clock clock) {
    this.targets = List.copyOf(targets);
    this.clock = clock;
  }

  /**
   * The shrink guard the config validates with ({@code guard:}), so that {@code POST
   * /v1/guard/allow} can let the next version through it. Call before {@link #start}.
   */
  public Publisher guard(ShrinkGuard guard) {
    this.guard = guard;
    return this;
  }

  /**
   * Keeps versions in {@code history} for {@code GET /v1/history} and pins, and a pin in {@code
   * pinFile} (null: a pin lasts until the process ends). Call before {@link #start}.
   */
  public void keepHistory(int versions, long maxBytes, Path pinFile) {
    pinning =
        new Pinning(
            new History(versions, maxBytes), pinFile == null ? null : new PinFile(pinFile), clock);
  }

  /**
   * Acknowledges every version to Consul with {@code acks} (the {@code fleet:} section): started
   * once the config is built, closed (its record removed) when the publisher stops. Call before
   * {@link #start}; {@code acks} must already track the Consul source it reports on.
   */
  public void acknowledgeWith(ConsulAcknowledger acks) {
    this.acknowledger = acks;
  }

  /** Runs the file targets' commands with {@code runner} (tests). Call before {@link #start}. */
  Publisher commandRunner(CommandRunner runner) {
    this.commandRunner = runner;
    return this;
  }

  /** Splay waits drawn from {@code random}, run by {@code scheduler} (tests). Before start. */
  Publisher splay(SplayGate.Scheduler scheduler, RandomGenerator.SplittableGenerator random) {
    this.splayScheduler = scheduler;
    this.splayRandom = random;
    return this;
  }

  private static synchronized void quietJdkHttpDebug() {
    if (jdkHttpDebug == null) {
      jdkHttpDebug = java.util.logging.Logger.getLogger("jdk.internal.httpclient.debug");
      jdkHttpDebug.setLevel(java.util.logging.Level.OFF);
    }
  }

  /** Starts the HTTP server with default limits, plain HTTP, on {@code listen}. */
  public InetSocketAddress startServer(InetSocketAddress listen, String token) throws IOException {
    return startServer(HttpServerConfig.builder().listen(listen).build(), token);
  }

  /** Starts the HTTP server; {@code token} (may be null) is required on all but /healthz. */
  public InetSocketAddress startServer(HttpServerConfig http, String token) throws IOException {
    server = new ConfigServer(this, http, token);
    LOG.info(
        "hotconf sidecar listening on {}://{}:{}",
        http.tls() == null ? "http" : "https",
        server.address().getHostString(),
        server.address().getPort());
    return server.address();
  }

  /**
   * Follows staged rollouts with {@code follower} (which owns the acknowledger given to {@link
   * #acknowledgeWith}): started instead of it once the config is built, closed with it. Call before
   * {@link #start}.
   */
  public void followRolloutsWith(RolloutFollower follower) {
    this.follower = follower;
  }

  /** The push workers (read by the rollout health probe). */
  List<TargetWorker> workers() {
    return workers;
  }

  /**
   * Builds the config (blocking until the first valid snapshot), then starts the push workers and
   * pushes the current version to every target. A pin kept from before a restart is served over
   * HTTP at once, and pushed once the targets exist.
   *
   * @param builder holds the sources, validators and start settings ({@code Assembly.builder()})
   */
  public void start(HotConfig.Builder builder) {
    Published restored;
    try {
      restored = pinning.restore();
    } catch (IOException e) {
      restored = null;
      LOG.warn("hotconf: ignoring the pin file: {}", e.getMessage());
    }
    if (restored != null) {
      LOG.warn(
          "hotconf: serving pinned version {} (kept from before the restart) until DELETE /v1/pin",
          restored.configVersion());
      serve(restored);
    }
    HotConfig built = builder.name("sidecar").build();
    hotConfig = built;
    createTargets(built.redactor());
    built.onChange(change -> publish(change.current()));
    publish(built.snapshot());
    workers.forEach(TargetWorker::start);
    RolloutFollower f = follower;
    ConsulAcknowledger acks = acknowledger;
    if (f != null) {
      f.start(built); // starts the acknowledger
    } else if (acks != null) {
      acks.start(built);
    }
    if (acks != null) {
      pinning
          .pin()
          .ifPresent(p -> acks.pin(p.entry().version(), p.entry().hash(), p.consulIndex()));
    }
  }

  private void createTargets(Redactor redactor) {
    // The JDK HttpClient keeps a selector thread for its whole life: only made for URL targets.
    if (targets.stream().anyMatch(TargetSettings::isUrl)) {
      quietJdkHttpDebug();
      httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    Path kill =
        Reloader.findKill(System.getenv("PATH")).orElse(Path.of("kill")); // checked at start
    List<Target> created = new ArrayList<>();
    for (TargetSettings t : targets) {
      PushTarget target =
          t.isUrl()
              ? new HttpPushTarget(
                  t.url().orElseThrow(), t.timeoutOrDefault(), httpClient, t.redactPath())
              : new FilePushTarget(t.fileSpec(kill), commandRunner, redactor, clock);
      TargetWorker worker =
          new TargetWorker(target, Duration.ofMillis(200), t.maxBackoffOrDefault(), clock);
      try {
        target.watch(worker::redeliver);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot watch the template of " + target.name(), e);
      }
      SplayGate<Published> gate = null;
      if (!t.splayOrZero().isZero()) {
        gate =
            new SplayGate<>(
                t.splayOrZero(), splayRandom.split(), scheduler(), clock, worker::offer);
      }
      created.add(new Target(t, worker, gate));
    }
    synchronized (publishLock) {
      created.forEach(t -> workers.add(t.worker()));
      entries.addAll(created);
      Published p = published;
      if (p != null) {
        offer(p); // a pin restored at start: the targets get it first
      }
    }
  }

  private SplayGate.Scheduler scheduler() {
    if (splayScheduler == null) {
      ownedScheduler =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread th = new Thread(r, "hotconf-splay");
                th.setDaemon(true);
                return th;
              });
      ownedScheduler.setRemoveOnCancelPolicy(true);
      splayScheduler = SplayGate.Scheduler.of(ownedScheduler);
    }
    return splayScheduler;
  }

  /**
   * A new snapshot of the config: kept in the history and, unless a pin holds, served. Called by
   * the start-up thread and the listener thread, possibly at once: {@link Pinning} numbers what to
   * serve under its lock and {@link #serve} drops anything older than what is served.
   */
  void publish(ConfigSnapshot snapshot) {
    Published p = pinning.onSnapshot(snapshot);
    if (p != null) {
      serve(p);
    }
  }

  /**
   * Makes {@code p} what the API serves and every target gets, unless a newer version already is:
   * the check, the store and the offers to the targets are one step, so the served version never
   * goes back and no target gets an older version after a newer one.
   */
  private void serve(Published p) {
    synchronized (publishLock) {
      Published current = published;
      if (current != null && current.version() >= p.version()) {
        return;
      }
      published = p;
      offer(p);
    }
    ConfigServer s = server;
    if (s != null) {
      s.published();
    }
  }

  /** Offers {@code p} to every target (through its splay gate); caller holds publishLock. */
  private void offer(Published p) {
    if (entries.isEmpty()) {
      return; // before the targets exist (a restored pin), or none configured
    }
    boolean first = !firstOffered;
    firstOffered = true;
    for (Target t : entries) {
      if (t.gate() == null) {
        t.worker().offer(p);
      } else if (first) {
        t.gate().pass(p); // the first version after start: at once
      } else {
        t.gate().offer(p);
      }
    }
  }

  /**
   * Pins configuration version {@code version} from the history: it is served and pushed (under the
   * next served version) and new versions are held back until {@link #unpin()}; the pin survives a
   * restart when a pin file is configured.
   *
   * @throws Pinning.UnknownVersion when the history does not hold that version
   * @throws IOException when the pin file cannot be written
   */
  Published pin(long version) throws Pinning.UnknownVersion, IOException {
    Published p = pinning.pin(version);
    serve(p);
    LOG.warn(
        "hotconf: pinned to version {}; new versions are held back until DELETE /v1/pin", version);
    ConsulAcknowledger acks = acknowledger;
    Pinning.Pin pin = pinning.pin().orElseThrow();
    if (acks != null) {
      acks.pin(pin.entry().version(), pin.entry().hash(), pin.consulIndex());
    }
    return p;
  }

  /**
   * Lifts the pin: the live version is served again. Returns what is served now.
   *
   * @throws IOException when the pin file cannot be removed
   */
  Published unpin() throws IOException {
    Published p = pinning.unpin();
    if (p != null) {
      serve(p);
      LOG.warn("hotconf: pin lifted; serving version {} again", p.configVersion());
      ConsulAcknowledger acks = acknowledger;
      if (acks != null) {
        acks.unpin();
      }
    }
    return published;
  }

  Pinning pinning() {
    return pinning;
  }

  /**
   * Lets the next version through the shrink guard once and validates the sources' current content
   * again ({@code POST /v1/guard/allow}).
   *
   * @return false when no guard is configured
   */
  boolean allowGuardOnce() {
    ShrinkGuard g = guard;
    HotConfig c = hotConfig;
    if (g == null) {
      return false;
    }
    g.allowNext();
    if (c != null) {
      c.recheck();
    }
    return true;
  }

  /** The shrink guard, if {@code guard:} configured one. */
  Optional<ShrinkGuard> guard() {
    return Optional.ofNullable(guard);
  }

  Published published() {
    return published;
  }

  /** The config, once built (null before). */
  public HotConfig hotConfig() {
    return hotConfig;
  }

  /** Whether every target has the newest version. */
  public boolean allDelivered() {
    return entries.stream()
        .allMatch(t -> t.worker().idle() && (t.gate() == null || t.gate().pending() == null));
  }

  /** Stops accepting requests, lets pushes in flight finish within the grace period, stops. */
  public void shutdown(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    if (server != null) {
      // stop accepting, answer parked long polls, let answers in progress finish (briefly)
      server.stop(grace.compareTo(Duration.ofSeconds(1)) < 0 ? grace : Duration.ofSeconds(1));
    }
    try {
      for (TargetWorker w : workers) {
        w.awaitSettled(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  @Override
  public void close() {
    RolloutFollower f = follower;
    if (f != null) {
      f.close(); // and its acknowledger
    }
    ConsulAcknowledger acks = acknowledger;
    if (acks != null) {
      acks.close(); // first: fleet status stops counting this instance at once
    }
    if (server != null) {
      server.close();
    }
    if (ownedScheduler != null) {
      ownedScheduler.shutdownNow();
    }
    workers.forEach(TargetWorker::close);
    for (TargetWorker w : workers) {
      w.target().close();
    }
    HotConfig c = hotConfig;
    if (c != null) {
      c.close();
    }
  }

  // ---- status and metrics (rendered by StatusJson and PrometheusText) ----

  String statusJson() {
    HotConfig c = hotConfig;
    return StatusJson.render(
        c == null ? null : c.status(), published, pinning, entries, guard, acknowledger, follower);
  }

  String metricsText() {
    HotConfig c = hotConfig;
    return PrometheusText.render(
        c == null ? null : c.status(), published, pinning, entries, guard, acknowledger, follower);
  }
}
