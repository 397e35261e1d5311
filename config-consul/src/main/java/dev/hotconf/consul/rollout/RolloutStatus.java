package dev.hotconf.consul.rollout;

import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckRollout;
import dev.hotconf.consul.fleet.AckState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A staged rollout as seen from Consul: its record, who drives it, and every instance's part in it,
 * judged from the instances' acknowledgements. What {@code hotconf rollout status} shows and what
 * the {@link RolloutDriver} decides on.
 *
 * <p>Roles, while the rollout runs ({@link Role}): in the current stage an instance is {@code
 * canary} (runs the candidate), {@code unhealthy} (failed with it: rejected it, a push or reload
 * failed, or its health probe failed) or {@code pending} (not on it yet); outside the stage it is
 * {@code stable}; an instance whose labels do not match the selector is {@code outside-selector};
 * one that does not follow rollouts (an older hotconf, {@code follow-rollouts: false}) or reads
 * another key is {@code not-following}. After a halt, an instance still on the candidate is {@code
 * reverting} until it reports the stable version.
 *
 * <p>Immutable and thread-safe.
 */
public final class RolloutStatus {

  /** An instance's part in the rollout. */
  public enum Role {
    CANARY,
    UNHEALTHY,
    PENDING,
    STABLE,
    REVERTING,
    OUTSIDE_SELECTOR,
    NOT_FOLLOWING;

    /** {@code outside-selector}: the name as shown. */
    public String display() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One instance.
   *
   * @param ack its acknowledgement
   * @param role its part in the rollout
   * @param inStage whether the current stage selects it
   */
  public record Instance(Ack ack, Role role, boolean inStage) {
    public String id() {
      return ack.instance();
    }

    /** Its bucket (-1 when it does not follow rollouts). */
    public int bucket() {
      return ack.rollout() == null ? -1 : ack.rollout().bucket();
    }

    /** Why it is unhealthy (its first problem), or null. */
    public String reason() {
      return ack.firstProblem();
    }
  }

  /**
   * Who holds the driver's lock.
   *
   * @param name the driver's name ({@code user@host (pid N)})
   * @param since when it took the lock
   */
  public record Driver(String name, Instant since) {}

  private final String app;
  private final RolloutRecord record;
  private final long recordIndex;
  private final Driver driver;
  private final List<Instance> instances;
  private final List<String> unreadable;
  private final long acksIndex;
  private final Instant readAt;

  private RolloutStatus(
      String app,
      RolloutRecord record,
      long recordIndex,
      Driver driver,
      List<Instance> instances,
      List<String> unreadable,
      long acksIndex,
      Instant readAt) {
    this.app = app;
    this.record = record;
    this.recordIndex = recordIndex;
    this.driver = driver;
    this.instances = List.copyOf(instances);
    this.unreadable = List.copyOf(unreadable);
    this.acksIndex = acksIndex;
    this.readAt = readAt;
  }

  /**
   * Reads the record, the lock and the acknowledgements of {@code keys.app()}.
   *
   * @param ackPrefix where acknowledgements live ({@code hotconf/acks/})
   * @throws IllegalArgumentException (message starting with the record key) if the record cannot be
   *     read
   */
  public static RolloutStatus read(
      ConsulClient client, RolloutKeys keys, String ackPrefix, Clock clock) throws ConsulException {
    Objects.requireNonNull(client, "client");
    Optional<ConsulClient.Entry> entry = client.get(keys.record());
    RolloutRecord record = null;
    long index = 0;
    if (entry.isPresent()) {
      try {
        record = RolloutRecord.parse(entry.get().value());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(keys.record() + ": " + e.getMessage());
      }
      index = entry.get().modifyIndex();
    }
    Driver driver = DriverLock.holder(client, keys.lock()).orElse(null);
    return judged(client, keys.app(), ackPrefix, record, index, driver, clock);
  }

  /** The acknowledgements read and judged against {@code record} (null: no rollout). */
  static RolloutStatus judged(
      ConsulClient client,
      String app,
      String ackPrefix,
      RolloutRecord record,
      long recordIndex,
      Driver driver,
      Clock clock)
      throws ConsulException {
    String prefix = (ackPrefix.endsWith("/") ? ackPrefix : ackPrefix + "/") + app + "/";
    ConsulClient.Listing acks = client.list(prefix, 0, Duration.ofSeconds(1));
    List<Ack> read = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (ConsulClient.Entry e : acks.entries()) {
      if (e.key().endsWith("/")) {
        continue;
      }
      try {
        read.add(Ack.parse(e.value()));
      } catch (IllegalArgumentException ex) {
        unreadable.add(e.key() + ": " + ex.getMessage());
      }
    }
    return of(app, record, recordIndex, driver, read, unreadable, acks.index(), clock.instant());
  }

