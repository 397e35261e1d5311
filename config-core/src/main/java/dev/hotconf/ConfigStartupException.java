package dev.hotconf;

import java.util.List;

/**
 * {@link HotConfig.Builder#build()} got no valid snapshot in time (and no last-known-good file to
 * boot from). Lists every problem: sources that never answered or failed, and validation problems.
 * {@link #sourcesUnavailable()} tells an unreachable source apart from invalid content.
 */
public class ConfigStartupException extends ConfigRejectedException {
  private static final long serialVersionUID = 1L;
  private final boolean sourcesUnavailable;

  public ConfigStartupException(List<Problem> problems, boolean sourcesUnavailable) {
    super(problems);
    this.sourcesUnavailable = sourcesUnavailable;
  }

  /** Whether some source never delivered content (pending, or failing since the start). */
  public boolean sourcesUnavailable() {
    return sourcesUnavailable;
  }
}
