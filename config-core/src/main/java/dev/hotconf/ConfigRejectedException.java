package dev.hotconf;

import java.util.List;

/**
 * A candidate configuration failed validation; every problem is listed. Thrown by {@link
 * HotConfig.Builder#build()} when no valid snapshot could be made in time, and reported to failure
 * listeners for rejected reloads (the live snapshot stays).
 */
public class ConfigRejectedException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public ConfigRejectedException(List<Problem> problems) {
    super(problems);
  }

  public ConfigRejectedException(List<Problem> problems, Throwable cause) {
    super(problems, cause);
  }
}
