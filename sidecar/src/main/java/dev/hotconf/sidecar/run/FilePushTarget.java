package dev.hotconf.sidecar.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the config JSON to a file atomically and durably: a temp file in the same folder (owner
 * read/write only), fsync, rename over the target, fsync of the folder. The target is never opened
 * or read: whatever is there (a FIFO, a link to {@code /dev/zero}, a huge file) is replaced, not
 * followed. A version whose content hash equals the last one this target wrote is skipped; the
 * first version after start is always written. Used by one push worker thread at a time.
 */
final class FilePushTarget implements PushTarget {
  private final Path file;
  private String lastWrittenHash;

  FilePushTarget(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  @Override
  public String name() {
    return "file:" + file;
  }

  @Override
  public void deliver(Published p) throws IOException {
    String hash = p.etag(); // the content hash, quoted
    if (hash.equals(lastWrittenHash)) {
      return;
    }
    lastWrittenHash = null; // unknown until this write has fully succeeded
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(p.json());
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      syncFolder(dir);
      lastWrittenHash = hash;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes the rename durable (Linux, macOS); a no-op where folders cannot be opened. */
  private static void syncFolder(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (UnsupportedOperationException e) {
      // Windows cannot open a folder; NTFS journals the rename itself
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }
}
