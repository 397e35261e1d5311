package dev.hotconf.bind;

/**
 * Where a {@link Checked} record reports problems. Components are named as in Java ({@code
 * maxBackoff}); the problem carries the key as written ({@code targets[0].max-backoff}) and the
 * origin of its value, or of the record's object when the key is absent.
 *
 * <p>Valid only during {@link Checked#check}; not thread-safe.
 */
public interface Checks {
  /**
   * A problem with one component's value.
   *
   * @throws IllegalArgumentException when the record has no such component
   */
  void problem(String component, String message);

  /** A problem with the record as a whole, at its object. */
  void problem(String message);

  /**
   * Whether the component's key was written (not null) rather than defaulted or absent.
   *
   * @throws IllegalArgumentException when the record has no such component
   */
  boolean isSet(String component);
}
