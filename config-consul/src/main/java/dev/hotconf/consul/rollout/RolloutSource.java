package dev.hotconf.consul.rollout;

import dev.hotconf.ConfigException;
import dev.hotconf.ConfigObject;
import dev.hotconf.consul.ConsulSource;
import dev.hotconf.consul.ConsulSourceConfig;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.source.ConfigSource;
import dev.hotconf.source.SourceListener;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. Three ConsulSources (the existing blocking-query machinery: one loop, rate limit, retry
 * and index rules each) watch the configuration key, the rollout's candidate and its record; they
 * report into this class under one lock, which decides and delivers downstream (to the pipeline)
 * only the content it chose: the stable key's or the candidate's. The rest of the pipeline is
 * unchanged: it merges, validates and publishes what it gets, and rejects a bad candidate like any
 * bad version (keeping the last good one live). A switch is one delivery, so a stage change or a
 * revert costs each instance one blocking-query answer, one parse and one reload.
 *
 * The first delivery waits until the stable key and the record have answered (and, for a selected
 * instance, the candidate), so an instance that starts in the middle of a rollout goes straight to
 * the right version. A candidate that does not parse is delivered as the failure it is (the
 * instance then reports it as rejected: unhealthy); a record that cannot be read counts as no
 * rollout (everyone runs stable); a transport failure of the candidate or record watch keeps the
 * last known state, as any source keeps its last good content.
 */

/**
 * A configuration source for a Consul key that follows the staged rollouts of its application: it
 * delivers the key's own content (the stable version) or, while the application's rollout record
 * selects this instance, the candidate version, and switches within one blocking-query answer when
 * the record changes (a new stage, a halt, a promotion).
 *
 * <p>An instance is selected when the record is for this key, is not halted, is at a stage above 0,
 * the instance's {@linkplain Buckets bucket} is below the stage's cut and its labels match the
 * rollout's selector ({@link RolloutRecord#selects}), and the candidate at the record's {@code
 * candidateIndex} has arrived. Values of the candidate carry origins naming the candidate key
 * ({@code consul:hotconf/rollouts/<app>/candidate@<index>:line:col}); the source's name is the
 * wrapped source's.
 *
 * <p>Usually created by {@link RolloutFollower#track}. Thread-safe; {@link #close()} closes the
 * three watches.
 */
