package dev.hotconf.sidecar.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads what an operator names (a document to validate, sidecar.yaml, the server's PEM and token
 * files) with a size bound, so a wrong path ({@code /dev/zero}, a device, an endless pipe) ends
 * with a clear error after reading at most {@code max + 1} bytes instead of exhausting memory. A
 * FIFO is read like a file (process substitution, {@code <(...)}, is a FIFO): it ends when its
 * writer does. Stateless and thread-safe; no argument may be null.
 */
public final class BoundedRead {
  /** PEM files: a certificate chain is a few KiB, a whole CA bundle a few hundred. */
  public static final int PEM_LIMIT = 4 << 20;

  /** Token files. */
  public static final int TOKEN_LIMIT = 64 << 10;

  private static final int CHUNK = 64 << 10;

  /** What was read holds more than the limit; the message says which limit, never content. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  private BoundedRead() {}

  /**
   * Every byte of {@code in}, which must hold at most {@code max}; else an {@link IOException}
   * saying {@code "larger than <max> (<limitName>)"}, e.g. {@code "larger than 4 MiB (the document
   * limit)"}. Does not close {@code in}.
   */
  public static byte[] readAll(InputStream in, int max, String limitName) throws IOException {
    if (max < 0 || max > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("max must be between 0 and 2^31 - 17 but was " + max);
    }
    byte[] buf = new byte[Math.min(CHUNK, max + 1)];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (n > max) {
          throw new TooLargeException("larger than " + size(max) + " (" + limitName + ")");
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) max + 1, 2L * buf.length));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
      }
      n += r;
    }
  }

  /** {@link #readAll(InputStream, int, String)} of a file. */
  public static byte[] readFile(Path file, int max, String limitName) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readAll(in, max, limitName);
    }
  }

  /**
   * A document file: a regular file is read whole (its size is known, and a parser reports one over
   * its limit as an ordinary problem, with the size); anything else (a pipe, a device) is read as
   * {@link #readFile} does.
   */
  public static byte[] readDocument(Path file, int max, String limitName) throws IOException {
    return Files.isRegularFile(file) ? Files.readAllBytes(file) : readFile(file, max, limitName);
  }

  /** {@code 4 MiB}, {@code 64 KiB} or {@code 100 bytes}. */
  static String size(int bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
