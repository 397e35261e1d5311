package dev.hotconf.source;

/**
 * Where configuration comes from: a file, a Consul key, a map. A source delivers its content, or a
 * failure, to a {@link SourceListener} whenever it changes, asynchronously, from any thread.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@link #start} is called once. Deliver a first answer (content, missing or failure) as soon
 *       as possible; {@code HotConfig} waits for every source's first answer before it publishes
 *       the first snapshot.
 *   <li>Deliver whole documents already parsed (use {@link dev.hotconf.parse.ConfigFormat}); the
 *       pipeline merges, validates and publishes. Delivering content equal to the previous one is
 *       harmless (it publishes nothing) but wasteful.
 *   <li>Never throw from the listener's thread of control into the pipeline; report failures with
 *       {@link SourceListener#onFailure}. Failures keep the last good content.
 *   <li>{@link #close} stops all threads the source started, promptly, and is idempotent.
 * </ul>
 */
public interface ConfigSource extends AutoCloseable {

  /** A short, stable name for status and logs, e.g. {@code file:/etc/app/app.yaml}. */
  String name();

  /** Begins delivering to {@code listener}. Called once. */
  void start(SourceListener listener);

  /** Stops the source and every thread it started. Idempotent. */
  @Override
  void close();
}
