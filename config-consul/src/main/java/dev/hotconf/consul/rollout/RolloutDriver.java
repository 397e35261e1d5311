package dev.hotconf.consul.rollout;

import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulConnection;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.internal.Durations;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. The driver keeps no state of its own between two looks at Consul: each step reads the
 * record, the stable key, the candidate and the acknowledgements, judges them (RolloutStatus) and
 * makes at most one write, with check-and-set on what it read (the record's ModifyIndex, the stable
 * key's index at the start for the promotion). So a driver can stop at any point and another one
 * continues from the record: the bake of the current stage counts from the record's stageStarted,
 * the next stage's cut is computed from the fleet as it then is, and a promotion that wrote the
 * stable key but was killed before clearing the record is recognised (the stable key holds the
 * candidate's bytes) and finished. One driver at a time: a Consul session lock (DriverLock), with
 * LockDelay 0 so that taking over after a killed driver's session expired is not delayed further.
 *
 * Between steps the driver waits on a blocking query of the acknowledgements (an instance turning
 * unhealthy wakes it at once), at most the poll interval and at most until the bake ends, and never
 * looks more than ten times a second (a stage's instances write their records within moments of
 * each other).
 *
 * A halt is one write (halted: true with the failures): every instance reverts on its own within one
 * blocking-query answer. Nothing depends on the driver being alive for a revert or a halt.
 */

/**
 * Drives an application's staged rollout: writes the candidate and the record, moves the stages
 * when a stage has baked with enough instances on the candidate and too few unhealthy, halts and
 * reverts otherwise, and at 100 % promotes the candidate to the configuration key (check-and-set)
 * and clears the rollout.
 *
 * <pre>{@code
 * try (RolloutDriver driver = RolloutDriver.create(connection, DriverConfig.builder("orders").build())) {
 *   driver.lock();                                            // refuses a second driver
 *   driver.start("config/orders/app.yaml", candidateBytes, RolloutPlan.builder().build());
 *   RolloutDriver.Outcome outcome = driver.drive(event -> System.out.println(event.text()));
 * }
 * }</pre>
 *
 * <p>{@link #halt}, {@link #abort} and {@link RolloutStatus#read} need no lock: an operator can
 * halt or abort while a driver runs (the driver notices and stops).
 *
 * <p>Not thread-safe except {@link #close()}, which may be called from any thread (e.g. a signal
 * handler) and makes {@link #drive} return.
 */
public final class RolloutDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutDriver.class);
  private static final Duration PACE = Duration.ofMillis(100);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How a drive ended. */
  public enum Result {
    /** The candidate is the stable version now; the rollout is cleared. */
    PROMOTED,
    /**
     * The rollout is halted: everyone runs the stable version (automatically or by an operator).
     */
    HALTED,
    /** The rollout record is gone (aborted) or belongs to another rollout now. */
    ABORTED,
    /** The stable key or the candidate changed under the rollout: halted, not promoted. */
    CONFLICT,
    /** The driver lost its lock (its session expired) or was closed. */
    STOPPED
  }

  /**
   * How a drive ended.
   *
   * @param result what happened
   * @param message one line for the operator
   * @param record the last record seen (null when gone)
   * @param failures the instances that failed, for {@link Result#HALTED}
   */
  public record Outcome(
      Result result, String message, RolloutRecord record, List<RolloutRecord.Failure> failures) {
    public Outcome {
      failures = List.copyOf(failures);
    }
  }

  /** What happened while driving, for progress output. */
  public enum EventKind {
    STARTED,
    TAKEN_OVER,
    RESUMED,
    PROGRESS,
    STAGE,
    HALTED,
    PROMOTED,
    ABORTED
  }

  /**
   * A progress event.
   *
   * @param time when (the driver's clock)
   * @param kind what
   * @param text one line for the operator
   * @param status the rollout as judged at that moment (null for some kinds)
   */
  public record Event(Instant time, EventKind kind, String text, RolloutStatus status) {}

  /** One look: a terminal outcome, or when to look again at the latest. */
  record Step(Outcome outcome, Instant lookAgain) {}

  private final ConsulClient client;
  private final DriverConfig config;
  private final Clock clock;
  private final DriverLock lock;
  private volatile boolean closed;
  private String rolloutId;
  private String lastProgress;
  private int failuresInRow;

  private RolloutDriver(ConsulClient client, DriverConfig config) {
    this.client = client;
    this.config = config;
    this.clock = config.clock();
    this.lock =
        new DriverLock(client, config.keys().lock(), config.name(), config.lockTtl(), clock);
  }

  /** A driver for {@code config.app()} through {@code connection}; no request yet. */
  public static RolloutDriver create(ConsulConnection connection, DriverConfig config) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(config, "config");
    return new RolloutDriver(ConsulClient.create(connection), config);
  }

  public DriverConfig config() {
    return config;
  }

  /**
   * Takes the application's rollout lock.
   *
   * @throws RolloutException ({@link RolloutException.Kind#LOCK_HELD}) when another driver holds
   *     it, naming that driver
   */
  public void lock() throws ConsulException, RolloutException {
    lock.acquire();
  }

  private void requireLock() {
    if (!lock.held()) {
      throw new IllegalStateException("take the lock first (lock())");
    }
  }

  // ------------------------------------------------------------------ start and resume

  /**
   * Starts a rollout of {@code candidate} (bytes already validated) for {@code key}: writes the
   * candidate, then the record at the first stage. If a running rollout of the same candidate for
   * the same key exists, takes it over instead (its plan is kept).
   *
   * @throws RolloutException when another rollout is in progress or halted, the key does not exist,
   *     the candidate equals the key's value, or no instance that follows rollouts reads the key
   *     (and matches the plan's selector)
   */
  public Event start(String key, byte[] candidate, RolloutPlan plan)
      throws ConsulException, RolloutException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(plan, "plan");
    requireLock();
    String sha = sha256(candidate);
    Optional<ConsulClient.Entry> existing = client.get(config.keys().record());
    if (existing.isPresent()) {
      RolloutRecord r = readRecord(existing.get());
      if (r.key().equals(key) && sha.equals(r.candidateSha256()) && !r.halted()) {
        rolloutId = r.id();
        return new Event(
            clock.instant(),
            EventKind.TAKEN_OVER,
            "taking over rollout "
                + r.id()
                + " of the same candidate at stage "
                + stageText(r)
                + (r.plan().equals(plan)
                    ? ""
                    : " (with its own plan: " + r.plan().describe() + ")"),
            null);
      }
      throw new RolloutException(
          RolloutException.Kind.CONFLICT,
          "rollout "
              + r.id()
              + " of "
              + config.app()
              + " ("
              + r.key()
              + ", candidate "
              + shortHash(r.candidateSha256())
              + ") is "
              + (r.halted() ? "halted: " + r.reason() : "at stage " + stageText(r))
              + "; run rollout resume to drive it or rollout abort to drop it first");
    }
    ConsulClient.Entry stable =
        client
            .get(key)
            .orElseThrow(
                () ->
                    new RolloutException(
                        RolloutException.Kind.NO_STABLE_VERSION,
                        key
                            + " does not exist in Consul: there is no stable version to roll out"
                            + " from; publish the first version with hotconf publish"));
    if (Arrays.equals(stable.value(), candidate)) {
      throw new RolloutException(
          RolloutException.Kind.UNCHANGED,
          key + " already holds this content (ModifyIndex " + stable.modifyIndex() + ")");
    }
    RolloutRecord probe = firstRecord("r-probe", key, stable.modifyIndex(), 1, sha, plan, 0);
    RolloutStatus fleet = judge(probe, 0);
    if (fleet.population().isEmpty()) {
      throw new RolloutException(
          RolloutException.Kind.NO_INSTANCES,
          "no instance of "
              + config.app()
              + " that follows staged rollouts reads "
              + key
              + (plan.selector().selectsEverything() ? "" : " and matches " + plan.selector())
              + " ("
              + fleet.instances().size()
              + " acknowledgements, "
              + fleet.with(RolloutStatus.Role.NOT_FOLLOWING).size()
              + " of them not following rollouts); nothing would judge the candidate");
    }
    client.put(config.keys().candidate(), candidate);
    ConsulClient.Entry written =
        client
            .get(config.keys().candidate())
            .filter(e -> Arrays.equals(e.value(), candidate))
            .orElseThrow(
                () ->
                    new RolloutException(
                        RolloutException.Kind.CONFLICT,
                        config.keys().candidate() + " changed right after it was written"));
    int cut = fleet.cutFor(plan.stages().get(0), 0);
    RolloutRecord r =
        firstRecord(newId(), key, stable.modifyIndex(), written.modifyIndex(), sha, plan, cut);
    if (!client.cas(config.keys().record(), r.toBytes(), 0)) {
      throw new RolloutException(
          RolloutException.Kind.CONFLICT,
          "another rollout of " + config.app() + " was started at the same moment");
    }
    rolloutId = r.id();
    return new Event(
        clock.instant(),
        EventKind.STARTED,
        "started rollout "
            + r.id()
            + " of "
            + key
            + ": candidate "
            + shortHash(sha)
            + " at "
            + config.keys().candidate()
            + " (ModifyIndex "
            + r.candidateIndex()
            + "); "
            + r.plan().describe(),
        null);
  }

  private RolloutRecord firstRecord(
      String id,
      String key,
      long stableIndex,
      long candidateIndex,
      String sha,
      RolloutPlan plan,
      int cut) {
    Instant now = clock.instant();
    return new RolloutRecord(
        RolloutRecord.FORMAT,
        id,
        config.app(),
        key,
        stableIndex,
        Math.max(1, candidateIndex),
        sha,
        plan,
        cut == 0 ? 0 : 1,
        cut,
        1,
        false,
        null,
        List.of(),
        now,
        now,
        now,
        config.name());
  }

  /**
   * Takes over the application's rollout: a halted one is resumed (its next attempt, at the stage
   * where it halted, baking from now); a running one whose driver is gone is simply driven on.
   *
   * @throws RolloutException ({@link RolloutException.Kind#NO_ROLLOUT}) without a rollout
   */
  public Event resume() throws ConsulException, RolloutException {
    requireLock();
    for (int attempt = 0; attempt < 10; attempt++) {
      ConsulClient.Entry e =
          client
              .get(config.keys().record())
              .orElseThrow(
                  () ->
                      new RolloutException(
                          RolloutException.Kind.NO_ROLLOUT,
                          "there is no rollout of " + config.app() + " to resume"));
      RolloutRecord r = readRecord(e);
      rolloutId = r.id();
      if (!r.halted()) {
        return new Event(
            clock.instant(),
            EventKind.TAKEN_OVER,
            "taking over rollout " + r.id() + " at stage " + stageText(r),
            null);
      }
      RolloutRecord resumed = r.resume(clock.instant());
      if (client.cas(config.keys().record(), resumed.toBytes(), e.modifyIndex())) {
        return new Event(
            clock.instant(),
            EventKind.RESUMED,
            "resumed rollout "
                + r.id()
                + " (attempt "
                + resumed.attempt()
                + ") at stage "
                + stageText(resumed)
                + "; it was halted: "
                + r.reason(),
            null);
      }
    }
    throw new RolloutException(
        RolloutException.Kind.CONFLICT, "the rollout record keeps changing; try again");
  }

  // ------------------------------------------------------------------ driving

  /**
   * Drives the rollout (after {@link #start} or {@link #resume}) until it is promoted, halted,
   * aborted, in conflict, or the driver stops; reports progress to {@code events} (on this thread).
   */
  public Outcome drive(Consumer<Event> events) throws ConsulException, InterruptedException {
    Objects.requireNonNull(events, "events");
    requireLock();
    long acksIndex = 0;
    long lastLook = 0;
    while (true) {
      if (closed || lock.lost() || !lock.held()) {
        return new Outcome(
            Result.STOPPED,
            lock.lost()
                ? "the driver's lock session expired; another driver may take over (rollout resume)"
                : "the driver stopped; the rollout stays where it is (rollout resume to go on)",
            null,
            List.of());
      }
      long sincePace = System.nanoTime() - lastLook;
      if (lastLook != 0 && sincePace < PACE.toNanos()) {
        TimeUnit.NANOSECONDS.sleep(PACE.toNanos() - sincePace); // a rate limit, not synchronisation
      }
      lastLook = System.nanoTime();
      Step s;
      try {
        s = step(events);
        failuresInRow = 0;
      } catch (ConsulException e) {
        if (closed) {
          continue;
        }
        if (!passing(e)) {
          throw e;
        }
        failuresInRow++;
        if (failuresInRow == 1 || failuresInRow % 10 == 0) {
          events.accept(
              new Event(
                  clock.instant(),
                  EventKind.PROGRESS,
                  "Consul: " + e.getMessage() + "; retrying (the instances go on by themselves)",
                  null));
        }
        long ceiling =
            Math.min(config.pollInterval().toMillis(), 200L << Math.min(10, failuresInRow - 1));
        TimeUnit.MILLISECONDS.sleep(ceiling / 2 + RANDOM.nextInt((int) (ceiling / 2) + 1));
        continue;
      }
      if (s.outcome() != null) {
        return s.outcome();
      }
      Duration left = Duration.between(clock.instant(), s.lookAgain());
      if (left.isNegative() || left.isZero()) {
        continue;
      }
      long seconds =
          Math.max(1, Math.min(config.pollInterval().toSeconds(), (left.toMillis() + 999) / 1000));
      try {
        acksIndex =
            client
                .list(config.appAckPrefix(), Math.max(1, acksIndex), Duration.ofSeconds(seconds))
                .index();
      } catch (ConsulException e) {
        if (!closed) {
          LOG.debug("hotconf rollout: waiting on the acknowledgements failed: {}", e.getMessage());
        }
      }
    }
  }

  /** One look at Consul, and at most one write. */
  Step step(Consumer<Event> events) throws ConsulException {
    Optional<ConsulClient.Entry> entry = client.get(config.keys().record());
    if (entry.isEmpty()) {
      events.accept(new Event(clock.instant(), EventKind.ABORTED, "the rollout was aborted", null));
      return terminal(Result.ABORTED, "the rollout record is gone: the rollout was aborted", null);
    }
    RolloutRecord r;
    try {
      r = RolloutRecord.parse(entry.get().value());
    } catch (IllegalArgumentException e) {
      return terminal(
          Result.CONFLICT,
          config.keys().record() + " cannot be read (" + e.getMessage() + "); stopping",
          null);
    }
    long recordIndex = entry.get().modifyIndex();
    if (rolloutId != null && !r.id().equals(rolloutId)) {
      return terminal(
          Result.ABORTED,
          "rollout " + rolloutId + " was replaced by rollout " + r.id() + "; stopping",
          r);
    }
    rolloutId = r.id();
    if (r.halted()) {
      return new Step(
          new Outcome(
              Result.HALTED, "rollout " + r.id() + " is halted: " + r.reason(), r, r.failures()),
          null);
    }
    Optional<ConsulClient.Entry> stable = client.get(r.key());
    if (stable.isEmpty() || stable.get().modifyIndex() != r.stableIndex()) {
      if (stable.isPresent() && sha256(stable.get().value()).equals(r.candidateSha256())) {
        clear();
        String text =
            "promoted: "
                + r.key()
                + " holds the candidate (ModifyIndex "
                + stable.get().modifyIndex()
                + "); rollout "
                + r.id()
                + " cleared";
        events.accept(new Event(clock.instant(), EventKind.PROMOTED, text, null));
        return terminal(Result.PROMOTED, text, r);
      }
      String why =
          r.key()
              + " changed during the rollout (ModifyIndex "
              + r.stableIndex()
              + " when it started, "
              + stable.map(x -> Long.toString(x.modifyIndex())).orElse("deleted")
              + " now): not promoting over someone else's change";
      return halted(r, recordIndex, why, List.of(), Result.CONFLICT, events);
    }
    Optional<ConsulClient.Entry> candidate = client.get(config.keys().candidate());
    if (candidate.isEmpty()
        || candidate.get().modifyIndex() != r.candidateIndex()
        || !sha256(candidate.get().value()).equals(r.candidateSha256())) {
      String why =
          config.keys().candidate()
              + " changed or disappeared during the rollout (ModifyIndex "
              + r.candidateIndex()
              + " expected)";
      return halted(r, recordIndex, why, List.of(), Result.CONFLICT, events);
    }
    RolloutStatus view = judge(r, recordIndex);
    Instant now = clock.instant();
    List<RolloutStatus.Instance> inStage = view.inStage();
    List<RolloutStatus.Instance> unhealthy = view.with(RolloutStatus.Role.UNHEALTHY);
    progress(r, view, events);
    if (r.plan().maxUnhealthy().exceeded(unhealthy.size(), inStage.size())) {
      List<RolloutRecord.Failure> failures = new ArrayList<>();
      unhealthy.forEach(
          i -> failures.add(new RolloutRecord.Failure(i.id(), "unhealthy", i.reason())));
      String why =
          unhealthy.size()
              + " of "
              + inStage.size()
              + " instances at stage "
              + stageText(r)
              + " unhealthy with the candidate (tolerated: "
              + r.plan().maxUnhealthy().tolerated(inStage.size())
              + ")";
      return halted(r, recordIndex, why, failures, Result.HALTED, events);
    }
    if (now.isBefore(r.bakeEnds())) {
      return new Step(null, r.bakeEnds());
    }
    int needed = r.plan().needed(inStage.size());
    int acked = view.acknowledged();
    if (inStage.isEmpty() || acked < needed) {
      Instant deadline = r.bakeEnds().plus(r.plan().ackTimeout());
      if (now.isBefore(deadline)) {
        return new Step(null, deadline);
      }
      List<RolloutRecord.Failure> failures = new ArrayList<>();
      view.with(RolloutStatus.Role.PENDING)
          .forEach(
              i ->
                  failures.add(
                      new RolloutRecord.Failure(
                          i.id(),
                          "pending",
                          "did not run the candidate within the bake and "
                              + Durations.format(r.plan().ackTimeout())
                              + " ("
                              + i.ack().state()
                              + ")")));
      String why =
          inStage.isEmpty()
              ? "no instance is in stage "
                  + stageText(r)
                  + " (none follows rollouts, reads "
                  + r.key()
                  + " and matches the selector): nothing to judge the candidate by"
              : "only "
                  + acked
                  + " of "
                  + inStage.size()
                  + " instances at stage "
                  + stageText(r)
                  + " run the candidate "
                  + Durations.format(r.plan().ackTimeout())
                  + " after the bake ("
                  + needed
                  + " needed)";
      return halted(r, recordIndex, why, failures, Result.HALTED, events);
    }
    if (r.lastStage()) {
      return promote(r, candidate.get(), events);
    }
    double next = r.plan().stages().get(r.stage());
    RolloutRecord advanced = r.advanced(view.cutFor(next, r.cut()), now);
    if (!client.cas(config.keys().record(), advanced.toBytes(), recordIndex)) {
      return new Step(null, now); // changed meanwhile (a halt?): look again
    }
    RolloutStatus after = judge(advanced, 0);
    events.accept(
        new Event(
            now,
            EventKind.STAGE,
            "stage "
                + stageText(advanced)
                + ": "
                + after.inStage().size()
                + " of "
                + after.population().size()
                + " instances (bucket cut "
                + advanced.cut()
                + "), baking "
                + Durations.format(advanced.plan().bake()),
            after));
    lastProgress = null;
    return new Step(null, advanced.bakeEnds());
  }

  private Step promote(RolloutRecord r, ConsulClient.Entry candidate, Consumer<Event> events)
      throws ConsulException {
    byte[] bytes = candidate.value();
    if (!client.cas(r.key(), bytes, r.stableIndex())) {
      Optional<ConsulClient.Entry> now = client.get(r.key());
      if (now.isEmpty() || !Arrays.equals(now.get().value(), bytes)) {
        Optional<ConsulClient.Entry> e = client.get(config.keys().record());
        String why =
            r.key()
                + " changed during the rollout (check-and-set on ModifyIndex "
                + r.stableIndex()
                + " failed): not promoting over someone else's change";
        return halted(
            r,
            e.map(ConsulClient.Entry::modifyIndex).orElse(0L),
            why,
            List.of(),
            Result.CONFLICT,
            events);
      }
    }
    long index = client.get(r.key()).map(ConsulClient.Entry::modifyIndex).orElse(0L);
    clear();
    String text =
        "promoted: "
            + r.key()
            + " now holds the candidate "
            + shortHash(r.candidateSha256())
            + " (ModifyIndex "
            + r.stableIndex()
            + " -> "
            + index
            + "); rollout "
            + r.id()
            + " cleared";
    events.accept(new Event(clock.instant(), EventKind.PROMOTED, text, null));
    return terminal(Result.PROMOTED, text, r);
  }

  private void clear() throws ConsulException {
    client.delete(config.keys().record());
    client.delete(config.keys().candidate());
  }

  private Step halted(
      RolloutRecord r,
      long recordIndex,
      String why,
      List<RolloutRecord.Failure> failures,
      Result result,
      Consumer<Event> events)
      throws ConsulException {
    RolloutRecord h = r.halt(why, failures, clock.instant());
    if (!client.cas(config.keys().record(), h.toBytes(), recordIndex)) {
      return new Step(null, clock.instant()); // changed meanwhile: look again
    }
    StringBuilder text = new StringBuilder("HALTED and reverted: ").append(why);
    for (RolloutRecord.Failure f : h.failures()) {
      text.append("\n  ").append(f.instance()).append(" (").append(f.state()).append("): ");
      text.append(f.reason().isEmpty() ? "(no reason given)" : f.reason());
    }
    events.accept(new Event(clock.instant(), EventKind.HALTED, text.toString(), null));
    return new Step(new Outcome(result, why, h, h.failures()), null);
  }

  private void progress(RolloutRecord r, RolloutStatus view, Consumer<Event> events) {
    String text =
        "stage "
            + stageText(r)
            + ": "
            + view.with(RolloutStatus.Role.CANARY).size()
            + " canary, "
            + view.with(RolloutStatus.Role.UNHEALTHY).size()
            + " unhealthy, "
            + view.with(RolloutStatus.Role.PENDING).size()
            + " pending of "
            + view.inStage().size()
            + " in the stage; bake ends "
            + r.bakeEnds();
    if (!text.equals(lastProgress)) {
      lastProgress = text;
      events.accept(new Event(clock.instant(), EventKind.PROGRESS, text, view));
    }
  }

  private RolloutStatus judge(RolloutRecord r, long recordIndex) throws ConsulException {
    return RolloutStatus.judged(
        client, config.app(), config.ackPrefix(), r, recordIndex, null, clock);
  }

  /** A failure worth retrying: Consul out of reach for a moment, no leader, overloaded. */
  private static boolean passing(ConsulException e) {
    return switch (e.kind()) {
      case CONNECTION,
          TIMEOUT,
          NO_LEADER,
          NO_KNOWN_LEADER,
          UNAVAILABLE,
          RATE_LIMITED,
          SERVER_ERROR ->
          true;
      default -> false;
    };
  }

  private static Step terminal(Result result, String message, RolloutRecord r) {
    return new Step(new Outcome(result, message, r, List.of()), null);
  }

  private RolloutRecord readRecord(ConsulClient.Entry e) throws RolloutException {
    try {
      return RolloutRecord.parse(e.value());
    } catch (IllegalArgumentException ex) {
      throw new RolloutException(
          RolloutException.Kind.CONFLICT,
          config.keys().record() + " cannot be read (" + ex.getMessage() + ")");
    }
  }

  // ------------------------------------------------------------------ operator actions (no lock)

  /**
   * Halts the rollout of {@code keys.app()}: one write, after which every instance runs the stable
   * version. A driver that runs notices and stops. Returns the halted record (unchanged if it was
   * halted already).
   *
   * @throws RolloutException ({@link RolloutException.Kind#NO_ROLLOUT}) without a rollout
   */
  public static RolloutRecord halt(
      ConsulClient client, RolloutKeys keys, String reason, Clock clock)
      throws ConsulException, RolloutException {
    Objects.requireNonNull(reason, "reason");
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<ConsulClient.Entry> e = client.get(keys.record());
      if (e.isEmpty()) {
        throw new RolloutException(
            RolloutException.Kind.NO_ROLLOUT, "there is no rollout of " + keys.app());
      }
      RolloutRecord r;
      try {
        r = RolloutRecord.parse(e.get().value());
      } catch (IllegalArgumentException ex) {
        throw new RolloutException(
            RolloutException.Kind.CONFLICT,
            keys.record() + " cannot be read (" + ex.getMessage() + "); rollout abort removes it");
      }
      if (r.halted()) {
        return r;
      }
      RolloutRecord h = r.halt(reason, List.of(), clock.instant());
      if (client.cas(keys.record(), h.toBytes(), e.get().modifyIndex())) {
        return h;
      }
    }
    throw new RolloutException(
        RolloutException.Kind.CONFLICT, "the rollout record keeps changing; try again");
  }

  /**
   * Aborts the rollout of {@code keys.app()}: deletes the record (every instance runs the stable
   * version) and the candidate; the stable key is untouched. Returns whether there was a rollout.
   */
  public static boolean abort(ConsulClient client, RolloutKeys keys) throws ConsulException {
    boolean existed = client.get(keys.record()).isPresent();
    client.delete(keys.record());
    client.delete(keys.candidate());
    return existed;
  }

  // ------------------------------------------------------------------ misc

  /** {@code 2/4 (10 %)}. */
  static String stageText(RolloutRecord r) {
    return r.stage()
        + "/"
        + r.plan().stages().size()
        + " ("
        + RolloutPlan.percent(r.percent())
        + " %)";
  }

  static String shortHash(String sha) {
    return sha == null ? "-" : sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  /** SHA-256 of {@code bytes}, hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is always available", e);
    }
  }

  private static String newId() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return "r-" + HexFormat.of().formatHex(b);
  }

  /** Stops the lock's renewals without releasing it, as a killed driver would (tests). */
  void kill() {
    closed = true;
    lock.kill();
    client.close();
  }

  /**
   * Stops: releases the lock (another driver can take over at once) and the connections; a {@link
   * #drive} in progress returns {@link Result#STOPPED}. The rollout stays in Consul as it is.
   * Idempotent; any thread.
   */
  @Override
  public void close() {
    closed = true;
    lock.close();
    client.close();
  }

  @Override
  public String toString() {
    return "RolloutDriver[" + config + "]";
  }
}
