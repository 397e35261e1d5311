package dev.hotconf;

import java.time.Instant;

/**
 * One source's state. {@code since} is when it entered the state; {@code lastContent} when it last
 * delivered content (null if never); {@code lastError} the latest failure's message (null when
 * none), never with secret values.
 *
 * <p>Immutable and thread-safe.
 */
public record SourceStatus(
    String name, State state, Instant since, Instant lastContent, String lastError) {

  public enum State {
    /** Has not answered yet. */
    PENDING,
    /** Its latest content is in use. */
    OK,
    /** Its latest attempt failed; its last good content (if any) is still used. */
    FAILING,
    /** Its content is gone (e.g. file deleted); its last good content (if any) is still used. */
    MISSING
  }
}
