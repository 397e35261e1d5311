package dev.hotconf.sidecar.run;

/**
 * A delivery that would fail the same way if tried again with the same input (a template error, a
 * check command that exits non-zero): the worker records it and waits for a newer version or for
 * {@link TargetWorker#redeliver()} instead of retrying. The message is complete and safe to show.
 */
final class DeliveryRefused extends Exception {
  private static final long serialVersionUID = 1L;

  DeliveryRefused(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
