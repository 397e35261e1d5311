package dev.hotconf;

import java.util.List;

/**
 * Base of every exception hotconf throws. Carries the list of {@link Problem problems} found (at
 * least one); the message lists them all, one per line, each starting with its origin.
 *
 * <p>Messages never contain secret values.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    this(problems, null);
  }

  public ConfigException(List<Problem> problems, Throwable cause) {
    super(render(problems), cause);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ConfigException(Problem problem) {
    this(List.of(problem));
  }

  public ConfigException(Problem problem, Throwable cause) {
    this(List.of(problem), cause);
  }

  /** Every problem found, in the order found. Never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    if (problems.size() == 1) {
      return problems.get(0).toString();
    }
    StringBuilder sb = new StringBuilder().append(problems.size()).append(" problems:");
    for (Problem p : problems) {
      sb.append("\n  ").append(p);
    }
    return sb.toString();
  }
}
