package dev.hotconf.consul.fleet;

import dev.hotconf.consul.ConsulClient;
import dev.hotconf.consul.ConsulException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a fleet runs: every instance's acknowledgement of one application, read from {@code
 * hotconf/acks/<app>/}, judged against the current index of the Consul key each instance follows.
 *
 * <ul>
 *   <li>An instance is <b>current</b> when it is {@code live} at the key's current ModifyIndex (an
 *       instance that follows no Consul key is current when live); during a staged rollout, an
 *       instance that runs the stable version ({@code stable}) at that index is current too, and
 *       one on the candidate ({@code canary}, {@code unhealthy}) is neither current nor behind.
 *   <li>It is <b>behind</b> otherwise, unless pinned; <b>stale</b> when behind and another instance
 *       adopted the current index more than {@code staleAfter} ago (by that instance's record
 *       time): the version had time to arrive.
 *   <li>The <b>gate</b> passes when there is at least one instance and every instance is current:
 *       no rejection, no pin, nobody behind, no unreadable record. A deployment pipeline waits for
 *       it ({@link #await}).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class FleetStatus {

  /**
   * One instance as judged.
   *
   * @param recordKey the Consul key of its record
   * @param ack its record
   * @param currentIndex the current index of the key it follows (0 if it follows none, or the key
   *     is gone)
   * @param current whether it runs that index, live
   * @param stale whether it is behind for longer than the threshold
   */
  public record Instance(
      String recordKey, Ack ack, long currentIndex, boolean current, boolean stale) {

    /**
     * Behind: not current and not pinned (a pin is an operator's choice, listed apart), nor on a
     * staged rollout's candidate ({@link #onCandidate()}, listed apart).
     */
    public boolean behind() {
      return !current
          && !ack.state().equals(AckState.PINNED)
          && !rejectedCurrent()
          && !onCandidate();
    }

    /**
     * Whether it runs, or failed with, a staged rollout's candidate ({@code canary}, {@code
     * unhealthy}).
     */
    public boolean onCandidate() {
      return ack.state().equals(AckState.CANARY) || ack.state().equals(AckState.UNHEALTHY);
    }

    /** Whether it rejected the current version. */
    public boolean rejectedCurrent() {
      return ack.state().equals(AckState.REJECTED)
          && (currentIndex == 0 || ack.rejectedIndex() == currentIndex);
    }
  }

  /** A record that could not be read: its key and why (never its content). */
  public record Unreadable(String recordKey, String reason) {}

  /** Instances running one content hash. */
  public record HashGroup(String hash, List<String> instances, List<Long> versions, long index) {}

  private final String app;
  private final Map<String, Long> currentIndexes;
  private final List<Instance> instances;
  private final List<Unreadable> unreadable;
  private final long recordsIndex;
  private final Instant readAt;

  private FleetStatus(
      String app,
      Map<String, Long> currentIndexes,
      List<Instance> instances,
      List<Unreadable> unreadable,
      long recordsIndex,
      Instant readAt) {
    this.app = app;
    this.currentIndexes = Map.copyOf(currentIndexes);
    this.instances = List.copyOf(instances);
    this.unreadable = List.copyOf(unreadable);
    this.recordsIndex = recordsIndex;
    this.readAt = readAt;
  }

  /**
   * Reads the records of {@code app} under {@code keyPrefix} (normally {@link
   * AcknowledgerConfig#DEFAULT_KEY_PREFIX}) and the current index of every key they follow.
   */
  public static FleetStatus read(
      ConsulClient client, String keyPrefix, String app, Duration staleAfter, Clock clock)
      throws ConsulException {
    return read(client, keyPrefix, app, staleAfter, clock, 0, Duration.ofSeconds(1));
  }

  private static FleetStatus read(
      ConsulClient client,
      String keyPrefix,
      String app,
      Duration staleAfter,
      Clock clock,
      long blockOn,
      Duration wait)
      throws ConsulException {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(clock, "clock");
    String prefix = (keyPrefix.endsWith("/") ? keyPrefix : keyPrefix + "/") + app + "/";
    ConsulClient.Listing records = client.list(prefix, blockOn, wait);
    List<Ack> acks = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    for (ConsulClient.Entry e : records.entries()) {
      if (e.key().endsWith("/")) {
        continue; // a folder key
      }
      try {
        acks.add(Ack.parse(e.value()));
        keys.add(e.key());
      } catch (IllegalArgumentException ex) {
        unreadable.add(new Unreadable(e.key(), ex.getMessage()));
      }
    }
    Map<String, Long> current = new TreeMap<>();
    for (Ack a : acks) {
      if (a.key() != null && !current.containsKey(a.key())) {
        current.put(a.key(), currentIndex(client, a.key()));
      }
    }
    return of(app, keys, acks, unreadable, current, records.index(), clock.instant(), staleAfter);
  }

  /** The shortest time between two reads of {@link #await}: a change wakes it once per this. */
  public static final Duration AWAIT_READ_INTERVAL = Duration.ofMillis(100);

  /**
   * Reads until the gate passes or {@code timeout} runs out, following changes to the records with
   * blocking queries (and re-reading the keys' indexes each time); returns the last status read. A
   * read that fails for a passing reason (no connection, no leader, 5xx, 429) is retried within the
   * wait. Reads are at least {@link #AWAIT_READ_INTERVAL} apart: a fleet acknowledging a version
   * writes one record per instance, and reading every record back after each of those writes would
   * cost Consul (and this process) thousands of reads.
   */
  public static FleetStatus await(
      ConsulClient client,
      String keyPrefix,
      String app,
      Duration staleAfter,
      Clock clock,
      Duration timeout)
      throws ConsulException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastRead = System.nanoTime();
    FleetStatus status = read(client, keyPrefix, app, staleAfter, clock);
    ConsulException failure = null;
    while (!status.gatePasses() || failure != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        if (failure != null) {
          throw failure;
        }
        return status;
      }
      long pace = lastRead + AWAIT_READ_INTERVAL.toNanos() - System.nanoTime();
      if (pace > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(pace, left)); // a rate limit, not synchronisation
      } else if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      // wake on any record change; at least every 5 s to see a new key index without a record
      long seconds = Math.max(1, Math.min(5, TimeUnit.NANOSECONDS.toSeconds(left)));
      lastRead = System.nanoTime();
      try {
        status =
            read(
                client,
                keyPrefix,
                app,
                staleAfter,
                clock,
                Math.max(1, status.recordsIndex),
                Duration.ofSeconds(seconds));
        failure = null;
      } catch (ConsulException e) {
        if (!transientFailure(e)) {
          throw e;
        }
        failure = e; // a leader election, a dropped connection: read again within the wait
      }
    }
    return status;
  }

  private static boolean transientFailure(ConsulException e) {
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

  /**
   * The ModifyIndex of a key, or for a prefix ({@code .../}) the highest among its keys; 0 if none.
   */
  static long currentIndex(ConsulClient client, String key) throws ConsulException {
    if (key.endsWith("/")) {
      long max = 0;
      for (ConsulClient.Entry e : client.list(key, 0, Duration.ofSeconds(1)).entries()) {
        if (!e.key().endsWith("/")) {
          max = Math.max(max, e.modifyIndex());
        }
      }
      return max;
    }
    return client.get(key).map(ConsulClient.Entry::modifyIndex).orElse(0L);
  }

  /** Judges records already read (what {@link #read} does after reading). */
  static FleetStatus of(
      String app,
      List<String> recordKeys,
      List<Ack> acks,
      List<Unreadable> unreadable,
      Map<String, Long> currentIndexes,
      long recordsIndex,
      Instant now,
      Duration staleAfter) {
    Map<String, Instant> firstAdoption = new LinkedHashMap<>();
    for (Ack a : acks) {
      Long current = a.key() == null ? null : currentIndexes.get(a.key());
      if (current != null && a.index() == current && runsStable(a)) {
        firstAdoption.merge(a.key(), a.time(), (x, y) -> x.isBefore(y) ? x : y);
      }
    }
    List<Instance> out = new ArrayList<>();
    for (int i = 0; i < acks.size(); i++) {
      Ack a = acks.get(i);
      long current = a.key() == null ? 0 : currentIndexes.getOrDefault(a.key(), 0L);
      boolean isCurrent = runsStable(a) && (a.key() == null || a.index() == current);
      Instant adopted = a.key() == null ? null : firstAdoption.get(a.key());
      Instance judged = new Instance(recordKeys.get(i), a, current, isCurrent, false);
      boolean stale = judged.behind() && adopted != null && adopted.plus(staleAfter).isBefore(now);
      out.add(new Instance(recordKeys.get(i), a, current, isCurrent, stale));
    }
    out.sort(Comparator.comparing(x -> x.ack().instance()));
    return new FleetStatus(app, currentIndexes, out, unreadable, recordsIndex, now);
  }

  private static boolean runsStable(Ack a) {
    return a.state().equals(AckState.LIVE) || a.state().equals(AckState.STABLE);
  }

  public String app() {
    return app;
  }

  /** Every instance with a readable record, by instance ID. */
  public List<Instance> instances() {
    return instances;
  }

  /** Records that could not be read. */
  public List<Unreadable> unreadable() {
    return unreadable;
  }

  /** The current index of every key the instances follow. */
  public Map<String, Long> currentIndexes() {
    return currentIndexes;
  }

  /** The key most instances follow, if any follows one. */
  public Optional<String> mainKey() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Instance i : instances) {
      if (i.ack().key() != null) {
        counts.merge(i.ack().key(), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
  }

  /** When this status was read (the reader's clock). */
  public Instant readAt() {
    return readAt;
  }

  /** Instances per content hash, most instances first (instances without a hash left out). */
  public List<HashGroup> byHash() {
    Map<String, List<Instance>> groups = new LinkedHashMap<>();
    for (Instance i : instances) {
      if (i.ack().hash() != null) {
        groups.computeIfAbsent(i.ack().hash(), h -> new ArrayList<>()).add(i);
      }
    }
    List<HashGroup> out = new ArrayList<>();
    groups.forEach(
        (hash, members) -> {
          TreeSet<Long> versions = new TreeSet<>();
          long index = 0;
          List<String> names = new ArrayList<>();
          for (Instance m : members) {
            versions.add(m.ack().version());
            index = Math.max(index, m.ack().index());
            names.add(m.ack().instance());
          }
          out.add(new HashGroup(hash, names, List.copyOf(versions), index));
        });
    out.sort(
        Comparator.comparing((HashGroup g) -> -g.instances().size()).thenComparing(g -> g.hash()));
    return out;
  }

  public List<Instance> current() {
    return instances.stream().filter(Instance::current).toList();
  }

  public List<Instance> rejected() {
    return instances.stream().filter(i -> i.ack().state().equals(AckState.REJECTED)).toList();
  }

  public List<Instance> pinned() {
    return instances.stream().filter(i -> i.ack().state().equals(AckState.PINNED)).toList();
  }

  public List<Instance> behind() {
    return instances.stream().filter(Instance::behind).toList();
  }

  /** Instances on a staged rollout's candidate ({@code canary} or {@code unhealthy}). */
  public List<Instance> onCandidate() {
    return instances.stream().filter(Instance::onCandidate).toList();
  }

  public List<Instance> stale() {
    return instances.stream().filter(Instance::stale).toList();
  }

  /** Whether every instance (at least one) runs the current version, live. */
  public boolean gatePasses() {
    return !instances.isEmpty()
        && unreadable.isEmpty()
        && instances.stream().allMatch(Instance::current);
  }

  @Override
  public String toString() {
    return "FleetStatus["
        + app
        + ": "
        + current().size()
        + "/"
        + instances.size()
        + " current, "
        + rejected().size()
        + " rejected, "
        + pinned().size()
        + " pinned, "
        + behind().size()
        + " behind, "
        + unreadable.size()
        + " unreadable]";
  }
}
