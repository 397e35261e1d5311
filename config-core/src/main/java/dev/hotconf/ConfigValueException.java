package dev.hotconf;

import java.util.List;

/**
 * A value is missing or cannot be converted to the requested type. Names the key and the value's
 * origin, e.g. {@code app.yaml:3:9: db.pool.max: expected an int but found 'ten'}; secret values
 * are redacted.
 */
public class ConfigValueException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public ConfigValueException(Problem problem) {
    super(problem);
  }

  /** Several problems, e.g. every bad component of a bound record. */
  public ConfigValueException(List<Problem> problems) {
    super(problems);
  }

  public ConfigValueException(String key, ConfigOrigin origin, String message) {
    super(Problem.at(key, origin, message));
  }

  /** The key the (first) problem concerns. */
  public String key() {
    return problems().get(0).key();
  }
}
