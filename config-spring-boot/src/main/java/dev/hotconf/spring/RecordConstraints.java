package dev.hotconf.spring;

import dev.hotconf.ConfigNode;
import dev.hotconf.validate.ValidationContext;

/**
 * Checks a bound live record against constraints declared on it (Jakarta Bean Validation when a
 * validator is on the class path), reporting each violation to the {@link ValidationContext} at the
 * key and origin of the offending value. Implementations are thread-safe.
 */
interface RecordConstraints {
  /** Whether {@code type} declares any constraint (if not, its records need no check). */
  boolean constrains(Class<?> type);

  /**
   * Reports every violation of {@code record}, bound from {@code node} (null when the record came
   * from its defaults) at {@code prefix}.
   */
  void check(Object record, String prefix, ConfigNode node, ValidationContext context);
}
