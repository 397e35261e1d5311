package dev.hotconf.consul.fleet;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an instance reports about the configuration it runs: {@link #LIVE}, {@link #REJECTED} or
 * {@link #PINNED}; while a staged rollout of its application is in progress, {@link #CANARY},
 * {@link #STABLE} or {@link #UNHEALTHY} (see {@code dev.hotconf.consul.rollout}). Readers must
 * accept states they do not know (later versions add some) and show them as they are: {@link
 * #of(String)} keeps any well-formed name.
 *
 * <p>Immutable and thread-safe; equal by name.
 */
public final class AckState {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  /** Runs the newest version it received from its sources. */
  public static final AckState LIVE = new AckState("live");

  /** Refused the newest version (the problems say why) and keeps running its last good one. */
  public static final AckState REJECTED = new AckState("rejected");

  /** An operator pinned it to an older version; it ignores new versions until unpinned. */
  public static final AckState PINNED = new AckState("pinned");

  /** Takes part in a staged rollout and runs its candidate, healthy so far. */
  public static final AckState CANARY = new AckState("canary");

  /** A staged rollout is in progress and this instance runs the stable version (not selected). */
  public static final AckState STABLE = new AckState("stable");

  /**
   * Selected for a staged rollout's candidate and failed with it: rejected it, a push target or
   * reload failed with it, or its health probe failed while it was live (the problems say which).
   */
  public static final AckState UNHEALTHY = new AckState("unhealthy");

  private final String name;

  private AckState(String name) {
    this.name = name;
  }

  /**
   * The state called {@code name}: one of the constants, or an unknown state kept as is.
   *
   * @throws IllegalArgumentException unless {@code name} is 1 to 32 of {@code [a-z0-9-]}, starting
   *     with a letter
   */
  public static AckState of(String name) {
    Objects.requireNonNull(name, "name");
    switch (name) {
      case "live":
        return LIVE;
      case "rejected":
        return REJECTED;
      case "pinned":
        return PINNED;
      case "canary":
        return CANARY;
      case "stable":
        return STABLE;
      case "unhealthy":
        return UNHEALTHY;
      default:
        if (!NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("not a state name: '" + name + "'");
        }
        return new AckState(name);
    }
  }

  /** The name as written in the acknowledgement ({@code live}). */
  public String name() {
    return name;
  }

  /** Whether this is one of the states this version of hotconf knows. */
  public boolean isKnown() {
    return this == LIVE
        || this == REJECTED
        || this == PINNED
        || this == CANARY
        || this == STABLE
        || this == UNHEALTHY;
  }

  /** Whether this is one of the states of an instance in a staged rollout. */
  public boolean inRollout() {
    return this == CANARY || this == STABLE || this == UNHEALTHY;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AckState other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
