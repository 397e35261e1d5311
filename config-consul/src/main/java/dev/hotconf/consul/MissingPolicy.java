package dev.hotconf.consul;

/** What a Consul source does when its key is absent (Consul answers 404) or its prefix is empty. */
public enum MissingPolicy {
  /**
   * The default: report the source as missing ({@code SourceListener.onMissing}); its last good
   * content stays in use (at start, it contributes nothing). A missing key is often a mistake or a
   * transient state (a delete-then-write), so dropping configuration on it is opt-in.
   */
  KEEP_LAST_GOOD,
  /** Deleted means empty: deliver an empty configuration, so the source's keys disappear. */
  EMPTY
}
