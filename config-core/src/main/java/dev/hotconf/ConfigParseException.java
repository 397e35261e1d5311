package dev.hotconf;

import java.util.List;

/**
 * A document could not be parsed: a syntax error, a duplicate key, a forbidden tag, a limit
 * exceeded, invalid UTF-8. The message starts with the origin, e.g. {@code app.yaml:12:5: found
 * duplicate key 'timeout'}. Semantic problems (duplicate keys, tags) are all collected; parsing
 * stops at the first syntax error.
 */
public class ConfigParseException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public ConfigParseException(List<Problem> problems) {
    super(problems);
  }

  public ConfigParseException(Problem problem, Throwable cause) {
    super(List.of(problem), cause);
  }

  public ConfigParseException(ConfigOrigin origin, String message) {
    super(Problem.at(origin, message));
  }
}
