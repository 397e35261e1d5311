package dev.hotconf;

/**
 * One key's change between two snapshots. {@code oldValue} is null for an added key, {@code
 * newValue} null for a removed one. {@link #toString()} redacts secret values.
 *
 * <p>Immutable and thread-safe.
 */
public record KeyChange(String key, ConfigNode oldValue, ConfigNode newValue, Redactor redactor) {

  public enum Kind {
    ADDED,
    REMOVED,
    CHANGED
  }

  public Kind kind() {
    return oldValue == null ? Kind.ADDED : newValue == null ? Kind.REMOVED : Kind.CHANGED;
  }

  @Override
  public String toString() {
    return switch (kind()) {
      case ADDED -> "+ " + key + " = " + redactor.display(key, newValue);
      case REMOVED -> "- " + key + " (was " + redactor.display(key, oldValue) + ")";
      case CHANGED ->
          "~ "
              + key
              + ": "
              + redactor.display(key, oldValue)
              + " -> "
              + redactor.display(key, newValue);
    };
  }
}
