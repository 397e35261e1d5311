package dev.hotconf.sidecar.run;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Writes the config JSON to a file atomically (temp file + rename), only when the content changed.
 */
final class FilePushTarget implements PushTarget {
  private final Path file;

  FilePushTarget(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  @Override
  public String name() {
    return "file:" + file;
  }

  @Override
  public void deliver(Published p) throws IOException {
    try {
      if (Arrays.equals(Files.readAllBytes(file), p.json())) {
        return;
      }
    } catch (NoSuchFileException e) {
      // first write
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
    try {
      Files.write(tmp, p.json());
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
