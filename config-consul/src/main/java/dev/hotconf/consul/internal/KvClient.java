package dev.hotconf.consul.internal;

import java.time.Duration;

/**
 * The small slice of Consul's KV API hotconf needs, so the library underneath (consul-api) stays
 * replaceable. Reads are blocking queries: with {@code index > 0} they wait up to {@code wait}
 * (plus Consul's jitter of up to wait/16) for a change; with {@code index == 0} they answer at
 * once. A missing key or empty prefix is a {@link KvResponse} with {@code found == false}, not a
 * failure.
 *
 * <p>Implementations are used by one thread at a time, except {@link #abort()} and {@link #close()}
 * which may be called from any thread to stop a read in flight. Not part of the public API.
 */
public interface KvClient extends AutoCloseable {

  /** Reads one key. */
  KvResponse get(String key, long index, Duration wait) throws KvException;

  /** Reads every key under {@code prefix} ({@code ?recurse}). */
  KvResponse list(String prefix, long index, Duration wait) throws KvException;

  /** Aborts the read in flight, if any (it fails with {@link KvException.Kind#ABORTED}). */
  void abort();

  /** Aborts the read in flight and releases connections. Idempotent. */
  @Override
  void close();
}
