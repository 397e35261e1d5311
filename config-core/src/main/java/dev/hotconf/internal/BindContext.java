package dev.hotconf.internal;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One binding run: its options (redactor, unknown-key policy) and the problems found so far. A
 * converter that meets a problem adds it here and returns {@link Converters#FAILED}; the caller
 * keeps going, so every problem of a tree is found in one run. Not thread-safe.
 */
public final class BindContext {
  private final Redactor redactor;
  private final boolean rejectUnknownKeys;
  private final List<Problem> problems = new ArrayList<>();

  public BindContext(Redactor redactor, boolean rejectUnknownKeys) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.rejectUnknownKeys = rejectUnknownKeys;
  }

  public Redactor redactor() {
    return redactor;
  }

  public boolean rejectUnknownKeys() {
    return rejectUnknownKeys;
  }

  public void problem(String key, ConfigOrigin origin, String message) {
    problems.add(Problem.at(key.isEmpty() ? null : key, origin, message));
  }

  /** {@code expected <expectation> but found <value>}, the value redacted under a secret key. */
  public void expected(String key, ConfigNode found, String expectation) {
    problem(key, found.origin(), "expected " + expectation + " but found " + display(key, found));
  }

  /** {@code <rule> but found <value>}, the value redacted under a secret key. */
  public void violated(String key, ConfigNode found, String rule) {
    problem(key, found.origin(), rule + " but found " + display(key, found));
  }

  private String display(String key, ConfigNode found) {
    return redactor.display(key, found);
  }

  public int problemCount() {
    return problems.size();
  }

  public List<Problem> problems() {
    return Collections.unmodifiableList(problems);
  }
}
