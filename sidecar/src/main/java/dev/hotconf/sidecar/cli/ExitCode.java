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
   * published (publish), every instance runs the current version (fleet status), the rollout was
   * promoted (rollout start, resume), halted or aborted as asked (rollout halt, abort), no rollout
   * is halted (rollout status).
   */
  OK(0, "OK: valid / found / equal / published / fleet current / rollout promoted"),
  /**
   * A configuration is invalid (nothing is published), a key is missing (get), the files differ
   * (diff), not every instance runs the current version (fleet status: the deployment gate), or a
   * rollout did not reach promotion: halted (automatically or by an operator) or aborted while
   * driven (rollout start, resume), halted (rollout status), no rollout to halt, or no instance to
   * judge the candidate (rollout start).
   */
  INVALID(
      1,
      "invalid configuration, missing key (get), difference found (diff),"
          + " fleet not current (fleet status), rollout halted or aborted (rollout)"),
  /**
   * Bad command line, an input or schema that cannot be read or used, or Consul refusing the ACL
   * token (403) or a token that cannot be read.
   */
  USAGE(2, "usage error, unreadable input or schema, Consul ACL token refused or unreadable"),
  /**
   * A source could not be reached at start ({@code run}); Consul unreachable, leaderless, rate
   * limiting or failing (publish, fleet, rollout), or a rollout driver lost its lock session (the
   * rollout stays where it is).
   */
  UNREACHABLE(
      3,
      "configuration source unreachable at start (run), Consul unreachable or failing,"
          + " rollout driver lost its lock"),
  /** A bug: an unexpected exception. Re-run with --stacktrace and report it. */
  INTERNAL(4, "internal error (re-run with --stacktrace)"),
  /**
   * {@code publish}: the key changed in Consul after it was read (check-and-set on its ModifyIndex
   * failed): another writer published meanwhile; nothing was written. {@code rollout}: another
   * driver holds the application's rollout, another rollout of it is in progress, or the key or the
   * candidate changed under the rollout (it is halted, not promoted).
   */
  CONFLICT(
      5,
      "publish: the key changed in Consul since it was read (check-and-set conflict);"
          + " rollout: another driver or rollout, or the key changed under it");

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
