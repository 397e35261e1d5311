package dev.hotconf.testing.consul;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A session as {@link ConsulTestServer} holds it ({@code GET /v1/session/info/:id} shows the same
 * fields).
 *
 * <p>Immutable and thread-safe. No method returns {@code null}: a session without TTL has an empty
 * {@link #ttl()}.
 */
public final class ConsulSession {

  /** What happens to the keys a session holds when it is invalidated. */
  public enum Behavior {
    /** The keys stay; their holder is cleared and their ModifyIndex moves (Consul's default). */
    RELEASE,
    /** The keys are deleted: ephemeral entries. */
    DELETE;

    /** Consul's spelling: {@code release} or {@code delete}. */
    public String consulName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String id;
  private final String name;
  private final String node;
  private final Duration lockDelay;
  private final Behavior behavior;
  private final String ttlText;
  private final Duration ttl;
  private final List<String> nodeChecks;
  private final List<String> checks;
  private final long createIndex;
  private final long modifyIndex;

  ConsulSession(
      String id,
      String name,
      String node,
      Duration lockDelay,
      Behavior behavior,
      String ttlText,
      Duration ttl,
      List<String> nodeChecks,
      List<String> checks,
      long createIndex,
      long modifyIndex) {
    this.id = Objects.requireNonNull(id, "id");
    this.name = Objects.requireNonNull(name, "name");
    this.node = Objects.requireNonNull(node, "node");
    this.lockDelay = Objects.requireNonNull(lockDelay, "lockDelay");
    this.behavior = Objects.requireNonNull(behavior, "behavior");
    this.ttlText = Objects.requireNonNull(ttlText, "ttlText");
    this.ttl = ttl;
    this.nodeChecks = List.copyOf(nodeChecks);
    this.checks = List.copyOf(checks);
    this.createIndex = createIndex;
    this.modifyIndex = modifyIndex;
  }

  /** The session's UUID. */
  public String id() {
    return id;
  }

  /** The human-readable name given at creation ({@code ""} if none). */
  public String name() {
    return name;
  }

  /** The node the session belongs to: always {@link ConsulTestServer#NODE_NAME}. */
  public String node() {
    return node;
  }

  /** How long the keys it held stay unacquirable after it is invalidated (default 15 s). */
  public Duration lockDelay() {
    return lockDelay;
  }

  public Behavior behavior() {
    return behavior;
  }

  /**
   * The TTL, if any. Consul invalidates a session that is not renewed within it, but only after
   * twice the TTL (the TTL is a lower bound).
   */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  /** The TTL as the client wrote it ({@code "15s"}), {@code ""} without TTL. */
  public String ttlText() {
    return ttlText;
  }

  /**
   * The node health checks the session is bound to: {@code [serfHealth]} unless the client gave
   * {@code NodeChecks} or {@code Checks} (an empty list binds it to none).
   */
  public List<String> nodeChecks() {
    return nodeChecks;
  }

  /** The deprecated {@code Checks} field as Consul keeps it (usually empty). */
  public List<String> checks() {
    return checks;
  }

  public long createIndex() {
    return createIndex;
  }

  public long modifyIndex() {
    return modifyIndex;
  }

  @Override
  public String toString() {
    return "ConsulSession[id="
        + id
        + ", name="
        + name
        + ", behavior="
        + behavior.consulName()
        + ", ttl="
        + (ttlText.isEmpty() ? "none" : ttlText)
        + ", lockDelay="
        + lockDelay
        + ", nodeChecks="
        + nodeChecks
        + ']';
  }
}
