package dev.hotconf.sidecar.filetarget;

/**
 * A version that cannot be rendered for a target (a template error, a key an output format cannot
 * represent). The message is complete and safe to show: it names the template's file:line:col where
 * there is one and never quotes a configuration value. Rendering again gives the same error, so the
 * target waits for a new version or template instead of retrying.
 */
public final class RenderException extends Exception {
  private static final long serialVersionUID = 1L;

  public RenderException(String message) {
    super(message);
  }

  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