public final class RolloutSource implements ConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutSource.class);

  /** What the source delivers. */
  public enum Role {
    /** No rollout of this key is in progress: the stable version. */
    NONE,
    /**
     * A rollout is in progress and this instance runs the stable version (not selected, halted).
     */
    STABLE,
    /** This instance runs the rollout's candidate. */
    CANDIDATE
  }

  /**
   * What the source decided, with the record it decided on.
   *
   * @param role what it delivers
   * @param rollout the rollout record of this key (null without one)
   * @param selected whether the record selects this instance (the candidate may still be on its
   *     way: then the role is {@link Role#STABLE})
   * @param why a short explanation for status pages
   */
  public record Decision(Role role, RolloutRecord rollout, boolean selected, String why) {}

  /** What was delivered downstream last: content (by identity), a missing key, or a failure. */
  private static final Object MISSING = new Object();

  private final ConsulSource stable;
  private final ConsulSource candidate;
  private final ConsulSource record;
  private final String stableKey;
  private final RolloutKeys keys;
  private final int bucket;
  private final Map<String, String> labels;
  private final Object lock = new Object();

  // guarded by lock
  private SourceListener downstream;
  private boolean stableAnswered;
  private ConfigObject stableContent;
  private String stableMissing;
  private ConfigException stableFailure;
  private boolean recordAnswered;
  private RolloutRecord rollout;
  private long unreadableRecordIndex = -1;
  private boolean candidateAnswered;
  private ConfigObject candidateContent;
  private long candidateIndex;
  private ConfigException candidateFailure;
  private long candidateFailureIndex;
  private Object delivered;
  private boolean warnedOtherKey;
  private Consumer<Decision> decisionListener = d -> {};
  private volatile Decision decision = new Decision(Role.NONE, null, false, "starting");

  private RolloutSource(
      ConsulSource stable, RolloutKeys keys, int bucket, Map<String, String> labels) {
    ConsulSourceConfig c = stable.config();
    if (c.shape() != ConsulSourceConfig.Shape.KEY) {
      throw new IllegalArgumentException(
          "staged rollouts need a Consul source that reads one key, not prefix " + c.path());
    }
    this.stable = stable;
    this.stableKey = c.path();
    this.keys = keys;
    this.bucket = bucket;
    this.labels = Map.copyOf(labels);
    ConfigFormat format = c.format().orElseThrow();
    // one name for all three: problems of a candidate belong to this source, their origins say
    // which key they come from
    this.candidate = ConsulSource.create(c.withKey(keys.candidate(), format, c.name()));
    this.record =
        ConsulSource.create(c.withKey(keys.record(), ConfigFormat.JSON, c.name() + " (rollout)"));
  }

  /**
   * A source that delivers {@code stable}'s key or the candidate of the rollout at {@code keys},
   * for an instance with {@code bucket} and {@code labels}. It owns {@code stable} (not started
   * yet) and closes it.
   *
   * @throws IllegalArgumentException if {@code stable} reads a prefix rather than one key
   */
  public static RolloutSource create(
      ConsulSource stable, RolloutKeys keys, int bucket, Map<String, String> labels) {
    Objects.requireNonNull(stable, "stable");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(labels, "labels");
    if (bucket < 0 || bucket >= dev.hotconf.consul.fleet.AckRollout.BUCKETS) {
      throw new IllegalArgumentException("bucket: must be 0 to 9999 but was " + bucket);
    }
    return new RolloutSource(stable, keys, bucket, labels);
  }

  @Override
  public String name() {
    return stable.name();
  }

  /** The configuration key (the stable version's). */
  public String key() {
    return stableKey;
  }

  public RolloutKeys keys() {
    return keys;
  }

  public int bucket() {
    return bucket;
  }

  public Map<String, String> labels() {
    return labels;
  }

  /** The latest decision. */
  public Decision decision() {
    return decision;
  }

  /**
   * Calls {@code listener} with every new decision, on the thread that made it, while holding this
   * source's lock: it must be quick and must not call back into this source. Call before {@link
   * #start}.
   */
  public void onDecision(Consumer<Decision> listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      this.decisionListener = listener;
    }
  }

  @Override
  public void start(SourceListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (downstream != null) {
        throw new IllegalStateException(name() + " was already started");
      }
      downstream = listener;
    }
    record.start(new RecordListener());
    candidate.start(new CandidateListener());
    stable.start(new StableListener());
  }

  @Override
  public void close() {
    stable.close();
    candidate.close();
    record.close();
  }

  @Override
  public String toString() {
    return "RolloutSource[" + stableKey + ", " + keys.record() + ", bucket " + bucket + "]";
  }

  // ------------------------------------------------------------------ the three watches

  private final class StableListener implements SourceListener {
    @Override
    public void onContent(ConfigObject content) {
      synchronized (lock) {
        stableAnswered = true;
        stableContent = content;
        stableMissing = null;
        stableFailure = null;
        decide();
      }
    }

    @Override
    public void onMissing(String reason) {
      synchronized (lock) {
        stableAnswered = true;
        stableContent = null;
        stableMissing = reason;
        decide();
      }
    }

    @Override
    public void onFailure(ConfigException error) {
      synchronized (lock) {
        stableAnswered = true;
        stableFailure = error;
        if (delivered != null && decision.role() != Role.CANDIDATE) {
          safely(() -> downstream.onFailure(error));
        } else {
          decide();
        }
      }
    }
  }

  private final class CandidateListener implements SourceListener {
    @Override
    public void onContent(ConfigObject content) {
      synchronized (lock) {
        candidateAnswered = true;
        candidateContent = content;
        candidateIndex = Origins.index(content, keys.candidate());
        candidateFailure = null;
        decide();
      }
    }

    @Override
    public void onMissing(String reason) {
      synchronized (lock) {
        candidateAnswered = true;
        candidateContent = null;
        candidateIndex = 0;
        candidateFailure = null;
        decide();
      }
    }

    @Override
    public void onFailure(ConfigException error) {
      synchronized (lock) {
        candidateAnswered = true;
        long index = Origins.index(error.problems(), keys.candidate());
        if (index > 0) {
          // the candidate's value does not parse: that is the candidate's verdict
          candidateContent = null;
          candidateIndex = 0;
          candidateFailure = error;
          candidateFailureIndex = index;
          decide();
        } else if (decision.role() == Role.CANDIDATE) {
          safely(() -> downstream.onFailure(error));
        } else {
          decide();
        }
      }
    }
  }

  private final class RecordListener implements SourceListener {
    @Override
    public void onContent(ConfigObject content) {
      synchronized (lock) {
        recordAnswered = true;
        long index = Origins.index(content, keys.record());
        try {
          rollout = RolloutRecord.parse(content.toJson().getBytes(StandardCharsets.UTF_8));
          unreadableRecordIndex = -1;
        } catch (IllegalArgumentException e) {
          rollout = null;
          if (unreadableRecordIndex != index) {
            unreadableRecordIndex = index;
            LOG.warn(
                "hotconf rollout: {} cannot be read ({}); running the stable version",
                keys.record(),
                e.getMessage());
          }
        }
        decide();
      }
    }

    @Override
    public void onMissing(String reason) {
      synchronized (lock) {
        recordAnswered = true;
        rollout = null;
        decide();
      }
    }

    @Override
    public void onFailure(ConfigException error) {
      synchronized (lock) {
        recordAnswered = true; // keep the last known record, as any source keeps its content
        LOG.debug("hotconf rollout: cannot read {}: {}", keys.record(), error.getMessage());
        decide();
      }
    }
  }

  // ------------------------------------------------------------------ deciding (under lock)

  private void decide() {
    if (downstream == null || !stableAnswered || !recordAnswered) {
      return;
    }
    RolloutRecord r = rollout;
    boolean forThisKey = r != null && r.key().equals(stableKey);
    if (r != null && !forThisKey && !warnedOtherKey) {
      warnedOtherKey = true;
      LOG.warn(
          "hotconf rollout: {} is a rollout of {}, but this instance reads {}; ignoring it",
          keys.record(),
          r.key(),
          stableKey);
    }
    if (!forThisKey) {
      r = null;
    }
    boolean selected = r != null && r.selects(bucket, labels);
    if (selected) {
      if (!candidateAnswered) {
        return; // it answers at once: the first delivery waits for it
      }
      if (candidateContent != null && candidateIndex == r.candidateIndex()) {
        deliver(candidateContent, new Decision(Role.CANDIDATE, r, true, "selected: candidate"));
        return;
      }
      if (candidateFailure != null && candidateFailureIndex == r.candidateIndex()) {
        ConfigException failure = candidateFailure;
        Decision d =
            new Decision(Role.CANDIDATE, r, true, "selected: the candidate does not parse");
        if (delivered != failure) {
          delivered = failure;
          safely(() -> downstream.onFailure(failure));
        }
        announce(d);
        return;
      }
      deliverStable(
          new Decision(
              Role.STABLE,
              r,
              true,
              "selected: waiting for candidate index " + r.candidateIndex() + " to arrive"));
      return;
    }
    String why =
        r == null
            ? "no rollout"
            : r.halted()
                ? "rollout halted"
                : r.stage() == 0
                    ? "rollout not started"
                    : !r.plan().selector().matches(labels)
                        ? "labels do not match the selector"
                        : "bucket " + bucket + " is not below the cut " + r.cut();
    deliverStable(new Decision(r == null ? Role.NONE : Role.STABLE, r, false, why));
  }

  private void deliverStable(Decision d) {
    if (stableContent != null) {
      deliver(stableContent, d);
    } else if (stableMissing != null) {
      if (delivered != MISSING) {
        delivered = MISSING;
        String reason = stableMissing;
        safely(() -> downstream.onMissing(reason));
      }
      announce(d);
    } else if (stableFailure != null) {
      if (delivered != stableFailure) {
        ConfigException failure = stableFailure;
        delivered = failure;
        safely(() -> downstream.onFailure(failure));
      }
      announce(d);
    }
  }

  private void deliver(ConfigObject content, Decision d) {
    if (delivered != content) {
      delivered = content;
      safely(() -> downstream.onContent(content));
    }
    announce(d);
  }

  private void announce(Decision d) {
    if (!d.equals(decision)) {
      decision = d;
      try {
        decisionListener.accept(d);
      } catch (RuntimeException e) {
        LOG.warn("hotconf rollout: decision listener failed: {}", e.toString());
      }
    }
  }

  private void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("hotconf rollout: the listener of {} failed: {}", name(), e.toString());
    }
  }
}
