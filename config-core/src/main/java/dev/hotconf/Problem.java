package dev.hotconf;

import java.util.Objects;

/**
 * One thing wrong with a configuration: a message, the key it concerns (if any) and the origin of
 * the offending value (if known). Messages never contain secret values.
 *
 * <p>{@link #toString()} renders {@code origin: key: message}, omitting absent parts, e.g. {@code
 * app.yaml:12:5: db.pool.max: 900 is above the maximum 500}.
 *
 * <p>Immutable and thread-safe. {@code key} and {@code origin} may be null; {@code message} may
 * not.
 */
public record Problem(String key, ConfigOrigin origin, String message) {

  public Problem {
    Objects.requireNonNull(message, "message");
  }

  /** A problem about a key, at the origin of its value. */
  public static Problem at(String key, ConfigOrigin origin, String message) {
    return new Problem(key, origin, message);
  }

  /** A problem at a position in a document, with no key (a syntax error). */
  public static Problem at(ConfigOrigin origin, String message) {
    return new Problem(null, origin, message);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (origin != null) {
      sb.append(origin).append(": ");
    }
    if (key != null) {
      sb.append(key).append(": ");
    }
    return sb.append(message).toString();
  }
}
