package dev.hotconf.sidecar.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every {@code hotconf} command: the one place they are defined and documented
 * (the usage help and the README are generated from / copied from here).
 */
public enum ExitCode {
  /**
   * Everything is valid (validate), the key exists (get), the files are equal (diff), the file is
   * published (publish), every instance runs the current version (fleet status).
   */
  OK(0, "OK: valid / found / equal / published / fleet current"),
  /**
   * A configuration is invalid (nothing is published), a key is missing (get), the files differ
   * (diff), or not every instance runs the current version (fleet status: the deployment gate).
   */
  INVALID(
      1,
      "invalid configuration, missing key (get), difference found (diff),"
          + " fleet not current (fleet status)"),
  /**
   * Bad command line, an input or schema that cannot be read or used, or Consul refusing the ACL
   * token (403) or a token that cannot be read.
   */
  USAGE(2, "usage error, unreadable input or schema, Consul ACL token refused or unreadable"),
  /**
   * A source could not be reached at start ({@code run}); Consul unreachable, leaderless, rate
   * limiting or failing (publish, fleet).
   */
  UNREACHABLE(3, "configuration source unreachable at start (run), Consul unreachable or failing"),
  /** A bug: an unexpected exception. Re-run with --stacktrace and report it. */
  INTERNAL(4, "internal error (re-run with --stacktrace)"),
  /**
   * {@code publish}: the key changed in Consul after it was read (check-and-set on its ModifyIndex
   * failed): another writer published meanwhile; nothing was written.
   */
  CONFLICT(5, "publish: the key changed in Consul since it was read (check-and-set conflict)");

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
