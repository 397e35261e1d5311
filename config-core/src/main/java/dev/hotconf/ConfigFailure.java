package dev.hotconf;

import java.time.Instant;
import java.util.List;

/**
 * Something went wrong: a candidate was rejected by validation, or a source failed or lost its
 * content. The live snapshot is unaffected. {@code source} is null for rejections of the merged
 * config. Problems never contain secret values.
 *
 * <p>Immutable and thread-safe.
 */
public record ConfigFailure(Kind kind, String source, List<Problem> problems, Instant time) {

  public enum Kind {
    /** A candidate failed validation; the live snapshot stays. */
    REJECTED,
    /** A source could not deliver (parse error, I/O, unreachable); its last good content stays. */
    SOURCE_FAILED,
    /** A source's content is gone (file deleted, key missing); its last good content stays. */
    SOURCE_MISSING
  }

  public ConfigFailure {
    problems = List.copyOf(problems);
  }

  /** All problems, one per line. */
  public String message() {
    StringBuilder sb = new StringBuilder();
    for (Problem p : problems) {
      sb.append(sb.length() == 0 ? "" : "\n").append(p);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return kind + (source == null ? "" : " [" + source + "]") + ": " + message();
  }
}
