package dev.hotconf.sidecar.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every {@code hotconf} command: the one place they are defined and documented
 * (the usage help and the README are generated from / copied from here).
 */
public enum ExitCode {
  /** Everything is valid (validate), the key exists (get), the files are equal (diff). */
  OK(0, "OK: valid / found / equal"),
  /** A configuration is invalid, a key is missing (get), or the files differ (diff). */
  INVALID(1, "invalid configuration, missing key (get) or difference found (diff)"),
  /** Bad command line, or an input or schema that cannot be read or used. */
  USAGE(2, "usage error, or unreadable input or schema"),
  /** A source could not be reached at start ({@code run}). */
  UNREACHABLE(3, "configuration source unreachable at start (run)"),
  /** A bug: an unexpected exception. Re-run with --stacktrace and report it. */
  INTERNAL(4, "internal error (re-run with --stacktrace)");

  private final int code;
  private final String description;

  ExitCode(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** The worse of two outcomes (the higher code wins). */
  public ExitCode worst(ExitCode other) {
    return other.code > code ? other : this;
  }

  /** For picocli's usage help: code to description. */
  public static Map<String, String> helpList() {
    Map<String, String> out = new LinkedHashMap<>();
    for (ExitCode e : values()) {
      out.put(Integer.toString(e.code), e.description);
    }
    return out;
  }
}
