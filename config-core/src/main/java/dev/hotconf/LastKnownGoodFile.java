package dev.hotconf;

import dev.hotconf.internal.JsonWriter;
import dev.hotconf.parse.ConfigFormat;
import dev.hotconf.parse.ParseLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last-known-good file: every published snapshot's tree as JSON, written atomically (temp file
 * in the same folder, fsync, rename) and readable only by its owner (it may hold secrets).
 */
final class LastKnownGoodFile {
  private static final Logger LOG = LoggerFactory.getLogger(HotConfig.class);
  private final Path path;

  LastKnownGoodFile(Path path) {
    this.path = path.toAbsolutePath().normalize();
  }

  Path path() {
    return path;
  }

  void write(ConfigSnapshot snapshot) {
    Path dir = path.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      byte[] json = JsonWriter.toJson(snapshot.root(), null, true).getBytes(StandardCharsets.UTF_8);
      try (FileChannel channel =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(json);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException | RuntimeException e) {
      LOG.warn("hotconf: cannot write the last-known-good file {}: {}", path, e.toString());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  /** The saved tree, or null (logged) when there is none or it cannot be read. */
  ConfigObject read() {
    try {
      byte[] bytes = Files.readAllBytes(path);
      return ConfigFormat.JSON.parse(
          bytes,
          ConfigOrigin.of("last-known-good", path.toString()),
          ParseLimits.builder()
              .maxDocumentBytes(Integer.MAX_VALUE - 16)
              .maxValues(Integer.MAX_VALUE)
              .maxNestingDepth(1000)
              .maxNumberDigits(Integer.MAX_VALUE)
              .build());
    } catch (NoSuchFileException e) {
      LOG.info("hotconf: no last-known-good file at {} to boot from", path);
      return null;
    } catch (IOException | ConfigException e) {
      LOG.warn("hotconf: cannot read the last-known-good file {}: {}", path, e.getMessage());
      return null;
    }
  }
}
