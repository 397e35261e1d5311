package dev.hotconf.consul.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the small files a Consul connection is given (ACL token, CA bundle, client certificate and
 * key, PKCS#12 store) without letting a wrong path hang or exhaust the process: only a regular file
 * is opened (a FIFO, whose open blocks until a writer comes, and a device such as {@code /dev/zero}
 * are refused), and at most {@code limit} bytes are read. Stateless; thread-safe.
 */
final class SmallFiles {
  /** Certificates, CA bundles and keys: a CA bundle of the whole public web is ~250 KiB. */
  static final int PEM_LIMIT = 4 << 20;

  /** ACL tokens are 36 characters; files hold one and maybe a newline. */
  static final int TOKEN_LIMIT = 64 << 10;

  private SmallFiles() {}

  /**
   * The bytes of {@code file}.
   *
   * @throws IOException when it is not a regular file (after links), is larger than {@code limit}
   *     bytes, or cannot be read; the message names neither the content nor more than the path
   */
  static byte[] read(Path file, int limit) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          Files.exists(file) ? file + " is not a regular file" : file + " does not exist");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new IOException(file + " is larger than " + limit + " bytes");
      }
      return bytes;
    }
  }
}
