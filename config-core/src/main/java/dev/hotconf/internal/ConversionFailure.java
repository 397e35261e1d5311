package dev.hotconf.internal;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;

/**
 * A value could not be converted. Carries no value text itself: {@link #toProblem} renders the
 * found value through the {@link Redactor}, so secrets never reach a message.
 */
public final class ConversionFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final String relativePath;
  private final transient ConfigNode found;
  private final String expectation;

  ConversionFailure(String relativePath, ConfigNode found, String expectation) {
    super(expectation, null, false, false);
    this.relativePath = relativePath;
    this.found = found;
    this.expectation = expectation;
  }

  static ConversionFailure expected(ConfigNode found, String expectation) {
    return new ConversionFailure("", found, expectation);
  }

  ConversionFailure under(String segment) {
    return new ConversionFailure(segment + relativePath, found, expectation);
  }

  /** A problem naming {@code key} (plus the path inside it) at the found value's origin. */
  public Problem toProblem(String key, ConfigOrigin fallback, Redactor redactor) {
    String fullKey = key + relativePath;
    if (found == null) {
      return Problem.at(fullKey, fallback, expectation);
    }
    return Problem.at(
        fullKey,
        found.origin(),
        "expected " + expectation + " but found " + redactor.display(fullKey, found));
  }
}
