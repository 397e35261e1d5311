package dev.hotconf;

import java.time.Instant;
import java.util.List;

/**
 * Where the configuration stands: the live version and hash, when the last snapshot was published,
 * the last failure (if any, even if resolved since: compare {@code lastFailure.time()} with {@code
 * lastSuccess}), every source's state and counters.
 *
 * <p>Immutable and thread-safe; safe to expose (no secret values).
 *
 * @param version live version (0 before the first snapshot)
 * @param hash live content hash (null before the first snapshot)
 * @param lastSuccess when the live snapshot was published (null before)
 * @param lastFailure the most recent failure or rejection (null if none ever)
 * @param sources each source's state, in precedence order
 * @param reloads snapshots published
 * @param rejections candidates rejected by validation
 * @param unchanged candidates that matched the live content and published nothing
 * @param sourceFailures failures reported by sources
 * @param fromLastKnownGood whether the live snapshot was booted from the last-known-good file
 * @param rejecting whether the sources' current content is rejected (the live config is behind)
 */
public record ConfigStatus(
    long version,
    String hash,
    Instant lastSuccess,
    ConfigFailure lastFailure,
    List<SourceStatus> sources,
    long reloads,
    long rejections,
    long unchanged,
    long sourceFailures,
    boolean fromLastKnownGood,
    boolean rejecting) {

  public ConfigStatus {
    sources = List.copyOf(sources);
  }
}
