package dev.hotconf.sidecar.internal.http;

/**
 * A request refused at the protocol level, before any handler sees it: answered with {@link
 * #status()} and a fixed message (never the request's own bytes), then the connection is closed.
 */
public final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** 400, 408, 413, 414, 417, 431, 501 or 505. */
  public int status() {
    return status;
  }
}
