package dev.hotconf.sidecar.internal.http;

/**
 * Answers requests. Called on the server's single thread for every complete request, in order per
 * connection: it must never block. It answers at once ({@link Exchange#respond}), parks the
 * exchange ({@link Exchange#park}) to answer it later from any thread, or hands slow work to the
 * server's worker pool ({@link Exchange#respondLater}).
 */
@FunctionalInterface
public interface Handler {
  void handle(Exchange exchange);
}
