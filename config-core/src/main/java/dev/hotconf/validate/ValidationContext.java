package dev.hotconf.validate;

import dev.hotconf.ConfigNode;
import dev.hotconf.ConfigOrigin;
import dev.hotconf.ConfigSnapshot;
import dev.hotconf.Problem;
import dev.hotconf.Redactor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Validator} sees: the candidate snapshot, the live snapshot it would replace (none
 * for the first configuration), a way to report problems (the origin of the key's value is attached
 * automatically), and the redactor to display values safely.
 *
 * <p>Not thread-safe: one context per validation run.
 */
public final class ValidationContext {
  private final ConfigSnapshot candidate;
  private final ConfigSnapshot live;
  private final Redactor redactor;
  private final List<Problem> problems = new ArrayList<>();

  /** A context for a candidate with no live configuration beside it. */
  public ValidationContext(ConfigSnapshot candidate, Redactor redactor) {
    this(candidate, null, redactor);
  }

  /**
   * A context for {@code candidate}, which would replace {@code live} (null when no configuration
   * is live yet).
   */
  public ValidationContext(ConfigSnapshot candidate, ConfigSnapshot live, Redactor redactor) {
    this.candidate = Objects.requireNonNull(candidate, "candidate");
    this.live = live;
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  /** The configuration under validation (version 0). */
  public ConfigSnapshot candidate() {
    return candidate;
  }

  /**
   * The live configuration the candidate would replace; empty for the first configuration (and when
   * booting from the last-known-good file). Rules that compare versions, such as {@link
   * ShrinkGuard}, read it.
   */
  public Optional<ConfigSnapshot> live() {
    return Optional.ofNullable(live);
  }

  public Redactor redactor() {
    return redactor;
  }

  /** Reports a problem with {@code key}, at the origin of its value (or of its nearest parent). */
  public void problem(String key, String message) {
    problems.add(Problem.at(key, originOf(key), message));
  }

  /** Reports a fully formed problem. */
  public void problem(Problem problem) {
    problems.add(Objects.requireNonNull(problem, "problem"));
  }

  /** The value at {@code key} as it may be shown in a message: quoted, or redacted if secret. */
  public String display(String key) {
    return candidate.node(key).map(n -> redactor.display(key, n)).orElse("nothing");
  }

  /** Problems reported so far. */
  public List<Problem> problems() {
    return Collections.unmodifiableList(problems);
  }

  /** The origin of the value at {@code key}, else of the nearest existing parent, else null. */
  public ConfigOrigin originOf(String key) {
    String k = key;
    while (true) {
      ConfigOrigin o = candidate.node(k).map(ConfigNode::origin).orElse(null);
      if (o != null) {
        return o;
      }
      int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
      if (cut <= 0) {
        return null;
      }
      k = k.substring(0, cut);
    }
  }
}
