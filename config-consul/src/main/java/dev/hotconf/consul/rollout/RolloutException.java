package dev.hotconf.consul.rollout;

import java.util.Objects;

/**
 * A rollout operation that cannot go ahead for a reason the operator must act on: another driver
 * holds the rollout, another rollout is in progress, nothing to roll out, no rollout to resume. The
 * message says what and what to do; it never contains a secret or a configuration value.
 */
public final class RolloutException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Kind {
    /** Another driver holds the application's rollout lock. */
    LOCK_HELD,
    /** Another rollout is in progress, or the state in Consul changed under the driver. */
    CONFLICT,
    /** There is no rollout of the application (resume). */
    NO_ROLLOUT,
    /** The configuration key does not exist: there is no stable version to roll out from. */
    NO_STABLE_VERSION,
    /** The candidate equals the stable version. */
    UNCHANGED,
    /** No instance that follows rollouts reads the key (or matches the selector). */
    NO_INSTANCES
  }

  private final Kind kind;

  public RolloutException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }
}
