package dev.hotconf;

/** Handle for a listener; {@link #close()} unsubscribes it (idempotent, thread-safe). */
@FunctionalInterface
public interface Registration extends AutoCloseable {
  @Override
  void close();
}
