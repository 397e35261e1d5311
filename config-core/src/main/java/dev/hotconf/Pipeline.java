package dev.hotconf;

import dev.hotconf.internal.TreeOps;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import dev.hotconf.validate.ValidationContext;
import dev.hotconf.validate.Validator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design: sources report on their own threads into per-source Slots (guarded by stateLock) and
 * schedule a reload. Reloads run on one daemon thread, coalesced (many reports, one reload), under
 * publishLock, which also guards setting creation, so a setting's cell can never be installed out
 * of order. A reload merges every source's last good content in precedence order, skips content
 * equal to the live snapshot, validates (validators + every registered setting's conversion), and
 * only then publishes through the AtomicReference, installs the settings' cells, notifies listeners
 * (each on its own serial queue, off this thread) and writes the last-known-good file.
 */
final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HotConfig.class);

  /** How long the pipeline thread outlives its last reload. */
  static final Duration PIPELINE_IDLE = Duration.ofSeconds(2);

  private final String name;
  private final List<Slot> slots = new ArrayList<>();
  private final List<Validator> validators;
  private final Redactor redactor;
  private final Clock clock;
  private final LastKnownGoodFile lastKnownGood;
  private final Executor listenerExecutor;
  private final ExecutorService ownedListenerExecutor;
  private final ThreadPoolExecutor reloadExecutor;

  private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>();
  private final ReentrantLock publishLock = new ReentrantLock();
  private final Object stateLock = new Object();
  private final SettingRegistry registry = new SettingRegistry();
  private final AtomicBoolean reloadScheduled = new AtomicBoolean();
  private final CountDownLatch firstSnapshot = new CountDownLatch(1);
  private final CopyOnWriteArrayList<ChangeSubscription> changeListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<SerialListener<ConfigFailure>> failureListeners =
      new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  // guarded by stateLock
  private long reloads;
  private long rejections;
  private long unchanged;
  private long sourceFailures;
  private ConfigFailure lastFailure;
  private List<Problem> lastRejection = List.of();
  private boolean rejecting;
  private boolean fromLastKnownGood;
  private Instant lastSuccess;

  Pipeline(
      String name,
      List<ConfigSource> sources,
      List<Validator> validators,
      Redactor redactor,
      Clock clock,
      Path lastKnownGood,
      Executor listenerExecutor) {
    this.name = name;
    this.validators = List.copyOf(validators);
    this.redactor = redactor;
    this.clock = clock;
    this.lastKnownGood = lastKnownGood == null ? null : new LastKnownGoodFile(lastKnownGood);
    if (listenerExecutor == null) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              4,
              4,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              daemonThreads("hotconf-" + name + "-listener"));
      pool.allowCoreThreadTimeOut(true);
      this.ownedListenerExecutor = pool;
      this.listenerExecutor = ownedListenerExecutor;
    } else {
      this.ownedListenerExecutor = null;
      this.listenerExecutor = listenerExecutor;
    }
    // One reload at a time, on a thread that exists only while there is work: it ends after
    // PIPELINE_IDLE without a reload and the next reload starts a new one (tens of microseconds,
    // against milliseconds for a reload), so an idle HotConfig holds no pipeline thread.
    this.reloadExecutor =
        new ThreadPoolExecutor(
            1,
            1,
            PIPELINE_IDLE.toNanos(),
            TimeUnit.NANOSECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads("hotconf-" + name + "-pipeline"));
    this.reloadExecutor.allowCoreThreadTimeOut(true);
    for (ConfigSource source : sources) {
      slots.add(new Slot(source));
    }
  }

  static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  // ---- lifecycle ----

  void start() {
    for (Slot slot : slots) {
      try {
        slot.source.start(slot);
      } catch (RuntimeException e) {
        slot.onFailure(
            e instanceof ConfigException ce
                ? ce
                : new ConfigException(
                    Problem.at(
                        null,
                        null,
                        "source "
                            + slot.source.name()
                            + " failed to start: "
                            + e.getClass().getSimpleName())));
      }
    }
  }

  /** Waits for the first snapshot; else boots from last-known-good; else throws every problem. */
  void awaitFirstSnapshot(Duration timeout) throws InterruptedException {
    if (firstSnapshot.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return;
    }
    publishLock.lock();
    try {
      if (current.get() == null) {
        bootFromLastKnownGood("no valid configuration within " + timeout);
      }
    } finally {
      publishLock.unlock();
    }
    if (current.get() == null) {
      boolean unavailable;
      synchronized (stateLock) {
        unavailable =
            slots.stream()
                .anyMatch(
                    s ->
                        s.state == SourceStatus.State.PENDING
                            || (s.state == SourceStatus.State.FAILING && s.content == null));
      }
      throw new ConfigStartupException(startupProblems(timeout), unavailable);
    }
  }

  private List<Problem> startupProblems(Duration timeout) {
    List<Problem> problems = new ArrayList<>();
    synchronized (stateLock) {
      for (Slot s : slots) {
        if (s.state == SourceStatus.State.PENDING) {
          problems.add(
              new Problem(
                  null, null, "source " + s.source.name() + " has not answered within " + timeout));
        } else if (s.state == SourceStatus.State.FAILING && s.content == null) {
          problems.addAll(s.problems);
        }
      }
      if (rejecting) {
        problems.addAll(lastRejection);
      }
    }
    if (problems.isEmpty()) {
      problems.add(new Problem(null, null, "no valid configuration within " + timeout));
    }
    return problems;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Slot slot : slots) {
      try {
        slot.source.close();
      } catch (RuntimeException e) {
        LOG.warn("hotconf source {} failed to close: {}", slot.source.name(), e.toString());
      }
    }
    reloadExecutor.shutdownNow();
    if (ownedListenerExecutor != null) {
      ownedListenerExecutor.shutdown();
    }
    try {
      reloadExecutor.awaitTermination(5, TimeUnit.SECONDS);
      if (ownedListenerExecutor != null
          && !ownedListenerExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
        ownedListenerExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- reload ----

  /** Validates the sources' current content again (asynchronously). */
  void recheck() {
    scheduleReload();
  }

  private void scheduleReload() {
    if (!closed && reloadScheduled.compareAndSet(false, true)) {
      try {
        reloadExecutor.execute(this::reload);
      } catch (RejectedExecutionException e) {
        reloadScheduled.set(false);
      }
    }
  }

  private void reload() {
    reloadScheduled.set(false);
    if (closed) {
      return;
    }
    publishLock.lock();
    try {
      reloadLocked();
    } catch (RuntimeException | Error e) {
      LOG.error("hotconf {}: reload failed unexpectedly; the live config stays", name, e);
    } finally {
      publishLock.unlock();
    }
  }

  private void reloadLocked() {
    List<ConfigObject> contents = new ArrayList<>();
    boolean allAnswered = true;
    boolean blocked = false;
    synchronized (stateLock) {
      for (Slot s : slots) {
        allAnswered &= s.state != SourceStatus.State.PENDING;
        blocked |=
            s.state == SourceStatus.State.PENDING
                || (s.state == SourceStatus.State.FAILING && s.content == null);
        if (s.content != null) {
          contents.add(s.content);
        }
      }
    }
    ConfigSnapshot live = current.get();
    if (live == null && blocked) {
      if (allAnswered) {
        bootFromLastKnownGood("sources are failing");
      }
      return;
    }
    ConfigObject merged = ConfigObject.empty(ConfigOrigin.of(name, "(merged)"));
    for (ConfigObject c : contents) {
      merged = TreeOps.merge(merged, c);
    }
    ConfigSnapshot candidate = ConfigSnapshot.candidate(merged, clock.instant(), redactor);
    if (live != null && live.hash().equals(candidate.hash())) {
      synchronized (stateLock) {
        unchanged++;
        rejecting = false;
        fromLastKnownGood = false;
      }
      return;
    }
    List<Problem> problems = new ArrayList<>();
    List<Runnable> commits = validate(candidate, problems);
    if (!problems.isEmpty()) {
      reject(problems, live);
      if (live == null) {
        bootFromLastKnownGood("the sources' configuration is invalid");
      }
      return;
    }
    publish(candidate, commits, false);
  }

  /**
   * Runs validators and converts every setting; returns the cell installs for publication. Adds
   * each distinct problem to {@code problems} once: two accessors reading the same bad value (an
   * {@code IntSetting} on {@code db.pool.max} and a record bound at {@code db.pool}) find the same
   * problem, and a rejection lists it once.
   */
  private List<Runnable> validate(ConfigSnapshot candidate, List<Problem> problems) {
    Set<Problem> found = new LinkedHashSet<>();
    ValidationContext ctx = new ValidationContext(candidate, current.get(), redactor);
    for (Validator v : validators) {
      try {
        v.validate(ctx);
      } catch (RuntimeException e) {
        ctx.problem(
            new Problem(
                null,
                null,
                "validator "
                    + v.getClass().getName()
                    + " threw "
                    + e.getClass().getName()
                    + " (details at DEBUG)"));
        LOG.debug("hotconf validator {} threw", v.getClass().getName(), e);
      }
    }
    found.addAll(ctx.problems());
    List<Runnable> commits = new ArrayList<>();
    for (Accessor<?> s : registry.live()) {
      prepare(s, candidate, found, commits);
    }
    problems.addAll(found);
    return commits;
  }

  private static void prepare(
      Accessor<?> s, ConfigSnapshot candidate, Set<Problem> problems, List<Runnable> commits) {
    try {
      Accessor.Cell cell = s.compute(candidate);
      commits.add(() -> s.commit(cell));
    } catch (ConfigValueException e) {
      problems.addAll(e.problems());
    }
  }

  private void reject(List<Problem> problems, ConfigSnapshot live) {
    ConfigFailure failure =
        new ConfigFailure(ConfigFailure.Kind.REJECTED, null, problems, clock.instant());
    synchronized (stateLock) {
      rejections++;
      rejecting = true;
      lastRejection = List.copyOf(problems);
      lastFailure = failure;
    }
    LOG.warn(
        "hotconf {}: rejected a new configuration ({}); {}:\n{}",
        name,
        problems.size() == 1 ? "1 problem" : problems.size() + " problems",
        live == null ? "no configuration is live yet" : "version " + live.version() + " stays live",
        loggable(failure));
    announce(failure);
  }

  private void publish(ConfigSnapshot candidate, List<Runnable> commits, boolean fromLkg) {
    ConfigSnapshot live = current.get();
    long version = live == null ? 1 : live.version() + 1;
    Instant now = clock.instant();
    ConfigSnapshot snapshot = candidate.publishedAs(version, now, fromLkg);
    // listeners registered from here on see the new snapshot through snapshot(), not as an event
    List<ChangeSubscription> subscribers = List.copyOf(changeListeners);
    current.set(snapshot);
    for (Runnable commit : commits) {
      commit.run();
    }
    synchronized (stateLock) {
      reloads++;
      rejecting = false;
      fromLastKnownGood = fromLkg;
      lastSuccess = now;
    }
    if (!subscribers.isEmpty() || LOG.isInfoEnabled()) {
      ConfigDiff diff = ConfigDiff.between(live, snapshot);
      LOG.info(
          "hotconf {}: published version {} (hash {}, {} keys, {} changed)",
          name,
          version,
          snapshot.hash(),
          snapshot.values().size(),
          diff.changes().size());
      if (!subscribers.isEmpty()) {
        ConfigChange change = new ConfigChange(live, snapshot, diff);
        for (ChangeSubscription sub : subscribers) {
          sub.offer(change);
        }
      }
    }
    if (lastKnownGood != null && !fromLkg) {
      lastKnownGood.write(snapshot);
    }
    firstSnapshot.countDown();
  }

  private void bootFromLastKnownGood(String why) {
    if (lastKnownGood == null || current.get() != null || closed) {
      return;
    }
    ConfigObject saved = lastKnownGood.read();
    if (saved == null) {
      return;
    }
    ConfigSnapshot candidate = ConfigSnapshot.candidate(saved, clock.instant(), redactor);
    List<Problem> problems = new ArrayList<>();
    List<Runnable> commits = validate(candidate, problems);
    if (!problems.isEmpty()) {
      LOG.warn(
          "hotconf {}: the last-known-good file {} is itself invalid, not booting from it:\n{}",
          name,
          lastKnownGood.path(),
          loggable(
              new ConfigFailure(ConfigFailure.Kind.REJECTED, null, problems, clock.instant())));
      return;
    }
    LOG.warn(
        "hotconf {}: booting from the last-known-good file {} because {}; "
            + "it will be replaced as soon as the sources deliver a valid configuration",
        name,
        lastKnownGood.path(),
        why);
    publish(candidate, commits, true);
  }

  private void announce(ConfigFailure failure) {
    for (SerialListener<ConfigFailure> l : failureListeners) {
      l.offer(failure);
    }
  }

  // ---- accessors for HotConfig ----

  ConfigSnapshot current() {
    return current.get();
  }

  Executor listenerExecutor() {
    return listenerExecutor;
  }

  SettingRegistry registry() {
    return registry;
  }

  Redactor redactor() {
    return redactor;
  }

  /** Creates and registers a setting against the live snapshot (throws if it does not convert). */
  <S extends Accessor<?>> S register(S setting) {
    publishLock.lock();
    try {
      ConfigSnapshot live = current.get();
      if (live == null) {
        throw new IllegalStateException("no configuration is live yet");
      }
      setting.commit(setting.compute(live));
      registry.add(setting);
      return setting;
    } finally {
      publishLock.unlock();
    }
  }

  Registration addChangeListener(String prefix, ChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    ChangeSubscription[] holder = new ChangeSubscription[1];
    holder[0] =
        new ChangeSubscription(
            prefix,
            new SerialListener<>(
                listener,
                listener::onChange,
                listenerExecutor,
                () -> changeListeners.remove(holder[0])));
    changeListeners.add(holder[0]);
    return holder[0].listener;
  }

  Registration addFailureListener(FailureListener listener) {
    Objects.requireNonNull(listener, "listener");
    @SuppressWarnings("unchecked")
    SerialListener<ConfigFailure>[] holder = new SerialListener[1];
    holder[0] =
        new SerialListener<>(
            listener,
            listener::onFailure,
            listenerExecutor,
            () -> failureListeners.remove(holder[0]));
    failureListeners.add(holder[0]);
    return holder[0];
  }

  ConfigStatus status() {
    ConfigSnapshot live = current.get();
    synchronized (stateLock) {
      List<SourceStatus> sources = new ArrayList<>();
      for (Slot s : slots) {
        sources.add(
            new SourceStatus(
                s.source.name(),
                s.state,
                s.since,
                s.lastContent,
                s.problems.isEmpty()
                    ? null
                    : new ConfigFailure(
                            ConfigFailure.Kind.SOURCE_FAILED, s.source.name(), s.problems, s.since)
                        .message()));
      }
      return new ConfigStatus(
          live == null ? 0 : live.version(),
          live == null ? null : live.hash(),
          lastSuccess,
          lastFailure,
          sources,
          reloads,
          rejections,
          unchanged,
          sourceFailures,
          fromLastKnownGood,
          rejecting);
    }
  }

  private record ChangeSubscription(String prefix, SerialListener<ConfigChange> listener) {
    void offer(ConfigChange change) {
      if (prefix == null) {
        listener.offer(change);
      } else if (change.diff().touches(prefix)) {
        listener.offer(
            new ConfigChange(change.previous(), change.current(), change.diff().under(prefix)));
      }
    }
  }

  /**
   * A failure's problems for a log line, one per line, each with its control characters (C0 but
   * tab, DEL, C1, line separators, bidirectional formatting) written as {@code \}{@code uXXXX}:
   * keys quoted in messages come from documents, and a raw escape sequence or line break in them
   * would rewrite a terminal or forge log lines.
   */
  static String loggable(ConfigFailure failure) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : failure.problems()) {
      sb.append(sb.length() == 0 ? "" : "\n");
      String text = p.toString();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean control =
            (c < 0x20 && c != '\t')
                || (c >= 0x7F && c <= 0x9F)
                || c == 0x061C
                || c == 0x200E
                || c == 0x200F
                || (c >= 0x2028 && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
        if (control) {
          sb.append(String.format("\\u%04X", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
    return sb.toString();
  }

  /** One source's last good content and state; the listener the source reports to. */
  private final class Slot implements SourceListener {
    final ConfigSource source;
    ConfigObject content;
    SourceStatus.State state = SourceStatus.State.PENDING;
    Instant since = clock.instant();
    Instant lastContent;
    List<Problem> problems = List.of();

    Slot(ConfigSource source) {
      this.source = source;
    }

    @Override
    public Redactor redactor() {
      return redactor;
    }

    @Override
    public void onContent(ConfigObject newContent) {
      Objects.requireNonNull(newContent, "content");
      if (closed) {
        return;
      }
      synchronized (stateLock) {
        content = newContent;
        enter(SourceStatus.State.OK);
        lastContent = clock.instant();
        problems = List.of();
      }
      scheduleReload();
    }

    @Override
    public void onMissing(String reason) {
      if (closed) {
        return;
      }
      List<Problem> missing =
          List.of(new Problem(null, null, source.name() + " is missing: " + reason));
      boolean changed;
      synchronized (stateLock) {
        changed = enter(SourceStatus.State.MISSING) || !missing.equals(problems);
        problems = missing;
        if (changed) {
          lastFailure =
              new ConfigFailure(
                  ConfigFailure.Kind.SOURCE_MISSING, source.name(), missing, clock.instant());
        }
      }
      if (changed) {
        LOG.warn(
            "hotconf {}: source {} is missing ({}); {}",
            name,
            source.name(),
            reason,
            content == null ? "it contributes nothing" : "its last good content stays in use");
        announce(
            new ConfigFailure(
                ConfigFailure.Kind.SOURCE_MISSING, source.name(), missing, clock.instant()));
      }
      scheduleReload();
    }

    @Override
    public void onFailure(ConfigException error) {
      if (closed) {
        return;
      }
      ConfigFailure failure =
          new ConfigFailure(
              ConfigFailure.Kind.SOURCE_FAILED, source.name(), error.problems(), clock.instant());
      boolean changed;
      synchronized (stateLock) {
        changed = enter(SourceStatus.State.FAILING) || !error.problems().equals(problems);
        problems = error.problems();
        sourceFailures++;
        lastFailure = failure;
      }
      if (changed) {
        LOG.warn(
            "hotconf {}: source {} failed; {}:\n{}",
            name,
            source.name(),
            content == null ? "it has no content yet" : "its last good content stays in use",
            loggable(failure));
      } else {
        LOG.debug(
            "hotconf {}: source {} still failing: {}", name, source.name(), loggable(failure));
      }
      announce(failure);
      scheduleReload();
    }

    /** Moves to {@code next}; returns whether the state changed. Caller holds stateLock. */
    private boolean enter(SourceStatus.State next) {
      if (state == next) {
        return false;
      }
      state = next;
      since = clock.instant();
      return true;
    }
  }
}
