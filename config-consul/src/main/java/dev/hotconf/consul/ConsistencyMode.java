package dev.hotconf.consul;

/** Consul's read consistency modes for KV reads. */
public enum ConsistencyMode {
  /**
   * Consul's default: served by the leader, which may briefly serve stale data during a leadership
   * change. Answers with {@code X-Consul-KnownLeader: false} are treated as failures.
   */
  DEFAULT,
  /**
   * {@code ?stale}: any server may answer (usually within 50 ms of the leader); keeps working
   * without a leader, so {@code X-Consul-KnownLeader: false} is accepted in this mode.
   */
  STALE,
  /** {@code ?consistent}: the leader confirms its leadership first; slowest, never stale. */
  CONSISTENT
}
