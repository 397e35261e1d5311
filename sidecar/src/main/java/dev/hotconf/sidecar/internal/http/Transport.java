package dev.hotconf.sidecar.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection's byte stream over a non-blocking channel: plain TCP or TLS. Used by the server
 * thread only; no method blocks.
 */
interface Transport {
  /**
   * Reads application bytes into {@code dst}: how many, 0 when none are available now, -1 at end.
   */
  int read(ByteBuffer dst) throws IOException;

  /**
   * Writes application bytes from {@code srcs}; returns how many were taken. Bytes taken may still
   * be pending inside the transport: see {@link #flush()}.
   */
  long write(ByteBuffer[] srcs) throws IOException;

  /** Sends bytes pending inside the transport; true when none are left. */
  boolean flush() throws IOException;

  /** Whether the transport has bytes to send (and wants the channel to become writable). */
  boolean wantsWrite();

  /**
   * Ends the output (TLS close_notify, then FIN); true once done, false when it must be called
   * again after the channel becomes writable.
   */
  boolean shutdownOutput() throws IOException;
}
