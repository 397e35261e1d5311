package dev.hotconf.sidecar.run;

/**
 * Somewhere a new version is delivered. {@link #deliver} throws on any failure: a {@link
 * DeliveryRefused} is not retried for the same input, anything else is retried with backoff.
 */
interface PushTarget extends AutoCloseable {
  String name();

  void deliver(Published published) throws Exception;

  /**
   * Starts watching what the target renders with besides the version (a template); {@code changed}
   * is called when it changed, so the newest version is delivered again.
   */
  default void watch(Runnable changed) throws java.io.IOException {}

  /** Stops watching; idempotent. */
  @Override
  default void close() {}
}
