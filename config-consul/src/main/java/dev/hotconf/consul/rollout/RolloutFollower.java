package dev.hotconf.consul.rollout;

import dev.hotconf.HotConfig;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.fleet.Ack;
import dev.hotconf.consul.fleet.AckRollout;
import dev.hotconf.consul.fleet.AckState;
import dev.hotconf.consul.fleet.ConsulAcknowledger;
import dev.hotconf.source.ConfigSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. The follower joins three things an instance already has: the Consul source (wrapped in a
 * RolloutSource that picks stable or candidate), the acknowledger (whose record gains the rollout
 * part through ConsulAcknowledger.extend), and the pipeline's verdicts (which the acknowledger
 * already tracks: a candidate it runs shows as live at the candidate's index, a candidate it refused
 * as rejected at that index). The state written is a pure function of the acknowledger's record,
 * the source's decision and a sticky "sick" mark set by the health probe:
 *
 *   pinned                                  -> pinned (an operator's choice wins)
 *   no rollout of this key                  -> the record as it is (live, rejected)
 *   rollout, not selected (or halted)       -> stable
 *   selected, probe failed this attempt     -> unhealthy (the probe's message)
 *   selected, rejected the candidate        -> unhealthy (the pipeline's problems)
 *   selected, live at the candidate's index -> canary
 *   selected, candidate not live yet        -> stable
 *
 * Unhealthy from the probe is sticky for the rollout's attempt: a probe that fails once and passes
 * later has still failed with the candidate, and the driver must see it. A resume starts a new
 * attempt, so the mark no longer applies.
 */

/**
 * Makes an instance follow its application's staged rollouts: it runs the candidate when the
 * rollout selects it (by bucket and labels), reports {@code canary}, {@code stable} or {@code
 * unhealthy} in its acknowledgement, and probes its health while the candidate is live.
 *
 * <pre>{@code
 * ConsulSourceConfig source = ConsulSourceConfig.key("config/orders/app.yaml").build();
 * ConsulAcknowledger acks =
 *     ConsulAcknowledger.create(AcknowledgerConfig.builder("orders", ConsulConnection.of(source)).build());
 * RolloutFollower rollouts =
 *     RolloutFollower.create(
 *         acks,
 *         FollowerConfig.builder()
 *             .labels(Map.of("zone", "eu-1"))
 *             .healthProbe(() -> db.isHealthy() ? Optional.empty() : Optional.of("database unreachable"))
 *             .build());
 * HotConfig config = HotConfig.builder().source(rollouts.track(ConsulSource.create(source))).build();
 * rollouts.start(config); // starts the acknowledger too
 * // ... on shutdown:
 * rollouts.close(); // and the acknowledger: the record goes
 * }</pre>
 *
 * <p>Thread-safe. No method accepts null.
 */
public final class RolloutFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutFollower.class);

  /**
   * Where the follower stands, for status pages.
   *
   * @param bucket this instance's bucket
   * @param labels its labels
   * @param decision what its source runs and why
   * @param state the state its acknowledgement reports (empty before the first)
   * @param unhealthy why it is unhealthy for the current rollout attempt, if it is
   */
  public record Status(
      int bucket,
      Map<String, String> labels,
      RolloutSource.Decision decision,
      Optional<AckState> state,
      List<String> unhealthy) {}

  /** The probe's verdict for one rollout attempt's candidate. */
  private record Sick(String id, int attempt, long candidateIndex, List<String> reasons) {
    boolean appliesTo(RolloutRecord r) {
      return r.id().equals(id) && r.attempt() == attempt && r.candidateIndex() == candidateIndex;
    }
  }

  private final ConsulAcknowledger acks;
  private final FollowerConfig config;
  private final RolloutKeys keys;
  private final int bucket;
  private volatile RolloutSource source;
  private volatile Sick sick;
  private volatile boolean closed;
  private int probeFailuresInRow;
  private ScheduledExecutorService executor;
  private boolean ownsExecutor;
  private ScheduledFuture<?> probing;

  private RolloutFollower(ConsulAcknowledger acks, FollowerConfig config) {
    this.acks = acks;
    this.config = config;
    this.keys = new RolloutKeys(config.keyPrefix(), acks.config().app());
    this.bucket = Buckets.bucket(acks.config().app(), acks.config().instance());
  }

  /**
   * A follower reporting through {@code acks} (not started yet; the follower starts and closes it
   * from now on).
   */
  public static RolloutFollower create(ConsulAcknowledger acks, FollowerConfig config) {
    Objects.requireNonNull(acks, "acks");
    Objects.requireNonNull(config, "config");
    return new RolloutFollower(acks, config);
  }

  /** This instance's bucket. */
  public int bucket() {
    return bucket;
  }

  public RolloutKeys keys() {
    return keys;
  }

  /**
   * Wraps the source of the application's configuration key: the returned source (a {@link
   * RolloutSource}, tracked by the acknowledger) delivers the stable version or the candidate. Add
   * it to the {@code HotConfig} in place of {@code stable}. Call once, before {@link #start}.
   *
   * @throws IllegalArgumentException if {@code stable} reads a prefix
   * @throws IllegalStateException if called twice
   */
  public ConfigSource track(ConsulSource stable) {
    Objects.requireNonNull(stable, "stable");
    synchronized (this) {
      if (source != null) {
        throw new IllegalStateException("track: a source is tracked already");
      }
      RolloutSource s = RolloutSource.create(stable, keys, bucket, config.labels());
      s.onDecision(d -> acks.refresh());
      acks.extend(this::extend);
      source = s;
      return acks.track(s, s.key());
    }
  }

  /**
   * Starts the acknowledger on {@code config} and, with a health probe, the probing.
   *
   * @throws IllegalStateException before {@link #track}, or if already started
   */
  public void start(HotConfig hotConfig) {
    Objects.requireNonNull(hotConfig, "hotConfig");
    synchronized (this) {
      if (source == null) {
        throw new IllegalStateException("start: call track first");
      }
      if (executor != null) {
        throw new IllegalStateException("start: already started");
      }
      acks.start(hotConfig);
      if (config.healthProbe().isEmpty()) {
        return;
      }
      ownsExecutor = config.executor().isEmpty();
      executor =
          config
              .executor()
              .orElseGet(
                  () ->
                      Executors.newSingleThreadScheduledExecutor(
                          r -> {
                            Thread t = new Thread(r, "hotconf-rollout-" + keys.app());
                            t.setDaemon(true);
                            return t;
                          }));
      long every = config.healthInterval().toNanos();
      try {
        probing = executor.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        LOG.warn("hotconf rollout: the probe executor is shut down; no health probes");
      }
    }
  }

  /** Where the follower stands now. */
  public Status status() {
    RolloutSource s = source;
    RolloutSource.Decision d =
        s == null
            ? new RolloutSource.Decision(RolloutSource.Role.NONE, null, false, "not tracking")
            : s.decision();
    Optional<AckState> state = acks.status().wanted().map(Ack::state);
    Sick k = sick;
    List<String> why =
        d.rollout() != null && k != null && k.appliesTo(d.rollout()) ? k.reasons() : List.of();
    return new Status(bucket, config.labels(), d, state, why);
  }

  /** Stops probing and closes the acknowledger (its record goes). Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (probing != null) {
        probing.cancel(false);
      }
      if (ownsExecutor && executor != null) {
        executor.shutdownNow();
      }
    }
    acks.close();
  }

  // ------------------------------------------------------------------ the record

  private Ack extend(Ack base) {
    RolloutSource s = source;
    AckRollout idle = AckRollout.idle(bucket, config.labels());
    RolloutSource.Decision d = s == null ? null : s.decision();
    RolloutRecord r = d == null ? null : d.rollout();
    if (base.state().equals(AckState.PINNED) || r == null) {
      return base.with(base.state(), base.problems(), idle);
    }
    AckRollout stable = new AckRollout(bucket, config.labels(), r.id(), r.attempt(), 0);
    if (!d.selected()) {
      boolean refusedOther =
          base.state().equals(AckState.REJECTED) && base.rejectedIndex() != r.candidateIndex();
      return refusedOther
          ? base.with(AckState.REJECTED, base.problems(), stable)
          : base.with(AckState.STABLE, List.of(), stable);
    }
    AckRollout onCandidate =
        new AckRollout(bucket, config.labels(), r.id(), r.attempt(), r.candidateIndex());
    Sick k = sick;
    if (k != null && k.appliesTo(r)) {
      return base.with(AckState.UNHEALTHY, k.reasons(), onCandidate);
    }
    if (base.state().equals(AckState.REJECTED) && base.rejectedIndex() == r.candidateIndex()) {
      return base.with(AckState.UNHEALTHY, base.problems(), onCandidate);
    }
    if (base.state().equals(AckState.LIVE) && base.index() == r.candidateIndex()) {
      return base.with(AckState.CANARY, List.of(), onCandidate);
    }
    return base.with(AckState.STABLE, List.of(), stable);
  }

  // ------------------------------------------------------------------ probing

  private void probe() {
    if (closed) {
      return;
    }
    RolloutSource s = source;
    RolloutRecord r = s == null ? null : s.decision().rollout();
    boolean canary =
        r != null
            && acks.status().wanted().map(a -> a.state().equals(AckState.CANARY)).orElse(false);
    if (!canary) {
      probeFailuresInRow = 0;
      return;
    }
    Optional<String> verdict;
    try {
      verdict = Objects.requireNonNull(config.healthProbe().orElseThrow().check(), "null verdict");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      verdict =
          Optional.of(
              "health probe threw "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    if (verdict.isEmpty()) {
      probeFailuresInRow = 0;
      return;
    }
    probeFailuresInRow++;
    if (probeFailuresInRow < config.healthFailures()) {
      return;
    }
    probeFailuresInRow = 0;
    LOG.warn(
        "hotconf rollout: unhealthy with candidate index {} of rollout {}: {}",
        r.candidateIndex(),
        r.id(),
        verdict.get());
    sick = new Sick(r.id(), r.attempt(), r.candidateIndex(), List.of(verdict.get()));
    acks.refresh();
  }

  @Override
  public String toString() {
    return "RolloutFollower[" + keys.record() + ", bucket " + bucket + "]";
  }
}
