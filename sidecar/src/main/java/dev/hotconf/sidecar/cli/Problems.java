package dev.hotconf.sidecar.cli;

import dev.hotconf.ConfigException;
import dev.hotconf.Problem;

/** Renders config-core problems for stderr. */
final class Problems {
  private Problems() {}

  /** An exit-1 failure listing every problem as {@code origin: error: message}. */
  static CliException invalid(String display, ConfigException e) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : e.problems()) {
      sb.append(sb.length() == 0 ? "" : "\n").append(Report.textLine(display, p));
    }
    return new CliException(ExitCode.INVALID, sb.toString(), e);
  }
}
