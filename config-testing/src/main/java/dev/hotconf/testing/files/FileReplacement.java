package dev.hotconf.testing.files;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The ways real tools replace a file, done with real files, renames and symbolic links: what
 * config-file's tests, the sidecar soak and the propagation benchmarks all write with. Each method
 * returns when the write is complete (after the rename, or after the last write and close). For the
 * Kubernetes ConfigMap volume see {@link KubernetesConfigMapVolume}.
 *
 * <p>Stateless; safe to call from any thread, though concurrent writes to one file race as they
 * would with real tools.
 */
public final class FileReplacement {
  private FileReplacement() {}

  /**
   * How a writer pauses between two steps of its own write (a chunked in-place write, a delete and
   * its re-creation). It is part of the scenario being simulated, never a way to wait for hotconf.
   */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration);
  }

  /** Truncates and rewrites the same file (inode kept) in one write. */
  public static void inPlace(Path file, String content) throws IOException {
    inPlace(file, content, 1, Duration.ZERO, d -> {});
  }

  /**
   * Truncates and rewrites the same file (inode kept) in {@code chunks} writes, calling {@code
   * pause} between two chunks when {@code between} is not zero.
   */
  public static void inPlace(Path file, String content, int chunks, Duration between, Pause pause)
      throws IOException {
    Objects.requireNonNull(pause, "pause");
    byte[] bytes = content.getBytes(UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      int n = Math.max(1, Math.min(chunks, bytes.length));
      int per = (bytes.length + n - 1) / n;
      for (int off = 0; off < bytes.length; off += per) {
        if (off > 0 && !between.isZero()) {
          pause.pause(between);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, off, Math.min(per, bytes.length - off));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
    }
  }

  /**
   * Editors' safe write, Ansible, IntelliJ: a temp file named {@code tmpName} in the same folder,
   * renamed over {@code file} atomically.
   */
  public static void renameOver(Path file, String content, String tmpName) throws IOException {
    Path tmp = file.resolveSibling(tmpName);
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** vim: the original renamed to {@code file~}, a new file written, the backup deleted. */
  public static void vim(Path file, String content) throws IOException {
    Path backup = file.resolveSibling(file.getFileName() + "~");
    boolean had = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    if (had) {
      Files.move(file, backup, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(file, content);
    if (had) {
      Files.delete(backup);
    }
  }

  /** Deletes the file, pauses for {@code gap} (if not zero), writes a new one. */
  public static void deleteRecreate(Path file, String content, Duration gap, Pause pause)
      throws IOException {
    Files.deleteIfExists(file);
    if (!gap.isZero()) {
      pause.pause(gap);
    }
    Files.writeString(file, content);
  }

  /**
   * Deletes {@code path} and everything under it, without following symbolic links; absent is fine.
   */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(path)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
