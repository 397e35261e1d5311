package dev.hotconf.sidecar.filetarget;

import java.util.Locale;

/**
 * A version that could not be applied to a file target, with the stage that failed. The message is
 * complete and safe to show (secret values scrubbed, no control characters); {@link #output()} is
 * the bounded, scrubbed output of the command that failed, if one did. Whatever the stage, the
 * target's file is the last good one.
 */
public final class ApplyException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Where applying a version stopped. */
  public enum Stage {
    /** Rendering: a template error, a key the format cannot write, an unreadable template. */
    RENDER,
    /** The check command refused the rendered file (or timed out). */
    CHECK,
    /** Writing or renaming the file. */
    SWAP,
    /** The reload failed; the previous file was put back. */
    RELOAD;

    /** The stage's name in status and metrics ({@code render}, {@code check}, ...). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Stage stage;
  private final boolean retryable;
  private final String output;

  ApplyException(Stage stage, String message, boolean retryable, String output, Throwable cause) {
    super(message, cause);
    this.stage = stage;
    this.retryable = retryable;
    this.output = output;
  }

  public Stage stage() {
    return stage;
  }

  /**
   * Whether trying the same version again may succeed (a timeout, an I/O error, a reload): else the
   * target waits for a new version or template.
   */
  public boolean retryable() {
    return retryable;
  }

  /** The failed command's output (bounded, scrubbed), or null. */
  public String output() {
    return output;
  }
}