  /** Judges records already read. */
  static RolloutStatus of(
      String app,
      RolloutRecord record,
      long recordIndex,
      Driver driver,
      List<Ack> acks,
      List<String> unreadable,
      long acksIndex,
      Instant now) {
    List<Instance> out = new ArrayList<>();
    for (Ack a : acks) {
      out.add(judge(record, a));
    }
    out.sort(Comparator.comparing(Instance::id));
    return new RolloutStatus(app, record, recordIndex, driver, out, unreadable, acksIndex, now);
  }

  private static Instance judge(RolloutRecord r, Ack a) {
    AckRollout ar = a.rollout();
    if (ar == null || (r != null && !r.key().equals(a.key()))) {
      return new Instance(a, Role.NOT_FOLLOWING, false);
    }
    if (r == null) {
      return new Instance(a, Role.STABLE, false);
    }
    if (!r.plan().selector().matches(ar.labels())) {
      return new Instance(a, Role.OUTSIDE_SELECTOR, false);
    }
    boolean thisAttempt = r.id().equals(ar.id()) && r.attempt() == ar.attempt();
    boolean onCandidate =
        thisAttempt
            && ar.candidateIndex() == r.candidateIndex()
            && (a.state().equals(AckState.CANARY) || a.state().equals(AckState.UNHEALTHY));
    boolean inStage = r.active() && ar.bucket() < r.cut();
    if (!inStage) {
      boolean stillOn =
          r.id().equals(ar.id())
              && ar.candidateIndex() == r.candidateIndex()
              && (a.state().equals(AckState.CANARY) || a.state().equals(AckState.UNHEALTHY));
      return new Instance(a, stillOn ? Role.REVERTING : Role.STABLE, false);
    }
    if (onCandidate && a.state().equals(AckState.UNHEALTHY)) {
      return new Instance(a, Role.UNHEALTHY, true);
    }
    if (onCandidate) {
      return new Instance(a, Role.CANARY, true);
    }
    return new Instance(a, Role.PENDING, true);
  }

  // ------------------------------------------------------------------ views

  public String app() {
    return app;
  }

  /** The rollout record, if a rollout exists. */
  public Optional<RolloutRecord> record() {
    return Optional.ofNullable(record);
  }

  /** The record's ModifyIndex (0 without one). */
  public long recordIndex() {
    return recordIndex;
  }

  /** Who drives it, if a driver holds the lock. */
  public Optional<Driver> driver() {
    return Optional.ofNullable(driver);
  }

  /** Every instance with a readable acknowledgement, by ID. */
  public List<Instance> instances() {
    return instances;
  }

  /** Acknowledgements that could not be read ({@code key: reason}). */
  public List<String> unreadable() {
    return unreadable;
  }

  /** The acknowledgements' Consul index (to block on). */
  public long acksIndex() {
    return acksIndex;
  }

  public Instant readAt() {
    return readAt;
  }

  public List<Instance> with(Role role) {
    return instances.stream().filter(i -> i.role() == role).toList();
  }

  /** The instances the current stage selects. */
  public List<Instance> inStage() {
    return instances.stream().filter(Instance::inStage).toList();
  }

  /**
   * The instances the rollout applies to: they follow rollouts, read its key, match the selector.
   */
  public List<Instance> population() {
    return instances.stream()
        .filter(i -> i.role() != Role.NOT_FOLLOWING && i.role() != Role.OUTSIDE_SELECTOR)
        .toList();
  }

  /** How many in the stage acknowledged the candidate (canary or unhealthy). */
  public int acknowledged() {
    return (int)
        instances.stream()
            .filter(i -> i.role() == Role.CANARY || i.role() == Role.UNHEALTHY)
            .count();
  }

  /**
   * The bucket cut for a stage of {@code percent} % of the population: below it lie the buckets of
   * ⌈percent × N / 100⌉ of the N instances the rollout applies to (at least one), so a small fleet
   * gets the stage's share, not a random draw around it; never below {@code previousCut} (an
   * instance on the candidate stays on it); 10,000 at 100 %. Without any instance: percent × 100.
   */
  public int cutFor(double percent, int previousCut) {
    if (percent >= 100) {
      return AckRollout.BUCKETS;
    }
    List<Integer> buckets = population().stream().map(Instance::bucket).sorted().toList();
    int cut;
    if (buckets.isEmpty()) {
      cut = Buckets.nominalCut(percent);
    } else {
      int n = Math.max(1, (int) Math.ceil(percent * buckets.size() / 100.0 - 1e-9));
      cut = buckets.get(Math.min(n, buckets.size()) - 1) + 1;
    }
    return Math.min(AckRollout.BUCKETS, Math.max(previousCut, cut));
  }

  @Override
  public String toString() {
    return "RolloutStatus["
        + app
        + (record == null
            ? ": no rollout"
            : ": "
                + record.id()
                + " stage "
                + record.stage()
                + (record.halted() ? " halted" : "")
                + ", "
                + with(Role.CANARY).size()
                + " canary, "
                + with(Role.UNHEALTHY).size()
                + " unhealthy, "
                + with(Role.PENDING).size()
                + " pending, "
                + with(Role.STABLE).size()
                + " stable")
        + "]";
  }
}
